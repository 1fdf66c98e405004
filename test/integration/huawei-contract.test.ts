/**
 * The Huawei CEC connector against a server that follows the document and VENDOR-NOTES but not our
 * simulator's habits, written here from the sources alone: it answers on the NSLB facade, sets a
 * session cookie it wants back, refreshes the token only through `Set-Cookie` (with attributes) or
 * a differently cased header, sends `resultDesc` in other cases, an event with only its `eventId`,
 * ids as strings or numbers, gzip-compressed answers, and an HTML body with its 401.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { createHuaweiConnector } from '../../main/vendors/huawei/connector.js';
import { huaweiAccountSchema } from '../../main/vendors/huawei/config.js';
import { captureLog, deskHarness, FAST, FAST_BACKOFF } from '../fixtures/huawei/harness.js';
import { Closers } from '../support/closers.js';
import { eventually } from '../support/eventually.js';

const FACADE = '/service-cloud/rest/webadapter/v1/webadapterfacade/';

/** One request the server saw: which token (by its number) and whether the session cookie came back. */
interface Seen {
  path: string;
  token?: number;
  session: boolean;
}

/** The independent server: tokens are numbered; `expire()` refuses every token issued so far. */
async function startContractServer() {
  const tokens = new Map<string, { n: number; valid: boolean }>();
  const seen: Seen[] = [];
  const events: Array<Record<string, unknown>> = [];
  let issued = 0;
  let refreshed = false;
  let headerRefreshed = false;

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}, gzip = false): void => {
    const text = Buffer.from(JSON.stringify(body));
    const payload = gzip ? gzipSync(text) : text;
    res.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8', ...(gzip ? { 'Content-Encoding': 'gzip' } : {}), ...headers }).end(payload);
  };
  const issue = (): string => {
    issued += 1;
    const value = `tok${issued}-${Math.random().toString(36).slice(2)}`;
    tokens.set(value, { n: issued, valid: true });
    return value;
  };
  const cookies = (req: IncomingMessage): Map<string, string> =>
    new Map(
      (req.headers.cookie ?? '')
        .split(';')
        .map((part) => part.trim().split('='))
        .filter((pair) => pair.length >= 2)
        .map(([name, ...value]) => [name!, value.join('=')]),
    );

  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === '/apiaccess/ccmessaging/applyToken') {
        if (req.headers.authorization !== 'Bearer contract-bearer' || req.headers['x-app-key'] !== 'contract-app') {
          return send(res, 403, { errorCode: '403', exceptionInfo: 'auth fail! illegal or expired token info.' });
        }
        return send(res, 200, { resultCode: '0', token: issue() });
      }
      if (!path.startsWith(FACADE)) return send(res, 404, {});
      const jar = cookies(req);
      const token = tokens.get(jar.get('ccmessaging-token') ?? '');
      seen.push({ path: path.slice(FACADE.length), token: token?.n, session: jar.get('JSESSIONID') === 'contract-session' });
      if (!token?.valid) {
        res.writeHead(401, { 'Content-Type': 'text/html' }).end('<html><body>401 Unauthorized</body></html>');
        return;
      }
      switch (path.slice(FACADE.length)) {
        case 'checkClickToCallSupport':
          return send(res, 200, { resultCode: '0', resultDesc: 'success', webRTCSupported: 'true', clickToCallSupported: true }, {
            'Set-Cookie': ['JSESSIONID=contract-session; Path=/; HttpOnly'],
          });
        case 'createClickToCall': {
          // A refresh through a header in another case.
          const headers: Record<string, string> = {};
          if (!headerRefreshed) {
            headerRefreshed = true;
            token.valid = false;
            headers['CCMessaging-Token'] = issue();
          }
          events.push({ resultCode: '0', resultDesc: 'call in queue' });
          return send(res, 200, { resultCode: 0, resultDesc: null }, headers);
        }
        case 'getClickToCallEvents': {
          const headers: Record<string, string | string[]> = {};
          if (!refreshed && headerRefreshed) {
            refreshed = true;
            token.valid = false;
            headers['Set-Cookie'] = [`ccmessaging-token=${issue()}; Path=/service-cloud; Secure; HttpOnly; SameSite=Strict`];
          }
          return send(res, 200, events.shift() ?? { resultCode: '0', resultDesc: 'ClickToCall polled without any events' }, headers, true);
        }
        case 'dropClickToCall':
          events.push({ resultCode: '0', resultDesc: 'CALL DISCONNECTED.' });
          return send(res, 200, { resultCode: '0', resultDesc: '' });
        default:
          return send(res, 404, {});
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    seen,
    issued: () => issued,
    /** Queues an event answer. */
    push: (event: Record<string, unknown>) => void events.push(event),
    /** Every token issued so far is refused from now on (401 with an HTML body). */
    expire: () => tokens.forEach((t) => (t.valid = false)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('Huawei CEC against a server written from the sources alone', () => {
  it('follows a call to its end through token refreshes (header, cookie), an expiry, and the server’s own ways of saying things', async (t) => {
    const closers = new Closers();
    t.after(() => closers.closeAll());
    const server = closers.add(await startContractServer(), (s) => s.close());
    const { log, text } = captureLog();
    const desk = deskHarness(log);
    const account = huaweiAccountSchema.parse({
      id: 'cec',
      vendor: 'huawei',
      clickToDialUrl: `${server.origin}${FACADE}`,
      appKey: 'contract-app',
      bearerToken: { env: 'UNUSED' },
      userId: 'contract-user',
      channelId: 'contract-channel',
    });
    const connector = closers.add(createHuaweiConnector(account, { bearerToken: 'contract-bearer' }, { backoff: FAST_BACKOFF, tuning: FAST }), (c) => c.stop());
    connector.start(desk.context);
    await eventually(() => desk.account().connection === 'connected', 'connected');

    await connector.execute({ type: 'call.dial', number: '+358401234567' });
    const [placed] = desk.liveCalls();
    assert.ok(placed);
    await eventually(() => desk.call(placed.id)?.state === 'queued', '"call in queue" → waiting in queue');
    assert.ok(server.issued() >= 3, 'the token was refreshed by a header and then by a cookie');
    const polls = () => server.seen.filter((s) => s.path === 'getClickToCallEvents');
    await eventually(() => polls().length >= 3, 'a few polls');
    assert.equal(polls()[0]?.token, 2, 'the first poll carries the header’s token');
    const afterRefresh = polls().slice(1);
    assert.ok(afterRefresh.length >= 2 && afterRefresh.every((s) => s.token === 3 && s.session), 'later polls carry the cookie’s token and the session cookie');

    server.push({ resultCode: '0', eventId: '168101', content: { accessCode: 4001, clickToCallCaller: 60012, gwAddresses: ['203.0.113.5:443'] } });
    await eventually(() => desk.call(placed.id)?.state === 'connected', 'an event with only its eventId connects the call');
    assert.equal(desk.call(placed.id)?.userData?.['Access code'], '4001');
    assert.equal(desk.call(placed.id)?.caller, '60012');

    server.expire();
    await eventually(() => server.issued() === 4 && desk.account().connection === 'connected', 'a token applied for again after the HTML 401');
    assert.equal(desk.call(placed.id)?.state, 'connected', 'the call goes on');

    await connector.execute({ type: 'call.action', callId: placed.id, action: 'hangup' });
    await eventually(() => desk.call(placed.id)?.state === 'ended', '"CALL DISCONNECTED." ends the call');
    assert.equal(desk.call(placed.id)?.endReason, 'CALL DISCONNECTED.');
    for (const line of text) assert.ok(!/tok\d-|contract-bearer/.test(line), `no token in the log: ${line.slice(0, 160)}`);
  });
});
