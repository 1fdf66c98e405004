/**
 * An open chat and a call's details in the pseudo-locale (issue 19): the demo's day with
 * `display.language: "en-XA"`; every text the agent meets must come through the language layer
 * (`pseudo.ts` says how it is read). The desk as a whole: `pseudo-locale-desk.test.ts`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { Closers } from './harness.js';
import { openPseudoDemo, unmarkedTexts, xa, xaPattern } from './pseudo.js';

describe('a chat and a call’s details in the pseudo-locale', () => {
  const closers = new Closers();
  let page: Page;

  before(() =>
    closers.setUp(async () => {
      page = await openPseudoDemo(closers);
    }),
  );
  after(() => closers.closeAll());

  it('says an open chat and a call’s details in the history through it too', async () => {
    await page.getByRole('list', { name: xa('history.list.label') }).getByRole('listitem').first().waitFor({ timeout: 90_000 });
    await page.getByRole('button', { name: xaPattern('chats.item.with') }).first().waitFor({ timeout: 90_000 });
    // The demo's chats and calls move as they arrive: the first of each is opened wherever it is.
    await page.getByRole('button', { name: xaPattern('chats.item.with') }).first().dispatchEvent('click');
    await page.getByRole('region', { name: xaPattern('chats.view.label') }).waitFor();
    await page.getByRole('list', { name: xa('history.list.label') }).getByRole('button', { name: xaPattern('calls.details') }).first().dispatchEvent('click');
    await page.getByRole('group', { name: xaPattern('history.details.label') }).first().waitFor();
    assert.deepEqual(await unmarkedTexts(page, 'a chat and a history entry'), []);
  });
});
