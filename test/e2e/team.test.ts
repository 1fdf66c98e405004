/// <reference lib="dom" />
/**
 * The Team section end to end: the web host in Chromium, a UCCX account (OpenMethods simulator: two
 * teams with a supervisor and a team lead) and a 3C account (simulator: watched colleagues with
 * presence, busy lamps and IMs), both through their real connectors.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { parseConfig } from '../../main/config.js';
import { startOpenMethodsSimulator, type OpenMethodsSimulator } from '../../main/vendors/openmethods/simulator/index.js';
import { startThreecSimulator, type ThreecSimulator } from '../../main/vendors/threec/simulator/index.js';
import { accountFor, COLLEAGUES } from '../fixtures/threec/harness.js';
import { Closers } from '../support/closers.js';
import { eventually } from '../support/eventually.js';
import { openDesk } from './harness.js';

interface Running {
  uccx: OpenMethodsSimulator;
  threec: ThreecSimulator;
  page: Page;
}

const member = (page: Page, key: string) => page.locator(`[data-testid="team-member"][data-key="${key}"]`);
/** The Team section's count as read (the count and its label are joined by a no-break space). */
const countOf = async (page: Page) => (await page.locator('[data-testid="section-team-count"]').innerText()).replace(/\s+/g, ' ');

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
    const { page } = await openDesk(closers, { config, viewport: { width: 420, height: 800 } });
    return { uccx, threec, page };
  });
}

describe('the Team section in Chromium', () => {
  const closers = new Closers();
  let desk: Running;
  before(async () => {
    desk = await startDesk(closers);
  });
  after(() => closers.closeAll());

  it('shows colleagues by team, supervisors and leads first, each with a role badge and the platform’s status', async () => {
    const { page } = desk;
    await member(page, 'uccx/agent-07').waitFor();
    await member(page, 'tc/carol@corp').waitFor();
    const groups = await page.locator('[data-testid="team-group"]').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-group')));
    assert.deepEqual(groups, ['Customer Care North', 'Customer Care South', 'Watched in 3C']);
    const north = page.locator('[data-testid="team-group"][data-group="Customer Care North"] [data-testid="team-member"]');
    assert.deepEqual(await north.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-key'))), [
      'uccx/sup-01',
      'uccx/lead-01',
      'uccx/agent-02',
      'uccx/agent-03',
      'uccx/agent-04',
    ]);
    assert.equal(await member(page, 'uccx/sup-01').locator('[data-testid="team-member-role"]').innerText(), 'Supervisor');
    assert.equal(await member(page, 'uccx/lead-01').locator('[data-testid="team-member-role"]').innerText(), 'Team lead');
    assert.equal(await member(page, 'uccx/agent-02').locator('[data-testid="team-member-role"]').innerText(), 'Agent');
    // The 3C colleague's own words: "Busy" with the note, as canonical not-ready.
    const carol = member(page, 'tc/carol@corp');
    assert.equal(await carol.getAttribute('data-state'), 'not-ready');
    assert.equal(await carol.locator('[data-testid="team-member-label"]').innerText(), 'Busy');
    assert.equal(await carol.locator('[data-testid="team-member-reason"]').innerText(), 'In a meeting');
    assert.equal(await countOf(page), '10');
  });

  it('shows a member’s status change with the platform’s label and reason, and times it from then', async () => {
    const { page, uccx, threec } = desk;
    const ben = member(page, 'uccx/agent-02');
    assert.equal(await ben.getAttribute('data-state'), 'ready');
    uccx.center.setMemberStatus([{ memberId: 'agent-02', status: 'not_ready', reason: '3' }]);
    await page.locator('[data-testid="team-member"][data-key="uccx/agent-02"][data-state="not-ready"]').waitFor();
    assert.equal(await ben.locator('[data-testid="team-member-label"]').innerText(), 'not_ready');
    assert.equal(await ben.locator('[data-testid="team-member-reason"]').innerText(), 'Meeting');
    const since = ben.locator('[data-testid="team-member-since"]');
    assert.match(await since.innerText(), /00:0\d/);
    const first = await since.innerText();
    await eventually(async () => (await since.innerText()) !== first, 'the time in status ticks');

    const bob = member(page, 'tc/bob@corp');
    threec.setPresence('bob@corp', 'DoNotDisturb', 'Focus time');
    await page.locator('[data-testid="team-member"][data-key="tc/bob@corp"][data-state="do-not-disturb"]').waitFor();
    assert.match(await bob.innerText(), /DoNotDisturb/);
    assert.match(await bob.innerText(), /Focus time/);
  });

  it('lights the busy lamp while a colleague is on a call', async () => {
    const { page, threec } = desk;
    const lamp = member(page, 'tc/bob@corp').locator('[data-testid="team-member-busy"]');
    assert.equal(await lamp.count(), 0);
    const call = threec.colleagueCall('bob@corp', { caller: '+358401112233' });
    await lamp.waitFor();
    assert.equal(await member(page, 'tc/bob@corp').getAttribute('data-on-call'), 'true');
    threec.hangupCall(call);
    await lamp.waitFor({ state: 'detached' });
  });

  it('filters by status, with a count of who is shown', async () => {
    const { page, uccx, threec } = desk;
    uccx.center.setMemberStatus([{ memberId: 'agent-05', status: 'ACW' }]);
    await page.locator('[data-testid="team-member"][data-key="uccx/agent-05"][data-state="wrap-up"]').waitFor();
    const rows = page.locator('[data-testid="team-member"]');

    await page.locator('[data-testid="team-filter"][data-filter="wrap-up"]').click();
    assert.equal(await page.locator('[data-testid="team-filter"][data-filter="wrap-up"]').getAttribute('aria-pressed'), 'true');
    await eventually(async () => (await rows.evaluateAll((n) => n.map((e) => e.getAttribute('data-state')))).every((s) => s === 'wrap-up'), 'only wrap-up rows');
    const wrapUp = await rows.count();
    assert.ok(wrapUp >= 2, 'Dev Patel (ACW from the start) and Eva Lind');
    assert.equal(await countOf(page), `${wrapUp} wrap-up`);
    assert.equal(await member(page, 'uccx/agent-05').count(), 1);
    assert.equal(await member(page, 'tc/carol@corp').count(), 0, 'Carol is not in wrap-up');

    // A member who leaves the filtered status leaves the list.
    uccx.center.setMemberStatus([{ memberId: 'agent-05', status: 'ready' }]);
    await member(page, 'uccx/agent-05').waitFor({ state: 'detached' });
    assert.equal(await countOf(page), `${wrapUp - 1} wrap-up`);

    await page.locator('[data-testid="team-filter"][data-filter="on-call"]').click();
    await page.locator('[data-testid="team-empty"]').waitFor();
    const call = threec.colleagueCall('carol@corp', { caller: '+358401112244' });
    await member(page, 'tc/carol@corp').waitFor();
    assert.equal(await rows.count(), 1);
    threec.hangupCall(call);
    await member(page, 'tc/carol@corp').waitFor({ state: 'detached' });

    await page.locator('[data-testid="team-filter"][data-filter="all"]').click();
    await eventually(async () => (await rows.count()) === 10, 'every member again');
    assert.equal(await countOf(page), '10');
  });

  it('folds a group away and back', async () => {
    const { page } = desk;
    const toggle = page.locator('[data-testid="team-group"][data-group="Customer Care South"] [data-testid="team-group-toggle"]');
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    await member(page, 'uccx/agent-07').waitFor({ state: 'detached' });
    await toggle.press('Enter');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    await member(page, 'uccx/agent-07').waitFor();
  });

  it('offers Message only where the platform can chat; Message opens the new chat, ready to type', async () => {
    const { page, threec } = desk;
    assert.equal(await member(page, 'uccx/agent-02').locator('[data-testid="team-member-chat"]').count(), 0, 'UCCX members cannot be messaged');
    await member(page, 'tc/carol@corp').locator('[data-testid="team-member-chat"]').click();
    const view = page.locator('[data-testid="chat-view"][data-key="tc/carol@corp"]');
    await view.waitFor();
    await eventually(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'reply-input'), 'the reply box has the keyboard');
    await page.keyboard.type('Got a minute?');
    await page.keyboard.press('Enter');
    await eventually(() => threec.texts.find((t) => t.destuser === 'carol@corp' && t.message === 'Got a minute?'), 'sendText reached 3C');
    await view.locator('[data-testid="message"]', { hasText: 'Got a minute?' }).waitFor();

    // Message again: the same conversation opens (3C keeps one per colleague).
    await view.locator('[data-testid="chat-close-view"]').click();
    await view.waitFor({ state: 'detached' });
    await member(page, 'tc/carol@corp').locator('[data-testid="team-member-chat"]').click();
    await view.waitFor();
    assert.equal(await page.locator('[data-testid="chat-item"][data-key="tc/carol@corp"]').count(), 1);
  });
});
