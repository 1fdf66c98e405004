/**
 * The desk at work in the pseudo-locale (issue 19): the demo's day (calls ringing and connected,
 * chats, callbacks, the history, queues, the team) with `display.language: "en-XA"`; every text the
 * agent meets must come through the language layer (`pseudo.ts` says how it is read).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { Closers } from './harness.js';
import { clippedTexts, openPseudoDemo, unmarkedTexts, xa, xaPattern } from './pseudo.js';

describe('the desk in the pseudo-locale', () => {
  const closers = new Closers();
  let page: Page;

  before(() =>
    closers.setUp(async () => {
      page = await openPseudoDemo(closers);
    }),
  );
  after(() => closers.closeAll());

  it('says the desk at work — ringing, calls, chats, callbacks, history, queues, team — through the language layer', async () => {
    await page.getByRole('region', { name: xa('presence.title') }).waitFor({ timeout: 60_000 });
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en-XA', 'the document says its language');
    // The scripted day brings each of these; wait until every part of the desk has something to show.
    await Promise.all([
      page.getByRole('region', { name: xa('calls.state.ringing') }).waitFor({ timeout: 60_000 }),
      page.getByRole('list', { name: xa('history.list.label') }).getByRole('listitem').nth(1).waitFor({ timeout: 60_000 }),
      page.getByRole('button', { name: xaPattern('chats.item.with') }).first().waitFor({ timeout: 60_000 }),
      page.getByRole('list', { name: xa('callbacks.list.label') }).getByRole('listitem').first().waitFor({ timeout: 60_000 }),
      page.getByRole('group', { name: xa('team.filters.label') }).waitFor({ timeout: 60_000 }),
    ]);
    assert.deepEqual(await unmarkedTexts(page, 'the desk'), []);
    // About 40 % longer than English, as German and Finnish run: nothing cut off at 420 px.
    assert.deepEqual(await clippedTexts(page, 'the desk'), []);
  });
});
