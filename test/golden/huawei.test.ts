/**
 * Golden test: the example response of the vendor document
 * (`vendor-docs/huawei-cec-click-to-dial-events.txt`, "Obtaining Click-to-Dial Events", Example →
 * Response), verbatim in `test/fixtures/huawei/getClickToCallEvents.example.json`, read by the
 * connector's own schema and mapping and folded by the desk's store into the call the agent sees.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { initialState, reduce } from '../../main/desk/store.js';
import { callPatchFor, classifyEvents, placedPatch, type PlacedCall } from '../../main/vendors/huawei/normalize.js';
import { eventsSchema } from '../../main/vendors/huawei/schema.js';
import { DOCUMENT_CONNECTED_EXAMPLE } from '../../main/vendors/huawei/simulator/index.js';

const EXAMPLE = readFileSync(new URL('../fixtures/huawei/getClickToCallEvents.example.json', import.meta.url), 'utf8');

describe('Huawei CEC document example', () => {
  it('is what the simulator serves as the document’s example, byte for byte', () => {
    assert.equal(DOCUMENT_CONNECTED_EXAMPLE, EXAMPLE);
  });

  it('reads as "Call connected" with the WebRTC gateway, the access code and the caller', () => {
    const answer = eventsSchema.parse(JSON.parse(EXAMPLE));
    assert.equal(answer.resultCode, '0');
    assert.equal(answer.eventId, '168101', 'eventId arrives as a number');
    assert.deepEqual(classifyEvents(answer), { kind: 'connected', accessCode: 'xxxx', caller: 'xxx', domain: 'xxx', gateways: ['xxx'] });
  });

  it('puts the placed call connected on the desk, showing the access code and the caller', () => {
    const call: PlacedCall = { id: 'ctd-1', number: '+358401234567', media: 'voice', userData: { Media: 'Voice' } };
    const at = '2026-11-20T09:00:00.000Z';
    let state = initialState([{ id: 'cec', vendor: 'huawei', label: 'CEC', demo: false, presenceOptions: [], canDial: true, callControl: true }], at);
    state = reduce(state, { type: 'call', call: placedPatch(call), accountId: 'cec', at });
    const patch = callPatchFor(classifyEvents(eventsSchema.parse(JSON.parse(EXAMPLE))), call);
    assert.ok(patch, 'the example changes the call');
    state = reduce(state, { type: 'call', call: patch, accountId: 'cec', at: '2026-11-20T09:00:05.000Z' });
    const shown = state.calls['cec/ctd-1'];
    assert.equal(shown?.state, 'connected');
    assert.equal(shown?.direction, 'outbound');
    assert.equal(shown?.target, '+358401234567');
    assert.equal(shown?.caller, 'xxx');
    assert.deepEqual(shown?.userData, { Media: 'Voice', 'Access code': 'xxxx', 'Calling number': 'xxx' });
    assert.deepEqual(shown?.actions, ['hangup']);
    assert.equal(shown?.connectedAt, '2026-11-20T09:00:05.000Z');
  });
});
