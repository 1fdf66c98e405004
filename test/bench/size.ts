/**
 * Question 6 — the renderer's size: every file of the built bundle (`dist/renderer`, built by
 * `npm run bench` first), raw and gzipped (level 9, as a server or an installer would pack it).
 * Source maps are not shipped to the window and are left out.
 *
 * The first desk is what a window loads to show the desk: everything but the locale chunks
 * (`assets/<locale>-<hash>.js`, one per language but English, which is in the entry; issue 19),
 * plus the largest of them — a window loads the one language it shows, and only that one.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { LOCALES } from '../../common/locales.js';

export interface SizeRow {
  file: string;
  bytes: number;
  gzipBytes: number;
}

const DIR = new URL('../../dist/renderer/', import.meta.url).pathname;

/** A locale's own chunk (`assets/de-Ab12.js`), loaded only by a window that shows that language. */
const LOCALE_CHUNK = new RegExp(`^assets/(${LOCALES.join('|')})-[\\w-]+\\.js$`);

export function measureSize(): { files: SizeRow[]; totalGzipBytes: number; totalBytes: number; firstDeskGzipBytes: number; largestLocale?: SizeRow } {
  const files: SizeRow[] = [];
  for (const entry of readdirSync(DIR, { recursive: true }) as string[]) {
    const path = join(DIR, entry);
    if (!statSync(path).isFile() || entry.endsWith('.map')) continue;
    const data = readFileSync(path);
    files.push({ file: relative(DIR, path), bytes: data.length, gzipBytes: gzipSync(data, { level: 9 }).length });
  }
  files.sort((a, b) => b.gzipBytes - a.gzipBytes);
  const locales = files.filter((f) => LOCALE_CHUNK.test(f.file));
  const largestLocale = locales[0];
  const firstDeskGzipBytes = files.filter((f) => !LOCALE_CHUNK.test(f.file)).reduce((n, f) => n + f.gzipBytes, 0) + (largestLocale?.gzipBytes ?? 0);
  return {
    files,
    totalBytes: files.reduce((n, f) => n + f.bytes, 0),
    totalGzipBytes: files.reduce((n, f) => n + f.gzipBytes, 0),
    firstDeskGzipBytes,
    ...(largestLocale ? { largestLocale } : {}),
  };
}
