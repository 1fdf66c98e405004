/**
 * The OpenMethods demo: the scripted UCCX day plays through the simulator and reaches the desk
 * through the real connector (calls, colleagues' status, a dialled call answered); stop() clears
 * every timer.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import type { DeskEvent } from '../../main/desk/events.js';
import { initialState, reduce } from '../../main/desk/store.js';
import { openmethodsAccountSchema } from '../../main/vendors/openmethods/config.js';
import { createOpenMethodsConnector } from '../../main/vendors/openmethods/connector.js';
import { startOpenMethodsDemo } from '../../main/vendors/openmethods/demo.js';
import { eventually } from '../fixtures/openmethods/harness.js';

describe('OpenMethods demo', () => {
  it('plays calls and the team through the real protocol, answers what the desk dials, and stops', async () => {
    const log = pino({ level: 'silent' });
    const demo = await startOpenMethodsDemo({ log, intervalMs: 150 });
    const account = openmethodsAccountSchema.parse(demo.account);
    const connector = createOpenMethodsConnector(account, { password: demo.account.password }, { backoff: { initialMs: 20, maxMs: 200, jitter: 0 }, tuning: { pingIntervalMs: 200 } });
    let desk = initialState([{ id: account.id, vendor: 'openmethods', label: 'demo', demo: true, presenceOptions: [] }], new Date().toISOString());
    let ringing = 0;
    let teamChanges = 0;
    connector.start({
      emit(event) {
        if (event.type === 'call' && event.call.state === 'ringing') ringing += 1;
        if (event.type === 'team') teamChanges += 1;
        desk = reduce(desk, { ...event, accountId: account.id, at: new Date().toISOString() } as DeskEvent);
      },
      log,
    });
    try {
      await eventually(() => desk.accounts[account.id]?.connection === 'connected', 'connected');
      await eventually(() => Object.keys(desk.team).length === 8, 'the team is on the desk');
      await eventually(() => ringing >= 2 && desk.recentCalls.length >= 2, 'scripted calls rang and ended', 30_000);
      await eventually(() => teamChanges >= 14, 'colleagues changed status', 30_000);
      await eventually(() => desk.accounts[account.id]?.presence?.state === 'ready' && Object.keys(desk.calls).length === 0, 'ready and free', 30_000);
      await connector.execute({ type: 'call.dial', number: '+15550100' });
      await eventually(() => Object.values(desk.calls).some((c) => c.direction === 'outbound' && c.state === 'connected'), 'the dialled call is answered', 30_000);
    } finally {
      await connector.stop();
      await demo.stop();
    }
    const requests = demo.simulator.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.equal(demo.simulator.requests.length, requests, 'nothing runs after stop()');
  });
});
