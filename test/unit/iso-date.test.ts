/**
 * Event times: a time already in the desk's ISO-8601 UTC form skips `Date.parse` (issue 12), and
 * every time — canonical or not — still comes out exactly as the full conversion gave it before.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { canonicalIsoUtc, isoAt, isoNow } from '../../main/vendors/kit/iso-date.js';
import { enreachDate } from '../../main/vendors/enreach/schema.js';
import { eventTime } from '../../main/vendors/threec/contract.js';

/** Enreach's conversion as it was before the fast path (every input through it). */
function enreachDateBefore(value: string): string | undefined | null {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^9999-/.test(trimmed) || /^0001-/.test(trimmed)) return undefined;
  const hasZone = /(Z|[+-]\d\d:?\d\d)$/i.test(trimmed);
  const candidate = (hasZone ? trimmed : `${trimmed}Z`).replace(/(\.\d{3})\d+/, '$1').replace(' ', 'T');
  const ms = Date.parse(candidate);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** 3C's conversion as it was before the fast path. */
function eventTimeBefore(timestamp: unknown, fallback: string): string {
  if (typeof timestamp !== 'string') return fallback;
  const ms = Date.parse(timestamp);
  return Number.isNaN(ms) ? fallback : new Date(ms).toISOString();
}

const FALLBACK = '2000-01-01T00:00:00.000Z';

/** Inputs at the edges: canonical ones, and near misses that must take the long way. */
const EDGES = [
  '2026-11-20T08:00:00.010Z',
  '2026-11-20T08:00:00Z',
  '2024-02-28T23:59:59.999Z',
  '2024-02-29T10:00:00.000Z', // leap day: the long way, same answer
  '2023-02-29T10:00:00.000Z', // no such day: V8 rolls it over to 1 March
  '2024-02-30T00:00:00.000Z',
  '2024-04-31T00:00:00.000Z',
  '2024-12-31T00:00:00.000Z',
  '2024-01-01T24:00:00.000Z', // 24:00 is the next day
  '2024-01-01T23:59:60.000Z', // a leap second is not a date
  '2024-13-01T00:00:00.000Z',
  '2024-00-10T00:00:00.000Z',
  '0000-01-01T00:00:00.000Z',
  '9999-12-31T23:59:59.999Z', // Enreach: DateTime.MaxValue, "continuous"
  '0001-01-01T00:00:00.000Z', // Enreach: DateTime.MinValue
  '2024-05-01T10:00:00',
  '2024-05-01T10:00:00.1234567',
  '2024-05-01T10:00:00.1234567Z',
  '2024-05-01T10:00:00.12Z',
  '2024-05-01 10:00:00Z',
  '2024-05-01T10:00:00+02:00',
  '2024-05-01T10:00:00.000z',
  ' 2024-05-01T10:00:00.000Z',
  '2024-05-01T10:00:00.000Z ',
  '2024-05-01T10:00:00.000Z\n',
  '+002024-05-01T10:00:00.000Z',
  'not a date',
  '',
];

describe('event times in the desk form', () => {
  it('writes a time in ms as toISOString does, minute after minute, and refuses what toISOString refuses', () => {
    const written = (ms: number): string => {
      try {
        return new Date(ms).toISOString();
      } catch {
        return 'RangeError';
      }
    };
    const at = (ms: number): string => {
      try {
        return isoAt(ms);
      } catch (error) {
        assert.ok(error instanceof RangeError);
        return 'RangeError';
      }
    };
    // A transcript's lines a few ms to seconds apart (the minute's text reused), then any time at all.
    let ms = Date.parse('2026-11-20T08:59:58.000Z');
    for (let i = 0; i < 5_000; i++) {
      ms += (i * 7919) % 1_500;
      assert.equal(at(ms), written(ms));
    }
    const any = fc.oneof(fc.integer({ min: -8.64e15 - 10, max: 8.64e15 + 10 }), fc.double(), fc.constantFrom(0, -1, 59_999, 60_000, -60_000, -60_001, 8.64e15, -8.64e15));
    fc.assert(
      fc.property(fc.array(any, { minLength: 1, maxLength: 8 }), (times) => {
        for (const t of times) assert.equal(at(t), written(t));
      }),
      { numRuns: 3_000 },
    );
  });

  it('stamps an event with the time now, as toISOString writes it, following the clock', async () => {
    const before = Date.now();
    const stamp = isoNow();
    assert.equal(canonicalIsoUtc(stamp), stamp);
    assert.ok(Date.parse(stamp) >= before && Date.parse(stamp) <= Date.now());
    // A later millisecond is a later stamp (the text is made again once the clock moved).
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.ok(isoNow() > stamp);
  });

  it('gives a canonical UTC time back unchanged, adds milliseconds where there were none, and passes any other form to the long way', () => {
    assert.equal(canonicalIsoUtc('2026-11-20T08:00:00.010Z'), '2026-11-20T08:00:00.010Z');
    assert.equal(canonicalIsoUtc('2026-11-20T08:00:00Z'), '2026-11-20T08:00:00.000Z');
    assert.equal(canonicalIsoUtc('2024-05-01T10:00:00+02:00'), undefined);
    assert.equal(canonicalIsoUtc('2024-02-30T00:00:00.000Z'), undefined);
    assert.equal(canonicalIsoUtc('2024-05-01T10:00:00'), undefined);
  });

  it('Enreach and 3C convert every edge case exactly as before', () => {
    for (const value of EDGES) {
      assert.equal(enreachDate(value), enreachDateBefore(value), `Enreach ${JSON.stringify(value)}`);
      assert.equal(eventTime(value, FALLBACK), eventTimeBefore(value, FALLBACK), `3C ${JSON.stringify(value)}`);
    }
  });

  it('Enreach and 3C convert any time, in any of the forms they meet, exactly as before', () => {
    const instant = fc.date({ min: new Date(Date.UTC(0, 0, 1)), max: new Date(Date.UTC(9999, 11, 31, 23, 59, 59, 999)), noInvalidDate: true });
    const pad = (n: number, width: number): string => String(n).padStart(width, '0');
    // Field by field, so that out-of-range days, hours, minutes and seconds come up too.
    const fields = fc
      .record({ y: fc.integer({ min: 0, max: 9999 }), mo: fc.integer({ min: 0, max: 13 }), d: fc.integer({ min: 0, max: 32 }), h: fc.integer({ min: 0, max: 25 }), mi: fc.integer({ min: 0, max: 60 }), s: fc.integer({ min: 0, max: 61 }), ms: fc.integer({ min: 0, max: 999 }) })
      .map(({ y, mo, d, h, mi, s, ms }) => `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}.${pad(ms, 3)}Z`);
    const text = fc.oneof(
      instant.map((d) => d.toISOString()),
      instant.map((d) => d.toISOString().replace(/\.\d{3}Z$/, 'Z')),
      instant.map((d) => d.toISOString().replace('Z', '')),
      instant.map((d) => d.toISOString().replace('Z', '1234Z')),
      fields,
      fields.map((s) => s.replace(/\.\d{3}/, '')),
      fc.string(),
    );
    fc.assert(
      fc.property(text, (value) => {
        assert.equal(enreachDate(value), enreachDateBefore(value));
        assert.equal(eventTime(value, FALLBACK), eventTimeBefore(value, FALLBACK));
      }),
      { numRuns: 5000 },
    );
  });
});
