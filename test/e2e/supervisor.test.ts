/**
 * The supervisor's desk in demo mode (`--demo supervisor`): a team report of 500 and 5 000 watched
 * busy lamps changing 1 000 times a second. The Team section shows the count of everyone, renders
 * only the rows in view, filters and walks through the members by keyboard, and shows a member's
 * change.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { startCore } from '../../main/app.js';
import { parseConfig } from '../../main/config.js';
import { createLogger } from '../../main/log.js';
import { startWebHost } from '../../main/web.js';
import { launchChromium } from './browser.js';
import { Closers } from './harness.js';
import { eventually } from '../support/eventually.js';

/** The Team section. */
const team = (page: Page) => page.getByRole('region', { name: /^Team\b/ });
/** The Team section's count as read. */
const countOf = async (page: Page) => (await page.getByRole('heading', { name: /^Team\b/ }).getByText(/^\d+/).innerText()).replace(/\s+/g, ' ');
/** What has the keyboard focus, in words. */
const focused = (page: Page) => page.evaluate(() => ({ label: document.activeElement?.getAttribute('aria-label') ?? '', pos: document.activeElement?.getAttribute('aria-posinset'), size: document.activeElement?.getAttribute('aria-setsize') }));

describe('the supervisor’s desk in demo mode', () => {
  const closers = new Closers();
  let page: Page;
  before(() =>
    closers.setUp(async () => {
      const log = createLogger('warn');
      const core = closers.add(await startCore({ config: parseConfig({}), demo: true, demoScenario: 'supervisor', log }), (started) => started.stop());
      const host = closers.add(await startWebHost({ core, log }), (started) => started.close());
      const browser = closers.add(await launchChromium(), (launched) => launched.close());
      page = await (await browser.newContext({ viewport: { width: 440, height: 900 } })).newPage();
      await page.goto(host.url);
    }),
  );
  after(() => closers.closeAll());

  it('counts all 5 500 members and renders only the rows in view', async () => {
    await eventually(async () => (await countOf(page).catch(() => '')) === '5500', 'every member of the report and every watched busy lamp on the desk', 90_000);
    const rendered = await team(page).getByRole('listitem').count();
    assert.ok(rendered > 5 && rendered < 200, `only the rows in view are in the page (${rendered})`);
  });

  it('filters by keyboard and walks through the members with the arrow keys, End and Home', async () => {
    const notReady = team(page).getByRole('button', { name: /^Not ready\b/ });
    await notReady.focus();
    await page.keyboard.press('Enter');
    assert.equal(await notReady.getAttribute('aria-pressed'), 'true');
    assert.match(await countOf(page), /^\d+ not ready$/);
    // Back to everyone (under a status filter, members come and go every second at this pace).
    const all = team(page).getByRole('button', { name: /^All\b/ });
    await all.focus();
    await page.keyboard.press('Enter');
    assert.equal(await all.getAttribute('aria-pressed'), 'true');
    await team(page).getByRole('listitem').first().focus();
    await page.keyboard.press('Home');
    await eventually(async () => (await focused(page)).pos === '1', 'the first member has the focus');
    const start = await focused(page);
    await page.keyboard.press('ArrowDown');
    await eventually(async () => (await focused(page)).pos === '2', 'the next member');
    await page.keyboard.press('End');
    await eventually(async () => {
      const end = await focused(page);
      return end.pos !== undefined && end.pos === end.size && end.size !== start.size;
    }, 'the last member of the last group has the focus');
    await page.keyboard.press('Home');
    await eventually(async () => (await focused(page)).pos === '1', 'back to the first member');
  });

  it('shows a member’s change', async () => {
    const row = team(page).getByRole('listitem').nth(2);
    const name = (await row.getAttribute('aria-label'))!.split(', ')[0]!;
    const member = team(page).getByRole('listitem', { name: new RegExp(`^${name}, `) });
    const before = await member.getAttribute('aria-label');
    await eventually(async () => (await member.getAttribute('aria-label')) !== before, `${name}'s status changes on screen`, 60_000);
  });
});
