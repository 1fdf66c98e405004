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
import { chatItem, hasFocus, literally, openDesk } from './harness.js';

interface Running {
  uccx: OpenMethodsSimulator;
  threec: ThreecSimulator;
  page: Page;
}

/** The Team section. */
const team = (page: Page) => page.getByRole('region', { name: /^Team\b/ });
/** Every member row shown. */
const rows = (page: Page) => team(page).getByRole('listitem');
/**
 * A member's row, by name (its name says "Ben Hill, Not ready: Meeting, Agent, on a call"), in the
 * desk's `state` word when given ("Not ready", "Do not disturb"…).
 */
const member = (page: Page, name: string, state?: string) =>
  team(page).getByRole('listitem', { name: new RegExp(`^${literally(name)}, ${state ? `${literally(state)}\\b` : ''}`) });
/** The Team section's count as read (the count and its label are joined by a no-break space). */
const countOf = async (page: Page) => (await page.getByRole('heading', { name: /^Team\b/ }).getByText(/^\d+/).innerText()).replace(/\s+/g, ' ');
/** A status filter ("Wrap-up 2"). */
const filter = (page: Page, label: string) => page.getByRole('group', { name: 'Show team members' }).getByRole('button', { name: new RegExp(`^${label} \\d+$`) });

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
    await member(page, 'Grace Okoro').waitFor();
    await member(page, 'carol@corp').waitFor();
    const groups = await team(page).getByRole('region').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('aria-label')));
    assert.deepEqual(groups, ['Customer Care North', 'Customer Care South', 'Watched in 3C']);
    const north = team(page).getByRole('region', { name: 'Customer Care North' }).getByRole('listitem');
    assert.deepEqual(await north.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('aria-label')?.split(', ')[0])), [
      'Maria Supervisor',
      'Tom Lead',
      'Ben Hill',
      'Chloe Park',
      'Dev Patel',
    ]);
    assert.equal(await member(page, 'Maria Supervisor').getByText('Supervisor', { exact: true }).innerText(), 'Supervisor');
    assert.equal(await member(page, 'Tom Lead').getByText('Team lead', { exact: true }).innerText(), 'Team lead');
    assert.equal(await member(page, 'Ben Hill').getByText('Agent', { exact: true }).innerText(), 'Agent');
    // The 3C colleague's own words: "Busy" with the note, as canonical not-ready.
    const carol = member(page, 'carol@corp');
    assert.equal(await member(page, 'carol@corp', 'Not ready').count(), 1, 'not ready, in the desk’s words');
    assert.equal(await carol.getByText('Busy', { exact: true }).innerText(), 'Busy');
    assert.equal(await carol.getByText('In a meeting', { exact: true }).innerText(), 'In a meeting');
    assert.equal(await countOf(page), '10');
  });

  it('shows a member’s status change with the platform’s label and reason, and times it from then', async () => {
    const { page, uccx, threec } = desk;
    const ben = member(page, 'Ben Hill');
    assert.equal(await member(page, 'Ben Hill', 'Ready').count(), 1);
    uccx.center.setMemberStatus([{ memberId: 'agent-02', status: 'not_ready', reason: '3' }]);
    await member(page, 'Ben Hill', 'Not ready').waitFor();
    assert.equal(await ben.getByText('not_ready', { exact: true }).innerText(), 'not_ready');
    assert.equal(await ben.getByText('Meeting', { exact: true }).innerText(), 'Meeting');
    const since = ben.getByText(/^Time in status:\s*\d\d:\d\d/);
    assert.match(await since.innerText(), /00:0\d/);
    const first = await since.innerText();
    await eventually(async () => (await since.innerText()) !== first, 'the time in status ticks');

    const bob = member(page, 'bob@corp');
    threec.setPresence('bob@corp', 'DoNotDisturb', 'Focus time');
    await member(page, 'bob@corp', 'Do not disturb').waitFor();
    assert.match(await bob.innerText(), /DoNotDisturb/);
    assert.match(await bob.innerText(), /Focus time/);
  });

  it('lights the busy lamp while a colleague is on a call', async () => {
    const { page, threec } = desk;
    const lamp = member(page, 'bob@corp').getByText('On a call', { exact: true });
    assert.equal(await lamp.count(), 0);
    const call = threec.colleagueCall('bob@corp', { caller: '+358401112233' });
    await lamp.waitFor();
    assert.match((await member(page, 'bob@corp').getAttribute('aria-label')) ?? '', /, on a call$/, 'said to screen readers too');
    threec.hangupCall(call);
    await lamp.waitFor({ state: 'detached' });
  });

  it('filters by status, with a count of who is shown', async () => {
    const { page, uccx, threec } = desk;
    uccx.center.setMemberStatus([{ memberId: 'agent-05', status: 'ACW' }]);
    await member(page, 'Eva Lind', 'Wrap-up').waitFor();

    await filter(page, 'Wrap-up').click();
    assert.equal(await filter(page, 'Wrap-up').getAttribute('aria-pressed'), 'true');
    await eventually(
      async () => (await rows(page).evaluateAll((n) => n.map((e) => e.getAttribute('aria-label') ?? ''))).every((name) => /^[^,]+, Wrap-up\b/.test(name)),
      'only wrap-up rows',
    );
    const wrapUp = await rows(page).count();
    assert.ok(wrapUp >= 2, 'Dev Patel (ACW from the start) and Eva Lind');
    assert.equal(await countOf(page), `${wrapUp} wrap-up`);
    assert.equal(await member(page, 'Eva Lind').count(), 1);
    assert.equal(await member(page, 'carol@corp').count(), 0, 'Carol is not in wrap-up');

    // A member who leaves the filtered status leaves the list.
    uccx.center.setMemberStatus([{ memberId: 'agent-05', status: 'ready' }]);
    await member(page, 'Eva Lind').waitFor({ state: 'detached' });
    assert.equal(await countOf(page), `${wrapUp - 1} wrap-up`);

    await filter(page, 'On a call').click();
    await team(page).getByText('No one is on a call right now.').waitFor();
    const call = threec.colleagueCall('carol@corp', { caller: '+358401112244' });
    await member(page, 'carol@corp').waitFor();
    assert.equal(await rows(page).count(), 1);
    threec.hangupCall(call);
    await member(page, 'carol@corp').waitFor({ state: 'detached' });

    await filter(page, 'All').click();
    await eventually(async () => (await rows(page).count()) === 10, 'every member again');
    assert.equal(await countOf(page), '10');
  });

  it('folds a group away and back', async () => {
    const { page } = desk;
    const toggle = team(page).getByRole('region', { name: 'Customer Care South' }).getByRole('button', { name: /^Customer Care South\b/ });
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    await member(page, 'Grace Okoro').waitFor({ state: 'detached' });
    await toggle.press('Enter');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    await member(page, 'Grace Okoro').waitFor();
  });

  it('offers Message only where the platform can chat; Message opens the new chat, ready to type', async () => {
    const { page, threec } = desk;
    assert.equal(await member(page, 'Ben Hill').getByRole('button', { name: /^Message / }).count(), 0, 'UCCX members cannot be messaged');
    await member(page, 'carol@corp').getByRole('button', { name: 'Message carol@corp' }).click();
    const view = page.getByRole('region', { name: 'Chat with carol@corp' });
    await view.waitFor();
    await eventually(() => hasFocus(view.getByRole('textbox', { name: 'Reply to carol@corp' })), 'the reply box has the keyboard');
    await page.keyboard.type('Got a minute?');
    await page.keyboard.press('Enter');
    await eventually(() => threec.texts.find((t) => t.destuser === 'carol@corp' && t.message === 'Got a minute?'), 'sendText reached 3C');
    await view.getByRole('list', { name: 'Transcript' }).getByRole('listitem').filter({ hasText: 'Got a minute?' }).waitFor();

    // Message again: the same conversation opens (3C keeps one per colleague).
    await view.getByRole('button', { name: 'Close chat' }).click();
    await view.waitFor({ state: 'detached' });
    await member(page, 'carol@corp').getByRole('button', { name: 'Message carol@corp' }).click();
    await view.waitFor();
    assert.equal(await chatItem(page, 'carol@corp').count(), 1);
  });
});
