/**
 * Golden tests: every example payload of the Enreach RTE document, extracted verbatim into
 * `test/fixtures/enreach/` (see extract.mjs there), parsed in PascalCase (as printed), camelCase (as
 * the hub sends, VENDOR-NOTES [C]) and with a numeric `eventType` where one is known, then routed to
 * desk events which are asserted field by field.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { routeEvent, subscriptionIssues } from '../../main/vendors/enreach/normalize.js';
import { readRteToken } from '../../main/vendors/enreach/rest.js';
import {
  callbackAttemptSchema,
  callbackExtraSchema,
  callbackRelatedItemSchema,
  normalizeKeys,
  parseEvent,
  parseMessage,
  queueAttachedUserSchema,
  queueGroupSchema,
  subscriptionResultsSchema,
  type EnreachEvent,
} from '../../main/vendors/enreach/schema.js';

const DIR = new URL('../fixtures/enreach/', import.meta.url);
const read = (file: string): string => readFileSync(new URL(file, DIR), 'utf8');
const json = (file: string): Record<string, unknown> => JSON.parse(read(file)) as Record<string, unknown>;

const ZERO = '00000000-0000-0000-0000-000000000000';
const TS = '2020-01-01T12:00:00.000Z';
const NUM = '+123457890123';
const NUMBERS: Record<string, number> = { UserAvailability: 1, UserCallInComing: 10, QueueStatus: 140, UserStatus: 141 };

/** An independent camelCase: lower the first letter of every key (what the hub does to these keys). */
function camel(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camel);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k[0]!.toLowerCase() + k.slice(1), camel(v)]));
}

/** The example in every form the wire may use. */
function variants(raw: Record<string, unknown>): Array<{ form: string; data: unknown }> {
  const out: Array<{ form: string; data: unknown }> = [
    { form: 'PascalCase', data: raw },
    { form: 'camelCase', data: camel(raw) },
  ];
  const n = NUMBERS[String(raw.EventType)];
  if (n !== undefined) {
    out.push({ form: 'PascalCase, numeric eventType', data: { ...raw, EventType: n } });
    out.push({ form: 'camelCase, numeric eventType', data: { ...(camel(raw) as object), eventType: n } });
  }
  return out;
}

function parsed(data: unknown): EnreachEvent {
  const result = parseEvent(data);
  assert.ok(result.ok, `parse failed: ${result.ok ? '' : result.error}`);
  return result.event;
}

const inbound = (extra: Record<string, unknown>) => ({ id: ZERO, direction: 'inbound', caller: NUM, target: NUM, legId: 'Example LegId', actions: [], ...extra });
const outbound = (extra: Record<string, unknown>) => ({ ...inbound(extra), direction: 'outbound' });

/** What each example means on the desk (ctx: another user id, so nothing is "assigned to me"). */
const EXPECTED: Record<string, unknown[]> = {
  UserAlert: [],
  UserAvailability: [{ type: 'presence', presence: { state: 'not-ready', label: 'Example Availability', reason: 'Example Note' } }],
  UserCallAvailableForMonitoring: [],
  UserCallInArrived: [{ type: 'call', call: inbound({ state: 'ringing', startedAt: TS }) }],
  UserCallInCallbackCreated: [
    {
      type: 'callback',
      closed: false,
      callback: { id: ZERO, contactNumber: NUM, createdAt: TS, assignedToMe: true, attempts: 0, listId: ZERO, message: 'Example ContactMessage' },
    },
  ],
  UserCallInComing: [{ type: 'call', call: inbound({ state: 'ringing', startedAt: TS }) }],
  UserCallInDisconnected: [{ type: 'call', call: inbound({ state: 'ended', endedAt: TS, endReason: 'Example Reason' }) }],
  UserCallInHoldEnd: [{ type: 'call', call: { id: ZERO, direction: 'inbound', state: 'connected' } }],
  UserCallInHoldStart: [{ type: 'call', call: { id: ZERO, direction: 'inbound', state: 'held' } }],
  UserCallInOverflow: [{ type: 'call', call: inbound({ state: 'ended', endedAt: TS, endReason: 'overflow: Example OverflowReason' }) }],
  UserCallInRecordingConverted: [],
  UserCallInTransferCancelled: [],
  UserCallInTransferConnected: [{ type: 'call', call: inbound({ state: 'ended', endedAt: TS, endReason: 'transferred: Example ConnectedTarget' }) }],
  UserCallInTransferStarted: [],
  UserCallInUserAllocated: [{ type: 'call', call: inbound({ state: 'ringing', startedAt: TS }) }],
  UserCallInUserCancelled: [{ type: 'call', call: inbound({ state: 'ended', endedAt: TS, endReason: 'cancelled: Example Reason' }) }],
  UserCallInUserConnected: [{ type: 'call', call: inbound({ legId: 'Example AgentLegId', state: 'connected', connectedAt: TS }) }],
  UserCallInUserOverflow: [{ type: 'call', call: inbound({ state: 'ended', endedAt: TS, endReason: 'overflow: Example Reason' }) }],
  UserCallOutConnected: [{ type: 'call', call: outbound({ state: 'connected', connectedAt: TS }) }],
  UserCallOutDisconnected: [{ type: 'call', call: outbound({ state: 'ended', endedAt: TS, endReason: 'Example Reason' }) }],
  UserCallOutGoing: [{ type: 'call', call: outbound({ state: 'dialing', startedAt: TS }) }],
  UserCallOutHoldEnd: [{ type: 'call', call: { id: ZERO, direction: 'outbound', state: 'connected' } }],
  UserCallOutHoldStart: [{ type: 'call', call: { id: ZERO, direction: 'outbound', state: 'held' } }],
  UserCallOutRecordingConverted: [],
  UserRealTimeTranscriptPhrase: [],
  UserSetting: [],
  UserStatus: [
    { type: 'talking', talking: false },
    { type: 'wrapup', wrapUp: null },
  ],
  UserSupervisionStatus: [],
  UserTerminalStatusEvent: [],
  UserWrapUpEnabled: [],
  UserWrapUpRequestTerminate: [],
  UserWrapUpStarted: [{ type: 'wrapup', wrapUp: { startedAt: TS } }],
  UserWrapUpTerminated: [{ type: 'wrapup', wrapUp: null }],
  QueueStatus: [
    {
      type: 'queue',
      queue: { id: ZERO, waiting: 0, longestWaitSec: 0, agentsFree: 0, agentsServing: 0, agentsWrapUp: 0, open: 'unknown', name: 'Example QueueName', updatedAt: TS },
    },
  ],
  CallbackChanged: [
    {
      type: 'callback',
      closed: false,
      callback: {
        id: ZERO,
        contactNumber: NUM,
        createdAt: TS,
        assignedToMe: false,
        attempts: 0,
        listId: ZERO,
        contactName: 'Example ContactName',
        message: 'Example ContactMessage',
        note: 'Example Note',
      },
    },
  ],
};

/** Desk events with `undefined` members dropped, for comparison. */
function plain(events: readonly unknown[]): unknown {
  return JSON.parse(JSON.stringify(events));
}

const eventFiles = readdirSync(DIR).filter((f) => f.startsWith('event-') && f.endsWith('.json'));

describe('Enreach golden: every event example of the document', () => {
  it('has one fixture per documented event example, each with an expectation', () => {
    assert.equal(eventFiles.length, 35);
    const names = eventFiles.map((f) => f.slice('event-'.length, -'.json'.length)).sort();
    assert.deepEqual(names, Object.keys(EXPECTED).sort());
  });

  for (const file of eventFiles) {
    const name = file.slice('event-'.length, -'.json'.length);
    const raw = json(file);
    for (const { form, data } of variants(raw)) {
      it(`${name} (${form}) parses and routes to the expected desk events`, () => {
        const event = parsed(data);
        assert.notEqual(event.eventType, '(unknown)');
        assert.equal(event.eventType, String(raw.EventType)); // canonical name, also from a number
        // every documented field survives parsing (unknown fields are kept, nothing is lost)
        const normalized = normalizeKeys(raw) as Record<string, unknown>;
        for (const key of Object.keys(normalized)) assert.ok(key in event, `${key} kept`);
        assert.deepEqual(plain(routeEvent(event, { userId: 'aa9730c4-ce86-e611-80c9-00505689257e' })), plain(EXPECTED[name]!));
      });
    }
  }
});

describe('Enreach golden: the examples with meaningful values', () => {
  it('UserAvailability: DoNotDisturb, open-ended (9999) end, zone-less start read as UTC', () => {
    for (const { data } of variants({ ...json('event-UserAvailability.json'), Availability: 'DoNotDisturb', StartTime: '2024-05-01T08:00:00', EndTime: '9999-12-31T23:59:59.9999999' })) {
      assert.deepEqual(plain(routeEvent(parsed(data))), [
        { type: 'presence', presence: { state: 'do-not-disturb', label: 'DoNotDisturb', reason: 'Example Note', since: '2024-05-01T08:00:00.000Z' } },
      ]);
    }
  });

  it('UserAvailability: every documented value maps to a desk state, keeping the vendor label', () => {
    const expected = { Available: 'ready', Busy: 'not-ready', Away: 'not-ready', BRB: 'not-ready', DoNotDisturb: 'do-not-disturb', OffWork: 'offline' };
    for (const [availability, state] of Object.entries(expected)) {
      const [event] = routeEvent(parsed({ ...json('event-UserAvailability.json'), Availability: availability, EndTime: '2024-05-01T17:00:00' }));
      assert.deepEqual(event, { type: 'presence', presence: { state, label: availability, reason: 'Example Note', until: '2024-05-01T17:00:00.000Z' } });
    }
  });

  it('QueueStatus: figures and OpenStatus 5 (open), 3 (closed), 6 (open uncertain)', () => {
    const base = { ...json('event-QueueStatus.json'), NbrOfQueuingRequesters: 4, MaxWaitTime: 95, NbrOfAgentsImmediatelyFree: 2, NbrOfAgentsCheckedInQueue: 6, NbrOfAgentsOnWrapUp: 1 };
    for (const [status, open] of [
      [5, 'open'],
      [3, 'closed'],
      [6, 'open'],
      [1, 'closed'],
    ] as const) {
      for (const { data } of variants({ ...base, OpenStatus: status })) {
        const [event] = routeEvent(parsed(data));
        assert.equal(event?.type, 'queue');
        assert.deepEqual(event.type === 'queue' && event.queue, {
          id: ZERO,
          name: 'Example QueueName',
          waiting: 4,
          longestWaitSec: 95,
          agentsFree: 2,
          agentsServing: 6,
          agentsWrapUp: 1,
          open,
          updatedAt: TS,
        });
      }
    }
  });

  it('CallbackChanged: closed, assigned to me, attempts from the CallbackAttempt example, due date', () => {
    const me = 'aa9730c4-ce86-e611-80c9-00505689257e';
    const attempt = json('misc-CallbackAttempt.json');
    const data = { ...json('event-CallbackChanged.json'), IsClosed: true, AssignedUserId: me.toUpperCase(), CallbackAttempts: [attempt, attempt], DueDate: '2024-06-01T09:30:00' };
    for (const variant of variants(data)) {
      const [event] = routeEvent(parsed(variant.data), { userId: me });
      assert.ok(event?.type === 'callback');
      assert.equal(event.closed, true);
      assert.equal(event.callback.assignedToMe, true);
      assert.equal(event.callback.attempts, 2);
      assert.equal(event.callback.dueAt, '2024-06-01T09:30:00.000Z');
      assert.equal(event.callback.contactNumber, NUM);
    }
  });

  it('UserWrapUpStarted: endsAt = start + MaxWrapUpDurationSec, with the call id', () => {
    const data = { ...json('event-UserWrapUpStarted.json'), MaxWrapUpDurationSec: 90, CallId: ZERO };
    for (const { data: d } of variants(data)) {
      assert.deepEqual(routeEvent(parsed(d)), [{ type: 'wrapup', wrapUp: { startedAt: TS, endsAt: '2020-01-01T12:01:30.000Z', callId: ZERO } }]);
    }
  });

  it('UserStatus: talking and an active wrap-up', () => {
    const data = { ...json('event-UserStatus.json'), Talking: true, WrapUpStart: '2024-05-01T10:00:00', WrapUpEnd: '2024-05-01T10:01:00' };
    assert.deepEqual(routeEvent(parsed(data)), [
      { type: 'talking', talking: true },
      { type: 'wrapup', wrapUp: { startedAt: '2024-05-01T10:00:00.000Z', endsAt: '2024-05-01T10:01:00.000Z' } },
    ]);
  });

  it('unknown fields are kept and unknown numeric eventTypes are kept as they are', () => {
    const extra = parsed({ ...json('event-UserCallInComing.json'), QueueId: 'q-1', SomethingNew: { A: 1 } });
    assert.ok(extra.eventType === 'UserCallInComing');
    assert.deepEqual((extra as unknown as Record<string, unknown>).somethingNew, { a: 1 });
    const queueEvent = parsed({ ...json('event-UserCallInComing.json'), EventType: 102 });
    assert.ok(queueEvent.eventType === '(unknown)');
    assert.equal(queueEvent.type, 'QueueCallInUserAllocated');
    const unknown = parsed({ ...json('event-UserStatus.json'), EventType: 999 });
    assert.ok(unknown.eventType === '(unknown)');
    assert.equal(unknown.type, 999);
    assert.deepEqual(routeEvent(unknown), []);
  });
});

describe('Enreach golden: hub messages, subscription results, misc types, token answer', () => {
  it('MessageReceived (UserStatus) as printed: the event and its subscription', () => {
    const message = json('message-received-userstatus.json');
    for (const form of [message, { Subscription: (message as { subscription: unknown }).subscription, Data: message.data }]) {
      const result = parseMessage(form);
      assert.ok(result.ok && result.event.eventType === 'UserStatus');
      assert.equal(result.event.userId, 'aa9730c4-ce86-e611-80c9-00505689257e');
      assert.equal(result.event.timestamp, '2023-10-19T14:21:19.700Z');
      assert.equal(result.subscription?.entityType, 'User');
      assert.equal(result.subscription?.eventType, 'UserStatus');
      assert.deepEqual(routeEvent(result.event), [
        { type: 'talking', talking: false },
        { type: 'wrapup', wrapUp: null },
      ]);
    }
  });

  it('SubscriptionResult examples: a refusal becomes an issue naming entity, topic and message', () => {
    const single = subscriptionResultsSchema.parse([normalizeKeys(json('subscription-result.json'))]);
    assert.deepEqual(subscriptionIssues(single), []);
    const array = subscriptionResultsSchema.parse(normalizeKeys(JSON.parse(read('subscription-result-array.json'))));
    assert.equal(array.length, 2);
    assert.deepEqual(subscriptionIssues(array, (id) => `user ${id.slice(0, 8)}`), [{ entity: 'user a1eeb030', topic: 'userstatus', message: 'Unauthorized' }]);
  });

  it('Misc examples parse in both casings', () => {
    const cases = [
      ['misc-CallbackAttempt.json', callbackAttemptSchema, { id: ZERO, timestamp: TS, note: 'Example Note' }],
      ['misc-CallbackExtra.json', callbackExtraSchema, { id: 0, name: 'Example Name', value: 'Example Value' }],
      ['misc-CallbackRelatedItem.json', callbackRelatedItemSchema, { id: ZERO, isClosed: false }],
      ['misc-QueueAttachedUser.json', queueAttachedUserSchema, { userId: ZERO, active: false, priority: 0 }],
      ['misc-QueueGroup.json', queueGroupSchema, { id: ZERO, name: 'Example Name', description: 'Example Description' }],
    ] as const;
    for (const [file, schema, expected] of cases) {
      for (const data of [json(file), camel(json(file))]) {
        const result = schema.parse(normalizeKeys(data)) as Record<string, unknown>;
        for (const [k, v] of Object.entries(expected)) assert.deepEqual(result[k], v, `${file} ${k}`);
      }
    }
  });

  it('the token answer of "Establishing a connection" (a comment in the document): hub URL and token', () => {
    const body = JSON.parse(read('token-response.txt').replace(/^\/\/ ?/gm, '')) as unknown;
    assert.deepEqual(readRteToken(body), { url: 'https://rte-silox.enreachvoice.com/rte', token: 'base64-encoded-jwt-token' });
  });
});
