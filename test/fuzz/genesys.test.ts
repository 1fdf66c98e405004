/**
 * Fuzzing Genesys's parsers: the document's two examples (`test/fixtures/genesys/`), the
 * simulator's notification shapes and the bench stream's long-poll answers, mutated
 * (`mutate.ts`), through every parser the connector reads CometD notifications and REST with. No
 * exception escapes; what the connector cannot use is logged and dropped; the parse path lives on.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createLogger } from '../../main/log.js';
import { genesysBench, genesysNotification, longPollText } from '../../main/vendors/genesys/testing.js';
import { withoutOversized } from '../../main/vendors/genesys/cometd-runtime.js';
import { notificationHandler } from '../../main/vendors/genesys/connector.js';
import type { GenesysAccount } from '../../main/vendors/genesys/config.js';
import { callPatchOf, chatMessagesOf, chatPatchOf, foldChannels, foldDevices, NO_PRESENCE_INPUTS, parseGenesysMessage, presenceOf, routeNotification, TOO_DEEP } from '../../main/vendors/genesys/normalize.js';
import {
  callResourceSchema,
  callsResponseSchema,
  channelSchema,
  chatMessageSchema,
  chatResourceSchema,
  chatsResponseSchema,
  deviceSchema,
  meResponseSchema,
  messagesResponseSchema,
  operationResponseSchema,
  parseEach,
} from '../../main/vendors/genesys/schema.js';
import { captureLog, check, mutated, mutatedText, notPlain, textOf, valueOf, WARN } from './mutate.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/genesys/${name}`, import.meta.url), 'utf8'));
const DOCUMENT = [fixture('chat-state-change.example.json'), fixture('message-log-updated.example.json')];
const NOTIFICATIONS = [...DOCUMENT, ...Array.from({ length: 20 }, (_, i) => genesysNotification(i)), genesysNotification(41), genesysNotification(44), genesysNotification(49), genesysNotification(54)];
const DEVICES = { messageType: 'DeviceStateChangeMessage', notificationType: 'StateChange', devices: [{ id: 'dev1', deviceState: 'Active', userState: { state: 'NotReady', workMode: 'AfterCallWork', reason: 'Coffee' }, doNotDisturb: 'Off', phoneNumber: '5001' }] };
const CHANNELS = { messageType: 'ChannelStateChangeMessageV2', notificationType: 'StateChange', channels: [{ channel: 'voice', userState: { state: 'Ready', displayName: 'Ready' } }, { channel: 'chat', userState: { state: 'NotReady', reason: 'Lunch' } }] };
const FRAMES = genesysBench.frames(30) as string[];
const NOW = '2026-11-20T09:00:00.000Z';
const ACCOUNT = { id: 'fuzz', vendor: 'genesys', enabled: true, baseUrl: 'http://127.0.0.1:1', user: 'agent', channels: ['voice', 'chat'] } as unknown as GenesysAccount;
const silent = createLogger('silent');

describe('Genesys parsers, fuzzed', () => {
  it('notifications (the document’s, the simulator’s, the stream’s): parsed and routed, or refused; never a throw', () => {
    check('genesys: parseGenesysMessage + routeNotification', mutated([...NOTIFICATIONS, DEVICES, CHANNELS, ...NOTIFICATIONS.map((n) => ({ channel: '/v2/me/chats', data: n }))]), (drawn) => {
      const parsed = parseGenesysMessage(valueOf(drawn));
      if (parsed.ok) assert.equal(notPlain(routeNotification(parsed.message, NOW)), undefined);
    });
  });

  it('the connector’s notification handler (presence, calls, chats) takes any notification of any topic', () => {
    check('genesys: notification handler', fc.tuple(fc.constantFrom('/v2/me/calls', '/v2/me/chats', '/v2/me/devices', '/v2/me/channels'), mutated([...NOTIFICATIONS, DEVICES, CHANNELS])), ([topic, drawn]) => {
      const events: unknown[] = [];
      const notify = notificationHandler(ACCOUNT, { emit: (event) => events.push(event), log: silent });
      notify(topic, valueOf(drawn));
      assert.equal(notPlain(events), undefined);
    });
  });

  describe('seeds the fuzzer failed on, kept', () => {
    const deep = (n: number): unknown => JSON.parse(`${'{"a":'.repeat(n)}1${'}'.repeat(n)}`);
    const deepArray = (n: number): unknown => JSON.parse(`${'['.repeat(n)}1${']'.repeat(n)}`);
    const chat = (DOCUMENT[0] as { data: { messageType: string; notificationType: string; chat: Record<string, unknown> } }).data;

    it('a messageType naming a member of Object.prototype ("__proto__", "toString") is ignored, not a TypeError', () => {
      for (const messageType of ['__proto__', 'toString', 'constructor', 'hasOwnProperty']) {
        assert.deepEqual(parseGenesysMessage({ ...chat, messageType }), { ok: false, ignored: true, messageType });
      }
    });

    it('attached data nested 20 000 levels deep flattens (dotted keys), and too deep an array shows as such', () => {
      const parsed = parseGenesysMessage({ ...chat, chat: { ...chat.chat, userData: { Topic: 'Billing', nested: deep(20_000), list: deepArray(20_000) } } });
      assert.ok(parsed.ok);
      const [event] = routeNotification(parsed.message, NOW);
      const userData = (event as { chat: { userData: Record<string, string> } }).chat.userData;
      assert.equal(userData.Topic, 'Billing');
      assert.equal(userData.list, TOO_DEEP);
      assert.equal(Object.keys(userData).find((k) => k.startsWith('nested.'))?.split('.').length, 20_001);
    });

    it('a chatUri that is not valid percent-encoding ("%E0%A4%A") names the chat as written, not a URIError', () => {
      const log = (DOCUMENT[1] as { data: Record<string, unknown> }).data;
      const parsed = parseGenesysMessage({ ...log, chatUri: 'http://gws/api/v2/chats/%E0%A4%A' });
      assert.ok(parsed.ok);
      assert.equal((routeNotification(parsed.message, NOW)[0] as { chatId: string }).chatId, '%E0%A4%A');
    });

    it('a timestampSeconds beyond the range of a date (1e20) falls back to the text timestamp, not a RangeError', () => {
      const [line] = chatMessagesOf([{ index: 1, text: 'hi', timestamp: '2014-01-09 11:58:12.035+0200', timestampSeconds: 1e20 }], NOW);
      assert.equal(line!.at, '2014-01-09T09:58:12.035Z');
    });

    it('the size screen drops a message too deep to write (its channel too) instead of throwing and leaving the long poll unanswered', () => {
      const dropped: unknown[] = [];
      const limit = { bytes: 1_000, onOversized: (d: unknown) => dropped.push(d) };
      const good = { channel: '/v2/me/chats', data: { messageType: 'x' } };
      const text = `[${JSON.stringify(good)},{"channel":"/v2/me/calls","data":${'['.repeat(20_000)}1${']'.repeat(20_000)}},{"channel":${'['.repeat(20_000)}1${']'.repeat(20_000)}}]`;
      assert.deepEqual(JSON.parse(withoutOversized(text, limit)), [good]);
      assert.equal(dropped.length, 2);
    });
  });

  it('a malformed notification is logged as a warning and dropped', () => {
    const log = captureLog();
    const events: unknown[] = [];
    const notify = notificationHandler(ACCOUNT, { emit: (e) => events.push(e), log: createLogger('debug', log.destination) });
    for (const bad of [
      { messageType: 'CallStateChangeMessage', call: { state: 42 } },
      { messageType: 'MessageLogUpdated', notificationType: 'NewMessages', messages: 'none', chatUri: 'x/y' },
      { messageType: 'ChatStateChangeMessage', chat: {} },
    ]) {
      log.clear();
      notify('/v2/me/chats', bad);
      assert.ok(log.lines.some((l) => l.level === WARN), `a warning for ${JSON.stringify(bad)}`);
    }
    assert.deepEqual(events, []);
  });

  it('the oversized-message screen takes any long-poll answer', () => {
    check('genesys: withoutOversized', fc.oneof(mutatedText(FRAMES), mutated(NOTIFICATIONS.map((n) => [{ channel: '/v2/me/chats', data: n }]))), (drawn) => {
      const text = typeof drawn === 'string' ? drawn : textOf(drawn);
      assert.equal(typeof withoutOversized(text, { bytes: 64 * 1024, onOversized: () => undefined }), 'string');
    });
  });

  it('REST answers (/me, calls, chats, transcripts, operations): each item read or refused alone; never a throw', () => {
    const me = { statusCode: 0, user: { id: 'u1', userName: 'agent', firstName: 'Alex', devices: [DEVICES.devices[0]], channels: CHANNELS.channels } };
    const calls = { statusCode: 0, calls: [{ id: 'c1', state: 'Established', callType: 'Inbound', ani: '+1', dnis: '2', capabilities: ['Hangup'], userData: { a: { b: 1 } }, participants: [{ number: '+1' }] }] };
    const chats = { statusCode: 0, chats: [(DOCUMENT[0] as { chat: unknown }).chat] };
    const messages = { statusCode: 0, messages: (DOCUMENT[1] as { messages: unknown[] }).messages };
    check('genesys: REST answers', mutated([me, calls, chats, messages, { statusCode: 7, statusMessage: 'partial', referenceId: '12' }]), (drawn) => {
      const body = valueOf(drawn);
      operationResponseSchema.safeParse(body);
      const who = meResponseSchema.safeParse(body);
      if (who.success) {
        const inputs = foldChannels(foldDevices(NO_PRESENCE_INPUTS, { devices: parseEach(deviceSchema, who.data.user.devices ?? []).items }), { channels: parseEach(channelSchema, who.data.user.channels ?? []).items });
        presenceOf(inputs);
      }
      const c = callsResponseSchema.safeParse(body);
      if (c.success) parseEach(callResourceSchema, c.data.calls).items.map((call) => callPatchOf(call));
      const h = chatsResponseSchema.safeParse(body);
      if (h.success) parseEach(chatResourceSchema, h.data.chats).items.map(chatPatchOf);
      const m = messagesResponseSchema.safeParse(body);
      if (m.success) chatMessagesOf(parseEach(chatMessageSchema, m.data.messages).items, NOW);
    });
  });

  it('the whole parse path (size screen, CometD’s parse, the handler) takes any long-poll answer and lives on', () => {
    const good = longPollText([{ channel: '/v2/me/calls', data: genesysNotification(41).data }]);
    check('genesys: bench parse path', fc.oneof(mutatedText(FRAMES), mutated(NOTIFICATIONS.map((n) => [{ channel: '/v2/me/chats', data: n }]))), (drawn) => {
      const parse = genesysBench.parser(silent);
      assert.equal(notPlain(parse(typeof drawn === 'string' ? drawn : textOf(drawn))), undefined);
      assert.ok(parse(good).length > 0, 'a good answer after it still folds');
    });
  });
});
