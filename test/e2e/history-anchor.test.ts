/// <reference lib="dom" />
/**
 * A full call history (500 calls, the cap) the agent has scrolled down (issue 21, point 3): a call
 * that ends arrives at the head, out of sight, and the rows under the agent's eyes stay where they
 * are; at the top of the list the new call shows at the head.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { assembleCore } from '../../main/app.js';
import { parseConfig } from '../../main/config.js';
import { HISTORY_LIMIT } from '../../main/desk/history.js';
import { createLogger } from '../../main/log.js';
import type { PastCall } from '../../common/model.js';
import { Closers } from '../support/closers.js';
import { ScriptedConnector } from '../support/scripted-connector.js';
import { historyCall, historyList, keptCall, keptHistory, openInWindow } from './harness.js';

/** The kept call `i` (0 the newest), on the desk's account. */
const kept = (i: number): PastCall => keptCall(i, { id: 'desk', label: 'Desk', vendor: 'test' });

describe('a scrolled call history when calls arrive at its head', () => {
  const closers = new Closers();
  const phone = new ScriptedConnector();
  let page: Page;
  let arrived = 0;

  /** A call rings and ends on the desk's account: it arrives at the head of the history. */
  async function callArrives(): Promise<string> {
    arrived += 1;
    const caller = `+3584000000${String(arrived).padStart(2, '0')}`;
    phone.emit({ type: 'call', call: { id: `new${arrived}`, state: 'ringing', direction: 'inbound', caller, actions: [] } });
    phone.emit({ type: 'call', call: { id: `new${arrived}`, state: 'ended' } });
    return caller;
  }

  /** Where a row is in the window, px from the top (it must be in the page). */
  function topOf(caller: string): Promise<number> {
    return historyCall(page, caller).evaluate((row) => row.getBoundingClientRect().top);
  }

  before(() =>
    closers.setUp(async () => {
      const log = createLogger(process.env.AGENT_COMPANION_LOG ?? 'warn');
      const calls = Array.from({ length: HISTORY_LIMIT }, (_, i) => kept(i));
      const history = keptHistory(calls);
      const core = closers.add(
        assembleCore({ accounts: [{ seed: { id: 'desk', vendor: 'test', label: 'Desk', demo: false, presenceOptions: [] }, connector: phone }], config: parseConfig({}), log, history }),
        (made) => made.stop(),
      );
      page = await openInWindow(closers, core, log, 800);
      await historyCall(page, kept(0).caller!).waitFor({ timeout: 60_000 });
    }),
  );
  after(() => closers.closeAll());

  it('keeps the rows in view where they are while calls arrive above them', async () => {
    // Scrolled down some thirty rows: the head of the list is out of the page.
    await historyList(page).evaluate((list) => list.scrollTo({ top: 30 * 84 }));
    await page.waitForFunction(() => !document.querySelector('[data-testid="recent-call"][aria-posinset="1"]'));
    const watched = await historyList(page).evaluate((list) => {
      const top = list.getBoundingClientRect().top;
      const row = [...list.querySelectorAll<HTMLElement>('[role="listitem"]')].find((r) => r.getBoundingClientRect().top >= top);
      return row?.querySelector('[data-testid="recent-call-party"]')?.textContent ?? '';
    });
    assert.match(watched, /^\+1415555/);
    const before = await topOf(watched);
    for (let i = 0; i < 3; i++) {
      await callArrives();
      // The history is full: the call arrives at the head and the oldest leaves; the watched row is a row further down the list.
      await historyCall(page, watched).and(page.locator(`[aria-posinset="${Number(watched.slice(-4)) + 2 + i}"]`)).waitFor();
      const now = await topOf(watched);
      // Within a pixel: the list scrolls by whole pixels, rows sit at fractions of one.
      assert.ok(Math.abs(now - before) < 1, `after ${i + 1} calls arrived above it, the row with ${watched} is at ${now} px, not ${before} px`);
    }
  });

  it('shows a call that arrives at the head when the list is at its top', async () => {
    await historyList(page).evaluate((list) => list.scrollTo({ top: 0 }));
    await page.waitForFunction(() => document.querySelector('[data-testid="recent-call"][aria-posinset="1"]'));
    const caller = await callArrives();
    const row = historyCall(page, caller);
    await row.waitFor();
    assert.equal(await row.getAttribute('aria-posinset'), '1');
    assert.equal(await row.getAttribute('aria-setsize'), String(HISTORY_LIMIT));
  });
});
