/**
 * The log limiter (issue 16, finding 5): what anyone can cause again and again is logged at most
 * once per interval per reason, with the count, on an injected clock.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LogLimiter, type LimiterTimers } from '../../main/log-limiter.js';

/** Timers that run only when the test moves the clock. */
function fakeTimers(): LimiterTimers & { advance(ms: number): void; pending(): number } {
  let now = 0;
  let next = 0;
  const due = new Map<number, { at: number; run: () => void }>();
  return {
    setTimeout(run, ms) {
      next += 1;
      due.set(next, { at: now + ms, run });
      return next;
    },
    clearTimeout(handle) {
      due.delete(handle as number);
    },
    advance(ms) {
      const until = now + ms;
      for (;;) {
        const first = [...due.entries()].filter(([, timer]) => timer.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
        if (!first) break;
        due.delete(first[0]);
        now = first[1].at;
        first[1].run();
      }
      now = until;
    },
    pending: () => due.size,
  };
}

function recorder(): { lines: Array<{ fields: Record<string, unknown>; message: string }>; log: { warn(fields: object, message: string): void } } {
  const lines: Array<{ fields: Record<string, unknown>; message: string }> = [];
  return { lines, log: { warn: (fields: object, message: string) => void lines.push({ fields: fields as Record<string, unknown>, message }) } };
}

const MESSAGES = { 'foreign-origin': 'refused a bridge connection from a foreign origin', 'wrong-token': 'refused a bridge connection with a missing or wrong token' };

describe('log limiter', () => {
  it('logs the first event at once, then one line a minute per reason with the count, never one per event', () => {
    const timers = fakeTimers();
    const { lines, log } = recorder();
    const limiter = new LogLimiter(log, MESSAGES, { timers });
    for (let i = 0; i < 300; i++) limiter.note('foreign-origin', { origin: `http://evil${i}.example` });
    assert.equal(lines.length, 1, 'the first one only, at once');
    assert.deepEqual(lines[0], { fields: { origin: 'http://evil0.example', reason: 'foreign-origin', count: 1 }, message: 'refused a bridge connection from a foreign origin' });

    limiter.note('wrong-token');
    assert.equal(lines.length, 2, 'another reason has its own line');

    timers.advance(59_999);
    assert.equal(lines.length, 2, 'nothing more within the minute');
    timers.advance(1);
    assert.equal(lines.length, 3, 'the minute ends: one line with the count (the wrong token came once: nothing to add)');
    assert.deepEqual(lines[2], {
      fields: { origin: 'http://evil299.example', reason: 'foreign-origin', count: 299, intervalS: 60 },
      message: 'refused a bridge connection from a foreign origin (299 more in the last 60 s)',
    });

    // Still knocking: counted in the next minute too, one line at its end.
    for (let i = 0; i < 50; i++) limiter.note('foreign-origin', { origin: 'http://evil.example' });
    timers.advance(60_000);
    assert.equal(lines.length, 4);
    assert.equal(lines[3]!.fields.count, 50);

    // A quiet minute: the reason starts over, and its next event is logged at once.
    timers.advance(60_000);
    assert.equal(lines.length, 4);
    assert.equal(timers.pending(), 0, 'no timer left for a quiet reason');
    limiter.note('foreign-origin', { origin: 'http://again.example' });
    assert.equal(lines.length, 5);
    assert.equal(lines[4]!.fields.count, 1);
  });

  it('says what it still counted when it closes, and nothing after', () => {
    const timers = fakeTimers();
    const { lines, log } = recorder();
    const limiter = new LogLimiter(log, MESSAGES, { timers, intervalMs: 10_000 });
    limiter.note('wrong-token');
    limiter.note('wrong-token');
    limiter.note('wrong-token');
    limiter.close();
    assert.deepEqual(
      lines.map((line) => [line.message, line.fields.count]),
      [
        ['refused a bridge connection with a missing or wrong token', 1],
        ['refused a bridge connection with a missing or wrong token (2 more in the last 10 s)', 2],
      ],
    );
    assert.equal(timers.pending(), 0);
    limiter.note('wrong-token');
    timers.advance(60_000);
    assert.equal(lines.length, 2);
  });
});
