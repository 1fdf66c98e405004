/** The README's platform table says what the registry holds (regenerate it with `npm run docs`). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { withPlatformTable } from '../../scripts/readme-platforms.js';

describe('README', () => {
  it('lists every registered platform, as the registry describes it', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    assert.equal(readme, withPlatformTable(readme), 'README.md is out of date: run `npm run docs`');
  });
});
