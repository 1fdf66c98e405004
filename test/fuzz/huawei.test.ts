/**
 * Fuzzing Huawei CEC's parsers: the document's example (`test/fixtures/huawei/`), the simulator's
 * answers and the bench stream's polls, mutated (`mutate.ts`), through every parser the connector
 * reads CEC with: the events answer and its fold into the call, the other click-to-dial answers,
 * the token answers, `Set-Cookie` lines. No exception escapes but the connector's own typed errors;
 * what it cannot use is logged and dropped; the poll path lives on.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createLogger } from '../../main/log.js';
import { CecAuthError, applyTokenSource } from '../../main/vendors/huawei/auth.js';
import { huaweiAnswer, huaweiBench } from '../../main/vendors/huawei/testing.js';
import { CecClient, parseSetCookie } from '../../main/vendors/huawei/cec.js';
import type { HuaweiAccount } from '../../main/vendors/huawei/config.js';
import { foldEventsAnswer } from '../../main/vendors/huawei/connector.js';
import { CecHttpError, CecNetworkError, CecUnreadableError } from '../../main/vendors/huawei/http.js';
import { placedPatch, type PlacedCall } from '../../main/vendors/huawei/normalize.js';
import { eventsSchema, fabricErrorSchema } from '../../main/vendors/huawei/schema.js';
import { supportOf } from '../../main/vendors/huawei/session.js';
import { connectedEvent, disconnectedEvent, failedEvent, noEvent, queuedEvent, queueTimeoutEvent, result } from '../../main/vendors/huawei/simulator/payloads.js';
import { captureLog, check, checkAsync, mutated, mutatedText, notPlain, textOf, valueOf, WARN } from './mutate.js';

const EXAMPLE = JSON.parse(readFileSync(new URL('../fixtures/huawei/getClickToCallEvents.example.json', import.meta.url), 'utf8')) as unknown;
const EVENTS = [
  EXAMPLE,
  noEvent(),
  queuedEvent(),
  connectedEvent({ accessCode: '9001', caller: '358401', domain: 'gw.example.com', gateways: ['10.0.0.1:443'] }, true),
  connectedEvent({ accessCode: '9001', caller: '358401', domain: 'gw.example.com', gateways: ['10.0.0.1:443'] }, false),
  disconnectedEvent(),
  queueTimeoutEvent({ causeId: 7, causeDesc: 'Queue timeout' }),
  failedEvent({ causeId: '13', causeDesc: 'No agent' }),
  ...Array.from({ length: 10 }, (_, i) => huaweiAnswer(i)),
];
const OTHERS = [
  result('0', 'success'),
  result('13', 'No agents available'),
  { resultCode: '0', resultDesc: '', webRTCSupported: true, clickToCallSupported: 'true' },
  { resultCode: '0', token: 'tok-1' },
  { AccessToken: 'at-1', ApplyType: 'Bearer', CreateTime: '1700000000', Expires: '3600', Scope: 'default', AppKey: 'k', UserID: 'u' },
  { errorCode: 'APIGW.0101', exceptionInfo: 'The API does not exist' },
];
const FRAMES = huaweiBench.frames(10) as string[];
const ACCOUNT = {
  id: 'cec',
  vendor: 'huawei',
  enabled: true,
  clickToDialUrl: 'https://cec.example.com/apiaccess/ccmessaging/v1/',
  appKey: 'key',
  userId: 'agent',
  channelId: 'web-1',
  locale: 'en',
  callMedia: 'voice',
} as unknown as HuaweiAccount;
const silent = createLogger('silent');
const TYPED = (error: unknown): boolean => error instanceof CecHttpError || error instanceof CecNetworkError || error instanceof CecUnreadableError || error instanceof CecAuthError;

/** A fetch answering every request with `text` (and `setCookie` lines), 200 unless told. */
function answering(text: string, setCookie: string[] = [], status = 200): typeof fetch {
  return async () => {
    const headers = new Headers({ 'content-type': 'application/json' });
    for (const line of setCookie) headers.append('set-cookie', line);
    return new Response(text, { status, headers });
  };
}

describe('Huawei CEC parsers, fuzzed', () => {
  it('events answers: validated, classified and folded into the call in progress as plain desk events; never a throw', () => {
    check('huawei: eventsSchema + foldEventsAnswer', fc.tuple(mutated(EVENTS), fc.boolean()), ([drawn, inProgress]) => {
      const answer = eventsSchema.safeParse(valueOf(drawn));
      if (!answer.success) return;
      const events: unknown[] = [];
      const call: PlacedCall | undefined = inProgress ? { id: 'ctd-1', number: '+358401', media: 'voice', userData: { Media: 'Voice' } } : undefined;
      if (call) events.push({ type: 'call', call: placedPatch(call) });
      foldEventsAnswer(answer.data, call, { emit: (e) => events.push(e), log: silent });
      assert.equal(notPlain(events), undefined);
    });
  });

  it('the client reads any answer body and any Set-Cookie line: an answer, or one of its typed errors', async () => {
    const operations = [(c: CecClient) => c.events(), (c: CecClient) => c.checkSupport().then(supportOf), (c: CecClient) => c.create('voice'), (c: CecClient) => c.drop()];
    await checkAsync(
      'huawei: CecClient answers and Set-Cookie',
      fc.tuple(
        fc.oneof(mutated([...EVENTS, ...OTHERS]), mutatedText(FRAMES)),
        fc.array(fc.oneof(fc.string(), fc.constantFrom('ccmessaging-token=new; Path=/', 'ccmessaging-token=; Max-Age=0', 'JSESSIONID=abc; Expires=Thu, 01 Jan 1970 00:00:00 GMT', '=x', 'a=b; max-age=-1; expires=garbage')), { maxLength: 3 }),
        fc.nat({ max: 3 }),
        fc.constantFrom(200, 200, 200, 401, 403, 500),
      ),
      async ([drawn, cookies, which, status]) => {
        const text = typeof drawn === 'string' ? drawn : textOf(drawn);
        const client = new CecClient({
          family: which % 2 ? 'facade' : 'fabric',
          baseUrl: 'https://cec.example.com/apiaccess/ccmessaging/v1',
          appKey: 'key',
          credentials: { token: 'tok', bearer: 'b' },
          limits: { fetch: answering(text, cookies, status), timeoutMs: 1_000, maxBytes: 1024 * 1024 },
        });
        try {
          await operations[which]!(client);
        } catch (error) {
          assert.ok(TYPED(error), String(error));
        }
      },
      2,
    );
  });

  it('token answers (tokenByAkSk, applyToken): credentials, or a typed error saying what to fix', async () => {
    await checkAsync(
      'huawei: token answers',
      fc.tuple(mutated(OTHERS), fc.boolean()),
      async ([drawn, withSecret]) => {
        const source = applyTokenSource(ACCOUNT, withSecret ? { appSecret: 'secret' } : { bearerToken: 'bearer' }, { fetch: answering(textOf(drawn)), timeoutMs: 1_000, maxBytes: 64 * 1024 });
        try {
          const credentials = await source({ renew: false });
          assert.equal(typeof credentials.token, 'string');
        } catch (error) {
          assert.ok(TYPED(error), String(error));
        }
      },
      2,
    );
  });

  it('Set-Cookie lines and API Fabric error bodies: read or ignored, never a throw', () => {
    check('huawei: parseSetCookie + fabricErrorSchema', fc.tuple(fc.string({ unit: 'binary' }), mutated(OTHERS)), ([line, body]) => {
      parseSetCookie(line);
      fabricErrorSchema.safeParse(valueOf(body));
    });
  });

  it('an unreadable events answer is logged as a warning and dropped', () => {
    const log = captureLog();
    const parse = huaweiBench.parser(createLogger('debug', log.destination));
    for (const bad of ['not json', '{"resultDesc":"Call connected"}', '{"resultCode":{"a":1}}']) {
      log.clear();
      assert.ok(parse(bad).every((e) => e.type === 'call' && e.call.state === 'dialing'), 'only the dial itself');
      assert.ok(log.lines.some((l) => l.level === WARN), `a warning for ${bad}`);
    }
  });

  it('the whole poll path takes any answer, lives on, and emits plain data', () => {
    check('huawei: bench parse path', fc.oneof(mutatedText(FRAMES), mutated(EVENTS)), (drawn) => {
      const parse = huaweiBench.parser(silent);
      assert.equal(notPlain(parse(typeof drawn === 'string' ? drawn : textOf(drawn))), undefined);
      assert.ok(parse(JSON.stringify(huaweiAnswer(9))).length >= 1, 'the next answer still folds');
    });
  });
});
