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
import { HUAWEI_NOTICE } from '../../main/vendors/huawei/capabilities.js';
import { startHuaweiSimulator } from '../../main/vendors/huawei/simulator/index.js';
import { startOpenMethodsSimulator, type OpenMethodsSimulator } from '../../main/vendors/openmethods/simulator/index.js';
import { startWebHost } from '../../main/web.js';
import { launchChromium } from './browser.js';
import { Closers, eventually, openDesk } from './harness.js';

const TRAY = { width: 420, height: 800 };

/** The UCCX account's config for `sim`. */
function uccxAccount(sim: OpenMethodsSimulator): Record<string, unknown> {
  return { id: 'uccx', vendor: 'openmethods', label: 'UCCX', serverUrl: sim.url, agentId: sim.credentials.agentId, password: sim.credentials.password };
}

/** The data-testid of the element that has the focus. */
function focused(page: Page): Promise<string | null | undefined> {
  return page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
}

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
    const select = page.locator('[data-testid="presence-select"]');
    if ((await select.getAttribute('data-state')) !== 'ready') await select.selectOption('ready');
    await page.locator('[data-testid="presence-select"][data-state="ready"]').waitFor();
  }

  it('moves through the list with the arrow keys without setting anything, and keeps the focus there', async () => {
    await allReady();
    const select = page.locator('[data-testid="presence-select"]');
    const sent = stateChanges().length;
    const availability = enreach.availability;
    await select.focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    await page.locator('[data-testid="presence-hint"]', { hasText: /Press Enter to set/ }).waitFor();
    await page.waitForTimeout(400);
    assert.equal(stateChanges().length, sent, 'no state change reached UCCX');
    assert.equal(enreach.availability, availability, 'no availability change reached Enreach');
    assert.equal(await focused(page), 'presence-select');
    assert.ok(await select.isEnabled());
    await page.keyboard.press('Escape');
    assert.equal(await select.inputValue(), 'ready', 'Escape puts the list back');
    await page.locator('[data-testid="presence-hint"]').waitFor({ state: 'detached' });
    assert.equal(await focused(page), 'presence-select');
  });

  it('sets what Enter chooses: Not ready asks for a reason first, which the arrow keys pick and Enter applies', async () => {
    await allReady();
    await page.locator('[data-testid="presence-select"]').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="presence-pending"]').waitFor();
    assert.equal(await focused(page), 'presence-reason', 'the reason list has the focus');
    const sent = stateChanges().length;
    await page.keyboard.press('ArrowDown');
    await page.waitForTimeout(300);
    assert.equal(stateChanges().length, sent, 'an arrow key on the reasons sets nothing either');
    assert.equal(await page.locator('[data-testid="presence-reason"]').inputValue(), '1');
    await page.keyboard.press('Enter');
    await eventually(() => sim.center.agentState.state === 'NOT_READY' && sim.center.agentState.reasonCode === 1, 'UCCX is NOT_READY with reason 1');
    await eventually(() => enreach.availability !== 'Available', 'Enreach is not ready too');
    await page.locator('[data-testid="account-status"][data-account="uccx"]', { hasText: /Not ready/ }).waitFor();
    await page.locator('[data-testid="presence-pending"]').waitFor({ state: 'detached' });
    assert.equal(await focused(page), 'presence-reason', 'the focus stays on the control');
    assert.equal(await page.locator('[data-testid="presence-reason"]').inputValue(), '1', 'the reason shown is the one UCCX reports');
  });

  it('chooses Not ready, then a reason, with the pointer, and UCCX gets that reason', async () => {
    await allReady();
    const sent = stateChanges().length;
    await page.locator('[data-testid="presence-select"]').selectOption('not-ready');
    await page.locator('[data-testid="presence-pending"]').waitFor();
    const offered = await page.locator('[data-testid="presence-reason"] option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    assert.deepEqual(offered, ['', '1', '2', '3', '4', '5'], 'no reason, then the not-ready reasons only');
    assert.equal(stateChanges().length, sent, 'nothing is set before the reason');
    await page.locator('[data-testid="presence-reason"]').selectOption('2');
    await eventually(() => stateChanges().some((d) => d['state'] === 'NOT_READY' && d['reasonCode'] === 2), 'NOT_READY with reason 2 reached UCCX');
    await page.locator('[data-testid="account-status"][data-account="uccx"]', { hasText: /Lunch/ }).waitFor();
  });

  it('sets Not ready without a reason from the Set button', async () => {
    await allReady();
    await page.locator('[data-testid="presence-select"]').selectOption('not-ready');
    await page.locator('[data-testid="presence-apply"]').click();
    await eventually(() => sim.center.agentState.state === 'NOT_READY' && sim.center.agentState.reasonCode === null, 'UCCX is NOT_READY with no reason');
    await page.locator('[data-testid="presence-select"]:not([data-state="ready"])').waitFor();
  });

  it('sets one account’s presence from the per-account list', async () => {
    await allReady();
    await page.locator('[data-testid="presence-accounts-toggle"]').click();
    const list = page.locator('[data-testid="presence-accounts"]');
    await list.waitFor();
    assert.equal(await list.locator('[data-testid="account-presence"]').count(), 3);
    await page.locator('[data-testid="account-presence-select"][data-account="voice"]').selectOption('do-not-disturb');
    await eventually(() => enreach.availability !== 'Available' && enreach.availability, 'Enreach availability set');
    await page.locator('[data-testid="presence-select"][data-state="mixed"]').waitFor();
    assert.equal(sim.center.agentState.state, 'READY', 'UCCX was left as it was');
    // The per-account reasons are that account's own.
    await page.locator('[data-testid="account-presence-reason"][data-account="uccx"]').selectOption('3');
    await eventually(() => sim.center.agentState.state === 'NOT_READY' && sim.center.agentState.reasonCode === 3, 'UCCX is NOT_READY with reason 3');
    assert.equal(await page.locator('[data-testid="account-presence-reason"][data-account="voice"]').count(), 0, 'Enreach offers no reasons');
    await page.locator('[data-testid="presence-accounts-toggle"]').click();
    await list.waitFor({ state: 'detached' });
  });

  it('says beside the presence what the agent is doing: Ringing, On a call while connected, nothing after, and wrap-up counting down', async () => {
    await allReady();
    const activity = page.locator('[data-testid="presence-activity"]');
    assert.equal(await activity.count(), 0, 'an idle desk says nothing more');
    const callId = enreach.ringCall({ caller: '+358401234000' });
    await page.locator('[data-testid="presence-activity"][data-kind="ringing"]', { hasText: /^\s*Ringing\s*$/ }).waitFor();
    enreach.answerCall(callId);
    await page.locator('[data-testid="presence-activity"][data-kind="on-call"]', { hasText: /On a call \d\d:\d\d/ }).waitFor();
    assert.equal(await page.locator('[data-testid="presence-select"]').getAttribute('data-state'), 'ready', 'the presence chosen stays as chosen');
    // The time counts.
    const first = await activity.innerText();
    await page.locator('[data-testid="presence-activity"][data-kind="on-call"]', { hasText: new RegExp(`^(?!${first.trim()}$)`) }).waitFor();
    enreach.hangupCall(callId);
    await activity.waitFor({ state: 'detached' });
    enreach.startWrapUp({ callId, maxSec: 45 });
    await page.locator('[data-testid="presence-activity"][data-kind="wrap-up"]', { hasText: /Wrap-up 00:(4[0-5]|3\d) left/ }).waitFor();
    enreach.endWrapUp();
    await activity.waitFor({ state: 'detached' });
  });

  it('shows each account’s presence when they differ, without a click and without “Mixed”, and sets one from there', async () => {
    await allReady();
    assert.equal(await page.locator('[data-testid="presence-accounts"]').count(), 0, 'accounts that agree need no list');
    await page.locator('[data-testid="presence-select"]').selectOption('not-ready');
    await page.locator('[data-testid="presence-pending"]').waitFor();
    await page.locator('[data-testid="presence-apply"]').click();
    await eventually(() => sim.center.agentState.state === 'NOT_READY' && enreach.availability !== 'Available', 'both not ready');
    enreach.setAvailability('Available');
    const list = page.locator('[data-testid="presence-accounts"]');
    await list.waitFor();
    assert.doesNotMatch(await page.locator('[aria-label="Presence"]').innerText(), /Mixed/);
    assert.equal(await page.locator('[data-testid="account-presence-select"][data-account="voice"]').getAttribute('data-state'), 'ready');
    assert.equal(await page.locator('[data-testid="account-presence-select"][data-account="uccx"]').getAttribute('data-state'), 'not-ready');
    // Setting one account from the list that came by itself.
    await page.locator('[data-testid="account-presence-select"][data-account="uccx"]').selectOption('ready');
    await eventually(() => sim.center.agentState.state === 'READY', 'UCCX ready');
    await list.waitFor({ state: 'detached' });
  });

  it('says what a platform leaves to another tool, with the account, and that its presence is set elsewhere', async () => {
    const notice = page.locator('[data-testid="account-notice"][data-account="cec"]');
    assert.equal((await notice.innerText()).replace(/\s+/g, ' ').trim(), `CEC: ${HUAWEI_NOTICE}`);
    assert.equal(await page.locator('[data-testid="account-notice"]').count(), 1, 'only CEC has something to say');
    assert.match(await page.locator('[data-testid="account-status"][data-account="cec"]').innerText(), /Presence set elsewhere/);
    await page.locator('[data-testid="presence-accounts-toggle"]').click();
    const row = page.locator('[data-testid="account-presence"][data-account="cec"]');
    assert.match(await row.locator('[data-testid="account-presence-elsewhere"]').innerText(), /Presence is set elsewhere/);
    assert.equal(await row.locator('select').count(), 0, 'no control for it');
    await row.locator('[data-testid="account-notice"]', { hasText: HUAWEI_NOTICE }).waitFor();
    await page.locator('[data-testid="presence-accounts-toggle"]').click();
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
    const prompt = page.locator('[data-testid="prompt"]');
    await prompt.waitFor();
    assert.match(await page.locator('[data-testid="prompt-message"]').innerText(), /another desktop/);
    assert.deepEqual(await prompt.locator('[data-testid="prompt-choice"]').evaluateAll((buttons) => buttons.map((b) => `${b.getAttribute('data-choice')}:${b.classList.contains('btn-primary')}`)), [
      'take-over:true',
      'cancel:false',
    ]);
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-choice')), 'cancel');
    assert.ok(await prompt.evaluate((dialog) => (dialog as HTMLDialogElement).open && dialog.matches(':modal')), 'a modal dialog');
    await page.keyboard.press('Escape');
    await prompt.waitFor({ state: 'detached' });
    await page.locator('[data-testid="account-banner"][data-account="uccx"][data-state="failed"]').waitFor();
    assert.equal(sim.session()?.holder, 'other', 'the other session was left alone');
  });

  it('asks again on Retry, and Take over reaches UCCX', async () => {
    await page.locator('[data-testid="account-retry"]').click();
    const prompt = page.locator('[data-testid="prompt"]');
    await prompt.waitFor();
    await prompt.locator('[data-testid="prompt-choice"][data-choice="take-over"]').click();
    await page.locator('[data-testid="account-status"][data-account="uccx"][data-state="connected"]').waitFor();
    await prompt.waitFor({ state: 'detached' });
    assert.equal(sim.session()?.holder, 'client');
    assert.ok(sim.requests.some((r) => r.name === 'prepareSession' && r.data['override'] === true), 'the take-over was asked for');
  });
});
