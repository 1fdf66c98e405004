/**
 * Call work on Genesys (issue 18) through the desk, the real connector and CometD client, against
 * the simulator: consult then transfer, consult then cancel (the caller retrieved), a conference of
 * three, a blind transfer, digits, a disposition attached in wrap-up, and a refusal shown on the
 * call in Genesys' words.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { entityKey, type Call } from '../../common/model.js';
import { Desk } from '../../main/desk/desk.js';
import { createLogger } from '../../main/log.js';
import { createGenesysConnector } from '../../main/vendors/genesys/connector.js';
import { startGenesysSimulator, type GenesysSimulator } from '../../main/vendors/genesys/simulator/index.js';
import { accountFor, eventually, FAST } from '../fixtures/genesys/harness.js';

const ACCOUNT = 'gen';
const DISPOSITIONS = [
  { code: 'SALE', label: 'Sale made' },
  { code: 'INFO', label: 'Information given' },
];

describe('Genesys call work through the desk', () => {
  let sim: GenesysSimulator;
  let desk: Desk;
  const key = (id: string): string => entityKey(ACCOUNT, id);
  const call = (id: string): Call | undefined => desk.state.calls[key(id)];
  const consultLeg = (originalId: string): Call | undefined => Object.values(desk.state.calls).find((c) => c.consultOf === originalId);

  before(async () => {
    sim = await startGenesysSimulator({ longPollTimeoutMs: 1_000, operationDelayMs: 5 });
    const account = accountFor(sim, { dispositions: DISPOSITIONS, wrapUpRequired: true });
    const connector = createGenesysConnector(account, { password: sim.credentials.password }, FAST);
    desk = new Desk({
      accounts: [{ seed: { id: ACCOUNT, vendor: 'genesys', label: 'Genesys', demo: false, presenceOptions: [], callControl: true }, connector }],
      log: createLogger('silent'),
    });
    desk.start();
    await eventually(() => desk.state.accounts[ACCOUNT]!.connection === 'connected', 'connected');
  });

  after(async () => {
    await desk.stop();
    await sim.close();
  });

  /** A customer call, answered: its id. */
  async function connectedCall(ani: string): Promise<string> {
    const id = sim.ringCall({ ani, dnis: '800' });
    await eventually(() => call(id)?.actions.includes('answer'), 'ringing');
    await desk.callAction(key(id), 'answer');
    await eventually(() => call(id)?.state === 'connected' && call(id)!.actions.includes('consult'), 'connected, consult offered');
    return id;
  }

  it('offers every call work action, and the configured wrap-up reasons, required', () => {
    const account = desk.state.accounts[ACCOUNT]!;
    assert.deepEqual(account.callWork, ['consult', 'blindTransfer', 'transfer', 'conference', 'cancelConsult', 'sendDtmf', 'setWrapUpReason']);
    assert.deepEqual(account.wrapUpReasons, DISPOSITIONS);
    assert.equal(account.wrapUpReasonRequired, true);
  });

  it('consults a colleague, who answers; the transfer completes and both calls end for the agent', async () => {
    const id = await connectedCall('+358401111111');
    await desk.consult(key(id), '5002', 'transfer');
    const sent = sim.operations.find((o) => o.path === `/api/v2/me/calls/${id}` && o.operationName === 'InitiateTransfer');
    assert.deepEqual(sent?.body, { operationName: 'InitiateTransfer', destination: { phoneNumber: '5002' } });
    const leg = await eventually(() => consultLeg(id)?.state === 'connected' && consultLeg(id), 'the colleague answered');
    assert.equal(call(id)?.state, 'held');
    assert.equal(leg.target, '5002');
    assert.ok(leg.actions.includes('transfer') && leg.actions.includes('cancelConsult'));
    await desk.completeConsult(key(id), 'transfer');
    assert.deepEqual(sim.operations.at(-1)?.body, { operationName: 'CompleteTransfer', parentConnId: id });
    await eventually(() => !call(id) && !call(leg.id), 'both legs ended');
    assert.equal(sim.call(id)?.state, 'Released');
  });

  it('cancels a consultation: the colleague’s leg ends and the caller is retrieved', async () => {
    const id = await connectedCall('+358402222222');
    await desk.consult(key(id), '5003', 'transfer');
    const leg = await eventually(() => consultLeg(id)?.state === 'connected' && consultLeg(id), 'consult answered');
    await desk.cancelConsult(key(id));
    const names = sim.operations.slice(-2).map((o) => [o.path, o.operationName]);
    assert.deepEqual(names, [
      [`/api/v2/me/calls/${leg.id}`, 'Hangup'],
      [`/api/v2/me/calls/${id}`, 'Retrieve'],
    ]);
    await eventually(() => call(id)?.state === 'connected' && !call(leg.id), 'back with the caller');
    await desk.callAction(key(id), 'hangup');
    await eventually(() => !call(id), 'hung up');
  });

  it('makes a conference of three: one call listing the caller, the colleague and the agent', async () => {
    const id = await connectedCall('+358403333333');
    await desk.consult(key(id), '5004', 'conference');
    assert.equal(sim.operations.at(-1)?.operationName, 'InitiateConference');
    await eventually(() => consultLeg(id)?.actions.includes('conference'), 'consult answered');
    await desk.completeConsult(key(id), 'conference');
    assert.deepEqual(sim.operations.at(-1)?.body, { operationName: 'CompleteConference', parentConnId: id });
    const conference = await eventually(() => call(id)?.state === 'connected' && call(id)?.parties?.length === 3 && call(id), 'three parties');
    assert.deepEqual(
      conference.parties!.map((p) => [p.number, p.role]),
      [
        ['+358403333333', 'customer'],
        ['5004', 'colleague'],
        ['5001', 'agent'],
      ],
    );
    assert.equal(consultLeg(id), undefined, 'the consultation leg is gone');
    await desk.callAction(key(id), 'hangup');
    await eventually(() => !call(id), 'hung up');
  });

  it('transfers blind: the call ends for the agent at once', async () => {
    const id = await connectedCall('+358404444444');
    await desk.blindTransfer(key(id), ' 5005 ');
    assert.deepEqual(sim.operations.at(-1)?.body, { operationName: 'SingleStepTransfer', destination: { phoneNumber: '5005' } });
    await eventually(() => !call(id), 'transferred away');
  });

  it('sends digits, which the server receives and the call shows, and refuses keys that are no digits without asking Genesys', async () => {
    const id = await connectedCall('+358405555555');
    await desk.sendDtmf(key(id), '1234#');
    assert.deepEqual(sim.operations.at(-1)?.body, { operationName: 'SendDTMF', dtmfDigits: '1234#' });
    await eventually(() => sim.call(id)?.dtmf === '1234#', 'digits at the server');
    assert.equal(call(id)?.digitsSent, '1234#');
    const before = sim.operations.length;
    await assert.rejects(desk.sendDtmf(key(id), '12x'), /Only the keys/);
    assert.equal(sim.operations.length, before);
    await desk.callAction(key(id), 'hangup');
    await eventually(() => !call(id), 'hung up');
  });

  it('shows Genesys’ refusal on the call in its words, and clears it on the next attempt', async () => {
    const id = await connectedCall('+358406666666');
    sim.refuseNext('SingleStepTransfer', 'Destination 5999 is out of service');
    await assert.rejects(desk.blindTransfer(key(id), '5999'), /Destination 5999 is out of service/);
    await eventually(() => call(id)?.error?.includes('Destination 5999 is out of service'), 'the refusal on the call');
    await desk.sendDtmf(key(id), '9');
    await eventually(() => call(id)?.error === undefined, 'cleared by the next attempt');
    sim.refuseNext('SendDTMF', 'The media server did not take the digits', 'notification');
    await desk.sendDtmf(key(id), '5');
    await eventually(() => call(id)?.error === 'The media server did not take the digits', 'a refusal arriving later, on the call');
    await desk.callAction(key(id), 'hangup');
    await eventually(() => !call(id), 'hung up');
  });

  it('attaches the chosen disposition to the ended call in wrap-up, and needs one before Ready', async () => {
    const id = await connectedCall('+358407777777');
    await desk.callAction(key(id), 'hangup');
    await eventually(() => !call(id), 'ended');
    sim.setAgentState('AfterCallWork');
    await eventually(() => desk.state.accounts[ACCOUNT]!.wrapUp?.callId === id, 'wrap-up for the call');
    await assert.rejects(desk.setAccountPresence(ACCOUNT, 'ready'), /Choose a wrap-up reason first/);
    await desk.setWrapUpReason(ACCOUNT, 'SALE');
    assert.deepEqual(sim.operations.at(-1)?.body, { operationName: 'AttachUserData', userData: [{ key: 'DispositionCode', type: 'str', value: 'SALE' }] });
    await eventually(() => sim.call(id)?.userData.DispositionCode === 'SALE', 'attached at the server');
    assert.deepEqual(desk.state.recentCalls.find((c) => c.id === id)?.wrapUpReason, { code: 'SALE', label: 'Sale made' });
    await desk.setAccountPresence(ACCOUNT, 'ready');
    await eventually(() => desk.state.accounts[ACCOUNT]!.wrapUp === undefined, 'wrap-up over');
  });
});
