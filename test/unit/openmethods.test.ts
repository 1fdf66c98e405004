/**
 * The OpenMethods connector's pure parts: the DCP client's correlation (any order, time-outs,
 * failures, malformed messages), UCCX states to desk presence, the call book (one call per
 * interaction, the consult leg as such, attached data, actions by capabilities), capabilities,
 * reason codes, the team book and journey durations.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from '../../main/log.js';
import { DcpClient, DcpClosed, DcpFailure, DcpTimeout, type DcpEvent } from '../../main/vendors/openmethods/dcp.js';
import {
  ALL_CAPABILITIES,
  CallBook,
  TeamBook,
  capabilitiesOf,
  durationSecOf,
  memberStateOf,
  presenceOf,
  reasonLabel,
  reasonsOf,
  roleOf,
  callWorkOf,
  wrapUpReasonsOf,
} from '../../main/vendors/openmethods/normalize.js';
import { agentStateSchema, interactionSchema, teamStatusDataSchema } from '../../main/vendors/openmethods/schema.js';

/** A logger whose warnings the test can read. */
function recordingLogger(): { log: ReturnType<typeof createLogger>; lines: Array<{ level: number; msg: string }> } {
  const lines: Array<{ level: number; msg: string }> = [];
  return { log: createLogger('debug', { write: (line: string) => lines.push(JSON.parse(line) as { level: number; msg: string }) }), lines };
}

function client(timeoutMs = 5_000) {
  const sent: Array<Record<string, unknown>> = [];
  const events: DcpEvent[] = [];
  const { log, lines } = recordingLogger();
  const dcp = new DcpClient({ send: (m) => sent.push(m), log, timeoutMs, onEvent: (e) => events.push(e) });
  return { dcp, sent, events, lines };
}

const state = (value: Record<string, unknown>) => agentStateSchema.parse(value);
const interaction = (value: Record<string, unknown>) => interactionSchema.parse(value);

describe('OpenMethods DCP client', () => {
  it('correlates responses by request id, whatever order they come in', async () => {
    const { dcp, sent } = client();
    const first = dcp.core('getNetworkServices', { serviceType: 'a' });
    const second = dcp.resource('r1', 'session.getState', 'r1');
    const third = dcp.service('s1', 'getCapabilities', {});
    const [a, b, c] = sent;
    assert.deepEqual({ ...b, requestId: undefined }, { messageType: 'resourceRequest', resourceId: 'r1', command: 'session.getState', target: 'r1', data: {}, requestId: undefined });
    dcp.receive({ messageType: 'serviceResponse', requestId: c!.requestId, serviceId: 's1', command: ' getCapabilities ', result: 'success', data: { x: 1 } });
    dcp.receive({ messageType: 'resourceResponse', requestId: b!.requestId, resourceId: 'r1', command: 'session.getState', result: 'success', data: { state: 'READY' } });
    dcp.receive({ messageType: 'coreResponse', requestId: a!.requestId, requestType: 'getNetworkServices', result: 'success', data: { services: [] } });
    assert.deepEqual(await first, { services: [] });
    assert.deepEqual(await second, { state: 'READY' });
    assert.equal((await third).command, 'getCapabilities');
    assert.equal(new Set(sent.map((m) => m.requestId)).size, 3, 'each request has its own id');
  });

  it('a request with no answer times out with a clear error, and a late answer is dropped', async () => {
    const { dcp, sent } = client(30);
    await assert.rejects(dcp.core('bindService', { serviceId: 's' }), (error: unknown) => error instanceof DcpTimeout && /did not answer bindService within/.test(error.message));
    dcp.receive({ messageType: 'coreResponse', requestId: sent[0]!.requestId, result: 'success' });
    assert.equal(dcp.waiting, 0);
  });

  it('a failure answer or a *Error naming the request fails it with the server’s message and code', async () => {
    const { dcp, sent } = client();
    const bind = dcp.core('bindResource', { resourceId: 'x' });
    dcp.receive({ messageType: 'coreResponse', requestId: sent[0]!.requestId, result: 'failure', failure: { code: 'resource.bound', message: 'Another client is bound' } });
    await assert.rejects(bind, (e: unknown) => e instanceof DcpFailure && e.code === 'resource.bound' && e.message === 'Another client is bound');
    const change = dcp.resource('r', 'session.changeState', 'r', { state: 'LOGOUT' });
    dcp.receive({ messageType: 'resourceError', requestId: sent[1]!.requestId, code: 'state.invalid', message: 'only from NOT_READY' });
    await assert.rejects(change, (e: unknown) => e instanceof DcpFailure && e.message === 'only from NOT_READY');
  });

  it('events and unsolicited errors are handed on; a malformed message is logged and dropped', () => {
    const { dcp, events, lines } = client();
    dcp.receive({ messageType: 'resourceEvent', resourceId: 7, name: 'session.stateChanged', target: '7', data: { state: 'READY' } });
    dcp.receive({ messageType: 'coreEvent', name: 'serviceStatusChanged', data: { serviceId: 'p', status: 'OutOfService' } });
    dcp.receive({ messageType: 'resourceError', resourceId: 'r', failure: { code: 'resource.removed', message: 'taken over' } });
    dcp.receive({ messageType: 'resourceEvent', name: 42 });
    dcp.receive({ messageType: 'nonsense' });
    dcp.receive('text');
    assert.deepEqual(events, [
      { kind: 'resource', resourceId: '7', name: 'session.stateChanged', target: '7', data: { state: 'READY' } },
      { kind: 'core', name: 'serviceStatusChanged', data: { serviceId: 'p', status: 'OutOfService' } },
      { kind: 'error', scope: 'resource', serviceId: undefined, resourceId: 'r', failure: { code: 'resource.removed', message: 'taken over' } },
    ]);
    assert.equal(lines.filter((l) => l.level === 40 && /malformed DCP message/.test(l.msg)).length, 3);
  });

  it('an answer read in order is folded before the events after it in the stream', async () => {
    const order: string[] = [];
    const { log } = recordingLogger();
    const sent: Array<Record<string, unknown>> = [];
    const dcp = new DcpClient({ send: (m) => sent.push(m), log, timeoutMs: 1_000, onEvent: (e) => order.push(`event ${e.kind === 'resource' ? e.name : e.kind}`) });
    const snapshot = dcp.resource('r', 'session.getState', 'r', {}, { inOrder: (data) => order.push(`snapshot ${JSON.stringify(data)}`) });
    dcp.receive({ messageType: 'resourceResponse', requestId: sent[0]!.requestId, result: 'success', data: { state: 'READY' } });
    dcp.receive({ messageType: 'resourceEvent', resourceId: 'r', name: 'interaction.alerting', data: {} });
    await snapshot;
    assert.deepEqual(order, ['snapshot {"state":"READY"}', 'event interaction.alerting']);
  });

  it('closing fails every waiting request and refuses new ones', async () => {
    const { dcp } = client();
    const waiting = dcp.core('getNetworkServices');
    dcp.close(new Error('reset'));
    await assert.rejects(waiting, DcpClosed);
    await assert.rejects(dcp.core('getNetworkServices'), DcpClosed);
  });
});

describe('UCCX agent state → desk presence', () => {
  const labels = new Map([['12', 'Lunch']]);
  it('maps each state, keeps the raw state as the label and the reason’s label', () => {
    assert.deepEqual(presenceOf(state({ state: 'READY', since: '2026-11-21T08:00:00Z' }), undefined, labels), { state: 'ready', label: 'READY', since: '2026-11-21T08:00:00Z' });
    assert.deepEqual(presenceOf(state({ state: 'NOT_READY', reasonCode: 12 }), undefined, labels), { state: 'not-ready', label: 'NOT_READY', reason: 'Lunch' });
    assert.deepEqual(presenceOf(state({ state: 'NOT_READY', reasonCode: 5, reasonLabel: 'Coaching' }), undefined, labels), { state: 'not-ready', label: 'NOT_READY', reason: 'Coaching' });
    assert.deepEqual(presenceOf(state({ state: 'NOT_READY', reasonCode: 32763 }), undefined, labels), { state: 'not-ready', label: 'NOT_READY', reason: 'Ring no answer (AGT_RNA)' });
    assert.equal(presenceOf(state({ state: 'WORK' }), undefined, labels).state, 'wrap-up');
    assert.equal(presenceOf(state({ state: 'work_ready' }), undefined, labels).state, 'wrap-up');
    assert.deepEqual(presenceOf(state({ state: 'LOGOUT', reasonCode: null }), undefined, labels), { state: 'offline', label: 'LOGOUT' });
  });

  it('RESERVED and TALKING keep the presence the agent had, labelled with the raw state', () => {
    assert.deepEqual(presenceOf(state({ state: 'RESERVED' }), 'ready', labels), { state: 'ready', label: 'RESERVED' });
    assert.deepEqual(presenceOf(state({ state: 'TALKING' }), 'not-ready', labels), { state: 'not-ready', label: 'TALKING' });
    assert.equal(presenceOf(state({ state: 'TALKING' }), undefined, labels).state, 'ready');
  });

  it('reason codes: not-ready ones with not-ready, logout ones with offline, codes as strings; labels for system codes', () => {
    assert.deepEqual(
      reasonsOf({ notReady: [{ code: 1, label: 'Break' }], logout: [{ code: '20', label: 'End of shift' }] }).map(({ code, label, state }) => ({ code, label, state })),
      [
        { code: '1', label: 'Break', state: 'not-ready' },
        { code: '20', label: 'End of shift', state: 'offline' },
      ],
    );
    assert.equal(reasonLabel(32758, new Map()), 'Work timer expired (AGT_WORK_TIMER_EXP)');
    assert.equal(reasonLabel('77', new Map()), '77');
    assert.equal(reasonLabel(null, new Map()), undefined);
  });
});

describe('UCCX capabilities', () => {
  it('the commands named in getCapabilities, trimmed and in any case, decide what the desk offers', () => {
    const caps = capabilitiesOf({ ' conversation.Answer ': true, 'conversation.release': 'true', 'conversation.hold': false, 'session.makeCall': 0, 'session.changeState': 'yes' });
    assert.deepEqual(caps, {
      ...{ answer: true, release: true, hold: false, retrieve: false, makeCall: false, changeState: true },
      ...{ consult: false, transfer: false, conference: false, singleStepTransfer: false, sendDtmf: false, wrapUpReasons: false },
    });
  });
  it('call work is offered only where its key says so; absent is not offered (VENDOR-NOTES, "Call work")', () => {
    const caps = capabilitiesOf({ consult: true, transfer: 'true', conference: false, singleStepTransfer: 1, sendDtmf: true, 'conversation.answer': true });
    assert.deepEqual(
      [caps.consult, caps.transfer, caps.conference, caps.singleStepTransfer, caps.sendDtmf, caps.wrapUpReasons],
      [true, true, false, true, true, false],
    );
    assert.deepEqual(callWorkOf(caps, true), ['consult', 'blindTransfer', 'transfer', 'sendDtmf'], 'no cancel without release and retrieve, no reasons without the key');
    const all = capabilitiesOf({ consult: true, transfer: true, conference: true, singleStepTransfer: true, sendDtmf: true, wrapUpReasons: true });
    assert.deepEqual(callWorkOf(all, true), ['consult', 'blindTransfer', 'transfer', 'conference', 'cancelConsult', 'sendDtmf', 'setWrapUpReason']);
    assert.ok(!callWorkOf(all, false).includes('setWrapUpReason'), 'no reasons to choose from: no wrap-up reason');
    assert.deepEqual(callWorkOf(ALL_CAPABILITIES, true), [], 'a server that names no call work offers none');
  });
  it('an answer that names none of the commands takes nothing away', () => {
    assert.deepEqual(capabilitiesOf({ multimedia: true }), ALL_CAPABILITIES);
    assert.deepEqual(capabilitiesOf(undefined), ALL_CAPABILITIES);
  });
});

describe('UCCX calls → desk calls', () => {
  const alerting = interaction({
    'interaction-id': 'i1',
    'interaction-state': 'ALERTING',
    'interaction-data': { ani: '+14155550100', dnis: '8005550199', callVariables: { Account: 'A-7', Priority: 2, Tags: ['vip'] } },
    conversations: { primary: { id: 'c1' } },
  });

  it('one call per interaction: ringing, answered, held, retrieved, ended; ANI, DNIS and call variables as attached data', () => {
    const book = new CallBook();
    const [ringing] = book.interaction('alerting', alerting);
    assert.deepEqual(ringing, {
      id: 'i1',
      legId: 'c1',
      direction: 'inbound',
      state: 'ringing',
      actions: ['answer'],
      caller: '+14155550100',
      target: '8005550199',
      userData: { ANI: '+14155550100', DNIS: '8005550199', Account: 'A-7', Priority: '2', Tags: '["vip"]' },
    });
    assert.deepEqual(book.conversationOf('i1'), { interactionId: 'i1', conversationId: 'c1' });
    assert.equal(book.conversation('c1', 'ACTIVE')[0]?.state, 'connected');
    const held = book.conversation('c1', 'HELD')[0]!;
    assert.deepEqual([held.state, held.actions], ['held', ['retrieve', 'hangup']]);
    assert.deepEqual(book.conversation('c1', 'ACTIVE')[0]?.actions, ['hangup', 'hold']);
    const ended = book.conversation('c1', 'DROPPED');
    assert.equal(ended[0]?.state, 'ended');
    assert.equal(book.conversationOf('i1'), undefined, 'an ended call is forgotten');
    assert.deepEqual(book.interaction('ended', interaction({ 'interaction-id': 'i1' })), [{ id: 'i1', state: 'ended', actions: [] }]);
  });

  it('a dialled call is outbound and dialing until it starts', () => {
    const book = new CallBook();
    const [dialing] = book.interaction('dialing', interaction({ 'interaction-id': 'o1', 'interaction-data': { dnis: '5551234' }, conversations: { primary: { id: 'oc1' } } }));
    assert.deepEqual([dialing?.direction, dialing?.state, dialing?.actions, dialing?.target], ['outbound', 'dialing', ['hangup'], '5551234']);
    const [started] = book.interaction('started', interaction({ 'interaction-id': 'o1', conversations: { primary: { id: 'oc1' } } }));
    assert.equal(started?.state, 'connected');
  });

  it('the consult leg is shown as such, next to the customer’s leg, and ends on its own', () => {
    const book = new CallBook();
    book.interaction('alerting', alerting);
    book.conversation('c1', 'ACTIVE');
    book.conversation('c1', 'HELD');
    const patches = book.interaction('dialing', interaction({ 'interaction-id': 'i1', conversations: { primary: { id: 'c1' }, consult: { id: 'k1' } } }));
    const consult = patches.find((p) => p.id === 'i1:consult')!;
    const primary = patches.find((p) => p.id === 'i1')!;
    assert.deepEqual([consult.direction, consult.state, consult.legId], ['consult', 'dialing', 'k1']);
    assert.equal(primary.state, 'held', 'the customer stays on hold');
    assert.equal(book.conversation('k1', 'ACTIVE')[0]?.state, 'connected');
    assert.deepEqual(book.conversationOf('i1:consult'), { interactionId: 'i1', conversationId: 'k1' });
    assert.equal(book.conversation('k1', 'DROPPED')[0]?.state, 'ended');
    assert.deepEqual(book.conversationOf('i1'), { interactionId: 'i1', conversationId: 'c1' }, 'the customer’s leg lives on');
  });

  it('a conversation not yet known is found through its target path', () => {
    const book = new CallBook();
    book.interaction('alerting', interaction({ 'interaction-id': 'i2' }));
    const [patch] = book.conversation('c9', 'ACTIVE', 'session-1.i2.c9');
    assert.deepEqual([patch?.id, patch?.state, patch?.legId], ['i2', 'connected', 'c9']);
    assert.deepEqual(book.conversation('zz', 'ACTIVE', 'session-1.unknown.zz'), []);
  });

  it('capabilities limit the actions, also of calls already on the desk', () => {
    const book = new CallBook();
    book.interaction('alerting', alerting);
    const updated = book.setCapabilities({ ...ALL_CAPABILITIES, answer: false });
    assert.deepEqual(updated, [{ id: 'i1', actions: [] }]);
    assert.deepEqual(book.conversation('c1', 'ACTIVE')[0]?.actions, ['hangup', 'hold']);
  });

  it('call work: consult, blind transfer and digits on a connected call; cancel, transfer, conference and digits on the answered consultation', () => {
    const caps = capabilitiesOf({ consult: true, transfer: true, conference: true, singleStepTransfer: true, sendDtmf: true, wrapUpReasons: true });
    const book = new CallBook(caps);
    book.interaction('alerting', alerting);
    assert.deepEqual(book.conversation('c1', 'ACTIVE')[0]?.actions, ['hangup', 'hold', 'consult', 'blindTransfer', 'sendDtmf']);
    assert.deepEqual(book.conversation('c1', 'HELD')[0]?.actions, ['retrieve', 'hangup'], 'a held call takes no call work');
    const patches = book.interaction('dialing', interaction({ 'interaction-id': 'i1', conversations: { primary: { id: 'c1' }, consult: { id: 'k1' } } }));
    const consult = patches.find((p) => p.id === 'i1:consult')!;
    assert.deepEqual([consult.consultOf, consult.actions], ['i1', ['hangup', 'cancelConsult']], 'the consultation names its original; ringing, it can only be cancelled');
    assert.deepEqual(book.conversation('k1', 'ACTIVE')[0]?.actions, ['hangup', 'hold', 'transfer', 'conference', 'cancelConsult', 'sendDtmf']);
    // The primary, retrieved while the consultation runs, offers no second consultation.
    assert.deepEqual(book.conversation('c1', 'ACTIVE')[0]?.actions, ['hangup', 'hold']);
    const [dropped, primary] = book.conversation('k1', 'DROPPED');
    assert.equal(dropped?.state, 'ended');
    assert.deepEqual(primary, { id: 'i1', actions: ['hangup', 'hold', 'consult', 'blindTransfer', 'sendDtmf'] }, 'the consultation over, the call offers call work again');
  });

  it('a conference lists its parties: the caller, the colleague, the agent (by its agent id)', () => {
    const book = new CallBook(ALL_CAPABILITIES, '1001');
    book.interaction('alerting', alerting);
    const participants = [
      { id: 'p1', number: '+14155550100', type: 'CUSTOMER' },
      { id: 'p2', address: '2002', name: 'Bob', type: 'AGENT' },
      { number: '1001', type: 'AGENT', 'agent-id': '1001' },
    ];
    const [patch] = book.interaction('started', interaction({ 'interaction-id': 'i1', 'interaction-data': { participants }, conversations: { primary: { id: 'c1' } } }));
    assert.deepEqual(patch?.parties, [
      { id: 'p1', number: '+14155550100', role: 'customer' },
      { id: 'p2', name: 'Bob', number: '2002', role: 'colleague' },
      { id: '2:1001', number: '1001', role: 'agent' },
    ]);
    const [two] = book.interaction('started', interaction({ 'interaction-id': 'i1', 'interaction-data': { participants: ['+1415', '1001'] }, conversations: { primary: { id: 'c1' } } }));
    assert.equal(two?.parties, undefined, 'two parties are no conference');
  });

  it('wrap-up reasons: codes as strings, sent back as UCCX gave them; a repeated code once, an empty label shows the code', () => {
    assert.deepEqual(
      wrapUpReasonsOf({ wrapUp: [{ code: 101, label: ' Sale made ' }, { code: 'X', label: '' }, { code: '101', label: 'again' }] }),
      [
        { code: '101', label: 'Sale made', wire: 101 },
        { code: 'X', label: 'X', wire: 'X' },
      ],
    );
    assert.deepEqual(wrapUpReasonsOf({}), []);
  });

  it('session.getState’s interactions re-sync the desk’s calls', () => {
    const book = new CallBook();
    book.interaction('alerting', alerting);
    const calls = book.sync([interaction({ 'interaction-id': 'i5', 'interaction-state': 'ACTIVE', conversations: { primary: { id: 'c5' } } })]);
    assert.deepEqual(
      calls.map((c) => [c.id, c.state]),
      [['i5', 'connected']],
    );
    assert.equal(book.conversationOf('i1'), undefined);
  });
});

describe('UCCX team status → desk team', () => {
  const team = (teamName: string, members?: Array<Record<string, unknown>>) =>
    teamStatusDataSchema.parse({ agentId: '1001', team: { teamId: 't1', teamName, ...(members ? { members } : {}) } });

  it('folds a team’s members, their changes (several at once), a rename and removals', () => {
    const book = new TeamBook(new Map([['2', 'Lunch']]));
    const added = book.apply(
      'report.teamstatus.teamadded',
      team('North', [
        { memberId: 'a', memberType: 'Agent', memberName: 'Ann', status: 'ready', reason: '' },
        { memberId: 'b', memberType: 'TeamLead', memberName: 'Bob', status: 'not_ready', reason: '2' },
      ]),
      '2026-11-21T08:00:00.000Z',
    );
    assert.deepEqual(
      added.map((c) => (c.type === 'team' ? [c.member.id, c.member.group, c.member.role, c.member.presence.state, c.member.presence.reason, c.member.presence.since] : [])),
      [
        ['a', 'North', 'agent', 'ready', undefined, undefined],
        ['b', 'North', 'team-lead', 'not-ready', 'Lunch', undefined],
      ],
    );
    const changed = book.apply(
      'report.teamstatus.memberstatuschanged',
      team('North', [
        { memberId: 'a', status: 'ACW' },
        { memberId: 'b', status: 'ready', reason: '' },
      ]),
      '2026-11-21T08:05:00.000Z',
    );
    assert.deepEqual(
      changed.map((c) => (c.type === 'team' ? [c.member.id, c.member.name, c.member.presence.state, c.member.presence.label, c.member.presence.since] : [])),
      [
        ['a', 'Ann', 'wrap-up', 'ACW', '2026-11-21T08:05:00.000Z'],
        ['b', 'Bob', 'ready', 'ready', '2026-11-21T08:05:00.000Z'],
      ],
    );
    const same = book.apply('report.teamstatus.memberstatuschanged', team('North', [{ memberId: 'a', status: 'ACW' }]), '2026-11-21T08:09:00.000Z');
    assert.equal(same[0]?.type === 'team' && same[0].member.presence.since, '2026-11-21T08:05:00.000Z', 'time in status counts from the change, not the repeat');
    const renamed = book.apply('report.teamstatus.teamchanged', team('North East'), '2026-11-21T08:10:00.000Z');
    assert.deepEqual(
      renamed.map((c) => c.type === 'team' && c.member.group),
      ['North East', 'North East'],
    );
    assert.deepEqual(book.apply('report.teamstatus.memberremoved', team('North East', [{ memberId: 'a' }]), ''), [{ type: 'team.remove', memberId: 'a' }]);
    assert.deepEqual(book.apply('report.teamstatus.teamremoved', team('North East'), ''), [{ type: 'team.remove', memberId: 'b' }]);
    assert.deepEqual(book.all(), []);
  });

  it('member types and statuses read leniently', () => {
    assert.deepEqual([roleOf('Agent'), roleOf('Supervisor'), roleOf('TeamLead'), roleOf('team_lead'), roleOf('x')], ['agent', 'supervisor', 'team-lead', 'team-lead', undefined]);
    assert.deepEqual(memberStateOf('NOT_READY'), { state: 'not-ready', onCall: false });
    assert.deepEqual(memberStateOf('acw'), { state: 'wrap-up', onCall: false });
    assert.deepEqual(memberStateOf('Talking'), { state: 'ready', onCall: true });
    assert.deepEqual(memberStateOf('Logout'), { state: 'offline', onCall: false });
  });
});

describe('call journey durations ("<formatted time value>")', () => {
  it('reads HH:MM:SS, MM:SS, seconds, ISO-8601 and 1h 2m 3s; nothing from words', () => {
    assert.deepEqual(
      ['00:01:05', '1:05', '65', 'PT1M5S', '1m 5s', '2h', '<formatted time value>', ''].map(durationSecOf),
      [65, 65, 65, 65, 65, 7200, undefined, undefined],
    );
  });
});
