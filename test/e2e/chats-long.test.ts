/**
 * A desk with 300 chats in Chromium (issue 21: lists render only the rows in view). The chats list
 * says how long it is and puts only the chats in view in the page; the keyboard reaches the last
 * chat and opens it; a new message on a chat out of view brings it to the head of the list once,
 * counted once; and the chat holding the focus keeps it while chats above it move.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { assembleCore } from '../../main/app.js';
import { parseConfig } from '../../main/config.js';
import { createLogger } from '../../main/log.js';
import type { ChatMessage, ChatParticipant } from '../../common/model.js';
import { Closers } from '../support/closers.js';
import { ScriptedConnector } from '../support/scripted-connector.js';
import { chatItem, eventually, focusedElement, hasFocus, openInWindow } from './harness.js';

const CHATS = 300;
/** When the newest of the chats' first lines was written; chat `i`'s is `i` minutes before. */
const FROM = Date.parse('2026-12-05T09:00:00.000Z');

/** The customer of chat `i` (0 the most recently active), named with three digits. */
const customer = (i: number): ChatParticipant => ({ id: `p${i}`, name: `Customer ${String(i).padStart(3, '0')}`, role: 'customer' });

/** A line from chat `i`'s customer, `minutes` after the newest first line. */
function line(i: number, id: string, text: string, minutes: number): ChatMessage {
  return { id, index: Number(id.replace(/\D/g, '')), from: customer(i), text, at: new Date(FROM + minutes * 60_000).toISOString(), kind: 'text' };
}

describe('a desk with 300 chats in Chromium', () => {
  const closers = new Closers();
  const phone = new ScriptedConnector();
  let page: Page;

  /** The list of live chats. */
  const liveList = (): Locator => page.getByRole('list', { name: 'Offered and active chats' });
  /** The row of chat `i` in the list (it must be in the page to be found). */
  const row = (i: number): Locator => liveList().getByRole('listitem').filter({ has: chatItem(page, customer(i).name) });

  before(() =>
    closers.setUp(async () => {
      const log = createLogger(process.env.AGENT_COMPANION_LOG ?? 'warn');
      const core = closers.add(
        assembleCore({ accounts: [{ seed: { id: 'desk', vendor: 'test', label: 'Desk', demo: false, presenceOptions: [] }, connector: phone }], config: parseConfig({}), log }),
        (made) => made.stop(),
      );
      for (let i = 0; i < CHATS; i++) {
        phone.emit({ type: 'chat', chat: { id: `c${i}`, state: 'active', participants: [customer(i)], actions: ['send'] } });
        phone.emit({ type: 'chat.messages', chatId: `c${i}`, messages: [line(i, `m1`, `Hello from ${customer(i).name}`, -i)] });
      }
      page = await openInWindow(closers, core, log, 900);
      await chatItem(page, customer(0).name).waitFor({ timeout: 60_000 });
    }),
  );
  after(() => closers.closeAll());

  it('says it holds 300 chats and puts only those in view in the page', async () => {
    assert.equal(await row(0).getAttribute('aria-setsize'), String(CHATS));
    assert.equal(await row(0).getAttribute('aria-posinset'), '1');
    const inPage = await liveList().getByRole('listitem').count();
    assert.ok(inPage > 0 && inPage < 30, `${inPage} of ${CHATS} chats in the page`);
    assert.equal(await chatItem(page, customer(CHATS - 1).name).count(), 0, 'the last chat, out of view, is not in the page');
  });

  it('reaches the last chat by keyboard (End, arrows, Home, Page Down/Up) and opens it with Enter', async () => {
    await chatItem(page, customer(0).name).focus();
    await page.keyboard.press('ArrowDown');
    await eventually(() => hasFocus(chatItem(page, customer(1).name)), 'ArrowDown moves to the next chat');
    await page.keyboard.press('End');
    const last = chatItem(page, customer(CHATS - 1).name);
    await eventually(async () => (await last.count()) === 1 && (await hasFocus(last)), 'End moves to the last chat');
    assert.equal(await row(CHATS - 1).getAttribute('aria-posinset'), String(CHATS));
    await page.keyboard.press('ArrowUp');
    await eventually(() => hasFocus(chatItem(page, customer(CHATS - 2).name)), 'ArrowUp moves to the chat before');
    await page.keyboard.press('ArrowDown');
    await eventually(() => hasFocus(last), 'ArrowDown moves back to the last chat');
    await page.keyboard.press('Enter');
    await page.getByRole('region', { name: `Chat with ${customer(CHATS - 1).name}` }).waitFor();
    assert.equal(await last.getAttribute('aria-current'), 'true', 'the last chat is the one open');
    await last.focus();
    await page.keyboard.press('Escape');
    await page.getByRole('region', { name: `Chat with ${customer(CHATS - 1).name}` }).waitFor({ state: 'detached' });
    await page.keyboard.press('Home');
    await eventually(() => hasFocus(chatItem(page, customer(0).name)), 'Home moves to the first chat');
    await page.keyboard.press('PageDown');
    const place = (): Promise<number> => page.evaluate(() => Number(document.activeElement?.closest('[role="listitem"]')?.getAttribute('aria-posinset') ?? 0));
    await eventually(async () => (await place()) > 2, 'PageDown moves the focus a page of chats down');
    await page.keyboard.press('PageUp');
    await eventually(() => hasFocus(chatItem(page, customer(0).name)), 'PageUp moves back to the first chat');
  });

  it('keeps the focus on a chat while chats above it move and the list scrolls away from it', async () => {
    const watched = chatItem(page, customer(3).name);
    await watched.focus();
    // A chat far down the list has news: it moves to the head, above the focused chat.
    phone.emit({ type: 'chat.messages', chatId: 'c200', messages: [line(200, 'm2', 'Are you there?', 1)] });
    await row(3).and(page.locator('[aria-posinset="5"]')).waitFor();
    assert.ok(await hasFocus(watched), `the chat with ${customer(3).name} keeps the focus (focus on ${await focusedElement(page)})`);
    await liveList().evaluate((list) => list.scrollTo({ top: list.scrollHeight }));
    await chatItem(page, customer(CHATS - 1).name).waitFor();
    assert.ok(await hasFocus(watched), 'the chat scrolled out of view still holds the focus');
  });

  it('shows a new message on a chat out of view at the head of the list, once', async () => {
    await liveList().evaluate((list) => list.scrollTo({ top: 0 }));
    const far = customer(250).name;
    assert.equal(await chatItem(page, far).count(), 0, 'out of view: not in the page');
    const news = line(250, 'm2', 'My order never came', 2);
    phone.emit({ type: 'chat.messages', chatId: 'c250', messages: [news] });
    // Sent again (a platform may deliver a line twice): counted and shown once.
    phone.emit({ type: 'chat.messages', chatId: 'c250', messages: [news] });
    phone.emit({ type: 'chat.messages', chatId: 'c1', messages: [line(1, 'm2', 'Thanks, bye', 1.5)] });
    const item = chatItem(page, far);
    await item.waitFor();
    assert.equal(await row(250).getAttribute('aria-posinset'), '1');
    assert.match(await item.innerText(), /My order never came/);
    assert.equal(await item.getByText(/^2\s*unread$/).count(), 1, 'two unread lines: the first and the news, the news once');
    await item.click();
    const view = page.getByRole('region', { name: `Chat with ${far}` });
    await view.waitFor();
    assert.equal(await view.getByText('My order never came').count(), 1, 'the new line shows once in the chat');
  });
});
