/**
 * Writes the README's platform table from the registry (`main/vendors/index.ts`), between the
 * `<!-- platforms -->` and `<!-- /platforms -->` markers. `npm run docs`; a unit test fails while
 * the README and the registry disagree.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { platformTable } from '../main/vendors/index.js';

const README = new URL('../README.md', import.meta.url);
const START = '<!-- platforms -->';
const END = '<!-- /platforms -->';

/** The README with its platform table rewritten from the registry. */
export function withPlatformTable(readme: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${START} … ${END} markers`);
  return `${readme.slice(0, start + START.length)}\n${platformTable()}\n${readme.slice(end)}`;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  writeFileSync(README, withPlatformTable(readFileSync(README, 'utf8')));
  process.stdout.write('README.md: platform table written from the registry\n');
}
