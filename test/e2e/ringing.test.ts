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
import type { BrowserContext, Page } from 'playwright-core';
import { parseConfig } from '../../main/config.js';
import { startGenesysSimulator, type GenesysSimulator } from '../../main/vendors/genesys/simulator/index.js';
import { startOpenMethodsSimulator, type OpenMethodsSimulator } from '../../main/vendors/openmethods/simulator/index.js';
import { startThreecSimulator, type ThreecSimulator } from '../../main/vendors/threec/simulator/index.js';
import { accountFor, COLLEAGUES } from '../fixtures/threec/harness.js';
import { Closers } from '../support/closers.js';
import { eventually } from '../support/eventually.js';
import { notifications } from './browser.js';
import { openDesk } from './harness.js';

interface Running {
  uccx: OpenMethodsSimulator;
  genesys: GenesysSimulator;
  threec: ThreecSimulator;
  page: Page;
  context: BrowserContext;
  url: string;
}

const strip = (page: Page) => page.locator('[data-testid="ringing-strip"]');
const ringingCall = (page: Page, key: string) => page.locator(`[data-testid="ringing-call"][data-key="${key}"]`);

/** Whether `selector`'s element is inside the viewport (not scrolled away, not under anything). */
function inSight(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((sel) => {
    const element = document.querySelector(sel);
    if (!element) return false;
    const box = element.getBoundingClientRect();
    if (box.bottom <= 0 || box.top >= innerHeight || box.height === 0) return false;
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + Math.min(box.height / 2, 10));
    return hit !== null && element.contains(hit);
  }, selector);
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
    const { page, context, host } = await openDesk(closers, { config, viewport, tuning: { openmethods: { requestTimeoutMs: 1_000 } } });
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
    await ringingCall(page, `uccx/${id}`).waitFor();
    await page.locator('[data-testid="ringing-strip"][data-sound="playing"]').waitFor();
    assert.equal(await page.locator('[data-testid="ring-enable"]').count(), 0);
    assert.match(await page.locator('[data-testid="ringing-announcement"]').innerText(), /Incoming call from \+14155550101 on UCCX test/);
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
      await page.locator('[data-testid="account-status"][data-account="uccx"][data-state="connected"]').waitFor();
      id = uccx.center.ring({ ani: '+14155550100' });
      await page.locator('[data-testid="ringing-strip"][data-sound="blocked"]').waitFor();
      const enable = page.locator('[data-testid="ring-enable"]');
      assert.equal(await enable.innerText(), 'Click to enable the ring sound');
      // From the keyboard (a key press is a user gesture too).
      await enable.focus();
      await page.keyboard.press('Enter');
      await page.locator('[data-testid="ringing-strip"][data-sound="playing"]').waitFor();
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
    await page.locator('[data-testid="settings-open"]').click();
    await page.locator('[data-testid="settings-readonly"]').waitFor();
    const id = uccx.center.ring({ ani: '+14155550102', dnis: '8005550199' });
    const row = ringingCall(page, `uccx/${id}`);
    await row.waitFor();
    assert.equal(await row.locator('[data-testid="ringing-caller"]').innerText(), '+14155550102');
    assert.equal(await row.locator('[data-testid="ringing-account"]').innerText(), 'UCCX test');
    assert.match(await row.locator('[data-testid="ringing-via"]').innerText(), /8005550199/);
    await page.mouse.wheel(0, 5_000);
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    assert.ok(await page.evaluate(() => window.scrollY > 0), 'the settings screen scrolled');
    assert.ok(await inSight(page, `[data-testid="ringing-call"][data-key="uccx/${id}"] [data-testid="ringing-answer"]`), 'Answer in sight over the settings');

    // The strip comes first after the header in the Tab order.
    await page.locator('[data-testid="settings-open"]').focus();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.closest('[data-testid="ringing-strip"]') !== null), true);

    await row.locator('[data-testid="ringing-answer"]').click();
    await eventually(() => uccx.requests.find((r) => r.name === 'conversation.answer'), 'the answer reached UCCX');
    await row.waitFor({ state: 'detached' });
    // The call's card is not on screen under the settings: focus goes back to the settings button.
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'settings-open');
    await page.locator('[data-testid="settings-open"]').click();
    await page.locator(`[data-testid="call"][data-key="uccx/${id}"][data-state="connected"]`).waitFor();
    uccx.center.hangUp(id);
    await page.locator(`[data-testid="call"][data-key="uccx/${id}"]`).waitFor({ state: 'detached' });
    uccx.center.endWork();
    uccx.center.setState('READY');
  });

  it('offers a chat invitation quietly in the strip, then keeps a ringing call over the open chat and focuses it once answered', async () => {
    const { page, uccx, genesys } = desk;
    const chatId = genesys.offerChat({ customer: 'Maija Meikäläinen', text: 'Hello, my parcel is late' });
    const invitation = page.locator(`[data-testid="ringing-chat"][data-key="contact/${chatId}"]`);
    await invitation.waitFor();
    assert.match(await invitation.innerText(), /New chat from Maija Meikäläinen/);
    await invitation.locator('[data-testid="ringing-chat-accept"]').click();
    await eventually(() => genesys.operations.find((op) => op.operationName === 'Accept'), 'Accept reached Genesys');
    await invitation.waitFor({ state: 'detached' });
    await page.locator(`[data-testid="chat-view"][data-key="contact/${chatId}"]`).waitFor();
    await eventually(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'reply-input'), 'focus in the accepted chat’s reply box');

    const id = uccx.center.ring({ ani: '+14155550103' });
    const row = ringingCall(page, `uccx/${id}`);
    await row.waitFor();
    assert.ok(await inSight(page, `[data-testid="ringing-call"][data-key="uccx/${id}"] [data-testid="ringing-answer"]`), 'Answer in sight over the chat');
    await row.locator('[data-testid="ringing-answer"]').click();
    await row.waitFor({ state: 'detached' });
    await eventually(
      () => page.evaluate((key) => document.activeElement?.getAttribute('data-key') === key && document.activeElement.getAttribute('data-testid') === 'call', `uccx/${id}`),
      'focus on the answered call’s card',
    );
    uccx.center.hangUp(id);
    await page.locator(`[data-testid="call"][data-key="uccx/${id}"]`).waitFor({ state: 'detached' });
    uccx.center.endWork();
    uccx.center.setState('READY');
    genesys.endChat(chatId);
  });

  it('closes the notification by itself when the call is answered elsewhere', async () => {
    const { page, uccx } = desk;
    const id = uccx.center.ring({ ani: '+14155550104' });
    await ringingCall(page, `uccx/${id}`).waitFor();
    const toast = await eventually(async () => (await notifications(page)).find((n) => n.title.includes('+14155550104')), 'a notification');
    assert.equal(toast.closed, false);
    assert.equal(uccx.center.answer(conversationOf(uccx, id)), undefined, 'answered on the phone');
    await page.locator(`[data-testid="call"][data-key="uccx/${id}"][data-state="connected"]`).waitFor();
    await eventually(async () => (await notifications(page)).find((n) => n.tag === toast.tag)?.closed, 'the notification closed');
    assert.equal(await ringingCall(page, `uccx/${id}`).count(), 0, 'the strip let go of it');
    uccx.center.hangUp(id);
    await page.locator(`[data-testid="call"][data-key="uccx/${id}"]`).waitFor({ state: 'detached' });
    uccx.center.endWork();
    uccx.center.setState('READY');
  });

  it('flashes the window title while a call rings, and gives it back after', async () => {
    const { page, uccx } = desk;
    // The resting title counts the missed calls earlier tests left unseen: "(2) Agent Companion".
    const resting = await page.title();
    assert.match(resting, /^(\(\d+\) )?Agent Companion$/);
    const id = uccx.center.ring({ ani: '+14155550105' });
    await ringingCall(page, `uccx/${id}`).waitFor();
    await eventually(async () => (await page.title()) === '☎ Incoming call from +14155550105 — Agent Companion', 'the ringing title');
    await eventually(async () => (await page.title()) === resting, 'the resting title in between');
    await eventually(async () => (await page.title()).startsWith('☎'), 'the ringing title again');
    uccx.center.hangUp(id);
    await strip(page).waitFor({ state: 'detached' });
    // The caller gave up: one more missed call on the resting title, and no more flashing.
    const missed = Number(/^\((\d+)\)/.exec(resting)?.[1] ?? 0) + 1;
    const after = `(${missed}) Agent Companion`;
    await eventually(async () => (await page.title()) === after, 'the resting title with the missed call');
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    assert.equal(await page.title(), after, 'and it stays');
    uccx.center.setState('READY');
  });

  it('says to answer on the phone where the platform gives the window no call control', async () => {
    const { page, threec } = desk;
    const id = threec.ringCall({ caller: '+358409876500' });
    const row = ringingCall(page, `tc/${id}`);
    await row.waitFor();
    assert.match(await row.locator('[data-testid="ringing-elsewhere"]').innerText(), /^Answer on your phone/);
    assert.equal(await row.locator('[data-testid="ringing-answer"]').count(), 0);
    threec.hangupCall(id);
    await row.waitFor({ state: 'detached' });
  });
});
