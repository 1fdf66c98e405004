/**
 * The Enreach demo: the scripted day plays through the simulator and reaches the desk through the
 * real connector; stop() clears every timer.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import type { DeskEvent } from '../../main/desk/events.js';
import { initialState, reduce } from '../../main/desk/store.js';
import { createEnreachConnector } from '../../main/vendors/enreach/connector.js';
import { startEnreachDemo } from '../../main/vendors/enreach/demo.js';
import { eventually } from '../fixtures/enreach/harness.js';

describe('Enreach demo', () => {
  it('plays calls, queue figures, callbacks and availability through the real protocol, and stops', async () => {
    const log = pino({ level: 'silent' });
    const demo = await startEnreachDemo({ log, intervalMs: 150 });
    const connector = createEnreachConnector(demo.account, demo.secrets, { backoff: { initialMs: 20, maxMs: 200, jitter: 0 } });
    let desk = initialState([{ id: demo.account.id, vendor: 'enreach', label: 'demo', demo: true, presenceOptions: [] }], new Date().toISOString());
    let calls = 0;
    let queueUpdates = 0;
    connector.start({
      emit(event) {
        if (event.type === 'call' && event.call.state === 'ringing') calls += 1;
        if (event.type === 'queue') queueUpdates += 1;
        desk = reduce(desk, { ...event, accountId: demo.account.id, at: new Date().toISOString() } as DeskEvent);
      },
      log,
    });
    try {
      await eventually(() => desk.accounts[demo.account.id]?.connection === 'connected', 'connected');
      assert.equal(Object.keys(desk.queues).length, demo.simulator.queues.length);
      await eventually(() => calls >= 3, 'three scripted calls rang', 30_000);
      await eventually(() => desk.recentCalls.length >= 2, 'calls ended', 30_000);
      await eventually(() => queueUpdates >= 4, 'queue figures moved (QueueStatus events)');
      await eventually(() => Object.keys(desk.callbacks).length >= 1, 'a callback on the desk');
    } finally {
      await connector.stop();
      await demo.stop();
    }
    const requests = demo.simulator.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.equal(demo.simulator.requests.length, requests, 'nothing runs after stop()');
  });
});
