/// <reference lib="dom" />
/**
 * The queues out of view (issue 21): below the fold of a tray-sized window the table's rows are
 * brought up to date at most once a second, not at every change of a queue's figures (the busiest
 * queue comes first, so under load the rows swapped places many times a second). The section's
 * count stays live, the rows reach the page for a screen reader reading them there, and the
 * table is up to date, busiest first, when the agent scrolls to it.
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
import { historyCall, keptCall, keptHistory, openInWindow } from './harness.js';

const kept = (i: number): PastCall => keptCall(i, { id: 'desk', label: 'Desk', vendor: 'test' });

describe('the queues out of view while their figures change', () => {
  const closers = new Closers();
  const phone = new ScriptedConnector();
  let page: Page;

  /** A queue's figures as the platform reports them. */
  function queue(id: string, waiting: number): void {
    phone.emit({ type: 'queue', queue: { id, name: `Queue ${id}`, waiting, longestWaitSec: waiting * 10, agentsFree: 1, agentsServing: 3, agentsWrapUp: 0, open: 'open' } });
  }

  const rows = (): Promise<Array<{ name: string; waiting: string }>> =>
    page.getByTestId('queue').evaluateAll((trs) =>
      trs.map((tr) => ({ name: tr.querySelector('.qname')?.textContent ?? '', waiting: tr.querySelector('[data-testid="queue-waiting"]')?.textContent?.trim() ?? '' })),
    );

  before(() =>
    closers.setUp(async () => {
      const log = createLogger(process.env.AGENT_COMPANION_LOG ?? 'warn');
      // A history long enough to put the queues well below the fold.
      const history = keptHistory(Array.from({ length: 40 }, (_, i) => kept(i)));
      const core = closers.add(
        assembleCore({ accounts: [{ seed: { id: 'desk', vendor: 'test', label: 'Desk', demo: false, presenceOptions: [] }, connector: phone }], config: parseConfig({}), log, history }),
        (made) => made.stop(),
      );
      page = await openInWindow(closers, core, log, 260);
      await historyCall(page, kept(0).caller!).waitFor({ state: 'attached', timeout: 60_000 });
      queue('a', 1);
      queue('b', 2);
      await page.getByTestId('queue').nth(1).waitFor({ state: 'attached' });
    }),
  );
  after(() => closers.closeAll());

  it('keeps the count live, has the rows in the page out of view, and the busiest first when scrolled to', async () => {
    const table = page.getByTestId('queues');
    const { top, fold } = await table.evaluate((el) => ({ top: el.getBoundingClientRect().top, fold: innerHeight }));
    assert.ok(top > fold * 2, `the queues start at ${top} px, not out of view below a ${fold} px window`);

    queue('a', 5);
    // The section's count says the calls waiting in every queue, at once.
    await page.getByTestId('section-queues-count').filter({ hasText: '7' }).waitFor({ state: 'attached' });
    // The rows follow out of view too (a screen reader reads them there), the busiest first.
    await page.waitForFunction(() => document.querySelector('[data-testid="queue"] .qname')?.textContent === 'Queue a');

    queue('b', 9);
    await table.scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.querySelector('[data-testid="queue"] .qname')?.textContent === 'Queue b');
    assert.deepEqual(await rows(), [
      { name: 'Queue b', waiting: '9' },
      { name: 'Queue a', waiting: '5' },
    ]);
  });
});
