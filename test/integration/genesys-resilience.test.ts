/**
 * The Genesys connector's resilience against the simulator: every server-side end of the CometD
 * session heals through a fresh login (re-subscribe, REST re-read, no lost or doubled message, no
 * second contact-center session unless the server ended it), CSRF refusal, wrong credentials,
 * malformed and oversized notifications, presence and dialling, clean stop.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { Connector } from '../../main/desk/port.js';
import { createGenesysConnector } from '../../main/vendors/genesys/connector.js';
import { startGenesysSimulator, type GenesysSimulator } from '../../main/vendors/genesys/simulator/index.js';
import { accountFor, captureLog, deskHarness, eventually, FAST } from '../fixtures/genesys/harness.js';

describe('Genesys connector resilience', () => {
  let sim: GenesysSimulator | undefined;
  let connector: Connector | undefined;

  afterEach(async () => {
    await connector?.stop();
    await sim?.close();
    connector = undefined;
    sim = undefined;
  });

  async function connect(opts: Parameters<typeof startGenesysSimulator>[0] = {}, password?: string) {
    sim = await startGenesysSimulator({ longPollTimeoutMs: 1_000, operationDelayMs: 5, ...opts });
    const logs = captureLog('debug');
    const desk = deskHarness('gen', logs.log);
    connector = createGenesysConnector(accountFor(sim), { password: password ?? sim.credentials.password }, FAST);
    connector.start(desk.context);
    return { sim, desk, logs, connector };
  }

  it('a forgotten CometD session (402): logs in again, re-subscribes, recovers over REST, loses and doubles no message, starts no second session', async () => {
    const { sim, desk, connector } = await connect();
    await eventually(() => desk.account().connection === 'connected', 'connected');
    const chatId = sim.offerChat({ customer: 'Jonas', text: 'one' });
    await eventually(() => desk.chat(chatId)?.state === 'invited', 'invited');
    await connector.execute({ type: 'chat.action', chatId, action: 'accept' });
    await eventually(() => desk.chat(chatId)?.state === 'active', 'active');
    sim.customerWrites(chatId, 'two');
    await eventually(() => desk.chat(chatId)?.messages.some((m) => m.text === 'two'), 'two');
    const handshakesBefore = sim.handshakes;

    sim.forceRehandshake();
    // Written while the client has no session: CometD drops it; REST recovery must bring it.
    sim.customerWrites(chatId, 'three (during the gap)');
    const ringing = sim.ringCall({ ani: '+4930123456' });

    await eventually(() => sim.handshakes > handshakesBefore, 're-handshake');
    await eventually(() => desk.chat(chatId)?.messages.some((m) => m.text === 'three (during the gap)'), 'gap line recovered');
    await eventually(() => desk.call(ringing)?.state === 'ringing', 'ringing call recovered');
    await eventually(() => desk.account().connection === 'connected', 'connected again');

    // The new subscriptions deliver.
    sim.customerWrites(chatId, 'four');
    await eventually(() => desk.chat(chatId)?.messages.some((m) => m.text === 'four'), 'four after re-handshake');
    const texts = desk.chat(chatId)!.messages.filter((m) => m.kind === 'text').map((m) => m.text);
    assert.deepEqual(texts, ['one', 'two', 'three (during the gap)', 'four']);
    assert.equal(sim.contactCenterSessions, 1, 'no second StartContactCenterSession');
    const subscriptionEvents = desk.events.filter((e) => e.type === 'subscriptions');
    assert.ok(subscriptionEvents.length >= 2, 'subscribed again after the re-handshake');
  });

  it('a server-side /meta/disconnect is noticed: reconnecting with a warning, a fresh login, and events flow again', async () => {
    const { sim, desk, logs } = await connect();
    await eventually(() => desk.account().connection === 'connected', 'connected');
    const authentications = sim.authentications;
    const subscriptions = sim.subscriptions;
    const states = desk.events.filter((e) => e.type === 'connection').length;

    sim.disconnectClients();

    await eventually(
      () => desk.events.filter((e) => e.type === 'connection').slice(states).some((e) => e.type === 'connection' && e.state === 'reconnecting'),
      'the account shows reconnecting',
    );
    assert.ok(logs.lines.some((l) => (l.level as number) >= 40), 'a warning was logged');
    await eventually(() => desk.account().connection === 'connected', 'connected again');
    await eventually(() => sim.subscriptions > subscriptions, 'subscribed again');
    assert.ok(sim.authentications > authentications, 'logged in afresh');
    const chatId = sim.offerChat({ customer: 'Lea', text: 'anyone there?' });
    await eventually(() => desk.chat(chatId)?.messages.some((m) => m.text === 'anyone there?'), 'a chat offered afterwards arrives');
    assert.equal(sim.contactCenterSessions, 1, 'no second StartContactCenterSession');
  });

  it('a reconnect that finds the agent logged out elsewhere does not log the agent back in: failed, saying so, until Retry', async () => {
    const { sim, desk } = await connect();
    await eventually(() => desk.account().connection === 'connected', 'connected');
    sim.disconnectClients();
    await eventually(() => sim.subscriptions >= 2 && desk.account().connection === 'connected', 'reconnected');
    assert.equal(sim.contactCenterSessions, 1, 'the agent was still logged in: no second session');

    sim.logAgentOut();
    await eventually(() => desk.account().presence?.state === 'offline', 'the logout is shown');
    sim.disconnectClients();
    await eventually(() => desk.account().connection === 'failed', 'the reconnect found the agent logged out: failed');
    assert.match(desk.account().reason ?? '', /logged out of the Genesys contact center elsewhere.*Retry/);
    assert.equal(sim.contactCenterSessions, 1, 'not logged back in without the agent');
    connector!.retry();
    await eventually(() => sim.contactCenterSessions === 2, 'Retry (the agent’s yes) started the session again');
    await eventually(() => desk.account().presence?.state === 'not-ready', 'back in the contact center');
  });

  it("takes the server's advice.interval on an ended session as its Retry-After: no login sooner", async () => {
    const { sim, desk } = await connect();
    await eventually(() => desk.account().connection === 'connected', 'connected');
    const logins = sim.authentications;
    const endedAt = Date.now();
    sim.refuseReconnect(1_500);
    await eventually(() => sim.authentications > logins, 'a new login', 10_000);
    const login = sim.requests.filter((r) => r.path.startsWith('/api/v2/me?')).at(-1)!;
    assert.ok((login.at ?? 0) - endedAt >= 1_500, `the login came ${(login.at ?? 0) - endedAt} ms after the session ended, not before 1 500 ms (the backoff alone is 50 ms)`);
    await eventually(() => desk.account().connection === 'connected', 'connected again');
  });

  it('a second forced re-handshake and a server-side chat end are recovered too', async () => {
    const { sim, desk } = await connect();
    await eventually(() => desk.account().connection === 'connected', 'connected');
    const chatId = sim.offerChat({ customer: 'Priya', text: 'hello' });
    await eventually(() => desk.chat(chatId), 'chat');
    sim.forceRehandshake();
    sim.endChat(chatId);
    await eventually(() => desk.chat(chatId)?.state === 'ended', 'chat ended (from the event or the sync)');
    sim.forceRehandshake();
    const later = sim.offerChat({ customer: 'Tom', text: 'still there?' });
    await eventually(() => desk.chat(later)?.messages.some((m) => m.text === 'still there?'), 'new chat after two re-handshakes');
    assert.equal(sim.contactCenterSessions, 1);
  });

  it('an expired HTTP session (handshake denied) logs in again from scratch, without a second contact-center session', async () => {
    const { sim, desk } = await connect();
    await eventually(() => desk.account().connection === 'connected', 'connected');
    const chatId = sim.offerChat({ customer: 'Kenji', text: 'before' });
    await eventually(() => desk.chat(chatId)?.messages.some((m) => m.text === 'before'), 'before');
    const handshakes = sim.handshakes;
    sim.expireHttpSessions();
    sim.customerWrites(chatId, 'while logged out');
    await eventually(() => sim.handshakes > handshakes, 'a new handshake with a new JSESSIONID');
    await eventually(() => desk.chat(chatId)?.messages.some((m) => m.text === 'while logged out'), 'recovered line');
    await eventually(() => desk.account().connection === 'connected', 'connected again');
    sim.customerWrites(chatId, 'after');
    await eventually(() => desk.chat(chatId)?.messages.some((m) => m.text === 'after'), 'after');
    assert.equal(sim.contactCenterSessions, 1);
    assert.deepEqual(
      desk.chat(chatId)!.messages.filter((m) => m.kind === 'text').map((m) => m.text),
      ['before', 'while logged out', 'after'],
    );
  });

  it('a CSRF refusal surfaces as a clear account error', async () => {
    const { desk } = await connect({ csrfHeaderName: 'X-Custom-Csrf' });
    await eventually(() => desk.account().connection === 'connected', 'connected with the announced header name');
    await connector!.stop();
    connector = undefined;

    // A server that demands CSRF but whose token never matches: a proxy strips the header.
    const broken = await startGenesysSimulator({ longPollTimeoutMs: 1_000 });
    try {
      const logs = captureLog('warn');
      const desk2 = deskHarness('gen', logs.log);
      const stripping: typeof fetch = (input, init) => {
        const headers = new Headers(init?.headers);
        headers.delete('X-CSRF-TOKEN');
        return fetch(input, { ...init, headers });
      };
      const c = createGenesysConnector(accountFor(broken), { password: broken.credentials.password }, { ...FAST, tuning: { ...FAST.tuning, fetch: stripping } });
      try {
        c.start(desk2.context);
        const account = await eventually(() => desk2.account().connection === 'failed' && desk2.account(), 'failed');
        assert.match(account.reason ?? '', /CSRF/);
        assert.match(account.reason ?? '', /403/);
      } finally {
        await c.stop();
      }
      assert.equal(broken.contactCenterSessions, 0);
    } finally {
      await broken.close();
    }
  });

  it('wrong credentials fail with an actionable reason and no retry storm', async () => {
    const { desk, sim } = await connect({}, 'wrong-password');
    const account = await eventually(() => desk.account().connection === 'failed' && desk.account(), 'failed');
    assert.match(account.reason ?? '', /user name or password/);
    assert.match(account.reason ?? '', /401/);
    assert.equal(sim.handshakes, 0);
  });

  it('drops a malformed notification with a warning naming it, and lives on', async () => {
    const { sim, desk, logs } = await connect();
    await eventually(() => desk.account().connection === 'connected', 'connected');
    const states = desk.events.filter((e) => e.type === 'connection').length;
    sim.publishRaw('/v2/me/calls', { messageType: 'CallStateChangeMessage', call: { state: 42 } });
    sim.publishRaw('/v2/me/chats', { messageType: 'MessageLogUpdated', notificationType: 'NewMessages', messages: 'nope' });
    sim.publishRaw('/v2/me/chats', { messageType: 'SomethingElseEntirely' });
    await eventually(
      () => logs.lines.filter((l) => l.msg === 'dropped a malformed Genesys notification').length >= 2,
      'two warnings',
    );
    const warning = logs.lines.find((l) => l.msg === 'dropped a malformed Genesys notification')!;
    assert.equal(warning.level, 40);
    assert.equal(warning.messageType, 'CallStateChangeMessage');
    const callId = sim.ringCall({ ani: '+15551234567' });
    await eventually(() => desk.call(callId)?.state === 'ringing', 'still delivering');
    assert.deepEqual(desk.events.filter((e) => e.type === 'connection').slice(states), [], 'the connection never dropped');
  });

  it('drops a notification over the size cap with a warning, keeps the ones beside it, and lives on', async () => {
    const { sim, desk, logs } = await connect();
    await eventually(() => desk.account().connection === 'connected', 'connected');
    const chatId = sim.offerChat({ customer: 'Tom', text: 'first' });
    await eventually(() => desk.chat(chatId)?.messages.some((m) => m.text === 'first'), 'first line');
    const states = desk.events.filter((e) => e.type === 'connection').length;
    sim.publishRaw('/v2/me/chats', {
      messageType: 'MessageLogUpdated',
      notificationType: 'NewMessages',
      messages: [{ index: 99, type: 'Text', text: 'x'.repeat(1_100_000), timestampSeconds: Date.now() }],
      chatUri: `${sim.baseUrl}/api/v2/chats/${chatId}`,
    });
    sim.customerWrites(chatId, 'second');
    await eventually(() => desk.chat(chatId)?.messages.some((m) => m.text === 'second'), 'the next line arrives');
    const warning = logs.lines.find((l) => l.msg === 'dropped an oversized Genesys notification');
    assert.equal(warning?.level, 40);
    assert.equal(warning?.topic, '/v2/me/chats');
    assert.deepEqual(desk.chat(chatId)!.messages.filter((m) => m.kind === 'text').map((m) => m.text), ['first', 'second']);
    assert.deepEqual(desk.events.filter((e) => e.type === 'connection').slice(states), [], 'the connection never dropped');
  });

  it('shows the document examples on the desk when the server publishes them', async () => {
    const { sim, desk } = await connect();
    await eventually(() => desk.account().connection === 'connected', 'connected');
    sim.publishDocumentExamples();
    const chat = await eventually(() => desk.chat('0000Wa9CAM6W00FN')?.messages.length === 2 && desk.chat('0000Wa9CAM6W00FN'), 'both lines');
    assert.deepEqual(chat.messages.map((m) => m.text), ['How may I help you?', 'Are you still there?']);
    assert.deepEqual(desk.chat('0000Wa9CAM6W00J')?.userData, { key1: 'value1', key2: 'value2' });
  });

  it('sets presence on both channels, dials, refuses what capabilities forbid, errors show on the chat', async () => {
    const { sim, desk, connector } = await connect();
    await eventually(() => desk.account().connection === 'connected', 'connected');
    await connector.execute({ type: 'presence.set', state: 'ready' });
    assert.deepEqual(
      sim.operations.filter((o) => o.operationName === 'Ready').map((o) => o.path),
      ['/api/v2/me/channels/voice', '/api/v2/me/channels/chat'],
    );
    await eventually(() => desk.account().presence?.state === 'ready', 'ready');
    await connector.execute({ type: 'presence.set', state: 'wrap-up' });
    await eventually(() => desk.account().presence?.state === 'wrap-up' && desk.account().wrapUp, 'wrap-up');
    await connector.execute({ type: 'presence.set', state: 'not-ready' });
    await eventually(() => desk.account().presence?.state === 'not-ready' && !desk.account().wrapUp, 'not-ready');
    await assert.rejects(connector.execute({ type: 'presence.set', state: 'offline' }), /cannot choose/);

    await connector.execute({ type: 'call.dial', number: '+358401234567' });
    const dial = sim.operations.find((o) => o.operationName === 'Dial')!;
    assert.equal(dial.path, `/api/v2/me/devices/${sim.deviceId}/calls`);
    assert.deepEqual(dial.body.destination, { phoneNumber: '+358401234567' });
    const outbound = await eventually(() => Object.values(desk.state.calls).find((c) => c.target === '+358401234567'), 'outbound call');
    assert.equal(outbound.direction, 'outbound');
    await eventually(() => desk.call(outbound.id)?.state === 'connected', 'outbound connected');
    await assert.rejects(connector.execute({ type: 'call.action', callId: outbound.id, action: 'answer' }), /cannot be answered/);
    await connector.execute({ type: 'call.action', callId: outbound.id, action: 'hangup' });
    await eventually(() => desk.call(outbound.id)?.state === 'ended', 'hung up');

    const chatId = sim.offerChat({ customer: 'Ana' });
    await eventually(() => desk.chat(chatId)?.state === 'invited', 'invited');
    await assert.rejects(connector.execute({ type: 'chat.action', chatId, action: 'complete' }), /cannot be completed/);
    sim.chatError(chatId, 'Accept failed: the chat was taken by another agent');
    await eventually(() => desk.chat(chatId)?.error === 'Accept failed: the chat was taken by another agent', 'error shown');
    await connector.execute({ type: 'chat.action', chatId, action: 'reject' });
    await eventually(() => desk.chat(chatId)?.state === 'ended', 'rejected');
    assert.equal(desk.chat(chatId)?.error, undefined, 'a new action clears the old error');
  });

  it('stop() ends the contact-center session', async () => {
    const { sim, desk, connector } = await connect();
    await eventually(() => desk.account().connection === 'connected', 'connected');
    await connector.stop();
    assert.ok(sim.operations.some((o) => o.operationName === 'EndContactCenterSession'));
    assert.equal(sim.agentState.loggedIn, false);
    assert.equal(desk.account().connection, 'stopped');
  });
});
