/**
 * The local automation API (issue 20) over real HTTP on loopback, against a desk whose accounts are
 * scripted connectors: pairing (the agent's yes, the token once, stored hashed), scopes, revocation
 * (at once, open streams included), the event stream and its replay with Last-Event-ID, rate
 * limits, and every refusal — each refused request reaches no connector.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { parseConfig } from '../../main/config.js';
import { maskSecrets, restoreSecrets } from '../../main/settings.js';
import { SECRET_KEPT } from '../../common/settings.js';
import { Desk } from '../../main/desk/desk.js';
import { createLogger } from '../../main/log.js';
import { Automation } from '../../main/api/index.js';
import { EventLog } from '../../main/api/events.js';
import { TokenBucket } from '../../main/api/limits.js';
import { eventSchema, snapshotSchema } from '../../main/api/schemas.js';
import { apiRequest, openEvents, type ApiAnswer } from '../support/api-client.js';
import { assertProblem, automationRig, PAGE, ring } from '../support/automation-rig.js';
import { Closers } from '../support/closers.js';
import { eventually } from '../support/eventually.js';

const closers = new Closers();
afterEach(() => closers.closeAll());
const rig = automationRig(closers);

describe('automation API: settings', () => {
  it('is off by default, on port 17123, and a mistake in its settings names the field', () => {
    assert.deepEqual(parseConfig({}).automation, { enabled: false, port: 17123, pairing: true, clients: [] });
    assert.throws(() => parseConfig({ automation: { enabld: true } }), /automation\.enabld: unknown field; did you mean "enabled"\?/);
    assert.throws(() => parseConfig({ automation: { port: 70000 } }), /automation\.port:/);
    assert.throws(() => parseConfig({ automation: { clients: [{ name: 'X', scopes: ['dial'], token: { env: 'X' } }] } }), /automation\.clients\[0\]\.scopes\[0\]:/);
    assert.throws(() => parseConfig({ automation: { clients: [{ name: 'X', origin: 'https://crm.example.com/', scopes: ['read'], token: { env: 'X' } }] } }), /automation\.clients\[0\]\.origin: must be a web origin/);
  });

  it('the settings screen sees an administrator’s client without its token, and saving keeps the token', () => {
    const stored = parseConfig({ automation: { enabled: true, clients: [{ name: 'Wallboard', scopes: ['read'], token: 'wallboard-token-0123456789abcdef0123' }] } });
    const document = maskSecrets(stored);
    assert.deepEqual(document.automation?.clients[0], { name: 'Wallboard', scopes: ['read'], token: SECRET_KEPT });
    assert.ok(!JSON.stringify(document).includes('wallboard-token'));
    const { config } = restoreSecrets({ ...document, automation: { ...document.automation!, enabled: false } }, stored);
    assert.equal(config.automation.enabled, false);
    assert.equal(config.automation.clients[0]!.token, 'wallboard-token-0123456789abcdef0123');
  });
});

describe('automation API: pairing', () => {
  it('shows the request on the desk, hands the token out once on Allow, and keeps only its hash', async () => {
    const r = await rig();
    const asked = await r.call('/api/v1/pairing', { body: { name: 'Acme CRM', scopes: ['read', 'calls'] }, origin: PAGE });
    assert.equal(asked.status, 202);
    assert.equal(asked.json.status, 'pending');
    assert.equal(asked.headers.location, `/api/v1/pairing/${asked.json.pairingId}`);
    assert.equal(asked.headers['access-control-allow-origin'], PAGE, 'a page may read the answer to its pairing request');
    const request = await eventually(() => r.desk.state.automation?.requests[0], 'the request on the desk');
    assert.deepEqual({ name: request.name, origin: request.origin, scopes: request.scopes }, { name: 'Acme CRM', origin: PAGE, scopes: ['read', 'calls'] });

    const pending = await r.call(`/api/v1/pairing/${asked.json.pairingId}`);
    assert.equal(pending.json.status, 'pending');
    r.automation.answerPairing(asked.json.pairingId, true);
    const allowed = await r.call(`/api/v1/pairing/${asked.json.pairingId}`);
    assert.equal(allowed.json.status, 'allowed');
    assert.match(allowed.json.token, /^aca_[A-Za-z0-9_-]{43}$/);
    assertProblem(await r.call(`/api/v1/pairing/${asked.json.pairingId}`), 404, 'unknown-pairing');

    const me = await r.call('/api/v1/client', { token: allowed.json.token, origin: PAGE });
    assert.deepEqual({ name: me.json.name, origin: me.json.origin, scopes: me.json.scopes }, { name: 'Acme CRM', origin: PAGE, scopes: ['read', 'calls'] });
    const stored = JSON.stringify(r.store.store);
    assert.ok(!stored.includes(allowed.json.token), 'the token itself is not stored');
    assert.match(stored, /"tokenSha256":"[0-9a-f]{64}"/);
    await eventually(() => r.desk.state.automation?.clients.length === 1 && r.desk.state.automation.requests.length === 0, 'the app is listed, the request gone');
    assert.ok(!JSON.stringify(r.desk.state).includes(allowed.json.token), 'the desk (and so the window) never holds the token');
  });

  it('long-polls until the agent answers, and a denied app waits before it may ask again', async () => {
    const r = await rig();
    const asked = await r.call('/api/v1/pairing', { body: { name: 'Pest', scopes: ['calls'] } });
    const polled = r.call(`/api/v1/pairing/${asked.json.pairingId}?wait=10`);
    await eventually(() => r.desk.state.automation?.requests.length === 1, 'the request on the desk');
    r.automation.answerPairing(asked.json.pairingId, false);
    assert.equal((await polled).json.status, 'denied');
    const again = assertProblem(await r.call('/api/v1/pairing', { body: { name: 'Pest', scopes: ['calls'] } }), 429, 'pairing-cooldown');
    assert.ok(again.retryAfterSec > 0);
  });

  it('asks once per app, and at most three apps wait at once', async () => {
    const r = await rig();
    assert.equal((await r.call('/api/v1/pairing', { body: { name: 'A', scopes: ['read'] }, origin: 'https://a.example' })).status, 202);
    assertProblem(await r.call('/api/v1/pairing', { body: { name: 'A again', scopes: ['read'] }, origin: 'https://a.example' }), 409, 'pairing-pending');
    assert.equal((await r.call('/api/v1/pairing', { body: { name: 'B', scopes: ['read'] } })).status, 202);
    assert.equal((await r.call('/api/v1/pairing', { body: { name: 'C', scopes: ['read'] } })).status, 202);
    const fourth = await r.call('/api/v1/pairing', { body: { name: 'D', scopes: ['read'] } });
    assertProblem(fourth, 429, 'too-many-pending');
    assert.ok(Number(fourth.headers['retry-after']) > 0);
  });

  it('refuses a body that claims another origin than the page’s, and a page without one', async () => {
    const r = await rig();
    assertProblem(await r.call('/api/v1/pairing', { body: { name: 'X', origin: PAGE, scopes: ['read'] }, origin: 'https://evil.example' }), 400, 'origin-mismatch');
    assertProblem(await r.call('/api/v1/pairing', { body: { name: 'X', origin: PAGE, scopes: ['read'] } }), 400, 'origin-mismatch');
    assertProblem(await r.call('/api/v1/pairing', { body: { name: 'X', scopes: ['read'] }, origin: 'null' }), 403, 'null-origin');
    assert.equal(r.desk.state.automation?.requests.length ?? 0, 0, 'nothing reached the agent');
  });

  it('pairing again under the same name and origin replaces the old token', async () => {
    const r = await rig();
    const first = await r.pair(['read'], { origin: PAGE });
    const second = await r.pair(['read'], { origin: PAGE });
    assertProblem(await r.call('/api/v1/desk', { token: first, origin: PAGE }), 401, 'unauthorized');
    assert.equal((await r.call('/api/v1/desk', { token: second, origin: PAGE })).status, 200);
    await eventually(() => r.desk.state.automation?.clients.length === 1, 'one app listed');
  });

  it('keeps paired apps across a restart of the desk (the host’s store)', async () => {
    const r = await rig();
    const token = await r.pair(['read']);
    const log = createLogger('silent');
    const desk = new Desk({ accounts: [], log });
    const again = closers.add(new Automation({ desk, config: parseConfig({ automation: { enabled: true, port: 0 } }).automation, log, store: r.store, secret: () => '' }), (a) => a.close());
    await again.listen();
    assert.equal((await apiRequest(again.port, '/api/v1/desk', { token })).status, 200);
  });

  it('says so when pairing is turned off, and lets an administrator’s app in with its token', async () => {
    const secret = 'managed-token-0123456789abcdef0123456789';
    const r = await rig({ pairing: false, clients: [{ name: 'Ticketing', scopes: ['read'], token: { env: 'TICKETING_TOKEN' } }] }, { TICKETING_TOKEN: secret });
    assertProblem(await r.call('/api/v1/pairing', { body: { name: 'X', scopes: ['read'] } }), 403, 'pairing-off');
    assert.equal((await r.call('/api/v1/desk', { token: secret })).status, 200);
    const listed = await eventually(() => r.desk.state.automation?.clients.find((c) => c.name === 'Ticketing'), 'the managed app is listed');
    assert.equal(listed.managed, true);
    assert.throws(() => r.automation.revoke(listed.id), /administrator/);
    assert.ok(!r.logs.join('\n').includes(secret), 'the managed token is in no log line');
  });

  it('binds an administrator’s app to its origin and scopes, as if the agent had paired it so', async () => {
    const secret = 'managed-page-token-0123456789abcdef0123456789';
    const r = await rig({ pairing: false, clients: [{ name: 'Ticketing', origin: PAGE, scopes: ['read'], token: { env: 'TICKETING_TOKEN' } }] }, { TICKETING_TOKEN: secret });
    const read = await r.call('/api/v1/desk', { token: secret, origin: PAGE });
    assert.equal(read.status, 200, read.text);
    assert.equal(read.headers['access-control-allow-origin'], PAGE, 'its own page may read the desk');
    const elsewhere = assertProblem(await r.call('/api/v1/desk', { token: secret, origin: 'https://other.example' }), 403, 'wrong-origin');
    assert.match(elsewhere.detail, /crm\.example\.com/);
    assertProblem(await r.call('/api/v1/calls', { token: secret, origin: PAGE, body: { number: '+358401234567' } }), 403, 'missing-scope');
    assert.deepEqual(r.voice.commands, [], 'a scope the administrator did not grant never acts');
    const me = await r.call('/api/v1/client', { token: secret, origin: PAGE });
    assert.deepEqual({ name: me.json.name, origin: me.json.origin, scopes: me.json.scopes }, { name: 'Ticketing', origin: PAGE, scopes: ['read'] });
    const listed = await eventually(() => r.desk.state.automation?.clients.find((c) => c.name === 'Ticketing'), 'the managed app is listed');
    assert.deepEqual({ origin: listed.origin, managed: listed.managed }, { origin: PAGE, managed: true });
    assert.equal(r.desk.state.automation?.pairing, false, 'the settings say pairing is off');
  });

  it('names an administrator’s app whose token is too short or unset, and lets the others in', async () => {
    const r = await rig({ clients: [{ name: 'Short', scopes: ['read'], token: 'short' }, { name: 'Unset', scopes: ['read'], token: { env: 'NOPE' } }] });
    const view = await eventually(() => r.desk.state.automation, 'the view');
    assert.ok(view.problems.some((p) => p.startsWith('automation.clients[0].token')));
    assert.ok(view.problems.some((p) => p.startsWith('automation.clients[1].token') && p.includes('NOPE')));
    assertProblem(await r.call('/api/v1/desk', { token: 'short' }), 401, 'unauthorized');
  });
});

describe('automation API: scopes and commands', () => {
  it('dials for an app granted calls, normalised as a tel: link, and the desk shows who placed the call', async () => {
    const r = await rig();
    const token = await r.pair(['read', 'calls'], { origin: PAGE });
    const dialled = await r.call('/api/v1/calls', { token, origin: PAGE, body: { number: '+358 (40) 123-4567' } });
    assert.equal(dialled.status, 202, dialled.text);
    assert.deepEqual(dialled.json, { status: 'dialing', account: 'voice', number: '+358401234567' });
    assert.equal(dialled.headers['access-control-allow-origin'], PAGE);
    assert.deepEqual(r.voice.commands, [{ type: 'call.dial', number: '+358401234567' }]);
    const stream = await openEvents(r.port, token);
    closers.add(stream, (s) => s.close());
    r.voice.emit({ type: 'call', call: { id: 'out1', state: 'dialing', direction: 'outbound', target: '+358401234567', actions: ['hangup'] } });
    const ringing = await eventually(() => stream.messages.find((m) => m.event === 'call.ringing'), 'call.ringing on the stream');
    assert.equal(ringing.data.data.call.placedBy, 'Acme CRM');
    await eventually(() => r.desk.state.calls['voice/out1']?.placedBy === 'Acme CRM', 'the desk shows who placed the call');
    const action = await eventually(() => r.desk.state.automation?.actions[0], 'the audit list');
    assert.deepEqual({ client: action.client, command: action.command, accountId: action.accountId, result: action.result }, { client: 'Acme CRM', command: 'dial', accountId: 'voice', result: 'done' });
    const logged = r.logs.filter((line) => line.includes('"msg":"automation API command"')).map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(
      logged.map(({ client, command, account, result }) => ({ client, command, account, result })),
      [{ client: 'Acme CRM', command: 'dial', account: 'voice', result: 'done' }],
      'the command is logged with the app, the command, the account and the result',
    );
    assert.ok(!r.logs.join('\n').includes(token), 'never the token');
  });

  it('refuses a dial from an app not granted calls, and nothing reaches the phone', async () => {
    const r = await rig();
    const token = await r.pair(['read']);
    const refused = await r.call('/api/v1/calls', { token, body: { number: '+358401234567' } });
    assertProblem(refused, 403, 'missing-scope');
    assert.match(String(refused.headers['www-authenticate']), /insufficient_scope/);
    assert.deepEqual(r.voice.commands, []);
    const action = await eventually(() => r.desk.state.automation?.actions[0], 'the refusal in the audit list');
    assert.equal(action.result, 'refused');
    const logged = r.logs.map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => line.msg === 'automation API command');
    assert.deepEqual({ client: logged?.client, command: logged?.command, result: logged?.result }, { client: 'Acme CRM', command: 'dial', result: 'refused' }, 'a refused command is logged too');
    assert.ok(!r.logs.join('\n').includes(token), 'never the token');
  });

  it('refuses a number that is not one, and says why', async () => {
    const r = await rig();
    const token = await r.pair(['calls']);
    const refused = assertProblem(await r.call('/api/v1/calls', { token, body: { number: 'callto:echo123' } }), 422, 'not-dialable');
    assert.match(refused.detail, /Skype/);
    assert.deepEqual(r.voice.commands, []);
  });

  it('answers, holds, retrieves and hangs up a call by its id, and refuses what the call does not allow now', async () => {
    const r = await rig();
    const token = await r.pair(['calls']);
    ring(r);
    await eventually(() => r.desk.state.calls['voice/c1'], 'the call on the desk');
    const id = encodeURIComponent('voice/c1');
    assert.equal((await r.call(`/api/v1/calls/${id}/answer`, { token, method: 'POST' })).status, 200);
    assertProblem(await r.call(`/api/v1/calls/${id}/hold`, { token, method: 'POST' }), 409, 'not-possible');
    assertProblem(await r.call(`/api/v1/calls/${encodeURIComponent('voice/none')}/answer`, { token, method: 'POST' }), 404, 'not-found');
    assert.deepEqual(r.voice.commands, [{ type: 'call.action', callId: 'c1', action: 'answer' }]);
  });

  it('sets the presence and sends a chat message for apps granted them, with the platform’s refusal in plain words', async () => {
    const r = await rig();
    const token = await r.pair(['presence', 'chats']);
    const set = await r.call('/api/v1/presence', { token, method: 'PUT', body: { state: 'not-ready' } });
    assert.deepEqual(set.json, { status: 'done', state: 'not-ready', accounts: ['voice'] });
    r.voice.emit({ type: 'chat', chat: { id: 'k1', state: 'active', actions: ['send'] } });
    await eventually(() => r.desk.state.chats['voice/k1'], 'the chat');
    const sent = await r.call(`/api/v1/chats/${encodeURIComponent('voice/k1')}/messages`, { token, body: { text: ' Hello ' } });
    assert.equal(sent.status, 200, sent.text);
    r.voice.refuse = 'The platform is busy.';
    const failed = assertProblem(await r.call('/api/v1/presence', { token, method: 'PUT', body: { state: 'ready' } }), 409, 'not-possible');
    assert.match(failed.detail, /The platform is busy/);
    assert.deepEqual(r.voice.commands, [
      { type: 'presence.set', state: 'not-ready' },
      { type: 'chat.send', chatId: 'k1', text: 'Hello' },
    ]);
    const actions = await eventually(() => (r.desk.state.automation?.actions.length === 3 ? r.desk.state.automation.actions : undefined), 'three actions listed');
    assert.deepEqual(actions.map((a) => `${a.command}:${a.result}`), ['presence:failed', 'chat-message:done', 'presence:done']);
  });
});

describe('automation API: revocation', () => {
  it('fails a revoked token at once, ends its open stream with access.revoked, and lists the app no more', async () => {
    const r = await rig();
    const token = await r.pair(['read'], { origin: PAGE });
    const stream = await openEvents(r.port, token, { origin: PAGE });
    closers.add(stream, (s) => s.close());
    assert.equal(stream.status, 200);
    const client = await eventually(() => r.desk.state.automation?.clients[0], 'the app listed');
    r.automation.revoke(client.id);
    const last = await eventually(() => stream.ended() && stream.messages.at(-1), 'the stream ended');
    assert.equal(last.event, 'access.revoked');
    const refused = assertProblem(await r.call('/api/v1/desk', { token, origin: PAGE }), 401, 'unauthorized');
    assert.match(refused.detail, /revoked/);
    await eventually(() => r.desk.state.automation?.clients.length === 0, 'no app listed');
  });

  it('lets an app give its own token up', async () => {
    const r = await rig();
    const token = await r.pair(['read']);
    assert.equal((await r.call('/api/v1/client', { token, method: 'DELETE' })).status, 204);
    assertProblem(await r.call('/api/v1/client', { token }), 401, 'unauthorized');
  });
});

describe('automation API: the event stream', () => {
  it('turns desk changes into typed events, each with an id and a sequence number', async () => {
    const r = await rig();
    const token = await r.pair(['read']);
    const stream = await openEvents(r.port, token);
    closers.add(stream, (s) => s.close());
    r.voice.emit({ type: 'presence', presence: { state: 'ready', label: 'Available' } });
    ring(r);
    r.voice.emit({ type: 'call', call: { id: 'c1', state: 'connected', actions: ['hold', 'hangup'] } });
    r.voice.emit({ type: 'call', call: { id: 'c1', state: 'held', actions: ['retrieve'] } });
    r.voice.emit({ type: 'call', call: { id: 'c1', state: 'connected' } });
    r.voice.emit({ type: 'call', call: { id: 'c1', state: 'ended', endReason: 'remote' } });
    ring(r, 'c2', '+358409999999');
    r.voice.emit({ type: 'call', call: { id: 'c2', state: 'ended' } });
    r.voice.emit({ type: 'chat', chat: { id: 'k1', state: 'invited', participants: [{ id: 'p', name: 'Pat', role: 'customer' }] } });
    r.voice.emit({ type: 'chat.messages', chatId: 'k1', messages: [{ id: 'm1', index: 1, from: { id: 'p', name: 'Pat', role: 'customer' }, text: 'Hi', at: '2026-01-01T00:00:00.000Z', kind: 'text' }] });
    r.voice.emit({ type: 'chat', chat: { id: 'k1', state: 'ended' } });
    r.voice.emit({ type: 'callback', closed: false, callback: { id: 'b1', contactNumber: '+35840111', createdAt: '2026-01-01T00:00:00.000Z', dueAt: '2026-01-01T00:00:00.000Z', assignedToMe: true, attempts: 0 } });
    r.voice.emit({ type: 'callback', closed: true, callback: { id: 'b1', contactNumber: '+35840111', createdAt: '2026-01-01T00:00:00.000Z', assignedToMe: true, attempts: 0 } });
    r.voice.emit({ type: 'connection', state: 'reconnecting', reason: 'lost' });
    const expected = [
      'presence.changed',
      'call.ringing',
      'call.answered',
      'call.held',
      'call.retrieved',
      'call.ended',
      'call.ringing',
      'call.ended',
      'call.missed',
      'chat.offered',
      'chat.message',
      'chat.ended',
      'callback.created',
      'callback.due',
      'callback.closed',
      'connection.changed',
    ];
    await eventually(() => stream.messages.length >= expected.length, 'every event');
    assert.deepEqual(stream.messages.map((m) => m.event), expected);
    const first = stream.messages[0]!.data.seq as number;
    stream.messages.forEach((m, i) => {
      assert.equal(m.data.type, m.event);
      assert.equal(m.data.id, m.id, 'the SSE id is the event’s');
      assert.equal(m.data.seq, first + i, 'one sequence, counting up by one');
      const parsed = eventSchema.safeParse(m.data);
      assert.ok(parsed.success, `${m.event} matches its schema: ${parsed.error?.message}`);
    });
    const ended = stream.messages[5]!.data.data.call;
    assert.equal(ended.outcome, 'answered');
    assert.equal(ended.endReason, 'remote');
    assert.equal(typeof ended.durations.talkSec, 'number');
    assert.equal(stream.messages[8]!.data.data.call.caller, '+358409999999');
  });

  it('replays what a client missed after its Last-Event-ID, and tells a client from another run to resync', async () => {
    const r = await rig();
    const token = await r.pair(['read']);
    const snapshot = await r.call('/api/v1/desk', { token });
    assert.ok(snapshotSchema.safeParse(snapshot.json).success);
    const before = r.automation.events.lastSeq;
    ring(r, 'a');
    ring(r, 'b');
    ring(r, 'c');
    await eventually(() => r.automation.events.lastSeq === before + 3, 'three events');
    const resumed = await openEvents(r.port, token, { lastEventId: snapshot.json.lastEventId });
    closers.add(resumed, (s) => s.close());
    await eventually(() => resumed.messages.length === 3, 'the three missed events');
    const fromSecond = await openEvents(r.port, token, { lastEventId: resumed.messages[1]!.id! });
    closers.add(fromSecond, (s) => s.close());
    await eventually(() => fromSecond.messages.length === 1, 'the one after it');
    assert.equal(fromSecond.messages[0]!.data.data.call.id, 'voice/c');
    const stranger = await openEvents(r.port, token, { lastEventId: 'feedbeef-2' });
    closers.add(stranger, (s) => s.close());
    const resync = await eventually(() => stranger.messages[0], 'a resync');
    assert.equal(resync.event, 'resync');
    assert.equal(resync.data.data.reason, 'unknown-id');
    assert.equal(resync.id, r.automation.events.lastId, 'resuming from the resync misses nothing');
  });

  it('keeps a bounded log: beyond it, a resync', () => {
    const log = new EventLog(5, 'abc');
    for (let i = 0; i < 12; i++) log.append({ type: 'callback.closed', data: { callback: `a/${i}`, account: 'a' } }, '2026-01-01T00:00:00.000Z');
    assert.deepEqual(log.since('abc-6'), { resync: 'too-old' });
    const kept = log.since('abc-7');
    assert.ok('events' in kept);
    assert.deepEqual(kept.events.map((e) => e.seq), [8, 9, 10, 11, 12]);
    assert.deepEqual(log.since('abc-13'), { resync: 'unknown-id' });
    assert.deepEqual(log.since('nonsense'), { resync: 'unknown-id' });
  });
});

describe('automation API: rate limits', () => {
  it('a token bucket gives a burst, then one per interval, and says how long to wait', () => {
    const bucket = new TokenBucket({ burst: 2, perSecond: 1 }, 0);
    assert.equal(bucket.take(0), 0);
    assert.equal(bucket.take(0), 0);
    assert.equal(bucket.take(0), 1000);
    assert.equal(bucket.take(500), 500);
    assert.equal(bucket.take(1000), 0);
  });

  it('answers 429 with Retry-After to an app that sends commands too fast; the excess never acts', async () => {
    const r = await rig();
    const token = await r.pair(['presence']);
    const answers: ApiAnswer[] = [];
    for (let i = 0; i < 13; i++) answers.push(await r.call('/api/v1/presence', { token, method: 'PUT', body: { state: 'ready' } }));
    const limited = answers.filter((a) => a.status === 429);
    assert.ok(limited.length >= 2, `some were limited: ${answers.map((a) => a.status).join(',')}`);
    assert.ok(Number(limited[0]!.headers['retry-after']) >= 1);
    assertProblem(limited[0]!, 429, 'rate-limited');
    assert.equal(r.voice.commands.length, 13 - limited.length);
  });

  it('limits each app on its own: one app over its limit leaves another app served', async () => {
    const r = await rig({}, {}, () => 0); // the clock stands still: no token comes back

    const busy = await r.pair(['read'], { name: 'Busy loop' });
    const calm = await r.pair(['read'], { name: 'Calm CRM' });
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) statuses.push((await r.call('/api/v1/desk', { token: busy })).status);
    assert.deepEqual(statuses, [...Array(60).fill(200), 429], 'a burst of 60 reads, then the limit');
    const answer = await r.call('/api/v1/desk', { token: busy });
    assertProblem(answer, 429, 'rate-limited');
    assert.ok(Number(answer.headers['retry-after']) >= 1, 'says when to come back');
    assert.equal((await r.call('/api/v1/desk', { token: calm })).status, 200, 'the other app is still served');
  });

  it('limits callers without a token too', async () => {
    const r = await rig();
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await r.call('/api/v1/desk', { token: `aca_${'x'.repeat(43)}`, origin: 'https://probe.example' })).status);
    assert.ok(statuses.includes(401) && statuses.at(-1) === 429, statuses.join(','));
  });
});

describe('automation API: refusals', () => {
  it('refuses a wrong Host (DNS rebinding), with nothing for the page to read', async () => {
    const r = await rig();
    const token = await r.pair(['read', 'calls']);
    const refused = await r.call('/api/v1/calls', { token, host: `evil.example:${r.port}`, origin: 'http://evil.example', body: { number: '123' } });
    assertProblem(refused, 421, 'wrong-host');
    assert.equal(refused.headers['access-control-allow-origin'], undefined);
    assert.deepEqual(r.voice.commands, []);
  });

  it('refuses a token in the address, whatever it is called, and never acts on it', async () => {
    const r = await rig();
    const token = await r.pair(['read', 'calls']);
    for (const path of [`/api/v1/desk?access_token=${token}`, `/api/v1/desk?t=${token}`, '/api/v1/desk?api_key=whatever', `/api/v1/calls?token=${token}`]) {
      const answer = await r.call(path, { method: path.includes('calls') ? 'POST' : 'GET', body: path.includes('calls') ? { number: '123' } : undefined });
      const refused = assertProblem(answer, 400, 'token-in-url');
      assert.match(refused.detail, /Authorization header/);
    }
    assert.deepEqual(r.voice.commands, []);
    assert.ok(!r.logs.join('\n').includes(token), 'the token is in no log line');
  });

  it('takes a token from the Authorization header only: one in a cookie or another header is no token', async () => {
    const r = await rig();
    const token = await r.pair(['read', 'calls'], { origin: PAGE });
    const elsewhere: Array<Record<string, string>> = [{ Cookie: `token=${token}` }, { Cookie: `Authorization=Bearer ${token}` }, { 'X-Api-Key': token }, { 'X-Auth-Token': token }];
    for (const headers of elsewhere) {
      assertProblem(await r.call('/api/v1/calls', { origin: PAGE, headers, body: { number: '+358401234567' } }), 401, 'unauthorized');
    }
    assertProblem(await r.call('/api/v1/desk', { origin: PAGE, headers: { Authorization: `Basic ${Buffer.from(`x:${token}`).toString('base64')}` } }), 401, 'unauthorized');
    assert.deepEqual(r.voice.commands, []);
    assert.equal((await r.call('/api/v1/desk', { token, origin: PAGE })).status, 200, 'the same token in Authorization works');
  });

  it('refuses an unpaired page, an unknown token, a token from another origin, and a page without an origin', async () => {
    const r = await rig();
    const token = await r.pair(['read', 'calls'], { origin: PAGE });
    const none = await r.call('/api/v1/desk', { origin: 'https://unpaired.example' });
    assertProblem(none, 401, 'unauthorized');
    assert.match(String(none.headers['www-authenticate']), /^Bearer/);
    assertProblem(await r.call('/api/v1/desk', { token: `aca_${'A'.repeat(43)}` }), 401, 'unauthorized');
    const stolen = await r.call('/api/v1/calls', { token, origin: 'https://unpaired.example', body: { number: '123' } });
    assertProblem(stolen, 403, 'wrong-origin');
    assert.equal(stolen.headers['access-control-allow-origin'], 'https://unpaired.example', 'the page may read why');
    assertProblem(await r.call('/api/v1/desk', { token, origin: 'null' }), 403, 'null-origin');
    assert.deepEqual(r.voice.commands, []);
  });

  it('refuses bodies that are too large, not JSON, or not valid, naming the field', async () => {
    const r = await rig();
    const token = await r.pair(['calls']);
    assertProblem(await r.call('/api/v1/calls', { token, raw: JSON.stringify({ number: '1'.repeat(20_000) }) }), 413, 'too-large');
    assertProblem(await r.call('/api/v1/calls', { token, raw: 'number=123', contentType: 'application/x-www-form-urlencoded' }), 415, 'unsupported-media-type');
    assertProblem(await r.call('/api/v1/calls', { token, raw: '{"number":' }), 400, 'invalid-json');
    const typo = assertProblem(await r.call('/api/v1/calls', { token, body: { numbr: '123' } }), 400, 'invalid-request');
    assert.deepEqual(
      typo.errors.map((e: { field: string }) => e.field),
      ['number', 'numbr'],
    );
    assert.deepEqual(r.voice.commands, []);
  });

  it('cuts off a request whose headers or address are over 16 KB, and never acts on it', async () => {
    const r = await rig();
    const token = await r.pair(['calls']);
    await assert.rejects(r.call('/api/v1/calls', { token, headers: { 'X-Padding': 'x'.repeat(20_000) }, body: { number: '+358401234567' } }), /socket hang up|ECONNRESET/);
    await assert.rejects(r.call(`/api/v1/calls?${'p=1&'.repeat(5_000)}`, { token, body: { number: '+358401234567' } }), /socket hang up|ECONNRESET/);
    assert.deepEqual(r.voice.commands, []);
    assert.equal((await r.call('/api/v1/calls', { token, body: { number: '+358401234567' } })).status, 202, 'and still serves the next one');
  });

  it('answers unknown routes, wrong methods and preflights', async () => {
    const r = await rig();
    assertProblem(await r.call('/api/v1/nothing'), 404, 'not-found');
    const wrong = assertProblem(await r.call('/api/v1/desk', { method: 'DELETE' }), 405, 'method-not-allowed');
    assert.match(wrong.detail, /GET/);
    const preflight = await r.call('/api/v1/calls', { method: 'OPTIONS', origin: PAGE, headers: { 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Private-Network': 'true' } });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers['access-control-allow-origin'], PAGE);
    assert.match(String(preflight.headers['access-control-allow-headers']), /Authorization/);
    assert.equal(preflight.headers['access-control-allow-private-network'], 'true');
    assert.equal((await r.call('/api/v1/calls', { method: 'OPTIONS', origin: 'null' })).status, 403);
  });

  it('logs refusals once a minute per reason, with the count, however many there are', async () => {
    const r = await rig();
    for (let i = 0; i < 8; i++) await r.call('/api/v1/desk', { host: 'rebound.example' });
    const lines = r.logs.filter((line) => line.includes('"reason":"wrong-host"'));
    assert.equal(lines.length, 1, lines.join('\n'));
  });
});
