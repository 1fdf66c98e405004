/**
 * Settings: one schema for the managed-deployment config file and for what the Electron settings
 * store keeps. Validated with zod; every error names the field it is about, and an unknown field
 * names the nearest known one (`accounts[0].pasword: unknown field; did you mean "password"?`).
 *
 * Where it comes from: `--config PATH`, else the `AGENT_COMPANION_CONFIG` environment variable,
 * else (Electron) the settings store. Demo mode runs only when there is no configuration at all,
 * or when asked (`--demo`, `"demo": true`); a configuration without an enabled account is an empty
 * desk that says where it was read from.
 */
import { closest, distance } from 'fastest-levenshtein';
import { z } from 'zod';
import { readCapped, SIZE_CAPS } from './capped-file.js';
import { secretSchema, type SecretRef } from './vendors/kit/account.js';
import { LOG_LEVELS, THEMES, type ManagedBy } from '../common/settings.js';
import { LOCALES } from '../common/locales.js';
import { API_SCOPES } from '../common/automation.js';
import { normaliseAllowedHost } from './desk/screen-pop.js';
import { platforms, type ParsedAccount } from './vendors/index.js';

/** One account of any registered platform, told apart by `vendor` (the registry, `main/vendors/index.ts`). */
export const accountSchema = z.discriminatedUnion(
  'vendor',
  platforms().map((platform) => platform.schema) as unknown as [z.ZodObject, ...z.ZodObject[]],
  { error: (issue) => (issue.code === 'invalid_union' ? `must be one of ${platforms().map((p) => `"${p.id}"`).join(', ')}` : undefined) },
) as unknown as z.ZodType<ParsedAccount>;
/** An account of any registered platform (its platform's schema checks the rest). */
export type AccountConfig = ParsedAccount;

/** Display preferences. */
export const displaySchema = z
  .object({
    /** Window theme. */
    theme: z.enum(THEMES).default('system'),
    /**
     * The desk's language (issue 19): one of `LOCALES` (`common/i18n.ts`); absent: the OS's (the
     * desktop app) or the browser's (the web host) preferred languages choose. An unknown one names
     * those the desk speaks.
     */
    language: z.enum(LOCALES, { error: () => `must be one of ${LOCALES.map((l) => `"${l}"`).join(', ')}` }).optional(),
    /**
     * Which OS toasts to raise. `callsThroughDnd`: a ringing call's toast asks to get through the
     * OS do-not-disturb where the OS offers that (Windows Focus Assist priority, Linux critical
     * urgency; macOS has no public way); chat toasts always respect it.
     */
    toasts: z
      .object({ calls: z.boolean().default(true), chats: z.boolean().default(true), callsThroughDnd: z.boolean().default(true) })
      .strict()
      .prefault({}),
    /** Whether screen pops open in the browser by themselves (`auto`) or only from the call's "Open in CRM" (`off`). */
    screenPop: z.enum(['auto', 'off']).default('auto'),
    /** Start the desktop app when the agent logs in, in the tray with no window (Windows and macOS; not Linux). */
    startAtLogin: z.boolean().default(false),
    /**
     * The window's ring (issue 11): `sound` plays a ring while a call rings (a chime for a chat
     * invitation); `device` is the sound output's device id (`MediaDeviceInfo.deviceId`), absent
     * for the system's default output.
     */
    ring: z
      .object({ sound: z.boolean().default(true), device: z.string().max(200).optional() })
      .strict()
      .default({ sound: true }),
    /**
     * How much the log says (issue 22): `info` by default; `debug` or `trace` when support asks for
     * more. `--log-level` and the `AGENT_COMPANION_LOG` environment variable override it.
     */
    logLevel: z.enum(LOG_LEVELS).default('info'),
  })
  .strict();

/**
 * A host an admin lets screen pops open: `crm.example.com`, `crm.example.com:8443` (that port
 * only; without one, 443 only) or `*.example.com` (its subdomains).
 */
const allowedHostSchema = z
  .string()
  .max(253)
  .refine((entry) => normaliseAllowedHost(entry) !== undefined, 'must be a host name like "crm.example.com", "crm.example.com:8443" or "*.example.com"');

/** Screen pop settings every account's template obeys. */
export const screenPopSchema = z
  .object({
    /** The hosts a screen pop may open; an address off this list is refused (and the agent is told why). */
    allowedHosts: z.array(allowedHostSchema).max(100).default([]),
  })
  .strict();

/** The web host's own settings. */
export const webHostSchema = z
  .object({
    /** TCP port on 127.0.0.1; 0 picks a free one. */
    port: z.number().int().min(0).max(65535).default(0),
  })
  .strict();

/**
 * The automation API's default port: below 32768, so outside every OS's range of ephemeral ports
 * (Linux 32768–60999, Windows and macOS 49152–65535), where an outgoing connection could hold it
 * at the moment the app starts; not listed in `/etc/services`, and no common developer tool's [I].
 */
export const AUTOMATION_DEFAULT_PORT = 17123;

/** A web page's origin as browsers send it: `https://crm.example.com` or `http://localhost:8080`, nothing after the host. */
export const originSchema = z
  .string()
  .max(200)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
    } catch {
      return false;
    }
  }, 'must be a web origin like "https://crm.example.com" (scheme, host and port only, no path or trailing slash)');

/** An app an administrator lets use the automation API without pairing (its token from the environment, say). */
export const automationClientSchema = z
  .object({
    /** The name the desk shows (settings, the audit list, "Placed by …"). */
    name: z.string().trim().min(1).max(60),
    /** The web page's origin, when the app is a page: its requests are allowed from there (CORS). */
    origin: originSchema.optional(),
    /** What it may do (see `common/automation.ts`). */
    scopes: z.array(z.enum(API_SCOPES)).min(1, 'must name at least one scope').max(API_SCOPES.length),
    /** Its bearer token, a secret like the others (`{"env": "NAME"}` is the usual form); at least 32 characters. */
    token: secretSchema,
  })
  .strict();

/** The local automation API (issue 20; docs/automation-api.md). Off unless enabled. */
export const automationSchema = z
  .object({
    /** Serve the API on 127.0.0.1. */
    enabled: z.boolean().default(false),
    /** TCP port on 127.0.0.1 (0 picks a free one, for tests). */
    port: z.number().int().min(0).max(65535).default(AUTOMATION_DEFAULT_PORT),
    /** Whether apps may ask the agent to pair; false leaves only the apps listed in `clients`. */
    pairing: z.boolean().default(true),
    /** Apps allowed without pairing. */
    clients: z.array(automationClientSchema).max(50).default([]),
  })
  .strict();

/** An https address of an update or crash-report server (http only on loopback, for tests and trials). */
const serverUrlSchema = z
  .string()
  .max(500)
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'https:' || (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname));
    } catch {
      return false;
    }
  }, 'must be an https address like "https://updates.example.com/agent-companion/"');

/**
 * Updates (issue 22, docs/deployment.md): the desktop app checks an update server an administrator
 * runs (electron-updater's `generic` provider: `latest.yml`, `latest-mac.yml`, `latest-linux.yml`
 * and the files they name under `url`). Nothing is checked without a `url`; a managed install
 * (config file or OS policies) checks only when `enabled` says so.
 */
export const updatesSchema = z
  .object({
    /** Check for updates: absent, on for an unmanaged install that has a `url`, off for a managed one. */
    enabled: z.boolean().optional(),
    /** The update server's folder. */
    url: serverUrlSchema.optional(),
    /** Which releases: `latest` (stable), `beta` or `alpha` (each also takes the more stable ones). */
    channel: z.enum(['latest', 'beta', 'alpha']).default('latest'),
    /** Hours between checks (each desk adds up to a fifth at random, so a fleet is spread out). */
    checkEveryHours: z.number().min(1).max(168).default(6),
  })
  .strict();

/** Crash reports (issue 22): always kept on this computer; sent only to a server an administrator names. */
export const crashReportsSchema = z
  .object({
    /** Where Electron's crash reporter uploads minidumps (Crashpad's `submitURL`); none: nothing is sent. */
    uploadUrl: serverUrlSchema.optional(),
  })
  .strict();

/** The whole config file. */
export const configSchema = z
  .object({
    /** Run the built-in simulators instead of the accounts (a trial, a training room). */
    demo: z.boolean().default(false),
    accounts: z.array(accountSchema).default([]),
    display: displaySchema.prefault({}),
    screenPop: screenPopSchema.prefault({}),
    webHost: webHostSchema.default({ port: 0 }),
    automation: automationSchema.prefault({}),
    updates: updatesSchema.prefault({}),
    crashReports: crashReportsSchema.prefault({}),
  })
  .strict()
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.accounts.forEach((account, i) => {
      if (seen.has(account.id)) ctx.addIssue({ code: 'custom', path: ['accounts', i, 'id'], message: `"${account.id}" is used by another account` });
      seen.add(account.id);
    });
    const names = new Set<string>();
    config.automation.clients.forEach((client, i) => {
      if (names.has(client.name)) ctx.addIssue({ code: 'custom', path: ['automation', 'clients', i, 'name'], message: `"${client.name}" is used by another client` });
      names.add(client.name);
    });
  });
export type AppConfig = z.infer<typeof configSchema>;

/** A config that could not be used; `message` lists every problem, each with its field path. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)), '') || '(root)';
}

/** The keys an object schema accepts, unwrapping defaults, optionals and pipes. */
function objectKeys(schema: z.ZodType | undefined): string[] | undefined {
  let current: unknown = schema;
  for (let depth = 0; depth < 8 && current; depth++) {
    if (current instanceof z.ZodObject) return Object.keys(current.shape);
    if (current instanceof z.ZodDefault || current instanceof z.ZodPrefault || current instanceof z.ZodOptional || current instanceof z.ZodNullable) current = current.unwrap();
    else if (current instanceof z.ZodPipe) current = current.in;
    else return undefined;
  }
  return undefined;
}

/**
 * The schema of the object at `path` in `raw`, following arrays and discriminated unions (by the
 * raw object's discriminator), so an unknown field can be compared with the fields allowed there.
 */
function schemaAt(schema: z.ZodType, path: readonly PropertyKey[], raw: unknown): z.ZodType | undefined {
  let current: unknown = schema;
  let value: unknown = raw;
  for (const part of path) {
    for (let depth = 0; depth < 8; depth++) {
      if (current instanceof z.ZodDefault || current instanceof z.ZodPrefault || current instanceof z.ZodOptional || current instanceof z.ZodNullable) current = current.unwrap();
      else if (current instanceof z.ZodPipe) current = current.in;
      else break;
    }
    if (current instanceof z.ZodObject) current = (current.shape as Record<string, z.ZodType>)[String(part)];
    else if (current instanceof z.ZodArray) current = current.element;
    else return undefined;
    value = (value as Record<PropertyKey, unknown> | undefined)?.[part];
    if (current instanceof z.ZodDiscriminatedUnion) {
      const tag = current.def.discriminator;
      const wanted = (value as Record<string, unknown> | undefined)?.[tag];
      current = (current.options as z.ZodType[]).find((option) => objectKeys(option) && (option as z.ZodObject).shape[tag]?.def?.values?.includes(wanted));
    }
  }
  return current as z.ZodType | undefined;
}

/** One line per problem, each starting with its field path. */
function problemLines(error: z.ZodError, raw: unknown): string[] {
  return error.issues.flatMap((issue) => {
    if (issue.code !== 'unrecognized_keys') return [`${fieldPath(issue.path)}: ${issue.message}`];
    const known = objectKeys(schemaAt(configSchema, issue.path, raw)) ?? [];
    return issue.keys.map((key) => {
      const near = known.length ? closest(key, known) : undefined;
      const hint = near && isNear(key, near) ? `; did you mean "${near}"?` : known.length ? `; the fields here are ${known.join(', ')}` : '';
      return `${fieldPath([...issue.path, key])}: unknown field${hint}`;
    });
  });
}

/** Whether `near` is a plausible typo of `key`: a shared prefix or a small edit distance. */
function isNear(key: string, near: string): boolean {
  const a = key.toLowerCase();
  const b = near.toLowerCase();
  return a.startsWith(b) || b.startsWith(a) || distance(a, b) <= Math.max(2, Math.floor(b.length / 3));
}

/**
 * Validates a parsed config object.
 * @throws {ConfigError} naming each bad field, e.g. `accounts[0].user: Invalid email address`, and
 *   each unknown one with the nearest known field.
 */
export function parseConfig(raw: unknown, source = 'config'): AppConfig {
  const result = configSchema.safeParse(raw);
  if (result.success) return result.data;
  throw new ConfigError(`${source} is not valid:\n${problemLines(result.error, raw).map((line) => `  ${line}`).join('\n')}`);
}

/** Merges a policies' document over settings (objects merged, anything else replaced): what a policy sets wins. */
export function applyPolicies(settings: Record<string, unknown>, policies: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...settings };
  for (const [key, value] of Object.entries(policies)) {
    const below = out[key];
    const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
    out[key] = isObject(value) && isObject(below) ? applyPolicies(below, value) : value;
  }
  return out;
}

/**
 * Reads and validates a JSON config file. Its size is checked with `stat` before it is read: a file
 * larger than {@link SIZE_CAPS}.config (1 MB) is refused in one sentence naming the file and the cap.
 * @throws {ConfigError} when the file is missing, too large, cannot be read, is not JSON, or does
 *   not match the schema.
 */
export async function loadConfigFile(path: string, policies: Record<string, unknown> = {}): Promise<AppConfig> {
  let text: string | undefined;
  try {
    text = await readCapped(path, SIZE_CAPS.config, 'The config file');
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  if (text === undefined) throw new ConfigError(`cannot read the config file ${path}: there is no such file`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  return parseConfig(typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? applyPolicies(raw as Record<string, unknown>, policies) : raw, path);
}

/** The config file path from `--config PATH` / `--config=PATH`, else `AGENT_COMPANION_CONFIG`. */
export function configPathFrom(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--config') return argv[i + 1];
    if (arg.startsWith('--config=')) return arg.slice('--config='.length);
  }
  return env.AGENT_COMPANION_CONFIG || undefined;
}

/**
 * What a host runs: a validated config (or, when it is not valid, an empty one and the problems),
 * whether to run the demo, and where the settings came from, in words for the agent and the admin.
 */
export interface Configuration {
  config: AppConfig;
  /** True when the built-in simulators run instead of accounts. */
  demo: boolean;
  /** Where the settings were read, e.g. "the config file /etc/agent-companion.json". */
  source: string;
  /** The config file's path, when the settings came from one (the web host keeps its files beside it). */
  path?: string;
  /** Why the settings could not be used, one line per field; empty when they are valid. */
  problems: string[];
  /** The fields a policy of the OS sets, and by what (`main/policy.ts`); empty without policies. */
  managed: Record<string, ManagedBy>;
  /** Policies that could not be used (left out), one line each naming the source and the key. */
  policyProblems: string[];
}

/** Where {@link loadConfiguration} looks. */
export interface ConfigurationSources {
  argv: readonly string[];
  env?: NodeJS.ProcessEnv;
  /** The desktop app's settings store (absent in the web host); `{}` when nothing was ever saved. */
  store?: { document: Record<string, unknown>; path: string };
  /** The OS's policies (`main/policy.ts` `readPolicies`), set above the file or the store. */
  policies?: { document: Record<string, unknown>; managed: Record<string, ManagedBy>; problems: string[] };
}

/**
 * Decides what to run. A config file (`--config PATH` / `AGENT_COMPANION_CONFIG`) wins; else the
 * settings store; demo mode only with no configuration at all (no file, an empty store, or no
 * store: the web host without `--config`) or when asked (`--demo`, `"demo": true`). An invalid file
 * or store never falls back to the demo: the result carries the problems and no account.
 */
export async function loadConfiguration(sources: ConfigurationSources): Promise<Configuration> {
  const askedDemo = sources.argv.includes('--demo');
  const path = configPathFrom(sources.argv, sources.env);
  const policies = sources.policies?.document ?? {};
  const policy = { managed: sources.policies?.managed ?? {}, policyProblems: sources.policies?.problems ?? [] };
  const empty = parseConfig(policies);
  const invalid = (source: string, error: unknown): Configuration => ({
    ...policy,
    config: empty,
    demo: askedDemo,
    source,
    // A schema error lists its fields under a heading line; any other error is one sentence.
    problems: error instanceof ConfigError && error.message.includes('\n') ? error.message.split('\n').slice(1).map((line) => line.trim()) : [error instanceof Error ? error.message : String(error)],
  });
  if (path) {
    const source = `the config file ${path}`;
    try {
      const config = await loadConfigFile(path, policies);
      return { ...policy, config, demo: askedDemo || config.demo, source, path, problems: [] };
    } catch (error) {
      return { ...invalid(source, error), path };
    }
  }
  if (!sources.store) return { ...policy, config: empty, demo: true, source: 'no configuration (start with --config PATH to use your accounts)', problems: [] };
  const source = `this computer's settings (${sources.store.path})`;
  if (Object.keys(sources.store.document).length === 0) return { ...policy, config: empty, demo: true, source, problems: [] };
  try {
    const config = parseConfig(applyPolicies(sources.store.document, policies), 'settings');
    return { ...policy, config, demo: askedDemo || config.demo, source, problems: [] };
  } catch (error) {
    return invalid(source, error);
  }
}

/** The accounts that should connect. */
export function enabledAccounts(config: AppConfig): AccountConfig[] {
  return config.accounts.filter((a) => a.enabled);
}

/**
 * A secret that cannot be had here: its `{env}` variable is unset, or an encrypted one cannot be
 * decrypted. A configuration mistake, not a fault: logged as one line naming the account, the
 * field and the variable, without a stack (issue 16, point 9).
 */
export class SecretError extends ConfigError {
  override name = 'SecretError';
  constructor(
    message: string,
    /** The account field that holds the secret (`password`, say), when known. */
    readonly field?: string,
    /** The environment variable it points at (`{"env": "NAME"}`). */
    readonly variable?: string,
  ) {
    super(message);
  }
}

/**
 * Resolves a secret reference.
 * @param decrypt decrypts `{encrypted}` values (Electron `safeStorage`); absent in the web host.
 * @param field the account field it is the value of, named in the error.
 * @throws {SecretError} naming the field and the variable when `{env}` is unset, or when an
 *   encrypted secret cannot be decrypted here.
 */
export function resolveSecret(ref: SecretRef, env: NodeJS.ProcessEnv = process.env, decrypt?: (base64: string) => string, field?: string): string {
  if (typeof ref === 'string') return ref;
  const prefix = field ? `${field}: ` : '';
  if ('env' in ref) {
    const value = env[ref.env];
    if (!value) throw new SecretError(`${prefix}the environment variable ${ref.env} is not set (a secret in the config points at it)`, field, ref.env);
    return value;
  }
  if (!decrypt) throw new SecretError(`${prefix}an encrypted secret can only be read by the desktop app that stored it; use {"env": "NAME"} here`, field);
  try {
    return decrypt(ref.encrypted);
  } catch (error) {
    throw new SecretError(`${prefix}an encrypted secret could not be decrypted on this machine: ${(error as Error).message}`, field);
  }
}
