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
import { FAST, unlessRegistered } from '../fixtures/huawei/harness.js';
import { openDesk } from './harness.js';

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
  await page.locator('[data-testid="dial-input"]').fill(number);
  await page.locator('[data-testid="dial-submit"]').click();
}

describe('Huawei CEC in Chromium', { skip: unlessRegistered() }, () => {
  const closers = new Closers();
  let desk: Running;
  before(async () => {
    desk = await startDesk(closers);
  });
  after(() => closers.closeAll());

  it('dials through the CEC account: the call waits in the queue, connects, survives a token refresh and an expiry, and ends', async () => {
    const { page, sim, core } = desk;
    await dial(page, '+358401234567');
    const queued = page.locator('[data-testid="call"][data-state="queued"]');
    await queued.waitFor();
    assert.match(await queued.innerText(), /Waiting in queue/);
    assert.match(await queued.innerText(), /\+358401234567/);
    const key = await queued.getAttribute('data-key');
    assert.ok(key?.startsWith('cec/'), 'the call belongs to the CEC account');
    const row = page.locator(`[data-testid="call"][data-key="${key}"]`);

    sim.refreshTokens('cookie');
    sim.connectCall();
    await page.locator(`[data-testid="call"][data-key="${key}"][data-state="connected"]`).waitFor();
    assert.match(await row.innerText(), /60012/, 'the calling number is shown');
    assert.equal(sim.tokensIssued, 1, 'the refreshed token was used, no new one applied for');

    sim.expireTokens();
    await eventually(() => sim.tokensIssued === 2, 'a new token after the expiry');
    await page.locator('[data-testid="account-status"][data-account="cec"][data-state="connected"]').waitFor();
    assert.equal(await row.getAttribute('data-state'), 'connected', 'the call is still on after the expiry');

    sim.disconnectCall();
    await row.waitFor({ state: 'detached' });
    const ended = core.desk.state.recentCalls.find((c) => c.key === key);
    assert.equal(ended?.endReason, 'Call disconnected');
    assert.equal(await page.locator(`[data-testid="call"][data-key="${key}"]`).count(), 0);
  });

  it('hangs up from the window', async () => {
    const { page, sim } = desk;
    await dial(page, '+358407654321');
    const row = page.locator('[data-testid="call"][data-state="queued"]');
    await row.waitFor();
    const key = await row.getAttribute('data-key');
    sim.connectCall();
    const connected = page.locator(`[data-testid="call"][data-key="${key}"][data-state="connected"]`);
    await connected.waitFor();
    await connected.locator('[data-testid="call-hangup"]').click();
    await page.locator(`[data-testid="call"][data-key="${key}"]`).waitFor({ state: 'detached' });
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
    const status = page.locator('[data-testid="status-line"][data-tone="error"]');
    await status.waitFor();
    assert.match(await status.innerText(), /No agent available/);
    assert.equal(await page.locator('[data-testid="call"]').count(), 0);
  });
});
