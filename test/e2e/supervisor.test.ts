/**
 * The supervisor's desk in demo mode (`--demo supervisor`): a team report of 500 and 5 000 watched
 * busy lamps changing 1 000 times a second. The Team section counts everyone, renders only the rows
 * in view and shows a member's change. (Its keyboard: `supervisor-keyboard.test.ts`.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { Closers, eventually, openSupervisorDesk } from './harness.js';

/** The Team section. */
const team = (page: Page) => page.getByRole('region', { name: /^Team\b/ });

describe('the supervisor’s desk in demo mode, 1 000 changes a second', () => {
  const closers = new Closers();
  let page: Page;
  before(() =>
    closers.setUp(async () => {
      page = await openSupervisorDesk(closers, { eventsPerSec: 1_000 });
    }),
  );
  after(() => closers.closeAll());

  it('counts all 5 500 members and renders only the rows in view', async () => {
    const rendered = await team(page).getByRole('listitem').count();
    assert.ok(rendered > 5 && rendered < 200, `only the rows in view are in the page (${rendered})`);
  });

  it('shows a member’s change', async () => {
    const row = team(page).getByRole('listitem').nth(2);
    const name = (await row.getAttribute('aria-label'))!.split(', ')[0]!;
    const member = team(page).getByRole('listitem', { name: new RegExp(`^${name}, `) });
    const before = await member.getAttribute('aria-label');
    await eventually(async () => (await member.getAttribute('aria-label')) !== before, `${name}'s status changes on screen`, 60_000);
  });
});
