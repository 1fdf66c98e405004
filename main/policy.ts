/**
 * Policies from the OS (issue 22, point 3), above the agent's own settings, as Chrome's and
 * Mattermost's are: an administrator sets a field once for every desk through the tools they
 * already run (Group Policy, an MDM profile, a file pushed by configuration management).
 *
 * | OS | where | read with |
 * |---|---|---|
 * | Windows | `HKLM\SOFTWARE\Policies\AgentCompanion`, then `HKCU\SOFTWARE\Policies\AgentCompanion` | winreg (`reg.exe`) |
 * | macOS | `/Library/Managed Preferences/<appId>.plist` (what an MDM profile installs) | plist (XML or binary) |
 * | Linux | `/etc/agent-companion/policy.json` | JSON |
 *
 * Each policy key ({@link POLICY_KEYS}) names one config field; the value is validated by the
 * config's own schema, and a mistake names the policy source and the key. Where both a machine and
 * a user policy set a key, the machine's wins (Chrome's rule). Every OS is read through one
 * interface ({@link PolicySource}), which the tests fake per OS.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parsePlist, parseBinary as parseBinaryPlist } from 'plist';
import type { ManagedBy } from '../common/settings.js';
import { ConfigError, parseConfig } from './config.js';

export { applyPolicies } from './config.js';

/** One policy key: the config field it sets and the kind of value the OS stores. */
export interface PolicyKey {
  /** The config field, as a dotted path (`display.theme`). */
  field: string;
  /** How the OS stores it (a registry DWORD holds a boolean or a number; a list is REG_MULTI_SZ or a plist array). */
  kind: 'boolean' | 'number' | 'string' | 'list';
  /** What it does, for docs/deployment.md. */
  description: string;
}

/**
 * Every policy key, by name: the table docs/deployment.md shows is written from this. Keys name
 * the field they set; values are checked by the config schema (`main/config.ts`).
 */
export const POLICY_KEYS = {
  LogLevel: { field: 'display.logLevel', kind: 'string', description: 'How much the log files say: `trace`, `debug`, `info`, `warn`, `error` or `fatal`.' },
  Theme: { field: 'display.theme', kind: 'string', description: 'The window theme: `system`, `light` or `dark`.' },
  CallToasts: { field: 'display.toasts.calls', kind: 'boolean', description: 'Raise an OS notification for a ringing call.' },
  ChatToasts: { field: 'display.toasts.chats', kind: 'boolean', description: 'Raise an OS notification for a chat invitation.' },
  CallsThroughDoNotDisturb: { field: 'display.toasts.callsThroughDnd', kind: 'boolean', description: "A ringing call's notification asks to get through the OS do-not-disturb." },
  ScreenPop: { field: 'display.screenPop', kind: 'string', description: 'Screen pops open by themselves (`auto`) or only from the call (`off`).' },
  StartAtLogin: { field: 'display.startAtLogin', kind: 'boolean', description: 'Start in the tray when the agent logs in (Windows, macOS).' },
  ScreenPopAllowedHosts: { field: 'screenPop.allowedHosts', kind: 'list', description: 'The hosts a screen pop may open (`crm.example.com`, `*.example.com`).' },
  AutomationApi: { field: 'automation.enabled', kind: 'boolean', description: 'Serve the local automation API on 127.0.0.1.' },
  AutomationApiPort: { field: 'automation.port', kind: 'number', description: "The automation API's port." },
  AutomationApiPairing: { field: 'automation.pairing', kind: 'boolean', description: 'Apps may ask the agent to pair with the automation API.' },
  WebHostPort: { field: 'webHost.port', kind: 'number', description: "The web host's port on 127.0.0.1." },
  Updates: { field: 'updates.enabled', kind: 'boolean', description: 'Check the update server (off by default for a managed install). Needs `UpdateUrl`.' },
  UpdateUrl: { field: 'updates.url', kind: 'string', description: "The update server's folder (https): electron-updater's `generic` layout, `latest.yml` and the installers it names." },
  UpdateChannel: { field: 'updates.channel', kind: 'string', description: 'Which releases: `latest`, `beta` or `alpha`.' },
  UpdateCheckHours: { field: 'updates.checkEveryHours', kind: 'number', description: 'Hours between checks (1–168; each desk adds up to a fifth at random).' },
  CrashReportUrl: { field: 'crashReports.uploadUrl', kind: 'string', description: 'Send crash reports (minidumps) to this https address; none: they stay on the computer.' },
} as const satisfies Record<string, PolicyKey>;

export type PolicyName = keyof typeof POLICY_KEYS;

/** The policies one place holds: where, in words, and the values by key as the OS stored them. */
export interface PolicySet {
  /** E.g. `HKLM\SOFTWARE\Policies\AgentCompanion`, `/etc/agent-companion/policy.json`. */
  source: string;
  values: Record<string, unknown>;
}

/** Reads the OS's policies: every place that holds some, the strongest first. */
export interface PolicySource {
  read(): Promise<PolicySet[]>;
}

/** The policies in effect: the config fields they set, and the problems of those that could not be used. */
export interface Policies {
  /** A partial config document holding the fields policies set (merged over the agent's settings). */
  document: Record<string, unknown>;
  /** For each field a policy sets: which policy, and where. */
  managed: Record<string, ManagedBy>;
  /** One line per policy that could not be used, naming its source and key. */
  problems: string[];
}

/** The app's id (electron-builder.yml `appId`), which names the macOS managed preferences file. */
export const APP_ID = 'com.agentcompanion.desktop';

/** The Linux policy file. */
export const LINUX_POLICY_FILE = '/etc/agent-companion/policy.json';
/** The registry key under HKLM and HKCU. */
export const WINDOWS_POLICY_KEY = '\\SOFTWARE\\Policies\\AgentCompanion';
/** The macOS managed preferences folder; the file is `<appId>.plist`. */
export const MACOS_MANAGED_PREFERENCES = '/Library/Managed Preferences';

/** A value as the OS stored it, converted to the kind the key wants (a DWORD `0x1` is `true` for a boolean key). */
function convert(kind: PolicyKey['kind'], value: unknown): unknown {
  if (kind === 'boolean' && (typeof value === 'number' || /^(0x[0-9a-f]+|\d+)$/i.test(String(value)))) return Number(value) !== 0;
  if (kind === 'number' && typeof value === 'string' && /^(0x[0-9a-f]+|\d+)$/i.test(value)) return Number(value);
  if (kind === 'list' && typeof value === 'string') return value.split(/\\0|\n/).filter(Boolean);
  return value;
}

/** Sets `value` at the dotted `path` of `target`, creating objects on the way. */
function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let at = target;
  for (const part of parts.slice(0, -1)) at = (at[part] ??= {}) as Record<string, unknown>;
  at[parts.at(-1)!] = value;
}

/**
 * The policies in effect from what the OS holds: each known key converted and checked alone
 * against the config schema; the first source (the strongest) that sets a field wins. An unknown
 * key or a value the schema refuses is a problem naming the source and the key, and is left out.
 */
export function resolvePolicies(sets: readonly PolicySet[]): Policies {
  const document: Record<string, unknown> = {};
  const managed: Record<string, ManagedBy> = {};
  const problems: string[] = [];
  for (const set of sets) {
    for (const [name, raw] of Object.entries(set.values)) {
      const key = (POLICY_KEYS as Record<string, PolicyKey>)[name];
      if (!key) {
        problems.push(`${set.source}: ${name}: unknown policy; the policies are ${Object.keys(POLICY_KEYS).join(', ')}`);
        continue;
      }
      if (managed[key.field]) continue;
      const value = convert(key.kind, raw);
      const alone: Record<string, unknown> = {};
      setPath(alone, key.field, value);
      try {
        parseConfig(alone, set.source);
      } catch (error) {
        const lines = error instanceof ConfigError ? error.message.split('\n').slice(1).map((line) => line.trim()) : [String(error)];
        for (const line of lines) problems.push(`${set.source}: ${name} (${line})`);
        continue;
      }
      setPath(document, key.field, value);
      managed[key.field] = { policy: name, source: set.source };
    }
  }
  return { document, managed, problems };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** How the policy readers reach the OS (the tests give fakes). */
export interface PolicyOs {
  /** Reads a file; undefined when it does not exist. */
  readFile(path: string): Promise<Buffer | undefined>;
  /** A registry key's values (`HKLM` or `HKCU`); empty when the key does not exist. */
  registryValues(hive: 'HKLM' | 'HKCU', key: string): Promise<Array<{ name: string; type: string; value: string }>>;
}

/** A file's bytes, or undefined when it is not there. */
async function readIfThere(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** The registry through winreg (`reg.exe query`), loaded only on Windows. */
async function winregValues(hive: 'HKLM' | 'HKCU', key: string): Promise<Array<{ name: string; type: string; value: string }>> {
  const { default: Registry } = await import('winreg');
  const registry = new Registry({ hive: hive === 'HKLM' ? Registry.HKLM : Registry.HKCU, key });
  return new Promise((resolve, reject) => {
    registry.keyExists((error, exists) => {
      if (error) return reject(error);
      if (!exists) return resolve([]);
      registry.values((valuesError, items) => (valuesError ? reject(valuesError) : resolve(items.map((item) => ({ name: item.name, type: item.type, value: item.value })))));
    });
  });
}

/** The real OS. */
export const REAL_OS: PolicyOs = { readFile: readIfThere, registryValues: winregValues };

/** A registry value as the policy wants it: REG_MULTI_SZ as a list, REG_DWORD as its number. */
function registryValue(item: { type: string; value: string }): unknown {
  if (item.type === 'REG_MULTI_SZ') return item.value.split('\\0').filter(Boolean);
  if (item.type === 'REG_DWORD' || item.type === 'REG_QWORD') return Number(item.value);
  return item.value;
}

/**
 * The policy source of an OS.
 * @param appId the app's id (`com.agentcompanion.desktop`), naming the macOS plist.
 * @param os how files and the registry are read (default: the real ones).
 * `read()` rejects with a {@link ConfigError} naming the place when it cannot be read or parsed
 * ({@link readPolicies} turns that into a problem).
 */
export function policySource(platform: NodeJS.Platform, appId: string, os: PolicyOs = REAL_OS): PolicySource {
  switch (platform) {
    case 'win32':
      return {
        async read() {
          const sets: PolicySet[] = [];
          for (const hive of ['HKLM', 'HKCU'] as const) {
            const items = await os.registryValues(hive, WINDOWS_POLICY_KEY);
            if (items.length) sets.push({ source: `${hive}${WINDOWS_POLICY_KEY}`, values: Object.fromEntries(items.map((item) => [item.name, registryValue(item)])) });
          }
          return sets;
        },
      };
    case 'darwin':
      return {
        async read() {
          const path = join(MACOS_MANAGED_PREFERENCES, `${appId}.plist`);
          const bytes = await os.readFile(path);
          if (!bytes) return [];
          let parsed: unknown;
          try {
            parsed = bytes.subarray(0, 6).toString('latin1') === 'bplist' ? parseBinaryPlist(bytes) : parsePlist(bytes.toString('utf8'));
          } catch (error) {
            throw new ConfigError(`${path} is not a property list: ${(error as Error).message}`);
          }
          if (!isObject(parsed)) throw new ConfigError(`${path} must hold a dictionary of policies`);
          return [{ source: path, values: parsed }];
        },
      };
    default:
      return {
        async read() {
          const bytes = await os.readFile(LINUX_POLICY_FILE);
          if (!bytes) return [];
          let parsed: unknown;
          try {
            parsed = JSON.parse(bytes.toString('utf8'));
          } catch (error) {
            throw new ConfigError(`${LINUX_POLICY_FILE} is not valid JSON: ${(error as Error).message}`);
          }
          if (!isObject(parsed)) throw new ConfigError(`${LINUX_POLICY_FILE} must hold a JSON object of policies`);
          return [{ source: LINUX_POLICY_FILE, values: parsed }];
        },
      };
  }
}

/**
 * Reads and resolves the OS's policies; a source that cannot be read is one problem naming it.
 */
export async function readPolicies(source: PolicySource): Promise<Policies> {
  try {
    return resolvePolicies(await source.read());
  } catch (error) {
    return { document: {}, managed: {}, problems: [error instanceof Error ? error.message : String(error)] };
  }
}
