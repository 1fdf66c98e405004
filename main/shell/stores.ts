/**
 * The desktop app's files in `userData` (electron-store in the app; JSON files in the tests) and
 * what the core builds on them:
 * - the configuration: a managed config file (read-only; `--config` or `AGENT_COMPANION_CONFIG`),
 *   else the settings store, validated by the same schema; saving settings restarts the app;
 * - the call history (`history.json`) and the agent's remembered choices (`preferences.json`), each
 *   checked first: a file that cannot be used is moved aside, said once, and never written over.
 */
import { join } from 'node:path';
import { readJsonOrSetAside, SetAsideError, SIZE_CAPS } from '../capped-file.js';
import { loadConfiguration, type Configuration } from '../config.js';
import type { DeskPreferences } from '../desk/desk.js';
import { HistoryReadError, type HistoryStore } from '../desk/history.js';
import type { ShellElectron } from '../electron-api.js';
import { checkHistoryFile } from '../history-file.js';
import type { Logger } from '../log.js';
import { documentPreferences, type PreferenceDocument } from '../preferences.js';
import { ReadOnlySettings, StoredSettings, type SettingsStore } from '../settings.js';
import { secretStorageOf, type Keychain } from './secrets.js';
import { readPolicies, type Policies, type PolicySource } from '../policy.js';

/** The settings store the desktop app keeps (electron-store in the app; a JSON file in tests). */
export interface SettingsFile {
  /** The whole document; `{}` when nothing was ever saved. Assigning it writes the file. */
  store: Record<string, unknown>;
  readonly path: string;
}

/** How the shell opens its files (the entry point passes electron-store; the tests JSON files). */
export interface StoreOpeners {
  /** Opens the settings store (called after the app is ready, unless a config file is managed). */
  openSettingsFile(): SettingsFile;
  /**
   * Opens the call history's own store (electron-store `name: 'history'`, so the file
   * `history.json` in `userData`), called after the app is ready and after that file was checked
   * (a file that cannot be used is moved aside first, `history-file.ts` `checkHistoryFile`). May
   * throw (a file that went bad in between). Absent: the history lives as long as the app.
   */
  openHistoryFile?(): SettingsFile;
  /**
   * Opens the agent's remembered choices (electron-store `name: 'preferences'`, so the file
   * `preferences.json` in `userData`), after that file was checked (one that cannot be used is moved
   * aside first, so it cannot stop the app); in memory when absent.
   */
  openPreferencesFile?(): PreferenceDocument;
  /**
   * Opens where the automation API keeps the apps the agent paired (electron-store
   * `name: 'api-clients'`, so `api-clients.json` in `userData`: names, origins, scopes and the
   * tokens' SHA-256, never a token), checked like the preferences; in memory when absent.
   */
  openAutomationFile?(): PreferenceDocument;
}

/** What the core is started with, from the files. */
export interface Stores {
  loaded: Configuration;
  /** Whether an administrator manages this install: a config file, or any policy of the OS. */
  managedInstall: boolean;
  /** What the settings screen edits. */
  settings: SettingsStore;
  history?: HistoryStore;
  preferences?: DeskPreferences;
  /** Where the automation API keeps paired apps. */
  automation?: PreferenceDocument;
}

/** What {@link openStores} needs besides Electron. */
export interface StoresOptions extends StoreOpeners {
  argv: readonly string[];
  env?: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  log: Logger;
  keychain: Keychain;
  /** The OS's policies (`main/policy.ts`), above the settings. */
  policies?: PolicySource;
}

/**
 * Loads the configuration and opens the stores (after `ready`). Invalid settings are logged and
 * carried in `loaded.problems` (the window opens the settings screen on them, never the demo).
 */
export async function openStores(electron: ShellElectron, options: StoresOptions): Promise<Stores> {
  const { argv, env, log } = options;
  const managed = argv.includes('--config') || argv.some((a) => a.startsWith('--config=')) || env?.AGENT_COMPANION_CONFIG;
  const file = managed ? undefined : options.openSettingsFile();
  const policies = options.policies ? await readPolicies(options.policies) : undefined;
  if (policies?.problems.length) log.error({ problems: policies.problems }, 'some policies of the OS could not be used; they are left out');
  const loaded = await loadConfiguration({ argv, env, store: file && { document: file.store, path: file.path }, policies });
  const preferences = checkedDocument(electron, options.openPreferencesFile, log, PREFERENCES);
  const automation = checkedDocument(electron, options.openAutomationFile, log, PAIRED_APPS);
  if (loaded.problems.length) log.error({ problems: loaded.problems }, 'the settings are not valid; opening the settings screen');
  return {
    loaded,
    managedInstall: Boolean(managed) || Object.keys(loaded.managed).length > 0,
    preferences: preferences && documentPreferences(preferences, log),
    settings: settingsStore(electron, loaded, file, options, policies),
    history: historyStore(electron, options.openHistoryFile, log),
    ...(automation ? { automation } : {}),
  };
}

/** Where electron-store keeps the store of a name: `<name>.json` in `userData` (its default `cwd`). */
function storePath(electron: ShellElectron, name: string): string {
  return join(electron.app.getPath('userData'), `${name}.json`);
}

/** The settings screen's store: read-only for a managed file; else the settings store, which restarts the app once saved. */
function settingsStore(electron: ShellElectron, loaded: Configuration, file: SettingsFile | undefined, options: StoresOptions, policies: Policies | undefined): SettingsStore {
  const { app } = electron;
  const secrets = secretStorageOf(electron, options.platform);
  if (!file) return new ReadOnlySettings(loaded.config, `${loaded.source}, managed by your administrator`, loaded.problems, { kind: 'managed', path: loaded.path }, loaded.managed);
  const persist = async (raw: Record<string, unknown>): Promise<void> => {
    file.store = raw;
    options.log.info('settings saved; restarting to apply them');
    setTimeout(() => {
      app.relaunch();
      app.quit();
    }, 500);
  };
  return new StoredSettings(loaded.config, loaded.source, persist, options.keychain.encrypt, { problems: loaded.problems, secrets, raw: file.store, ...(policies ? { policies } : {}) });
}

/**
 * The call history's store over electron-store. Its file is checked first, as the web host's is
 * (`checkHistoryFile`): one that is too large, not a file, unreadable or not JSON is moved aside
 * under a timestamped name, and the store's first read reports it, so the log and the window say
 * so once (`loadHistory`) and the next write cannot replace it. electron-store alone would throw
 * on such a file, or with `clearInvalidConfig` read it as empty and overwrite it.
 */
function historyStore(electron: ShellElectron, open: (() => SettingsFile) | undefined, log: Logger): HistoryStore | undefined {
  if (!open) return undefined;
  const path = storePath(electron, 'history');
  let problem: HistoryReadError | undefined;
  try {
    checkHistoryFile(path);
  } catch (error) {
    if (!(error instanceof HistoryReadError)) throw error;
    problem = error;
  }
  let file: SettingsFile | undefined;
  if (!problem || problem.details.keep) {
    try {
      file = open();
    } catch (error) {
      log.error({ path, reason: (error as Error).message }, 'the call history file cannot be opened; the history is kept only until the app quits');
      return undefined;
    }
  }
  return {
    where: path,
    read: () => {
      if (problem) {
        const reported = problem;
        problem = undefined;
        throw reported;
      }
      const document = file?.store ?? {};
      return Object.keys(document).length ? document : undefined;
    },
    write: (document) => {
      if (!file) throw new Error(`the call history is not written: ${path} could not be read nor moved aside`);
      file.store = document as unknown as Record<string, unknown>;
    },
  };
}

/** A small JSON store of `userData`: its name, and how the log speaks of it. */
interface SmallStore {
  name: string;
  /** "The preferences file", as the set-aside message starts. */
  what: string;
  /** What the agent loses when it cannot be used. */
  empty: string;
  /** What happens when it cannot even be opened. */
  unopened: string;
}

const PREFERENCES: SmallStore = {
  name: 'preferences',
  what: 'The preferences file',
  empty: 'The preferences start empty.',
  unopened: 'the preferences file cannot be opened; remembered choices last until the app quits',
};

const PAIRED_APPS: SmallStore = {
  name: 'api-clients',
  what: 'The automation API’s paired apps file',
  empty: 'Apps must pair again.',
  unopened: 'the automation API’s paired apps file cannot be opened; pairings last until the app quits',
};

/**
 * A small store (the agent's remembered choices, the automation API's paired apps) over
 * electron-store, its file checked first: one that is too large or not JSON is moved aside (said
 * once), so it cannot stop the app; in memory (`undefined`) when it cannot be opened at all.
 */
function checkedDocument(electron: ShellElectron, open: (() => PreferenceDocument) | undefined, log: Logger, store: SmallStore): PreferenceDocument | undefined {
  if (!open) return undefined;
  const path = storePath(electron, store.name);
  try {
    readJsonOrSetAside(path, SIZE_CAPS.preferences, store.what);
  } catch (error) {
    if (!(error instanceof SetAsideError)) throw error;
    log.warn({ path }, `${error.message} ${store.empty}`);
  }
  try {
    return open();
  } catch (error) {
    log.error({ path, reason: (error as Error).message }, store.unopened);
    return undefined;
  }
}
