/// <reference lib="dom" />
/**
 * Presence as the agent sets it in the window, end to end: the web host in Chromium, connected
 * through the real connectors to the OpenMethods UCCX simulator (reason codes, the take-over
 * question) and the Enreach simulator (no reasons), at the tray's size.
 *
 * - The arrow keys on the presence list only move it: nothing is set, nothing is disabled, the focus
 *   stays (the tracker saw three ArrowDowns leave the agent "Not ready" with nothing focused).
 * - Not ready asks for a reason where an account offers them; the reason reaches UCCX.
 * - Each account has its own control in the per-account list.
 * - A platform's question is a modal dialog with the answer that changes nothing focused.
 * - Beside the presence, what the agent is doing: Ringing, On a call (with its time), Wrap-up with
 *   the time left; when the accounts differ, each account's presence instead of "Mixed".
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { startCore } from '../../main/app.js';
import { parseConfig } from '../../main/config.js';
import { createLogger } from '../../main/log.js';
import { startEnreachSimulator, type EnreachSimulator } from '../../main/vendors/enreach/simulator/index.js';
import { english } from '../../main/i18n.js';
import { HUAWEI_NOTICE as NOTICE_CODE } from '../../main/vendors/huawei/capabilities.js';

/** What the window says CEC leaves to another tool, in English (the page's language here). */
const HUAWEI_NOTICE = english.t(NOTICE_CODE.key, NOTICE_CODE.values);
import { startHuaweiSimulator } from '../../main/vendors/huawei/simulator/index.js';
import { startOpenMethodsSimulator, type OpenMethodsSimulator } from '../../main/vendors/openmethods/simulator/index.js';
import { startWebHost } from '../../main/web.js';
import { launchChromium } from './browser.js';
import { accountStatus, Closers, eventually, focusedElement, hasFocus, openDesk, recordCommands } from './harness.js';

const TRAY = { width: 420, height: 800 };

/** The UCCX account's config for `sim`. */
function uccxAccount(sim: OpenMethodsSimulator): Record<string, unknown> {
  return { id: 'uccx', vendor: 'openmethods', label: 'UCCX', serverUrl: sim.url, agentId: sim.credentials.agentId, password: sim.credentials.password };
}

/** The presence select for all accounts ("Set your presence on all accounts" while they differ). */
const presenceSelect = (page: Page) => page.getByRole('combobox', { name: /presence on all accounts$/ });
/** The reason select beside it, "Reason" ("Reason for Not ready" while a state waits for its reason; not an account's own, "… on UCCX"). */
const reasonSelect = (page: Page) => page.getByRole('region', { name: 'Presence' }).getByRole('combobox', { name: /^Reason(?!.* on )/ });
/** What asks for the reason of a state chosen for all accounts ("Set Not ready": Choose a reason, or none). */
const pendingGroup = (page: Page) => page.getByRole('group', { name: /^Set (?!.* on )/ });
/** The line that says what Enter would set. */
const enterHint = (page: Page) => page.getByText(/^Press Enter to set/);
/** What the agent is doing, beside the presence (Ringing, On a call 00:12, Wrap-up 00:40 left). */
const activityPill = (page: Page) => page.getByRole('region', { name: 'Presence' }).getByRole('status');
/** Whether the window sent a presence command. */
const presenceCommands = (names: string[]) => names.filter((name) => /presence/i.test(name));

describe('presence in the window', () => {
  const closers = new Closers();
  let sim: OpenMethodsSimulator;
  let enreach: EnreachSimulator;
  let page: Page;
  const stateChanges = (): Array<Record<string, unknown>> => sim.requests.filter((r) => r.name === 'session.changeState').map((r) => r.data);

  before(() =>
    closers.setUp(async () => {
      sim = closers.add(await startOpenMethodsSimulator(), (s) => s.close().catch(() => undefined));
      enreach = closers.add(await startEnreachSimulator(), (s) => s.close().catch(() => undefined));
      const cec = closers.add(await startHuaweiSimulator(), (s) => s.close().catch(() => undefined));
      const config = parseConfig({
        accounts: [
          uccxAccount(sim),
          { id: 'voice', vendor: 'enreach', label: 'Enreach', apiUrl: enreach.apiUrl, user: enreach.credentials.user, secretKey: enreach.credentials.secretKey },
          // Presence is not set through CEC, and it has a notice.
          { id: 'cec', vendor: 'huawei', label: 'CEC', clickToDialUrl: cec.facadeUrl, appKey: cec.credentials.appKey, appSecret: cec.credentials.appSecret, userId: 'agent-7', channelId: 'web-channel-1' },
        ],
      });
      ({ page } = await openDesk(closers, { config, viewport: TRAY }));
    }),
  );
  after(() => closers.closeAll());

  /** Both accounts Ready, as the window shows it (each test ends once the window shows what it did). */
  async function allReady(): Promise<void> {
    const select = presenceSelect(page);
    if ((await select.inputValue()) !== 'ready') await select.selectOption('ready');
    for (const label of ['UCCX', 'Enreach']) await accountStatus(page, label, 'Connected, Ready').waitFor();
    await presenceSelect(page).and(page.getByRole('combobox', { name: 'Your presence on all accounts', exact: true })).waitFor();
  }

  it('moves through the list with the arrow keys without setting anything, and keeps the focus there', async () => {
    await allReady();
    const select = presenceSelect(page);
    const commands = await recordCommands(page);
    const sent = stateChanges().length;
    const availability = enreach.availability;
    await select.focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    await enterHint(page).waitFor();
    assert.deepEqual(presenceCommands(await commands()), [], 'the window asked for no presence change');
    assert.equal(stateChanges().length, sent, 'no state change reached UCCX');
    assert.equal(enreach.availability, availability, 'no availability change reached Enreach');
    assert.ok(await hasFocus(select), `the select keeps the focus (focus on ${await focusedElement(page)})`);
    assert.ok(await select.isEnabled());
    await page.keyboard.press('Escape');
    assert.equal(await select.inputValue(), 'ready', 'Escape puts the list back');
    await enterHint(page).waitFor({ state: 'detached' });
    assert.ok(await hasFocus(select), 'the select keeps the focus');
  });

  it('sets what Enter chooses: Not ready asks for a reason first, which the arrow keys pick and Enter applies', async () => {
    await allReady();
    await presenceSelect(page).focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await pendingGroup(page).waitFor();
    assert.ok(await hasFocus(reasonSelect(page)), `the reason list has the focus (focus on ${await focusedElement(page)})`);
    const commands = await recordCommands(page);
    const asked = presenceCommands(await commands()).length;
    const sent = stateChanges().length;
    await page.keyboard.press('ArrowDown');
    assert.equal(presenceCommands(await commands()).length, asked, 'the window asked for nothing on an arrow key');
    assert.equal(stateChanges().length, sent, 'an arrow key on the reasons sets nothing either');
    assert.equal(await reasonSelect(page).inputValue(), '1');
    await page.keyboard.press('Enter');
    // Enter does ask (the recorder sees what the window sends).
    assert.deepEqual(presenceCommands(await commands()).slice(asked), ['setPresence']);
    await eventually(() => sim.center.agentState.state === 'NOT_READY' && sim.center.agentState.reasonCode === 1, 'UCCX is NOT_READY with reason 1');
    await eventually(() => enreach.availability !== 'Available', 'Enreach is not ready too');
    await accountStatus(page, 'UCCX', /Connected, Not ready/).waitFor();
    await pendingGroup(page).waitFor({ state: 'detached' });
    assert.ok(await hasFocus(reasonSelect(page)), 'the focus stays on the control');
    assert.equal(await reasonSelect(page).inputValue(), '1', 'the reason shown is the one UCCX reports');
  });

  it('chooses Not ready, then a reason, with the pointer, and UCCX gets that reason', async () => {
    await allReady();
    const sent = stateChanges().length;
    await presenceSelect(page).selectOption('not-ready');
    await pendingGroup(page).waitFor();
    const offered = await reasonSelect(page).getByRole('option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    assert.deepEqual(offered, ['', '1', '2', '3', '4', '5'], 'no reason, then the not-ready reasons only');
    assert.equal(stateChanges().length, sent, 'nothing is set before the reason');
    await reasonSelect(page).selectOption({ label: 'Lunch' });
    await eventually(() => stateChanges().some((d) => d['state'] === 'NOT_READY' && d['reasonCode'] === 2), 'NOT_READY with reason 2 reached UCCX');
    await accountStatus(page, 'UCCX', /Connected, .*Lunch/).waitFor();
  });

  it('sets Not ready without a reason from the Set button', async () => {
    await allReady();
    await presenceSelect(page).selectOption('not-ready');
    await pendingGroup(page).getByRole('button', { name: 'Set Not ready' }).click();
    await eventually(() => sim.center.agentState.state === 'NOT_READY' && sim.center.agentState.reasonCode === null, 'UCCX is NOT_READY with no reason');
    await accountStatus(page, 'UCCX', 'Connected, Not ready').waitFor();
  });

  it('sets one account’s presence from the per-account list', async () => {
    await allReady();
    const toggle = page.getByRole('button', { name: 'Presence on each account' });
    await toggle.click();
    const list = page.getByRole('list', { name: 'Presence on each account' });
    await list.waitFor();
    assert.equal(await list.getByRole('listitem').count(), 3);
    await page.getByRole('combobox', { name: 'Your presence on Enreach' }).selectOption('do-not-disturb');
    await eventually(() => enreach.availability !== 'Available' && enreach.availability, 'Enreach availability set');
    // The accounts differ: the select for all says so ("Set all…").
    await page.getByRole('combobox', { name: 'Set your presence on all accounts' }).waitFor();
    assert.equal(await presenceSelect(page).inputValue(), '', 'no one state for all');
    assert.equal(sim.center.agentState.state, 'READY', 'UCCX was left as it was');
    // The per-account reasons are that account's own.
    await page.getByRole('combobox', { name: 'Reason on UCCX' }).selectOption({ label: 'Meeting' });
    await eventually(() => sim.center.agentState.state === 'NOT_READY' && sim.center.agentState.reasonCode === 3, 'UCCX is NOT_READY with reason 3');
    assert.equal(await page.getByRole('combobox', { name: /^Reason( for [^,]+)? on Enreach$/ }).count(), 0, 'Enreach offers no reasons');
    await toggle.click();
    await list.waitFor({ state: 'detached' });
  });

  it('says beside the presence what the agent is doing: Ringing, On a call while connected, nothing after, and wrap-up counting down', async () => {
    await allReady();
    const activity = activityPill(page);
    assert.equal(await activity.count(), 0, 'an idle desk says nothing more');
    const callId = enreach.ringCall({ caller: '+358401234000' });
    await activity.filter({ hasText: /^\s*Ringing\s*$/ }).waitFor();
    enreach.answerCall(callId);
    const onCall = activity.filter({ hasText: /^\s*On a call \d\d:\d\d\s*$/ });
    await onCall.waitFor();
    assert.equal(await presenceSelect(page).inputValue(), 'ready', 'the presence chosen stays as chosen');
    for (const label of ['UCCX', 'Enreach']) assert.equal(await accountStatus(page, label, 'Connected, Ready').count(), 1, `${label} stays Ready`);
    // The time counts.
    const first = await activity.innerText();
    await onCall.filter({ hasText: new RegExp(`^(?!${first.trim()}$)`) }).waitFor();
    enreach.hangupCall(callId);
    await activity.waitFor({ state: 'detached' });
    enreach.startWrapUp({ callId, maxSec: 45 });
    await activity.filter({ hasText: /^\s*Wrap-up 00:(4[0-5]|3\d) left\s*$/ }).waitFor();
    enreach.endWrapUp();
    await activity.waitFor({ state: 'detached' });
  });

  it('shows each account’s presence when they differ, without a click and without “Mixed”, and sets one from there', async () => {
    await allReady();
    const list = page.getByRole('list', { name: 'Presence on each account' });
    assert.equal(await list.count(), 0, 'accounts that agree need no list');
    await presenceSelect(page).selectOption('not-ready');
    await pendingGroup(page).waitFor();
    await pendingGroup(page).getByRole('button', { name: 'Set Not ready' }).click();
    await eventually(() => sim.center.agentState.state === 'NOT_READY' && enreach.availability !== 'Available', 'both not ready');
    enreach.setAvailability('Available');
    await list.waitFor();
    assert.doesNotMatch(await page.getByRole('region', { name: 'Presence' }).innerText(), /Mixed/);
    await accountStatus(page, 'Enreach', 'Connected, Ready').waitFor();
    await accountStatus(page, 'UCCX', 'Connected, Not ready').waitFor();
    assert.equal(await page.getByRole('combobox', { name: 'Your presence on Enreach' }).inputValue(), 'ready');
    assert.equal(await page.getByRole('combobox', { name: 'Your presence on UCCX' }).inputValue(), 'not-ready');
    // Setting one account from the list that came by itself.
    await page.getByRole('combobox', { name: 'Your presence on UCCX' }).selectOption('ready');
    await eventually(() => sim.center.agentState.state === 'READY', 'UCCX ready');
    await list.waitFor({ state: 'detached' });
  });

  it('says what a platform leaves to another tool, with the account, and that its presence is set elsewhere', async () => {
    const notes = page.getByRole('list', { name: 'About these accounts' }).getByRole('listitem');
    assert.equal(await notes.count(), 1, 'only CEC has something to say');
    assert.equal((await notes.innerText()).replace(/\s+/g, ' ').trim(), `CEC: ${HUAWEI_NOTICE}`);
    assert.match(await accountStatus(page, 'CEC').innerText(), /Presence set elsewhere/);
    const toggle = page.getByRole('button', { name: 'Presence on each account' });
    await toggle.click();
    const row = accountStatus(page, 'CEC');
    assert.match(await row.getByText(/set elsewhere/).innerText(), /Presence is set elsewhere/);
    assert.equal(await row.getByRole('combobox').count(), 0, 'no control for it');
    await row.getByText(HUAWEI_NOTICE).waitFor();
    await toggle.click();
  });
});

describe('a platform’s question to the agent', () => {
  const closers = new Closers();
  let sim: OpenMethodsSimulator;
  let page: Page;

  before(() =>
    closers.setUp(async () => {
      // Quiet: declining the take-over fails the account on purpose, which the connector logs as an error.
      const log = createLogger(process.env.AGENT_COMPANION_LOG ?? 'fatal');
      sim = closers.add(await startOpenMethodsSimulator(), (s) => s.close().catch(() => undefined));
      sim.startOtherSession();
      const config = parseConfig({ accounts: [uccxAccount(sim)] });
      const core = closers.add(await startCore({ config, log, backoff: { initialMs: 50, maxMs: 500, jitter: 0 } }), (c) => c.stop());
      const host = closers.add(await startWebHost({ core, log }), (h) => h.close());
      const browser = closers.add(await launchChromium(), (b) => b.close().catch(() => undefined));
      page = await (await browser.newContext({ viewport: TRAY })).newPage();
      page.on('pageerror', (error) => process.stderr.write(`page error: ${error.message}\n`));
      await page.goto(host.url);
    }),
  );
  after(() => closers.closeAll());

  it('asks in a modal dialog with the answer that changes nothing focused, and Escape gives that answer', async () => {
    const prompt = page.getByRole('dialog', { name: 'UCCX asks' });
    await prompt.waitFor();
    assert.match(await prompt.getByText(/another desktop/).innerText(), /another desktop/);
    // The answers in order, the one that acts shown as the primary button.
    assert.deepEqual(await prompt.getByRole('button').evaluateAll((buttons) => buttons.map((b) => `${b.textContent?.trim()}:${b.classList.contains('btn-primary')}`)), [
      'Take over:true',
      'Cancel:false',
    ]);
    assert.ok(await hasFocus(prompt.getByRole('button', { name: 'Cancel' })), 'the answer that changes nothing has the focus');
    assert.ok(await prompt.evaluate((dialog) => (dialog as HTMLDialogElement).open && dialog.matches(':modal')), 'a modal dialog');
    await page.keyboard.press('Escape');
    await prompt.waitFor({ state: 'detached' });
    await page.getByRole('alert').filter({ hasText: 'UCCX could not connect' }).waitFor();
    assert.equal(sim.session()?.holder, 'other', 'the other session was left alone');
  });

  it('asks again on Retry, and Take over reaches UCCX', async () => {
    await page.getByRole('button', { name: 'Retry connecting UCCX' }).click();
    const prompt = page.getByRole('dialog', { name: 'UCCX asks' });
    await prompt.waitFor();
    await prompt.getByRole('button', { name: 'Take over' }).click();
    await accountStatus(page, 'UCCX', 'Connected').waitFor();
    await prompt.waitFor({ state: 'detached' });
    assert.equal(sim.session()?.holder, 'client');
    assert.ok(sim.requests.some((r) => r.name === 'prepareSession' && r.data['override'] === true), 'the take-over was asked for');
  });
});
