/// <reference lib="dom" />
/**
 * End to end, as the agent sees it: the web host in Chromium, one Huawei CEC account connected
 * through the real connector to the CEC simulator (the document's NSLB facade URLs). The agent
 * dials from the window's dial form; the call waits in the queue, connects, survives a token refresh
 * and an expiry, and ends; a dial that finds no agent says so in the status line.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Core } from '../../main/app.js';
import { parseConfig } from '../../main/config.js';
import { startHuaweiSimulator, type HuaweiSimulator } from '../../main/vendors/huawei/simulator/index.js';
import { Closers } from '../support/closers.js';
import { eventually } from '../support/eventually.js';
import { FAST } from '../fixtures/huawei/harness.js';
import { accountStatus, liveCall, liveCalls, openDesk, statusMessage } from './harness.js';

interface Running {
  sim: HuaweiSimulator;
  core: Core;
  page: Page;
  browser: Browser;
}

/** Starts the simulator, the core, the web host and Chromium; stops what started if a step fails. */
function startDesk(closers: Closers): Promise<Running> {
  return closers.setUp(async () => {
    const sim = closers.add(await startHuaweiSimulator({ plan: { outcome: 'answer', manual: true } }), (s) => s.close().catch(() => undefined));
    const config = parseConfig({
      accounts: [
        {
          id: 'cec',
          vendor: 'huawei',
          label: 'CEC test',
          clickToDialUrl: sim.facadeUrl,
          appKey: sim.credentials.appKey,
          appSecret: sim.credentials.appSecret,
          userId: 'agent-7',
          channelId: 'web-channel-1',
        },
      ],
    });
    const { core, page, browser } = await openDesk(closers, { config, tuning: { huawei: FAST } });
    return { sim, core, page, browser };
  });
}

/** Types a number into the dial form and presses Call. */
async function dial(page: Page, number: string): Promise<void> {
  await page.getByLabel('Number to call').fill(number);
  await page.getByRole('button', { name: 'Call this number' }).click();
}

describe('Huawei CEC in Chromium', () => {
  const closers = new Closers();
  let desk: Running;
  before(async () => {
    desk = await startDesk(closers);
  });
  after(() => closers.closeAll());

  it('dials through the CEC account: the call waits in the queue, connects, survives a token refresh and an expiry, and ends', async () => {
    const { page, sim, core } = desk;
    await dial(page, '+358401234567');
    // The call belongs to the CEC account: its name ends with the account's label.
    const queued = liveCall(page, '+358401234567', { state: 'Waiting in queue', account: 'CEC test' });
    await queued.waitFor();
    assert.match(await queued.innerText(), /Waiting in queue/);
    assert.match(await queued.innerText(), /\+358401234567/);
    const row = liveCall(page, '+358401234567', { account: 'CEC test' });
    const connected = liveCall(page, '+358401234567', { state: 'Connected', account: 'CEC test' });

    sim.refreshTokens('cookie');
    sim.connectCall();
    await connected.waitFor();
    assert.match(await row.innerText(), /60012/, 'the calling number is shown');
    assert.equal(sim.tokensIssued, 1, 'the refreshed token was used, no new one applied for');

    sim.expireTokens();
    await eventually(() => sim.tokensIssued === 2, 'a new token after the expiry');
    await accountStatus(page, 'CEC test', 'Connected').waitFor();
    assert.equal(await connected.count(), 1, 'the call is still on after the expiry');

    sim.disconnectCall();
    await row.waitFor({ state: 'detached' });
    const ended = core.desk.state.recentCalls.find((c) => c.accountId === 'cec' && c.target === '+358401234567');
    assert.equal(ended?.endReason, 'Call disconnected');
    assert.equal(await row.count(), 0);
  });

  it('hangs up from the window', async () => {
    const { page, sim } = desk;
    await dial(page, '+358407654321');
    await liveCall(page, '+358407654321', { state: 'Waiting in queue', account: 'CEC test' }).waitFor();
    sim.connectCall();
    const connected = liveCall(page, '+358407654321', { state: 'Connected', account: 'CEC test' });
    await connected.waitFor();
    await connected.getByRole('button', { name: 'Hang up: +358407654321' }).click();
    await liveCall(page, '+358407654321').waitFor({ state: 'detached' });
    assert.ok(
      sim.operations.some((o) => o.operation === 'dropClickToCall' && o.status === 200),
      'dropClickToCall reached CEC',
    );
    assert.equal(sim.callsInProgress(), 0);
  });

  it('says "No agent available" when CEC has no agent for the call', async () => {
    const { page, sim } = desk;
    sim.planCalls({ outcome: 'no-agents' });
    await dial(page, '+358401112233');
    const status = statusMessage(page, /No agent available/);
    await status.waitFor();
    assert.equal(await status.getAttribute('data-tone'), 'error', 'said as an error');
    assert.equal(await liveCalls(page).count(), 0);
  });
});
