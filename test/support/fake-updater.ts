/**
 * A fake of electron-updater's `autoUpdater`, as `main/updates.ts` drives it ({@link Updater}): it
 * records the feed, the checks and the install, and the test says when an update was downloaded.
 */
import { EventEmitter } from 'node:events';
import type { Updater } from '../../main/updates.js';

export class FakeUpdater implements Updater {
  autoDownload = false;
  autoInstallOnAppQuit = false;
  allowDowngrade = true;
  /** Every feed set, in order. */
  readonly feeds: Array<{ provider: 'generic'; url: string; channel: string }> = [];
  /** When each check was made (`Date.now()`, fake timers included). */
  readonly checks: number[] = [];
  /** Every `quitAndInstall` call's arguments. */
  readonly installs: Array<[boolean | undefined, boolean | undefined]> = [];
  /** Checks fail with this, when set (the server cannot be reached). */
  failChecks: Error | undefined;
  private readonly events = new EventEmitter();

  setFeedURL(options: { provider: 'generic'; url: string; channel: string }): void {
    this.feeds.push(options);
  }
  checkForUpdates(): Promise<unknown> {
    this.checks.push(Date.now());
    if (this.failChecks) {
      this.events.emit('error', this.failChecks);
      return Promise.reject(this.failChecks);
    }
    return Promise.resolve(null);
  }
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void {
    this.installs.push([isSilent, isForceRunAfter]);
  }
  on(event: 'update-downloaded' | 'error', listener: ((info: { version: string }) => void) | ((error: Error) => void)): this {
    this.events.on(event, listener);
    return this;
  }
  /** The server had `version` and it finished downloading. */
  downloaded(version: string): void {
    this.events.emit('update-downloaded', { version });
  }
}
