/** Unit tests of the Genesys parser, router, presence fold, config and CometD scope. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cometdScopeActive, inCometdScope, withoutOversized } from '../../main/vendors/genesys/cometd-runtime.js';
import { parseConfig } from '../../main/config.js';
import { genesysAccountSchema, notificationsUrl } from '../../main/vendors/genesys/config.js';
import {
  callPatchOf,
  chatMessagesOf,
  chatStateOf,
  flattenUserData,
  foldChannels,
  foldDevices,
  messageIdOf,
  NO_PRESENCE_INPUTS,
  parseGenesysTimestamp,
  presenceOf,
  routeNotification,
} from '../../main/vendors/genesys/normalize.js';
import { lastPathSegment, parseNotification } from '../../main/vendors/genesys/schema.js';

const NOW = '2026-11-20T09:00:00.000Z';

describe('Genesys config', () => {
  it('defaults channels to voice and chat and normalises the base URL', () => {
    const a = genesysAccountSchema.parse({ id: 'g', vendor: 'genesys', baseUrl: 'https://gws.example.com/api/v2/', user: 'u', password: 'p' });
    assert.deepEqual(a.channels, ['voice', 'chat']);
    assert.equal(a.baseUrl, 'https://gws.example.com');
    assert.equal(notificationsUrl(a.baseUrl), 'https://gws.example.com/api/v2/notifications');
    assert.equal(a.enabled, true);
  });
  it('rejects a non-http URL and an empty channel list', () => {
    assert.equal(genesysAccountSchema.safeParse({ id: 'g', vendor: 'genesys', baseUrl: 'ftp://x', user: 'u', password: 'p' }).success, false);
    assert.equal(
      genesysAccountSchema.safeParse({ id: 'g', vendor: 'genesys', baseUrl: 'https://x', user: 'u', password: 'p', channels: [] }).success,
      false,
    );
  });
  it('takes wrap-up reasons (dispositions), their key and whether one is required; none by default', () => {
    const base = { id: 'g', vendor: 'genesys', baseUrl: 'https://x', user: 'u', password: 'p' };
    const plain = genesysAccountSchema.parse(base);
    assert.deepEqual([plain.dispositions, plain.dispositionKey, plain.wrapUpRequired], [[], 'DispositionCode', false]);
    const set = genesysAccountSchema.parse({ ...base, dispositions: [{ code: 'SALE', label: 'Sale made' }], dispositionKey: 'Outcome', wrapUpRequired: true });
    assert.deepEqual([set.dispositions, set.dispositionKey, set.wrapUpRequired], [[{ code: 'SALE', label: 'Sale made' }], 'Outcome', true]);
  });
  it('names the field of a wrap-up reason mistake: a repeated code, an unknown key, a required reason with none to choose', () => {
    const base = { id: 'g', vendor: 'genesys', baseUrl: 'https://x', user: 'u', password: 'p' };
    const problems = (account: Record<string, unknown>): string => {
      try {
        parseConfig({ accounts: [account] });
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    };
    const twice = [
      { code: 'A', label: 'One' },
      { code: 'A', label: 'Two' },
    ];
    assert.match(problems({ ...base, dispositions: twice }), /accounts\[0\]\.dispositions\[1\]\.code.*listed twice/);
    assert.match(problems({ ...base, dispositions: [{ code: 'A', label: 'One', colour: 'red' }] }), /accounts\[0\]\.dispositions\[0\].*colour/);
    assert.match(problems({ ...base, wrapUpRequired: true }), /accounts\[0\]\.wrapUpRequired.*without dispositions/);
  });
});

describe('Genesys parser', () => {
  it('ignores unknown message types and reports malformed known ones', () => {
    assert.deepEqual(parseNotification({ messageType: 'EmailStateChangeMessage' }), { ok: false, ignored: true, messageType: 'EmailStateChangeMessage' });
    const bad = parseNotification({ messageType: 'CallStateChangeMessage', call: { state: 'Ringing' } });
    assert.equal(bad.ok, false);
    assert.equal(!bad.ok && bad.ignored, false);
    assert.equal(parseNotification('nonsense').ok, false);
  });
  it('keeps unknown fields and accepts numeric strings', () => {
    const r = parseNotification({
      messageType: 'MessageLogUpdated',
      notificationType: 'NewMessages',
      chatUri: 'https://h/api/v2/chats/ABC?x=1',
      messages: [{ index: '4', text: 'hi', timestampSeconds: '1389261492035', extra: true }],
      somethingNew: 1,
    });
    assert.ok(r.ok);
    assert.equal((r.notification as unknown as { somethingNew: number }).somethingNew, 1);
    const [event] = routeNotification(r.notification, NOW);
    assert.equal(event?.type === 'chat.messages' && event.chatId, 'ABC');
    assert.equal(event?.type === 'chat.messages' && event.messages[0]?.index, 4);
  });
  it('refuses a MessageLogUpdated with no way to find its chat', () => {
    const r = parseNotification({ messageType: 'MessageLogUpdated', notificationType: 'NewMessages', messages: [] });
    assert.equal(r.ok, false);
  });
  it('lastPathSegment', () => {
    assert.equal(lastPathSegment('http://localhost:8080/api/v2/chats/0000Wa9CAM6W00FN/'), '0000Wa9CAM6W00FN');
    assert.equal(lastPathSegment(undefined), undefined);
    // Asked again and again in turn (the schema's check, then the routing), each URI keeps its own answer.
    for (let i = 0; i < 2; i++) {
      assert.equal(lastPathSegment('http://gws.example.com/api/v2/chats/A%20B?x=/y#z/w'), 'A B');
      assert.equal(lastPathSegment('http://gws.example.com/api/v2/chats/A%20B?x=/y#z/w'), 'A B');
      assert.equal(lastPathSegment('http://gws.example.com/api/v2/chats/C#frag/ment'), 'C');
      assert.equal(lastPathSegment('http://gws.example.com/api/v2/chats/%E0%A4%A'), '%E0%A4%A');
      assert.equal(lastPathSegment('http://gws.example.com/'), 'gws.example.com');
      assert.equal(lastPathSegment('///'), undefined);
    }
  });
});

describe('Genesys normalisation', () => {
  it('parses the document timestamp format and seconds-vs-milliseconds', () => {
    assert.equal(parseGenesysTimestamp('2014-01-09 11:58:12.035+0200'), 1389261492035);
    assert.equal(parseGenesysTimestamp('2014-01-09T09:58:12.035Z'), 1389261492035);
    const [ms, s] = chatMessagesOf(
      [
        { index: 1, text: 'a', timestampSeconds: 1389261492035 },
        { index: 2, text: 'b', timestampSeconds: 1389261492 },
      ],
      NOW,
    );
    assert.equal(ms!.at, '2014-01-09T09:58:12.035Z');
    assert.equal(s!.at, '2014-01-09T09:58:12.000Z');
  });
  it('message identity: same line same id; any differing part → another id', () => {
    const base = { index: 3, from: { participantId: 'P', nickname: 'N', type: 'Agent' }, text: 'x', timestampSeconds: 1 };
    assert.equal(messageIdOf(base), messageIdOf({ ...base }));
    assert.notEqual(messageIdOf(base), messageIdOf({ ...base, text: 'y' }));
    assert.notEqual(messageIdOf(base), messageIdOf({ ...base, timestampSeconds: 2 }));
    assert.notEqual(messageIdOf(base), messageIdOf({ ...base, from: { ...base.from, participantId: 'Q' } }));
    // Parts that would read alike run together are still told apart: a text moved between the
    // sender and the line, a line with no type and one whose type is the word "null".
    const a = { index: 3, from: { participantId: 'ab' }, text: 'c', timestampSeconds: 1 };
    const b = { index: 3, from: { participantId: 'a' }, text: 'bc', timestampSeconds: 1 };
    assert.notEqual(messageIdOf(a), messageIdOf(b));
    assert.notEqual(messageIdOf({ ...a, type: 'null' }), messageIdOf(a));
    // The id chatMessagesOf gives a line is messageIdOf's.
    assert.equal(chatMessagesOf([base], NOW)[0]!.id, messageIdOf(base));
    assert.match(messageIdOf(base), /^3-[0-9a-f]{16}$/);
  });
  it('notices, typing indicators and system lines', () => {
    const out = chatMessagesOf(
      [
        { index: 1, type: 'ParticipantJoined', from: { nickname: 'Maija', type: 'Customer', participantId: 'C' } },
        { index: 2, type: 'TypingStarted', from: { nickname: 'Maija', type: 'Customer', participantId: 'C' } },
        { index: 3, type: 'Notice', text: 'Chat transferred' },
      ],
      NOW,
    );
    assert.deepEqual(
      out.map((m) => [m.kind, m.text, m.from.role, m.at]),
      [
        ['notice', 'Maija joined', 'customer', NOW],
        ['notice', 'Chat transferred', 'system', NOW],
      ],
    );
  });
  it('chat states', () => {
    assert.equal(chatStateOf('Invited', ['Accept', 'Reject']), 'invited');
    assert.equal(chatStateOf('Chatting', []), 'active');
    assert.equal(chatStateOf('Completed', undefined), 'ended');
    assert.equal(chatStateOf('Revoked', undefined), 'ended');
    assert.equal(chatStateOf('Mystery', ['Accept']), 'invited');
    assert.equal(chatStateOf('Mystery', ['SendMessage']), 'active');
    assert.equal(chatStateOf(undefined, undefined), undefined);
  });
  it('a chat Error notification becomes the chat error', () => {
    const r = parseNotification({
      messageType: 'ChatStateChangeMessage',
      notificationType: 'Error',
      chat: { id: 'C1', state: 'Chatting', capabilities: ['SendMessage'] },
      errorMessage: 'Message could not be delivered',
    });
    assert.ok(r.ok);
    const [event] = routeNotification(r.notification, NOW);
    assert.equal(event?.type === 'chat' && event.chat.error, 'Message could not be delivered');
  });
  it('calls: states, direction, caller/target, actions, user data', () => {
    assert.deepEqual(
      callPatchOf({ id: 'K', state: 'Ringing', callType: 'Inbound', ani: '+358', dnis: '800', capabilities: ['Answer', 'Foo'], userData: { a: 1, b: { c: null } } }),
      { id: 'K', state: 'ringing', direction: 'inbound', caller: '+358', target: '800', actions: ['answer'], userData: { a: '1', 'b.c': '' } },
    );
    assert.equal(callPatchOf({ id: 'K', state: 'Ringing', callType: 'Outbound' }).state, 'dialing');
    assert.equal(callPatchOf({ id: 'K', state: 'Established' }).state, 'connected');
    assert.equal(callPatchOf({ id: 'K', state: 'Held' }).state, 'held');
    assert.equal(callPatchOf({ id: 'K', state: 'Dialing', callType: 'Consult' }).direction, 'consult');
    assert.deepEqual(callPatchOf({ id: 'K', state: 'Released', capabilities: ['Hangup'] }).actions, []);
  });
  it('flattens user data to strings', () => {
    assert.deepEqual(flattenUserData({ s: 'x', n: 2, t: true, l: [1, 2], o: { p: 'q' } }), { s: 'x', n: '2', t: 'true', l: '[1,2]', 'o.p': 'q' });
  });
  it('presence: ready, not-ready with reason, wrap-up, DND, least available wins', () => {
    let inputs = foldDevices(NO_PRESENCE_INPUTS, { devices: [{ id: 'd', userState: { state: 'Ready' }, doNotDisturb: 'Off' }] });
    assert.deepEqual(presenceOf(inputs), { state: 'ready', label: 'Ready' });
    inputs = foldChannels(inputs, { channels: [{ channel: 'chat', userState: { state: 'NotReady', workMode: 'AuxWork', reason: 'Lunch' } }] });
    assert.deepEqual(presenceOf(inputs), { state: 'not-ready', label: 'NotReady (AuxWork)', reason: 'Lunch' });
    inputs = foldDevices(inputs, { devices: [{ id: 'd', userState: { state: 'NotReady', workMode: 'AfterCallWork', displayName: 'After Call Work' } }] });
    assert.deepEqual(presenceOf(inputs), { state: 'wrap-up', label: 'After Call Work' });
    inputs = foldDevices(inputs, { devices: [{ id: 'd', doNotDisturb: 'On' }] });
    assert.equal(presenceOf(inputs)?.state, 'do-not-disturb');
    assert.equal(presenceOf(NO_PRESENCE_INPUTS), undefined);
    assert.equal(presenceOf(foldChannels(NO_PRESENCE_INPUTS, { channels: [{ channel: 'voice', userState: { state: 'LoggedOut' } }] }))?.state, 'offline');
  });
});

describe('CometD scope', () => {
  it('defines window only inside, restores a foreign one, and is re-entrant', () => {
    assert.equal(typeof (globalThis as { window?: unknown }).window, 'undefined');
    const seen = inCometdScope(() => {
      const inner = inCometdScope(() => typeof (globalThis as { window?: unknown }).window);
      return [typeof (globalThis as { window?: { setTimeout?: unknown } }).window?.setTimeout, inner, cometdScopeActive()];
    });
    assert.deepEqual(seen, ['function', 'object', true]);
    assert.equal(typeof (globalThis as { window?: unknown }).window, 'undefined');
    assert.equal(cometdScopeActive(), false);
    const foreign = { mine: true };
    (globalThis as { window?: unknown }).window = foreign;
    try {
      inCometdScope(() => assert.notEqual((globalThis as { window?: unknown }).window, foreign));
      assert.equal((globalThis as { window?: unknown }).window, foreign);
    } finally {
      delete (globalThis as { window?: unknown }).window;
    }
    assert.throws(() => inCometdScope(() => { throw new Error('boom'); }), /boom/);
    assert.equal(typeof (globalThis as { window?: unknown }).window, 'undefined');
  });
});

describe('CometD message size cap', () => {
  const dropped: Array<{ channel: string; bytes: number }> = [];
  const limit = { bytes: 100, onOversized: (d: { channel: string; bytes: number }) => void dropped.push(d) };

  it('drops oversized notifications, keeps the others and every meta reply, and reports each drop', () => {
    dropped.length = 0;
    const response = JSON.stringify([
      { channel: '/v2/me/chats', data: { text: 'x'.repeat(200) } },
      { channel: '/v2/me/calls', data: { ok: true } },
      { channel: '/meta/connect', successful: true, ext: { padding: 'y'.repeat(200) } },
    ]);
    const kept = JSON.parse(withoutOversized(response, limit)) as Array<{ channel: string }>;
    assert.deepEqual(kept.map((m) => m.channel), ['/v2/me/calls', '/meta/connect']);
    assert.deepEqual(dropped.map((d) => d.channel), ['/v2/me/chats']);
    assert.ok(dropped[0]!.bytes > 200);
  });

  it('leaves a response alone when nothing in it is over the cap, or when it is not a JSON array', () => {
    dropped.length = 0;
    const small = JSON.stringify([{ channel: '/v2/me/calls', data: { ok: true } }]);
    assert.equal(withoutOversized(small, limit), small);
    const notJson = `[${'z'.repeat(300)}`;
    assert.equal(withoutOversized(notJson, limit), notJson);
    assert.deepEqual(dropped, []);
  });
});
