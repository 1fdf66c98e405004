/**
 * The 3C connector through its real `ws` client against the adapter-link simulator: connect frame,
 * `connected3C`, monitoring, presence, the team with busy lamps, calls, instant messages, replies,
 * refused credentials, partial monitoring failures, 1,201 terminals, reconnects, bad frames.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { Closers } from '../support/closers.js';
import { ACCOUNT_ID, COLLEAGUES, eventually, startHarness } from '../fixtures/threec/harness.js';

const closers = new Closers();
afterEach(() => closers.closeAll());

async function connected(options: Parameters<typeof startHarness>[0] = {}) {
  const h = closers.add(await startHarness(options), (x) => x.stop());
  await eventually(() => h.account.connection === 'connected', 'connected');
  return h;
}

describe('3C connector', () => {
  it('connects with the document’s properties, monitors the agent, colleagues and terminals, and shows the team', async () => {
    const h = await connected();
    assert.equal(h.sim.connects, 1);
    const users = h.sim.commands.find((c) => c.command === 'startMonitoringUsers');
    assert.deepEqual(users?.properties, { users: [{ username: 'agent@corp' }, { username: 'bob@corp' }, { username: 'carol@corp' }] });
    const terminals = h.sim.commands.find((c) => c.command === 'startMonitoringTerminals');
    assert.deepEqual(terminals?.properties, {
      terminals: [
        { addressvalue: '1001', addresstype: 'ext' },
        { addressvalue: '2001', addresstype: 'ext' },
        { addressvalue: '2002', addresstype: 'ext' },
      ],
    });
    assert.ok(h.sim.commands.every((c) => c.status === 'success'), 'no command was refused (none went out before connected3C)');
    await eventually(() => h.desk.team[`${ACCOUNT_ID}/carol@corp`]?.presence.label === 'Busy', 'carol’s presence in the team');
    const carol = h.desk.team[`${ACCOUNT_ID}/carol@corp`]!;
    assert.deepEqual(carol.presence.state, 'not-ready');
    assert.equal(carol.presence.reason, 'In a meeting');
    assert.equal(carol.canChat, true);
    assert.deepEqual(h.account.presenceOptions, [], 'presence cannot be set here');
  });

  it('shows the agent’s presence as 3C reports it, with the raw value and the note', async () => {
    const h = await connected();
    h.sim.setPresence('agent@corp', 'DoNotDisturb', 'Focus time');
    await eventually(() => h.account.presence?.label === 'DoNotDisturb', 'the agent’s presence');
    assert.equal(h.account.presence?.state, 'do-not-disturb');
    assert.equal(h.account.presence?.reason, 'Focus time');
    h.sim.setPresence('agent@corp', 'Lunch break');
    await eventually(() => h.account.presence?.label === 'Lunch break', 'an unknown presence kept as its label');
    assert.equal(h.account.presence?.state, 'not-ready');
  });

  it('lights a colleague’s busy lamp while a call is on their terminal', async () => {
    const h = await connected();
    const key = `${ACCOUNT_ID}/bob@corp`;
    await eventually(() => h.desk.team[key], 'bob in the team');
    assert.equal(h.desk.team[key]!.onCall, false);
    const call = h.sim.colleagueCall('bob@corp');
    await eventually(() => h.desk.team[key]!.onCall, 'bob on a call');
    h.sim.hangupCall(call);
    await eventually(() => !h.desk.team[key]!.onCall, 'bob off the call');
    assert.equal(Object.keys(h.desk.calls).length, 0, 'a colleague’s call is not the agent’s call');
  });

  it('folds a call on the agent’s terminal: ringing with one toast, connected, held, ended; a repeat changes nothing', async () => {
    const h = await connected();
    const id = h.sim.ringCall({ caller: '+358401112233' });
    const key = `${ACCOUNT_ID}/${id}`;
    await eventually(() => h.desk.calls[key]?.state === 'ringing', 'the call rings on the desk');
    assert.equal(h.desk.calls[key]!.caller, '+358401112233');
    assert.equal(h.desk.calls[key]!.direction, 'inbound');
    assert.deepEqual(h.desk.calls[key]!.actions, [], 'no call control');
    const before = h.events.length;
    h.sim.repeatLastEvent();
    h.sim.setPresence('agent@corp', 'Busy'); // a later event, to know the repeat was read
    await eventually(() => h.account.presence?.label === 'Busy', 'the later event');
    assert.deepEqual(h.events.slice(before).map((e) => e.type), ['presence'], 'the repeated call event emitted nothing');
    h.sim.answerCall(id);
    await eventually(() => h.desk.calls[key]?.state === 'connected', 'connected');
    h.sim.holdCall(id);
    await eventually(() => h.desk.calls[key]?.state === 'held', 'held');
    h.sim.hangupCall(id);
    await eventually(() => !h.desk.calls[key] && h.desk.recentCalls.some((c) => c.key === key), 'ended');
    assert.equal(h.toasts.filter((t) => t.id === `call:${key}`).length, 1, 'one toast for the call');
  });

  it('shows an outgoing call as dialing, then connected', async () => {
    const h = await connected();
    const id = h.sim.dialOut({ target: '+35850123' });
    const key = `${ACCOUNT_ID}/${id}`;
    await eventually(() => h.desk.calls[key]?.state === 'dialing', 'dialing');
    assert.equal(h.desk.calls[key]!.direction, 'outbound');
    assert.equal(h.desk.calls[key]!.target, '+35850123');
    h.sim.setCallState(id, 'Ringing');
    h.sim.answerCall(id);
    await eventually(() => h.desk.calls[key]?.state === 'connected', 'connected');
    assert.equal(h.toasts.length, 0, 'an outgoing call raises no toast');
  });

  it('shows an IM from a colleague once even when the event repeats, raises one toast, and delivers the reply', async () => {
    const h = await connected();
    h.sim.sendIm('bob@corp', 'Can you take the next call?');
    const key = `${ACCOUNT_ID}/bob@corp`;
    await eventually(() => h.desk.chats[key]?.messages.length === 1, 'the IM shows');
    h.sim.repeatLastEvent();
    h.sim.sendIm('bob@corp', 'Thanks!');
    await eventually(() => h.desk.chats[key]?.messages.length === 2, 'the next IM shows');
    assert.deepEqual(
      h.desk.chats[key]!.messages.map((m) => m.text),
      ['Can you take the next call?', 'Thanks!'],
      'the repeated event showed nothing',
    );
    assert.equal(h.desk.chats[key]!.state, 'invited', 'a new conversation');
    assert.equal(h.toasts.filter((t) => t.id === `chat:${key}`).length, 1, 'one toast for the new conversation');
    await h.connector.execute({ type: 'chat.send', chatId: 'bob@corp', text: 'Sure, on it.' });
    assert.deepEqual(h.sim.texts.at(-1), { destuser: 'bob@corp', message: 'Sure, on it.' });
    await eventually(() => h.desk.chats[key]?.messages.length === 3, 'the reply in the transcript');
    const reply = h.desk.chats[key]!.messages[2]!;
    assert.equal(reply.from.role, 'agent');
    assert.equal(h.desk.chats[key]!.state, 'active');
    assert.equal(h.toasts.filter((t) => t.id === `chat:${key}`).length, 1, 'still one toast');
  });

  it('starts a conversation with a watched colleague from the team; the first message goes out with sendText', async () => {
    const h = await connected();
    await h.connector.execute({ type: 'chat.start', memberId: 'carol@corp' });
    const key = `${ACCOUNT_ID}/carol@corp`;
    await eventually(() => h.desk.chats[key], 'the chat is on the desk');
    assert.equal(h.desk.chats[key]!.state, 'active');
    assert.deepEqual(h.desk.chats[key]!.participants.map((p) => p.id), ['carol@corp']);
    await h.connector.execute({ type: 'chat.send', chatId: 'carol@corp', text: 'Got a minute?' });
    assert.deepEqual(h.sim.texts.at(-1), { destuser: 'carol@corp', message: 'Got a minute?' });
    await assert.rejects(h.connector.execute({ type: 'chat.start', memberId: 'mallory@corp' }), /not watched/);
    await assert.rejects(h.connector.execute({ type: 'presence.set', state: 'ready' }), /not available/);
    await assert.rejects(h.connector.execute({ type: 'call.action', callId: '1', action: 'answer' }), /not available/);
  });

  it('refuses wrong credentials (close 4401) with a reason a person can act on, and connects after the fix and a retry', async () => {
    const h = closers.add(await startHarness({ account: () => ({ password: 'not-the-password' }) }), (x) => x.stop());
    await eventually(() => h.account.connection === 'failed', 'failed');
    assert.match(h.account.reason ?? '', /refused the user name or password for agent@corp.*check the account settings/);
    assert.equal(h.sim.refusedConnects, 1, 'no retry loop on bad credentials');
    h.sim.acceptPassword('not-the-password');
    h.connector.retry();
    await eventually(() => h.account.connection === 'connected', 'connected after retry');
  });

  it('monitors 1,201 terminals in three requests of at most 500', async () => {
    const many = Array.from({ length: 1_200 }, (_, i) => String(10_000 + i));
    const h = await connected({ account: () => ({ terminals: ['1001', ...many], colleagues: [], colleagueTerminals: [] }) });
    const requests = h.sim.commands.filter((c) => c.command === 'startMonitoringTerminals');
    assert.deepEqual(
      requests.map((r) => (r.properties as { terminals: unknown[] }).terminals.length),
      [500, 500, 201],
    );
    assert.ok(requests.every((r) => r.status === 'success'));
    const id = h.sim.ringCall({ caller: '+3581', terminal: { addressvalue: '11199', addresstype: 'ext' } });
    await eventually(() => h.desk.calls[`${ACCOUNT_ID}/${id}`], 'a call on a terminal of the third request');
  });

  it('shows which terminal 3C failed to monitor and keeps the others', async () => {
    const h = closers.add(
      await startHarness({ account: () => ({ terminals: '1001, 1002, 1003' }), sim: { terminals: [{ addressvalue: '1001', addresstype: 'ext' }, { addressvalue: '1003', addresstype: 'ext' }] }, deferStart: true }),
      (x) => x.stop(),
    );
    h.sim.refuseTerminal('1002');
    h.start();
    await eventually(() => h.account.connection === 'connected', 'connected');
    assert.deepEqual(h.account.subscriptionIssues, [
      { entity: 'terminal 1002 (ext)', topic: 'your calls', message: 'Failed to monitor terminal 1002: address not found' },
    ]);
    const id = h.sim.ringCall({ caller: '+3582', terminal: { addressvalue: '1003', addresstype: 'ext' } });
    await eventually(() => h.desk.calls[`${ACCOUNT_ID}/${id}`]?.state === 'ringing', 'a call on a terminal still monitored');
  });

  it('after the link closes: connects afresh, monitors again, and keeps the team and calls', async () => {
    const h = await connected();
    const id = h.sim.ringCall({ caller: '+3583' });
    await eventually(() => h.desk.calls[`${ACCOUNT_ID}/${id}`], 'the call');
    const monitored = h.sim.monitoredSessions;
    h.sim.closeSessions(1001);
    await eventually(() => h.account.connection === 'reconnecting', 'reconnecting');
    assert.match(h.account.reason ?? '', /closed the connection/);
    await eventually(() => h.account.connection === 'connected', 'connected again');
    await eventually(() => h.sim.monitoredSessions > monitored, 'monitored again');
    assert.equal(h.sim.connects, 2, 'a fresh connect frame');
    assert.equal(h.desk.calls[`${ACCOUNT_ID}/${id}`]?.state, 'ringing', 'the call is still on the desk');
    assert.equal(h.toasts.filter((t) => t.id === `call:${ACCOUNT_ID}/${id}`).length, 1, 'one toast');
    assert.ok(h.desk.team[`${ACCOUNT_ID}/bob@corp`], 'the team stays');
  });

  it('marks a call the link does not report again as stale, not ended', async () => {
    const h = await connected();
    const id = h.sim.ringCall({ caller: '+3584' });
    const key = `${ACCOUNT_ID}/${id}`;
    await eventually(() => h.desk.calls[key], 'the call');
    h.sim.refuseTerminal('1001', 'Failed to monitor terminal 1001: temporarily unavailable');
    h.sim.forgetSessions();
    await eventually(() => h.sim.connects === 2 && h.account.connection === 'connected', 'connected again');
    await eventually(() => h.desk.calls[key]?.stale === true, 'marked stale');
    assert.equal(h.desk.calls[key]!.state, 'ringing', 'kept in its last known state');
    assert.equal(h.account.subscriptionIssues[0]?.entity, 'terminal 1001 (ext)');
  });

  it('notices a link that stops answering pings and reconnects', async () => {
    const h = await connected();
    h.sim.silence(true);
    await eventually(() => h.account.connection === 'reconnecting', 'reconnecting after missed pongs');
    assert.match(h.account.reason ?? '', /stopped answering|did not confirm/);
    h.sim.silence(false);
    await eventually(() => h.account.connection === 'connected', 'connected again');
  });

  it('drops a malformed, an unknown and an oversized frame with a warning naming the platform; the session lives on', async () => {
    const h = await connected();
    const from = h.logs.length;
    h.sim.sendRaw('not json');
    h.sim.sendRaw(JSON.stringify({ type: 'event', event: 'imReceived', properties: { receivingUser: 'agent@corp' } }));
    h.sim.sendRaw(JSON.stringify({ type: 'surprise' }));
    h.sim.sendRaw(JSON.stringify({ type: 'event', event: 'disconnected3C', properties: {} }));
    h.sim.sendRaw(JSON.stringify({ type: 'event', event: 'imReceived', properties: { sendingUser: 'bob@corp', message: 'x'.repeat(1_100_000) } }));
    h.sim.sendIm('bob@corp', 'still here');
    await eventually(() => h.desk.chats[`${ACCOUNT_ID}/bob@corp`], 'a good IM after the bad frames');
    const warnings = h.logs.slice(from).filter((l) => (l['level'] as number) >= 40);
    assert.equal(warnings.length, 4, JSON.stringify(warnings));
    assert.ok(warnings.every((w) => w['vendor'] === 'threec'));
    assert.equal(h.account.connection, 'connected');
    assert.equal(h.sim.connects, 1);
  });

  it('ends the session with a clean close when stopped', async () => {
    const h = await connected();
    await h.connector.stop();
    await eventually(() => h.sim.cleanStops === 1, 'a close frame 1000');
  });

  it('knows colleagues by their configured spelling whatever case 3C uses', async () => {
    const h = await connected({ sim: { colleagues: COLLEAGUES.map((c) => ({ ...c, username: c.username.toUpperCase() })) }, account: () => ({ colleagues: 'bob@corp, carol@corp' }) });
    h.sim.setPresence('BOB@CORP', 'Away');
    await eventually(() => h.desk.team[`${ACCOUNT_ID}/bob@corp`]?.presence.label === 'Away', 'bob, in the configured spelling');
    h.sim.sendIm('BOB@CORP', 'hi');
    await eventually(() => h.desk.chats[`${ACCOUNT_ID}/bob@corp`], 'the chat under the configured spelling');
  });
});
