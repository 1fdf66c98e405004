/**
 * Fuzzing Enreach's parsers: the document's examples (`test/fixtures/enreach/`) and the bench
 * stream's hub messages, mutated (`mutate.ts`), through every parser the connector reads the wire
 * and REST with. No exception escapes; what the connector cannot use is logged and dropped; the
 * parse path lives on (a good frame after a bad one still folds).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createLogger } from '../../main/log.js';
import { enreachBench, enreachMessage, hubText } from '../../main/vendors/enreach/testing.js';
import { rteMessageEvents } from '../../main/vendors/enreach/connector.js';
import { RTE_MAX_MESSAGE_BYTES, screenHubText } from '../../main/vendors/enreach/frames.js';
import { routeEvent, subscriptionIssues } from '../../main/vendors/enreach/normalize.js';
import { EnreachHttpError, EnreachNetworkError, EnreachRest, readRteToken } from '../../main/vendors/enreach/rest.js';
import { parseEvent, parseMessage, subscriptionResultsSchema, normalizeKeys } from '../../main/vendors/enreach/schema.js';
import { captureLog, check, checkAsync, mutated, mutatedText, textOf, valueOf, WARN } from './mutate.js';

const DIR = new URL('../fixtures/enreach/', import.meta.url);
const json = (file: string): unknown => JSON.parse(readFileSync(new URL(file, DIR), 'utf8'));
const EVENTS = readdirSync(DIR)
  .filter((f) => /^event-.*\.json$/.test(f))
  .map(json);
const MESSAGES = [json('message-received-userstatus.json'), ...EVENTS.map((data) => ({ subscription: { eventType: (data as { EventType?: string }).EventType }, data })), ...Array.from({ length: 10 }, (_, i) => enreachMessage(i))];
const HUB_TEXTS = enreachBench.frames(20) as string[];
const ROUTE = { userId: 'aa9730c4-ce86-e611-80c9-00505689257e', queuesByNumber: new Map([['+35810555', { id: 'q', name: 'Queue' }]]) };
const silent = createLogger('silent');
/** A drawn MessageReceived argument as the hub writes it (however deep it nests). */
const wire = (argument: unknown): string => `{"type":1,"target":"MessageReceived","arguments":[${textOf(argument)}]}\x1e`;

describe('Enreach parsers, fuzzed', () => {
  it('the hub screen takes any text: it keeps or drops each record, never throws', () => {
    check('enreach: screenHubText', fc.oneof(mutatedText(HUB_TEXTS), mutated(MESSAGES), fc.string()), (drawn) => {
      const text = typeof drawn === 'string' ? drawn : wire(drawn);
      const { kept, dropped } = screenHubText(text, RTE_MAX_MESSAGE_BYTES);
      assert.equal(typeof kept, 'string');
      assert.ok(Array.isArray(dropped));
    });
  });

  it('MessageReceived arguments: parsed and routed, or refused with a reason; never a throw', () => {
    check('enreach: parseMessage + routeEvent', mutated(MESSAGES), (drawn) => {
      const parsed = parseMessage(valueOf(drawn));
      if (!parsed.ok) assert.equal(typeof parsed.error, 'string');
      else assert.ok(Array.isArray(routeEvent(parsed.event, { ...ROUTE, now: '2026-11-20T09:00:00.000Z' })));
    });
  });

  it('event payloads alone (PascalCase, camelCase, text), with a subscription’s event type or none', () => {
    check('enreach: parseEvent', fc.tuple(mutated(EVENTS), fc.constantFrom(undefined, 'UserStatus', 141, 'QueueStatus', 'Nope'), fc.boolean()), ([data, fallback, asText]) => {
      const parsed = parseEvent(asText ? textOf(data) : valueOf(data), fallback);
      if (parsed.ok) routeEvent(parsed.event, ROUTE);
    });
  });

  it('seed: a payload nested 5 000 arrays deep is parsed like any other (normalizeKeys threw a RangeError)', () => {
    // Found by 'MessageReceived arguments' (EntityType replaced by 5 000 nested arrays).
    const deep = JSON.parse(`${'['.repeat(5_000)}1${']'.repeat(5_000)}`) as unknown;
    const parsed = parseMessage({ subscription: { eventType: 'UserStatus' }, data: { ...(json('message-received-userstatus.json') as { data: object }).data, extra: deep } });
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
    const queues = parseMessage({ data: { eventType: 'QueueStatus', queueId: 'q', queueName: deep } });
    assert.equal(queues.ok, false, 'a deep value where text belongs is refused, not thrown');
  });

  it('seed: a wrap-up limit past the range of a date (MaxWrapUpDurationSec 1e20) is a wrap-up without an end, not a RangeError', () => {
    // Found by 'MessageReceived arguments' in the bench's long mode (seed 1063929306, path 93731).
    const started = EVENTS.find((e) => (e as { EventType?: string }).EventType === 'UserWrapUpStarted') as Record<string, unknown>;
    for (const limit of [1e20, 1e308]) {
      const parsed = parseEvent({ ...started, MaxWrapUpDurationSec: limit });
      assert.ok(parsed.ok);
      const [event] = routeEvent(parsed.event, ROUTE);
      assert.deepEqual(event, { type: 'wrapup', wrapUp: { startedAt: '2020-01-01T12:00:00.000Z' } });
    }
  });

  it('a malformed MessageReceived is logged as a warning and dropped', () => {
    const log = captureLog();
    const logger = createLogger('debug', log.destination);
    for (const bad of [undefined, null, 42, 'text', { data: null }, { data: { eventType: 'UserStatus', talking: 'yes' } }, { data: { eventType: 'QueueStatus' } }]) {
      log.clear();
      assert.deepEqual(rteMessageEvents(bad, ROUTE, logger), []);
      assert.ok(log.lines.some((l) => l.level === WARN), `a warning for ${JSON.stringify(bad)}`);
    }
  });

  it('the Subscribe answer: read, or refused whole; never a throw', () => {
    const answers = [json('subscription-result-array.json'), [json('subscription-result.json')]];
    check('enreach: subscriptionResultsSchema', mutated(answers), (answer) => {
      const results = subscriptionResultsSchema.safeParse(normalizeKeys(valueOf(answer)));
      if (results.success) subscriptionIssues(results.data, (id) => id.toUpperCase());
    });
  });

  it('the RTE token answer: read, or an EnreachNetworkError saying what is missing', () => {
    const answers = [{ WssEndpoint: 'wss://rte-silox.enreachvoice.com/rte', Token: 'base64-encoded-jwt-token' }, { wssEndpoint: 'rte.example.com/rte', token: 'jwt' }];
    check('enreach: readRteToken', mutated(answers), (answer) => {
      try {
        readRteToken(valueOf(answer));
      } catch (error) {
        assert.ok(error instanceof EnreachNetworkError, String(error));
      }
    });
  });

  it('REST answers (users/me, queues, availability, call lists, callbacks): read, or a typed Enreach error', async () => {
    const bodies: Record<string, unknown[]> = {
      me: [{ Id: 'aa9730c4-ce86-e611-80c9-00505689257e', OrganizationID: 'org' }],
      queues: [[{ Id: 'q1', Name: 'Sales', Numbers: ['+35810555'], TypeId: 1, Status: { QueueLength: 2, MaxWaitTime: 30, FreeAgents: 1, OpenStatus: 5 } }]],
      availability: [[{ Availability: 'BRB', StartTime: '2026-11-20T08:00:00', EndTime: '9999-12-31T23:59:59', Note: 'Coffee' }]],
      callLists: [[{ Id: 'l1', Name: 'Callbacks' }]],
      callbacks: [[{ CallBackId: 'cb1', CallListId: 'l1', ContactNumber: '+358401', CreationTime: '2026-11-20T08:00:00', IsClosed: false, CallbackAttempts: [{ Id: 'a', Timestamp: '2026-11-20T08:01:00' }] }]],
    };
    const calls: Record<string, (rest: EnreachRest) => Promise<unknown>> = {
      me: (rest) => rest.me(),
      queues: (rest) => rest.queues('u'),
      availability: (rest) => rest.availability('u'),
      callLists: (rest) => rest.callLists('u'),
      callbacks: (rest) => rest.openCallbacks('l1', 'u'),
    };
    for (const [what, seeds] of Object.entries(bodies)) {
      // Each case builds a Response: a fifth of the cases in npm test, for each of the five answers.
      await checkAsync(
        `enreach: REST ${what}`,
        fc.oneof(mutated(seeds), mutatedText(seeds.map((s) => JSON.stringify(s)))),
        async (drawn) => {
          const text = typeof drawn === 'string' ? drawn : textOf(drawn);
          const rest = new EnreachRest('https://api.example.com/', 'agent@example.com', 'key', { fetch: async () => new Response(text, { status: 200 }) });
          try {
            await calls[what]!(rest);
          } catch (error) {
            assert.ok(error instanceof EnreachNetworkError || error instanceof EnreachHttpError, `${what}: ${String(error)}`);
          }
        },
        5,
      );
    }
  });

  it('the whole parse path (screen, SignalR, handler) takes any hub message and lives on', () => {
    const good = hubText(enreachMessage(0));
    check('enreach: bench parse path', fc.oneof(mutatedText(HUB_TEXTS), mutated(MESSAGES)), (drawn) => {
      const parse = enreachBench.parser(silent);
      parse(typeof drawn === 'string' ? drawn : wire(drawn));
      assert.ok(parse(good).length > 0, 'a good frame after it still folds');
    });
  });
});
