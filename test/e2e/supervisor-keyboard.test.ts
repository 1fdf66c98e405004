/**
 * The supervisor's Team by keyboard (`--demo supervisor`, 5 500 members at a calm 20 changes a
 * second, so each key's effect is read before the rows under a filter change): the filter chips,
 * the arrow keys, End and Home through every member, and the focus kept when its row is
 * scrolled far out of view.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { Closers, eventually, openSupervisorDesk } from './harness.js';

/** The Team section. */
const team = (page: Page) => page.getByRole('region', { name: /^Team\b/ });
/** The Team section's count as read. */
const countOf = async (page: Page) => (await page.getByRole('heading', { name: /^Team\b/ }).getByText(/^\d+/).innerText()).replace(/\s+/g, ' ');
/** The row that has the keyboard focus: its words and its place in its group. */
const focused = (page: Page) =>
  page.evaluate(() => ({
    label: document.activeElement?.getAttribute('aria-label') ?? '',
    pos: document.activeElement?.getAttribute('aria-posinset'),
    size: document.activeElement?.getAttribute('aria-setsize'),
  }));

describe('the supervisor’s Team by keyboard', () => {
  const closers = new Closers();
  let page: Page;
  before(() =>
    closers.setUp(async () => {
      page = await openSupervisorDesk(closers, { eventsPerSec: 20 });
    }),
  );
  after(() => closers.closeAll());

  it('filters with the chips by keyboard', async () => {
    const notReady = team(page).getByRole('button', { name: /^Not ready\b/ });
    await notReady.focus();
    await page.keyboard.press('Enter');
    assert.equal(await notReady.getAttribute('aria-pressed'), 'true');
    assert.match(await countOf(page), /^[\d,]+ not ready$/);
    const all = team(page).getByRole('button', { name: /^All\b/ });
    await all.focus();
    await page.keyboard.press('Enter');
    assert.equal(await all.getAttribute('aria-pressed'), 'true');
    assert.equal(await countOf(page), '5,500');
  });

  it('walks through the members with the arrow keys, End and Home', async () => {
    await team(page).getByRole('listitem').first().focus();
    await page.keyboard.press('Home');
    await eventually(async () => (await focused(page)).pos === '1', 'the first member has the focus');
    const first = await focused(page);
    await page.keyboard.press('ArrowDown');
    await eventually(async () => (await focused(page)).pos === '2', 'the next member');
    await page.keyboard.press('End');
    await eventually(async () => {
      const end = await focused(page);
      return end.pos !== undefined && end.pos === end.size && end.size !== first.size;
    }, 'the last member of the last group has the focus');
    await page.keyboard.press('Home');
    await eventually(async () => (await focused(page)).label === first.label, `back to the first member (${first.label})`);
    assert.equal((await focused(page)).pos, '1');
  });

  it('keeps the focus on a row scrolled far out of view, and goes on from it', async () => {
    await page.keyboard.press('End');
    await eventually(async () => {
      const end = await focused(page);
      return end.pos !== undefined && end.pos === end.size;
    }, 'the last member has the focus');
    const last = (await focused(page)).label;
    // The list is scrolled back to the top: the focused row is thousands of rows out of view. (At
    // once, not with the wheel: Chromium's wheel scroll is an animation that can outlive the test's
    // look at it and take the list back up after the next key has scrolled it.)
    const list = page.getByTestId('team');
    await list.evaluate((el) => el.scrollTo({ top: 0, behavior: 'instant' }));
    await eventually(async () => (await list.evaluate((el) => el.scrollTop)) === 0, 'the list is scrolled to the top');
    assert.equal((await focused(page)).label, last, 'the row keeps the focus');
    // The keyboard goes on from there: the member before it, scrolled back into view.
    const size = (await focused(page)).size;
    await page.keyboard.press('ArrowUp');
    await eventually(async () => (await focused(page)).pos === String(Number(size) - 1), 'the member before the last has the focus');
    const at = await page.evaluate(() => {
      const row = document.activeElement!.getBoundingClientRect();
      const list = document.querySelector('[data-testid="team"]')!.getBoundingClientRect();
      return { row: [row.top, row.bottom], list: [list.top, list.bottom] };
    });
    // Whole pixels: the list may sit at a fractional offset in the page.
    const inView = at.row[0]! >= Math.floor(at.list[0]!) && at.row[1]! <= Math.ceil(at.list[1]!);
    assert.ok(inView, `the focused row is in view again (row ${at.row.join('–')} px, list ${at.list.join('–')} px)`);
  });
});
