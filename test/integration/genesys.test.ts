/**
 * The Genesys connector through the real CometD client against the simulator: subscribe, chats,
 * calls, presence, re-handshake, CSRF refusal, malformed messages.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Connector } from '../../main/desk/port.js';
import { createGenesysConnector } from '../../main/vendors/genesys/connector.js';
import { startGenesysSimulator, type GenesysSimulator } from '../../main/vendors/genesys/simulator/index.js';
import { accountFor, captureLog, deskHarness, eventually, FAST } from '../fixtures/genesys/harness.js';

describe('Genesys connector against the simulator', () => {
  let sim: GenesysSimulator;
  let connector: Connector;
  let desk: ReturnType<typeof deskHarness>;
  const logs = captureLog('debug');

  before(async () => {
    sim = await startGenesysSimulator({ longPollTimeoutMs: 1_000, operationDelayMs: 5 });
    desk = deskHarness('gen', logs.log);
    connector = createGenesysConnector(accountFor(sim), { password: sim.credentials.password }, FAST);
    connector.start(desk.context);
    await eventually(() => desk.account().connection === 'connected', 'connected');
  });

  after(async () => {
    await connector.stop();
    await sim.close();
  });

  it('logs in, subscribes the four topics and starts one contact-center session', async () => {
    assert.equal(sim.contactCenterSessions, 1);
    assert.deepEqual(sim.operations[0]?.body, { operationName: 'StartContactCenterSession', channels: ['voice', 'chat'] });
    const subs = desk.events.filter((e) => e.type === 'subscriptions');
    assert.ok(subs.length >= 1);
    assert.deepEqual(subs.at(-1), { type: 'subscriptions', issues: [] });
    await eventually(() => desk.account().presence?.state === 'not-ready', 'presence not-ready after login');
  });

  it('keeps one CometD session polling: JSESSIONID and BAYEUX_BROWSER come back from the shared jar', async () => {
    const start = sim.metaConnects;
    await eventually(() => sim.metaConnects >= start + 3, 'three more held long polls');
    assert.equal(sim.handshakes, 1, 'no re-handshake loop (the BAYEUX_BROWSER cookie trap)');
  });

  it('offers, accepts, transcribes, replies to and completes a chat', async () => {
    const chatId = sim.offerChat({ customer: 'Maija', text: 'Hello, my parcel is late' });
    const invited = await eventually(() => desk.chat(chatId)?.state === 'invited' && desk.chat(chatId), 'chat invited');
    assert.deepEqual(invited.actions, ['accept', 'reject']);
    await eventually(() => desk.chat(chatId)?.messages.some((m) => m.text === 'Hello, my parcel is late'), 'first line');
    await assert.rejects(connector.execute({ type: 'chat.send', chatId, text: 'too early' }), /cannot be sent/);
    await connector.execute({ type: 'chat.action', chatId, action: 'accept' });
    await eventually(() => desk.chat(chatId)?.state === 'active', 'chat active');
    assert.ok(desk.chat(chatId)!.actions.includes('send'));
    assert.equal(sim.operations.find((o) => o.operationName === 'Accept')?.body.nickname, 'Alex');
    sim.customerWrites(chatId, 'Order 4471');
    await eventually(() => desk.chat(chatId)?.messages.some((m) => m.text === 'Order 4471'), 'customer line');
    await connector.execute({ type: 'chat.send', chatId, text: 'Let me check that for you.' });
    assert.ok(sim.operations.some((o) => o.operationName === 'SendMessage' && o.body.text === 'Let me check that for you.'));
    await eventually(
      () => desk.chat(chatId)?.messages.some((m) => m.text === 'Let me check that for you.' && m.from.role === 'agent'),
      'agent line echoed over CometD',
    );
    await connector.execute({ type: 'chat.action', chatId, action: 'complete' });
    await eventually(() => desk.chat(chatId)?.state === 'ended', 'chat ended');
    const texts = desk.chat(chatId)!.messages.filter((m) => m.kind === 'text').map((m) => m.text);
    assert.deepEqual(texts, ['Hello, my parcel is late', 'Order 4471', 'Let me check that for you.']);
  });

  it('rings, answers, holds, retrieves and releases a call', async () => {
    const callId = sim.ringCall({ ani: '+4420794600', dnis: '800' });
    const ringing = await eventually(() => desk.call(callId)?.state === 'ringing' && desk.call(callId), 'call ringing');
    assert.equal(ringing.caller, '+4420794600');
    assert.equal(ringing.target, '800');
    assert.deepEqual(ringing.actions, ['answer']);
    await connector.execute({ type: 'call.action', callId, action: 'answer' });
    assert.ok(sim.operations.some((o) => o.path === `/api/v2/me/calls/${callId}` && o.operationName === 'Answer'));
    await eventually(() => desk.call(callId)?.state === 'connected', 'call connected');
    await eventually(() => desk.account().talking === true, 'talking');
    await connector.execute({ type: 'call.action', callId, action: 'hold' });
    await eventually(() => desk.call(callId)?.state === 'held', 'call held');
    await connector.execute({ type: 'call.action', callId, action: 'retrieve' });
    await eventually(() => desk.call(callId)?.state === 'connected', 'call retrieved');
    sim.releaseCall(callId);
    await eventually(() => desk.call(callId)?.state === 'ended', 'call ended');
    await eventually(() => desk.account().talking === false, 'not talking');
  });
});
