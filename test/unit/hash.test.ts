/**
 * Transcript line ids (`kit/hash.ts`): a line read again — after a reconnect, or over REST — must
 * get the id it had, or the agent sees it twice. So the hash of given parts never changes: pinned
 * here, and compared with the first implementation (module-level lanes, `toString(16)` digits) on
 * any parts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { fastHash, fastHashOf } from '../../main/vendors/kit/hash.js';

/** The first implementation of fastHashOf, as it shipped. */
function fastHashOfBefore(parts: ReadonlyArray<string | number | null | undefined>): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  const mix = (c: number): void => {
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  };
  for (const part of parts) {
    if (part === null || part === undefined) mix(0x6e);
    else if (typeof part === 'number') {
      if (Number.isSafeInteger(part)) {
        mix(0x69);
        mix(part | 0);
        mix(Math.floor(part / 0x1_0000_0000) | 0);
      } else {
        const text = String(part);
        mix(0x66);
        mix(text.length);
        for (let i = 0; i < text.length; i++) mix(text.charCodeAt(i));
      }
    } else {
      mix(0x73);
      mix(part.length);
      for (let i = 0; i < part.length; i++) mix(part.charCodeAt(i));
    }
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}

describe('line ids from the fast hash', () => {
  it('gives the ids it has always given', () => {
    assert.equal(fastHash(''), '1aee8d83488bdcb8');
    assert.equal(fastHash('line 12'), '1abc17065fea1dea');
    assert.equal(fastHash('Grüße 😀'), 'cc81234f8302d1f1');
    assert.equal(fastHashOf([]), '1aee8d83488bdcb8');
    assert.equal(fastHashOf([3, 'C1', 1763628000003, 'Text', 'line 3']), '07e882072e42cff3');
    assert.equal(fastHashOf([null, undefined, 1.5, -(2 ** 40), 'ab', 'c']), '2726dd0350af4089');
    assert.equal(fastHashOf(['a', 'bc']), '27b798d50c99d1b5');
  });

  it('hashes any parts as the first implementation did', () => {
    const part = fc.oneof(fc.constant(null), fc.constant(undefined), fc.string({ unit: 'binary' }), fc.integer(), fc.maxSafeInteger(), fc.double());
    fc.assert(
      fc.property(fc.array(part, { maxLength: 6 }), (parts) => {
        assert.equal(fastHashOf(parts), fastHashOfBefore(parts));
      }),
      { numRuns: 2000 },
    );
  });
});
