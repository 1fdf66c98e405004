/**
 * A platform is its folder plus one line in the registry: its id and its name appear nowhere else in
 * the product's code, and its own account fields nowhere outside `main/vendors/` (the desk, the
 * hosts, the bridge and the window speak one vocabulary, and derive everything platform-specific
 * from the registry; another platform may well call a variable `baseUrl`).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { platforms } from '../../main/vendors/index.js';

const ROOT = join(import.meta.dirname, '..', '..');
const REGISTRY = 'main/vendors/index.ts';

/** Every source file of the product (not its tests, fixtures or build output). */
function productFiles(): string[] {
  const out: string[] = [];
  for (const top of ['common', 'main', 'preload', 'renderer']) {
    for (const entry of readdirSync(join(ROOT, top), { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && /\.(ts|svelte|mts|js)$/.test(entry.name)) out.push(relative(ROOT, join(entry.parentPath, entry.name)));
    }
  }
  return out;
}

/**
 * The desk's own words that a platform's account field happens to share: the desk's language layer
 * speaks of a `locale` (issue 19; `common/locales.ts`) as every i18n library does, and one platform's
 * login also takes a `locale` field. The word is the desk's; the field stays the platform's.
 */
const DESK_VOCABULARY = new Set(['locale']);

describe('platform boundaries', () => {
  const files = productFiles();
  const shared = new Set(platforms().flatMap((p, i, all) => Object.keys(p.shape).filter((key) => all.some((q, j) => j !== i && key in q.shape))));

  for (const platform of platforms()) {
    it(`names ${platform.name} (its id and its own fields) only in its folder and the registry`, () => {
      const own = `main/vendors/${platform.id}/`;
      const fields = Object.keys(platform.shape).filter((key) => !shared.has(key) && !DESK_VOCABULARY.has(key));
      const found: string[] = [];
      for (const file of files) {
        if (file.startsWith(own) || file === REGISTRY) continue;
        const words = file.startsWith('main/vendors/') ? [platform.id, platform.name] : [platform.id, platform.name, ...fields];
        const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
        lines.forEach((line, i) => {
          for (const word of words) {
            const flags = word === platform.id || word === platform.name ? 'i' : '';
            if (new RegExp(`\\b${word}\\b`, flags).test(line)) found.push(`${file}:${i + 1}: ${word}`);
          }
        });
      }
      assert.deepEqual(found, [], `outside ${own} and the registry:\n${found.join('\n')}`);
    });
  }
});
