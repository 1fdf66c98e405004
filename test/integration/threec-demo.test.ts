/**
 * The 3C demo: its simulator and scripted day, through the real connector — a dozen colleagues in
 * the team changing presence, busy lamps, IMs and calls on the agent's terminal.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../main/log.js';
import { threec } from '../../main/vendors/threec/index.js';
import { startThreecDemo, type ThreecDemo } from '../../main/vendors/threec/demo.js';
import { eventually, runConnector, type Running } from '../fixtures/threec/harness.js';
import { allChats } from '../../common/selectors.js';

describe('3C demo', () => {
  let demo: ThreecDemo;
  let running: Running;
  before(async () => {
    demo = await startThreecDemo({ log: createLogger('silent'), intervalMs: 400 });
    running = runConnector(demo.account, String(demo.account['password']));
  });
  after(async () => {
    await running?.stop();
    await demo?.stop();
  });

  it('gives an account the platform’s schema accepts', () => {
    assert.ok(threec.schema.safeParse(demo.account).success);
  });

  it('connects and shows a dozen watched colleagues', async () => {
    await eventually(() => running.account.connection === 'connected', 'connected');
    assert.equal(Object.keys(running.desk.team).length, 12);
    assert.deepEqual(running.account.subscriptionIssues, []);
  });

  it('plays a day: presence changes, a busy lamp, an IM and a call on the agent’s terminal', async () => {
    await eventually(() => Object.values(running.desk.team).filter((m) => m.presence.label !== 'Unknown').length >= 3, 'colleagues’ presence');
    await eventually(() => Object.values(running.desk.team).some((m) => m.onCall), 'a busy lamp', 30_000);
    await eventually(() => allChats(running.desk).some((c) => c.messages.length > 0), 'an IM', 30_000);
    await eventually(() => running.events.some((e) => e.type === 'call'), 'a call on the agent’s terminal', 30_000);
    assert.ok(running.account.presence, 'the agent’s presence');
  });
});
