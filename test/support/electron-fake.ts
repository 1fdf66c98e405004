/**
 * A typed, faithful fake of the Electron surface the shell uses (`ShellElectron`, in
 * `main/electron-api.ts`), so the shell runs under `npm test` in plain Node, where the Electron
 * binary does not exist.
 *
 * Faithful where the shell's correctness depends on it:
 * - IPC structured-clones every value both ways (a function throws `DataCloneError`, a class
 *   instance arrives as a plain object) and delivers asynchronously (flush with `fake.settle()`);
 * - `'ready'` is emitted ON DEMAND by `await fake.ready()`, never by itself, so a test imports and
 *   starts the shell first. Before it, as in Electron: `new BrowserWindow`, `new Tray`,
 *   `protocol.handle` and `session.defaultSession` throw, `safeStorage.isEncryptionAvailable()` is
 *   false (Linux); after it `protocol.registerSchemesAsPrivileged` throws;
 * - `app.quit()` runs Electron's sequence: `before-quit` (preventable), then `close` on every
 *   window (one prevented close cancels the quit), then `will-quit` (preventable), then `quit`;
 * - the single-instance lock, userData, login items, link handlers and the safeStorage key belong to a
 *   `FakeMachine`: fakes sharing one act as two launches of the app on one computer;
 * - a destroyed window or webContents throws `Object has been destroyed` when used;
 * - with no permission handler installed, Electron grants every permission, and so does the fake.
 *
 * Not modelled: a window-open handler's 'allow' opens no window; notifications' OS timing; menu
 * roles and accelerators; tray/menu objects used after `destroy()` do not throw.
 *
 * Electron's own types want real `Electron.App`, `Menu`, `NativeImage`, … objects in a few places
 * (`on()` returns `this`, menus and images are opaque natives): only those are cast, each commented.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as Electron from 'electron';
import type { ShellElectron, ShellNotification, ShellTray, ShellWebContents, ShellWindow } from '../../main/electron-api.js';

/** A listener as Node's EventEmitter stores it; Electron's overloads each narrow its arguments. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- must accept every Electron overload's listener
type Listener = (...args: any[]) => void;
/** The backends `safeStorage.getSelectedStorageBackend()` can report. */
export type StorageBackend = ReturnType<Electron.SafeStorage['getSelectedStorageBackend']>;
type PathName = Parameters<Electron.App['getPath']>[0];
type ShellApp = ShellElectron['app'];
type RequestHandler = NonNullable<Parameters<Electron.Session['setPermissionRequestHandler']>[0]>;
type CheckHandler = NonNullable<Parameters<Electron.Session['setPermissionCheckHandler']>[0]>;
/** A permission name as Electron passes it to the request handler. */
export type Permission = Parameters<RequestHandler>[1];
/** A permission name as Electron passes it to the check handler. */
export type CheckedPermission = Parameters<CheckHandler>[1];
type OpenHandler = Parameters<Electron.WebContents['setWindowOpenHandler']>[0];
type ProtocolHandler = Parameters<Electron.Protocol['handle']>[1];

/** Electron's preventable event (`Electron.Event`): `preventDefault()` sets `defaultPrevented`. */
// The default `{}` is a valid T only when T is inferred from it, hence the cast.
export function preventable<T extends object>(params: T = {} as T): Electron.Event<T> {
  const event = { ...params, defaultPrevented: false, preventDefault: () => void (event.defaultPrevented = true) };
  return event;
}

/** The error Electron throws when a destroyed object is used. */
function destroyedError(): TypeError {
  return new TypeError('Object has been destroyed');
}

/** One computer: the single-instance lock, userData & co., login items and the OS keychain key. */
export class FakeMachine {
  /** The temp directory holding every `app.getPath()` folder of the apps on this machine. */
  readonly root = mkdtempSync(join(tmpdir(), 'electron-fake-'));
  /** The keychain's AES-256 key, shared by the apps on this machine like a real keychain entry. */
  readonly key = randomBytes(32);
  /** The login item settings, an OS setting. */
  loginItem: Electron.Settings = { openAtLogin: false };
  /** The OS's preferred languages, most preferred first (`app.getPreferredSystemLanguages()`); a test sets another. */
  languages: string[] = ['en-US'];
  /** The OS's link handlers by scheme (`app.setAsDefaultProtocolClient`): the executable and its arguments. */
  readonly protocolClients = new Map<string, { path?: string; args?: string[] }>();
  /** The app holding the single-instance lock, if any. */
  lockHolder: FakeApp | undefined;
  /** Deletes the machine's temp directory. */
  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** A fresh machine, to share between fakes that model launches of the app on one computer. */
export function createFakeMachine(): FakeMachine {
  return new FakeMachine();
}

/** Options of `createFakeElectron`. Every switch is also mutable later through `fake.config`. */
export interface FakeElectronOptions {
  /** The computer this launch runs on; default a new machine, disposed by `fake.dispose()`. */
  machine?: FakeMachine;
  /** This launch's command line, what a first instance receives in `'second-instance'`. */
  argv?: string[];
  /** This launch's working directory, likewise. */
  cwd?: string;
  /** `Notification.isSupported()`; default true. */
  notificationsSupported?: boolean;
  /** `safeStorage.isEncryptionAvailable()` once ready; default true. */
  encryptionAvailable?: boolean;
  /** `safeStorage.getSelectedStorageBackend()`; default `'gnome_libsecret'`. */
  storageBackend?: StorageBackend;
}

/** The mutable switches of a fake. */
export type FakeConfig = Required<Omit<FakeElectronOptions, 'machine'>>;

/** Shared state of one fake, what its classes close over. */
class Context {
  readonly log: string[] = [];
  readonly windows: FakeWindow[] = [];
  readonly trays: FakeTray[] = [];
  readonly notifications: FakeNotification[] = [];
  readonly ipcMain = new FakeEmitter<Electron.IpcMain>();
  readonly powerMonitor = new FakeEmitter<Electron.PowerMonitor>();
  readonly app: FakeApp;
  pending = 0;
  nextId = 1;
  constructor(readonly config: FakeConfig, readonly machine: FakeMachine) {
    this.app = new FakeApp(this);
  }
}

/** Runs `task` on a later turn, counted so `fake.settle()` can wait for it. */
function later(ctx: Context, task: () => void): void {
  ctx.pending++;
  setImmediate(() => {
    ctx.pending--;
    task();
  });
}

/** Throws like Electron when `what` is created before ready. */
function requireReady(ctx: Context, what: string): void {
  if (!ctx.app.isReady) throw new Error(`Cannot create ${what} before app is ready`);
}

/** An Electron emitter: `on`/`once` chain back the fake under the real class's type (the one cast). */
export class FakeEmitter<Real> {
  /** The Node emitter behind `on`/`once`, for `listenerCount` and `events.once` in tests. */
  readonly events = new EventEmitter();
  /** Subscribes, like the Electron object's `on`. */
  on(event: string, listener: Listener): Real {
    this.events.on(event, listener);
    return this as unknown as Real;
  }
  /** Subscribes once, like the Electron object's `once`. */
  once(event: string, listener: Listener): Real {
    this.events.once(event, listener);
    return this as unknown as Real;
  }
  /** Unsubscribes one listener, like the Electron object's `removeListener`. */
  removeListener(event: string, listener: Listener): Real {
    this.events.removeListener(event, listener);
    return this as unknown as Real;
  }
  /** Unsubscribes everyone from `event` (or from everything). */
  removeAllListeners(event?: string): Real {
    this.events.removeAllListeners(event);
    return this as unknown as Real;
  }
  /** Emits as Electron would; for tests and the fake itself. */
  emit(event: string, ...args: unknown[]): boolean {
    return this.events.emit(event, ...args);
  }
}

/** `electron.app`. */
export class FakeApp extends FakeEmitter<Electron.App> implements ShellApp {
  /** Whether `'ready'` was emitted (by `fake.ready()`). */
  isReady = false;
  /** Between a `before-quit` that was not prevented and the quit's end or cancellation. */
  quitting = false;
  /** Whether the app quit (the `'quit'` event was emitted). */
  quitted = false;
  /** The code given to `app.exit()`, if called. */
  exitCode: number | undefined;
  /** Every `app.relaunch()` call's options. */
  readonly relaunches: (Electron.RelaunchOptions | undefined)[] = [];
  private readonly readyPromise: Promise<void>;
  private resolveReady!: () => void;
  private readonly queuedSecondInstances: unknown[][] = [];

  constructor(private readonly ctx: Context) {
    super();
    this.readyPromise = new Promise((resolve) => (this.resolveReady = resolve));
  }
  /** Resolves once `'ready'` was emitted. */
  whenReady(): Promise<void> {
    return this.readyPromise;
  }
  /** Emits `'will-finish-launching'` and `'ready'`, resolves `whenReady()`, delivers queued second instances. */
  markReady(): void {
    if (this.isReady) throw new Error('the fake app is already ready');
    this.isReady = true;
    this.ctx.log.push('app.ready');
    this.emit('will-finish-launching');
    this.emit('ready', preventable(), {});
    this.resolveReady();
    for (const args of this.queuedSecondInstances.splice(0)) later(this.ctx, () => this.emit('second-instance', preventable(), ...args));
  }
  /** True for the first app on the machine; a later one gets false and the holder gets `'second-instance'`. */
  requestSingleInstanceLock(additionalData?: Record<string, unknown>): boolean {
    this.ctx.log.push('app.requestSingleInstanceLock');
    const holder = this.ctx.machine.lockHolder;
    if (!holder || holder === this) {
      this.ctx.machine.lockHolder = this;
      return true;
    }
    holder.secondInstance([...this.ctx.config.argv], this.ctx.config.cwd, additionalData ?? {});
    return false;
  }
  private secondInstance(...args: unknown[]): void {
    // Electron guarantees 'second-instance' comes after 'ready'.
    if (this.isReady) later(this.ctx, () => this.emit('second-instance', preventable(), ...args));
    else this.queuedSecondInstances.push(args);
  }
  /** Electron's quit: `before-quit`, close every window, `will-quit`, `quit`; any prevention cancels it. */
  quit(): void {
    if (this.quitted || this.exitCode !== undefined) return;
    this.ctx.log.push('app.quit');
    const before = preventable();
    this.emit('before-quit', before);
    if (before.defaultPrevented) return;
    this.quitting = true;
    for (const win of this.ctx.windows.filter((w) => !w.isDestroyed())) {
      if (closeWindow(win)) return void (this.quitting = false);
    }
    const willQuit = preventable();
    this.emit('will-quit', willQuit);
    this.quitting = false;
    if (willQuit.defaultPrevented) return;
    this.quitted = true;
    this.releaseLock();
    this.ctx.log.push('app.quitted');
    this.emit('quit', preventable(), 0);
  }
  /** Exits at once: records the code, destroys windows without `close` or quit events. */
  exit(exitCode = 0): void {
    this.ctx.log.push(`app.exit:${exitCode}`);
    this.exitCode = exitCode;
    this.quitting = true;
    for (const win of this.ctx.windows) if (!win.isDestroyed()) win.destroy();
    this.releaseLock();
  }
  /** Records a relaunch (Electron relaunches only once the app quits or exits). */
  relaunch(options?: Electron.RelaunchOptions): void {
    this.ctx.log.push('app.relaunch');
    this.relaunches.push(options);
  }
  /** A folder of the machine's temp directory, created on demand (`exe`/`module` are file paths). */
  getPath(name: PathName): string {
    if (name === 'exe' || name === 'module') return join(this.ctx.machine.root, 'bin', name);
    const dir = join(this.ctx.machine.root, name);
    mkdirSync(dir, { recursive: true });
    return dir;
  }
  /** The machine's login item settings. */
  getLoginItemSettings(_options?: Electron.LoginItemSettingsOptions): Electron.LoginItemSettings {
    const openAtLogin = this.ctx.machine.loginItem.openAtLogin ?? false;
    return { openAtLogin, wasOpenedAtLogin: false, status: openAtLogin ? 'enabled' : 'not-registered', executableWillLaunchAtLogin: openAtLogin, launchItems: [] };
  }
  /** Makes this app the OS's handler of `protocol` links (always succeeds, as on Windows and Linux). */
  setAsDefaultProtocolClient(protocol: string, path?: string, args?: string[]): boolean {
    this.ctx.log.push(`app.setAsDefaultProtocolClient:${protocol}`);
    this.ctx.machine.protocolClients.set(protocol, { ...(path ? { path } : {}), ...(args ? { args } : {}) });
    return true;
  }
  /** The app's badge count, as `app.setBadgeCount` last set it (0 hides the badge). */
  badgeCount = 0;
  /** The app's version: `package.json`'s, as Electron reads it from the app's own. */
  getVersion(): string {
    return '0.1.0';
  }
  /** Sets the badge count; true as on macOS and on Linux with the Unity launcher (Electron's docs). */
  setBadgeCount(count?: number): boolean {
    this.badgeCount = count ?? 0;
    return true;
  }
  /** The machine's preferred languages (a copy, as Electron answers a new array). */
  getPreferredSystemLanguages(): string[] {
    return [...this.ctx.machine.languages];
  }
  /** Stores login item settings on the machine (merged, as the OS keeps what is not given). */
  setLoginItemSettings(settings: Electron.Settings): void {
    this.ctx.machine.loginItem = { ...this.ctx.machine.loginItem, ...settings };
  }
  private releaseLock(): void {
    if (this.ctx.machine.lockHolder === this) this.ctx.machine.lockHolder = undefined;
  }
}

/** What the renderer side of a webContents does: receive what main sends, send to `ipcMain`. */
export class FakeRenderer {
  /** The frame URL `ipcMain` sees as `event.senderFrame.url`; default the loaded URL. Set it to play a foreign frame. */
  frameUrl: string | undefined;
  private readonly inbox = new EventEmitter();

  constructor(private readonly ctx: Context, private readonly contents: FakeWebContents) {}
  /** Calls `listener(...args)` for each message main sends on `channel`; returns an unsubscribe. */
  on(channel: string, listener: (...args: unknown[]) => void): () => void {
    this.inbox.on(channel, listener);
    return () => void this.inbox.off(channel, listener);
  }
  /** The next message main sends on `channel`. */
  next(channel: string): Promise<unknown[]> {
    return new Promise((resolve) => this.inbox.once(channel, (...args: unknown[]) => resolve(args)));
  }
  /** The arguments of every message sent on `channel` so far (as cloned at send time). */
  received(channel: string): unknown[][] {
    return this.contents.sent.filter((m) => m.channel === channel).map((m) => m.args);
  }
  /** `ipcRenderer.send`: structured-clones (throwing like Electron), then emits on `ipcMain` on a later turn. */
  send(channel: string, ...args: unknown[]): void {
    const cloned = structuredClone(args);
    const url = this.frameUrl ?? this.contents.url;
    // Electron.IpcMainEvent's fields; emitted untyped, as Electron emits it.
    const event = preventable({
      type: 'frame',
      sender: this.contents,
      senderFrame: { url, origin: url ? new URL(url).origin : '' },
      frameId: 1,
      processId: 1,
      ports: [],
      returnValue: undefined as unknown,
      reply: (replyChannel: string, ...replyArgs: unknown[]) => this.contents.send(replyChannel, ...replyArgs),
    });
    later(this.ctx, () => {
      if (!this.contents.isDestroyed()) this.ctx.ipcMain.emit(channel, event, ...cloned);
    });
  }
  /** Delivers a message from main (internal). */
  deliver(channel: string, args: unknown[]): void {
    this.inbox.emit(channel, ...args);
  }
}

/** A window's webContents. */
export class FakeWebContents extends FakeEmitter<Electron.WebContents> implements ShellWebContents {
  /** Unique per fake, as Electron's ids are per process. */
  readonly id: number;
  /** The current URL (set by `loadURL` and by navigations that were not prevented). */
  url = '';
  /** Every `send`, with the arguments as structured-cloned at send time. */
  readonly sent: { channel: string; args: unknown[] }[] = [];
  /** The handler given to `setWindowOpenHandler`, if any. */
  windowOpenHandler: OpenHandler | undefined;
  /** The renderer side, for tests. */
  readonly renderer: FakeRenderer;
  private destroyed = false;

  constructor(private readonly ctx: Context) {
    super();
    this.id = ctx.nextId++;
    this.renderer = new FakeRenderer(ctx, this);
  }
  /** Structured-clones the arguments (throws `DataCloneError` as Electron does), records them, delivers on a later turn. */
  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw destroyedError();
    const cloned = structuredClone(args);
    this.sent.push({ channel, args: cloned });
    later(this.ctx, () => {
      if (!this.destroyed) this.renderer.deliver(channel, cloned);
    });
  }
  /** Whether the contents were destroyed (with their window). */
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** Records the handler `fake.openWindow` will ask. */
  setWindowOpenHandler(handler: OpenHandler): void {
    if (this.destroyed) throw destroyedError();
    this.windowOpenHandler = handler;
  }
  /** The current URL. */
  getURL(): string {
    if (this.destroyed) throw destroyedError();
    return this.url;
  }
  /** How many times the page was reloaded (`reload()`). */
  reloads = 0;
  /** Reloads the page: the same URL again. */
  reload(): void {
    if (this.destroyed) throw destroyedError();
    this.reloads += 1;
    this.ctx.log.push(`webContents.reload:${this.url}`);
  }
  /** Ends the page's process: `render-process-gone` with reason `killed`, on a later turn, as Electron. */
  forcefullyCrashRenderer(): void {
    if (this.destroyed) throw destroyedError();
    this.ctx.log.push('webContents.forcefullyCrashRenderer');
    later(this.ctx, () => void (this.destroyed || this.emit('render-process-gone', preventable(), { reason: 'killed', exitCode: 9 })));
  }
  /** Destroys the contents, emitting `'destroyed'` (internal: windows do it). */
  destroyNow(): void {
    this.destroyed = true;
    this.emit('destroyed');
  }
}

/** A BrowserWindow. Created through `electron.BrowserWindow`; listed in `fake.windows`. */
export class FakeWindow extends FakeEmitter<Electron.BrowserWindow> implements ShellWindow {
  /** Every URL given to `loadURL`, in order. */
  readonly loadedURLs: string[] = [];
  /** Whether the window is shown (`show: false` starts hidden). */
  visible: boolean;
  /** Set by `fake.minimize(win)`, cleared by `restore()`/`show()`. */
  minimized = false;
  /** Whether `focus()` made it the focused window. */
  focused = false;
  /** Whether the frame asks for attention (`flashFrame(true)`), until `flashFrame(false)` or focus. */
  flashing = false;
  /** Every `flashFrame` argument, in order. */
  readonly flashes: boolean[] = [];
  private readonly contents: FakeWebContents;
  private destroyed = false;
  private readyToShow = false;

  /** Records the constructor options; throws before ready like Electron. */
  constructor(private readonly ctx: Context, readonly options: Electron.BrowserWindowConstructorOptions) {
    super();
    requireReady(ctx, 'BrowserWindow');
    ctx.log.push('new BrowserWindow');
    this.visible = options.show !== false;
    this.contents = new FakeWebContents(ctx);
    ctx.windows.push(this);
    ctx.app.emit('web-contents-created', preventable(), this.contents);
    ctx.app.emit('browser-window-created', preventable(), this);
  }
  /** The window's contents; throws once the window is destroyed, as in Electron. */
  get webContents(): FakeWebContents {
    this.alive();
    return this.contents;
  }
  /** Records the URL, resolves, then emits `'ready-to-show'` (first load only). */
  async loadURL(url: string, _options?: Electron.LoadURLOptions): Promise<void> {
    this.alive();
    this.ctx.log.push(`window.loadURL:${url}`);
    this.loadedURLs.push(url);
    this.contents.url = url;
    if (!this.readyToShow) {
      this.readyToShow = true;
      later(this.ctx, () => void (this.destroyed || this.emit('ready-to-show', preventable())));
    }
  }
  /** Shows (and un-minimizes) the window. */
  show(): void {
    this.alive();
    this.visible = true;
    this.minimized = false;
  }
  /** Hides the window (to the tray). */
  hide(): void {
    this.alive();
    this.visible = false;
    this.focused = false;
  }
  /** Whether focused. */
  isFocused(): boolean {
    this.alive();
    return this.focused;
  }
  /** Starts or stops asking for attention; focusing the window stops it, as on Windows. */
  flashFrame(flag: boolean): void {
    this.alive();
    this.flashes.push(flag);
    this.flashing = flag;
  }
  /** Focuses the window, unfocusing the others (and stops its frame flashing). */
  focus(): void {
    this.alive();
    this.focused = true;
    this.flashing = false;
    for (const other of this.ctx.windows) if (other !== this) other.focused = false;
  }
  /** Whether shown. */
  isVisible(): boolean {
    this.alive();
    return this.visible;
  }
  /** Whether minimized. */
  isMinimized(): boolean {
    this.alive();
    return this.minimized;
  }
  /** Un-minimizes and shows. */
  restore(): void {
    this.alive();
    this.minimized = false;
    this.visible = true;
  }
  /** Whether closed or destroyed. */
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** Destroys without `'close'`: emits `'closed'` and the contents' `'destroyed'`; the last window going emits `window-all-closed` (or quits). */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.visible = false;
    this.emit('closed');
    this.contents.destroyNow();
    const app = this.ctx.app;
    if (app.quitting || this.ctx.windows.some((w) => !w.isDestroyed())) return;
    if (app.events.listenerCount('window-all-closed') > 0) app.emit('window-all-closed');
    else app.quit();
  }
  private alive(): void {
    if (this.destroyed) throw destroyedError();
  }
}

/** Emits a preventable `'close'` and destroys the window unless prevented; returns whether it was prevented. */
function closeWindow(win: FakeWindow): boolean {
  if (win.isDestroyed()) throw destroyedError();
  const event = preventable();
  win.emit('close', event);
  if (!event.defaultPrevented) win.destroy();
  return event.defaultPrevented;
}

/** `nativeImage.createFromPath`'s result: remembers its path; empty when the file does not exist, as in Electron. */
export class FakeImage {
  /** Representations added with `addRepresentation`. */
  readonly representations: Electron.AddRepresentationOptions[] = [];
  /** Remembers the path. */
  constructor(readonly path: string) {}
  /** Records a representation (e.g. the @2x file's bytes). */
  addRepresentation(options: Electron.AddRepresentationOptions): void {
    this.representations.push(options);
  }
  /** True when the file does not exist, as Electron gives an empty image then. */
  isEmpty(): boolean {
    return !existsSync(this.path);
  }
  /** The file's bytes (the fake assumes PNG files), or an empty buffer. */
  toPNG(): Buffer {
    return this.isEmpty() ? Buffer.alloc(0) : readFileSync(this.path);
  }
}

/** The path behind a fake image (or the string given). */
function imagePath(image: Electron.NativeImage | string): string {
  return typeof image === 'string' ? image : image instanceof FakeImage ? image.path : '<not a fake image>';
}

/** One menu item, what a `click` receives as its `menuItem`. */
export interface FakeMenuItem {
  /** The template's fields; `type` defaults as Electron's does. */
  label?: string;
  id?: string;
  type: NonNullable<Electron.MenuItemConstructorOptions['type']>;
  enabled: boolean;
  checked: boolean;
  click?: Electron.MenuItemConstructorOptions['click'];
  submenu?: FakeMenu;
  /** The menu holding the item. */
  menu: FakeMenu;
}

/** `Menu.buildFromTemplate`'s result: the template's items, validated as Electron does. */
export class FakeMenu {
  /** The items, built from the template. */
  readonly items: FakeMenuItem[];
  /** Builds the items; throws on an entry with none of label, role or type, like Electron. */
  constructor(readonly template: (Electron.MenuItemConstructorOptions | Electron.MenuItem)[]) {
    this.items = template.map((entry) => {
      // A real MenuItem cannot exist here, so every entry is read as constructor options.
      const o = entry as Electron.MenuItemConstructorOptions;
      if (o.label === undefined && o.role === undefined && o.type === undefined) {
        throw new TypeError('Invalid template for MenuItem: must have at least one of label, role or type');
      }
      const sub = o.submenu;
      const submenu = sub instanceof FakeMenu ? sub : Array.isArray(sub) ? new FakeMenu(sub) : undefined;
      const type = o.type ?? (submenu ? 'submenu' : 'normal');
      return { label: o.label, id: o.id, type, enabled: o.enabled ?? true, checked: o.checked ?? false, click: o.click, submenu, menu: this };
    });
  }
  /** The item (searching submenus) whose label or id is `labelOrId`. */
  find(labelOrId: string): FakeMenuItem | undefined {
    for (const item of this.items) {
      const found = item.label === labelOrId || item.id === labelOrId ? item : item.submenu?.find(labelOrId);
      if (found) return found;
    }
    return undefined;
  }
}

/** Clicks like the OS: disabled items and separators cannot be; checkbox and radio (group = adjacent radios) update `checked` first. */
function clickItem(item: FakeMenuItem): void {
  if (!item.enabled || item.type === 'separator') throw new Error(`menu item "${item.label ?? item.id}" cannot be clicked (disabled or separator)`);
  if (item.type === 'checkbox') item.checked = !item.checked;
  if (item.type === 'radio') {
    let run: FakeMenuItem[] = [];
    for (const other of [...item.menu.items, undefined]) {
      if (other?.type === 'radio') run.push(other);
      else if (run.includes(item)) for (const radio of run.splice(0)) radio.checked = radio === item;
      else run = [];
    }
  }
  const keyboard = { altKey: false, shiftKey: false, ctrlKey: false, metaKey: false, triggeredByAccelerator: false };
  // Electron passes its own MenuItem; the fake item carries the same label/id/checked/enabled.
  item.click?.(item as unknown as Electron.MenuItem, undefined, keyboard);
}

/** A tray icon; listed in `fake.trays`. */
export class FakeTray extends FakeEmitter<Electron.Tray> implements ShellTray {
  /** The current image's file path. */
  imagePath: string;
  /** The current tooltip. */
  tooltip = '';
  /** The current context menu. */
  menu: FakeMenu | null = null;
  /** Whether `destroy()` was called. */
  destroyed = false;
  /** Throws before ready like Electron. */
  constructor(ctx: Context, image: Electron.NativeImage) {
    super();
    requireReady(ctx, 'Tray');
    ctx.log.push('new Tray');
    this.imagePath = imagePath(image);
    ctx.trays.push(this);
  }
  /** Records the new image's path. */
  setImage(image: Electron.NativeImage | string): void {
    this.imagePath = imagePath(image);
  }
  /** Records the tooltip. */
  setToolTip(toolTip: string): void {
    this.tooltip = toolTip;
  }
  /** Records the menu (built by the fake's `Menu.buildFromTemplate`). */
  setContextMenu(menu: Electron.Menu | null): void {
    this.menu = menu instanceof FakeMenu ? menu : null;
  }
  /** Removes the icon. */
  destroy(): void {
    this.destroyed = true;
  }
  /** A left click on the icon. */
  click(): void {
    this.emit('click', { altKey: false, shiftKey: false, ctrlKey: false, metaKey: false }, { x: 0, y: 0, width: 16, height: 16 }, { x: 8, y: 8 });
  }
}

/** An OS notification; listed in `fake.notifications`. */
export class FakeNotification extends FakeEmitter<Electron.Notification> implements ShellNotification {
  /** `options.title` (or ''). */
  readonly title: string;
  /** `options.body` (or ''). */
  readonly body: string;
  /** `options.urgency`. */
  readonly urgency: Electron.NotificationConstructorOptions['urgency'];
  /** `options.actions` (or []). */
  readonly actions: Electron.NotificationAction[];
  /** Whether `show()` was called. */
  shown = false;
  /** Whether closed (by `close()` or the user). */
  closed = false;
  /** Records the options. */
  constructor(ctx: Context, readonly options: Electron.NotificationConstructorOptions) {
    super();
    this.title = options.title ?? '';
    this.body = options.body ?? '';
    this.urgency = options.urgency;
    this.actions = options.actions ?? [];
    ctx.notifications.push(this);
  }
  /** Puts it on screen; emits `'show'`. */
  show(): void {
    this.shown = true;
    this.closed = false;
    this.emit('show', preventable());
  }
  /** Dismisses it without an event (Electron does not promise `'close'` here). */
  close(): void {
    this.closed = true;
  }
  /** The user clicks it; throws unless shown and open. */
  click(): void {
    this.requireOpen();
    this.emit('click', preventable());
  }
  /** The user presses action button `index`; throws unless shown and the action exists. */
  action(index: number): void {
    this.requireOpen();
    if (!this.actions[index]) throw new RangeError(`notification "${this.title}" has no action ${index}`);
    this.emit('action', preventable({ actionIndex: index, selectionIndex: -1 }), index, -1);
  }
  /** The user closes it: emits `'close'`. */
  dismiss(): void {
    this.requireOpen();
    this.closed = true;
    this.emit('close', preventable());
  }
  private requireOpen(): void {
    if (!this.shown || this.closed) throw new Error(`notification "${this.title}" is not on screen`);
  }
}

const SAFE_STORAGE_VERSION = Buffer.from('v10');
const LAST_RESORT = 1000;

/** A fake Electron: `electron` for the shell, the rest for tests to inspect and drive it. */
export class FakeElectron {
  /** What the shell receives; assignable to `ShellElectron` by construction. */
  readonly electron: ShellElectron;
  /** Mutable switches (`notificationsSupported`, `encryptionAvailable`, `storageBackend`, `argv`, `cwd`). */
  readonly config: FakeConfig;
  /** The computer this launch runs on. */
  readonly machine: FakeMachine;
  /** `electron.app`, with its state (`isReady`, `quitted`, `exitCode`, `relaunches`). */
  readonly app: FakeApp;
  /** `electron.ipcMain` (`listenerCount` through `.events`). */
  readonly ipcMain: FakeEmitter<Electron.IpcMain>;
  /**
   * Calls in order: `app.requestSingleInstanceLock`, `app.ready`, `protocol.registerSchemesAsPrivileged`,
   * `protocol.handle:<scheme>`, `session.setPermissionRequestHandler`, `session.setPermissionCheckHandler`,
   * `new BrowserWindow`, `window.loadURL:<url>`, `new Tray`, `app.quit`, `app.quitted`, `app.exit:<code>`, `app.relaunch`.
   */
  readonly log: string[];
  /** Every window created, destroyed ones included. */
  readonly windows: FakeWindow[];
  /** Every tray created. */
  readonly trays: FakeTray[];
  /** Every notification constructed, shown or not. */
  readonly notifications: FakeNotification[];
  /** `session.defaultSession`'s permission handlers, as last set (null when cleared or never set). */
  readonly permissionHandlers: { request: RequestHandler | null; check: CheckHandler | null } = { request: null, check: null };
  /** Every scheme given to `protocol.registerSchemesAsPrivileged`. */
  readonly privilegedSchemes: Electron.CustomScheme[] = [];
  /** `protocol.handle` handlers by scheme. */
  readonly protocolHandlers = new Map<string, ProtocolHandler>();
  /** Every URL given to `shell.openExternal` (the system browser), in order. */
  readonly openedExternally: string[] = [];
  /** Every save dialog's options, in order. */
  readonly saveDialogs: Electron.SaveDialogOptions[] = [];
  /** What the agent picks in the next save dialogs: a path, or undefined to cancel. */
  saveDialogAnswer: string | undefined;
  /** Every message box's options, in order. */
  readonly messageBoxes: Electron.MessageBoxOptions[] = [];
  /** How the agent answers the next message boxes: the button's index, when the test says (default: the box's `cancelId`, at once). */
  messageBoxAnswer: (options: Electron.MessageBoxOptions) => Promise<number> = (options) => Promise.resolve(options.cancelId ?? 0);
  /** Every `crashReporter.start` options, in order. */
  readonly crashReporterStarts: Electron.CrashReporterStartOptions[] = [];
  private readonly ctx: Context;
  private readonly ownsMachine: boolean;

  constructor(options: FakeElectronOptions = {}) {
    this.ownsMachine = !options.machine;
    this.machine = options.machine ?? createFakeMachine();
    this.config = {
      argv: options.argv ?? [process.execPath, '.'],
      cwd: options.cwd ?? process.cwd(),
      notificationsSupported: options.notificationsSupported ?? true,
      encryptionAvailable: options.encryptionAvailable ?? true,
      storageBackend: options.storageBackend ?? 'gnome_libsecret',
    };
    const ctx = (this.ctx = new Context(this.config, this.machine));
    ({ app: this.app, ipcMain: this.ipcMain, log: this.log, windows: this.windows, trays: this.trays, notifications: this.notifications } = ctx);
    const { permissionHandlers, privilegedSchemes, protocolHandlers, openedExternally, saveDialogs, messageBoxes, crashReporterStarts } = this;
    const answer = (): string | undefined => this.saveDialogAnswer;
    const boxAnswer = (options: Electron.MessageBoxOptions): Promise<number> => this.messageBoxAnswer(options);
    const requireReadyFor = (what: string): void => {
      if (!ctx.app.isReady) throw new Error(`${what} can only be used after the app is ready`);
    };
    const session = {
      setPermissionRequestHandler(handler: RequestHandler | null): void {
        ctx.log.push('session.setPermissionRequestHandler');
        permissionHandlers.request = handler;
      },
      setPermissionCheckHandler(handler: CheckHandler | null): void {
        ctx.log.push('session.setPermissionCheckHandler');
        permissionHandlers.check = handler;
      },
    };
    const encryptionAvailable = (): boolean => ctx.app.isReady && ctx.config.encryptionAvailable;
    const electron = {
      app: ctx.app,
      BrowserWindow: class BrowserWindow extends FakeWindow {
        constructor(options: Electron.BrowserWindowConstructorOptions) {
          super(ctx, options);
        }
      },
      ipcMain: ctx.ipcMain,
      // The shell only hands the menu back to Tray.setContextMenu, which unwraps it.
      Menu: { buildFromTemplate: (template: (Electron.MenuItemConstructorOptions | Electron.MenuItem)[]) => new FakeMenu(template) as unknown as Electron.Menu },
      Tray: class Tray extends FakeTray {
        constructor(image: Electron.NativeImage) {
          super(ctx, image);
        }
      },
      Notification: class Notification extends FakeNotification {
        constructor(options: Electron.NotificationConstructorOptions) {
          super(ctx, options);
        }
        static isSupported(): boolean {
          return ctx.config.notificationsSupported;
        }
      },
      // NativeImage is a native object; the fake image implements the methods the shell calls.
      nativeImage: { createFromPath: (path: string) => new FakeImage(path) as unknown as Electron.NativeImage },
      safeStorage: {
        isEncryptionAvailable: encryptionAvailable,
        encryptString(plainText: string): Buffer {
          if (!encryptionAvailable()) throw new Error('Error while encrypting the text provided to safeStorage.encryptString. Encryption is not available.');
          const iv = randomBytes(12);
          const cipher = createCipheriv('aes-256-gcm', ctx.machine.key, iv);
          const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
          return Buffer.concat([SAFE_STORAGE_VERSION, iv, cipher.getAuthTag(), body]);
        },
        decryptString(encrypted: Buffer): string {
          const fail = (why: string): Error => new Error(`Error while decrypting the ciphertext provided to safeStorage.decryptString. ${why}`);
          if (!encryptionAvailable()) throw fail('Decryption is not available.');
          const v = SAFE_STORAGE_VERSION.length;
          if (encrypted.length < v + 28 || !encrypted.subarray(0, v).equals(SAFE_STORAGE_VERSION)) throw fail('Ciphertext does not appear to be encrypted.');
          try {
            const decipher = createDecipheriv('aes-256-gcm', ctx.machine.key, encrypted.subarray(v, v + 12));
            decipher.setAuthTag(encrypted.subarray(v + 12, v + 28));
            return Buffer.concat([decipher.update(encrypted.subarray(v + 28)), decipher.final()]).toString('utf8');
          } catch {
            throw fail('Decryption failed.');
          }
        },
        getSelectedStorageBackend: (): StorageBackend => ctx.config.storageBackend,
      },
      session: {
        get defaultSession() {
          if (!ctx.app.isReady) throw new Error('Session can only be received when app is ready');
          return session;
        },
      },
      protocol: {
        registerSchemesAsPrivileged(customSchemes: Electron.CustomScheme[]): void {
          if (ctx.app.isReady) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
          ctx.log.push('protocol.registerSchemesAsPrivileged');
          privilegedSchemes.push(...customSchemes);
        },
        handle(scheme: string, handler: ProtocolHandler): void {
          requireReadyFor('protocol.handle');
          if (protocolHandlers.has(scheme)) throw new Error(`Failed to register protocol: ${scheme}`);
          ctx.log.push(`protocol.handle:${scheme}`);
          protocolHandlers.set(scheme, handler);
        },
      },
      powerMonitor: ctx.powerMonitor,
      dialog: {
        // Electron's two overloads: (window, options) and (options); the window is not modelled.
        showSaveDialog(windowOrOptions: unknown, maybeOptions?: Electron.SaveDialogOptions): Promise<Electron.SaveDialogReturnValue> {
          requireReadyFor('dialog.showSaveDialog');
          const options = (maybeOptions ?? windowOrOptions) as Electron.SaveDialogOptions;
          saveDialogs.push(options);
          const path = answer();
          return Promise.resolve({ canceled: path === undefined, filePath: path ?? '' });
        },
        // The same two overloads.
        async showMessageBox(windowOrOptions: unknown, maybeOptions?: Electron.MessageBoxOptions): Promise<Electron.MessageBoxReturnValue> {
          requireReadyFor('dialog.showMessageBox');
          const options = (maybeOptions ?? windowOrOptions) as Electron.MessageBoxOptions;
          messageBoxes.push(options);
          return { response: await boxAnswer(options), checkboxChecked: false };
        },
      } as ShellElectron['dialog'],
      crashReporter: {
        start(options: Electron.CrashReporterStartOptions): void {
          if (crashReporterStarts.length) throw new Error('crashReporter.start can be called once');
          crashReporterStarts.push(options);
        },
      },
      shell: {
        openExternal(url: string): Promise<void> {
          openedExternally.push(url);
          return Promise.resolve();
        },
      },
    } satisfies ShellElectron;
    this.electron = electron;
  }

  /** Emits `'ready'` (the fake never does by itself), then settles so `whenReady()` continuations ran. */
  async ready(): Promise<void> {
    this.ctx.app.markReady();
    await this.settle();
  }

  /** Waits until every queued IPC delivery and fake event has run, plus the promise jobs they started. */
  async settle(): Promise<void> {
    for (let turn = 0; turn < LAST_RESORT; turn++) {
      await new Promise((resolve) => setImmediate(resolve));
      if (this.ctx.pending === 0) return;
    }
    throw new Error('the fake never settled: something keeps sending');
  }

  /** The renderer side of `win`: `on`/`next`/`received` what main sends, `send` to `ipcMain`, `frameUrl`. */
  renderer(win: FakeWindow): FakeRenderer {
    return win.webContents.renderer;
  }

  /** The user closes `win`: preventable `'close'`, destroyed unless prevented. Returns whether it was prevented. */
  closeWindow(win: FakeWindow): boolean {
    return closeWindow(win);
  }

  /** The user minimizes `win`. */
  minimize(win: FakeWindow): void {
    win.minimized = true;
  }

  /** The page navigates to `url`: preventable `'will-navigate'`; the URL changes unless prevented. Returns whether it was prevented. */
  navigate(win: FakeWindow, url: string): boolean {
    return this.navigation(win, 'will-navigate', url);
  }

  /** A server redirect to `url` during navigation: preventable `'will-redirect'`. Returns whether it was prevented. */
  redirect(win: FakeWindow, url: string): boolean {
    return this.navigation(win, 'will-redirect', url);
  }

  /** The page adds a `<webview>`: preventable `'will-attach-webview'` (event, webPreferences, params). Returns whether it was prevented. */
  attachWebview(win: FakeWindow, src = 'https://example.com/', webPreferences: Electron.WebPreferences = {}): boolean {
    const event = preventable();
    win.webContents.emit('will-attach-webview', event, webPreferences, { src });
    return event.defaultPrevented;
  }

  /** The page calls `window.open(url)`: the window open handler's answer (Electron allows when there is none; the fake opens no window). */
  openWindow(win: FakeWindow, url: string): Electron.WindowOpenHandlerResponse {
    const contents = win.webContents;
    const details: Electron.HandlerDetails = { url, frameName: '', features: '', disposition: 'new-window', referrer: { url: contents.url, policy: 'strict-origin-when-cross-origin' } };
    return contents.windowOpenHandler ? contents.windowOpenHandler(details) : { action: 'allow' };
  }

  /** The newest live tray (throws when there is none). */
  tray(): FakeTray {
    const tray = this.trays.findLast((t) => !t.destroyed);
    if (!tray) throw new Error('there is no tray');
    return tray;
  }

  /** The user clicks the tray icon. */
  clickTray(): void {
    this.tray().click();
  }

  /** The user picks the item labelled (or with id) `labelOrId` in the tray's current context menu. */
  clickMenuItem(labelOrId: string): void {
    const menu = this.tray().menu;
    const item = menu?.find(labelOrId);
    if (!item) throw new Error(`no menu item "${labelOrId}" in the tray menu: ${JSON.stringify(menu?.items.map((i) => i.label ?? i.id ?? i.type))}`);
    clickItem(item);
  }

  /** Notifications shown and not closed, in order. */
  get shownNotifications(): FakeNotification[] {
    return this.notifications.filter((n) => n.shown && !n.closed);
  }

  /** The page requests `permission`: the request handler's answer (true without a handler, as in Electron). */
  requestPermission(permission: Permission, win = this.liveWindow()): Promise<boolean> {
    const handler = this.permissionHandlers.request;
    if (!handler) return Promise.resolve(true);
    const contents = win.webContents;
    // Electron's handler is typed for a real WebContents; the fake one has what the shell uses.
    return new Promise((resolve) => handler(contents as unknown as Electron.WebContents, permission, resolve, { isMainFrame: true, requestingUrl: contents.url }));
  }

  /** The page checks `permission`: the check handler's answer (true without a handler, as in Electron). */
  checkPermission(permission: CheckedPermission, win = this.liveWindow()): boolean {
    const handler = this.permissionHandlers.check;
    if (!handler) return true;
    const contents = win.webContents;
    const origin = contents.url ? new URL(contents.url).origin : '';
    // As in requestPermission: typed for a real WebContents.
    return handler(contents as unknown as Electron.WebContents, permission, origin, { isMainFrame: true, requestingUrl: contents.url });
  }

  /** A request to `url` reaching the `protocol.handle` handler of its scheme (a real `Request`); its `Response`. */
  async fetch(url: string, init?: RequestInit): Promise<Response> {
    const scheme = new URL(url).protocol.slice(0, -1);
    const handler = this.protocolHandlers.get(scheme);
    if (!handler) throw new TypeError(`net::ERR_UNKNOWN_URL_SCHEME: no protocol.handle for ${scheme}:`);
    return handler(new Request(url, init));
  }

  /** macOS hands the app a link (`tel:…`): `app` emits `'open-url'`. Returns whether the app took it (prevented the default). */
  openUrl(url: string): boolean {
    const event = preventable();
    this.ctx.app.emit('open-url', event, url);
    return event.defaultPrevented;
  }

  /** The computer wakes: `powerMonitor` emits `'resume'`. */
  resume(): void {
    this.ctx.powerMonitor.emit('resume', preventable());
  }

  /** The computer sleeps: `powerMonitor` emits `'suspend'`. */
  suspend(): void {
    this.ctx.powerMonitor.emit('suspend', preventable());
  }

  /** Releases the single-instance lock and deletes the machine's temp directory if this fake created it. */
  dispose(): void {
    if (this.machine.lockHolder === this.app) this.machine.lockHolder = undefined;
    if (this.ownsMachine) this.machine.dispose();
  }

  private navigation(win: FakeWindow, name: 'will-navigate' | 'will-redirect', url: string): boolean {
    const contents = win.webContents;
    const event = preventable({ url, isSameDocument: false, isMainFrame: true, frame: null, initiator: null });
    contents.emit(name, event, url, false, true, 1, 1);
    if (!event.defaultPrevented) contents.url = url;
    return event.defaultPrevented;
  }

  private liveWindow(): FakeWindow {
    const win = this.windows.findLast((w) => !w.isDestroyed());
    if (!win) throw new Error('there is no window to ask for the permission');
    return win;
  }
}

/** A fake Electron for one launch of the app (see `FakeElectron`; `'ready'` waits for `fake.ready()`). */
export function createFakeElectron(options: FakeElectronOptions = {}): FakeElectron {
  return new FakeElectron(options);
}
