/**
 * A built window with a source map in it, and the ways to ask a host for that map that a check on
 * the raw path misses (issue 16, finding 6). Both hosts' tests try them all.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A built window stand-in (a fresh temporary folder): a page, a script, and the script's source map, which names `secret.ts`. */
export function rendererWithMap(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ac-renderer-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Agent Companion</title><script type="module" src="./assets/app.js"></script>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'export {};');
  writeFileSync(join(dir, 'assets', 'app.js.map'), '{"version":3,"sources":["secret.ts"]}');
  return dir;
}

/** `/assets/app.js.map` percent-encoded, cased, padded, with dot segments (`.%6dap`, `%2emap`, `.map/`, `..%2f` …). */
export const MAP_SPELLINGS = [
  '/assets/app.js.map',
  '/assets/app.js.%6dap',
  '/assets/app.js.%6D%61%70',
  '/assets/app.js%2emap',
  '/assets/app.js%2Emap',
  '/assets/app.js.map/',
  '/assets/app.js.map//',
  '/assets/..%2fassets/app.js.map',
  '/x/..%2f..%2fassets%2fapp.js.map',
  '/assets%2fapp.js.map',
  '//assets/app.js.map',
  '/./assets/app.js.map',
  '/assets/app.js.map?download',
  '/assets/app.js.map%00',
  '/assets/app.js.map.',
  '/assets/app.js.map%20',
  '/assets/app.js.MAP',
  '/assets/app.js.map%3a%3a$DATA',
  '/assets/app.js%252emap',
];

