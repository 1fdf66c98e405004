/**
 * The settings the window shows and edits, as the contract carries them: the document (the config
 * file's shape, secrets masked by {@link SECRET_KEPT}), the view around it, the account form's
 * fields, the theme choices and what protects stored secrets.
 *
 * In `common/` because the window needs their run-time values (`THEMES` for its theme menu,
 * `SECRET_KEPT` to send a kept secret back) as well as their types, and the window's type check
 * must not reach into `main/` (where it would meet Node). The main side builds on them:
 * `main/config.ts` validates `display.theme` against {@link THEMES}, `main/settings.ts` masks and
 * restores secrets with {@link SECRET_KEPT} and serves the {@link SettingsView}; the contract
 * (`preload/bridge.ts`) re-exports them. Nothing outside `common/` is imported (a lint rule).
 */
import type { ApiScope } from './automation.js';
import type { Locale } from './locales.js';
import type { Json } from './model.js';

/** The window's theme choices: follow the OS, or always light or dark. */
export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

/** The log levels, most detailed first (pino's); `display.logLevel` and `--log-level` take one. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Stands in for a stored secret: the window never receives secrets; sending this back keeps it. */
export const SECRET_KEPT = Object.freeze({ kept: true as const });
export type SecretKept = typeof SECRET_KEPT;

/** The settings document: the config file's schema (`docs/configuration.md`), secrets masked by {@link SECRET_KEPT}. */
export type SettingsDocument = {
  accounts: SettingsAccount[];
  display: {
    theme: Theme;
    /** The desk's language; absent: the agent's preferred languages choose (`common/i18n.ts`, `chooseLocale`). */
    language?: Locale;
    toasts: { calls: boolean; chats: boolean; callsThroughDnd?: boolean };
    /** Whether screen pops open by themselves (`auto`, the default) or only from the call (`off`). */
    screenPop?: 'auto' | 'off';
    /** Start at login, in the tray (the desktop app on Windows and macOS). */
    startAtLogin?: boolean;
    /** The window's ring: sound on or off, and the output device's id (absent: the system default). Absent: sound on, default output. */
    ring?: { sound: boolean; device?: string };
    /** How much the log files say (default `info`; `debug` or `trace` when support asks for more). */
    logLevel?: LogLevel;
  };
  webHost?: { port: number };
  /** The hosts screen pops may open (an administrator's list; the window shows it, never edits it). */
  screenPop?: { allowedHosts: string[] };
  /**
   * The local automation API (issue 20): on or off, its port, whether apps may ask to pair, and the
   * apps an administrator allowed (their tokens masked; the window shows them, never edits them).
   */
  automation?: {
    enabled: boolean;
    port: number;
    pairing: boolean;
    clients: Array<{ name: string; origin?: string; scopes: ApiScope[]; token: SecretKept }>;
  };
};

/** One account in a settings document: its id, its platform, and its platform's own fields. */
export type SettingsAccount = { [field: string]: Json | undefined; id: string; vendor: string };

/** One field of an account form, described by the main process so the window needs no vendor knowledge. */
export type SettingsField = {
  /** The account property it edits. */
  key: string;
  label: string;
  /** `choices`: several of `choices`; `list`: free values, shown and typed comma-separated. */
  kind: 'text' | 'email' | 'url' | 'secret' | 'choices' | 'list';
  required: boolean;
  /** For `choices`: the values offered (several may be chosen). */
  choices?: string[];
  /** One line of help, shown under the field. */
  help?: string;
};

/** What the settings screen shows. */
export type SettingsView = {
  /** False when an administrator manages the settings (a config file): the screen is read-only. */
  editable: boolean;
  /** Where the settings live, in words (e.g. the config file's path). */
  source: string;
  /**
   * When the settings cannot be changed here: why, and how to change them, in words for the agent
   * (the config file to edit and the command to restart with, the administrator who manages them, or
   * how to leave the demo). Never names an administrator where there is none (issue 11, point 8).
   */
  readOnlyNote?: string;
  settings: SettingsDocument;
  /** The platforms an account can be for, with their fields. */
  vendors: Array<{ id: string; name: string; fields: SettingsField[] }>;
  /** Why the settings as stored could not be used, one line per field (the screen opens with them). */
  problems: string[];
  /** What protects secrets stored here (the desktop app); absent where none are stored. */
  secrets?: SecretStorage;
  /**
   * The fields a policy of the OS sets (issue 22), by dotted path (`display.theme`), each with the
   * policy and where it is set: the screen shows them as managed and does not let them be changed.
   */
  managed?: Record<string, ManagedBy>;
};

/** The policy that sets a field, and where (the admin's words, shown as they are). */
export type ManagedBy = {
  /** The policy's name, e.g. `Theme`. */
  policy: string;
  /** Where it is set, e.g. `HKLM\SOFTWARE\Policies\AgentCompanion` or `/etc/agent-companion/policy.json`. */
  source: string;
};

/** What protects secrets at rest, in words the agent and the admin can act on. */
export type SecretStorage = {
  /** False when stored secrets are only obfuscated (Linux without a keyring) or cannot be stored. */
  protected: boolean;
  note: string;
};

/**
 * What the window needs to choose its language (issue 19): the settings' choice and the system's
 * preferred languages as the host knows them; the window adds its own (`navigator.languages`) and
 * chooses with `chooseLocale` (`common/i18n.ts`).
 */
export type WindowLanguage = {
  /** `display.language` from the settings or the managed config; absent: follow the system. */
  language?: Locale;
  /**
   * The OS's preferred languages, most preferred first (BCP 47): the desktop app's
   * `app.getPreferredSystemLanguages()`; empty in the web host, where the browser's are the agent's.
   */
  system: string[];
};
