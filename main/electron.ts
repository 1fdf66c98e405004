/**
 * The Electron shell, thin on purpose: it only translates between Electron's APIs and the core
 * (`app.ts`), so reading it is enough to trust it (ARCHITECTURE.md, principle 2).
 *
 * - single-instance lock (a second launch shows the first window);
 * - one window: context isolation, sandbox, no Node, CSP, navigation and new windows denied, every
 *   permission request denied, IPC accepted only from our own page;
 * - tray icon per presence with the presence menu (`desk/tray.ts`);
 * - OS notification per toast (`desk/alerts.ts`); a click shows the window on that call or chat;
 *   on macOS a ringing call's toast has an Answer button;
 * - closing the window hides it to the tray; Quit leaves, ending vendor sessions cleanly;
 * - settings in electron-store, validated by the same schema as the config file; secrets encrypted
 *   with `safeStorage`.
 */
import { app, BrowserWindow, ipcMain, Menu, nativeImage, Notification, safeStorage, Tray, type MenuItemConstructorOptions } from 'electron';
import Store from 'electron-store';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CHANNELS, type FocusTarget } from '../preload/bridge.js';
import { startCore, type Core } from './app.js';
import { ConfigError, configPathFrom, loadConfigFile, parseConfig, type AppConfig } from './config.js';
import { trayAction, trayModel, type TrayIcon, type TrayModel } from './desk/tray.js';
import { rootLogger } from './log.js';
import { ReadOnlySettings, StoredSettings, type SettingsStore } from './settings.js';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = join(here, '..', '..');
const RENDERER_INDEX = join(ROOT, 'dist', 'renderer', 'index.html');
const PRELOAD = join(ROOT, 'dist', 'preload', 'index.cjs');
const RENDERER_URL = pathToFileURL(RENDERER_INDEX).href;
const log = rootLogger();

let window: BrowserWindow | undefined;
let tray: Tray | undefined;
let core: Core | undefined;
let quitting = false;
/** Live notifications, kept referenced so their click handlers survive garbage collection. */
const notifications = new Map<string, Notification>();

/**
 * The settings: a managed config file (`--config` / `AGENT_COMPANION_CONFIG`) is read-only; else
 * electron-store, edited by the settings screen. Saving restarts the app so every connection
 * starts from the new settings.
 * @throws {ConfigError} when the file or the store does not match the schema.
 */
async function loadSettings(): Promise<{ config: AppConfig; settings: SettingsStore }> {
  const path = configPathFrom(process.argv);
  if (path) {
    const config = await loadConfigFile(path);
    return { config, settings: new ReadOnlySettings(config, `the config file ${path}, managed by your administrator`) };
  }
  const store = new Store<Record<string, unknown>>({ name: 'settings' });
  const config = parseConfig(store.store, `settings (${store.path})`);
  const persist = async (raw: Record<string, unknown>): Promise<void> => {
    store.store = raw;
    log.info('settings saved; restarting to apply them');
    setTimeout(() => {
      app.relaunch();
      app.quit();
    }, 500);
  };
  return { config, settings: new StoredSettings(config, `this computer's settings (${store.path})`, persist, encrypt) };
}

function encrypt(plain: string): string {
  if (!safeStorage.isEncryptionAvailable()) throw new ConfigError('the OS keychain is not available, so secrets cannot be stored safely; use a config file with {"env": …}');
  return safeStorage.encryptString(plain).toString('base64');
}

function decrypt(base64: string): string {
  if (!safeStorage.isEncryptionAvailable()) throw new Error('the OS keychain is not available');
  return safeStorage.decryptString(Buffer.from(base64, 'base64'));
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 440,
    height: 780,
    minWidth: 360,
    minHeight: 480,
    show: false,
    title: 'Agent Companion',
    icon: join(ROOT, 'assets', 'icon.png'),
    webPreferences: {
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  win.on('close', (event) => {
    if (quitting) return;
    event.preventDefault();
    win.hide();
  });
  win.once('ready-to-show', () => win.show());
  void win.loadFile(RENDERER_INDEX);
  return win;
}

function showWindow(target?: FocusTarget): void {
  if (!window || window.isDestroyed()) window = createWindow();
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
  if (target) window.webContents.send(CHANNELS.focus, target);
}

function trayImage(icon: TrayIcon): Electron.NativeImage {
  const image = nativeImage.createFromPath(join(ROOT, 'assets', 'tray', `${icon}.png`));
  image.addRepresentation({ scaleFactor: 2, buffer: nativeImage.createFromPath(join(ROOT, 'assets', 'tray', `${icon}@2x.png`)).toPNG() });
  return image;
}

function trayMenu(model: TrayModel): Menu {
  const template = model.items.map((item): MenuItemConstructorOptions => {
    switch (item.kind) {
      case 'separator':
        return { type: 'separator' };
      case 'label':
        return { label: item.text, enabled: false };
      case 'radio':
      case 'action':
        return {
          label: item.text,
          type: item.kind === 'radio' ? 'radio' : 'normal',
          checked: item.kind === 'radio' ? item.checked : undefined,
          enabled: item.kind === 'radio' ? item.enabled : true,
          click: () => onTrayClick(item.id),
        };
    }
  });
  return Menu.buildFromTemplate(template);
}

function onTrayClick(id: string): void {
  const action = trayAction(id);
  if (!action || !core) return;
  switch (action.kind) {
    case 'presence':
      core.desk.setPresence(action.state).catch((error: Error) => notify('Presence not changed', error.message));
      return;
    case 'retry':
      core.desk.retryAccount(action.accountId);
      return;
    case 'show':
      showWindow();
      return;
    case 'quit':
      app.quit();
  }
}

function notify(title: string, body: string): void {
  if (Notification.isSupported()) new Notification({ title, body }).show();
}

function wireTray(running: Core): void {
  let last = '';
  const render = (): void => {
    const model = trayModel(running.desk.state);
    const json = JSON.stringify(model);
    if (json === last) return;
    last = json;
    tray ??= new Tray(trayImage(model.icon));
    tray.setImage(trayImage(model.icon));
    tray.setToolTip(model.tooltip);
    tray.setContextMenu(trayMenu(model));
  };
  render();
  tray?.on('click', () => showWindow());
  running.desk.subscribe(render);
}

function wireNotifications(running: Core): void {
  running.onToast((toast) => {
    if (!Notification.isSupported()) return;
    const answerable = process.platform === 'darwin' && toast.target.kind === 'call';
    const notification = new Notification({
      title: toast.title,
      body: toast.body,
      urgency: toast.target.kind === 'call' ? 'critical' : 'normal',
      actions: answerable ? [{ type: 'button', text: 'Answer' }] : [],
    });
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
}

function wireIpc(running: Core): void {
  const fromOurPage = (event: Electron.IpcMainEvent | Electron.IpcMainInvokeEvent): boolean =>
    event.sender === window?.webContents && event.senderFrame?.url === RENDERER_URL;
  const peers = new Map<number, () => void>();
  ipcMain.on(CHANNELS.subscribe, (event) => {
    if (!fromOurPage(event)) return void log.warn({ url: event.senderFrame?.url }, 'refused a subscription from a foreign frame');
    const contents = event.sender;
    peers.get(contents.id)?.();
    const disconnect = running.hub.connect({
      send: (message) => {
        if (contents.isDestroyed() || message.type === 'toast') return;
        contents.send(message.type === 'change' ? CHANNELS.change : CHANNELS.focus, message.type === 'change' ? message.change : message.target);
      },
    });
    peers.set(contents.id, disconnect);
    contents.once('destroyed', () => {
      disconnect();
      peers.delete(contents.id);
    });
  });
  ipcMain.handle(CHANNELS.invoke, (event, request: unknown) => {
    if (!fromOurPage(event)) {
      log.warn({ url: event.senderFrame?.url }, 'refused an invocation from a foreign frame');
      return { ok: false, error: 'Refused: not from the Agent Companion window' };
    }
    return running.hub.invoke(request);
  });
}

function harden(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

async function boot(): Promise<void> {
  harden();
  await app.whenReady();
  app.on('session-created', (session) => session.setPermissionRequestHandler((_c, _p, callback) => callback(false)));
  let loaded: Awaited<ReturnType<typeof loadSettings>>;
  try {
    loaded = await loadSettings();
  } catch (error) {
    const message = error instanceof ConfigError ? error.message : String(error);
    log.error({ err: error }, 'settings are not valid');
    notify('Agent Companion: settings are not valid', message);
    const config = parseConfig({});
    loaded = { config, settings: new ReadOnlySettings(config, `defaults, because the settings are not valid: ${message}`) };
  }
  core = await startCore({ config: loaded.config, settings: loaded.settings, log, decrypt });
  wireIpc(core);
  wireTray(core);
  wireNotifications(core);
  window = createWindow();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => showWindow());
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
    void running.stop().finally(() => app.quit());
  });
  boot().catch((error: unknown) => {
    log.fatal({ err: error }, 'Agent Companion could not start');
    app.exit(1);
  });
}
