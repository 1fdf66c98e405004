/**
 * Golden: the UCCX call work contract (VENDOR-NOTES.md, "Call work beyond answer and hang-up",
 * OpenMethods: the commands, bodies and targets [I]) — every resource request the connector sends
 * for a desk command, pinned as the whole DCP envelope; the answers and events it reads (the notes'
 * `{wrapUp: [{code, label}]}`, `interaction-data.participants[]`, the `consult` conversation) with
 * the desk events they must become; and the document's own failure block, verbatim, shown on the
 * call in UCCX's words. The simulator's bodies are read with the same schemas.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { CallWorkAction } from '../../common/model.js';
import { CommandError, type ConnectorCommand, type ConnectorContext } from '../../main/desk/port.js';
import { createLogger } from '../../main/log.js';
import {
  UCCX_CALL_WORK,
  cancelRequests,
  completeRequest,
  consultRequest,
  dtmfRequest,
  singleStepTransferRequest,
  wrapUpReasonRequest,
} from '../../main/vendors/openmethods/call-work.js';
import { DcpClient } from '../../main/vendors/openmethods/dcp.js';
import { UccxFold } from '../../main/vendors/openmethods/fold.js';
import { capabilitiesOf } from '../../main/vendors/openmethods/normalize.js';
import { wrapUpReasonsSchema } from '../../main/vendors/openmethods/schema.js';
import type { Live } from '../../main/vendors/openmethods/session.js';
import { interactionBody } from '../../main/vendors/openmethods/simulator/payloads.js';
import { materialize, readNotation } from '../fixtures/openmethods/notation.js';

const log = createLogger('silent');
const NOW = '2026-12-05T09:00:00.000Z';
const SESSION = 'sess-1';

/** The notes' capability keys, every one `true` (VENDOR-NOTES, "Call work": capabilities). */
const CALL_WORK_CAPABILITIES = { consult: true, transfer: true, conference: true, singleStepTransfer: true, sendDtmf: true, wrapUpReasons: true };

/** The document's failure block, verbatim from its getCapabilities failure response (placeholders kept). */
function documentFailure(): Record<string, unknown> {
  const text = readFileSync(new URL('../fixtures/openmethods/getCapabilities.failure-response.txt', import.meta.url), 'utf8');
  const body = materialize(readNotation(text), 0, (placeholder) => `<${placeholder}>`) as { failure: Record<string, unknown> };
  return body.failure;
}

/**
 * A live session on a fake wire: every resource request is recorded and answered with `answer`
 * (success with no data unless it says otherwise); the fold holds a call `int-1` (conversation
 * `conv-1`) in the state the events put it in.
 */
function fakeLive(events: Array<[string, Record<string, unknown>]> = [], answer: (request: Record<string, unknown>) => Record<string, unknown> = () => ({ result: 'success', data: {} })) {
  const sent: Array<Record<string, unknown>> = [];
  const fold = new UccxFold(log, '1001');
  const dcp: DcpClient = new DcpClient({
    send(message) {
      sent.push(message);
      queueMicrotask(() => dcp.receive({ messageType: 'resourceResponse', requestId: message.requestId, resourceId: SESSION, command: message.command, ...answer(message) }));
    },
    log,
    timeoutMs: 1_000,
    onEvent: () => undefined,
  });
  fold.calls.setCapabilities(capabilitiesOf({ 'conversation.answer': true, 'conversation.release': true, 'conversation.hold': true, 'conversation.retrieve': true, ...CALL_WORK_CAPABILITIES }));
  const emitted = events.flatMap(([name, data]) => fold.resourceEvent(name, `${SESSION}.int-1`, data, NOW));
  const live = { fold, dcp, resourceId: SESSION, processorId: 'proc', reportId: undefined, capabilities: capabilitiesOf({ 'conversation.release': true, 'conversation.retrieve': true, ...CALL_WORK_CAPABILITIES }) } as unknown as Live;
  const run = async (command: ConnectorCommand): Promise<void> => {
    const handler = UCCX_CALL_WORK[command.type] as (live: Live, command: ConnectorCommand, ctx: ConnectorContext) => Promise<void>;
    await handler(live, command, { emit: () => undefined, log });
  };
  /** The envelopes sent, without their request ids (which are random). */
  const envelopes = () => sent.map(({ requestId: _id, ...rest }) => rest);
  return { live, fold, run, envelopes, emitted };
}

const started = (conversations: Record<string, unknown>, data: Record<string, unknown> = {}) => ({
  'interaction-id': 'int-1',
  'interaction-state': 'ACTIVE',
  'interaction-data': { ani: '+14155550100', dnis: '8005550199', ...data },
  conversations,
});
const ACTIVE_CALL: Array<[string, Record<string, unknown>]> = [['interaction.started', started({ primary: { id: 'conv-1' } })]];
const CONSULTING: Array<[string, Record<string, unknown>]> = [
  ...ACTIVE_CALL,
  ['conversation.stateChanged', { 'conversation-id': 'conv-1', state: 'HELD' }],
  ['interaction.dialing', started({ primary: { id: 'conv-1' }, consult: { id: 'conv-2' } })],
  ['conversation.stateChanged', { 'conversation-id': 'conv-2', state: 'ACTIVE' }],
];

describe('UCCX call work requests (golden)', () => {
  const cases: Array<[string, unknown, unknown]> = [
    [
      'conversation.consult {destination} on the primary conversation',
      consultRequest('sess-1.int-1.conv-1', '2002'),
      { command: 'conversation.consult', target: 'sess-1.int-1.conv-1', data: { destination: '2002' } },
    ],
    [
      'conversation.singleStepTransfer {destination} on the primary conversation',
      singleStepTransferRequest('sess-1.int-1.conv-1', '+358401234567'),
      { command: 'conversation.singleStepTransfer', target: 'sess-1.int-1.conv-1', data: { destination: '+358401234567' } },
    ],
    ['conversation.transfer on the consult conversation', completeRequest('sess-1.int-1.conv-2', 'transfer'), { command: 'conversation.transfer', target: 'sess-1.int-1.conv-2', data: {} }],
    ['conversation.conference on the consult conversation', completeRequest('sess-1.int-1.conv-2', 'conference'), { command: 'conversation.conference', target: 'sess-1.int-1.conv-2', data: {} }],
    [
      'cancelling: conversation.release on the consult, then conversation.retrieve on the primary',
      cancelRequests('sess-1.int-1.conv-2', 'sess-1.int-1.conv-1'),
      [
        { command: 'conversation.release', target: 'sess-1.int-1.conv-2', data: {} },
        { command: 'conversation.retrieve', target: 'sess-1.int-1.conv-1', data: {} },
      ],
    ],
    ['conversation.sendDtmf {digits}', dtmfRequest('sess-1.int-1.conv-1', '12*#'), { command: 'conversation.sendDtmf', target: 'sess-1.int-1.conv-1', data: { digits: '12*#' } }],
    [
      'interaction.setWrapUpReason {reasonCode} on <session>.<interaction>, the code as UCCX gave it',
      wrapUpReasonRequest('sess-1', 'int-1', 101),
      { command: 'interaction.setWrapUpReason', target: 'sess-1.int-1', data: { reasonCode: 101 } },
    ],
  ];
  for (const [name, actual, expected] of cases) {
    it(name, () => assert.deepEqual(actual, expected));
  }
});

describe('UCCX call work: what goes on the wire for each desk command (golden)', () => {
  const envelope = (command: string, target: string, data: Record<string, unknown> = {}) => ({ messageType: 'resourceRequest', resourceId: SESSION, command, target, data });

  it('consult, blind transfer and digits on a connected call', async () => {
    const { run, envelopes } = fakeLive(ACTIVE_CALL);
    await run({ type: 'call.consult', callId: 'int-1', destination: '2002', purpose: 'transfer' });
    await run({ type: 'call.dtmf', callId: 'int-1', digits: '123#' });
    await run({ type: 'call.blindTransfer', callId: 'int-1', destination: '2003' });
    assert.deepEqual(envelopes(), [
      envelope('conversation.consult', 'sess-1.int-1.conv-1', { destination: '2002' }),
      envelope('conversation.sendDtmf', 'sess-1.int-1.conv-1', { digits: '123#' }),
      envelope('conversation.singleStepTransfer', 'sess-1.int-1.conv-1', { destination: '2003' }),
    ]);
  });

  it('transfer and conference on the consult conversation; cancel releases it, then retrieves the held caller', async () => {
    const transfer = fakeLive(CONSULTING);
    await transfer.run({ type: 'call.completeConsult', consultId: 'int-1:consult', originalId: 'int-1', as: 'transfer' });
    await transfer.run({ type: 'call.completeConsult', consultId: 'int-1:consult', originalId: 'int-1', as: 'conference' });
    assert.deepEqual(transfer.envelopes(), [envelope('conversation.transfer', 'sess-1.int-1.conv-2'), envelope('conversation.conference', 'sess-1.int-1.conv-2')]);

    const cancel = fakeLive(CONSULTING, (request) => {
      // UCCX drops the consult conversation before it answers the release.
      if (request.command === 'conversation.release') cancel.fold.resourceEvent('conversation.stateChanged', undefined, { 'conversation-id': 'conv-2', state: 'DROPPED' }, NOW);
      return { result: 'success', data: {} };
    });
    await cancel.run({ type: 'call.cancelConsult', consultId: 'int-1:consult', originalId: 'int-1' });
    assert.deepEqual(cancel.envelopes(), [envelope('conversation.release', 'sess-1.int-1.conv-2'), envelope('conversation.retrieve', 'sess-1.int-1.conv-1')]);
  });

  it('a wrap-up reason goes on the ended call’s interaction with the code as session.getWrapUpReasons gave it', async () => {
    const { run, envelopes, fold } = fakeLive();
    fold.setWrapUpReasons(wrapUpReasonsSchema.parse({ wrapUp: [{ code: 101, label: 'Sale made' }] }), false);
    await run({ type: 'call.wrapUpReason', callId: 'int-1', reason: { code: '101', label: 'Sale made' } });
    assert.deepEqual(envelopes(), [envelope('interaction.setWrapUpReason', 'sess-1.int-1', { reasonCode: 101 })]);
  });

  it('the document’s failure block, verbatim, is shown in UCCX’s words', async () => {
    const failure = documentFailure();
    assert.deepEqual(failure, { code: '<error-code-for-failure>', message: '<error-message>', context: '<stack-trace-if-applicable>' });
    const { run } = fakeLive(ACTIVE_CALL, () => ({ result: 'failure', failure }));
    await assert.rejects(run({ type: 'call.consult', callId: 'int-1', destination: '2002', purpose: 'conference' }), (error: unknown) => {
      assert.ok(error instanceof CommandError);
      assert.equal(error.message, 'The consultation did not start: <error-message>');
      return true;
    });
  });

  it('the notes’ wrap-up refusal (wrapup.notAllowed) reads as UCCX wrote it', async () => {
    const { run, fold } = fakeLive([], () => ({ result: 'failure', failure: { code: 'wrapup.notAllowed', message: 'A wrap-up reason can be set only during after-call work for that call' } }));
    fold.setWrapUpReasons({ wrapUp: [{ code: 101, label: 'Sale made' }] }, true);
    await assert.rejects(run({ type: 'call.wrapUpReason', callId: 'int-1', reason: { code: '101', label: 'Sale made' } }), {
      message: 'The wrap-up reason was not saved: A wrap-up reason can be set only during after-call work for that call',
    });
  });
});

describe('UCCX call work answers and events (golden)', () => {
  it('session.getWrapUpReasons {wrapUp: [{code, label}]} → the account’s wrap-up reasons, required as configured', () => {
    const fold = new UccxFold(log);
    const data = wrapUpReasonsSchema.parse({ wrapUp: [{ code: 101, label: 'Sale made' }, { code: 102, label: 'Information given' }] });
    assert.deepEqual(fold.setWrapUpReasons(data, true), [
      {
        type: 'wrapup.reasons',
        reasons: [
          { code: '101', label: 'Sale made' },
          { code: '102', label: 'Information given' },
        ],
        required: true,
      },
    ]);
    assert.deepEqual(fold.setWrapUpReasons({ wrapUp: [] }, true), [{ type: 'wrapup.reasons', reasons: [], required: false }], 'nothing to choose from: nothing required');
  });

  it('the consult conversation → a consultation leg of the caller’s call; answered, it offers transfer, conference, cancel and digits', () => {
    const { emitted } = fakeLive(CONSULTING);
    const calls = emitted.flatMap((e) => (e.type === 'call' ? [e.call] : []));
    const consult = calls.filter((c) => c.id === 'int-1:consult');
    assert.deepEqual(
      consult.map((c) => [c.state, c.consultOf ?? '(kept)', c.actions]),
      [
        ['dialing', 'int-1', ['hangup', 'cancelConsult']],
        ['connected', 'int-1', ['hangup', 'hold', 'transfer', 'conference', 'cancelConsult', 'sendDtmf']],
      ],
    );
    const primary = calls.filter((c) => c.id === 'int-1').at(-1);
    assert.deepEqual([primary?.state, primary?.actions], ['held', ['retrieve', 'hangup']]);
  });

  it('interaction-data.participants[] of a conference → the call’s parties; the simulator’s body reads the same', () => {
    const participants = [
      { id: 'int-1-caller', number: '+14155550100', type: 'CUSTOMER' },
      { id: 'int-1-consulted', number: '2002', type: 'AGENT' },
      { id: 'int-1-agent', number: '1001', name: 'Alex Agent', type: 'AGENT', 'agent-id': '1001' },
    ];
    const { emitted } = fakeLive([['interaction.started', started({ primary: { id: 'conv-1' } }, { participants })]]);
    const expected = [
      { id: 'int-1-caller', number: '+14155550100', role: 'customer' },
      { id: 'int-1-consulted', number: '2002', role: 'colleague' },
      { id: 'int-1-agent', name: 'Alex Agent', number: '1001', role: 'agent' },
    ];
    const call = emitted.find((e) => e.type === 'call');
    assert.ok(call?.type === 'call');
    assert.deepEqual(call.call.parties, expected);
    const simulated = interactionBody({
      id: 'int-1',
      direction: 'inbound',
      state: 'ACTIVE',
      ani: '+14155550100',
      dnis: '8005550199',
      callVariables: {},
      primary: { id: 'conv-1', state: 'ACTIVE' },
      participants: participants as never,
      startedAt: 0,
    });
    const fromSim = new UccxFold(log, '1001').resourceEvent('interaction.started', undefined, simulated, NOW).find((e) => e.type === 'call');
    assert.ok(fromSim?.type === 'call');
    assert.deepEqual(fromSim.call.parties, expected);
  });

  it('a server that names no call work in getCapabilities offers none of it (absent = not offered)', () => {
    const caps = capabilitiesOf({ 'conversation.answer': true, 'conversation.release': true });
    const none: CallWorkAction[] = [];
    assert.deepEqual(
      (['consult', 'transfer', 'conference', 'singleStepTransfer', 'sendDtmf', 'wrapUpReasons'] as const).filter((key) => caps[key]),
      none,
    );
  });
});
