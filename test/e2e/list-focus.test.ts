/**
 * Moving the focus in a long virtual list (issue 21: only the rows in view are in the page) while
 * the list has not caught up yet, in Chromium, on a desk with 300 chats: a key pressed before the
 * list has followed the scroll the last move made, and a row the list measures late. In both the
 * focus must reach the chat the key asks for and never fall to the page on the way.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { assembleCore } from '../../main/app.js';
import { parseConfig } from '../../main/config.js';
import { createLogger } from '../../main/log.js';
import type { ChatParticipant } from '../../common/model.js';
import { Closers } from '../support/closers.js';
import { ScriptedConnector } from '../support/scripted-connector.js';
import { chatItem, eventually, hasFocus, openInWindow } from './harness.js';

const CHATS = 300;
const FROM = Date.parse('2026-12-05T09:00:00.000Z');

/** The customer of chat `i` (0 the most recently active), named with three digits. */
const customer = (i: number): ChatParticipant => ({ id: `p${i}`, name: `Customer ${String(i).padStart(3, '0')}`, role: 'customer' });

/**
 * Makes the page's virtual lists measure a row entering the page ten frames late instead of in the
 * next frame (virtua measures rows with a ResizeObserver): a busy window. A script (not a function)
 * so that it runs in the page as written.
 */
const MEASURE_LATE = `{
  const observe = ResizeObserver.prototype.observe;
  ResizeObserver.prototype.observe = function (target, options) {
    if (!target.matches('[role="listitem"]')) return observe.call(this, target, options);
    let frames = 10;
    const observer = this;
    requestAnimationFrame(function later() {
      if (--frames > 0) requestAnimationFrame(later);
      else if (target.isConnected) observe.call(observer, target, options);
    });
  };
}`;

/**
 * Counts, from now on, the times the focus falls from the chats list to the page (a `focusout` to
 * nothing): what a screen reader says as the focus leaving the list.
 */
async function countFocusDrops(page: Page): Promise<() => Promise<number>> {
  await page.getByRole('list', { name: 'Offered and active chats' }).evaluate((list) => {
    const recorder = window as unknown as { focusDrops: number };
    recorder.focusDrops = 0;
    list.addEventListener('focusout', (event) => {
      if (!(event as FocusEvent).relatedTarget) recorder.focusDrops++;
    });
  });
  return () => page.evaluate(() => (window as unknown as { focusDrops: number }).focusDrops);
}

describe('moving the focus in a list of 300 chats that has not caught up yet', () => {
  const closers = new Closers();
  const phone = new ScriptedConnector();
  let page: Page;

  before(() =>
    closers.setUp(async () => {
      const log = createLogger(process.env.AGENT_COMPANION_LOG ?? 'warn');
      const core = closers.add(
        assembleCore({ accounts: [{ seed: { id: 'desk', vendor: 'test', label: 'Desk', demo: false, presenceOptions: [] }, connector: phone }], config: parseConfig({}), log }),
        (made) => made.stop(),
      );
      for (let i = 0; i < CHATS; i++) {
        phone.emit({ type: 'chat', chat: { id: `c${i}`, state: 'active', participants: [customer(i)], actions: ['send'] } });
        const at = new Date(FROM - i * 60_000).toISOString();
        phone.emit({ type: 'chat.messages', chatId: `c${i}`, messages: [{ id: 'm1', index: 1, from: customer(i), text: `Hello from ${customer(i).name}`, at, kind: 'text' }] });
      }
      page = await openInWindow(closers, core, log, 900);
    }),
  );
  after(() => closers.closeAll());

  // A fresh page: no row near the end of the list measured yet.
  beforeEach(async () => {
    await page.reload();
    await chatItem(page, customer(0).name).waitFor({ timeout: 60_000 });
  });

  it('moves to the chat before the last when ArrowUp comes before the list has followed the scroll End made', async () => {
    const last = chatItem(page, customer(CHATS - 1).name);
    // ArrowUp at the moment the last chat takes the focus and its list scrolls to it: before the
    // list has taken that scroll (it does at the next frame), so the rows in view are still the first ones.
    await page.getByRole('list', { name: 'Offered and active chats' }).evaluate((list, count) => {
      let pressed = false;
      list.addEventListener('focusin', (event) => {
        const item = event.target as HTMLElement;
        if (pressed || item.closest('[role="listitem"]')?.getAttribute('aria-posinset') !== String(count)) return;
        pressed = true;
        queueMicrotask(() => item.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowUp', bubbles: true, cancelable: true })));
      });
    }, CHATS);
    const drops = await countFocusDrops(page);
    await chatItem(page, customer(0).name).focus();
    await page.keyboard.press('End');
    await eventually(() => hasFocus(chatItem(page, customer(CHATS - 2).name)), 'ArrowUp moves to the chat before the last');
    assert.equal(await drops(), 0, 'the focus never fell to the page');
    await page.keyboard.press('ArrowDown');
    await eventually(() => hasFocus(last), 'ArrowDown moves back to the last chat');
  });

  it('moves to the last chat with End when the list measures its rows late', async () => {
    // A busy window: the list measures a row entering the page ten frames late, not in the next frame.
    await page.evaluate(MEASURE_LATE);
    const drops = await countFocusDrops(page);
    await chatItem(page, customer(0).name).focus();
    await page.keyboard.press('End');
    const last = chatItem(page, customer(CHATS - 1).name);
    await eventually(async () => (await last.count()) === 1 && (await hasFocus(last)), 'End moves to the last chat');
    await page.keyboard.press('ArrowUp');
    await eventually(() => hasFocus(chatItem(page, customer(CHATS - 2).name)), 'ArrowUp moves to the chat before');
    assert.equal(await drops(), 0, 'the focus never fell to the page');
  });
});
