/**
 * Golden: the 3C Event adapter document's tables (transcribed verbatim in
 * `test/fixtures/threec/document-tables.json`) and example events built from them
 * (`test/fixtures/threec/events.json`), through the parsers and the desk picture.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ConnectorEvent } from '../../main/desk/events.js';
import { createLogger } from '../../main/log.js';
import { PROPERTY_MAX_LENGTH, threecAccountSchema } from '../../main/vendors/threec/config.js';
import { commandFrame, connectFrame, parseLinkFrame, responseFrameSchema } from '../../main/vendors/threec/contract.js';
import { ThreecDesk } from '../../main/vendors/threec/normalize.js';
import { COMMANDS, EVENTS, MAX_TERMINALS_PER_REQUEST, commandPropertiesSchemas, parseAdapterEvent, type CommandProperties } from '../../main/vendors/threec/schema.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'threec');

interface Tables {
  properties: Array<{ name: string; required: boolean; type: string; maximumLength: number; comments: string }>;
  commands: Record<string, { request: Array<{ name: string; type: string; required: boolean; description?: string }>; response?: Array<{ name: string; type: string }> }>;
  events: Record<string, { properties: Array<{ name: string; type: string }> }>;
}
const tables = JSON.parse(readFileSync(join(FIXTURES, 'document-tables.json'), 'utf8')) as Tables;
const examples = (JSON.parse(readFileSync(join(FIXTURES, 'events.json'), 'utf8')) as { events: Array<{ event: string; properties?: Record<string, unknown> }> }).events;

/** The property names of a value, as the document writes them (`users`, `users[0].username`). */
function documentNames(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return [prefix, ...documentNames(value[0], `${prefix}[0]`)];
  if (value && typeof value === 'object') {
    const names: string[] = prefix && !prefix.endsWith(']') ? [prefix] : [];
    for (const [key, inner] of Object.entries(value)) names.push(...documentNames(inner, prefix ? `${prefix}.${key}` : key));
    return names;
  }
  return prefix ? [prefix] : [];
}

const REQUESTS: { [C in keyof CommandProperties]: CommandProperties[C] } = {
  startMonitoringUsers: { users: [{ username: 'test@domain' }] },
  stopMonitoringUsers: { users: [{ username: 'test@domain' }] },
  startMonitoringTerminals: { terminals: [{ addressvalue: '1001', addresstype: 'ext' }] },
  stopMonitoringTerminals: { terminals: [{ addressvalue: '1001', addresstype: 'ext' }] },
  sendText: { destuser: 'colleague@domain', message: 'On my way' },
};

describe('3C Event adapter document, golden', () => {
  it('the account carries the document’s properties, each required and at most 1024 characters; the UPN example parses', () => {
    assert.deepEqual(
      tables.properties.map((p) => [p.name, p.required, p.maximumLength]),
      [
        ['serveruri', true, PROPERTY_MAX_LENGTH],
        ['username', true, PROPERTY_MAX_LENGTH],
        ['password', true, PROPERTY_MAX_LENGTH],
      ],
    );
    const frame = connectFrame({ serveruri: 'https://serverdnsname/SphericallService', username: 'test@domain', password: 'p' });
    assert.deepEqual(Object.keys(frame.properties), tables.properties.map((p) => p.name));
    const parsed = threecAccountSchema.safeParse({
      id: 'doc',
      vendor: 'threec',
      linkUrl: 'wss://link.example/3c-event',
      serveruri: 'https://serverdnsname/SphericallService',
      username: 'test@domain',
      password: 'p',
    });
    assert.ok(parsed.success, JSON.stringify(parsed.error?.issues));
  });

  it('every command the document lists is sent with exactly its request properties', () => {
    assert.deepEqual([...COMMANDS].sort(), Object.keys(tables.commands).sort());
    for (const command of COMMANDS) {
      const frame = commandFrame('id-1', command, REQUESTS[command] as never);
      assert.equal(frame.command, command);
      assert.ok(commandPropertiesSchemas[command].safeParse(frame.properties).success, command);
      assert.deepEqual(documentNames(frame.properties).sort(), tables.commands[command]!.request.map((p) => p.name).sort(), command);
    }
  });

  it('the terminal limit is the document’s 500', () => {
    const limit = Number(/up to (\d+) terminals/.exec(tables.commands['startMonitoringTerminals']!.request[0]!.description ?? '')?.[1]);
    assert.equal(MAX_TERMINALS_PER_REQUEST, limit);
  });

  it('reads the response table’s status and errorMessage', () => {
    for (const command of ['startMonitoringTerminals', 'stopMonitoringTerminals']) {
      assert.deepEqual(tables.commands[command]!.response!.map((p) => p.name), ['status', 'errorMessage']);
    }
    assert.deepEqual(responseFrameSchema.parse({ type: 'response', id: '1', status: 'failure', errorMessage: 'terminal 1002 failed' }), {
      type: 'response',
      id: '1',
      status: 'failure',
      errorMessage: 'terminal 1002 failed',
    });
    assert.equal(responseFrameSchema.parse({ type: 'response', id: '1', status: 'success' }).errorMessage, undefined);
  });

  it('has an example of every event, carrying every property of its table with the table’s type', () => {
    assert.deepEqual([...EVENTS].sort(), Object.keys(tables.events).sort());
    for (const [name, table] of Object.entries(tables.events)) {
      const mine = examples.filter((e) => e.event === name);
      assert.ok(mine.length > 0, `an example of ${name}`);
      for (const example of mine) {
        assert.deepEqual(Object.keys(example.properties ?? {}).sort(), table.properties.map((p) => p.name).sort(), name);
        for (const p of table.properties) assert.equal(typeof example.properties![p.name], p.type, `${name}.${p.name}`);
      }
    }
  });

  it('parses every example and folds it into the desk', () => {
    const desk = new ThreecDesk(
      {
        me: 'test@domain',
        ownTerminals: [{ addressvalue: '1001', addresstype: 'ext' }],
        colleagues: ['colleague@domain'],
        colleagueTerminals: [],
      },
      { repeatWindowMs: 5_000, log: createLogger('silent') },
    );
    const out: ConnectorEvent[] = [];
    for (const example of examples) {
      const frame = parseLinkFrame(JSON.stringify(example));
      assert.ok(frame.ok && frame.frame.type === 'event', JSON.stringify(frame));
      const event = parseAdapterEvent(frame.frame.event, frame.frame.properties);
      assert.ok(event.ok && event.event, example.event);
      if (event.event.event === 'connected3C') continue;
      out.push(...desk.handle(event.event, String(frame.frame.timestamp)));
    }
    assert.deepEqual(out, [
      { type: 'presence', presence: { state: 'ready', label: 'Available', since: '2026-11-20T09:00:01.000Z' } },
      {
        type: 'team',
        member: {
          id: 'colleague@domain',
          name: 'colleague@domain',
          group: 'Watched in 3C',
          presence: { state: 'not-ready', label: 'Away', reason: 'Back at 10', since: '2026-11-20T09:00:02.000Z' },
          onCall: false,
          canChat: true,
        },
      },
      {
        type: 'chat',
        chat: {
          id: 'colleague@domain',
          state: 'invited',
          participants: [{ id: 'colleague@domain', name: 'colleague@domain', role: 'customer' }],
          actions: ['send'],
          startedAt: '2026-11-20T09:00:03.000Z',
        },
      },
      {
        type: 'chat.messages',
        chatId: 'colleague@domain',
        messages: [
          {
            id: '1',
            index: 1,
            from: { id: 'colleague@domain', name: 'colleague@domain', role: 'customer' },
            text: 'Can you take my calls for an hour?',
            at: '2026-11-20T09:00:03.000Z',
            kind: 'text',
          },
        ],
      },
      {
        type: 'call',
        call: {
          id: '5107',
          state: 'ringing',
          direction: 'inbound',
          caller: '+358401234567',
          target: '1001',
          actions: [],
          userData: { Terminal: '1001 (ext)', 'Call type': 'External' },
          startedAt: '2026-11-20T09:00:04.000Z',
        },
      },
      { type: 'call', call: { id: '5107', state: 'ended', endedAt: '2026-11-20T09:00:40.000Z', endReason: 'Disconnected' } },
    ]);
  });

  it('tolerates what the wild may send without changing the meaning: nulls, a numeric call id, "true" as text', () => {
    const event = parseAdapterEvent('monitoredTerminalEventReceived', {
      address: '1001',
      addressType: null,
      calledAddressValue: null,
      calledAddressType: null,
      caller: null,
      callType: null,
      isIncoming: 'true',
      callState: 'Ringing',
      call: 5107,
      extra: 'ignored',
    });
    assert.ok(event.ok && event.event?.event === 'monitoredTerminalEventReceived');
    assert.deepEqual(event.event.properties, {
      address: '1001',
      addressType: undefined,
      calledAddressValue: undefined,
      calledAddressType: undefined,
      caller: undefined,
      callType: undefined,
      isIncoming: true,
      callState: 'Ringing',
      call: '5107',
    });
    assert.equal(parseAdapterEvent('presenceChanged', { presence: 'Available' }).ok, false, 'no user: refused');
    assert.equal(parseAdapterEvent('imReceived', { receivingUser: 'a@b', message: 'hi' }).ok, false, 'no sender: refused');
  });
});
