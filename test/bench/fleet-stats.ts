/**
 * The fleet simulation's arithmetic, pure (no clock, no I/O), so a unit test can hold it
 * (`test/unit/fleet-stats.test.ts`): when each desk was back after a restart, the share of desks
 * back by a time, logins in one-second buckets, and desks that logged in more than once in one
 * backoff step. Times are ms since the epoch (`Date.now()`, one clock for every thread).
 */
import { percentile } from './core.js';

/** One change of a desk's connection, as its core showed it. */
export interface ConnectionChange {
  /** ms since the epoch. */
  at: number;
  state: 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'stopped';
  /** Reconnect attempt number while reconnecting (1-based). */
  attempt?: number;
  /** When the supervisor's next attempt starts (ms since the epoch), while reconnecting. */
  nextAttemptAt?: number;
}

/** What one desk did: its connection changes and its agent's logins at the server, each in time order. */
export interface DeskTrace {
  changes: readonly ConnectionChange[];
  logins: readonly number[];
}

/**
 * When a desk was back after the server came back at `backAt`: the first moment at or after its
 * first login since `backAt` at which its core showed it connected (the login itself when the core
 * never left `connected`, e.g. a token applied for again within a live session). Every session
 * died with the old server, so a desk that has not logged in since is not back, whatever it shows.
 * @returns ms since the epoch, or undefined when it is not back (yet).
 */
export function backAtOf(trace: DeskTrace, backAt: number): number | undefined {
  const login = trace.logins.find((t) => t >= backAt);
  if (login === undefined) return undefined;
  const { changes } = trace;
  let i = 0;
  let atLogin: ConnectionChange['state'] | undefined;
  for (; i < changes.length && changes[i]!.at <= login; i++) atLogin = changes[i]!.state;
  if (atLogin === 'connected') return login;
  for (; i < changes.length; i++) if (changes[i]!.state === 'connected') return changes[i]!.at;
  return undefined;
}

/** Seconds after `backAt` until `share` (0–1) of `desks` desks were back; undefined when fewer ever were. */
export function secondsUntilShare(backTimes: ReadonlyArray<number | undefined>, desks: number, backAt: number, share: number): number | undefined {
  const back = backTimes.filter((t): t is number => t !== undefined).sort((a, b) => a - b);
  const needed = Math.max(1, Math.ceil(share * desks));
  if (back.length < needed) return undefined;
  return (back[needed - 1]! - backAt) / 1000;
}

/** Logins per one-second bucket from `from` over `seconds` buckets (at least one), the peak and the mean. */
export function loginBuckets(logins: readonly number[], from: number, seconds: number): { buckets: number[]; peak: number; mean: number } {
  const count = Math.max(1, Math.ceil(seconds));
  const buckets = new Array<number>(count).fill(0);
  for (const t of logins) {
    const i = Math.floor((t - from) / 1000);
    if (i >= 0 && i < count) buckets[i]! += 1;
  }
  const total = buckets.reduce((a, b) => a + b, 0);
  return { buckets, peak: Math.max(...buckets), mean: total / count };
}

/**
 * Whether a desk logged in more than once in one backoff step after `from` (the server stopped):
 * each reconnect the supervisor announced opens a step at its next attempt's start; a login belongs
 * to the last step started before it (or to the session before the first one). Two logins in one
 * step are logins the backoff did not space: a second sign-in within one attempt, or one outside
 * the supervisor. @returns the largest number of logins in one step.
 */
export function mostLoginsInOneStep(trace: DeskTrace, from: number): number {
  const starts = trace.changes
    .filter((c) => c.at >= from && c.state === 'reconnecting' && c.nextAttemptAt !== undefined)
    .map((c) => c.nextAttemptAt!)
    .sort((a, b) => a - b);
  const perStep = new Map<number, number>();
  for (const login of trace.logins) {
    if (login < from) continue;
    let step = 0;
    while (step < starts.length && starts[step]! <= login) step += 1;
    perStep.set(step, (perStep.get(step) ?? 0) + 1);
  }
  return Math.max(0, ...perStep.values());
}

/** p50/p99/p100 (nearest rank) of values; NaN for none. */
export function spread(values: readonly number[]): { p50: number; p99: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: percentile(sorted, 100) };
}
