/**
 * The desk by keyboard (issue 11, point 7): presence changes on Enter only, a ringing chat's Accept is
 * a few keys away, Accept puts the focus in the reply box, Escape closes a chat and gives the focus
 * back to its item, a closed callback can be taken back, and ended chats go to a group of their own
 * that "Clear ended" empties. The focus never falls to the page after an action.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { eventually, startRunningDesk, type RunningDesk } from './harness.js';

/** The focused element's test id and key, or `body` when the focus is nowhere. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const active = document.activeElement;
    if (!active || active === document.body) return 'body';
    const testid = active.getAttribute('data-testid') ?? active.id ?? active.tagName;
    const key = active.getAttribute('data-key');
    return key ? `${testid}:${key}` : testid;
  });
}

describe('the desk by keyboard', () => {
  let desk: RunningDesk;
  before(async () => {
    desk = await startRunningDesk();
  });
  after(() => desk?.stop());

  it('changes presence on Enter only: the arrow keys move through the list and keep the focus', async () => {
    const { page, enreach } = desk;
    const select = page.locator('[data-testid="presence-select"]');
    if ((await select.getAttribute('data-state')) !== 'ready') await select.selectOption('ready');
    await page.locator('[data-testid="presence-select"][data-state="ready"]').waitFor();
    const availability = enreach.availability;
    await select.focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    await page.locator('[data-testid="presence-hint"]', { hasText: /Press Enter to set/ }).waitFor();
    assert.equal(enreach.availability, availability, 'the arrow keys set nothing');
    assert.equal(await focused(page), 'presence-select');
    assert.ok(await select.isEnabled());
    await page.keyboard.press('Escape');
    await page.keyboard.press('ArrowUp'); // back to Ready from wherever Escape left it: nothing to set
    await page.keyboard.press('Escape');
    assert.equal(await focused(page), 'presence-select');
  });

  it('keeps the focus on the call after Answer, and on the desk after Hang up', async () => {
    const { page, genesys } = desk;
    const callId = genesys.ringCall({ ani: '+358401234567' });
    const row = page.locator(`[data-testid="call"][data-key="contact/${callId}"]`);
    await row.locator('[data-testid="call-answer"]').focus();
    await page.keyboard.press('Enter');
    await page.locator(`[data-testid="call"][data-key="contact/${callId}"][data-state="connected"]`).waitFor();
    await eventually(
      () => page.evaluate((key) => document.activeElement?.closest(`[data-testid="call"][data-key="${key}"]`)?.matches('li') && document.activeElement?.tagName === 'BUTTON', `contact/${callId}`),
      'a button of the answered call has the focus',
      3_000,
    ).catch(async (error: Error) => {
      throw new Error(`${error.message} (focus on ${await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 200))})`);
    });
    await row.locator('[data-testid="call-hangup"]').focus();
    await page.keyboard.press('Enter');
    await row.waitFor({ state: 'detached' });
    await eventually(async () => (await focused(page)) !== 'body', 'the focus stays on the desk after Hang up');
  });

  it('reaches a new chat’s Accept in a few Tabs, and Accept puts the focus in the reply box', async () => {
    const { page, genesys } = desk;
    const chatId = genesys.offerChat({ customer: 'Aino Aalto', text: 'Is my order on its way?' });
    const key = `contact/${chatId}`;
    await page.locator(`[data-testid="chat-item"][data-key="${key}"]`).waitFor();
    // From the top of the page, as an agent who just brought the window up: the next Tab goes to the
    // page's first control.
    await page.evaluate(() => {
      document.body.tabIndex = -1;
      document.body.focus();
      document.body.removeAttribute('tabindex');
    });
    let tabs = 0;
    while ((await focused(page)) !== `chat-accept-inline:${key}`) {
      await page.keyboard.press('Tab');
      tabs += 1;
      assert.ok(tabs <= 12, `the chat's Accept is more than 12 Tabs away (focus on ${await focused(page)})`);
    }
    process.stdout.write(`# Tabs from the top of the page to a new chat's Accept: ${tabs}\n`);
    await page.keyboard.press('Enter');
    await eventually(() => genesys.operations.find((op) => op.operationName === 'Accept'), 'Accept reached Genesys');
    await eventually(async () => (await focused(page)) === 'reply-input', 'the reply box has the focus');
    await page.keyboard.type('On its way, arriving tomorrow.');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="transcript"] [data-testid="message"]', { hasText: 'arriving tomorrow' }).waitFor();
  });

  it('closes the open chat on Escape and gives the focus back to its item', async () => {
    const { page } = desk;
    const view = page.locator('[data-testid="chat-view"]');
    const key = await view.getAttribute('data-key');
    assert.ok(key);
    await page.locator('[data-testid="reply-input"]').focus();
    await page.keyboard.press('Escape');
    await view.waitFor({ state: 'detached' });
    assert.equal(await focused(page), `chat-item:${key}`);
    // And opens again from there.
    await page.keyboard.press('Enter');
    await view.waitFor();
  });

  it('moves the focus to what is left after Complete, and after Dismiss to the next chat', async () => {
    const { page, genesys } = desk;
    const key = await page.locator('[data-testid="chat-view"]').getAttribute('data-key');
    assert.ok(key);
    await page.locator('[data-testid="chat-complete"]').focus();
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="chat-view"][data-state="ended"]').waitFor();
    await eventually(async () => (await focused(page)) === 'chat-dismiss', 'Dismiss has the focus once the chat ended');
    assert.ok(genesys.operations.some((op) => op.operationName === 'Complete' || op.operationName === 'Release'), 'the platform got the command');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="chat-view"]').waitFor({ state: 'detached' });
    await eventually(async () => (await focused(page)) !== 'body', 'the focus stays on the desk');
  });

  it('files ended chats in a collapsed Ended group with its count, and Clear ended empties it', async () => {
    const { page, genesys } = desk;
    const live = genesys.offerChat({ customer: 'Live Customer', text: 'Still here' });
    const ended = [genesys.offerChat({ customer: 'Ended One', text: 'Bye' }), genesys.offerChat({ customer: 'Ended Two', text: 'Thanks' })];
    for (const id of [live, ...ended]) await page.locator(`[data-testid="chat-item"][data-key="contact/${id}"]`).waitFor();
    const endedBefore = Object.values(desk.core.desk.state.chats).filter((c) => c.state === 'ended').length;
    for (const id of ended) genesys.endChat(id);
    const endedNow = endedBefore + ended.length;
    await page.locator('[data-testid="chats-ended-count"]', { hasText: new RegExp(`^${endedNow}$`) }).waitFor();
    const toggle = page.locator('[data-testid="chats-ended-toggle"]');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false', 'collapsed by default');
    for (const id of ended) assert.equal(await page.locator(`[data-testid="chat-item"][data-key="contact/${id}"]`).count(), 0);
    const count = await page.locator('[data-testid="section-chats-count"]').innerText();
    const liveCount = await page.locator('[data-testid="chats"] [data-testid="chat-item"]').count();
    assert.match(count.replace(/\s+/g, ' '), new RegExp(`^${liveCount} · ${endedNow} ended$`), 'the count says the live chats and the ended beside');

    await toggle.focus();
    await page.keyboard.press('Enter');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    for (const id of ended) await page.locator(`[data-testid="chats-ended-list"] [data-testid="chat-item"][data-key="contact/${id}"]`).waitFor();

    await page.locator('[data-testid="chats-clear-ended"]').focus();
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="chats-ended"]').waitFor({ state: 'detached' });
    assert.equal(await page.locator(`[data-testid="chat-item"][data-key="contact/${live}"]`).count(), 1, 'the live chat stays');
    assert.notEqual(await focused(page), 'body');
    assert.equal(Object.values(desk.core.desk.state.chats).filter((c) => c.state === 'ended').length, 0, 'the core cleared them');
  });

  it('takes a closed callback back with Undo, in place and focused, and closes it on the platform once the time is up', async () => {
    const { page, enreach } = desk;
    const first = enreach.createCallback({ contactNumber: '+358401112233', contactName: 'Kalle Keto' });
    const second = enreach.createCallback({ contactNumber: '+358404445566', contactName: 'Liisa Lahti' });
    const row = (id: string) => page.locator(`[data-testid="callback"][data-key="voice/${id}"]`);
    await row(first).waitFor();
    await row(second).waitFor();
    const order = async () => page.locator('[data-testid="callbacks"] > li').evaluateAll((items) => items.map((li) => li.getAttribute('data-key')));
    const before = await order();

    await row(first).locator('[data-testid="callback-close"]').focus();
    await page.keyboard.press('Enter');
    const undoRow = page.locator(`[data-testid="callback-undo-row"][data-key="voice/${first}"]`);
    await undoRow.waitFor();
    assert.match(await undoRow.innerText(), /Callback for Kalle Keto closed/);
    assert.equal(await focused(page), 'callback-undo', 'Undo has the focus');
    assert.match(await page.locator('[data-testid="callbacks-announce"]').innerText(), /closed\. Undo within 6 seconds/);
    await page.keyboard.press('Enter');
    await row(first).waitFor();
    assert.deepEqual(await order(), before, 'back in its place');
    assert.equal(await focused(page), 'callback-close', 'the focus is back on it');
    assert.ok(enreach.openCallbacks().includes(first), 'the platform never heard of the close');

    await page.keyboard.press('Enter');
    await undoRow.waitFor();
    await eventually(() => !enreach.openCallbacks().includes(first), 'the close reached Enreach after the undo time', 15_000);
    await row(first).waitFor({ state: 'detached' });
    await undoRow.waitFor({ state: 'detached' });
    assert.equal(await focused(page), `callback:voice/${second}`, 'the focus moved to the next callback');
  });
});
