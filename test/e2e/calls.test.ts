/// <reference lib="dom" />
/**
 * Calls and Recent calls end to end: the web host in Chromium, a UCCX account (OpenMethods
 * simulator: call control, call variables, dialling, call journeys) and a 3C account (simulator: no
 * call control, calls the link may stop confirming), both through their real connectors.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { Core } from '../../main/app.js';
import { parseConfig } from '../../main/config.js';
import { startOpenMethodsSimulator, type OpenMethodsSimulator } from '../../main/vendors/openmethods/simulator/index.js';
import { startThreecSimulator, type ThreecSimulator } from '../../main/vendors/threec/simulator/index.js';
import { accountFor, COLLEAGUES } from '../fixtures/threec/harness.js';
import { Closers } from '../support/closers.js';
import { eventually } from '../support/eventually.js';
import { openDesk } from './harness.js';

interface Running {
  core: Core;
  uccx: OpenMethodsSimulator;
  threec: ThreecSimulator;
  page: Page;
}

const call = (page: Page, key: string) => page.locator(`[data-testid="call"][data-key="${key}"]`);
const recent = (page: Page, key: string) => page.locator(`[data-testid="recent-call"][data-key="${key}"]`);

/** Starts both simulators, then the core, the web host and a tray-sized Chromium page; stops what started if a step fails. */
function startDesk(closers: Closers): Promise<Running> {
  return closers.setUp(async () => {
    const uccx = closers.add(await startOpenMethodsSimulator(), (s) => s.close().catch(() => undefined));
    const threec = closers.add(await startThreecSimulator({ username: 'agent@corp', colleagues: COLLEAGUES }), (s) => s.close().catch(() => undefined));
    const config = parseConfig({
      accounts: [
        { id: 'uccx', vendor: 'openmethods', label: 'UCCX test', serverUrl: uccx.url, agentId: uccx.credentials.agentId, password: uccx.credentials.password },
        { id: 'tc', vendor: 'threec', label: '3C test', ...accountFor(threec) },
      ],
    });
    const { core, page } = await openDesk(closers, { config, viewport: { width: 420, height: 800 }, tuning: { openmethods: { requestTimeoutMs: 1_000 } } });
    return { core, uccx, threec, page };
  });
}

describe('calls and recent calls in Chromium', () => {
  const closers = new Closers();
  let desk: Running;
  before(async () => {
    desk = await startDesk(closers);
  });
  after(() => closers.closeAll());

  it('shows a call’s attached data, folded behind Details past three entries', async () => {
    const { page, uccx } = desk;
    const id = uccx.center.ring({ ani: '+14155550142', dnis: '8005550199', callVariables: { Account: 'ACC-123', Topic: 'Billing' } });
    const row = call(page, `uccx/${id}`);
    await row.waitFor();
    const toggle = row.locator('[data-testid="call-data-toggle"]');
    assert.match(await toggle.innerText(), /Details\s+4/);
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.equal(await row.locator('[data-testid="call-data"]').count(), 0, 'folded at first');
    await toggle.click();
    const item = (name: string) => row.locator(`[data-testid="call-data-item"][data-name="${name}"] dd`);
    assert.equal(await item('ANI').innerText(), '+14155550142');
    assert.equal(await item('DNIS').innerText(), '8005550199');
    assert.equal(await item('Account').innerText(), 'ACC-123');
    assert.equal(await item('Topic').innerText(), 'Billing');
    await toggle.click();
    await row.locator('[data-testid="call-data"]').waitFor({ state: 'detached' });
    uccx.center.hangUp(id);
    await row.waitFor({ state: 'detached' });
    uccx.center.endWork();
  });

  it('shows up to three entries at once, and says where to handle a call the window cannot control', async () => {
    const { page, threec } = desk;
    const id = threec.ringCall({ caller: '+358409876543' });
    const row = call(page, `tc/${id}`);
    await row.waitFor();
    assert.equal(await row.locator('[data-testid="call-data-toggle"]').count(), 0);
    await row.locator('[data-testid="call-data-item"]').first().waitFor();
    assert.ok((await row.locator('[data-testid="call-data-item"]').count()) <= 3);
    assert.match(await row.locator('[data-testid="call-no-control"]').innerText(), /cannot be controlled from here.*answer calls on your phone/);
    assert.equal(await row.locator('[data-testid="call-answer"]').count(), 0);
    threec.hangupCall(id);
    await row.waitFor({ state: 'detached' });
    // A UCCX call has call control: no such line.
    const uccxCall = desk.uccx.center.ring({ ani: '+14155550143' });
    await call(page, `uccx/${uccxCall}`).locator('[data-testid="call-answer"]').waitFor();
    assert.equal(await call(page, `uccx/${uccxCall}`).locator('[data-testid="call-no-control"]').count(), 0);
    desk.uccx.center.hangUp(uccxCall);
    await call(page, `uccx/${uccxCall}`).waitFor({ state: 'detached' });
  });

  it('keeps a missed call in Recent calls with why it ended, and calls it back from an account that dials', async () => {
    const { page, threec, uccx } = desk;
    const id = threec.ringCall({ caller: '+358401234599' });
    await call(page, `tc/${id}`).waitFor();
    threec.hangupCall(id);
    const row = recent(page, `tc/${id}`);
    await row.waitFor();
    assert.equal(await row.getAttribute('data-missed'), 'true');
    assert.equal(await row.locator('[data-testid="recent-call-missed"]').innerText(), 'Missed');
    assert.equal(await row.locator('[data-testid="recent-call-party"]').innerText(), '+358401234599');
    assert.match(await row.locator('[data-testid="recent-call-reason"]').innerText(), /\S/);
    assert.match(await row.locator('[data-testid="recent-call-duration"]').innerText(), /^rang \d\d:\d\d$/);
    // Still there a while later (it used to vanish with the call).
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    assert.equal(await row.count(), 1);
    assert.equal(await row.locator('[data-testid="recent-call-journey"]').count(), 0, '3C gives no journeys');

    // 3C does not dial; UCCX does, so the call back goes out through UCCX.
    await row.locator('[data-testid="recent-call-back"]').click();
    await eventually(
      () => uccx.requests.find((r) => r.name === 'session.makeCall' && (r.data as { destination?: string }).destination === '+358401234599'),
      'makeCall reached UCCX',
    );
    const dialled = page.locator('[data-testid="call"][data-key^="uccx/"]', { hasText: '+358401234599' });
    await dialled.waitFor();
    const key = (await dialled.getAttribute('data-key'))!;
    await dialled.locator('[data-testid="call-hangup"]').click();
    await call(page, key).waitFor({ state: 'detached' });
    uccx.center.endWork();
  });

  it('marks a UCCX call that rang out as missed', async () => {
    const { page, uccx } = desk;
    uccx.center.setState('READY');
    const id = uccx.center.ring({ ani: '+14155550199' });
    await call(page, `uccx/${id}`).waitFor();
    uccx.center.hangUp(id, true);
    const row = recent(page, `uccx/${id}`);
    await row.waitFor();
    assert.equal(await row.getAttribute('data-missed'), 'true');
    uccx.center.setState('READY');
  });

  it('shows the journey of a finished UCCX call, step by step', async () => {
    const { page, uccx } = desk;
    const id = uccx.center.ring({ ani: '+14155550150', dnis: '8005550199' });
    await call(page, `uccx/${id}`).locator('[data-testid="call-answer"]').click();
    await page.locator(`[data-testid="call"][data-key="uccx/${id}"][data-state="connected"]`).waitFor();
    uccx.center.hangUp(id);
    const row = recent(page, `uccx/${id}`);
    await row.waitFor();
    uccx.center.endWork();
    assert.equal(await row.getAttribute('data-missed'), 'false');
    assert.match(await row.locator('[data-testid="recent-call-duration"]').innerText(), /^talked \d\d:\d\d$/);
    const button = row.locator('[data-testid="recent-call-journey"]');
    await button.click();
    const journey = row.locator('[data-testid="journey"]');
    await journey.waitFor();
    assert.equal(await button.getAttribute('aria-expanded'), 'true');
    const steps = journey.locator('[data-testid="journey-step"]');
    assert.equal(await steps.count(), 3);
    assert.match(await steps.nth(0).innerText(), /8005550199[\s\S]*Route Point[\s\S]*Main menu \(IVR\)[\s\S]*00:18/);
    assert.match(await steps.nth(1).innerText(), /CSQ_Sales[\s\S]*CSQ[\s\S]*00:42/);
    assert.match(await steps.nth(2).innerText(), /Agent Device/);
    await journey.locator('[data-testid="journey-close"]').click();
    await journey.waitFor({ state: 'detached' });
  });

  it('says the journey could not be had on the status line', async () => {
    const { page, uccx } = desk;
    const id = uccx.center.ring({ ani: '+14155550151' });
    await call(page, `uccx/${id}`).waitFor();
    uccx.center.hangUp(id, true);
    const row = recent(page, `uccx/${id}`);
    await row.waitFor();
    uccx.center.setState('READY');
    // UCCX stops answering: the request times out (a second, in this test's tuning).
    uccx.setSilent(true);
    await row.locator('[data-testid="recent-call-journey"]').click();
    const status = page.locator('[data-testid="status-line"][data-tone="error"]');
    await status.waitFor();
    assert.match(await status.innerText(), /Could not get the call journey/);
    assert.equal(await row.locator('[data-testid="journey"]').count(), 0);
    assert.equal(await row.locator('[data-testid="recent-call-journey"]').getAttribute('aria-expanded'), 'false');
    uccx.setSilent(false);
    await page.locator('[data-testid="account-status"][data-account="uccx"][data-state="connected"]').waitFor();
  });

  it('lets the agent put away a call the platform no longer confirms', async () => {
    const { page, threec, core } = desk;
    const id = threec.ringCall({ caller: '+358405550177' });
    threec.answerCall(id);
    const row = call(page, `tc/${id}`);
    await page.locator(`[data-testid="call"][data-key="tc/${id}"][data-state="connected"]`).waitFor();
    assert.equal(await row.locator('[data-testid="call-dismiss"]').count(), 0, 'a confirmed call cannot be put away');
    // No connector marks `stale` yet (3C writes its note into the call's data only), so the desk's
    // own call event stands in for a platform that stopped confirming this call.
    core.desk.apply({ type: 'call', accountId: 'tc', at: new Date().toISOString(), call: { id, stale: true } });
    const note = row.locator('[data-testid="call-stale"]');
    await note.waitFor();
    assert.match(await note.innerText(), /Not confirmed since the connection came back — it may have ended/);
    assert.equal(await row.getAttribute('data-stale'), 'true');
    await note.locator('[data-testid="call-dismiss"]').click();
    await row.waitFor({ state: 'detached' });
    const put = recent(page, `tc/${id}`);
    await put.waitFor();
    assert.match(await put.locator('[data-testid="recent-call-reason"]').innerText(), /put away/);
    assert.equal(await put.getAttribute('data-missed'), 'false');
  });
});
