/**
 * Call work on UCCX (issue 18) through the desk, the real connector and socket, against the
 * simulator (VENDOR-NOTES.md, "Call work beyond answer and hang-up", OpenMethods, the pinned
 * contract [I]): consult then transfer, consult then cancel (the caller retrieved), a conference of
 * three, a blind transfer, digits reaching the server, a wrap-up reason kept with the call (and
 * required before Ready), and UCCX's refusals shown on the call in its words.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { entityKey, type Call } from '../../common/model.js';
import { DEFAULT_WRAP_UP_REASONS } from '../../main/vendors/openmethods/simulator/contact-center.js';
import { ACCOUNT, eventually, startHarness, type Harness } from '../fixtures/openmethods/harness.js';

describe('UCCX call work through the desk', () => {
  let h: Harness;
  const key = (id: string): string => entityKey(ACCOUNT, id);
  const call = (id: string): Call | undefined => h.state.calls[key(id)];
  const consultLeg = (originalId: string): Call | undefined => Object.values(h.state.calls).find((c) => c.consultOf === originalId);
  const last = (name: string) => h.sent(name).at(-1);

  before(async () => {
    h = await startHarness({ sim: { consultAnswerMs: 40 }, account: { wrapUpRequired: true } });
    await eventually(() => h.account.connection === 'connected', 'connected');
  });

  after(async () => {
    await h?.stop();
  });

  /** A customer call, answered: its id. */
  async function connectedCall(ani: string): Promise<string> {
    const id = h.sim.center.ring({ ani });
    await eventually(() => call(id)?.actions.includes('answer'), 'ringing');
    await h.desk.callAction(key(id), 'answer');
    await eventually(() => call(id)?.state === 'connected' && call(id)!.actions.includes('consult'), 'connected, consult offered');
    return id;
  }

  /** Leaves the after-call work of the last call (a reason given), so the next call starts from Ready. */
  async function leaveWrapUp(): Promise<void> {
    await eventually(() => h.account.wrapUp?.callId !== undefined, 'in wrap-up');
    await h.desk.setWrapUpReason(ACCOUNT, '108');
    await h.desk.setAccountPresence(ACCOUNT, 'ready');
    await eventually(() => h.account.wrapUp === undefined && h.account.presence?.state === 'ready', 'ready again');
  }

  it('offers every call work action, and UCCX’s wrap-up reasons, required as the account says', () => {
    assert.deepEqual(h.account.callWork, ['consult', 'blindTransfer', 'transfer', 'conference', 'cancelConsult', 'sendDtmf', 'setWrapUpReason']);
    assert.deepEqual(
      h.account.wrapUpReasons,
      DEFAULT_WRAP_UP_REASONS.map((r) => ({ code: String(r.code), label: r.label })),
    );
    assert.equal(h.account.wrapUpReasonRequired, true);
  });

  it('consults a colleague, who answers; the transfer completes, both legs end, and the wrap-up reason is kept with the call', async () => {
    const id = await connectedCall('+14155550101');
    await h.desk.consult(key(id), '2002', 'transfer');
    assert.deepEqual(last('conversation.consult')?.data, { destination: '2002' });
    const leg = await eventually(() => consultLeg(id)?.state === 'connected' && consultLeg(id), 'the colleague answered');
    assert.equal(call(id)?.state, 'held', 'the caller waits on hold');
    assert.equal(leg.direction, 'consult');
    assert.deepEqual([leg.target, leg.caller], ['2002', undefined], 'the consultation is with the colleague, not the caller');
    await h.desk.completeConsult(key(id), 'transfer');
    assert.equal(last('conversation.transfer')?.target?.split('.')[2], leg.legId, 'sent on the consult conversation');
    await eventually(() => !call(id) && !call(leg.id), 'both legs ended');
    await eventually(() => h.account.wrapUp?.callId === id, 'wrap-up for the caller’s call, not the consultation');
    await assert.rejects(h.desk.setAccountPresence(ACCOUNT, 'ready'), /wrap-up reason/i);
    await h.desk.setWrapUpReason(ACCOUNT, '101');
    assert.deepEqual(last('interaction.setWrapUpReason'), { data: { reasonCode: 101 }, target: `${h.sim.session()!.resourceId}.${id}` });
    assert.equal(h.sim.center.wrapUpGiven.get(id), 101, 'UCCX has the reason');
    assert.deepEqual(h.state.recentCalls.find((c) => c.id === id)?.wrapUpReason, { code: '101', label: 'Sale made' });
    await h.desk.setAccountPresence(ACCOUNT, 'ready');
    await eventually(() => h.account.wrapUp === undefined, 'wrap-up over');
  });

  it('cancels a consultation: the colleague’s leg ends and the caller is back', async () => {
    const id = await connectedCall('+14155550102');
    await h.desk.consult(key(id), '2003', 'transfer');
    const leg = await eventually(() => consultLeg(id)?.state === 'connected' && consultLeg(id), 'consult answered');
    const before = h.sim.requests.length;
    await h.desk.cancelConsult(key(id));
    assert.deepEqual(
      h.sim.requests.slice(before).map((r) => [r.name, r.target?.split('.')[2]]),
      [
        ['conversation.release', leg.legId],
        ['conversation.retrieve', call(id)?.legId],
      ],
    );
    await eventually(() => call(id)?.state === 'connected' && !call(leg.id) && call(id)!.actions.includes('consult'), 'back with the caller, who can be consulted on again');
    await h.desk.callAction(key(id), 'hangup');
    await leaveWrapUp();
  });

  it('makes a conference of three: one call listing the caller, the colleague and the agent', async () => {
    const id = await connectedCall('+14155550103');
    await h.desk.consult(key(id), '2004', 'conference');
    await eventually(() => consultLeg(id)?.actions.includes('conference'), 'consult answered');
    await h.desk.completeConsult(key(id), 'conference');
    assert.equal(h.sent('conversation.conference').length, 1);
    const conference = await eventually(() => call(id)?.state === 'connected' && call(id)?.parties?.length === 3 && call(id), 'three parties');
    assert.deepEqual(
      conference.parties!.map((p) => [p.number, p.role]),
      [
        ['+14155550103', 'customer'],
        ['2004', 'colleague'],
        [h.sim.center.agent.extension, 'agent'],
      ],
    );
    assert.equal(consultLeg(id), undefined, 'the consultation leg is gone');
    await h.desk.callAction(key(id), 'hangup');
    await leaveWrapUp();
  });

  it('transfers blind: the call ends for the agent at once', async () => {
    const id = await connectedCall('+14155550104');
    await h.desk.blindTransfer(key(id), ' 2005 ');
    assert.deepEqual(last('conversation.singleStepTransfer')?.data, { destination: '2005' });
    await eventually(() => !call(id), 'transferred away');
    await leaveWrapUp();
  });

  it('sends digits, which UCCX receives and the call shows', async () => {
    const id = await connectedCall('+14155550105');
    await h.desk.sendDtmf(key(id), '1234#');
    await h.desk.sendDtmf(key(id), '*9');
    assert.deepEqual(last('conversation.sendDtmf')?.data, { digits: '*9' });
    assert.equal(h.sim.center.dtmf.get(call(id)!.legId!), '1234#*9', 'the digits at the server, in order');
    assert.equal(call(id)?.digitsSent, '1234#*9');
    await h.desk.callAction(key(id), 'hangup');
    await leaveWrapUp();
  });

  it('shows UCCX’s refusal on the call in its words, and clears it on the next attempt', async () => {
    const id = await connectedCall('+14155550106');
    h.sim.refuseNext('conversation.consult', { code: 'consult.failed', message: 'Extension 2999 is busy' });
    await assert.rejects(h.desk.consult(key(id), '2999', 'transfer'), /Extension 2999 is busy/);
    assert.equal(call(id)?.error, 'The consultation did not start: Extension 2999 is busy');
    assert.equal(consultLeg(id), undefined);
    await h.desk.sendDtmf(key(id), '5');
    assert.equal(call(id)?.error, undefined, 'cleared by the next attempt');
    await h.desk.callAction(key(id), 'hangup');
    await eventually(() => h.account.wrapUp?.callId === id, 'in wrap-up');
    h.sim.refuseNext('interaction.setWrapUpReason', { code: 'wrapup.notAllowed', message: 'A wrap-up reason can be set only during after-call work for that call' });
    await assert.rejects(h.desk.setWrapUpReason(ACCOUNT, '102'), /only during after-call work/);
    assert.equal(h.state.recentCalls.find((c) => c.id === id)?.wrapUpReason, undefined, 'a refused reason is not kept');
    await leaveWrapUp();
  });
});
