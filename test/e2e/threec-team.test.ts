/// <reference lib="dom" />
/**
 * End to end: a watched colleague's presence change shows in the Team section, and the agent starts
 * an IM with that colleague from there; the first message reaches 3C.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { startCore } from '../../main/app.js';
import { parseConfig } from '../../main/config.js';
import { createLogger } from '../../main/log.js';
import { startThreecSimulator, type ThreecSimulator } from '../../main/vendors/threec/simulator/index.js';
import { startWebHost } from '../../main/web.js';
import { Closers } from '../support/closers.js';
import { eventually } from '../support/eventually.js';
import { launchChromium } from './browser.js';
import { accountStatus, chatItem } from './harness.js';
import { accountFor, COLLEAGUES } from '../fixtures/threec/harness.js';

describe('NEC UNIVERGE 3C colleagues in the Team section', () => {
  const closers = new Closers();
  let sim: ThreecSimulator;
  let page: Page;
  before(() =>
    closers.setUp(async () => {
      const log = createLogger(process.env.AGENT_COMPANION_LOG ?? 'warn');
      sim = closers.add(await startThreecSimulator({ username: 'agent@corp', colleagues: COLLEAGUES }), (s) => s.close().catch(() => undefined));
      const config = parseConfig({ accounts: [{ id: 'tc', vendor: 'threec', label: '3C test', ...accountFor(sim) }] });
      const core = closers.add(await startCore({ config, log, backoff: { initialMs: 50, maxMs: 500, jitter: 0 } }), (c) => c.stop());
      const host = closers.add(await startWebHost({ core, log }), (h) => h.close());
      const browser = closers.add(await launchChromium(), (b) => b.close().catch(() => undefined));
      page = await (await browser.newContext({ viewport: { width: 440, height: 900 } })).newPage();
      await page.goto(host.url);
      await accountStatus(page, '3C test', 'Connected').waitFor();
    }),
  );
  after(() => closers.closeAll());

  it('shows a colleague’s presence change', async () => {
    // A member's row is named "bob@corp, Do not disturb: Focus time" (the desk's word for the state).
    const bob = (state = '') => page.getByRole('region', { name: /^Team\b/ }).getByRole('listitem', { name: new RegExp(`^bob@corp, ${state}`) });
    await bob().waitFor();
    sim.setPresence('bob@corp', 'DoNotDisturb', 'Focus time');
    await bob('Do not disturb').waitFor();
    assert.match(await bob().innerText(), /DoNotDisturb|Do not disturb/);
    sim.setPresence('bob@corp', 'Available');
    await bob('Ready').waitFor();
  });

  it('starts an IM with the colleague from the Team section; the first message reaches 3C', async () => {
    await page.getByRole('button', { name: 'Message carol@corp' }).click();
    await chatItem(page, 'carol@corp').click();
    await page.getByRole('textbox', { name: 'Reply to carol@corp' }).fill('Got a minute?');
    await page.getByRole('button', { name: 'Send reply to carol@corp' }).click();
    await eventually(() => sim.texts.find((t) => t.destuser === 'carol@corp' && t.message === 'Got a minute?'), 'sendText reached 3C');
    await page.getByRole('list', { name: 'Transcript' }).getByRole('listitem').filter({ hasText: 'Got a minute?' }).waitFor();
  });
});
