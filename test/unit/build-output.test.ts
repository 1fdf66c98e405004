/**
 * What the build puts where (issue 16, finding 6): the main process and preload bundles reference
 * no source map (`sourceMappingURL`), so none is looked for beside them. Built in memory with the
 * project's own Vite configs; the renderer's build, served by both hosts, is checked end to end
 * (test/e2e/web-host.test.ts: no `.map` in it at all).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { build, type Rollup } from 'vite';

const ROOT = join(import.meta.dirname, '..', '..');

async function bundle(mode: string): Promise<Rollup.OutputChunk[]> {
  const result = await build({ root: ROOT, configFile: join(ROOT, 'vite.main.config.ts'), mode, logLevel: 'silent', build: { write: false } });
  const outputs = (Array.isArray(result) ? result : [result]) as Rollup.RollupOutput[];
  return outputs.flatMap((output) => output.output).filter((file): file is Rollup.OutputChunk => file.type === 'chunk');
}

describe('the Electron bundles', () => {
  for (const mode of ['production', 'preload']) {
    it(`reference no source map (${mode === 'preload' ? 'preload' : 'main process'})`, async () => {
      const chunks = await bundle(mode);
      assert.ok(chunks.length > 0);
      for (const chunk of chunks) assert.doesNotMatch(chunk.code, /sourceMappingURL/, chunk.fileName);
    });
  }
});
