/**
 * The demo's scripted clock: steps run after their delay, none after `stop()`, and a silent
 * schedule (the bench's idle desk) runs none at all yet stops like any other.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from '../../main/log.js';
import { DemoSchedule } from '../../main/vendors/kit/simulator.js';

const log = createLogger('silent');
const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('demo schedule', () => {
  it('runs a step after its delay, and none once stopped', async () => {
    const schedule = new DemoSchedule(log);
    const ran: string[] = [];
    schedule.after(5, () => ran.push('first'));
    schedule.after(60_000, () => ran.push('never'));
    await wait(30);
    assert.deepEqual(ran, ['first']);
    assert.equal(schedule.stop(), true);
    assert.equal(schedule.stop(), false, 'a second stop says it had stopped');
  });

  it('silent: runs no step, and stops like any other (a demo closes its simulator on the first stop)', async () => {
    const schedule = new DemoSchedule(log, 1, { silent: true });
    const ran: string[] = [];
    schedule.after(0, () => ran.push('step'));
    await wait(20);
    assert.deepEqual(ran, []);
    assert.equal(schedule.stop(), true);
  });
});
