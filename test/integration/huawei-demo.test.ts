/**
 * The Huawei CEC demo: its account parses, connects through the real connector, and the calls the
 * agent places play the script — some find no agent, the others wait in the queue and then are
 * answered and hung up, or fail.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { huaweiAccountSchema } from '../../main/vendors/huawei/config.js';
import { createHuaweiConnector } from '../../main/vendors/huawei/connector.js';
import { startHuaweiDemo } from '../../main/vendors/huawei/demo.js';
import { captureLog, deskHarness, FAST, FAST_BACKOFF } from '../fixtures/huawei/harness.js';
import { Closers } from '../support/closers.js';
import { eventually } from '../support/eventually.js';

describe('Huawei CEC demo', () => {
  it('connects, and the calls the agent places are refused, answered and hung up, or fail, as scripted', async (t) => {
    const closers = new Closers();
    t.after(() => closers.closeAll());
    const { log } = captureLog('warn');
    const demo = closers.add(await startHuaweiDemo({ log, intervalMs: 600 }), (d) => d.stop());
    const account = huaweiAccountSchema.parse(demo.account);
    const desk = deskHarness(log);
    const connector = closers.add(createHuaweiConnector(account, { appSecret: demo.account.appSecret as string }, { backoff: FAST_BACKOFF, tuning: FAST }), (c) =>
      c.stop(),
    );
    connector.start(desk.context);
    await eventually(() => desk.account().connection === 'connected', 'the demo account connects');

    const refused: string[] = [];
    const states = new Set<string>();
    for (let attempt = 0; attempt < 20 && (refused.length === 0 || !states.has('connected')); attempt++) {
      try {
        await connector.execute({ type: 'call.dial', number: `+35840100${attempt}` });
      } catch (error) {
        refused.push((error as Error).message);
        continue;
      }
      const [call] = desk.liveCalls();
      assert.ok(call, 'the placed call is on the desk');
      const seen = await eventually(() => {
        const now = desk.call(call.id);
        if (now) states.add(now.state);
        return now?.state === 'ended' && now;
      }, 'the call ends as scripted');
      assert.ok(seen.endReason, 'an ended call says why');
    }
    assert.ok(refused.some((m) => /^No agent available/.test(m)), `some calls find no agent: ${JSON.stringify(refused)}`);
    assert.ok(states.has('queued') && states.has('connected'), `calls wait in the queue and are answered: ${[...states].join(', ')}`);
  });
});
