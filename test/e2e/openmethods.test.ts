/// <reference lib="dom" />
/**
 * End to end, as the agent sees it: the web host in Chromium, one OpenMethods UCCX account connected
 * through the real connector to the HIS simulator, where another desktop already holds the agent's
 * session (so the take-over question comes first).
 *
 * Finds the window's prompt dialog, calls, Team section and reason picker by role and name, as the
 * agent would.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { parseConfig } from '../../main/config.js';
import { startOpenMethodsSimulator, type OpenMethodsSimulator } from '../../main/vendors/openmethods/simulator/index.js';
import { Closers } from '../support/closers.js';
import { eventually } from '../support/eventually.js';
import { notifications } from './browser.js';
import { accountStatus, liveCall, openDesk } from './harness.js';

const ACCOUNT = 'uccx';

interface Running {
  sim: OpenMethodsSimulator;
  page: Page;
}

/** Starts the simulator (another desktop holding the session), the core, the web host and Chromium; stops what started if a step fails. */
function startDesk(closers: Closers): Promise<Running> {
  return closers.setUp(async () => {
    const sim = closers.add(await startOpenMethodsSimulator(), (s) => s.close().catch(() => undefined));
    sim.startOtherSession();
    const config = parseConfig({
      accounts: [{ id: ACCOUNT, vendor: 'openmethods', label: 'UCCX test', serverUrl: sim.url, agentId: sim.credentials.agentId, password: sim.credentials.password }],
    });
    const { page } = await openDesk(closers, { config, waitConnected: false });
    return { sim, page };
  });
}

describe('OpenMethods UCCX in Chromium', () => {
  const closers = new Closers();
  let desk: Running;
  before(async () => {
    desk = await startDesk(closers);
  });
  after(() => closers.closeAll());

  it('asks whether to take the other session over, and Take over signs the agent in here', async () => {
    const { page, sim } = desk;
    const prompt = page.getByRole('dialog', { name: 'UCCX test asks' });
    await prompt.waitFor();
    assert.match(await prompt.innerText(), /already signed in on another desktop/);
    assert.deepEqual(
      sim.requests.filter((r) => r.name === 'prepareSession').map((r) => r.data.override),
      [false],
      'nothing is overridden before the agent answers',
    );
    await prompt.getByRole('button', { name: 'Take over' }).click();
    await accountStatus(page, 'UCCX test', 'Connected').waitFor();
    await prompt.waitFor({ state: 'detached' });
    assert.equal(sim.session()?.holder, 'client');
  });

  it('a ringing UCCX call raises one notification and is answered from the window', async () => {
    const { page, sim } = desk;
    const before = (await notifications(page)).length;
    const id = sim.center.ring({ ani: '+14155550142', callVariables: { Account: 'ACC-123' } });
    const row = liveCall(page, '+14155550142', { account: 'UCCX test' });
    await row.waitFor();
    assert.equal(await liveCall(page, '+14155550142', { state: 'Ringing', account: 'UCCX test' }).count(), 1, 'it rings');
    assert.match(await row.innerText(), /\+14155550142/);
    await eventually(async () => (await notifications(page)).length > before, 'a notification');
    await row.getByRole('button', { name: 'Answer: +14155550142' }).click();
    await liveCall(page, '+14155550142', { state: 'Connected', account: 'UCCX test' }).waitFor();
    assert.equal(sim.requests.filter((r) => r.name === 'conversation.answer').length, 1, 'the answer reached UCCX');
    sim.center.hangUp(id);
    await row.waitFor({ state: 'detached' });
    const raised = (await notifications(page)).slice(before);
    assert.equal(raised.length, 1, JSON.stringify(raised));
    sim.center.endWork();
  });

  it('a team member’s status change shows in the Team section', async () => {
    const { page, sim } = desk;
    // agent-02 is Ben Hill; the row says the status in words.
    const member = page.getByRole('region', { name: /^Team\b/ }).getByRole('listitem').filter({ has: page.getByText('Ben Hill', { exact: true }) });
    await member.waitFor();
    // The platform's own word ("ready"), and where it differs the desk's ("Not ready:") beside it for screen readers.
    await member.getByText(/^ready$/i).waitFor();
    sim.center.setMemberStatus([{ memberId: 'agent-02', status: 'not_ready', reason: '3' }]);
    await member.getByText('Not ready:', { exact: true }).waitFor();
    assert.equal(await member.getByText(/^ready$/i).count(), 0, 'no longer ready');
    assert.match(await member.innerText(), /Meeting/);
  });

  it('choosing a not-ready reason in the window reaches UCCX', async () => {
    const { page, sim } = desk;
    await page.getByRole('combobox', { name: 'Reason' }).selectOption({ label: 'Lunch' });
    await eventually(
      () => sim.requests.some((r) => r.name === 'session.changeState' && r.data.state === 'NOT_READY' && r.data.reasonCode === 2),
      'NOT_READY with reason 2 reached the simulator',
    );
    await eventually(() => sim.center.agentState.state === 'NOT_READY' && sim.center.agentState.reasonCode === 2, 'UCCX holds Lunch');
    await accountStatus(page, 'UCCX test', /Connected, .*(Lunch|Not ready)/).waitFor();
  });
});
