/**
 * The window's origin: the built renderer served on `app://desk/` (not `file://`), with the
 * window's Content-Security-Policy on every file. Only the kinds of file the window is built from
 * are served, judged on the decoded, normalised path (`main/window-files.ts`): nothing outside the
 * build, no source map in any spelling.
 */
import { readFile } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import type { ShellElectron } from '../electron-api.js';
import { WINDOW_FILE_TYPES, windowFile } from '../window-files.js';

/** The custom protocol the window is served from. */
export const APP_SCHEME = 'app';
/** The window's page. */
export const APP_URL = `${APP_SCHEME}://desk/index.html`;
/** The origin of the window's page: the wire is accepted only from a frame under it. */
export const APP_ORIGIN = `${APP_SCHEME}://desk/`;

/** The window's Content-Security-Policy (sent with every file of the protocol; index.html repeats it). */
export const WINDOW_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Gives `app:` the privileges of a web origin (standard, secure, fetch). Electron accepts it only before `ready`. */
export function registerAppScheme(electron: ShellElectron): void {
  electron.protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/**
 * Answers one `app:` request from the built renderer in `rendererDir`: the file with its content
 * type, the CSP and `nosniff`; 404 for another host, a path {@link windowFile} refuses, anything
 * outside the folder, or a file that cannot be read.
 */
export async function serveWindowFile(rendererDir: string, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const relative = url.host === 'desk' ? windowFile(url.pathname) : undefined;
  const file = relative === undefined ? undefined : join(rendererDir, relative);
  if (!file || !file.startsWith(rendererDir + sep)) return new Response('Not found', { status: 404 });
  try {
    const body = await readFile(file);
    return new Response(body, {
      headers: { 'Content-Type': WINDOW_FILE_TYPES[extname(file)]!, 'Content-Security-Policy': WINDOW_CSP, 'X-Content-Type-Options': 'nosniff' },
    });
  } catch {
    return new Response('Not found', { status: 404 });
  }
}

/** Serves `app://desk/` from `rendererDir` for the app's life (after `ready`, before any window). */
export function startAppProtocol(electron: ShellElectron, rendererDir: string): void {
  electron.protocol.handle(APP_SCHEME, (request) => serveWindowFile(rendererDir, request));
}
