/**
 * Fuzzing 3C's parsers: the example events built from the document's tables
 * (`test/fixtures/threec/events.json`), the link's responses and errors, and the bench stream's
 * frames, mutated (`mutate.ts`), through every parser the connector reads the adapter link with.
 * No exception escapes; what the connector cannot use is logged and dropped; the desk picture
 * lives on (a good event after a bad one still folds), and what it emits is plain data.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createLogger } from '../../main/log.js';
import { threecBench, threecEvent } from '../../main/vendors/threec/testing.js';
import { closeReason, eventTime, parseLinkFrame } from '../../main/vendors/threec/contract.js';
import { ThreecDesk, watchOf } from '../../main/vendors/threec/normalize.js';
import { parseAdapterEvent } from '../../main/vendors/threec/schema.js';
import { captureLog, check, mutated, mutatedText, notPlain, textOf, valueOf, WARN } from './mutate.js';

const EXAMPLES = (JSON.parse(readFileSync(new URL('../fixtures/threec/events.json', import.meta.url), 'utf8')) as { events: unknown[] }).events;
const LINK = [
  ...EXAMPLES,
  { type: 'response', id: '3f2c', status: 'success' },
  { type: 'response', id: '3f2d', status: 'Failure', errorMessage: 'Terminal 1009 is not known' },
  { type: 'error', errorMessage: 'Invalid user name or password' },
  { type: 'error', id: '3f2e', errorMessage: 'not connected yet' },
  ...Array.from({ length: 10 }, (_, i) => threecEvent(i)),
];
const FRAMES = threecBench.frames(20) as string[];
const WATCH = watchOf({
  username: 'test@domain',
  terminals: '1001, 1002 (ext)',
  colleagues: ['colleague@domain', 'colleague0@bench.example'],
  colleagueTerminals: [{ username: 'colleague@domain', addressvalue: '2001', addresstype: 'ext' }],
});
const silent = createLogger('silent');

/** The connector's reading of one link frame, its events folded into `desk` (link.ts, `message`). */
function fold(desk: ThreecDesk, text: string): unknown[] {
  const parsed = parseLinkFrame(text);
  if (!parsed.ok || parsed.frame.type !== 'event') return [];
  const event = parseAdapterEvent(parsed.frame.event, parsed.frame.properties);
  if (!event.ok || !event.event || event.event.event === 'connected3C') return [];
  return desk.handle(event.event, eventTime(parsed.frame.timestamp, '2026-11-20T09:00:00.000Z'));
}

describe('3C parsers, fuzzed', () => {
  it('link frames: read as a response, an event or an error, or refused with a reason; never a throw', () => {
    check('threec: parseLinkFrame', fc.oneof(mutated(LINK), mutatedText(FRAMES), fc.string()), (drawn) => {
      const parsed = parseLinkFrame(typeof drawn === 'string' ? drawn : textOf(drawn));
      if (!parsed.ok) assert.equal(typeof parsed.error, 'string');
    });
  });

  it('event properties against the document’s tables, and the event’s time: never a throw', () => {
    const named = EXAMPLES.map((e) => e as { event: string; properties?: unknown; timestamp?: unknown });
    check(
      'threec: parseAdapterEvent + eventTime',
      fc.tuple(fc.oneof(fc.constantFrom(...named.map((e) => e.event)), fc.constantFrom('__proto__', 'toString', 'PresenceChanged', ''), fc.string()), mutated(named.map((e) => e.properties ?? null)), mutated([named[1]!.timestamp])),
      ([name, properties, timestamp]) => {
        const parsed = parseAdapterEvent(name, valueOf(properties));
        if (!parsed.ok) assert.equal(typeof parsed.error, 'string');
        assert.match(eventTime(valueOf(timestamp), '2026-11-20T09:00:00.000Z'), /^[+-]?\d{4,6}-\d\d-\d\dT/);
      },
    );
  });

  it('the desk picture (calls, lamps, presence, conversations) folds any event that passed the document’s tables, and emits plain data', () => {
    check('threec: ThreecDesk', fc.array(mutated(LINK), { minLength: 1, maxLength: 5 }), (drawn) => {
      const desk = new ThreecDesk(WATCH, { repeatWindowMs: 5_000, log: silent, now: () => 0 });
      for (const frame of drawn) assert.equal(notPlain(fold(desk, textOf(frame))), undefined);
      assert.ok(fold(desk, JSON.stringify({ type: 'event', event: 'presenceChanged', properties: { user: 'test@domain', presence: 'Busy' } })).length > 0, 'a good event after them still folds');
    });
  });

  it('seed: a presence or call state named like a member of Object.prototype ("constructor") is a word like any other', () => {
    // Found by 'the desk picture': the presence "constructor" became Object (a function) on the desk.
    const desk = new ThreecDesk(WATCH, { repeatWindowMs: 5_000, log: silent, now: () => 0 });
    const [presence] = fold(desk, JSON.stringify({ type: 'event', event: 'presenceChanged', properties: { user: 'colleague@domain', presence: 'constructor' } }));
    assert.deepEqual((presence as { member: { presence: unknown } }).member.presence, { state: 'not-ready', label: 'constructor', since: '2026-11-20T09:00:00.000Z' });
    const call = { address: '1001', addressType: 'ext', call: '7', isIncoming: true };
    fold(desk, JSON.stringify({ type: 'event', event: 'monitoredTerminalEventReceived', properties: { ...call, callState: 'Ringing' } }));
    const later = fold(desk, JSON.stringify({ type: 'event', event: 'monitoredTerminalEventReceived', properties: { ...call, callState: 'Constructor' } }));
    assert.equal((later[0] as { call: { state: unknown } }).call.state, 'ringing', 'an unknown word keeps the call’s state');
    assert.equal(notPlain(later), undefined);
  });

  it('close codes and reasons, any of them, make a sentence', () => {
    check('threec: closeReason', fc.tuple(fc.integer(), fc.string(), fc.option(fc.string(), { nil: undefined })), ([code, reason, message]) => {
      assert.equal(typeof closeReason(code, reason, message), 'string');
    });
  });

  it('a malformed frame or event is logged as a warning and dropped', () => {
    const log = captureLog();
    const parse = threecBench.parser(createLogger('debug', log.destination));
    for (const bad of ['not json', '{"type":"event"}', JSON.stringify({ type: 'event', event: 'presenceChanged', properties: { user: 42 } })]) {
      log.clear();
      assert.deepEqual(parse(bad), []);
      assert.ok(log.lines.some((l) => l.level === WARN), `a warning for ${bad}`);
    }
  });

  it('the whole parse path takes any frame, lives on, and emits plain data', () => {
    // The agent's own presence: shown whatever came before (a call event may rightly repeat).
    const good = JSON.stringify({ type: 'event', event: 'presenceChanged', properties: { user: 'agent@bench.example', presence: 'Busy' } });
    check('threec: bench parse path', fc.oneof(mutatedText(FRAMES), mutated(LINK)), (drawn) => {
      const parse = threecBench.parser(silent);
      assert.equal(notPlain(parse(typeof drawn === 'string' ? drawn : textOf(drawn))), undefined);
      assert.ok(parse(good).length > 0, 'a good frame after it still folds');
    });
  });
});
