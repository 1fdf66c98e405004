/**
 * The desk window, one at a time, hardened: served from `app://desk/` (`protocol.ts`), context
 * isolation, sandbox, no Node, no webviews; navigation, redirects and new windows denied (a link to
 * a screen pop the core decided goes to the system browser); every permission request and check
 * denied before any page exists. Closing it hides it to the tray (Quit leaves); a start with
 * `--hidden` (or by a macOS login item) shows no window until the agent asks for it. macOS's
 * `activate` (the dock icon) shows it; the app stays in the tray when it is closed.
 */
import { join } from 'node:path';
import type { ShowRequest } from '../../common/model.js';
import type { Core } from '../app.js';
import type { ShellElectron, ShellWindow } from '../electron-api.js';
import type { Logger } from '../log.js';
import type { ShellPaths } from './env.js';
import { APP_URL } from './protocol.js';
import { isScreenPop, openInBrowser } from './screen-pops.js';
import { watchRenderer } from './crashes.js';

/** The desk window as the other modules use it. */
export interface DeskWindow {
  /** The window, once created (it may have been destroyed since). */
  current(): ShellWindow | undefined;
  /** Creates the window; it shows once ready unless the start was hidden. */
  open(): void;
  /** Brings the window to the front (creating it again if it was destroyed), on `target` when given. */
  show(target?: ShowRequest): void;
  /** The app was started hidden after all (a macOS login item): no window shows until asked for. */
  keepHidden(): void;
}

/** What {@link startWindow} needs besides Electron and the core. */
export interface WindowOptions {
  paths: ShellPaths;
  log: Logger;
  /** Started hidden (`--hidden`, a login item). */
  hidden: boolean;
}

/** Denies every permission, asked or checked, for every page: call after `ready`, before any window. */
export function denyPermissions(electron: ShellElectron): void {
  const session = electron.session.defaultSession;
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/**
 * The desk window's handle, made before the app is ready (a second launch may ask for the window
 * before the core runs); no window exists until {@link DeskWindow.open} or {@link DeskWindow.show}.
 * @param core the running core, for the screen pops a page may open and the focus a toast asks for.
 */
export function startWindow(electron: ShellElectron, core: () => Core | undefined, options: WindowOptions): DeskWindow {
  const { app, BrowserWindow } = electron;
  const { log } = options;
  let window: ShellWindow | undefined;
  let hidden = options.hidden;
  let quitting = false;

  function create(): ShellWindow {
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
      if (isScreenPop(core(), url)) openInBrowser(electron, log, url);
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
    watchRenderer(win, { log });
    void win.loadURL(APP_URL);
    return win;
  }

  function show(target?: ShowRequest): void {
    hidden = false;
    if (!window || window.isDestroyed()) window = create();
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
    if (target) core()?.hub.broadcast({ type: 'focus', target });
  }

  app.on('activate', () => show());
  app.on('window-all-closed', () => {
    // Stay in the tray.
  });
  // Quitting: closing the window really closes it now.
  app.on('before-quit', () => {
    quitting = true;
  });

  return {
    current: () => window,
    open: () => void (window = create()),
    show,
    keepHidden: () => void (hidden = true),
  };
}
