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
import { accountStatus, attachedData, historyCall, liveCall, openDesk } from './harness.js';

interface Running {
  core: Core;
  uccx: OpenMethodsSimulator;
  threec: ThreecSimulator;
  page: Page;
}

const call = (page: Page, party: string, state?: string) => liveCall(page, party, { state });
const recent = historyCall;

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
    const row = call(page, '+14155550142');
    await row.waitFor();
    const toggle = row.getByRole('button', { name: 'Details' });
    assert.match(await toggle.innerText(), /Details\s+4/);
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.equal(await row.getByLabel('Attached data').count(), 0, 'folded at first');
    await toggle.click();
    const data = await attachedData(row);
    assert.equal(data['ANI'], '+14155550142');
    assert.equal(data['DNIS'], '8005550199');
    assert.equal(data['Account'], 'ACC-123');
    assert.equal(data['Topic'], 'Billing');
    await toggle.click();
    await row.getByLabel('Attached data').waitFor({ state: 'detached' });
    uccx.center.hangUp(id);
    await row.waitFor({ state: 'detached' });
    uccx.center.endWork();
  });

  it('shows up to three entries at once, and says where to handle a call the window cannot control', async () => {
    const { page, threec } = desk;
    const id = threec.ringCall({ caller: '+358409876543' });
    const row = call(page, '+358409876543');
    await row.waitFor();
    assert.equal(await row.getByRole('button', { name: 'Details' }).count(), 0);
    await row.getByLabel('Attached data').getByRole('term').first().waitFor();
    assert.ok((await row.getByLabel('Attached data').getByRole('term').count()) <= 3);
    assert.match(await row.getByText(/cannot be controlled from here/).innerText(), /cannot be controlled from here.*answer calls on your phone/);
    assert.equal(await row.getByRole('button', { name: /^Answer/ }).count(), 0);
    threec.hangupCall(id);
    await row.waitFor({ state: 'detached' });
    // A UCCX call has call control: no such line.
    const uccxCall = desk.uccx.center.ring({ ani: '+14155550143' });
    await call(page, '+14155550143').getByRole('button', { name: /^Answer/ }).waitFor();
    assert.equal(await call(page, '+14155550143').getByText(/cannot be controlled from here|on your phone or in the platform's own app/).count(), 0);
    desk.uccx.center.hangUp(uccxCall);
    await call(page, '+14155550143').waitFor({ state: 'detached' });
  });

  it('keeps a missed call in Recent calls with why it ended, and calls it back from an account that dials', async () => {
    const { page, threec, uccx } = desk;
    const id = threec.ringCall({ caller: '+358401234599' });
    await call(page, '+358401234599').waitFor();
    threec.hangupCall(id);
    const row = recent(page, '+358401234599');
    await row.waitFor();
    await row.getByText('Missed on 3C test', { exact: true }).waitFor();
    assert.equal(await row.getByText('Missed', { exact: true }).innerText(), 'Missed');
    assert.equal(await row.getByText('+358401234599', { exact: true }).innerText(), '+358401234599');
    assert.match(await row.getByTitle('Why it ended').innerText(), /\S/);
    assert.equal(await row.getByText(/^rang \d\d:\d\d$/).count(), 1, 'how long it rang');
    // Still there once the call has left Calls (it used to vanish with the call).
    await call(page, '+358401234599').waitFor({ state: 'detached' });
    assert.equal(await row.count(), 1);
    assert.equal(await row.getByRole('button', { name: /^Journey/ }).count(), 0, '3C gives no journeys');

    // 3C does not dial; UCCX does, so the call back goes out through UCCX.
    await row.getByRole('button', { name: /^Call back \+358401234599/ }).click();
    await eventually(
      () => uccx.requests.find((r) => r.name === 'session.makeCall' && (r.data as { destination?: string }).destination === '+358401234599'),
      'makeCall reached UCCX',
    );
    const dialled = liveCall(page, '+358401234599', { account: 'UCCX test' });
    await dialled.waitFor();
    // Cancel while it is dialling, Hang up once connected: the same end of the call.
    await dialled.getByRole('button', { name: /^(Hang up|Cancel): / }).click();
    await dialled.waitFor({ state: 'detached' });
    uccx.center.endWork();
  });

  it('marks a UCCX call that rang out as missed', async () => {
    const { page, uccx } = desk;
    uccx.center.setState('READY');
    const id = uccx.center.ring({ ani: '+14155550199' });
    await call(page, '+14155550199').waitFor();
    uccx.center.hangUp(id, true);
    const row = recent(page, '+14155550199');
    await row.waitFor();
    await row.getByText('Missed on UCCX test', { exact: true }).waitFor();
    assert.equal(await row.getByText('Missed', { exact: true }).count(), 1);
    uccx.center.setState('READY');
  });

  it('shows the journey of a finished UCCX call, step by step', async () => {
    const { page, uccx } = desk;
    const id = uccx.center.ring({ ani: '+14155550150', dnis: '8005550199' });
    await call(page, '+14155550150').getByRole('button', { name: /^Answer/ }).click();
    await call(page, '+14155550150', 'Connected').waitFor();
    uccx.center.hangUp(id);
    const row = recent(page, '+14155550150');
    await row.waitFor();
    uccx.center.endWork();
    await row.getByText('Answered on UCCX test', { exact: true }).waitFor();
    assert.equal(await row.getByText('Missed', { exact: true }).count(), 0);
    assert.equal(await row.getByText(/^talked \d\d:\d\d$/).count(), 1, 'how long the agent talked');
    const button = row.getByRole('button', { name: 'Journey of the call with +14155550150' });
    await button.click();
    const journey = row.getByRole('group', { name: 'Call journey' });
    await journey.waitFor();
    assert.equal(await button.getAttribute('aria-expanded'), 'true');
    const steps = journey.getByRole('listitem');
    assert.equal(await steps.count(), 3);
    assert.match(await steps.nth(0).innerText(), /8005550199[\s\S]*Route Point[\s\S]*Main menu \(IVR\)[\s\S]*00:18/);
    assert.match(await steps.nth(1).innerText(), /CSQ_Sales[\s\S]*CSQ[\s\S]*00:42/);
    assert.match(await steps.nth(2).innerText(), /Agent Device/);
    await journey.getByRole('button', { name: 'Close the call journey' }).click();
    await journey.waitFor({ state: 'detached' });
  });

  it('says the journey could not be had on the status line', async () => {
    const { page, uccx } = desk;
    const id = uccx.center.ring({ ani: '+14155550151' });
    await call(page, '+14155550151').waitFor();
    uccx.center.hangUp(id, true);
    const row = recent(page, '+14155550151');
    await row.waitFor();
    uccx.center.setState('READY');
    // UCCX stops answering: the request times out (a second, in this test's tuning).
    uccx.setSilent(true);
    const button = row.getByRole('button', { name: 'Journey of the call with +14155550151' });
    await button.click();
    const status = page.getByRole('status').filter({ hasText: /Could not get the call journey/ });
    await status.waitFor();
    assert.equal(await status.getAttribute('data-tone'), 'error', 'said as an error');
    assert.equal(await row.getByRole('group', { name: 'Call journey' }).count(), 0);
    assert.equal(await button.getAttribute('aria-expanded'), 'false');
    uccx.setSilent(false);
    await accountStatus(page, 'UCCX test', 'Connected').waitFor();
  });

  it('lets the agent put away a call the platform no longer confirms', async () => {
    const { page, threec, core } = desk;
    const id = threec.ringCall({ caller: '+358405550177' });
    threec.answerCall(id);
    const row = call(page, '+358405550177');
    await call(page, '+358405550177', 'Connected').waitFor();
    assert.equal(await row.getByRole('button', { name: /^Put away/ }).count(), 0, 'a confirmed call cannot be put away');
    // No connector marks `stale` yet (3C writes its note into the call's data only), so the desk's
    // own call event stands in for a platform that stopped confirming this call.
    core.desk.apply({ type: 'call', accountId: 'tc', at: new Date().toISOString(), call: { id, stale: true } });
    const note = row.getByText('Not confirmed since the connection came back — it may have ended.');
    await note.waitFor();
    await call(page, '+358405550177', 'Unconfirmed Connected').waitFor();
    await row.getByRole('button', { name: 'Put away the call with +358405550177' }).click();
    await row.waitFor({ state: 'detached' });
    const put = recent(page, '+358405550177');
    await put.waitFor();
    assert.match(await put.getByTitle('Why it ended').innerText(), /put away/);
    await put.getByText('Answered on 3C test', { exact: true }).waitFor();
    assert.equal(await put.getByText('Missed', { exact: true }).count(), 0);
  });
});
