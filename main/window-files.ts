/**
 * Which files of the built window (`dist/renderer`) a host serves, decided once for both: the web
 * host's static handler (`web.ts`) and the Electron `app://` handler (`shell/protocol.ts`).
 *
 * The path is judged **after** it is percent-decoded and normalised, as the file system will see
 * it, and only the kinds of file the window is built from are served (an allow-list): so
 * `app.js.%6dap`, `app.js%2emap`, `app.js.map/`, `..%2f`, `app.js.MAP` or, on Windows,
 * `app.js.map.` and `app.js.map::$DATA` never reach a source map (issue 16, finding 6).
 */
import { posix } from 'node:path';

/** The content type of each kind of file the window is built from; nothing else is served. */
export const WINDOW_FILE_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/**
 * The file a request's path names in the built window, relative to its folder (`index.html` for
 * `/`), or `undefined` when nothing may be served for it: a path that does not decode, holds a NUL
 * or a backslash, names a folder, a dot file, a source map anywhere in it, or a kind of file not in
 * {@link WINDOW_FILE_TYPES}. `..` cannot climb out: the path is normalised from the root.
 * @param pathname the URL's path, still percent-encoded (`new URL(…).pathname`).
 */
export function windowFile(pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const relative = posix.normalize(`/${decoded}`).replace(/^\/+/, '');
  if (relative === '') return 'index.html';
  if (relative.endsWith('/')) return undefined;
  const segments = relative.split('/');
  if (segments.some((segment) => segment.startsWith('.') || /\.map$/i.test(segment))) return undefined;
  return Object.hasOwn(WINDOW_FILE_TYPES, posix.extname(relative)) ? relative : undefined;
}
