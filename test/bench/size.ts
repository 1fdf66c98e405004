/**
 * Question 6 — the renderer's size: every file of the built bundle (`dist/renderer`, built by
 * `npm run bench` first), raw and gzipped (level 9, as a server or an installer would pack it).
 * Source maps are not shipped to the window and are left out.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface SizeRow {
  file: string;
  bytes: number;
  gzipBytes: number;
}

const DIR = new URL('../../dist/renderer/', import.meta.url).pathname;

export function measureSize(): { files: SizeRow[]; totalGzipBytes: number; totalBytes: number } {
  const files: SizeRow[] = [];
  for (const entry of readdirSync(DIR, { recursive: true }) as string[]) {
    const path = join(DIR, entry);
    if (!statSync(path).isFile() || entry.endsWith('.map')) continue;
    const data = readFileSync(path);
    files.push({ file: relative(DIR, path), bytes: data.length, gzipBytes: gzipSync(data, { level: 9 }).length });
  }
  files.sort((a, b) => b.gzipBytes - a.gzipBytes);
  return { files, totalBytes: files.reduce((n, f) => n + f.bytes, 0), totalGzipBytes: files.reduce((n, f) => n + f.gzipBytes, 0) };
}
