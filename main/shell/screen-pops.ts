/**
 * Screen pops in the system browser (`shell.openExternal`): the ones the core opens by itself (the
 * agent's setting `auto`), and a link the window asks to open ("Open in CRM") only when it is the
 * address of a pop the core decided. Nothing else leaves the app for the browser.
 */
import type { Core } from '../app.js';
import type { ShellElectron } from '../electron-api.js';
import type { Logger } from '../log.js';
import type { Stop } from './env.js';

/** Whether `url` is the address of a screen pop the core decided for a call on the desk. */
export function isScreenPop(core: Core | undefined, url: string): boolean {
  const pops = Object.values(core?.desk.state.screenPops ?? {});
  return pops.some((pop) => pop.url !== undefined && pop.url === url);
}

/** Opens `url` in the system browser; a browser that does not open is logged, never thrown. */
export function openInBrowser(electron: ShellElectron, log: Logger, url: string): void {
  electron.shell.openExternal(url).catch((error: Error) => log.warn({ err: error }, 'the browser did not open the screen pop'));
}

/** Opens each screen pop the core opens by itself, until stopped. */
export function startScreenPops(electron: ShellElectron, core: Core, log: Logger): Stop {
  const unsubscribe = core.onScreenPop((pop) => openInBrowser(electron, log, pop.url));
  return () => void unsubscribe();
}
