/**
 * Golden: the Genesys call work contract (VENDOR-NOTES.md, "Call work beyond answer and hang-up",
 * Genesys: operation names [C], bodies [I]) — every request body the connector sends, pinned as
 * JSON, and every new notification body the connector reads, with the desk events it must become.
 * The simulator's own notifications are checked against the same shapes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  blindTransferOperation,
  cancelOperations,
  completeOperation,
  consultOperation,
  dispositionOperation,
  dtmfOperation,
} from '../../main/vendors/genesys/call-work.js';
import { parseGenesysMessage, routeNotification } from '../../main/vendors/genesys/normalize.js';
import { callStateChange, type SimCall } from '../../main/vendors/genesys/simulator/payloads.js';

const NOW = '2026-12-05T09:00:00.000Z';
const AGENT = '5001';

function route(body: unknown): unknown {
  const parsed = parseGenesysMessage(body);
  assert.ok(parsed.ok, `parses: ${JSON.stringify(parsed)}`);
  return routeNotification(parsed.message, NOW, AGENT);
}

describe('Genesys call work requests (golden)', () => {
  const cases: Array<[string, unknown, unknown]> = [
    [
      'InitiateTransfer on the original call',
      consultOperation('CALL-1', '5002', 'transfer'),
      { callId: 'CALL-1', body: { operationName: 'InitiateTransfer', destination: { phoneNumber: '5002' } } },
    ],
    [
      'InitiateConference on the original call',
      consultOperation('CALL-1', '+358401234567', 'conference'),
      { callId: 'CALL-1', body: { operationName: 'InitiateConference', destination: { phoneNumber: '+358401234567' } } },
    ],
    [
      'SingleStepTransfer on the call',
      blindTransferOperation('CALL-1', '5003'),
      { callId: 'CALL-1', body: { operationName: 'SingleStepTransfer', destination: { phoneNumber: '5003' } } },
    ],
    ['CompleteTransfer on the consult call', completeOperation('CALL-2', 'CALL-1', 'transfer'), { callId: 'CALL-2', body: { operationName: 'CompleteTransfer', parentConnId: 'CALL-1' } }],
    [
      'CompleteConference on the consult call',
      completeOperation('CALL-2', 'CALL-1', 'conference'),
      { callId: 'CALL-2', body: { operationName: 'CompleteConference', parentConnId: 'CALL-1' } },
    ],
    ['SendDTMF on the call', dtmfOperation('CALL-1', '12*#'), { callId: 'CALL-1', body: { operationName: 'SendDTMF', dtmfDigits: '12*#' } }],
    [
      'AttachUserData with the disposition under the account’s key',
      dispositionOperation('CALL-1', 'DispositionCode', { code: 'SALE', label: 'Sale made' }),
      { callId: 'CALL-1', body: { operationName: 'AttachUserData', userData: [{ key: 'DispositionCode', type: 'str', value: 'SALE' }] } },
    ],
    [
      'cancelling: Hangup on the consult call, then Retrieve on the original',
      cancelOperations('CALL-2', 'CALL-1'),
      [
        { callId: 'CALL-2', body: { operationName: 'Hangup' } },
        { callId: 'CALL-1', body: { operationName: 'Retrieve' } },
      ],
    ],
  ];
  for (const [name, actual, expected] of cases) {
    it(name, () => assert.deepEqual(actual, expected));
  }
});

describe('Genesys call work notifications (golden)', () => {
  it('a consult call (callType Consult, parentConnId) → a consultation leg of its original, completing or cancelling offered', () => {
    const body = {
      messageType: 'CallStateChangeMessage',
      notificationType: 'StatusChange',
      call: {
        id: 'CALL-2',
        state: 'Established',
        callType: 'Consult',
        parentConnId: 'CALL-1',
        ani: '5001',
        dnis: '5002',
        participants: [{ number: '5002' }],
        capabilities: ['Hangup', 'CompleteTransfer', 'CompleteConference', 'SendDTMF', 'AttachUserData'],
        userData: {},
      },
    };
    assert.deepEqual(route(body), [
      {
        type: 'call',
        call: {
          id: 'CALL-2',
          state: 'connected',
          direction: 'consult',
          caller: '5001',
          target: '5002',
          consultOf: 'CALL-1',
          actions: ['hangup', 'transfer', 'conference', 'sendDtmf', 'cancelConsult'],
          userData: {},
        },
      },
    ]);
  });

  it('an established call offering the call work operations → consult, blind transfer and DTMF', () => {
    const body = {
      messageType: 'CallStateChangeMessage',
      notificationType: 'StatusChange',
      call: {
        id: 'CALL-1',
        state: 'Established',
        callType: 'Inbound',
        ani: '+358401234567',
        dnis: '800',
        capabilities: ['Hangup', 'Hold', 'AttachUserData', 'SendDTMF', 'SingleStepTransfer', 'InitiateTransfer', 'InitiateConference'],
      },
    };
    assert.deepEqual(route(body), [
      {
        type: 'call',
        call: { id: 'CALL-1', state: 'connected', direction: 'inbound', caller: '+358401234567', target: '800', actions: ['hangup', 'hold', 'consult', 'blindTransfer', 'sendDtmf'] },
      },
    ]);
  });

  it('a conference (three participants) → its parties: the caller, the colleague, the agent', () => {
    const body = {
      messageType: 'CallStateChangeMessage',
      notificationType: 'ParticipantsUpdated',
      call: {
        id: 'CALL-1',
        state: 'Established',
        callType: 'Inbound',
        ani: '+358401234567',
        dnis: '800',
        participants: [
          { number: '+358401234567', role: 'RoleOrigination' },
          { number: '5002', role: 'RoleConferenceMember' },
          { number: '5001', role: 'RoleConferenceMember' },
        ],
        capabilities: ['Hangup', 'Hold', 'SendDTMF', 'AttachUserData'],
      },
    };
    assert.deepEqual(route(body), [
      {
        type: 'call',
        call: {
          id: 'CALL-1',
          state: 'connected',
          direction: 'inbound',
          caller: '+358401234567',
          target: '800',
          actions: ['hangup', 'hold', 'sendDtmf'],
          parties: [
            { id: '0:+358401234567', number: '+358401234567', role: 'customer' },
            { id: '1:5002', number: '5002', role: 'colleague' },
            { id: '2:5001', number: '5001', role: 'agent' },
          ],
        },
      },
    ]);
  });

  it('an Error notification on a call → the call’s error, in Genesys’ words', () => {
    const body = {
      messageType: 'CallStateChangeMessage',
      notificationType: 'Error',
      errorMessage: 'Destination 5999 is out of service',
      call: { id: 'CALL-1', state: 'Established', callType: 'Inbound', capabilities: ['Hangup'] },
    };
    assert.deepEqual(route(body), [
      { type: 'call', call: { id: 'CALL-1', state: 'connected', direction: 'inbound', actions: ['hangup'], error: 'Destination 5999 is out of service' } },
    ]);
  });

  it('AttachedDataChanged → the call’s attached data, the disposition among it', () => {
    const body = {
      messageType: 'CallStateChangeMessage',
      notificationType: 'AttachedDataChanged',
      call: { id: 'CALL-1', state: 'Released', callType: 'Inbound', capabilities: ['AttachUserData'], userData: { DispositionCode: 'SALE' } },
    };
    assert.deepEqual(route(body), [
      { type: 'call', call: { id: 'CALL-1', state: 'ended', direction: 'inbound', actions: [], userData: { DispositionCode: 'SALE' }, endReason: 'released' } },
    ]);
  });

  it('the simulator publishes these shapes: a consult call names its parent, a conference its parties, an error its words', () => {
    const consult: SimCall = { id: 'CALL-2', state: 'Established', callType: 'Consult', ani: '5001', dnis: '5002', userData: {}, parentConnId: 'CALL-1', dtmf: '' };
    const published = callStateChange(consult, 'http://sim', 'Error', 'busy') as { call: Record<string, unknown>; errorMessage: string; notificationType: string };
    assert.equal(published.notificationType, 'Error');
    assert.equal(published.errorMessage, 'busy');
    assert.equal(published.call.parentConnId, 'CALL-1');
    assert.equal(published.call.callType, 'Consult');
    assert.deepEqual(published.call.capabilities, ['Hangup', 'CompleteTransfer', 'CompleteConference', 'SendDTMF', 'AttachUserData']);
    const routed = route(published) as Array<{ call: { consultOf?: string; error?: string } }>;
    assert.equal(routed[0]!.call.consultOf, 'CALL-1');
    assert.equal(routed[0]!.call.error, 'busy');
  });
});
