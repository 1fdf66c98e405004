/// <reference lib="dom" />
/**
 * The call history out of view (issue 21): below the fold of a tray-sized window its rows are
 * brought up to date at most once a second, not at every call that ends. No call is lost on the
 * way: one that ended while the history was out of view is in it for a screen reader reading it
 * there, and at its head when the agent scrolls to it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { assembleCore } from '../../main/app.js';
import { parseConfig } from '../../main/config.js';
import { createLogger } from '../../main/log.js';
import type { PastCall } from '../../common/model.js';
import { Closers } from '../support/closers.js';
import { ScriptedConnector } from '../support/scripted-connector.js';
import { historyCall, historyList, keptCall, keptHistory, openInWindow } from './harness.js';

const kept = (i: number): PastCall => keptCall(i, { id: 'desk', label: 'Desk', vendor: 'test' });

describe('a call history out of view while calls end', () => {
  const closers = new Closers();
  const phone = new ScriptedConnector();
  let page: Page;

  /** A call rings and ends on the desk's account; its caller. */
  function callEnds(n: number): string {
    const caller = `+35850000000${n}`;
    phone.emit({ type: 'call', call: { id: `new${n}`, state: 'ringing', direction: 'inbound', caller, actions: [] } });
    phone.emit({ type: 'call', call: { id: `new${n}`, state: 'ended' } });
    return caller;
  }

  before(() =>
    closers.setUp(async () => {
      const log = createLogger(process.env.AGENT_COMPANION_LOG ?? 'warn');
      const history = keptHistory(Array.from({ length: 40 }, (_, i) => kept(i)));
      const core = closers.add(
        assembleCore({ accounts: [{ seed: { id: 'desk', vendor: 'test', label: 'Desk', demo: false, presenceOptions: [] }, connector: phone }], config: parseConfig({}), log, history }),
        (made) => made.stop(),
      );
      // A short window: the history starts well below the fold.
      page = await openInWindow(closers, core, log, 260);
      await historyCall(page, kept(0).caller!).waitFor({ state: 'attached', timeout: 60_000 });
    }),
  );
  after(() => closers.closeAll());

  it('has the calls that ended out of view, for a screen reader there and at its head when scrolled to', async () => {
    const { top, fold } = await historyList(page).evaluate((list) => ({ top: list.getBoundingClientRect().top, fold: innerHeight }));
    assert.ok(top > fold * 2, `the history starts at ${top} px, not out of view below a ${fold} px window`);

    const first = callEnds(1);
    // In the page (and so for a screen reader) while out of view.
    await historyCall(page, first).and(page.locator('[aria-posinset="1"]')).waitFor({ state: 'attached' });

    const second = callEnds(2);
    const third = callEnds(3);
    await historyList(page).scrollIntoViewIfNeeded();
    const head = historyCall(page, third);
    await head.waitFor();
    assert.equal(await head.getAttribute('aria-posinset'), '1');
    assert.equal(await historyCall(page, second).getAttribute('aria-posinset'), '2');
    assert.equal(await historyCall(page, first).getAttribute('aria-posinset'), '3');
    assert.equal(await head.getAttribute('aria-setsize'), '43');
  });
});
