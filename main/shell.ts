/**
 * The Electron shell, thin on purpose: it only translates between Electron's APIs and the core
 * (`app.ts`), so reading it is enough to trust it (ARCHITECTURE.md, principle 2). It takes Electron
 * as a parameter ({@link ShellElectron}): `main/electron.ts` passes the real module, the tests a
 * typed fake, so this very code runs under `npm test` (principle 9).
 *
 * - single-instance lock (a second launch shows the first window);
 * - one window, served from the `app://desk/` protocol (not `file://`): context isolation,
 *   sandbox, no Node, CSP; navigation, new windows and webviews denied; every permission request
 *   and check denied (handlers installed before any window exists); the wire accepted only from
 *   our own page;
 * - the one wire over IPC: the hub's JSON text goes to the window unchanged (principle 8);
 * - tray icon per presence with the presence menu (`desk/tray.ts`); it flashes while a call rings,
 *   and the window's taskbar button asks for attention (`flashFrame`) while it is not focused;
 * - OS notification per toast (`desk/alerts.ts`); a click shows the window on that call or chat;
 *   it closes itself when the call stops ringing or the chat is no longer an invitation;
 *   on macOS a ringing call's toast has an Answer button;
 * - closing the window hides it to the tray; Quit leaves, ending vendor sessions cleanly;
 * - the machine waking from sleep makes every connection prove it is alive;
 * - `tel:`/`callto:` links: the app registers as their handler; a link (macOS `open-url`, a
 *   second launch's or the first launch's argv on Windows/Linux) becomes the desk's pending dial,
 *   which the agent confirms in the window (never dialled by itself);
 * - screen pops open in the system browser (`shell.openExternal`), only the core's allowed ones;
 * - start at login in the tray (`display.startAtLogin`, Windows and macOS); a start with `--hidden`
 *   (or, on macOS, by the login item) shows no window until the tray is clicked;
 * - settings: a managed config file (read-only), else the settings store, validated by the same
 *   schema; secrets encrypted with `safeStorage`. Invalid settings open the settings screen with
 *   the problems, never the demo.
 */
import { readFile } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import type { SecretStorage } from '../common/settings.js';
import { WIRE_CHANNEL } from '../preload/bridge.js';
import { startCore, type Core } from './app.js';
import { ConfigError, loadConfiguration, type Configuration } from './config.js';
import type { FocusTarget, Toast } from '../common/model.js';
import { documentPreferences, type PreferenceDocument } from './preferences.js';
import { HistoryReadError, type HistoryStore } from './desk/history.js';
import { checkHistoryFile } from './history-file.js';
import { readJsonOrSetAside, SetAsideError, SIZE_CAPS } from './capped-file.js';
import { WINDOW_FILE_TYPES, windowFile } from './window-files.js';
import { trayAction, trayModel, type TrayIcon, type TrayItem, type TrayModel } from './desk/tray.js';
import type { IpcMainEvent, MenuItemConstructorOptions, ShellElectron, ShellNotification, ShellTray, ShellWindow } from './electron-api.js';
import type { Logger } from './log.js';
import { ReadOnlySettings, StoredSettings, type SettingsStore } from './settings.js';
import type { BackoffPolicy } from './vendors/kit/supervisor.js';

/** The custom protocol the window is served from. */
export const APP_SCHEME = 'app';
/** The window's page. */
export const APP_URL = `${APP_SCHEME}://desk/index.html`;
const APP_ORIGIN = `${APP_SCHEME}://desk/`;

/** How long the tray shows each of its two icons while a call rings, ms [I: about a ring's cadence]. */
export const TRAY_FLASH_MS = 700;

/** The window's Content-Security-Policy (sent with every file of the protocol; index.html repeats it). */
export const WINDOW_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The settings store the desktop app keeps (electron-store in the app; a JSON file in tests). */
export interface SettingsFile {
  /** The whole document; `{}` when nothing was ever saved. Assigning it writes the file. */
  store: Record<string, unknown>;
  readonly path: string;
}

export interface ShellOptions {
  electron: ShellElectron;
  /** Opens the settings store (called after the app is ready). */
  openSettingsFile(): SettingsFile;
  /**
   * Opens the call history's own store (electron-store `name: 'history'`, so the file
   * `history.json` in `userData`), called after the app is ready and after that file was checked
   * (a file that cannot be used is moved aside first, `history-file.ts` `checkHistoryFile`). May
   * throw (a file that went bad in between). Absent: the history lives as long as the app.
   */
  openHistoryFile?(): SettingsFile;
  argv: readonly string[];
  env?: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  log: Logger;
  /** Where the built renderer, the built preload and the icons are. */
  paths: { renderer: string; preload: string; assets: string };
  /** Reconnect backoff for every connector (tests use a fast one). */
  backoff?: BackoffPolicy;
  /**
   * Opens the agent's remembered choices (electron-store `name: 'preferences'`, so the file
   * `preferences.json` in `userData`), after that file was checked (one that cannot be used is moved
   * aside first, so it cannot stop the app); in memory when absent.
   */
  openPreferencesFile?(): PreferenceDocument;
  /**
   * Set when Electron runs the app from source (`process.defaultApp`): the OS must then launch
   * `electron <script>` for a `tel:` link, so the protocol is registered with that argv form.
   */
  devLaunch?: { execPath: string; script: string };
}

/** The link schemes the app handles (registered with the OS, and in `electron-builder.yml` for macOS). */
export const DIAL_SCHEMES = ['tel', 'callto'] as const;

/** The command-line switch a login item starts the app with: no window until the tray is clicked. */
export const HIDDEN_SWITCH = '--hidden';

/** The first `tel:`/`callto:` link in a command line (Windows and Linux hand links over as an argument). */
export function dialLinkIn(argv: readonly string[]): string | undefined {
  return argv.find((arg) => /^(tel|callto):/i.test(arg));
}

/**
 * The options of a toast's OS notification (issue 11, point 6). Chat toasts are normal: the OS's
 * do-not-disturb (Focus Assist, Focus, GNOME/KDE DND) holds them back. A ringing call's toast,
 * when `callsThroughDnd`, asks to get through where the OS offers a way:
 * - Linux: `urgency: 'critical'` (the freedesktop spec's critical urgency, shown in DND by GNOME and KDE);
 * - Windows: a toast XML with `scenario="incomingCall"` (a call toast, which Focus Assist's priority
 *   list lets through when the agent allows the app there; Windows decides, not the app);
 * - macOS: Electron has no public API for Focus's time-sensitive notifications, so a call toast
 *   there follows Focus like any other.
 */
export function toastOptions(toast: Toast, platform: NodeJS.Platform, callsThroughDnd: boolean): Electron.NotificationConstructorOptions {
  const call = toast.target.kind === 'call';
  const through = call && callsThroughDnd;
  const options: Electron.NotificationConstructorOptions = {
    title: toast.title,
    body: toast.body,
    urgency: through ? 'critical' : 'normal',
    actions: platform === 'darwin' && call ? [{ type: 'button', text: 'Answer' }] : [],
  };
  if (through && platform === 'win32') options.toastXml = incomingCallToastXml(toast);
  return options;
}

function xmlText(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

/** A Windows toast for a ringing call (Toast XML schema: `scenario="incomingCall"` needs a button). */
function incomingCallToastXml(toast: Toast): string {
  return (
    `<toast scenario="incomingCall" launch="${xmlText(toast.id)}" activationType="foreground">` +
    `<visual><binding template="ToastGeneric"><text>${xmlText(toast.title)}</text><text>${xmlText(toast.body)}</text></binding></visual>` +
    `<actions><action content="Show" arguments="${xmlText(toast.id)}" activationType="foreground"/></actions>` +
    `</toast>`
  );
}

/** The running shell, for the entry point and the tests. */
export interface Shell {
  /** Settles when the app is up (window created), or rejects with why it could not start. */
  readonly ready: Promise<void>;
  /** The core while the app runs. */
  core(): Core | undefined;
  /** The desk window, once created. */
  window(): ShellWindow | undefined;
  /** False when another instance held the lock: this one quits at once. */
  readonly primary: boolean;
}

/** Says what the OS keychain does for stored secrets, for the settings screen. */
export function secretStorageOf(electron: ShellElectron, platform: NodeJS.Platform): SecretStorage {
  if (!electron.safeStorage.isEncryptionAvailable()) {
    return { protected: false, note: 'This computer offers no keychain, so secrets cannot be stored here. Put them in a config file as {"env": "VARIABLE"} instead.' };
  }
  if (platform === 'linux' && electron.safeStorage.getSelectedStorageBackend() === 'basic_text') {
    return {
      protected: false,
      note: 'No keyring (GNOME Keyring or KWallet) is running, so stored secrets are only obfuscated with a key built into Electron: anyone who can read your files can recover them. Start a keyring, or put secrets in a config file as {"env": "VARIABLE"}.',
    };
  }
  return { protected: true, note: 'Secrets are encrypted with your operating system’s keychain.' };
}

/**
 * Runs the Electron shell. Must be called before the app is ready (it registers the `app:`
 * protocol's privileges, which Electron accepts only then).
 */
export function runShell(options: ShellOptions): Shell {
  const { electron, log } = options;
  const { app, BrowserWindow, ipcMain, Menu, Notification, Tray, nativeImage, safeStorage } = electron;

  let window: ShellWindow | undefined;
  let tray: ShellTray | undefined;
  let core: Core | undefined;
  let quitting = false;
  /** Alternates the tray icon while a call rings (see `wireTray`). */
  let trayFlash: ReturnType<typeof setInterval> | undefined;
  /** A `tel:` link that arrived before the core ran (macOS sends `open-url` before `ready`). */
  let earlyLink: string | undefined;
  /** Started hidden (a login item): no window shows until the tray is clicked. */
  let hidden = options.argv.includes(HIDDEN_SWITCH);
  /** Live notifications, kept referenced so their click handlers survive garbage collection. */
  const notifications = new Map<string, ShellNotification>();

  electron.protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

  const primary = app.requestSingleInstanceLock();
  if (!primary) {
    app.quit();
    return { ready: Promise.resolve(), core: () => undefined, window: () => undefined, primary };
  }

  function encrypt(plain: string): string {
    if (!safeStorage.isEncryptionAvailable()) throw new ConfigError('the OS keychain is not available, so secrets cannot be stored safely; use a config file with {"env": …}');
    return safeStorage.encryptString(plain).toString('base64');
  }

  function decrypt(base64: string): string {
    if (!safeStorage.isEncryptionAvailable()) throw new Error('the OS keychain is not available');
    return safeStorage.decryptString(Buffer.from(base64, 'base64'));
  }

  /** The settings screen's store: read-only for a managed file; else the settings store. */
  function settingsStore(loaded: Configuration, file: SettingsFile | undefined): SettingsStore {
    const secrets = secretStorageOf(electron, options.platform);
    if (!file) return new ReadOnlySettings(loaded.config, `${loaded.source}, managed by your administrator`, loaded.problems, { kind: 'managed', path: loaded.path });
    const persist = async (raw: Record<string, unknown>): Promise<void> => {
      file.store = raw;
      log.info('settings saved; restarting to apply them');
      setTimeout(() => {
        app.relaunch();
        app.quit();
      }, 500);
    };
    return new StoredSettings(loaded.config, loaded.source, persist, encrypt, { problems: loaded.problems, secrets, raw: file.store });
  }

  /** Where electron-store keeps the store of a name: `<name>.json` in `userData` (its default `cwd`). */
  function storePath(name: string): string {
    return join(app.getPath('userData'), `${name}.json`);
  }

  /**
   * The call history's store over electron-store. Its file is checked first, as the web host's is
   * (`checkHistoryFile`): one that is too large, not a file, unreadable or not JSON is moved aside
   * under a timestamped name, and the store's first read reports it, so the log and the window say
   * so once (`loadHistory`) and the next write cannot replace it. electron-store alone would throw
   * on such a file, or with `clearInvalidConfig` read it as empty and overwrite it.
   */
  function historyStore(): HistoryStore | undefined {
    const open = options.openHistoryFile;
    if (!open) return undefined;
    const path = storePath('history');
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

  /** The agent's remembered choices; a preferences file that cannot be used is moved aside first (said once in the log). */
  function preferencesDocument(): PreferenceDocument | undefined {
    const open = options.openPreferencesFile;
    if (!open) return undefined;
    const path = storePath('preferences');
    try {
      readJsonOrSetAside(path, SIZE_CAPS.preferences, 'The preferences file');
    } catch (error) {
      if (!(error instanceof SetAsideError)) throw error;
      log.warn({ path }, `${error.message} The preferences start empty.`);
    }
    try {
      return open();
    } catch (error) {
      log.error({ path, reason: (error as Error).message }, 'the preferences file cannot be opened; remembered choices last until the app quits');
      return undefined;
    }
  }

  /**
   * Serves the built renderer on `app://desk/`: nothing outside it, and only the kinds of file the
   * window is built from, judged on the decoded, normalised path (`window-files.ts`): no source map
   * in any spelling.
   */
  async function serve(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const relative = url.host === 'desk' ? windowFile(url.pathname) : undefined;
    const file = relative === undefined ? undefined : join(options.paths.renderer, relative);
    if (!file || !file.startsWith(options.paths.renderer + sep)) return new Response('Not found', { status: 404 });
    try {
      const body = await readFile(file);
      return new Response(body, {
        headers: { 'Content-Type': WINDOW_FILE_TYPES[extname(file)]!, 'Content-Security-Policy': WINDOW_CSP, 'X-Content-Type-Options': 'nosniff' },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  }

  function createWindow(): ShellWindow {
    const win = new BrowserWindow({
      width: 440,
      height: 780,
      minWidth: 360,
      minHeight: 480,
      show: false,
      title: 'Agent Companion',
      icon: join(options.paths.assets, 'icon.png'),
      webPreferences: {
        preload: options.paths.preload,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        webviewTag: false,
        spellcheck: false,
      },
    });
    const contents = win.webContents;
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    // No window opens from the page. A link to a screen pop the core decided ("Open in CRM") goes
    // to the system browser; anything else is dropped.
    contents.setWindowOpenHandler(({ url }) => {
      const pops = Object.values(core?.desk.state.screenPops ?? {});
      if (pops.some((pop) => pop.url !== undefined && pop.url === url)) openExternal(url);
      else log.warn({ url: url.slice(0, 200) }, 'refused to open a window');
      return { action: 'deny' };
    });
    win.on('close', (event) => {
      if (quitting) return;
      event.preventDefault();
      win.hide();
    });
    win.once('ready-to-show', () => {
      if (!hidden) win.show();
    });
    void win.loadURL(APP_URL);
    return win;
  }

  function showWindow(target?: FocusTarget): void {
    hidden = false;
    if (!window || window.isDestroyed()) window = createWindow();
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
    if (target) core?.hub.broadcast({ type: 'focus', target });
  }

  function trayImage(icon: TrayIcon): Electron.NativeImage {
    return nativeImage.createFromPath(join(options.paths.assets, 'tray', `${icon}.png`));
  }

  function trayMenu(model: TrayModel): Electron.Menu {
    return Menu.buildFromTemplate(model.items.map(menuItem));
  }

  function menuItem(item: TrayItem): MenuItemConstructorOptions {
    switch (item.kind) {
      case 'separator':
        return { type: 'separator' };
      case 'label':
        return { label: item.text, enabled: false };
      case 'radio':
        return { id: item.id, label: item.text, type: 'radio', checked: item.checked, enabled: item.enabled, click: () => onTrayClick(item.id) };
      case 'action':
        return { id: item.id, label: item.text, type: 'normal', click: () => onTrayClick(item.id) };
      case 'submenu':
        return { label: item.text, type: 'submenu', enabled: item.enabled, submenu: item.items.map(menuItem) };
    }
  }


  function onTrayClick(id: string): void {
    const action = trayAction(id);
    if (!action || !core) return;
    switch (action.kind) {
      case 'presence':
        core.desk.setPresence(action.state, action.reason).catch((error: Error) => notify('Presence not changed', error.message));
        return;
      case 'account-presence':
        core.desk.setAccountPresence(action.accountId, action.state, action.reason).catch((error: Error) => notify('Presence not changed', error.message));
        return;
      case 'retry':
        core.desk.retryAccount(action.accountId);
        return;
      case 'show':
      case 'history':
        showWindow();
        return;
      case 'quit':
        app.quit();
    }
  }

  function openExternal(url: string): void {
    electron.shell.openExternal(url).catch((error: Error) => log.warn({ err: error }, 'the browser did not open the screen pop'));
  }

  /** A `tel:`/`callto:` link: the desk's pending dial, and the window in front to confirm it. */
  function openDialLink(link: string): void {
    if (!core) {
      earlyLink = link;
      return;
    }
    core.desk.openDialLink(link);
    showWindow();
  }

  function registerDialSchemes(): void {
    for (const scheme of DIAL_SCHEMES) {
      const registered = options.devLaunch
        ? app.setAsDefaultProtocolClient(scheme, options.devLaunch.execPath, [options.devLaunch.script])
        : app.setAsDefaultProtocolClient(scheme);
      if (!registered) log.warn({ scheme }, 'could not register as the handler of the links');
    }
  }

  /** Start at login (Windows: a Run key with --hidden; macOS: a login item). Electron has no login items on Linux. */
  function applyLoginItem(openAtLogin: boolean): void {
    if (options.platform === 'win32') app.setLoginItemSettings({ openAtLogin, args: [HIDDEN_SWITCH] });
    else if (options.platform === 'darwin') app.setLoginItemSettings({ openAtLogin });
  }

  function notify(title: string, body: string): void {
    if (Notification.isSupported()) new Notification({ title, body }).show();
  }

  function wireTray(running: Core): void {
    let last = '';
    let model = trayModel(running.desk.state);
    /** Whether the flashing tray shows the ringing icon (else the resting one). */
    let lit = true;
    let alerting = false;
    const flashImage = (): void => tray?.setImage(trayImage(lit ? 'ringing' : model.restingIcon));
    let badge = 0;
    const render = (): void => {
      // The missed calls not yet seen on the app's badge, where the OS shows one (macOS; Linux with
      // the Unity launcher; Electron's docs); 0 hides it.
      const missed = running.desk.state.missedUnseen;
      if (missed !== badge && (options.platform === 'darwin' || options.platform === 'linux')) {
        badge = missed;
        if (!app.setBadgeCount(missed)) log.debug({ missed }, 'the OS shows no badge count');
      }
      model = trayModel(running.desk.state);
      const json = JSON.stringify(model);
      if (json === last) return;
      last = json;
      if (!tray) {
        tray = new Tray(trayImage(model.icon));
        tray.on('click', () => showWindow());
      } else {
        tray.setImage(trayImage(model.icon));
      }
      tray.setToolTip(model.tooltip);
      tray.setContextMenu(trayMenu(model));
      // While a call rings the tray icon alternates between the ringing icon and the presence one.
      if (model.ringing && !trayFlash) {
        lit = true;
        trayFlash = setInterval(() => {
          lit = !lit;
          flashImage();
        }, TRAY_FLASH_MS);
      } else if (!model.ringing && trayFlash) {
        clearInterval(trayFlash);
        trayFlash = undefined;
      }
      // A ringing call or a chat invitation asks for attention in the taskbar (Windows flashes the
      // button, macOS bounces the dock icon) while the window is not in front; stops with the ring.
      const now = model.ringing || model.invited;
      if (now !== alerting) {
        alerting = now;
        if (window && !window.isDestroyed() && (!now || !window.isFocused())) window.flashFrame(now);
      }
    };
    render();
    running.desk.subscribe(render);
    // The headline counts ("On a call 03:12"): rebuilt each second, set only when it changed.
    const ticker = setInterval(render, 1000);
    ticker.unref?.();
    app.on('will-quit', () => clearInterval(ticker));
  }

  function wireNotifications(running: Core, callsThroughDnd: boolean): void {
    running.onToast((toast) => {
      if (!Notification.isSupported()) return;
      const notification = new Notification(toastOptions(toast, options.platform, callsThroughDnd));
      notifications.set(toast.id, notification);
      const forget = (): void => void notifications.delete(toast.id);
      notification.on('click', () => {
        forget();
        showWindow(toast.target);
      });
      notification.on('action', () => {
        forget();
        running.desk.callAction(toast.target.key, 'answer').catch((error: Error) => notify('Could not answer', error.message));
        showWindow(toast.target);
      });
      notification.on('close', forget);
      notification.show();
    });
    // The call stopped ringing (answered here or elsewhere, declined, ended) or the chat is no
    // longer an invitation: the toast goes away by itself (issue 11).
    running.onToastClosed((id) => {
      const notification = notifications.get(id);
      if (!notification) return;
      notifications.delete(id);
      notification.close();
    });
  }

  /** The one wire over IPC: text in, text out, only with our own page. */
  function wireIpc(running: Core): void {
    const connections = new Map<number, ReturnType<Core['hub']['open']>>();
    ipcMain.on(WIRE_CHANNEL, (event: IpcMainEvent, text: unknown) => {
      const contents = event.sender;
      if (contents !== window?.webContents || !event.senderFrame?.url.startsWith(APP_ORIGIN)) {
        log.warn({ url: event.senderFrame?.url }, 'refused a bridge message from a foreign frame');
        return;
      }
      if (typeof text !== 'string') return;
      let connection = connections.get(contents.id);
      if (!connection) {
        connection = running.hub.open((message) => {
          if (!contents.isDestroyed()) contents.send(WIRE_CHANNEL, message);
        });
        connections.set(contents.id, connection);
        contents.once('destroyed', () => {
          connections.get(contents.id)?.close();
          connections.delete(contents.id);
        });
      }
      connection.receive(text);
    });
  }

  async function boot(): Promise<void> {
    await app.whenReady();
    // Deny every permission, asked or checked, before any page exists.
    const session = electron.session.defaultSession;
    session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
    session.setPermissionCheckHandler(() => false);
    electron.protocol.handle(APP_SCHEME, serve);

    const file = options.argv.includes('--config') || options.argv.some((a) => a.startsWith('--config=')) || options.env?.AGENT_COMPANION_CONFIG ? undefined : options.openSettingsFile();
    const loaded = await loadConfiguration({ argv: options.argv, env: options.env, store: file && { document: file.store, path: file.path } });
    const preferences = preferencesDocument();
    if (loaded.problems.length) log.error({ problems: loaded.problems }, 'the settings are not valid; opening the settings screen');
    core = await startCore({
      preferences: preferences && documentPreferences(preferences, log),
      config: loaded.config,
      demo: loaded.demo,
      setup: { source: loaded.source, problems: loaded.problems },
      settings: settingsStore(loaded, file),
      history: historyStore(),
      log,
      decrypt,
      env: options.env,
      backoff: options.backoff,
    });
    wireIpc(core);
    wireTray(core);
    wireNotifications(core, loaded.config.display.toasts.callsThroughDnd);
    core.onScreenPop((pop) => openExternal(pop.url));
    electron.powerMonitor.on('resume', () => core?.desk.resume());
    registerDialSchemes();
    applyLoginItem(loaded.config.display.startAtLogin);
    if (options.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin) hidden = true;
    window = createWindow();
    const link = earlyLink ?? dialLinkIn(options.argv);
    earlyLink = undefined;
    if (link) openDialLink(link);
  }

  app.on('second-instance', (_event, argv) => {
    const link = dialLinkIn(argv);
    if (link) openDialLink(link);
    else showWindow();
  });
  app.on('open-url', (event, url) => {
    event.preventDefault();
    openDialLink(url);
  });
  app.on('activate', () => showWindow());
  app.on('window-all-closed', () => {
    // Stay in the tray.
  });
  app.on('before-quit', (event) => {
    if (!core || quitting) return;
    quitting = true;
    event.preventDefault();
    const running = core;
    core = undefined;
    clearInterval(trayFlash);
    trayFlash = undefined;
    void running.stop().finally(() => {
      tray?.destroy();
      app.quit();
    });
  });

  const ready = boot().catch((error: unknown) => {
    log.fatal({ err: error }, 'Agent Companion could not start');
    app.exit(1);
    throw error;
  });
  return { ready, core: () => core, window: () => window, primary };
}
