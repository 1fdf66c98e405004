/// <reference lib="dom" />
/**
 * Ringing is impossible to miss (issue 11, point 1), end to end in Chromium through the web host: a
 * UCCX account (OpenMethods simulator: call control), a Genesys account (chat invitations) and a 3C
 * account (no call control), each through its real connector.
 *
 * - the ringing strip stays in sight over the settings screen and over an open chat, and Answer
 *   there reaches the platform;
 * - the Web Notification closes itself when the call is answered elsewhere (on the phone);
 * - the window title flashes while a call rings and comes back after;
 * - the ring sound plays while a call rings (after the click the browser asks for, if it does);
 * - a call the window cannot control says to answer on the phone; a chat invitation gets a calmer row.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { parseConfig } from '../../main/config.js';
import { startGenesysSimulator, type GenesysSimulator } from '../../main/vendors/genesys/simulator/index.js';
import { startOpenMethodsSimulator, type OpenMethodsSimulator } from '../../main/vendors/openmethods/simulator/index.js';
import { startThreecSimulator, type ThreecSimulator } from '../../main/vendors/threec/simulator/index.js';
import { accountFor, COLLEAGUES } from '../fixtures/threec/harness.js';
import { Closers } from '../support/closers.js';
import { eventually } from '../support/eventually.js';
import { notifications } from './browser.js';
import { accountStatus, hasFocus, liveCall, openDesk } from './harness.js';

interface Running {
  uccx: OpenMethodsSimulator;
  genesys: GenesysSimulator;
  threec: ThreecSimulator;
  page: Page;
  context: BrowserContext;
  url: string;
}

/** The ringing strip over the desk. */
const strip = (page: Page) => page.getByRole('region', { name: 'Ringing' });
/** A ringing call in the strip, by its caller. */
const ringingCall = (page: Page, caller: string) => strip(page).getByRole('listitem').filter({ has: page.getByText(caller, { exact: true }) });
/** Its Answer button ("Answer the call from +1… on UCCX test"). */
const answerIn = (row: Locator) => row.getByRole('button', { name: /^Answer the call from / });
/** What the strip's sound does: `playing`, `blocked` (waiting for a click), `off`… (a sound has nothing to look at). */
const sound = (page: Page) => strip(page).getAttribute('data-sound');

/** Whether the element is inside the viewport (not scrolled away, not under anything). */
function inSight(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => {
    const box = element.getBoundingClientRect();
    if (box.bottom <= 0 || box.top >= innerHeight || box.height === 0) return false;
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + Math.min(box.height / 2, 10));
    return hit !== null && element.contains(hit);
  });
}

/** The conversation id of a UCCX interaction's ringing leg (what the phone would answer). */
function conversationOf(uccx: OpenMethodsSimulator, interactionId: string): string {
  const interaction = uccx.center.interactions.get(interactionId);
  assert.ok(interaction, `interaction ${interactionId} is live`);
  return interaction.primary.id;
}

function startDesk(closers: Closers, viewport = { width: 420, height: 800 }): Promise<Running> {
  return closers.setUp(async () => {
    const uccx = closers.add(await startOpenMethodsSimulator(), (s) => s.close().catch(() => undefined));
    const genesys = closers.add(await startGenesysSimulator(), (s) => s.close().catch(() => undefined));
    const threec = closers.add(await startThreecSimulator({ username: 'agent@corp', colleagues: COLLEAGUES }), (s) => s.close().catch(() => undefined));
    const config = parseConfig({
      accounts: [
        { id: 'uccx', vendor: 'openmethods', label: 'UCCX test', serverUrl: uccx.url, agentId: uccx.credentials.agentId, password: uccx.credentials.password },
        { id: 'contact', vendor: 'genesys', label: 'Genesys test', baseUrl: genesys.baseUrl, user: genesys.credentials.user, password: genesys.credentials.password },
        { id: 'tc', vendor: 'threec', label: '3C test', ...accountFor(threec) },
      ],
    });
    // Playwright's clock runs in real time, until a test moves it on to show that nothing more happens.
    const { page, context, host } = await openDesk(closers, { config, viewport, tuning: { openmethods: { requestTimeoutMs: 1_000 } }, clock: true });
    return { uccx, genesys, threec, page, context, url: host.url };
  });
}

describe('ringing in Chromium', () => {
  const closers = new Closers();
  let desk: Running;
  before(async () => {
    desk = await startDesk(closers);
  });
  after(() => closers.closeAll());

  it('plays the ring while a call rings, and stops with the ring', async () => {
    const { page, uccx } = desk;
    const id = uccx.center.ring({ ani: '+14155550101' });
    await ringingCall(page, '+14155550101').waitFor();
    await eventually(async () => (await sound(page)) === 'playing', 'the ring plays');
    assert.equal(await page.getByRole('button', { name: 'Click to enable the ring sound' }).count(), 0);
    // Said to screen readers once, in the strip's live line.
    await page.getByText('Incoming call from +14155550101 on UCCX test').waitFor({ state: 'attached' });
    uccx.center.hangUp(id);
    await strip(page).waitFor({ state: 'detached' });
    uccx.center.setState('READY');
  });

  it('offers the click a browser wants before it plays sound, and rings after it', async () => {
    const { context, url, uccx } = desk;
    // This Chromium plays sound without a gesture; a page here gets the usual autoplay policy: an
    // AudioContext stays suspended, and resume() works only once the page has had a user gesture.
    // A context of its own: in the desk's context the open tab is the one that rings (one tab alerts).
    const own = await context.browser()!.newContext();
    const page = await own.newPage();
    await page.addInitScript({
      content: `(() => {
        let gesture = false;
        for (const type of ['pointerdown', 'keydown']) window.addEventListener(type, () => { gesture = true; }, true);
        const Real = window.AudioContext;
        window.AudioContext = class extends Real {
          get state() { return gesture ? super.state : 'suspended'; }
          resume() { return gesture ? super.resume() : Promise.reject(new DOMException('no gesture yet', 'NotAllowedError')); }
        };
      })();`,
    });
    let id: string | undefined;
    try {
      await page.goto(url);
      await accountStatus(page, 'UCCX test', 'Connected').waitFor();
      id = uccx.center.ring({ ani: '+14155550100' });
      const enable = page.getByRole('button', { name: 'Click to enable the ring sound' });
      await enable.waitFor();
      assert.equal(await sound(page), 'blocked');
      assert.equal(await enable.innerText(), 'Click to enable the ring sound');
      // From the keyboard (a key press is a user gesture too).
      await enable.focus();
      await page.keyboard.press('Enter');
      await eventually(async () => (await sound(page)) === 'playing', 'the ring plays after the key press');
      assert.equal(await enable.count(), 0);
    } finally {
      if (id) uccx.center.hangUp(id);
      await strip(page).waitFor({ state: 'detached' });
      uccx.center.setState('READY');
      await own.close();
    }
  });

  it('keeps the ringing strip over the settings screen, scrolled or not, and answers from it', async () => {
    const { page, uccx } = desk;
    const settingsButton = page.getByRole('button', { name: 'Settings', exact: true });
    await settingsButton.click();
    await page.getByRole('form', { name: 'Settings' }).waitFor();
    const id = uccx.center.ring({ ani: '+14155550102', dnis: '8005550199' });
    const row = ringingCall(page, '+14155550102');
    await row.waitFor();
    assert.equal(await row.getByText('+14155550102', { exact: true }).innerText(), '+14155550102');
    assert.equal(await row.getByText('UCCX test', { exact: true }).innerText(), 'UCCX test');
    assert.match(await row.getByText(/8005550199/).innerText(), /8005550199/);
    await page.mouse.wheel(0, 5_000);
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    assert.ok(await page.evaluate(() => window.scrollY > 0), 'the settings screen scrolled');
    assert.ok(await inSight(answerIn(row)), 'Answer in sight over the settings');
    // What the window scrolls into view (as it does a row the focus moves to) stops below the strip, not under it.
    const field = page.getByRole('form', { name: 'Settings' }).getByRole('textbox').first();
    await field.evaluate((element) => element.scrollIntoView({ block: 'nearest' }));
    const fieldTop = await field.evaluate((element) => element.getBoundingClientRect().top);
    const stripBottom = await strip(page).evaluate((element) => element.getBoundingClientRect().bottom);
    assert.ok(fieldTop >= stripBottom, `the field scrolled to (top ${fieldTop} px) shows below the strip (bottom ${stripBottom} px)`);

    // The strip comes first after the header in the Tab order.
    await settingsButton.focus();
    await page.keyboard.press('Tab');
    assert.equal(await strip(page).evaluate((section) => section.contains(document.activeElement)), true);

    await answerIn(row).click();
    await eventually(() => uccx.requests.find((r) => r.name === 'conversation.answer'), 'the answer reached UCCX');
    await row.waitFor({ state: 'detached' });
    // The call's card is not on screen under the settings: focus goes back to the settings button.
    assert.ok(await hasFocus(settingsButton), 'the settings button has the focus');
    await settingsButton.click();
    await liveCall(page, '+14155550102', { state: 'Connected' }).waitFor();
    uccx.center.hangUp(id);
    await liveCall(page, '+14155550102').waitFor({ state: 'detached' });
    uccx.center.endWork();
    uccx.center.setState('READY');
  });

  it('offers a chat invitation quietly in the strip, then keeps a ringing call over the open chat and focuses it once answered', async () => {
    const { page, uccx, genesys } = desk;
    const chatId = genesys.offerChat({ customer: 'Maija Meikäläinen', text: 'Hello, my parcel is late' });
    const invitation = strip(page).getByRole('listitem').filter({ hasText: 'New chat from Maija Meikäläinen' });
    await invitation.waitFor();
    assert.match(await invitation.innerText(), /New chat from Maija Meikäläinen/);
    await invitation.getByRole('button', { name: 'Accept the chat from Maija Meikäläinen' }).click();
    await eventually(() => genesys.operations.find((op) => op.operationName === 'Accept'), 'Accept reached Genesys');
    await invitation.waitFor({ state: 'detached' });
    const chat = page.getByRole('region', { name: 'Chat with Maija Meikäläinen' });
    await chat.waitFor();
    await eventually(() => hasFocus(chat.getByRole('textbox', { name: 'Reply to Maija Meikäläinen' })), 'focus in the accepted chat’s reply box');

    const id = uccx.center.ring({ ani: '+14155550103' });
    const row = ringingCall(page, '+14155550103');
    await row.waitFor();
    assert.ok(await inSight(answerIn(row)), 'Answer in sight over the chat');
    await answerIn(row).click();
    await row.waitFor({ state: 'detached' });
    await eventually(() => hasFocus(liveCall(page, '+14155550103')), 'focus on the answered call’s card');
    uccx.center.hangUp(id);
    await liveCall(page, '+14155550103').waitFor({ state: 'detached' });
    uccx.center.endWork();
    uccx.center.setState('READY');
    genesys.endChat(chatId);
  });

  it('closes the notification by itself when the call is answered elsewhere', async () => {
    const { page, uccx } = desk;
    const id = uccx.center.ring({ ani: '+14155550104' });
    await ringingCall(page, '+14155550104').waitFor();
    const toast = await eventually(async () => (await notifications(page)).find((n) => n.title.includes('+14155550104')), 'a notification');
    assert.equal(toast.closed, false);
    assert.equal(uccx.center.answer(conversationOf(uccx, id)), undefined, 'answered on the phone');
    await liveCall(page, '+14155550104', { state: 'Connected' }).waitFor();
    await eventually(async () => (await notifications(page)).find((n) => n.tag === toast.tag)?.closed, 'the notification closed');
    assert.equal(await ringingCall(page, '+14155550104').count(), 0, 'the strip let go of it');
    uccx.center.hangUp(id);
    await liveCall(page, '+14155550104').waitFor({ state: 'detached' });
    uccx.center.endWork();
    uccx.center.setState('READY');
  });

  it('shows what follows a ringing call within the same frame at once, not at the next frame', async () => {
    const { page, uccx } = desk;
    // The window's time stands still: no animation frame comes until it moves again.
    await page.clock.pauseAt(await page.evaluate(() => Date.now() + 1_000));
    try {
      const id = uccx.center.ring({ ani: '+14155550106' });
      await ringingCall(page, '+14155550106').waitFor();
      // The ring was shown in this frame; the answer (nothing to answer any more) costs little, so it
      // is in the page before the frame ends, not held for the next.
      uccx.center.answer(conversationOf(uccx, id));
      await liveCall(page, '+14155550106', { state: 'Connected' }).waitFor();
      uccx.center.hangUp(id);
      await liveCall(page, '+14155550106').waitFor({ state: 'detached' });
    } finally {
      await page.clock.resume();
    }
    uccx.center.endWork();
    uccx.center.setState('READY');
  });

  it('moves a ringing call’s row and card once it has rung a moment, and not under reduced motion', async () => {
    const { page, uccx } = desk;
    const id = uccx.center.ring({ ani: '+14155550107' });
    const row = ringingCall(page, '+14155550107');
    const card = liveCall(page, '+14155550107');
    await row.waitFor();
    // Shown at once, still; the icon and the pill move once the call has rung a moment (lib/settle.ts).
    const moves = (where: Locator) => where.evaluate((element) => element.getAnimations({ subtree: true }).length > 0);
    await eventually(() => moves(row), 'the strip row moves');
    await eventually(() => moves(card), 'the card’s pill moves');
    await page.emulateMedia({ reducedMotion: 'reduce' });
    try {
      await eventually(async () => !(await moves(row)) && !(await moves(card)), 'nothing moves under reduced motion');
    } finally {
      await page.emulateMedia({ reducedMotion: 'no-preference' });
    }
    uccx.center.hangUp(id);
    await strip(page).waitFor({ state: 'detached' });
    uccx.center.setState('READY');
  });

  it('flashes the window title while a call rings, and gives it back after', async () => {
    const { page, uccx } = desk;
    // The resting title counts the missed calls earlier tests left unseen: "(2) Agent Companion"
    // (an earlier test's ringing title gives way to it at the flash's next beat, within a second).
    const resting = await eventually(async () => {
      const now = await page.title();
      return /^(\(\d+\) )?Agent Companion$/.test(now) && now;
    }, 'the resting title');
    const id = uccx.center.ring({ ani: '+14155550105' });
    await ringingCall(page, '+14155550105').waitFor();
    await eventually(async () => (await page.title()) === '☎ Incoming call from +14155550105 — Agent Companion', 'the ringing title');
    await eventually(async () => (await page.title()) === resting, 'the resting title in between');
    await eventually(async () => (await page.title()).startsWith('☎'), 'the ringing title again');
    uccx.center.hangUp(id);
    await strip(page).waitFor({ state: 'detached' });
    // The caller gave up: one more missed call on the resting title, and no more flashing.
    const missed = Number(/^\((\d+)\)/.exec(resting)?.[1] ?? 0) + 1;
    const after = `(${missed}) Agent Companion`;
    await eventually(async () => (await page.title()) === after, 'the resting title with the missed call');
    // And it stays: the window's time moved on by more than two flashes (1 s each) changes no title.
    const titles = await page.evaluateHandle(() => {
      const seen: string[] = [];
      new MutationObserver(() => seen.push(document.title)).observe(document.head, { subtree: true, childList: true, characterData: true });
      return seen;
    });
    await page.clock.runFor(2_500);
    assert.deepEqual(await titles.jsonValue(), [], 'no title set after the ring');
    assert.equal(await page.title(), after, 'and it stays');
    uccx.center.setState('READY');
  });

  it('says to answer on the phone where the platform gives the window no call control', async () => {
    const { page, threec } = desk;
    const id = threec.ringCall({ caller: '+358409876500' });
    const row = ringingCall(page, '+358409876500');
    await row.waitFor();
    await row.getByText(/^Answer on your phone/).waitFor();
    assert.equal(await answerIn(row).count(), 0);
    threec.hangupCall(id);
    await row.waitFor({ state: 'detached' });
  });
});
