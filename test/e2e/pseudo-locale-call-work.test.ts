/**
 * Call work in the pseudo-locale (issue 19 over issue 18's screens): a platform that offers consult,
 * transfers, conference, the keypad and wrap-up reasons (a scripted connector), shown in `en-XA` at
 * 420 px — the transfer panel, the keypad, a conference's parties, "Placed by …", the consultation
 * card, the wrap-up reasons and the history entry that keeps one. Every text the agent meets must come
 * through the language layer and none may be cut off (`pseudo.ts` says how it is read).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { CALL_WORK_ACTIONS } from '../../common/model.js';
import type { Core } from '../../main/app.js';
import { ScriptedConnector } from '../support/scripted-connector.js';
import { Closers } from './harness.js';
import { clippedTexts, openPseudoDesk, unmarkedTexts, xa } from './pseudo.js';

/** Eight reasons: more than the card lists without a search field. */
const REASONS = ['Sale made', 'Information only', 'Complaint', 'Wrong number', 'Callback booked', 'Order changed', 'Invoice question', 'Cancelled order'].map((label, i) => ({ code: `R${i}`, label }));

describe('call work in the pseudo-locale', () => {
  const closers = new Closers();
  const acd = new ScriptedConnector();
  let page: Page;
  let core: Core;

  before(() =>
    closers.setUp(async () => {
      const seed = { id: 'acd', vendor: 'test', label: 'Contact center', demo: false, presenceOptions: ['ready', 'not-ready', 'wrap-up'] as const, canDial: true, callControl: true, callWork: [...CALL_WORK_ACTIONS] };
      ({ core, page } = await openPseudoDesk(closers, [{ seed: { ...seed, presenceOptions: [...seed.presenceOptions] }, connector: acd }]));
      acd.emit({ type: 'presence', presence: { state: 'ready', label: 'Ready' } });
      acd.emit({ type: 'team', member: { id: 'm1', name: 'Maria Virtanen', presence: { state: 'ready', label: 'Ready' }, onCall: false, number: '2041' } });
      // A call taken earlier: its number is offered as a recent one.
      acd.emit({ type: 'call', call: { id: 'c0', state: 'connected', direction: 'inbound', caller: '+358409999999', actions: [] } });
      acd.emit({ type: 'call', call: { id: 'c0', state: 'ended' } });
      await page.getByRole('region', { name: xa('presence.title') }).waitFor({ timeout: 60_000 });
    }),
  );
  after(() => closers.closeAll());

  it('says a call’s transfer panel, keypad, conference parties and the app that placed it through the language layer', async () => {
    acd.emit({
      type: 'call',
      call: {
        id: 'c1',
        state: 'connected',
        direction: 'inbound',
        caller: '+358401111111',
        actions: ['hangup', 'hold', 'consult', 'blindTransfer', 'sendDtmf'],
        parties: [{ id: 'p1', number: '+358401111111', role: 'customer' }, { id: 'p2', name: 'Maria Virtanen', number: '2041', role: 'colleague' }, { id: 'me', role: 'agent' }],
      },
    });
    core.desk.apply({ type: 'call.placed-by', callKey: 'acd/c1', placedBy: 'Acme CRM' });
    await page.getByRole('button', { name: xa('calls.work.transfer') }).click();
    const panel = page.getByTestId('transfer-panel');
    await panel.getByRole('button', { name: xa('transfer.blind') }).waitFor();
    await panel.getByRole('group', { name: xa('transfer.members') }).waitFor();
    assert.deepEqual(await unmarkedTexts(page, 'the transfer panel'), []);
    assert.deepEqual(await clippedTexts(page, 'the transfer panel'), []);
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });

    await page.getByRole('button', { name: xa('calls.work.keypad') }).click();
    await page.getByRole('button', { name: xa('keypad.key').replace('{key}', '5') }).click();
    await page.getByText(xa('keypad.sent')).waitFor();
    assert.deepEqual(await unmarkedTexts(page, 'the keypad'), []);
    assert.deepEqual(await clippedTexts(page, 'the keypad'), []);
  });

  it('says a consultation’s card through it', async () => {
    acd.emit({ type: 'call', call: { id: 'c1', state: 'held', actions: ['retrieve'], parties: [] } });
    acd.emit({ type: 'call', call: { id: 'c2', state: 'connected', direction: 'consult', target: '2041', consultOf: 'c1', consultFor: 'transfer', actions: ['transfer', 'conference', 'cancelConsult', 'sendDtmf'] } });
    await page.getByRole('button', { name: xa('consult.transfer') }).waitFor();
    assert.deepEqual(await unmarkedTexts(page, 'the consultation'), []);
    assert.deepEqual(await clippedTexts(page, 'the consultation'), []);
  });

  it('says the wrap-up reasons, the one chosen and the history entry that keeps it through it', async () => {
    acd.emit({ type: 'wrapup.reasons', reasons: REASONS, required: true });
    acd.emit({ type: 'call', call: { id: 'c2', state: 'ended' } });
    acd.emit({ type: 'call', call: { id: 'c1', state: 'ended' } });
    acd.emit({ type: 'presence', presence: { state: 'wrap-up', label: 'AfterCallWork' } });
    acd.emit({ type: 'wrapup', wrapUp: { startedAt: new Date().toISOString(), callId: 'c1' } });
    const reasons = page.getByRole('group', { name: xa('wrapup.reasons.label') });
    await reasons.waitFor();
    assert.deepEqual(await unmarkedTexts(page, 'the wrap-up reasons'), []);
    assert.deepEqual(await clippedTexts(page, 'the wrap-up reasons'), []);

    await reasons.getByRole('button', { name: 'Complaint' }).click();
    await page.getByRole('button', { name: xa('wrapup.reason.change.label').replace('{reason}', 'Complaint') }).waitFor();
    await page.getByText(xa('history.wrapup-reason').replace('{reason}', 'Complaint')).waitFor();
    assert.deepEqual(await unmarkedTexts(page, 'the chosen wrap-up reason'), []);
    assert.deepEqual(await clippedTexts(page, 'the chosen wrap-up reason'), []);
  });
});
