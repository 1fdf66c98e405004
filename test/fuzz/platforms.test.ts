/**
 * Every registered platform's parse path, fuzzed from the registry: its bench stream's frames
 * (its folder's `testing.ts`; `PlatformBench` in `main/vendors/kit/testing.ts`), cut, spliced,
 * doubled, their bytes flipped, through the connector's own path. No exception escapes, what comes
 * out is plain data, and the path lives on: the stream's next frames still fold. A platform added
 * to the registry is fuzzed here with no change; its own parsers get a file of their own beside this one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type fc from 'fast-check';
import { createLogger } from '../../main/log.js';
import { testedPlatforms } from '../support/platform-testing.js';
import { check, mutatedBytes, mutatedText, notPlain } from './mutate.js';

const silent = createLogger('silent');
const tested = await testedPlatforms();

describe('every platform’s parse path, fuzzed from the registry', () => {
  for (const platform of tested) {
    const bench = platform.bench;
    it(`${platform.name}: any mangled frame of its stream is dropped or folded, and the stream goes on`, () => {
      const frames = bench.frames(40);
      const next = bench.frames(12, 40);
      const bytes = frames.every((f) => Buffer.isBuffer(f));
      const arbitrary: fc.Arbitrary<unknown> = bytes ? mutatedBytes(frames as Buffer[]) : mutatedText(frames.map(String));
      check(`${platform.id}: registry parse path`, arbitrary, (frame) => {
        const parse = bench.parser(silent);
        for (const good of frames.slice(0, 2)) parse(good);
        assert.equal(notPlain(parse(frame)), undefined);
        // On a framed stream a mangled frame may be a protocol error: the connector reconnects and
        // reads afresh, which a fresh parse path stands for.
        const after = bytes ? bench.parser(silent) : parse;
        const events = next.flatMap((good) => after(good));
        assert.ok(events.length > 0, 'the stream’s next frames still fold');
        assert.equal(notPlain(events), undefined);
      });
    });
  }
});
