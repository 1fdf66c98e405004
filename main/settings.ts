/**
 * The settings screen's back end, host-independent: what the window may see of the config (secrets
 * masked) and how an edited document becomes a valid config again (kept secrets restored, new
 * secrets encrypted). The Electron shell persists it in electron-store; the web host and managed
 * deployments (a config file) serve it read-only.
 */
import { SECRET_KEPT, type SettingsDocument, type SettingsView } from '../preload/bridge.js';
import { ConfigError, parseConfig, type AppConfig } from './config.js';
import { VENDOR_FORMS } from './vendors/index.js';

/** Where the settings screen reads and writes. */
export interface SettingsStore {
  view(): SettingsView;
  /**
   * Validates and stores an edited document.
   * @throws {ConfigError} one line per bad field, or when the settings are not editable here.
   */
  save(document: unknown): Promise<void>;
}

function secretKeys(vendor: string): string[] {
  return VENDOR_FORMS.find((v) => v.id === vendor)?.fields.filter((f) => f.kind === 'secret').map((f) => f.key) ?? [];
}

/** The config as the window may see it: every secret replaced by {@link SECRET_KEPT}. */
export function maskSecrets(config: AppConfig): SettingsDocument {
  return {
    accounts: config.accounts.map((account) => {
      const masked: Record<string, unknown> & { id: string; vendor: string } = { ...account };
      for (const key of secretKeys(account.vendor)) if (masked[key] !== undefined) masked[key] = SECRET_KEPT;
      return masked;
    }),
    display: structuredClone(config.display),
    webHost: { ...config.webHost },
  };
}

function isKept(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { kept?: unknown }).kept === true;
}

/**
 * Turns an edited document back into a raw config: a kept secret takes the stored value of the
 * account with the same id; a new one is encrypted when `encrypt` is given.
 * @returns the raw config (to persist) and its parsed form.
 * @throws {ConfigError} naming each bad field, including a kept secret with nothing stored.
 */
export function restoreSecrets(
  document: unknown,
  stored: AppConfig,
  encrypt?: (plain: string) => string,
): { raw: Record<string, unknown>; config: AppConfig } {
  if (typeof document !== 'object' || document === null) throw new ConfigError('settings are not valid:\n  (root): expected an object');
  const raw = structuredClone(document) as Record<string, unknown>;
  const accounts = Array.isArray(raw.accounts) ? (raw.accounts as Array<Record<string, unknown>>) : [];
  const problems: string[] = [];
  accounts.forEach((account, i) => {
    const before = stored.accounts.find((a) => a.id === account.id) as Record<string, unknown> | undefined;
    for (const key of secretKeys(String(account.vendor))) {
      const value = account[key];
      if (isKept(value)) {
        if (before?.[key] === undefined) problems.push(`  accounts[${i}].${key}: nothing is stored yet; type it`);
        else account[key] = before[key];
      } else if (typeof value === 'string' && value !== '' && encrypt) {
        account[key] = { encrypted: encrypt(value) };
      } else if (value === '') {
        delete account[key];
      }
    }
  });
  if (problems.length) throw new ConfigError(`settings are not valid:\n${problems.join('\n')}`);
  return { raw, config: parseConfig(raw, 'settings') };
}

/** Settings an administrator manages (a config file) or the web host's: shown, never written. */
export class ReadOnlySettings implements SettingsStore {
  constructor(
    private readonly config: AppConfig,
    private readonly source: string,
  ) {}
  view(): SettingsView {
    return { editable: false, source: this.source, settings: maskSecrets(this.config), vendors: structuredClone([...VENDOR_FORMS]) };
  }
  async save(_document: unknown): Promise<void> {
    throw new ConfigError(`these settings are managed in ${this.source}; change them there`);
  }
}

/** Editable settings kept by the host (Electron: electron-store + safeStorage). */
export class StoredSettings implements SettingsStore {
  constructor(
    private current: AppConfig,
    private readonly source: string,
    private readonly persist: (raw: Record<string, unknown>, config: AppConfig) => Promise<void>,
    private readonly encrypt?: (plain: string) => string,
  ) {}
  view(): SettingsView {
    return { editable: true, source: this.source, settings: maskSecrets(this.current), vendors: structuredClone([...VENDOR_FORMS]) };
  }
  async save(document: unknown): Promise<void> {
    const { raw, config } = restoreSecrets(document, this.current, this.encrypt);
    await this.persist(raw, config);
    this.current = config;
  }
}
