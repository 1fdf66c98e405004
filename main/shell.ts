/**
 * The Electron shell: it only wires the modules under `main/shell/` to the core (`app.ts`), so
 * reading it tells what the desktop app does and in which order (ARCHITECTURE.md, principle 2). It
 * takes Electron as a parameter ({@link ShellElectron}): `main/electron.ts` passes the real module,
 * the tests a typed fake, so this very code runs under `npm test` (principle 9). Each module owns
 * one thing and has one shape (`shell/env.ts` says how to add one):
 *
 * - `shell/protocol.ts`: the window's page served from `app://desk/`, with its CSP;
 * - `shell/window.ts`: one hardened window; closing it hides it to the tray; `--hidden` starts;
 * - `shell/ipc.ts`: the one wire over IPC, only with our own page (principle 8);
 * - `shell/tray.ts`: the tray icon, hover line and presence menu; flashing while a call rings;
 * - `shell/notifications.ts`: an OS notification per toast, closed when its moment passed;
 * - `shell/screen-pops.ts`: screen pops in the system browser, only the core's allowed ones;
 * - `shell/power.ts`: waking from sleep makes every connection prove it is alive;
 * - `shell/links.ts`: `tel:`/`callto:` links become the desk's pending dial (never dialled by itself);
 * - `shell/login-item.ts`: start at login in the tray;
 * - `shell/logs.ts`: the log also in rotating files in the OS's log folder;
 * - `shell/diagnostics.ts`: "Save diagnostics…" (the tray's item and the settings screen's) saves a zip where the agent says;
 * - `shell/crashes.ts`: crash dumps kept locally (sent only where a policy says); a crashed or hung page reloaded once;
 * - `shell/updates.ts`: updates from the administrator's server, the restart asked for and never during a call;
 * - `shell/stores.ts`, `shell/secrets.ts`: the settings (a managed config file, else the settings
 *   store), the call history and the remembered choices in `userData`; secrets encrypted with the
 *   OS keychain. Invalid settings open the settings screen with the problems, never the demo.
 *
 * The shell itself holds the app's life: the single-instance lock (a second launch shows the first
 * window), starting the core, and Quit: the core stops first (vendor sessions end cleanly, while the
 * tray and the toasts still follow it), then every module, then Electron.
 */
import { startCore, type Core } from './app.js';
import type { ShellElectron, ShellWindow } from './electron-api.js';
import type { Logger } from './log.js';
import type { ShellPaths, Stop } from './shell/env.js';
import { startIpc } from './shell/ipc.js';
import { startDialLinks, type DialLinksOptions } from './shell/links.js';
import { HIDDEN_SWITCH, startLoginItem } from './shell/login-item.js';
import { startNotifications } from './shell/notifications.js';
import { startPower } from './shell/power.js';
import { registerAppScheme, startAppProtocol } from './shell/protocol.js';
import { startScreenPops } from './shell/screen-pops.js';
import { keychain } from './shell/secrets.js';
import { openStores, type StoreOpeners } from './shell/stores.js';
import { startLogFiles } from './shell/logs.js';
import { desktopDiagnostics } from './shell/diagnostics.js';
import { APP_ID, policySource, type PolicySource } from './policy.js';
import type { LogFileOptions, LogSink } from './log-files.js';
import { startTray } from './shell/tray.js';
import { startCrashReporter } from './shell/crashes.js';
import { startUpdateChecks } from './shell/updates.js';
import type { Updater } from './updates.js';
import { denyPermissions, startWindow } from './shell/window.js';
import type { BackoffPolicy } from './vendors/kit/supervisor.js';

export type { SettingsFile } from './shell/stores.js';

export interface ShellOptions extends StoreOpeners {
  electron: ShellElectron;
  argv: readonly string[];
  env?: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  log: Logger;
  /** Where the built renderer, the built preload and the icons are. */
  paths: ShellPaths;
  /** Reconnect backoff for every connector (tests use a fast one). */
  backoff?: BackoffPolicy;
  /** The argv form `tel:` links launch the app with when it runs from source (`shell/links.ts`). */
  devLaunch?: DialLinksOptions['devLaunch'];
  /** The OS's policies (default: this OS's, `main/policy.ts`); the tests give a fake OS. */
  policies?: PolicySource;
  /** The sink `log` writes through: given, the log also goes to rotating files in `app.getPath('logs')` (`shell/logs.ts`). */
  logSink?: LogSink;
  /** The log files' size limit and how many are kept (tests make them small). */
  logRotation?: Omit<LogFileOptions, 'dir'>;
  /** electron-updater's `autoUpdater` (tests: a fake); none: no update checks (`shell/updates.ts`). */
  updater?: Updater;
  /** 0 ≤ x < 1, for the update checks' spread (tests pin it). */
  random?: () => number;
}

/** The running shell, for the entry point and the tests. */
export interface Shell {
  /** Settles when the app is up (window created), or rejects with why it could not start. */
  readonly ready: Promise<void>;
  /** The core while the app runs (undefined again once quitting began). */
  core(): Core | undefined;
  /** The desk window, once created. */
  window(): ShellWindow | undefined;
  /** False when another instance held the lock: this one quits at once. */
  readonly primary: boolean;
}

/**
 * Runs the Electron shell. Must be called before the app is ready (it registers the `app:`
 * protocol's privileges, which Electron accepts only then).
 */
export function runShell(options: ShellOptions): Shell {
  const { electron, log, platform, paths } = options;
  const { app } = electron;
  let core: Core | undefined;
  let quitting = false;
  /** What each started module returns to end it, in start order. */
  const stops: Stop[] = [];

  registerAppScheme(electron);
  const primary = app.requestSingleInstanceLock();
  if (!primary) {
    app.quit();
    return { ready: Promise.resolve(), core: () => undefined, window: () => undefined, primary };
  }
  // The two modules that exist before the core: a second launch or a link may come first.
  const window = startWindow(electron, () => core, { paths, log, hidden: options.argv.includes(HIDDEN_SWITCH) });
  const links = startDialLinks(electron, () => core, { argv: options.argv, log, window, devLaunch: options.devLaunch });

  async function boot(): Promise<void> {
    await app.whenReady();
    denyPermissions(electron);
    startAppProtocol(electron, paths.renderer);
    const keys = keychain(electron);
    const stores = await openStores(electron, { ...options, keychain: keys, policies: options.policies ?? policySource(platform, APP_ID) });
    const { config, demo, source, problems } = stores.loaded;
    const crashDir = startCrashReporter(electron, { log, crashReports: config.crashReports });
    const logFiles = options.logSink ? await startLogFiles(electron, { log, sink: options.logSink, argv: options.argv, env: options.env, config, rotation: options.logRotation }) : undefined;
    const running = await startCore({
      preferences: stores.preferences,
      config,
      demo,
      setup: { source, problems },
      settings: stores.settings,
      history: stores.history,
      automationStore: stores.automation,
      log,
      decrypt: keys.decrypt,
      env: options.env,
      backoff: options.backoff,
      diagnostics: desktopDiagnostics(electron, { logDir: logFiles?.dir, crashDir, managed: stores.loaded.managed, window: window.current, translator: () => core?.language.translator }),
      systemLanguages: () => app.getPreferredSystemLanguages(),
    });
    core = running;
    if (logFiles) stops.unshift(logFiles.stop);
    stops.push(
      startIpc(electron, running, { log, window: window.current }),
      startTray(electron, running, { platform, log, paths, window }),
      startNotifications(electron, running, { platform, window, callsThroughDnd: config.display.toasts.callsThroughDnd }),
      startScreenPops(electron, running, log),
      startPower(electron, running),
      startUpdateChecks(electron, running, { log, updater: options.updater, updates: config.updates, managed: stores.managedInstall, window: window.current, ...(options.random ? { random: options.random } : {}) }),
    );
    if (startLoginItem(electron, { platform, openAtLogin: config.display.startAtLogin }).openedAtLogin) window.keepHidden();
    window.open();
    links.ready();
  }

  app.on('before-quit', (event) => {
    if (!core || quitting) return;
    quitting = true;
    event.preventDefault();
    const running = core;
    core = undefined;
    void running.stop().finally(() => {
      for (const stop of stops.reverse()) {
        try {
          stop();
        } catch (error) {
          log.warn({ err: error }, 'a part of the app did not stop cleanly');
        }
      }
      app.quit();
    });
  });

  const ready = boot().catch((error: unknown) => {
    log.fatal({ err: error }, 'Agent Companion could not start');
    app.exit(1);
    throw error;
  });
  return { ready, core: () => core, window: window.current, primary };
}
