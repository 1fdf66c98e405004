/**
 * Unit tests of the Enreach connector's pure parts: key casing, dates, event type resolution,
 * REST answer readers, routing rules, the account schema, the screening of hub records.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { enreachAccountSchema, ENREACH_DISCOVERY_URL } from '../../main/vendors/enreach/config.js';
import { screenHubText } from '../../main/vendors/enreach/frames.js';
import { availabilityFor, presenceOf, presenceStateOf, queueOpenState, routeEvent } from '../../main/vendors/enreach/normalize.js';
import { discoverApiUrl, normalizeApiUrl, readRteToken, rteEndpointUrl } from '../../main/vendors/enreach/rest.js';
import { sessionEnded } from '../../main/vendors/enreach/rte.js';
import { camelKey, enreachDate, normalizeKeys, parseEvent, parseMessage, resolveEventType } from '../../main/vendors/enreach/schema.js';

describe('Enreach keys and dates', () => {
  it('camelCases keys like the hub serializer, idempotently', () => {
    const cases: Array<[string, string]> = [
      ['MessageTTLSeconds', 'messageTTLSeconds'],
      ['CallBackId', 'callBackId'],
      ['ID', 'id'],
      ['URLValue', 'urlValue'],
      ['NbrOfAgentsOnWrapUp', 'nbrOfAgentsOnWrapUp'],
      ['eventType', 'eventType'],
      ['messageTTLSeconds', 'messageTTLSeconds'],
      ['', ''],
    ];
    for (const [input, expected] of cases) {
      assert.equal(camelKey(input), expected, input);
      assert.equal(camelKey(camelKey(input)), expected);
    }
  });

  it('normalises keys deeply but leaves dictionary entries alone', () => {
    assert.deepEqual(normalizeKeys({ A: [{ B: 1 }], Values: { Key: 'V' }, C: null }), { a: [{ b: 1 }], values: { Key: 'V' }, c: null });
  });

  it('reads a payload in the hub\'s camelCase as it is and one in the document\'s PascalCase alike, changing neither', () => {
    const camel = { eventType: 'queuestatus', queueId: 'q1', nbrOfQueuingRequesters: 3, extra: { Kept: 'as sent' } };
    const pascal = { EventType: 'QueueStatus', QueueId: 'q1', NbrOfQueuingRequesters: 3, Extra: { Kept: 'as sent' } };
    const nested = { eventType: 'CallbackChanged', callBackId: 'cb', callbackAttempts: [{ Id: 'a1', Note: 'rang out' }] };
    const before = structuredClone([camel, pascal, nested]);
    const [a, b, c] = [parseEvent(camel), parseEvent(pascal), parseEvent(nested)];
    assert.ok(a.ok && a.event.eventType === 'QueueStatus' && a.event.nbrOfQueuingRequesters === 3);
    assert.ok(b.ok && b.event.eventType === 'QueueStatus' && b.event.nbrOfQueuingRequesters === 3);
    // A capital anywhere in the payload (here in a list's items) is normalised too.
    assert.ok(c.ok && c.event.eventType === 'CallbackChanged' && c.event.callbackAttempts?.[0]?.id === 'a1' && c.event.callbackAttempts[0].note === 'rang out');
    assert.deepEqual([camel, pascal, nested], before, 'the payloads handed in are unchanged');
    const message = { subscription: { EventType: 'QueueStatus' }, data: { queueId: 'q2' } };
    const parsed = parseMessage(message);
    assert.ok(parsed.ok && parsed.event.eventType === 'QueueStatus' && parsed.subscription?.eventType === 'QueueStatus');
  });

  it('reads DateTime values: zone-less is UTC, 9999/0001 mean none, 7-digit fractions, offsets', () => {
    assert.equal(enreachDate('2024-05-01T10:00:00'), '2024-05-01T10:00:00.000Z');
    assert.equal(enreachDate('2024-05-01T10:00:00.1234567'), '2024-05-01T10:00:00.123Z');
    assert.equal(enreachDate('2023-10-19T14:21:19.7009158Z'), '2023-10-19T14:21:19.700Z');
    assert.equal(enreachDate('2024-05-01T12:00:00+02:00'), '2024-05-01T10:00:00.000Z');
    assert.equal(enreachDate('9999-12-31T23:59:59.9999999'), undefined);
    assert.equal(enreachDate('0001-01-01T00:00:00'), undefined);
    assert.equal(enreachDate(''), undefined);
    assert.equal(enreachDate('yesterday'), null);
  });

  it('resolves event types from text (any case) and numbers, keeping unknown numbers', () => {
    assert.equal(resolveEventType('UserCallIncoming'), 'UserCallInComing');
    assert.equal(resolveEventType('queuestatus'), 'QueueStatus');
    assert.equal(resolveEventType(1), 'UserAvailability');
    assert.equal(resolveEventType(10), 'UserCallInComing');
    assert.equal(resolveEventType(140), 'QueueStatus');
    assert.equal(resolveEventType(141), 'UserStatus');
    assert.equal(resolveEventType(102), 'QueueCallInUserAllocated');
    assert.equal(resolveEventType(4242), 4242);
    assert.equal(resolveEventType('SomethingNew'), 'SomethingNew');
  });

  it('rejects malformed payloads with a reason and never throws', () => {
    for (const bad of [null, 42, 'not json', [], { eventType: 'UserStatus' }, { eventType: 'UserCallInComing', callId: 7 }, { eventType: 'QueueStatus', queueId: 'q', timestamp: 'never' }, {}]) {
      const result = parseEvent(bad);
      assert.equal(result.ok, false, JSON.stringify(bad));
    }
    assert.equal(parseMessage('text').ok, false);
    assert.equal(parseMessage({ subscription: {} }).ok, false);
    const fromSubscription = parseMessage({ subscription: { eventType: 'UserStatus' }, data: { talking: true } });
    assert.ok(fromSubscription.ok && fromSubscription.event.eventType === 'UserStatus');
    const fromText = parseEvent(JSON.stringify({ EventType: 'UserStatus', Talking: false }));
    assert.ok(fromText.ok);
  });
});

describe('Enreach REST answers', () => {
  it('normalises the API base and the RTE endpoint', () => {
    assert.equal(normalizeApiUrl('https://api-silo1.enreachvoice.com/'), 'https://api-silo1.enreachvoice.com');
    assert.equal(normalizeApiUrl('https://api-silo1.enreachvoice.com'), 'https://api-silo1.enreachvoice.com');
    assert.equal(rteEndpointUrl('rte-silo1.enreachvoice.com/rte'), 'https://rte-silo1.enreachvoice.com/rte');
    assert.equal(rteEndpointUrl('wss://rte-silo1.enreachvoice.com/rte'), 'https://rte-silo1.enreachvoice.com/rte');
    assert.equal(rteEndpointUrl('ws://127.0.0.1:8080/rte'), 'http://127.0.0.1:8080/rte');
    assert.equal(rteEndpointUrl('https://rte.example/rte'), 'https://rte.example/rte');
  });

  it('reads the token answer whatever the key casing', () => {
    for (const key of ['WssEndpoint', 'WSSEndpoint', 'wssEndpoint']) {
      assert.deepEqual(readRteToken({ [key]: 'rte-silo2.enreachvoice.com/rte', token: 'jwt' }), { url: 'https://rte-silo2.enreachvoice.com/rte', token: 'jwt' });
    }
    assert.throws(() => readRteToken({ Token: 'jwt' }), /WssEndpoint/);
    assert.throws(() => readRteToken({ WssEndpoint: 'x' }), /Token/);
  });

  it('discovers the silo (trailing slash dropped) or nothing', async () => {
    const answer = (body: unknown): typeof fetch => (async () => new Response(JSON.stringify(body), { status: 200 })) as typeof fetch;
    assert.equal(
      await discoverApiUrl(ENREACH_DISCOVERY_URL, 'a@b.example', { fetch: answer([{ siloName: 's1', apiEndpoint: 'https://api-silo1.enreachvoice.com/' }]) }),
      'https://api-silo1.enreachvoice.com',
    );
    assert.equal(await discoverApiUrl(ENREACH_DISCOVERY_URL, 'a@b.example', { fetch: answer([]) }), undefined);
    let asked = '';
    await discoverApiUrl(ENREACH_DISCOVERY_URL, 'a+b@c.example', {
      fetch: (async (url: string) => {
        asked = url;
        return new Response('[]');
      }) as unknown as typeof fetch,
    });
    assert.equal(asked, 'https://discover.enreachvoice.com/api/user?user=a%2Bb%40c.example');
  });
});

describe('Enreach routing rules', () => {
  it('maps availabilities both ways', () => {
    assert.equal(presenceStateOf('Available'), 'ready');
    assert.equal(presenceStateOf('busy'), 'not-ready');
    assert.equal(presenceStateOf('BRB'), 'not-ready');
    assert.equal(presenceStateOf('Away'), 'not-ready');
    assert.equal(presenceStateOf('DoNotDisturb'), 'do-not-disturb');
    assert.equal(presenceStateOf('OffWork'), 'offline');
    assert.equal(presenceStateOf('Lunch'), 'not-ready');
    assert.deepEqual(presenceOf(undefined), { state: 'ready', label: 'Available' });
    assert.deepEqual(presenceOf({ availability: '' }), { state: 'ready', label: 'Available' });
    assert.equal(availabilityFor('ready'), 'Available');
    assert.equal(availabilityFor('not-ready'), 'Busy');
    assert.equal(availabilityFor('do-not-disturb'), 'DoNotDisturb');
    assert.equal(availabilityFor('offline'), 'OffWork');
    assert.equal(availabilityFor('wrap-up'), undefined);
  });

  it('maps OpenStatus 0–6', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7, undefined].map(queueOpenState), ['unknown', 'closed', 'closed', 'closed', 'closed', 'open', 'open', 'unknown', 'unknown']);
  });

  it('names the queue of a call from the number it was made to', () => {
    const result = parseEvent({ eventType: 'UserCallInUserAllocated', callId: 'c1', callerNumber: '+3584011', targetNumber: '+358101001000', timestamp: '2024-05-01T10:00:00Z' });
    assert.ok(result.ok);
    const [event] = routeEvent(result.event, { queuesByNumber: new Map([['+358101001000', { id: 'q1', name: 'Sales' }]]) });
    assert.ok(event?.type === 'call');
    assert.deepEqual(event.call.queue, { id: 'q1', name: 'Sales' });
    assert.equal(event.call.state, 'ringing');
    assert.equal(event.call.startedAt, '2024-05-01T10:00:00.000Z');
  });

  it('UserStatus with a running wrap-up end only does not clear the wrap-up', () => {
    const result = parseEvent({ eventType: 'UserStatus', talking: false, wrapUpEnd: '2024-05-01T10:00:00' });
    assert.ok(result.ok);
    assert.deepEqual(routeEvent(result.event), [{ type: 'talking', talking: false }]);
  });
});

describe('Enreach account schema', () => {
  const base = { id: 'voice', vendor: 'enreach', user: 'agent@example.com' };
  it('needs a secret key or a password', () => {
    assert.equal(enreachAccountSchema.safeParse(base).success, false);
    assert.equal(enreachAccountSchema.safeParse({ ...base, secretKey: 'k' }).success, true);
    assert.equal(enreachAccountSchema.safeParse({ ...base, password: { env: 'ENREACH_PASSWORD' } }).success, true);
  });
  it('defaults the discovery URL and checks the email and URLs', () => {
    const parsed = enreachAccountSchema.parse({ ...base, secretKey: 'k' });
    assert.equal(parsed.discoveryUrl, ENREACH_DISCOVERY_URL);
    assert.equal(parsed.enabled, true);
    assert.equal(enreachAccountSchema.safeParse({ ...base, user: 'agent', secretKey: 'k' }).success, false);
    assert.equal(enreachAccountSchema.safeParse({ ...base, apiUrl: 'not a url', secretKey: 'k' }).success, false);
  });
});

describe('Enreach hub records, screened before the SignalR client reads them', () => {
  const RS = '\x1e';
  const event = JSON.stringify({ type: 1, target: 'MessageReceived', arguments: [{ subscription: {}, data: {} }] });
  const ping = JSON.stringify({ type: 6 });

  it('passes good records on unchanged, several to a message', () => {
    const text = `${event}${RS}${ping}${RS}`;
    assert.deepEqual(screenHubText(text, 1024), { kept: text, dropped: [] });
  });

  it('drops an oversized record and keeps its neighbours', () => {
    const big = JSON.stringify({ type: 1, target: 'MessageReceived', arguments: [{ data: { note: 'é'.repeat(600) } }] });
    const { kept, dropped } = screenHubText(`${ping}${RS}${big}${RS}${event}${RS}`, 1024);
    assert.equal(kept, `${ping}${RS}${event}${RS}`);
    assert.deepEqual(dropped, [{ reason: 'oversized', bytes: Buffer.byteLength(big) }]);
  });

  it('drops what would make the client close the connection: not JSON, not a hub message, cut short', () => {
    const bad = ['{"type":1,', '[1,2]', '{"target":"MessageReceived"}', '{"type":1,"arguments":[]}', '{"type":3}', '{"type":3,"invocationId":"1","result":1,"error":"x"}'];
    const { kept, dropped } = screenHubText(bad.map((b) => b + RS).join('') + event + RS + ping, 1024);
    assert.equal(kept, event + RS);
    assert.deepEqual(
      dropped.map((d) => d.reason),
      ['not JSON', 'not a hub message', 'not a hub message', 'not a hub message', 'not a hub message', 'not a hub message', 'incomplete'],
    );
  });

  it('leaves the handshake answer to the client (it is no hub message) but checks what follows it', () => {
    assert.deepEqual(screenHubText(`{}${RS}${event}${RS}`, 1024, true), { kept: `{}${RS}${event}${RS}`, dropped: [] });
    assert.equal(screenHubText(`{}${RS}`, 1024).dropped.length, 1, 'after the handshake, {} is not a hub message');
  });
});

describe('Enreach hub session endings, in words for the agent', () => {
  it('says why the session ended, keeping the client\'s error as the cause', () => {
    const cases: Array<[Error | undefined, string]> = [
      [undefined, "Enreach's real-time service ended the session"],
      [new Error('Server timeout elapsed without receiving a message from the server.'), "Enreach's real-time service went silent (nothing for 1.5 s, not even a ping)"],
      [new Error('Server returned an error on close: Connection closed with an error.'), "Enreach's real-time service ended the session: Connection closed with an error."],
      [new Error('WebSocket closed with status code: 1006 (no reason given).'), "the connection to Enreach's real-time service was cut"],
      [new Error('WebSocket closed with status code: 1012 (Service Restart).'), "Enreach's real-time service closed the connection (WebSocket code 1012: Service Restart)"],
      [new Error('WebSocket closed with status code: 1011 (no reason given).'), "Enreach's real-time service closed the connection (WebSocket code 1011)"],
      [new Error('boom'), "the connection to Enreach's real-time service failed: boom"],
    ];
    for (const [error, reason] of cases) {
      const ended = sessionEnded(error, 1_500);
      assert.equal(ended.message, reason);
      assert.equal(ended.cause, error);
    }
  });
});
