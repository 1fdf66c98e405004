/**
 * Crash and hang awareness (issue 22, point 5):
 *
 * - Electron's crash reporter (Crashpad) keeps minidumps in `app.getPath('crashDumps')`; they are
 *   sent nowhere unless a policy or the config names a server (`crashReports.uploadUrl`). The
 *   diagnostics zip lists them (`crash-dumps.json`).
 * - A window whose page crashed (`render-process-gone`, any reason but a clean exit) or stopped
 *   answering for {@link HANG_RELOAD_MS} is logged and reloaded **once**; if it happens again, it
 *   is only logged, so a page that crashes at load is not reloaded in a loop [I].
 */
import type { ShellElectron, ShellWindow } from '../electron-api.js';
import type { AppConfig } from '../config.js';
import type { ShellEnv, Stop } from './env.js';

/** How long a window may not answer before its page is reloaded (Chrome's "page unresponsive" waits about as long) [I], ms. */
export const HANG_RELOAD_MS = 15_000;

/**
 * Starts the crash reporter: dumps kept locally, uploaded only to `uploadUrl`.
 * @returns the folder the dumps are kept in (for the diagnostics' list), or undefined when Electron has none.
 */
export function startCrashReporter(electron: ShellElectron, env: Pick<ShellEnv, 'log'> & { crashReports: AppConfig['crashReports'] }): string | undefined {
  const { uploadUrl } = env.crashReports;
  electron.crashReporter.start({ uploadToServer: uploadUrl !== undefined, submitURL: uploadUrl ?? '', compress: true, ignoreSystemCrashHandler: false });
  env.log.info({ upload: uploadUrl ?? 'none: kept on this computer' }, 'crash reports on');
  try {
    return electron.app.getPath('crashDumps');
  } catch {
    return undefined;
  }
}

/** Reloads the desk window's page once after a crash or a hang, and logs every one (for the window's life). */
export function watchRenderer(window: ShellWindow, env: Pick<ShellEnv, 'log'>): Stop {
  const { log } = env;
  const contents = window.webContents;
  let reloaded = false;
  let hang: ReturnType<typeof setTimeout> | undefined;
  /** Set while the page's process is ended for a hang: its `render-process-gone` says why. */
  let endedForHang = false;

  const reloadOnce = (why: string): void => {
    if (window.isDestroyed()) return;
    if (reloaded) {
      log.error({ why }, 'the window failed again; not reloading it a second time (the tray still works; quit and start the app)');
      return;
    }
    reloaded = true;
    log.warn({ why }, 'reloading the window');
    contents.reload();
  };
  const onGone = (_event: unknown, details: Electron.RenderProcessGoneDetails): void => {
    if (details.reason === 'clean-exit') return;
    const why = endedForHang ? `no answer for ${HANG_RELOAD_MS / 1000} s` : `page gone: ${details.reason}`;
    endedForHang = false;
    log.error({ reason: details.reason, exitCode: details.exitCode, why }, 'the window’s page ended');
    reloadOnce(why);
  };
  const onUnresponsive = (): void => {
    log.warn('the window stopped responding');
    clearTimeout(hang);
    hang = setTimeout(() => {
      hang = undefined;
      // A hung page does not reload itself: its process is ended first (Electron's documented way),
      // whose render-process-gone reloads it.
      endedForHang = true;
      contents.forcefullyCrashRenderer();
    }, HANG_RELOAD_MS);
  };
  const onResponsive = (): void => {
    if (hang === undefined) return;
    clearTimeout(hang);
    hang = undefined;
    log.info('the window responds again');
  };
  contents.on('render-process-gone', onGone);
  window.on('unresponsive', onUnresponsive);
  window.on('responsive', onResponsive);
  window.once('closed', () => clearTimeout(hang));
  return () => clearTimeout(hang);
}
