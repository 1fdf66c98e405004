/**
 * The supervisor as a fleet sees it (issue 16; ARCHITECTURE.md principle 12), on Node's mock timers
 * and an injected random source: full-jitter delays within their bounds, no reset before a healthy
 * spell, a reset after one, `Retry-After` as a floor (seconds and HTTP date), fatal errors and a
 * second refused sign-in stop retrying, and stop is bounded against a hung server.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import fc from 'fast-check';
import type { ConnectorEvent } from '../../main/desk/events.js';
import { ConnectionError } from '../../main/desk/port.js';
import { createLogger } from '../../main/log.js';
import { defineConnector, END_SESSION_WITHIN_MS } from '../../main/vendors/kit/connector.js';
import { parseHttpDate, retryAfterMs } from '../../main/vendors/kit/retry-after.js';
import { seededRandom } from '../../main/vendors/kit/simulator.js';
import {
  backoffDelayMs,
  ConnectionSupervisor,
  DEFAULT_BACKOFF,
  maxAttemptsWithin,
  STOP_WITHIN_MS,
  type BackoffPolicy,
  type Session,
} from '../../main/vendors/kit/supervisor.js';

const log = createLogger('silent');

/** A session the test ends at will. */
interface TestSession extends Session {
  end(cause?: Error): void;
}

function session(): TestSession {
  let settle!: (cause: Error | undefined) => void;
  const closed = new Promise<Error | undefined>((resolve) => (settle = resolve));
  return { closed, end: (cause) => settle(cause ?? new Error('the server ended the session')), close: async () => settle(undefined) };
}

/** Lets the supervisor's promise chains run (setImmediate is not mocked). */
async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** Moves the mock clock on by `ms` in steps, letting promises run between them. */
async function advance(t: TestContext, ms: number, step = 50): Promise<void> {
  await flush();
  for (let left = ms; left > 0; left -= step) {
    t.mock.timers.tick(Math.min(step, left));
    await flush();
  }
}

/** A supervisor on mock timers, with what it did recorded. */
function rig(t: TestContext, connect: (attempt: number) => Promise<Session>, backoff: BackoffPolicy = { ...DEFAULT_BACKOFF, random: () => 0 }) {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 });
  const events: ConnectorEvent[] = [];
  const attempts: Array<{ attempt: number; at: number }> = [];
  const supervisor = new ConnectionSupervisor({
    connect: (attempt) => {
      attempts.push({ attempt, at: Date.now() });
      return connect(attempt);
    },
    emit: (event) => events.push(event),
    log,
    backoff,
  });
  const states = (): string[] => events.flatMap((e) => (e.type === 'connection' ? [e.state] : []));
  const last = (): Extract<ConnectorEvent, { type: 'connection' }> | undefined =>
    events.filter((e): e is Extract<ConnectorEvent, { type: 'connection' }> => e.type === 'connection').at(-1);
  return { supervisor, events, attempts, states, last };
}

/** A server that accepts every session and ends it at once. */
const acceptThenEnd = async (): Promise<Session> => {
  const s = session();
  queueMicrotask(() => s.end());
  return s;
};

describe('backoff arithmetic', () => {
  it('doubles from 1 s to a 60 s cap on the outage\'s phase, each delay drawn from the last 15 % of its step', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, draw, phase) => {
          const step = Math.min(60_000, 1_000 * 2 ** (attempt - 1 + phase));
          const delay = backoffDelayMs(attempt, DEFAULT_BACKOFF, () => draw, phase);
          return delay >= Math.floor(step * 0.85) && delay <= Math.ceil(step);
        },
      ),
    );
    assert.deepEqual([1, 2, 3, 6, 7, 20].map((n) => backoffDelayMs(n, DEFAULT_BACKOFF, () => 0)), [850, 1_700, 3_400, 27_200, 51_000, 51_000], 'phase 0, every draw at its floor');
    assert.deepEqual([1, 2, 6, 7].map((n) => backoffDelayMs(n, DEFAULT_BACKOFF, () => 0, 0.5)), [1_202, 2_404, 38_467, 51_000], 'phase ½: every step √2 longer, still capped');
    assert.equal(backoffDelayMs(3, { initialMs: 1_000, maxMs: 60_000, jitter: 1 }, () => 0), 0, 'jitter 1 is AWS full jitter: random(0, step)');
    assert.equal(backoffDelayMs(3, { initialMs: 1_000, maxMs: 60_000, jitter: 0 }, () => 0.3), 4_000, 'jitter 0 and no phase: the step itself');
  });

  it('bounds what one desk can do: at most 6 logins in the first 30 s, whatever the draws; no bound without a floor', () => {
    assert.equal(maxAttemptsWithin(30_000, DEFAULT_BACKOFF), 6);
    assert.equal(maxAttemptsWithin(30_000, { ...DEFAULT_BACKOFF, jitter: 1 }), Number.POSITIVE_INFINITY);
    // A policy scaled in time keeps the bound over the scaled window (the conformance suite's storm case).
    assert.equal(maxAttemptsWithin(3_000, { ...DEFAULT_BACKOFF, initialMs: 100, maxMs: 6_000 }), 6);
  });

  it('spreads a fleet evenly after its server comes back: its logins peak at most 3× their mean, where fresh full-jitter draws peak 4× and more', () => {
    // 1 000 desks lose the server at once; it listens again after `down` ms. Each desk's next
    // attempt from then on is a login; the recovery's window ends with the last one.
    const peakOverMean = (policy: BackoffPolicy, downMs: number, seed: number): number => {
      const random = seededRandom(seed);
      const logins: number[] = [];
      for (let desk = 0; desk < 1_000; desk++) {
        let at = random() * 200;
        const phase = policy.phased ? random() : 0;
        for (let n = 1; at < downMs; n++) at += backoffDelayMs(n, policy, random, phase) + 50;
        logins.push(at - downMs);
      }
      const buckets = new Array<number>(Math.ceil(Math.max(...logins) / 1_000) + 1).fill(0);
      for (const t of logins) buckets[Math.floor(t / 1_000)]! += 1;
      return Math.max(...buckets) / (1_000 / Math.max(1, Math.ceil(Math.max(...logins) / 1_000)));
    };
    const fullJitter: BackoffPolicy = { initialMs: 1_000, maxMs: 60_000, jitter: 0.8 };
    for (const downMs of [3_000, 10_000, 30_000, 120_000]) {
      for (const seed of [1, 2, 3]) {
        const phased = peakOverMean(DEFAULT_BACKOFF, downMs, seed);
        assert.ok(phased <= 3, `down ${downMs} ms, seed ${seed}: the logins peaked at ${phased.toFixed(2)}× their mean`);
      }
    }
    assert.ok(peakOverMean(fullJitter, 10_000, 1) > 4, 'the per-attempt draws this replaced front-load the logins');
  });
});

describe('Retry-After (RFC 9110 §10.2.3)', () => {
  const now = Date.UTC(2026, 11, 5, 10, 0, 0);
  it('reads delay-seconds and the three HTTP-date forms, in GMT', () => {
    assert.equal(retryAfterMs('120', now), 120_000);
    assert.equal(retryAfterMs(' 0 ', now), 0);
    assert.equal(retryAfterMs('Sat, 05 Dec 2026 10:00:30 GMT', now), 30_000);
    assert.equal(retryAfterMs('Saturday, 05-Dec-26 10:01:00 GMT', now), 60_000);
    assert.equal(retryAfterMs('Sat Dec  5 10:00:05 2026', now), 5_000);
    assert.equal(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT'), Date.UTC(1994, 10, 6, 8, 49, 37));
    assert.equal(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', now), Date.UTC(1994, 10, 6, 8, 49, 37), 'a two-digit year more than 50 years ahead is in the past');
  });

  it('takes a date already past as no wait, and ignores what is not a Retry-After', () => {
    assert.equal(retryAfterMs('Sat, 05 Dec 2026 09:00:00 GMT', now), 0);
    for (const bad of [null, undefined, '', '-5', '1.5', '2', 'soon', 'Sat, 31 Feb 2026 10:00:00 GMT', 'Sat, 05 Dec 2026 10:00:00 CET', '2026-12-05T10:00:30Z']) {
      if (bad === '2') continue;
      assert.equal(retryAfterMs(bad, now), undefined, `"${String(bad)}" is ignored`);
    }
    assert.equal(parseHttpDate('2'), undefined, 'Date.parse would read "2" as a year');
  });
});

describe('connection supervisor on a failing server', () => {
  it('a server that accepts then ends every session at once: attempts keep growing, at most 6 logins in 30 s', async (t) => {
    const { supervisor, attempts } = rig(t, acceptThenEnd);
    supervisor.start();
    await advance(t, 30_000);
    assert.ok(attempts.length <= 6, `${attempts.length} logins in 30 s`);
    assert.deepEqual(
      attempts.map((a) => a.attempt),
      attempts.map((_, i) => i),
      'every early end counts as one more failed attempt',
    );
    await advance(t, 10 * 60_000, 1_000);
    const gaps = attempts.slice(1).map((a, i) => a.at - attempts[i]!.at);
    assert.ok(gaps.slice(-3).every((gap) => gap >= 51_000), `late gaps stay at the cap's floor or more: ${gaps.join(', ')}`);
    const stopping = supervisor.stop();
    await advance(t, 100);
    await stopping;
  });

  it('does not start the backoff over before a session stayed healthy for 60 s, even with signs of life', async (t) => {
    let current: TestSession | undefined;
    let openedAt = 0;
    const { supervisor, attempts, last } = rig(t, async () => {
      openedAt = Date.now();
      return (current = session());
    });
    supervisor.start();
    for (let i = 0; i < 4; i++) {
      await advance(t, 10);
      supervisor.healthy();
      await advance(t, openedAt + 59_000 - Date.now(), 1_000);
      current!.end();
      await advance(t, 10);
      assert.equal(last()?.state, 'reconnecting');
      assert.equal(last()?.type === 'connection' && last()?.attempt, i + 1, 'a session ended before its healthy spell is a failed attempt');
      const at = attempts.length;
      while (attempts.length === at) await advance(t, 100, 100);
    }
    assert.deepEqual(
      attempts.map((a) => a.attempt),
      [0, 1, 2, 3, 4],
    );
    const stopping = supervisor.stop();
    await advance(t, 100);
    await stopping;
  });

  it('starts over after a session stayed up 60 s with a sign of life; the handshake alone proves nothing', async (t) => {
    let current: TestSession | undefined;
    let fail = 3;
    const { supervisor, attempts, last } = rig(t, async () => {
      if (fail-- > 0) throw new ConnectionError('connection refused');
      return (current = session());
    });
    supervisor.start();
    await advance(t, 7_000);
    assert.equal(attempts.length, 4, 'three failures (0.85 + 1.7 + 3.4 s at the floor), then a session');
    // Open 90 s without a sign of life: not healthy yet.
    await advance(t, 90_000, 1_000);
    current!.end();
    await advance(t, 10);
    assert.equal(last()?.type === 'connection' && last()?.attempt, 4, 'no sign of life: the backoff goes on');
    await advance(t, 10_000, 100);
    assert.equal(attempts.length, 5);
    // A sign of life, then the spell passes: the next failure is the first again.
    await advance(t, 1_000);
    supervisor.healthy();
    await advance(t, 60_000, 1_000);
    current!.end();
    await advance(t, 10);
    const reconnecting = last();
    assert.equal(reconnecting?.type === 'connection' && reconnecting.attempt, 1, 'the backoff started over');
    const next = Date.parse((reconnecting as { nextAttemptAt: string }).nextAttemptAt) - Date.now();
    assert.ok(next <= 1_000, `the first step again (${next} ms)`);
    await advance(t, 1_000);
    assert.equal(attempts.at(-1)?.attempt, 1, 'the first failure since the healthy spell');
    const stopping = supervisor.stop();
    await advance(t, 100);
    await stopping;
  });

  for (const [form, header] of [
    ['seconds', '45'],
    ['an HTTP date', 'Thu, 01 Jan 1970 00:00:45 GMT'],
  ] as const) {
    it(`waits at least what Retry-After asks (${form}), longer than its own backoff`, async (t) => {
      let busy = true;
      const { supervisor, attempts, last } = rig(t, async () => {
        if (busy) throw new ConnectionError('the server is busy (HTTP 503)', false, { retryAfterMs: retryAfterMs(header, Date.now()) });
        return session();
      });
      supervisor.start();
      await advance(t, 10);
      assert.equal(attempts.length, 1);
      const reconnecting = last() as { nextAttemptAt: string };
      assert.equal(Date.parse(reconnecting.nextAttemptAt), 45_000, 'the desk shows when it tries again');
      supervisor.resume(); // the machine woke: not a reason to ignore the server
      await advance(t, 44_900, 100);
      assert.equal(attempts.length, 1, 'no attempt before 45 s');
      busy = false;
      await advance(t, 200);
      assert.equal(attempts.length, 2, 'the attempt after 45 s');
      await advance(t, 10);
      assert.equal(supervisor.connected, true);
      const stopping = supervisor.stop();
      await advance(t, 100);
      await stopping;
    });
  }

  it('stops at failed on an error only a person can fix, and tries again only on Retry', async (t) => {
    let fatal = true;
    const { supervisor, attempts, states, last } = rig(t, async () => {
      if (fatal) throw new ConnectionError('the licence was revoked — ask an administrator', true);
      return session();
    });
    supervisor.start();
    await advance(t, 10 * 60_000, 5_000);
    assert.equal(attempts.length, 1, 'no retry loop on a fatal error');
    assert.equal(last()?.state, 'failed');
    assert.match((last() as { reason: string }).reason, /licence/);
    // The agent reads it in their language: a code, the connector's words as its detail.
    assert.deepEqual((last() as { said?: unknown }).said, { key: 'accounts.reason.failed', values: { detail: 'the licence was revoked — ask an administrator' } });
    fatal = false;
    supervisor.retry();
    await advance(t, 10);
    assert.deepEqual(states(), ['connecting', 'failed', 'connecting', 'connected']);
    assert.equal(attempts.at(-1)?.attempt, 0, 'Retry starts the backoff over');
    const stopping = supervisor.stop();
    await advance(t, 100);
    await stopping;
  });

  it('a refused sign-in gets one fresh sign-in; a second in a row is failed, with what to check', async (t) => {
    let current: TestSession | undefined;
    const unauthorized = (): ConnectionError => new ConnectionError('the token was refused (HTTP 401)', false, { unauthorized: true });
    let refuse = false;
    const { supervisor, attempts, last } = rig(t, async () => {
      if (refuse) throw unauthorized();
      return (current = session());
    });
    supervisor.start();
    await advance(t, 10);
    // A token that expired after a long, healthy session: one fresh sign-in, which works.
    supervisor.healthy();
    await advance(t, 61_000, 1_000);
    current!.end(unauthorized());
    await advance(t, 2_000);
    assert.equal(attempts.length, 2);
    assert.equal(last()?.state, 'connected');
    // Refused again right after that fresh sign-in: revoked.
    current!.end(unauthorized());
    await advance(t, 10);
    assert.equal(last()?.state, 'failed');
    assert.match((last() as { reason: string }).reason, /check the account settings/);
    assert.equal((last() as { said?: { key: string } }).said?.key, 'accounts.reason.revoked');
    // And when the fresh sign-in itself is refused: failed too, after exactly one try.
    supervisor.retry();
    await advance(t, 10);
    current!.end(unauthorized());
    refuse = true;
    const before = attempts.length;
    await advance(t, 5_000);
    assert.equal(attempts.length, before + 1, 'one fresh sign-in');
    assert.equal(last()?.state, 'failed');
    await advance(t, 10 * 60_000, 10_000);
    assert.equal(attempts.length, before + 1, 'then nothing until Retry');
    const stopping = supervisor.stop();
    await advance(t, 100);
    await stopping;
  });

  it('stops within its deadline when the server hangs: a close that never ends, a connection attempt that never answers', async (t) => {
    const hung: Session = { closed: new Promise(() => undefined), close: () => new Promise(() => undefined) };
    const first = rig(t, async () => hung);
    first.supervisor.start();
    await advance(t, 10);
    let stopped = false;
    void first.supervisor.stop().then(() => (stopped = true));
    await advance(t, STOP_WITHIN_MS - 100);
    assert.equal(stopped, false);
    await advance(t, 200);
    assert.equal(stopped, true, 'stopped at the deadline');
    assert.equal(first.last()?.state, 'stopped');
    t.mock.timers.reset();

    const second = rig(t, () => new Promise<Session>(() => undefined));
    second.supervisor.start();
    await advance(t, 10);
    stopped = false;
    void second.supervisor.stop().then(() => (stopped = true));
    await advance(t, STOP_WITHIN_MS + 100);
    assert.equal(stopped, true, 'a connection attempt on its way does not hold the stop');
  });

  it("a connector's stop is bounded too: ending the vendor session and closing get a deadline (within 3 s)", async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 });
    const connector = defineConnector<object>({
      platform: 'Test',
      capabilities: { presence: [], dial: false, callControl: false, chats: false, callbacks: false, queues: false, team: false },
      connect: async () => ({ session: { closed: new Promise(() => undefined), close: () => new Promise(() => undefined) }, live: {} }),
      endSession: () => new Promise(() => undefined),
      commands: {},
    });
    const events: ConnectorEvent[] = [];
    connector.start({ emit: (e) => events.push(e), log });
    await advance(t, 10);
    assert.ok(events.some((e) => e.type === 'connection' && e.state === 'connected'));
    let stopped = false;
    void connector.stop().then(() => (stopped = true));
    await advance(t, END_SESSION_WITHIN_MS + STOP_WITHIN_MS + 50);
    assert.equal(stopped, true);
    assert.ok(END_SESSION_WITHIN_MS + STOP_WITHIN_MS <= 3_000 - 500, 'the budget leaves the rest of the app time to quit within 3 s');
  });

  it("counts the connector's events and successful commands as signs of life", async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 });
    let current: TestSession | undefined;
    let emitEvent: (() => void) | undefined;
    const attempts: number[] = [];
    const connector = defineConnector<object>({
      platform: 'Test',
      capabilities: { presence: ['ready'], dial: false, callControl: false, chats: false, callbacks: false, queues: false, team: false },
      backoff: { ...DEFAULT_BACKOFF, random: () => 0 },
      connect: async (ctx, attempt) => {
        attempts.push(attempt);
        emitEvent = () => ctx.emit({ type: 'talking', talking: false });
        return { session: (current = session()), live: {} };
      },
      commands: { 'presence.set': async () => undefined },
    });
    connector.start({ emit: () => undefined, log });
    await advance(t, 10);
    // Two sessions end early: attempts 1 and 2.
    for (let i = 0; i < 2; i++) {
      current!.end();
      await advance(t, 2_000);
    }
    assert.deepEqual(attempts, [0, 1, 2]);
    emitEvent!();
    await advance(t, 61_000, 1_000);
    current!.end();
    await advance(t, 2_000);
    assert.deepEqual(attempts, [0, 1, 2, 1], 'an event proved the session: the backoff started over (not attempt 3)');
    await connector.execute({ type: 'presence.set', state: 'ready' });
    await advance(t, 61_000, 1_000);
    current!.end();
    await advance(t, 2_000);
    assert.deepEqual(attempts, [0, 1, 2, 1, 1], 'so did a command that succeeded');
    const stopping = connector.stop();
    await advance(t, 100);
    await stopping;
  });
});
