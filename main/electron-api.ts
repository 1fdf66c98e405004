/**
 * The part of Electron's API the shell (`main/shell.ts` and its modules, `main/shell/`) uses, as
 * slices of the `electron` package's own declarations. The shell is written against this type, the
 * real module satisfies it by construction (`main/electron.ts` passes `import * as electron from
 * 'electron'`), and the tests' fake (`test/support/electron-fake.ts`) must satisfy it too: when
 * Electron's declarations change, the fake stops compiling instead of drifting (ARCHITECTURE.md,
 * principle 9).
 *
 * Type imports only: nothing here loads Electron, so tests import the shell in plain Node.
 */
import type * as Electron from 'electron';

/** A window's web contents, as the shell uses them. */
export type ShellWebContents = Pick<
  Electron.WebContents,
  'id' | 'send' | 'isDestroyed' | 'on' | 'once' | 'setWindowOpenHandler' | 'getURL' | 'reload' | 'forcefullyCrashRenderer'
>;

/** A browser window, as the shell uses it. */
export type ShellWindow = Pick<
  Electron.BrowserWindow,
  'on' | 'once' | 'show' | 'hide' | 'focus' | 'isDestroyed' | 'isMinimized' | 'isVisible' | 'restore' | 'loadURL' | 'destroy' | 'isFocused' | 'flashFrame'
> & { readonly webContents: ShellWebContents };

/** A tray icon, as the shell uses it. */
export type ShellTray = Pick<Electron.Tray, 'setImage' | 'setToolTip' | 'setContextMenu' | 'on' | 'destroy'>;

/** An OS notification, as the shell uses it. */
export type ShellNotification = Pick<Electron.Notification, 'show' | 'close' | 'on'>;

/** A session, as the shell uses it (permission handlers). */
export type ShellSession = Pick<Electron.Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>;

/** Everything the shell takes from the `electron` module. */
export interface ShellElectron {
  app: Pick<
    Electron.App,
    | 'on'
    | 'once'
    | 'whenReady'
    | 'quit'
    | 'exit'
    | 'relaunch'
    | 'requestSingleInstanceLock'
    | 'getPath'
    | 'getLoginItemSettings'
    | 'setLoginItemSettings'
    | 'setAsDefaultProtocolClient'
    | 'setBadgeCount'
    | 'getVersion'
    | 'getPreferredSystemLanguages'
  >;
  /** The save dialog "Save diagnostics…" asks where with; the message box an update's restart is asked with. */
  dialog: Pick<typeof Electron.dialog, 'showSaveDialog' | 'showMessageBox'>;
  /** Crash dumps kept locally, uploaded only where a policy says (`shell/crashes.ts`). */
  crashReporter: Pick<Electron.CrashReporter, 'start'>;
  BrowserWindow: new (options: Electron.BrowserWindowConstructorOptions) => ShellWindow;
  ipcMain: Pick<Electron.IpcMain, 'on' | 'removeAllListeners'>;
  Menu: Pick<typeof Electron.Menu, 'buildFromTemplate'>;
  Tray: new (image: Electron.NativeImage) => ShellTray;
  Notification: (new (options: Electron.NotificationConstructorOptions) => ShellNotification) & Pick<typeof Electron.Notification, 'isSupported'>;
  nativeImage: Pick<typeof Electron.nativeImage, 'createFromPath'>;
  safeStorage: Pick<Electron.SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'>;
  session: { readonly defaultSession: ShellSession };
  protocol: Pick<Electron.Protocol, 'handle' | 'registerSchemesAsPrivileged'>;
  powerMonitor: Pick<Electron.PowerMonitor, 'on' | 'removeListener'>;
  /** Opens allowed screen pops in the system browser. */
  shell: Pick<Electron.Shell, 'openExternal'>;
}

/** The event types the shell receives from Electron, re-exported so the fake can build them. */
export type IpcMainEvent = Electron.IpcMainEvent;
export type MenuItemConstructorOptions = Electron.MenuItemConstructorOptions;
export type NativeImage = Electron.NativeImage;
