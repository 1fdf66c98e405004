/**
 * Call work on the desk (issue 18), platform-free: a scripted connector stands for a platform that
 * offers consult, transfers, conference, DTMF and wrap-up reasons. What an agent would notice: the
 * two legs of a consultation shown as one, completing and cancelling it acting on the right legs,
 * refusals shown on the call in the platform's words, digits shown while the call lasts and never
 * kept, a wrap-up reason kept in the history (across a restart) and required where configured, the
 * contract refusing bad digits and numbers, and the tray offering Hang up and Hold for a live call.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { createTranslator, type Catalog, type MessageKey } from '../../common/i18n.js';
import { CALL_WORK_ACTIONS, type Call, type DeskState } from '../../common/model.js';
import { callGroups, consultationOf } from '../../common/selectors.js';
import { BridgeHub, type BridgeConnection } from '../../main/bridge.js';
import { parseConfig } from '../../main/config.js';
import { Desk } from '../../main/desk/desk.js';
import type { ConnectorEvent } from '../../main/desk/events.js';
import { historyDocument, readHistory } from '../../main/desk/history.js';
import { ScriptedConnector } from '../support/scripted-connector.js';
import { trayAction, trayModel } from '../../main/desk/tray.js';
import { createLogger } from '../../main/log.js';
import { ReadOnlySettings } from '../../main/settings.js';
import { createBridgeClient, DeskError } from '../../preload/client.js';


const ALL_WORK = [...CALL_WORK_ACTIONS];

function setup(seed: { callWork?: typeof ALL_WORK; history?: DeskState['recentCalls'] } = {}) {
  const connector = new ScriptedConnector();
  const log = createLogger('silent');
  const desk = new Desk({
    accounts: [
      {
        seed: { id: 'acd', vendor: 'test', label: 'Contact center', demo: false, presenceOptions: ['ready', 'not-ready', 'wrap-up'], callControl: true, callWork: seed.callWork ?? ALL_WORK },
        connector,
      },
    ],
    log,
    ...(seed.history ? { history: { calls: seed.history, missedUnseen: 0 } } : {}),
  });
  desk.start();
  return { desk, connector };
}

const connected = (id: string, extra: Partial<Call> = {}): ConnectorEvent => ({
  type: 'call',
  call: { id, state: 'connected', direction: 'inbound', caller: '+358401111111', actions: ['hangup', 'hold', 'consult', 'blindTransfer', 'sendDtmf'], ...extra },
});

describe('call work: consultation legs', () => {
  it('shows a consultation leg and its held original as one group, found from either leg', () => {
    const { desk, connector } = setup();
    connector.emit(connected('c1', { state: 'held', actions: ['retrieve'] }));
    connector.emit({ type: 'call', call: { id: 'c2', state: 'connected', direction: 'consult', target: '2041', consultOf: 'c1', consultFor: 'transfer', actions: ['transfer', 'conference', 'cancelConsult', 'sendDtmf'] } });
    connector.emit(connected('c3', { caller: '+358402222222' }));
    const groups = callGroups(desk.state);
    assert.equal(groups.length, 2, 'the consultation is one card, the other call another');
    const consultation = groups.find((g) => g.kind === 'consultation');
    assert.ok(consultation && consultation.kind === 'consultation');
    assert.equal(consultation.original.key, 'acd/c1');
    assert.equal(consultation.consult.key, 'acd/c2');
    assert.equal(consultationOf(desk.state, 'acd/c1')?.consult.key, 'acd/c2');
    assert.equal(consultationOf(desk.state, 'acd/c2')?.original.key, 'acd/c1');
    assert.equal(consultationOf(desk.state, 'acd/c3'), undefined);
  });

  it('completes a consultation from either leg, naming both legs, and cancels it', async () => {
    const { desk, connector } = setup();
    connector.emit(connected('c1', { state: 'held', actions: ['retrieve'] }));
    connector.emit({ type: 'call', call: { id: 'c2', state: 'connected', direction: 'consult', consultOf: 'c1', actions: ['transfer', 'conference', 'cancelConsult'] } });
    await desk.completeConsult('acd/c1', 'transfer');
    await desk.completeConsult('acd/c2', 'conference');
    await desk.cancelConsult('acd/c2');
    assert.deepEqual(connector.commands, [
      { type: 'call.completeConsult', consultId: 'c2', originalId: 'c1', as: 'transfer' },
      { type: 'call.completeConsult', consultId: 'c2', originalId: 'c1', as: 'conference' },
      { type: 'call.cancelConsult', consultId: 'c2', originalId: 'c1' },
    ]);
  });

  it('starts a consultation and a blind transfer only where the call allows them, to a dialable number', async () => {
    const { desk, connector } = setup();
    connector.emit(connected('c1'));
    await desk.consult('acd/c1', ' +3589123 ', 'conference');
    await desk.blindTransfer('acd/c1', '2041');
    await assert.rejects(desk.consult('acd/c1', 'bob', 'transfer'), /not a number that can be called/);
    connector.emit({ type: 'call', call: { id: 'c1', state: 'held', actions: ['retrieve'] } });
    await assert.rejects(desk.blindTransfer('acd/c1', '2041'), /cannot be transferred now/);
    await assert.rejects(desk.completeConsult('acd/c1', 'transfer'), /no consultation in progress/);
    assert.deepEqual(connector.commands, [
      { type: 'call.consult', callId: 'c1', destination: '+3589123', purpose: 'conference' },
      { type: 'call.blindTransfer', callId: 'c1', destination: '2041' },
    ]);
  });

  it('a consultation is part of its call in the history: no "placed" entry of its own, the call says whom it consulted', () => {
    const { desk, connector } = setup();
    connector.emit(connected('c1'));
    connector.emit({ type: 'call', call: { id: 'c2', state: 'connected', direction: 'consult', target: '2041', consultOf: 'c1', actions: ['cancelConsult'] } });
    connector.emit({ type: 'call', call: { id: 'c2', state: 'ended' } }); // cancelled: the caller is back
    assert.equal(desk.state.recentCalls.length, 0, 'the consultation leg is no call of its own');
    assert.deepEqual(desk.state.calls['acd/c1']?.consulted, ['2041'], 'the live call knows whom it consulted');
    // A second consultation, then a transfer in which the caller's call ends first.
    connector.emit({ type: 'call', call: { id: 'c3', state: 'connected', direction: 'consult', target: '2042', consultOf: 'c1', actions: [] } });
    connector.emit({ type: 'call', call: { id: 'c1', state: 'ended' } });
    connector.emit({ type: 'call', call: { id: 'c3', state: 'ended' } });
    assert.deepEqual(
      desk.state.recentCalls.map((c) => [c.id, c.outcome, c.consulted]),
      [['c1', 'answered', ['2041', '2042']]],
    );
    const kept = readHistory(JSON.parse(JSON.stringify(historyDocument(desk.state))));
    assert.deepEqual(kept.calls[0]?.consulted, ['2041', '2042'], 'kept across a restart');
    // A leg whose call the desk never saw still reaches the history, as before.
    connector.emit({ type: 'call', call: { id: 'c9', state: 'connected', direction: 'consult', target: '2049', consultOf: 'gone', actions: [] } });
    connector.emit({ type: 'call', call: { id: 'c9', state: 'ended' } });
    assert.equal(desk.state.recentCalls[0]?.id, 'c9');
  });

  it('refuses a second consultation on a call that already has one', async () => {
    const { desk, connector } = setup();
    connector.emit(connected('c1'));
    connector.emit({ type: 'call', call: { id: 'c2', state: 'dialing', direction: 'consult', consultOf: 'c1', actions: ['cancelConsult'] } });
    await assert.rejects(desk.consult('acd/c1', '2042', 'transfer'), /already in progress/);
    await assert.rejects(desk.completeConsult('acd/c2', 'transfer'), /cannot be transferred now/, 'a leg still ringing offers no completion');
    assert.deepEqual(connector.commands, []);
  });

  it('shows a refusal on the call in the platform’s words, and clears it when the agent tries again', async () => {
    const { desk, connector } = setup();
    connector.emit(connected('c1'));
    connector.refuseOnce('Destination 2041 is busy');
    await assert.rejects(desk.consult('acd/c1', '2041', 'transfer'), /Destination 2041 is busy/);
    assert.equal(desk.state.calls['acd/c1']!.error, 'Destination 2041 is busy');
    assert.equal(desk.state.calls['acd/c1']!.errorSaid, undefined, 'a platform’s words carry no code: they are shown as sent');
    await desk.consult('acd/c1', '2042', 'transfer');
    assert.equal(desk.state.calls['acd/c1']!.error, undefined);
    connector.emit({ type: 'call', call: { id: 'c1', error: 'The platform dropped the consultation' } });
    assert.equal(desk.state.calls['acd/c1']!.error, 'The platform dropped the consultation', 'a platform’s own report shows too');
  });

  it('lists a conference’s parties on its call', () => {
    const { desk, connector } = setup();
    connector.emit(connected('c1', { parties: [{ id: 'p1', number: '+358401111111', role: 'customer' }, { id: 'p2', number: '2041', role: 'colleague' }, { id: 'me', role: 'agent' }] }));
    assert.deepEqual(
      desk.state.calls['acd/c1']!.parties?.map((p) => p.number ?? p.role),
      ['+358401111111', '2041', 'agent'],
    );
  });
});

describe('call work: digits', () => {
  it('shows the digits the platform accepted while the call lasts, and never keeps them in the history', async () => {
    const { desk, connector } = setup();
    connector.emit(connected('c1'));
    await desk.sendDtmf('acd/c1', '1234');
    await desk.sendDtmf('acd/c1', '#');
    assert.equal(desk.state.calls['acd/c1']!.digitsSent, '1234#');
    connector.refuseOnce('DTMF not allowed now');
    await assert.rejects(desk.sendDtmf('acd/c1', '9'), /DTMF not allowed now/);
    assert.equal(desk.state.calls['acd/c1']!.digitsSent, '1234#', 'refused digits were not sent');
    await assert.rejects(desk.sendDtmf('acd/c1', '12x'), /Only the keys 0–9/);
    connector.emit({ type: 'call', call: { id: 'c1', state: 'ended' } });
    const past = desk.state.recentCalls[0]!;
    assert.equal(past.key, 'acd/c1');
    assert.equal('digitsSent' in past, false, 'a PIN typed into an IVR is not kept');
    assert.doesNotMatch(JSON.stringify(historyDocument(desk.state)), /1234#/);
  });
});

describe('call work: wrap-up reasons', () => {
  const reasons = [
    { code: 'SALE', label: 'Sale made' },
    { code: 'INFO', label: 'Information only' },
  ];

  function inWrapUp(required: boolean) {
    const ready = setup();
    const { connector } = ready;
    connector.emit({ type: 'wrapup.reasons', reasons, required });
    connector.emit(connected('c1'));
    connector.emit({ type: 'call', call: { id: 'c1', state: 'ended' } });
    connector.emit({ type: 'presence', presence: { state: 'wrap-up', label: 'AfterCallWork' } });
    connector.emit({ type: 'wrapup', wrapUp: { startedAt: '2026-11-20T09:05:00.000Z', callId: 'c1' } });
    return ready;
  }

  it('gives the call in wrap-up a reason: the wrap-up shows it and the history entry keeps it, across a restart', async () => {
    const { desk, connector } = inWrapUp(false);
    await desk.setWrapUpReason('acd', 'SALE');
    assert.deepEqual(connector.commands.at(-1), { type: 'call.wrapUpReason', callId: 'c1', reason: { code: 'SALE', label: 'Sale made' } });
    assert.deepEqual(desk.state.accounts['acd']!.wrapUp?.reason, { code: 'SALE', label: 'Sale made' });
    assert.deepEqual(desk.state.recentCalls[0]!.wrapUpReason, { code: 'SALE', label: 'Sale made' });
    const restarted = readHistory(JSON.parse(JSON.stringify(historyDocument(desk.state))) as unknown);
    assert.deepEqual(restarted.calls[0]!.wrapUpReason, { code: 'SALE', label: 'Sale made' });
    // The platform reports the same wrap-up again (a reconnect): the reason stays.
    connector.emit({ type: 'wrapup', wrapUp: { startedAt: '2026-11-20T09:05:00.000Z', callId: 'c1' } });
    assert.equal(desk.state.accounts['acd']!.wrapUp?.reason?.code, 'SALE');
    await assert.rejects(desk.setWrapUpReason('acd', 'NOPE'), /not one of the wrap-up reasons/);
  });

  it('keeps the agent in wrap-up until a required reason is given, and lets them go after', async () => {
    const { desk, connector } = inWrapUp(true);
    await assert.rejects(desk.setAccountPresence('acd', 'ready'), /Choose a wrap-up reason first/);
    await assert.rejects(desk.setPresence('ready'), /Choose a wrap-up reason first/);
    assert.equal(connector.commands.filter((c) => c.type === 'presence.set').length, 0);
    await desk.setWrapUpReason('acd', 'INFO');
    await desk.setAccountPresence('acd', 'ready');
    assert.deepEqual(connector.commands.at(-1), { type: 'presence.set', state: 'ready' });
  });

  it('lets an optional reason be skipped, and takes no reason outside wrap-up', async () => {
    const { desk, connector } = inWrapUp(false);
    await desk.setAccountPresence('acd', 'ready');
    assert.deepEqual(connector.commands.at(-1), { type: 'presence.set', state: 'ready' });
    connector.emit({ type: 'wrapup', wrapUp: null });
    await assert.rejects(desk.setWrapUpReason('acd', 'SALE'), /no wrap-up to give a reason for/);
  });
});

describe('call work: a platform that offers none', () => {
  it('lets nothing through, so the window shows where to do it instead', async () => {
    const { desk, connector } = setup({ callWork: [] });
    connector.emit(connected('c1', { actions: ['hangup', 'hold'] }));
    assert.deepEqual(desk.state.accounts['acd']!.callWork, []);
    await assert.rejects(desk.blindTransfer('acd/c1', '2041'), /cannot be transferred now/);
    await assert.rejects(desk.sendDtmf('acd/c1', '1'), /cannot take digits now/);
    assert.deepEqual(connector.commands, []);
  });
});

describe('call work: the contract', () => {
  function wire() {
    const { desk, connector } = setup();
    const log = createLogger('silent');
    const hub = new BridgeHub(desk, log, new ReadOnlySettings(parseConfig({}), 'the test'));
    const holder: { connection?: BridgeConnection } = {};
    const client = createBridgeClient({ transport: { send: (text) => (holder.connection?.receive(text), true) } });
    holder.connection = hub.open((text) => client.receive(text));
    client.opened();
    return { api: client.api, connector };
  }

  it('refuses digits outside 0-9 * # A-D, more than 32 of them, and destinations that are not numbers, before any platform hears of it', async () => {
    const { api, connector } = wire();
    connector.emit(connected('c1'));
    await assert.rejects(api.sendDtmf('acd/c1', '12E'), /Refused sendDtmf/);
    await assert.rejects(api.sendDtmf('acd/c1', '1'.repeat(33)), /Refused sendDtmf/);
    await assert.rejects(api.sendDtmf('acd/c1', ''), /Refused sendDtmf/);
    await assert.rejects(api.consult('acd/c1', 'sip:bob@example.com', 'transfer'), /Refused consult/);
    await assert.rejects(api.blindTransfer('acd/c1', '1'), /Refused blindTransfer/);
    await assert.rejects(api.consult('acd/c1', '2041', 'park' as 'transfer'), /Refused consult/);
    assert.deepEqual(connector.commands, []);
    await api.sendDtmf('acd/c1', '*12#abcd');
    assert.deepEqual(connector.commands, [{ type: 'call.dtmf', callId: 'c1', digits: '*12#ABCD' }]);
  });

  it('sends the desk’s own refusal as a code the window says in the agent’s language, and a platform’s in its words', async () => {
    const { api, connector } = wire();
    connector.emit(connected('c1'));
    connector.emit({ type: 'call', call: { id: 'c2', state: 'connected', direction: 'consult', consultOf: 'c1', actions: ['cancelConsult'] } });
    const refusal = await api.consult('acd/c1', '2042', 'transfer').then(
      () => assert.fail('refused'),
      (error: unknown) => error,
    );
    assert.ok(refusal instanceof DeskError);
    assert.equal(refusal.message, 'A consultation is already in progress on this call.', 'English, as logged');
    assert.deepEqual(refusal.said, { key: 'desk.work.consultation-running' });
    const german = createTranslator('de', JSON.parse(readFileSync(new URL('../../common/locales/de.json', import.meta.url), 'utf8')) as Catalog);
    assert.equal(german.t(refusal.said.key as MessageKey, refusal.said.values), 'Für diesen Anruf läuft bereits eine Rückfrage.');
    connector.emit(connected('c3', { caller: '+358403333333' }));
    connector.refuseOnce('Destination 2041 is busy');
    const platform = await api.blindTransfer('acd/c3', '2041').then(
      () => assert.fail('refused'),
      (error: unknown) => error,
    );
    assert.ok(platform instanceof DeskError);
    assert.equal(platform.message, 'Destination 2041 is busy');
    assert.equal(platform.said, undefined, 'the platform’s words travel as sent');
  });
});

describe('call work: the tray', () => {
  it('offers Hang up and Hold for a connected call, Retrieve for a held one, and nothing for a ringing one', () => {
    const { desk, connector } = setup();
    connector.emit(connected('c1', { actions: ['hangup', 'hold'] }));
    connector.emit({ type: 'call', call: { id: 'c2', state: 'held', caller: '+358402222222', actions: ['retrieve', 'hangup'] } });
    connector.emit({ type: 'call', call: { id: 'c3', state: 'ringing', caller: '+358403333333', actions: ['answer'] } });
    const items = trayModel(desk.state).items.filter((i) => i.kind === 'action' && i.id.startsWith('call:'));
    assert.deepEqual(
      items.map((i) => (i.kind === 'action' ? i.text : '')),
      ['Hang up +358401111111', 'Hold +358401111111', 'Hang up +358402222222', 'Retrieve +358402222222'],
    );
    const first = items[0]!;
    assert.ok(first.kind === 'action');
    assert.deepEqual(trayAction(first.id), { kind: 'call', action: 'hangup', callKey: 'acd/c1' });
    assert.deepEqual(trayAction('call:hold:acd/abc:consult'), { kind: 'call', action: 'hold', callKey: 'acd/abc:consult' });
    assert.equal(trayAction('call:transfer:acd/c1'), undefined);
  });
});

describe('call work: what the window offers', () => {
  it('offers the call account’s team members with a number, then its recent numbers, each once, never the caller', async () => {
    const { transferSuggestions } = await import('../../renderer/lib/call-work.js');
    const { desk, connector } = setup();
    connector.emit({
      type: 'team.sync',
      members: [
        { id: 'm2', name: 'Olli Koski', presence: { state: 'ready', label: 'Ready' }, onCall: false, number: '2042' },
        { id: 'm1', name: 'Anna Berg', presence: { state: 'ready', label: 'Ready' }, onCall: false, number: '20-41' },
        { id: 'm3', name: 'No Number', presence: { state: 'ready', label: 'Ready' }, onCall: false },
      ],
    });
    for (const [id, number] of [['p1', '+358 9 555 0100'], ['p2', '2041'], ['p3', '+358401111111']] as const) {
      connector.emit({ type: 'call', call: { id, state: 'connected', direction: 'outbound', target: number } });
      connector.emit({ type: 'call', call: { id, state: 'ended' } });
    }
    connector.emit(connected('c1'));
    assert.deepEqual(
      transferSuggestions(desk.state, desk.state.calls['acd/c1']!).map((s) => `${s.kind}:${s.label}:${s.number}`),
      ['colleague:Anna Berg:2041', 'colleague:Olli Koski:2042', 'recent:+35895550100:+35895550100'],
    );
  });

  it('finds wrap-up reasons by every word typed, in label or code', async () => {
    const { matchingReasons } = await import('../../renderer/lib/call-work.js');
    const reasons = [
      { code: 'BILL', label: 'Billing question' },
      { code: 'TECH', label: 'Technical support' },
      { code: 'SALE', label: 'Sale made' },
    ];
    assert.deepEqual(matchingReasons(reasons, 'ques bill').map((r) => r.code), ['BILL']);
    assert.deepEqual(matchingReasons(reasons, 'tech').map((r) => r.code), ['TECH']);
    assert.deepEqual(matchingReasons(reasons, '  ').length, 3);
    assert.deepEqual(matchingReasons(reasons, 'refund'), []);
  });
});
