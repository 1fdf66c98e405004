/**
 * The fleet bench's arithmetic (`test/bench/fleet-stats.ts`): the verdicts of `npm run bench --
 * --fleet` (back within 90 s, logins spread, one login per backoff step) rest on it, so a mistake
 * here would pass a storm or fail a calm fleet.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backAtOf, loginBuckets, mostLoginsInOneStep, secondsUntilShare, type ConnectionChange } from '../bench/fleet-stats.js';

const T = 1_000_000;
const change = (at: number, state: ConnectionChange['state'], nextAttemptAt?: number): ConnectionChange => ({ at: T + at, state, ...(nextAttemptAt !== undefined ? { nextAttemptAt: T + nextAttemptAt } : {}) });

describe('fleet statistics', () => {
  it('a desk is back when it is connected after logging in to the restarted server, not before', () => {
    const changes = [change(0, 'connected'), change(100, 'reconnecting', 1_100), change(1_200, 'reconnecting', 3_000), change(3_050, 'connected')];
    assert.equal(backAtOf({ changes, logins: [T - 5_000, T + 3_010] }, T + 2_000), T + 3_050);
    // Still showing connected from before the restart, without a login since: not back.
    assert.equal(backAtOf({ changes: [change(0, 'connected')], logins: [T - 5_000] }, T + 2_000), undefined);
    // Signed in again within a live session (the core never left connected): back at the login.
    assert.equal(backAtOf({ changes: [change(0, 'connected')], logins: [T + 2_500] }, T + 2_000), T + 2_500);
    // Logged in, but the session did not come up (yet).
    assert.equal(backAtOf({ changes: changes.slice(0, 3), logins: [T + 3_010] }, T + 2_000), undefined);
  });

  it('the share of desks back counts every desk, the ones never back too', () => {
    const back = [T + 1_000, T + 3_000, undefined, T + 2_000];
    assert.equal(secondsUntilShare(back, 4, T, 0.5), 2);
    assert.equal(secondsUntilShare(back, 4, T, 0.75), 3);
    assert.equal(secondsUntilShare(back, 4, T, 1), undefined);
    assert.equal(secondsUntilShare([T + 500], 1, T, 0.99), 0.5);
  });

  it('logins fall in one-second buckets from the restart; the mean is over the whole window', () => {
    const { buckets, peak, mean } = loginBuckets([T - 1, T, T + 999, T + 1_000, T + 2_500, T + 9_000], T, 2.5);
    assert.deepEqual(buckets, [2, 1, 1]);
    assert.equal(peak, 2);
    assert.equal(mean, 4 / 3);
    assert.deepEqual(loginBuckets([], T, 0.2), { buckets: [0], peak: 0, mean: 0 });
  });

  it('one login per backoff step is fine; two in one step, or one outside the supervisor, are not', () => {
    const steps = [change(0, 'reconnecting', 800), change(900, 'reconnecting', 2_500), change(2_600, 'reconnecting', 6_000), change(6_100, 'connected')];
    assert.equal(mostLoginsInOneStep({ changes: steps, logins: [T + 820, T + 2_510, T + 6_020] }, T), 1);
    // A second sign-in within the same attempt.
    assert.equal(mostLoginsInOneStep({ changes: steps, logins: [T + 820, T + 2_510, T + 2_540] }, T), 2);
    // Logging in again and again while the core shows connected: all in one step.
    assert.equal(mostLoginsInOneStep({ changes: [change(0, 'connected')], logins: [T + 100, T + 1_100, T + 2_100] }, T), 3);
    // Logins before the server stopped are not counted.
    assert.equal(mostLoginsInOneStep({ changes: steps, logins: [T - 10, T - 5, T + 820] }, T), 1);
  });
});
