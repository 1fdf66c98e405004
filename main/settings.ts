/**
 * The settings screen's back end, host-independent: what the window may see of the config (secrets
 * masked) and how an edited document becomes a valid config again (kept secrets restored, new
 * secrets encrypted). The Electron shell persists it in electron-store; the web host and managed
 * deployments (a config file) serve it read-only, saying why and how to change it ({@link readOnlyNote}).
 */
import type { z } from 'zod';
import { SECRET_KEPT, type SecretStorage, type SettingsAccount, type SettingsDocument, type SettingsField, type SettingsView, type ManagedBy } from '../common/settings.js';
import { applyPolicies, automationSchema, ConfigError, displaySchema, parseConfig, screenPopSchema, webHostSchema, type AppConfig } from './config.js';
import { choicesOf, formKindOf, isRequired } from './vendors/kit/platform.js';
import { platformOf, platforms, secretFields } from './vendors/index.js';

/** Where the settings screen reads and writes. */
export interface SettingsStore {
  view(): SettingsView;
  /**
   * Validates and stores an edited document.
   * @throws {ConfigError} one line per bad field, or when the settings are not editable here.
   */
  save(document: unknown): Promise<void>;
}

const secretKeys = secretFields;

/** The account fields the window may see as they are: the common ones and the platform's non-secret ones. */
function publicFields(vendor: string): Set<string> {
  const platform = platformOf(vendor);
  const secret = new Set(secretFields(vendor));
  return new Set(['id', 'vendor', 'label', 'enabled', 'screenPop', ...Object.keys(platform?.shape ?? {}).filter((key) => !secret.has(key))]);
}

/**
 * The account form of every platform, from its module: the fields it lists, each with the kind,
 * whether it is required and the choices its schema says (so the window needs no vendor knowledge).
 */
export function accountForms(): SettingsView['vendors'] {
  return platforms().map((platform) => ({
    id: platform.id,
    name: platform.name,
    fields: platform.form.map((field): SettingsField => {
      const schema = (platform.shape as Record<string, z.ZodType>)[field.key]!;
      const out: SettingsField = { key: field.key, label: field.label, kind: formKindOf(schema), required: isRequired(schema) };
      const choices = choicesOf(schema);
      if (choices) out.choices = choices;
      if (field.help) out.help = field.help;
      return out;
    }),
  }));
}

/** What a settings document may be read from: a valid config, or (invalid settings) the raw stored document. */
type ConfigLike = { accounts?: unknown; display?: unknown; webHost?: unknown; screenPop?: unknown; automation?: unknown };

/**
 * The config as the window may see it: every secret replaced by {@link SECRET_KEPT}. Also takes a
 * raw document that failed validation, so the settings screen can show it for correction.
 */
export function maskSecrets(config: ConfigLike): SettingsDocument {
  const accounts = Array.isArray(config.accounts) ? (config.accounts as unknown[]) : [];
  const display = displaySchema.safeParse(config.display ?? {}).data ?? displaySchema.parse({});
  const webHost = webHostSchema.safeParse(config.webHost ?? {}).data ?? webHostSchema.parse({});
  const screenPop = screenPopSchema.safeParse(config.screenPop ?? {}).data ?? screenPopSchema.parse({});
  const automation = automationSchema.safeParse(config.automation ?? {}).data ?? automationSchema.parse({});
  return {
    screenPop: structuredClone(screenPop),
    // An app's token is a secret: masked like an account's.
    automation: { ...automation, clients: automation.clients.map((client) => ({ ...client, token: SECRET_KEPT })) },
    accounts: accounts.flatMap((item) => {
      if (typeof item !== 'object' || item === null) return [];
      const masked = structuredClone(item) as SettingsAccount;
      masked.id = typeof masked.id === 'string' ? masked.id : '';
      masked.vendor = typeof masked.vendor === 'string' ? masked.vendor : '';
      // Only the platform's known, non-secret fields travel as they are: a secret, and any field the
      // schema does not know (a misspelt "pasword" may well hold a password), is masked.
      const open = publicFields(masked.vendor);
      for (const key of Object.keys(masked)) if (!open.has(key) && masked[key] !== undefined) masked[key] = SECRET_KEPT;
      return [masked];
    }),
    display: structuredClone(display),
    webHost: { ...webHost },
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
  stored: ConfigLike,
  encrypt?: (plain: string) => string,
): { raw: Record<string, unknown>; config: AppConfig } {
  if (typeof document !== 'object' || document === null) throw new ConfigError('settings are not valid:\n  (root): expected an object');
  const raw = structuredClone(document) as Record<string, unknown>;
  const accounts = Array.isArray(raw.accounts) ? (raw.accounts as Array<Record<string, unknown>>) : [];
  const problems: string[] = [];
  accounts.forEach((account, i) => {
    const before = (Array.isArray(stored.accounts) ? (stored.accounts as Array<Record<string, unknown>>) : []).find((a) => a?.id === account.id);
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
  const automation = raw.automation;
  if (typeof automation === 'object' && automation !== null && Array.isArray((automation as { clients?: unknown }).clients)) {
    const storedAutomation = stored.automation as { clients?: unknown } | undefined;
    const storedClients = Array.isArray(storedAutomation?.clients) ? (storedAutomation.clients as Array<Record<string, unknown>>) : [];
    ((automation as { clients: unknown[] }).clients).forEach((client, i) => {
      if (typeof client !== 'object' || client === null) return;
      const entry = client as Record<string, unknown>;
      const before = storedClients.find((c) => c?.name === entry.name);
      if (isKept(entry.token)) {
        if (before?.token === undefined) problems.push(`  automation.clients[${i}].token: nothing is stored yet; type it`);
        else entry.token = before.token;
      } else if (typeof entry.token === 'string' && entry.token !== '' && encrypt) {
        entry.token = { encrypted: encrypt(entry.token) };
      }
    });
  }
  if (problems.length) throw new ConfigError(`settings are not valid:\n${problems.join('\n')}`);
  return { raw, config: parseConfig(raw, 'settings') };
}

/**
 * Who keeps read-only settings, which says how the agent changes them:
 * - `managed`: the desktop app reads a config file an administrator manages (`--config PATH`);
 * - `web-host`: `npm run start:web` reads a config file (`path`), or none and runs the demo;
 * - `defaults`: nothing was configured (the core's own defaults, as in tests).
 */
export type ReadOnlyOrigin = { kind: 'managed'; path?: string | undefined } | { kind: 'web-host'; path?: string | undefined; demo?: boolean } | { kind: 'defaults' };

/**
 * Why read-only settings cannot be changed in the window, and how to change them (issue 11, point 8:
 * "say where the settings come from and how to change them, never 'an administrator' when there is
 * none").
 */
export function readOnlyNote(origin: ReadOnlyOrigin, source: string): string {
  switch (origin.kind) {
    case 'managed':
      return `Your administrator manages these settings in ${origin.path ?? source}, so they cannot be changed here; ask them for a change.`;
    case 'web-host':
      if (!origin.path) {
        return origin.demo
          ? 'The web host is running the demo, with no config file. To use your own accounts, write a config file and start it with `npm run start:web -- --config PATH`.'
          : 'The web host read no config file. Write one and start it with `npm run start:web -- --config PATH`.';
      }
      return `Read from ${origin.path}. To change them, edit that file and restart \`npm run start:web\`.`;
    case 'defaults':
      return 'Nothing is configured: these are the built-in defaults. Start Agent Companion with `--config PATH` to use your own accounts.';
  }
}

/** Settings read from a file an administrator manages, the web host's, or the defaults: shown, never written. */
export class ReadOnlySettings implements SettingsStore {
  constructor(
    private readonly config: AppConfig,
    private readonly source: string,
    private readonly problems: readonly string[] = [],
    private readonly origin: ReadOnlyOrigin = { kind: 'defaults' },
    /** The fields a policy of the OS sets, and by what. */
    private readonly managed: Readonly<Record<string, ManagedBy>> = {},
  ) {}
  view(): SettingsView {
    return {
      ...(Object.keys(this.managed).length ? { managed: { ...this.managed } } : {}),
      editable: false,
      source: this.source,
      readOnlyNote: readOnlyNote(this.origin, this.source),
      settings: maskSecrets(this.config),
      vendors: accountForms(),
      problems: [...this.problems],
    };
  }
  async save(_document: unknown): Promise<void> {
    throw new ConfigError(`these settings are managed in ${this.source}; change them there`);
  }
}

/** What the host knows of its settings store beyond the parsed config. */
export interface StoredSettingsExtras {
  /** Why the stored settings could not be used (the screen opens with them). */
  problems?: readonly string[];
  /** What protects secrets at rest here. */
  secrets?: SecretStorage;
  /** The stored document as written (shown for correction when it is not valid; the source of kept secrets). */
  raw?: Record<string, unknown>;
  /** The OS's policies: their fields are shown as in effect (above the stored ones) and marked managed. */
  policies?: { document: Record<string, unknown>; managed: Readonly<Record<string, ManagedBy>> };
}

/** Editable settings kept by the host (Electron: electron-store + safeStorage). */
export class StoredSettings implements SettingsStore {
  private raw: ConfigLike;
  private problems: readonly string[];
  constructor(
    current: AppConfig,
    private readonly source: string,
    private readonly persist: (raw: Record<string, unknown>, config: AppConfig) => Promise<void>,
    private readonly encrypt?: (plain: string) => string,
    private readonly extras: StoredSettingsExtras = {},
  ) {
    this.raw = extras.raw ?? current;
    this.problems = extras.problems ?? [];
  }
  view(): SettingsView {
    const policies = this.extras.policies;
    const shown = policies ? applyPolicies(this.raw as Record<string, unknown>, policies.document) : this.raw;
    const view: SettingsView = { editable: true, source: this.source, settings: maskSecrets(shown), vendors: accountForms(), problems: [...this.problems] };
    if (this.extras.secrets) view.secrets = { ...this.extras.secrets };
    if (policies && Object.keys(policies.managed).length) view.managed = { ...policies.managed };
    return view;
  }
  async save(document: unknown): Promise<void> {
    const { raw, config } = restoreSecrets(document, this.raw, this.encrypt);
    await this.persist(raw, config);
    this.raw = raw;
    this.problems = [];
  }
}
