/**
 * Start at login, in the tray (`display.startAtLogin`): on Windows a Run key with `--hidden`, on
 * macOS a login item (Electron has no login items on Linux, so it is left alone there). A start with
 * `--hidden`, or on macOS by the login item, shows no window until the tray is clicked.
 */
import type { ShellElectron } from '../electron-api.js';

/** The command-line switch a login item starts the app with: no window until the tray is clicked. */
export const HIDDEN_SWITCH = '--hidden';

/** What {@link startLoginItem} needs besides Electron. */
export interface LoginItemOptions {
  platform: NodeJS.Platform;
  /** The agent's setting `display.startAtLogin`. */
  openAtLogin: boolean;
}

/** Applies the setting to the OS's login items; says whether this launch was a login item's (macOS). */
export function startLoginItem(electron: ShellElectron, options: LoginItemOptions): { openedAtLogin: boolean } {
  const { app } = electron;
  const { platform, openAtLogin } = options;
  if (platform === 'win32') app.setLoginItemSettings({ openAtLogin, args: [HIDDEN_SWITCH] });
  else if (platform === 'darwin') app.setLoginItemSettings({ openAtLogin });
  return { openedAtLogin: platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin };
}
