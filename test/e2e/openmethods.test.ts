/// <reference lib="dom" />
/**
 * End to end, as the agent sees it: the web host in Chromium, one OpenMethods UCCX account connected
 * through the real connector to the HIS simulator, where another desktop already holds the agent's
 * session (so the take-over question comes first).
 *
 * Uses the window's Team section, reason picker and prompt dialog by their agreed test ids:
 * `prompt` / `prompt-choice[data-choice]`, `team-member[data-key][data-state]`, `presence-reason`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { parseConfig } from '../../main/config.js';
import { startOpenMethodsSimulator, type OpenMethodsSimulator } from '../../main/vendors/openmethods/simulator/index.js';
import { Closers } from '../support/closers.js';
import { eventually } from '../support/eventually.js';
import { notifications } from './browser.js';
import { openDesk } from './harness.js';

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
    const prompt = page.locator('[data-testid="prompt"]');
    await prompt.waitFor();
    assert.match(await prompt.innerText(), /already signed in on another desktop/);
    assert.deepEqual(
      sim.requests.filter((r) => r.name === 'prepareSession').map((r) => r.data.override),
      [false],
      'nothing is overridden before the agent answers',
    );
    await prompt.locator('[data-testid="prompt-choice"][data-choice="take-over"]').click();
    await page.locator(`[data-testid="account-status"][data-account="${ACCOUNT}"][data-state="connected"]`).waitFor();
    await prompt.waitFor({ state: 'detached' });
    assert.equal(sim.session()?.holder, 'client');
  });

  it('a ringing UCCX call raises one notification and is answered from the window', async () => {
    const { page, sim } = desk;
    const before = (await notifications(page)).length;
    const id = sim.center.ring({ ani: '+14155550142', callVariables: { Account: 'ACC-123' } });
    const row = page.locator(`[data-testid="call"][data-key="${ACCOUNT}/${id}"]`);
    await row.waitFor();
    assert.equal(await row.getAttribute('data-state'), 'ringing');
    assert.match(await row.innerText(), /\+14155550142/);
    await eventually(async () => (await notifications(page)).length > before, 'a notification');
    await row.locator('[data-testid="call-answer"]').click();
    await page.locator(`[data-testid="call"][data-key="${ACCOUNT}/${id}"][data-state="connected"]`).waitFor();
    assert.equal(sim.requests.filter((r) => r.name === 'conversation.answer').length, 1, 'the answer reached UCCX');
    sim.center.hangUp(id);
    await row.waitFor({ state: 'detached' });
    const raised = (await notifications(page)).slice(before);
    assert.equal(raised.length, 1, JSON.stringify(raised));
    sim.center.endWork();
  });

  it('a team member’s status change shows in the Team section', async () => {
    const { page, sim } = desk;
    const member = page.locator(`[data-testid="team-member"][data-key="${ACCOUNT}/agent-02"]`);
    await member.waitFor();
    assert.equal(await member.getAttribute('data-state'), 'ready');
    sim.center.setMemberStatus([{ memberId: 'agent-02', status: 'not_ready', reason: '3' }]);
    await page.locator(`[data-testid="team-member"][data-key="${ACCOUNT}/agent-02"][data-state="not-ready"]`).waitFor();
    assert.match(await member.innerText(), /Meeting/);
  });

  it('choosing a not-ready reason in the window reaches UCCX', async () => {
    const { page, sim } = desk;
    await page.locator('[data-testid="presence-reason"]').selectOption('2');
    await eventually(
      () => sim.requests.some((r) => r.name === 'session.changeState' && r.data.state === 'NOT_READY' && r.data.reasonCode === 2),
      'NOT_READY with reason 2 reached the simulator',
    );
    await eventually(() => sim.center.agentState.state === 'NOT_READY' && sim.center.agentState.reasonCode === 2, 'UCCX holds Lunch');
    await page.locator(`[data-testid="account-status"][data-account="${ACCOUNT}"]`, { hasText: /Lunch|Not ready/ }).waitFor();
  });
});
