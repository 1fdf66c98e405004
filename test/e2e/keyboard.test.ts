/**
 * The desk by keyboard (issue 11, point 7): presence changes on Enter only, a ringing chat's Accept is
 * a few keys away, Accept puts the focus in the reply box, Escape closes a chat and gives the focus
 * back to its item, a closed callback can be taken back, and ended chats go to a group of their own
 * that "Clear ended" empties. The focus never falls to the page after an action.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { Locator } from 'playwright-core';
import { accountStatus, chatItem, eventually, focusedElement, hasFocus, liveCall, startRunningDesk, type RunningDesk } from './harness.js';

/** Whether the focus is still on the desk (not fallen to the page). */
async function focusOnDesk(page: Page): Promise<boolean> {
  return (await focusedElement(page)) !== 'body';
}

describe('the desk by keyboard', () => {
  let desk: RunningDesk;
  before(async () => {
    desk = await startRunningDesk();
  });
  after(() => desk?.stop());

  it('changes presence on Enter only: the arrow keys move through the list and keep the focus', async () => {
    const { page, enreach } = desk;
    const select = page.getByRole('combobox', { name: /presence on all accounts$/ });
    if ((await select.inputValue()) !== 'ready') await select.selectOption('ready');
    // Ready as the accounts report it, not only as the select shows it.
    for (const label of ['Enreach test', 'Genesys test']) await accountStatus(page, label, 'Connected, Ready').waitFor();
    const availability = enreach.availability;
    await select.focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    await page.getByText(/Press Enter to set/).waitFor();
    assert.equal(enreach.availability, availability, 'the arrow keys set nothing');
    assert.ok(await hasFocus(select), 'the select keeps the focus');
    assert.ok(await select.isEnabled());
    await page.keyboard.press('Escape');
    await page.keyboard.press('ArrowUp'); // back to Ready from wherever Escape left it: nothing to set
    await page.keyboard.press('Escape');
    assert.ok(await hasFocus(select), 'the select keeps the focus');
  });

  it('keeps the focus on the call after Answer, and on the desk after Hang up', async () => {
    const { page, genesys } = desk;
    genesys.ringCall({ ani: '+358401234567' });
    const row = liveCall(page, '+358401234567', { account: 'Genesys test' });
    await row.getByRole('button', { name: 'Answer: +358401234567' }).focus();
    await page.keyboard.press('Enter');
    await liveCall(page, '+358401234567', { state: 'Connected', account: 'Genesys test' }).waitFor();
    await eventually(
      () => row.evaluate((call) => call.contains(document.activeElement) && document.activeElement?.tagName === 'BUTTON'),
      'a button of the answered call has the focus',
      3_000,
    ).catch(async (error: Error) => {
      throw new Error(`${error.message} (focus on ${await focusedElement(page)})`);
    });
    await row.getByRole('button', { name: 'Hang up: +358401234567' }).focus();
    await page.keyboard.press('Enter');
    await row.waitFor({ state: 'detached' });
    await eventually(() => focusOnDesk(page), 'the focus stays on the desk after Hang up');
  });

  it('reaches a new chat’s Accept in a few Tabs, and Accept puts the focus in the reply box', async () => {
    const { page, genesys } = desk;
    genesys.offerChat({ customer: 'Aino Aalto', text: 'Is my order on its way?' });
    await chatItem(page, 'Aino Aalto').waitFor();
    const accept = page.getByRole('button', { name: 'Accept chat with Aino Aalto' });
    // From the top of the page, as an agent who just brought the window up: the next Tab goes to the
    // page's first control.
    await page.evaluate(() => {
      document.body.tabIndex = -1;
      document.body.focus();
      document.body.removeAttribute('tabindex');
    });
    let tabs = 0;
    while (!(await hasFocus(accept))) {
      await page.keyboard.press('Tab');
      tabs += 1;
      assert.ok(tabs <= 12, `the chat's Accept is more than 12 Tabs away (focus on ${await focusedElement(page)})`);
    }
    process.stdout.write(`# Tabs from the top of the page to a new chat's Accept: ${tabs}\n`);
    await page.keyboard.press('Enter');
    await eventually(() => genesys.operations.find((op) => op.operationName === 'Accept'), 'Accept reached Genesys');
    await eventually(() => hasFocus(page.getByRole('textbox', { name: 'Reply to Aino Aalto' })), 'the reply box has the focus');
    await page.keyboard.type('On its way, arriving tomorrow.');
    await page.keyboard.press('Enter');
    await page.getByRole('list', { name: 'Transcript' }).getByRole('listitem').filter({ hasText: 'arriving tomorrow' }).waitFor();
  });

  it('closes the open chat on Escape and gives the focus back to its item', async () => {
    const { page } = desk;
    const view = page.getByRole('region', { name: /^Chat with / });
    const name = (await view.getAttribute('aria-label'))!.replace(/^Chat with /, '');
    await view.getByRole('textbox', { name: `Reply to ${name}` }).focus();
    await page.keyboard.press('Escape');
    await view.waitFor({ state: 'detached' });
    assert.ok(await hasFocus(chatItem(page, name)), `the focus is back on the chat with ${name} (focus on ${await focusedElement(page)})`);
    // And opens again from there.
    await page.keyboard.press('Enter');
    await view.waitFor();
  });

  it('moves the focus to what is left after Complete, and after Dismiss to the next chat', async () => {
    const { page, genesys } = desk;
    const view = page.getByRole('region', { name: /^Chat with / });
    const name = (await view.getAttribute('aria-label'))!.replace(/^Chat with /, '');
    await view.getByRole('button', { name: `Complete chat with ${name}` }).focus();
    await page.keyboard.press('Enter');
    await view.getByText('This chat has ended.').waitFor();
    await eventually(() => hasFocus(view.getByRole('button', { name: `Dismiss chat with ${name}` })), 'Dismiss has the focus once the chat ended');
    assert.ok(genesys.operations.some((op) => op.operationName === 'Complete' || op.operationName === 'Release'), 'the platform got the command');
    await page.keyboard.press('Enter');
    await view.waitFor({ state: 'detached' });
    await eventually(() => focusOnDesk(page), 'the focus stays on the desk');
  });

  it('files ended chats in a collapsed Ended group with its count, and Clear ended empties it', async () => {
    const { page, genesys } = desk;
    genesys.offerChat({ customer: 'Live Customer', text: 'Still here' });
    const endedNames = ['Ended One', 'Ended Two'];
    const ended = [genesys.offerChat({ customer: 'Ended One', text: 'Bye' }), genesys.offerChat({ customer: 'Ended Two', text: 'Thanks' })];
    for (const name of ['Live Customer', ...endedNames]) await chatItem(page, name).waitFor();
    const endedBefore = Object.keys(desk.core.desk.state.endedChats).length;
    for (const id of ended) genesys.endChat(id);
    const endedNow = endedBefore + ended.length;
    const toggle = page.getByRole('button', { name: new RegExp(`^Ended ${endedNow}$`) });
    await toggle.waitFor();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false', 'collapsed by default');
    for (const name of endedNames) assert.equal(await chatItem(page, name).count(), 0);
    const count = await page.getByRole('heading', { name: /^Chats\b/ }).innerText();
    const liveCount = await page.getByRole('list', { name: 'Offered and active chats' }).getByRole('button', { name: /^Chat with / }).count();
    assert.match(count.replace(/\s+/g, ' '), new RegExp(`^Chats ${liveCount} · ${endedNow} ended$`, 'i'), `the count says the live chats and the ended beside: ${JSON.stringify(count)}`);

    await toggle.focus();
    await page.keyboard.press('Enter');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    const endedList = page.getByRole('list', { name: 'Ended chats' });
    for (const name of endedNames) await endedList.getByRole('button', { name: new RegExp(`^Chat with ${name}\\b`) }).waitFor();

    await page.getByRole('button', { name: 'Clear ended' }).focus();
    await page.keyboard.press('Enter');
    await toggle.waitFor({ state: 'detached' });
    assert.equal(await chatItem(page, 'Live Customer').count(), 1, 'the live chat stays');
    assert.ok(await focusOnDesk(page), 'the focus stays on the desk');
    assert.equal(Object.keys(desk.core.desk.state.endedChats).length, 0, 'the core cleared them');
  });

  it('takes a closed callback back with Undo, in place and focused, and closes it on the platform once the time is up', async () => {
    const { page, enreach } = desk;
    const first = enreach.createCallback({ contactNumber: '+358401112233', contactName: 'Kalle Keto' });
    enreach.createCallback({ contactNumber: '+358404445566', contactName: 'Liisa Lahti' });
    const callbacks = page.getByRole('list', { name: 'Callback requests' });
    const close = (name: string) => callbacks.getByRole('button', { name: `Close callback for ${name}` });
    const row = (name: string): Locator => callbacks.getByRole('listitem').filter({ has: page.getByRole('button', { name: `Close callback for ${name}` }) });
    await row('Kalle Keto').waitFor();
    await row('Liisa Lahti').waitFor();
    // The rows in order, by the number each shows (an Undo row shows none).
    const order = async () => (await callbacks.getByRole('listitem').allInnerTexts()).map((text) => /\+\d+/.exec(text)?.[0]);
    const before = await order();

    await close('Kalle Keto').focus();
    await page.keyboard.press('Enter');
    const undo = callbacks.getByRole('button', { name: 'Undo closing the callback for Kalle Keto' });
    const undoRow = callbacks.getByRole('listitem').filter({ has: page.getByRole('button', { name: 'Undo closing the callback for Kalle Keto' }) });
    await undoRow.waitFor();
    assert.match(await undoRow.innerText(), /Callback for Kalle Keto closed/);
    assert.ok(await hasFocus(undo), 'Undo has the focus');
    assert.match(await page.getByRole('region', { name: /^Callbacks\b/ }).getByRole('status').innerText(), /closed\. Undo within 6 seconds/);
    await page.keyboard.press('Enter');
    await row('Kalle Keto').waitFor();
    assert.deepEqual(await order(), before, 'back in its place');
    assert.ok(await hasFocus(close('Kalle Keto')), 'the focus is back on it');
    assert.ok(enreach.openCallbacks().includes(first), 'the platform never heard of the close');

    await page.keyboard.press('Enter');
    await undoRow.waitFor();
    await eventually(() => !enreach.openCallbacks().includes(first), 'the close reached Enreach after the undo time', 15_000);
    await row('Kalle Keto').waitFor({ state: 'detached' });
    await undoRow.waitFor({ state: 'detached' });
    assert.ok(await hasFocus(row('Liisa Lahti')), `the focus moved to the next callback (focus on ${await focusedElement(page)})`);
  });
});
