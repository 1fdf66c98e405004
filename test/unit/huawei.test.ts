/**
 * Unit tests of the Huawei CEC platform: the account config, the answers' schemas, the events →
 * desk call mapping, the poll schedule (on Node's mock timers: no real waits), cookies.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { english } from '../../main/i18n.js';
import { secretFieldsOf } from '../../main/vendors/kit/platform.js';
import { applyTokenSource, CecAuthError } from '../../main/vendors/huawei/auth.js';
import { parseSetCookie } from '../../main/vendors/huawei/cec.js';
import { CecHttpError } from '../../main/vendors/huawei/http.js';
import { DEFAULT_TUNING, huaweiAccountSchema, urlFamilyOf } from '../../main/vendors/huawei/config.js';
import { noAgentMessage } from '../../main/vendors/huawei/connector.js';
import { huawei } from '../../main/vendors/huawei/index.js';
import { callPatchFor, classifyEvents, placedPatch, type PlacedCall } from '../../main/vendors/huawei/normalize.js';
import { EventPoller, type PollOutcome } from '../../main/vendors/huawei/poller.js';
import { eventsSchema, resultSchema, supportSchema } from '../../main/vendors/huawei/schema.js';

const FACADE = 'https://10.10.10.2:18446/service-cloud/rest/webadapter/v1/webadapterfacade/';
const FABRIC = 'https://service.besclouds.com/apiaccess/ccmessaging/v1/';
const base = { id: 'cec', vendor: 'huawei', appKey: 'k', appSecret: 's', userId: 'u1', channelId: 'c1' };

describe('Huawei CEC account', () => {
  it('takes either URL family and tells them apart by the path', () => {
    assert.equal(urlFamilyOf(FACADE), 'facade');
    assert.equal(urlFamilyOf(FABRIC), 'fabric');
    assert.equal(urlFamilyOf(FABRIC.slice(0, -1)), 'fabric', 'without the trailing slash too');
    const account = huaweiAccountSchema.parse({ ...base, clickToDialUrl: FACADE });
    assert.equal(account.locale, 'en');
    assert.equal(account.callMedia, 'voice');
  });

  it('names the field when the URL is of neither family, or when no secret is given', () => {
    const wrongUrl = huaweiAccountSchema.safeParse({ ...base, clickToDialUrl: 'https://cec.example.com/somewhere/' });
    assert.equal(wrongUrl.success, false);
    assert.deepEqual(wrongUrl.error?.issues[0]?.path, ['clickToDialUrl']);
    const { appSecret: _, ...noSecret } = base;
    const missing = huaweiAccountSchema.safeParse({ ...noSecret, clickToDialUrl: FABRIC });
    assert.equal(missing.success, false);
    assert.deepEqual(missing.error?.issues[0]?.path, ['appSecret']);
    assert.equal(huaweiAccountSchema.safeParse({ ...noSecret, clickToDialUrl: FABRIC, bearerToken: { env: 'CEC_BEARER' } }).success, true);
  });

  it('marks the app secret and the bearer token as secrets, and nothing else', () => {
    assert.deepEqual(secretFieldsOf(huawei).sort(), ['appSecret', 'bearerToken']);
  });

  it('tells the agent the audio runs in the CEC client, and offers dialling and hang-up only', () => {
    // A code the window says in the agent's language (issue 19), the client's name as a parameter.
    assert.ok(huawei.notice);
    assert.equal(english.t(huawei.notice.key, huawei.notice.values), "The call's audio runs in the CEC client.");
    assert.deepEqual(huawei.capabilities.presence, []);
    assert.equal(huawei.capabilities.dial, true);
    assert.equal(huawei.capabilities.callControl, true);
  });
});

describe('Huawei CEC answers', () => {
  it('reads ids sent as numbers or strings, and a null resultDesc', () => {
    const asNumbers = eventsSchema.parse({ resultCode: 0, resultDesc: 'Call connected', eventId: 168101, content: { accessCode: 4001, causeId: 17 } });
    const asStrings = eventsSchema.parse({ resultCode: '0', resultDesc: 'Call connected', eventId: '168101', content: { accessCode: '4001' } });
    assert.equal(asNumbers.eventId, '168101');
    assert.equal(asNumbers.content?.accessCode, '4001');
    assert.equal(asStrings.eventId, '168101');
    assert.equal(resultSchema.parse({ resultCode: '0', resultDesc: null }).resultDesc, null);
  });

  it('reads the API Fabric example answer of createClickToCall, typo included', () => {
    // Huawei's API Fabric reference shows `{ "resultCode":"0", "resultDesc:":null }`.
    const parsed = resultSchema.parse(JSON.parse('{ "resultCode":"0", "resultDesc:":null }'));
    assert.equal(parsed.resultCode, '0');
  });

  it('reads the support flags as booleans or as words', () => {
    assert.deepEqual(supportSchema.parse({ resultCode: '0', resultDesc: '', webRTCSupported: 'false', clickToCallSupported: true }), {
      resultCode: '0',
      resultDesc: '',
      webRTCSupported: false,
      clickToCallSupported: true,
    });
  });

  it('refuses an answer without a resultCode', () => {
    assert.equal(eventsSchema.safeParse({ resultDesc: 'Call connected' }).success, false);
    assert.equal(eventsSchema.safeParse({ resultCode: null, resultDesc: 42 }).success, false);
  });
});

describe('Huawei CEC events → the desk call', () => {
  const answer = (resultDesc: string | undefined, extra: Record<string, unknown> = {}) => eventsSchema.parse({ resultCode: '0', resultDesc, ...extra });
  const placed = (): PlacedCall => ({ id: 'c1', number: '+358401234567', media: 'voice', userData: { Media: 'Voice' } });

  it('keys the state on resultDesc, matched case-insensitively', () => {
    assert.equal(classifyEvents(answer('Call in queue')).kind, 'queued');
    assert.equal(classifyEvents(answer('CALL IN QUEUE')).kind, 'queued');
    assert.equal(classifyEvents(answer(' call connected. ')).kind, 'connected');
    assert.equal(classifyEvents(answer('Call disconnected')).kind, 'disconnected');
    assert.equal(classifyEvents(answer('Call queued timeout')).kind, 'queue-timeout');
    assert.equal(classifyEvents(answer('call failed')).kind, 'failed');
    assert.equal(classifyEvents(answer('ClickToCall polled without any events')).kind, 'none');
    assert.equal(classifyEvents(answer('Call continue to poll events with unknown events')).kind, 'unknown-events');
  });

  it('treats eventId as advisory: 168101 decides only when resultDesc says nothing known', () => {
    assert.equal(classifyEvents(answer(undefined, { eventId: 168101 })).kind, 'connected');
    assert.equal(classifyEvents(answer('', { eventId: '168101' })).kind, 'connected');
    assert.equal(classifyEvents(answer('Call disconnected', { eventId: 168101 })).kind, 'disconnected');
    assert.deepEqual(classifyEvents(answer('Call parked', { eventId: 999 })), { kind: 'unrecognized', resultDesc: 'Call parked', eventId: '999' });
    assert.equal(classifyEvents(eventsSchema.parse({ resultCode: '1', resultDesc: 'token invalid' })).kind, 'refused');
  });

  it('shows a placed call dialling, with hang-up, to the number the agent typed', () => {
    assert.deepEqual(placedPatch(placed()), {
      id: 'c1',
      direction: 'outbound',
      state: 'dialing',
      target: '+358401234567',
      actions: ['hangup'],
      userData: { Media: 'Voice' },
    });
  });

  it('shows a queued call as waiting, and a connected one with its caller and access code', () => {
    const call = placed();
    assert.deepEqual(callPatchFor(classifyEvents(answer('Call in queue')), call), { id: 'c1', state: 'queued', actions: ['hangup'] });
    const connected = callPatchFor(classifyEvents(answer('Call connected', { eventId: 168101, content: { accessCode: 4001, clickToCallCaller: '60012' } })), call);
    assert.equal(connected?.state, 'connected');
    assert.equal(connected?.caller, '60012');
    assert.deepEqual(connected?.userData, { Media: 'Voice', 'Access code': '4001', 'Calling number': '60012' });
  });

  it('ends a failed or timed-out call with CEC’s reason and cause', () => {
    const failed = callPatchFor(classifyEvents(answer('Call failed', { content: { causeId: 403, causeDesc: 'Callee busy' } })), placed());
    assert.deepEqual(failed, { id: 'c1', state: 'ended', endReason: 'Call failed: Callee busy, cause 403', actions: [] });
    const timeout = callPatchFor(classifyEvents(answer('Call queued timeout', { content: { causeId: '17' } })), placed());
    assert.equal(timeout?.endReason, 'Call queued timeout: cause 17');
    assert.equal(callPatchFor(classifyEvents(answer('Call disconnected')), placed())?.endReason, 'Call disconnected');
  });

  it('tells the agent there is no agent, with CEC’s words when they add something', () => {
    assert.equal(noAgentMessage(undefined), 'No agent available');
    assert.equal(noAgentMessage('No agents available.'), 'No agent available');
    assert.equal(noAgentMessage('No agents available currently'), 'No agent available');
    assert.equal(noAgentMessage('connect failed'), 'No agent available (CEC: connect failed)');
  });
});

describe('Huawei CEC tokens when the token service is busy', () => {
  const account = huaweiAccountSchema.parse({ ...base, clickToDialUrl: FACADE });
  const answering = (status: number, headers: Record<string, string> = {}): typeof fetch =>
    (async () => new Response(JSON.stringify({ errorCode: String(status) }), { status, headers })) as typeof fetch;

  it('takes a 429 or 503 as "try later" with its Retry-After, never as refused credentials', async () => {
    for (const status of [429, 503]) {
      const source = applyTokenSource(account, { appSecret: 's' }, { fetch: answering(status, { 'Retry-After': '7' }), timeoutMs: 1_000, maxBytes: 10_000 });
      await assert.rejects(source({ renew: false }), (error: unknown) => {
        assert.ok(error instanceof CecHttpError && !(error instanceof CecAuthError), `HTTP ${status} is not a credentials failure`);
        assert.equal(error.retryAfterMs, 7_000);
        return true;
      });
    }
  });

  it('still takes a 401 on tokenByAkSk as refused credentials, for a person to fix', async () => {
    const source = applyTokenSource(account, { appSecret: 's' }, { fetch: answering(401), timeoutMs: 1_000, maxBytes: 10_000 });
    await assert.rejects(source({ renew: false }), (error: unknown) => error instanceof CecAuthError && error.fatal && /check/.test(error.message));
  });
});

describe('Huawei CEC cookies', () => {
  it('reads a Set-Cookie line and sees a deletion', () => {
    assert.deepEqual(parseSetCookie('ccmessaging-token=abc.def=; Path=/; HttpOnly'), { name: 'ccmessaging-token', value: 'abc.def=', expired: false });
    assert.equal(parseSetCookie('JSESSIONID=x; Max-Age=0')?.expired, true);
    assert.equal(parseSetCookie('JSESSIONID=x; Expires=Thu, 01 Jan 1970 00:00:00 GMT')?.expired, true);
    assert.equal(parseSetCookie('novalue'), undefined);
  });
});

describe('Huawei CEC poll schedule (mock timers)', () => {
  const timing = { ...DEFAULT_TUNING };
  let polls: number[];
  let clock: number;
  let script: PollOutcome[];
  let fallback: PollOutcome;
  let gaveUp: boolean;
  let poller: EventPoller;

  /** Lets the poller's promises run (setImmediate is not mocked). */
  const flush = () => new Promise<void>((resolve) => setImmediate(resolve));
  /** Moves the mocked clock on by `ms`, one millisecond at a time, letting each poll run. */
  async function advance(ms: number): Promise<void> {
    for (let i = 0; i < ms; i++) {
      clock += 1;
      mock.timers.tick(1);
      await flush();
    }
  }
  /** Polls sent within (from, to], ms since start. */
  const between = (from: number, to: number) => polls.filter((at) => at > from && at <= to).length;

  /** Starts a poller whose polls answer `answers` in turn, then `then` for ever. */
  async function start(answers: PollOutcome[], then: PollOutcome): Promise<void> {
    script = answers;
    fallback = then;
    poller = new EventPoller({
      poll: async () => {
        polls.push(clock);
        return script.shift() ?? fallback;
      },
      timing,
      onGiveUp: () => (gaveUp = true),
    });
    poller.start();
    await flush();
  }

  beforeEach(() => {
    mock.timers.enable({ apis: ['setTimeout'] });
    polls = [];
    clock = 0;
    gaveUp = false;
  });

  afterEach(() => {
    poller?.stop();
    mock.timers.reset();
  });

  it('polls at once, then 100 ms after each answer', async () => {
    await start([], 'event');
    assert.deepEqual(polls, [0]);
    await advance(99);
    assert.equal(polls.length, 1, 'not before 100 ms');
    await advance(1);
    assert.deepEqual(polls, [0, 100]);
    await advance(900);
    assert.deepEqual(polls, [0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
  });

  it('slows to once a second after 50 empty answers in a row, and back to 100 ms when an event comes', async () => {
    await start([], 'empty');
    await advance(49 * 100);
    assert.equal(polls.length, 50, 'fifty polls at 100 ms');
    await advance(100);
    assert.equal(polls.length, 50, 'after the 50th empty answer the next poll waits a second');
    await advance(900);
    assert.equal(polls.length, 51);
    await advance(3_000);
    assert.equal(between(4_900, 7_900), 3, 'one poll a second while nothing happens');
    script = ['event'];
    await advance(1_000);
    const afterEvent = polls.at(-1)!;
    await advance(300);
    assert.equal(between(afterEvent, afterEvent + 300), 3, 'an event brings the 100 ms cadence back');
  });

  it('backs off on 5xx answers (1 s, 2 s, 4 s) and gives up after the fourth in a row', async () => {
    await start([], 'server-error');
    assert.deepEqual(polls, [0]);
    await advance(999);
    assert.equal(polls.length, 1);
    await advance(1);
    assert.deepEqual(polls, [0, 1_000]);
    await advance(2_000);
    assert.deepEqual(polls, [0, 1_000, 3_000]);
    await advance(4_000);
    assert.deepEqual(polls, [0, 1_000, 3_000, 7_000]);
    assert.equal(gaveUp, true, 'the fourth 5xx in a row gives up (the session reconnects)');
    await advance(10_000);
    assert.equal(polls.length, 4, 'no poll after giving up');
  });

  it('recovers the 100 ms cadence after a 5xx is followed by an answer', async () => {
    await start(['server-error'], 'event');
    await advance(1_000);
    assert.deepEqual(polls, [0, 1_000]);
    await advance(100);
    assert.deepEqual(polls, [0, 1_000, 1_100]);
    assert.equal(gaveUp, false);
  });

  it('stops when the call ends', async () => {
    await start(['event', 'event', 'stop'], 'event');
    await advance(200);
    assert.deepEqual(polls, [0, 100, 200]);
    await advance(5_000);
    assert.equal(polls.length, 3, 'nothing is polled once the call has ended');
    assert.equal(poller.active, false);
  });

  it('sends no poll while one is unanswered, and none after stop()', async () => {
    let answer: (outcome: PollOutcome) => void = () => undefined;
    poller = new EventPoller({
      poll: () => {
        polls.push(clock);
        return new Promise<PollOutcome>((resolve) => (answer = resolve));
      },
      timing,
      onGiveUp: () => undefined,
    });
    poller.start();
    await flush();
    await advance(1_000);
    assert.equal(polls.length, 1, 'the next poll waits for the answer');
    answer('event');
    await flush();
    await advance(100);
    assert.equal(polls.length, 2, '100 ms after the answer');
    poller.stop();
    answer('event');
    await advance(1_000);
    assert.equal(polls.length, 2);
  });
});
