/// <reference lib="dom" />
/**
 * A long call history in Chromium (issue 21): 400 kept calls (the history's cap is 500) in the
 * 420 px window. The list says how long it is, only the rows in view are in the page, the search
 * finds a call far down the list, and the entry holding the focus keeps it when the list scrolls
 * away from it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { startCore } from '../../main/app.js';
import { parseConfig } from '../../main/config.js';
import { createLogger } from '../../main/log.js';
import type { PastCall } from '../../common/model.js';
import { Closers, hasFocus, historyCall, historyList, keptCall, keptHistory, openInWindow } from './harness.js';

const KEPT = 400;
const KEPT_ON = { id: 'kept', label: 'Kept desk', vendor: 'demo' };

/** The kept call `i` (0 the newest): every fifth one missed. */
const kept = (i: number): PastCall => keptCall(i, KEPT_ON, { missed: i % 5 === 0, target: '8005550199' });

describe('a long call history in Chromium', () => {
  const closers = new Closers();
  let page: Page;
  before(async () => {
    const log = createLogger(process.env.AGENT_COMPANION_LOG ?? 'warn');
    const calls = Array.from({ length: KEPT }, (_, i) => kept(i));
    const history = keptHistory(calls);
    // The demo's day is slowed right down: the history stays the 400 kept calls while the test looks.
    const core = closers.add(await startCore({ config: parseConfig({}), demo: true, log, demoIntervalMs: 600_000, history }), (started) => started.stop());
    page = await openInWindow(closers, core, log, 800);
    await historyCall(page, kept(0).caller!).waitFor({ timeout: 60_000 });
  });
  after(() => closers.closeAll());

  it('says it holds 400 calls and puts only those in view in the page', async () => {
    const first = historyCall(page, kept(0).caller!);
    assert.equal(await first.getAttribute('aria-setsize'), String(KEPT));
    assert.equal(await first.getAttribute('aria-posinset'), '1');
    const inPage = await historyList(page).getByRole('listitem').count();
    assert.ok(inPage > 0 && inPage < 40, `${inPage} of ${KEPT} rows in the page`);
  });

  it('finds a call far down the list by its number, and shows every missed call under "Missed"', async () => {
    const far = kept(371).caller!;
    assert.equal(await historyCall(page, far).count(), 0, 'out of view: not in the page');
    const search = page.getByRole('searchbox', { name: 'Search the call history' });
    await search.fill(far.slice(-4));
    await historyCall(page, far).waitFor();
    assert.equal(await historyCall(page, far).getAttribute('aria-setsize'), '1');
    await search.fill('');
    await page.getByRole('button', { name: 'Missed', exact: true }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="recent-call"]')?.getAttribute('aria-setsize') === '80');
    await page.getByRole('button', { name: 'Missed', exact: true }).click();
    await page.waitForFunction((n) => document.querySelector('[data-testid="recent-call"]')?.getAttribute('aria-setsize') === String(n), KEPT);
  });

  it('keeps the focus on an entry when the list scrolls far away from it', async () => {
    const row = historyCall(page, kept(1).caller!);
    const details = row.getByRole('button', { name: /^Details/ });
    await details.focus();
    await historyList(page).evaluate((list) => list.scrollTo({ top: list.scrollHeight }));
    await historyCall(page, kept(KEPT - 1).caller!).waitFor();
    assert.ok(await hasFocus(details), 'the entry scrolled away still holds the focus');
    await page.keyboard.press('Enter');
    await row.getByRole('group', { name: `Details of the call with ${kept(1).caller!}` }).waitFor();
  });
});
