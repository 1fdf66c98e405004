/// <reference lib="dom" />
/**
 * End to end, as the agent sees it: the web host in Chromium, one NEC UNIVERGE 3C account connected
 * through the real connector to the adapter-link simulator.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { parseConfig } from '../../main/config.js';
import { startThreecSimulator, type ThreecSimulator } from '../../main/vendors/threec/simulator/index.js';
import { Closers } from '../support/closers.js';
import { eventually } from '../support/eventually.js';
import { accountFor, COLLEAGUES } from '../fixtures/threec/harness.js';
import { notifications } from './browser.js';
import { chatItem, liveCall, openDesk } from './harness.js';

interface Running {
  sim: ThreecSimulator;
  page: Page;
  browser: Browser;
}

/** Starts the simulator, the core, the web host and Chromium; stops what started if a step fails. */
function startDesk(closers: Closers): Promise<Running> {
  return closers.setUp(async () => {
    const sim = closers.add(await startThreecSimulator({ username: 'agent@corp', colleagues: COLLEAGUES }), (s) => s.close().catch(() => undefined));
    sim.refuseTerminal('1002', 'Failed to monitor terminal 1002: address not found');
    const config = parseConfig({ accounts: [{ id: 'tc', vendor: 'threec', label: '3C test', ...accountFor(sim), terminals: '1001, 1002' }] });
    const { page, browser } = await openDesk(closers, { config });
    return { sim, page, browser };
  });
}

describe('NEC UNIVERGE 3C in Chromium', () => {
  const closers = new Closers();
  let desk: Running;
  before(async () => {
    desk = await startDesk(closers);
  });
  after(() => closers.closeAll());

  it('raises one notification for a ringing 3C call, however often 3C repeats it, and takes the call off when it ends', async () => {
    const { page, sim } = desk;
    const before = (await notifications(page)).length;
    const id = sim.ringCall({ caller: '+358409876543' });
    const row = liveCall(page, '+358409876543', { account: '3C test' });
    await row.waitFor();
    assert.equal(await liveCall(page, '+358409876543', { state: 'Ringing', account: '3C test' }).count(), 1, 'it rings');
    assert.match(await row.innerText(), /\+358409876543/);
    await eventually(async () => (await notifications(page)).length > before, 'a notification');
    sim.repeatLastEvent();
    sim.answerCall(id);
    await liveCall(page, '+358409876543', { state: 'Connected', account: '3C test' }).waitFor();
    assert.equal(await row.getByRole('button', { name: /^Answer/ }).count(), 0, 'no call control on 3C');
    sim.hangupCall(id);
    await row.waitFor({ state: 'detached' });
    const raised = (await notifications(page)).slice(before);
    assert.equal(raised.length, 1, JSON.stringify(raised));
    assert.match(raised[0]!.title, /\+358409876543/);
  });

  it('shows an IM from a colleague once, and the reply typed in the window reaches 3C', async () => {
    const { page, sim } = desk;
    const before = (await notifications(page)).length;
    sim.sendIm('bob@corp', 'Can you cover my queue at 3?');
    sim.repeatLastEvent();
    const item = chatItem(page, 'bob@corp');
    await item.waitFor();
    await item.click();
    const message = (text: string) => page.getByRole('list', { name: 'Transcript' }).getByRole('listitem').filter({ hasText: text });
    const line = message('Can you cover my queue at 3?');
    await line.waitFor();
    sim.sendIm('bob@corp', 'Only for an hour.');
    await message('Only for an hour.').waitFor();
    assert.equal(await line.count(), 1, 'the repeated event shows once');
    await page.getByRole('textbox', { name: 'Reply to bob@corp' }).fill('Yes, I can.');
    await page.getByRole('button', { name: 'Send reply to bob@corp' }).click();
    await eventually(() => sim.texts.find((t) => t.destuser === 'bob@corp' && t.message === 'Yes, I can.'), 'sendText reached 3C');
    await message('Yes, I can.').waitFor();
    assert.equal(await message('Yes, I can.').count(), 1);
    const raised = (await notifications(page)).slice(before);
    assert.equal(raised.length, 1, `one notification for the new conversation: ${JSON.stringify(raised)}`);
    assert.match(raised[0]!.title, /bob@corp/);
  });

  it('shows which terminal 3C could not monitor', async () => {
    const { page } = desk;
    const issue = page.getByRole('note', { name: '3C test: some updates are unavailable' }).getByRole('listitem').filter({ hasText: 'terminal 1002 (ext)' });
    await issue.waitFor();
    assert.match(await issue.innerText(), /address not found/);
  });
});
