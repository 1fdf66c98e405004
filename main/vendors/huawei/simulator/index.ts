/**
 * A protocol-faithful Huawei CEC click-to-dial simulator, for tests, the demo and the conformance
 * rig: both URL families and the API Fabric's token services on one loopback HTTP server (plain
 * HTTP; the account's URL decides the scheme).
 *
 * - `POST /apigovernance/api/oauth/tokenByAkSk` `{app_key, app_secret}` → `{AccessToken, Expires…}`;
 * - `POST /apiaccess/ccmessaging/applyToken` (`x-app-key`, `Authorization: Bearer …`) →
 *   `{resultCode: "0", token}`; a bad or expired access token → 403 `{errorCode, exceptionInfo:
 *   "auth fail! illegal or expired token info…"}`;
 * - the four operations at `/service-cloud/rest/webadapter/v1/webadapterfacade/` (token in
 *   `Cookie: ccmessaging-token=…`, as the document requires) and at `/apiaccess/ccmessaging/v1/`
 *   (headers `ccmessaging-token`, `x-app-key`, `Authorization`; `channel=WEB`);
 * - an unknown or expired token → 401; the token can be refreshed in an answer (header or
 *   `Set-Cookie`), after which the old one is refused.
 *
 * Sources: the document; VENDOR-NOTES [C]. What they leave open is marked [I] here and in
 * `channel.ts` (the 401 for a bad app secret on `tokenByAkSk`, the 400s for a malformed request).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../../log.js';
import { startLoopbackHttp, type HttpExchange, type SimRequest } from '../../kit/simulator.js';
import { FABRIC_PATH, FACADE_PATH } from '../config.js';
import { ChannelSession, type CallPlan } from './channel.js';
import { DOCUMENT_CONNECTED_EXAMPLE, fabricError, noEvent, result } from './payloads.js';

export { DOCUMENT_CONNECTED_EXAMPLE, type CallPlan };
export type { CallOutcome } from './channel.js';

/** The simulator's options; all optional. */
export interface HuaweiSimulatorOptions {
  /** The API Fabric app key (default `sim-app-key`) and secret (default random). */
  appKey?: string;
  appSecret?: string;
  /** A pre-issued Bearer access token the simulator also accepts (default none). */
  bearerToken?: string;
  /** Channel configuration ids that exist (default `["web-channel-1"]`). */
  channels?: string[];
  /** Lifetime of a `ccmessaging-token`, ms (default one hour, VENDOR-NOTES [C]); an older one is refused with 401. */
  tokenLifetimeMs?: number;
  /** Lifetime of an access token, seconds, as `Expires` says (default 3 600). */
  accessTokenLifetimeSec?: number;
  /** What `checkClickToCallSupport` says (default both true). */
  clickToCallSupported?: boolean;
  webRTCSupported?: boolean;
  /** The script of every call, or a function of the call's number (1, 2, …) (default: answered after 1.5 s, 20 s of talk). */
  plan?: CallPlan | ((seq: number) => CallPlan);
  /** Size of an oversized answer, bytes (default 2 MiB). */
  oversizedBytes?: number;
  /** Listening port (default 0: any free one; a fleet's restart passes the old one). */
  port?: number;
  /** Called as each well-formed `applyToken` arrives (a desk signing in), with its user id; for the fleet bench. */
  onApplyToken?(userId: string): void;
  log?: Logger;
}

/** A click-to-dial operation. */
type Operation = 'checkClickToCallSupport' | 'createClickToCall' | 'getClickToCallEvents' | 'dropClickToCall';
const OPERATIONS: Record<Operation, 'GET' | 'POST'> = {
  checkClickToCallSupport: 'GET',
  createClickToCall: 'POST',
  getClickToCallEvents: 'GET',
  dropClickToCall: 'POST',
};

/** One click-to-dial request as the simulator saw it (no token values). */
export interface CecRequestRecord {
  family: 'facade' | 'fabric';
  operation: Operation;
  /** Where the token came from: the `Cookie`, the `ccmessaging-token` header, or nowhere. */
  tokenVia: 'cookie' | 'header' | 'none';
  status: number;
  /** The request body, parsed (create and drop). */
  body?: unknown;
}

/** The scripting and inspection API of a running simulator. */
export interface HuaweiSimulator {
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
  /** The click-to-dial base URL of each family. */
  readonly facadeUrl: string;
  readonly fabricUrl: string;
  readonly credentials: { appKey: string; appSecret: string };
  /** Every HTTP request answered, oldest first. */
  readonly requests: readonly SimRequest[];
  /** Every click-to-dial request, oldest first. */
  readonly operations: readonly CecRequestRecord[];
  /** `ccmessaging-token`s issued (`applyToken` answered "0"). */
  readonly tokensIssued: number;
  /** Access tokens issued by `tokenByAkSk`. */
  readonly accessTokensIssued: number;
  /** Tokens that asked `checkClickToCallSupport` at least once (each new session once). */
  readonly checkedTokens: number;
  /** Every token and access token issued so far (tests look for them in logs). */
  issuedTokens(): string[];
  /** Channel sessions with a call in progress. */
  callsInProgress(): number;
  /** The number (1, 2, …) of each call in progress. */
  callNumbersInProgress(): number[];
  /** Calls `listener` after each call is placed (a create answered "0"), with the call's number. @returns an unsubscribe function. */
  onCallPlaced(listener: (seq: number) => void): () => void;
  /** Scripts the next calls (each create takes the next plan; then the default plan again). */
  planCalls(...plans: CallPlan[]): void;
  /** Moves the call in progress (of `userId`, default: any) on: an agent answers it. @returns false when none is queued. */
  connectCall(userId?: string): boolean;
  /** The call in progress is released ("Call disconnected"). */
  disconnectCall(userId?: string): boolean;
  /** The call in progress fails ("Call failed", with the cause). */
  failCall(cause?: { causeId: number | string; causeDesc: string }, userId?: string): boolean;
  /** The queued call times out ("Call queued timeout"). */
  timeOutQueue(userId?: string): boolean;
  /** The click-to-dial request times out: the next poll answers 403, the call is gone. */
  timeOutRequest(userId?: string): boolean;
  /** Every token issued so far is refused from now on (401): an expiry. */
  expireTokens(): void;
  /** The next click-to-dial answer to each live token hands a new token (`header` or `cookie`); the old one is then refused. */
  refreshTokens(via: 'header' | 'cookie'): void;
  /** While on, tokens are issued but every click-to-dial request refuses them (401). */
  refuseAllTokens(on: boolean): void;
  /** Every access token issued so far is refused by `applyToken` (403) from now on. */
  expireAccessTokens(): void;
  /** Accepts `secret` as the app secret too (an administrator fixed it). */
  acceptAppSecret(secret: string): void;
  /** Every request answers `status` (e.g. 503), with `Retry-After: retryAfterS` when given, until called with `undefined`. */
  failWith(status: number | undefined, retryAfterS?: number): void;
  /**
   * While on, the server accepts every session and ends it at once: a token's first
   * `checkClickToCallSupport` is answered, every later request with it answers 503.
   */
  endNewSessions(on: boolean): void;
  /** The app's credentials are revoked: the app secret and every token and access token issued are refused from now on. */
  revokeCredentials(): void;
  /** While on, no request is answered; off cuts the ones held. */
  silence(on: boolean): void;
  /** While on, every connection is cut (destroyed) as soon as a request arrives; turning it on cuts the open ones. */
  cutConnections(on: boolean): void;
  /** The next click-to-dial answer to each live token fails validation (`malformed`) or is too large (`oversized`). */
  corruptNextAnswers(kind: 'malformed' | 'oversized'): void;
  /** Queues a raw `getClickToCallEvents` answer (text) on every channel session (golden tests, unknown events). */
  queueRawEvent(text: string, userId?: string): void;
  close(): Promise<void>;
}

interface TokenRecord {
  key: string;
  valid: boolean;
  /** When it expires (ms since the epoch). */
  until: number;
  checked: boolean;
  refreshVia?: 'header' | 'cookie';
  /** The next answers to corrupt, in order. */
  corrupt: Array<'malformed' | 'oversized'>;
}

/** Starts a simulator on 127.0.0.1 (a free port). @throws if it cannot listen. */
export async function startHuaweiSimulator(options: HuaweiSimulatorOptions = {}): Promise<HuaweiSimulator> {
  const appKey = options.appKey ?? 'sim-app-key';
  const appSecret = options.appSecret ?? randomBytes(24).toString('base64url');
  const secrets = new Set([appSecret]);
  const channels = new Set(options.channels ?? ['web-channel-1']);
  const tokenLifetimeMs = options.tokenLifetimeMs ?? 3_600_000;
  const defaultPlan = (seq: number): CallPlan =>
    typeof options.plan === 'function' ? options.plan(seq) : (options.plan ?? { outcome: 'answer' });
  const plans: CallPlan[] = [];
  const accessTokens = new Map<string, { validUntil: number }>();
  const tokens = new Map<string, TokenRecord>();
  const sessions = new Map<string, ChannelSession>();
  const operations: CecRequestRecord[] = [];
  const held = new Set<ServerResponse>();
  const rawEvents = new Map<string, string[]>();
  const placedListeners = new Set<(seq: number) => void>();
  let tokensIssued = 0;
  let accessTokensIssued = 0;
  let callSeq = 0;
  let failing: { status: number; headers: Record<string, string> } | undefined;
  let endNewSessions = false;
  let silent = false;
  let cutting = false;
  let refuseTokens = false;

  const token = (): string => randomBytes(18).toString('base64url');

  function sessionFor(key: string): ChannelSession {
    let session = sessions.get(key);
    if (!session) {
      session = new ChannelSession(key, { accessCode: '4001', caller: '60012', domain: 'webrtc.cec.example', gateways: ['198.51.100.10:8443'] });
      sessions.set(key, session);
    }
    return session;
  }

  function sessionsOf(userId?: string): ChannelSession[] {
    return [...sessions.values()].filter((s) => userId === undefined || s.key.startsWith(`${userId}\n`));
  }

  function withCall(userId: string | undefined, move: (s: ChannelSession) => boolean): boolean {
    return sessionsOf(userId).some((s) => s.call !== undefined && move(s));
  }

  function validBearer(req: IncomingMessage): boolean {
    const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    if (!match) return false;
    const value = match[1]!.trim();
    if (options.bearerToken && value === options.bearerToken) return true;
    const known = accessTokens.get(value);
    return known !== undefined && Date.now() < known.validUntil;
  }

  async function tokenByAkSk(x: HttpExchange): Promise<void> {
    const body = (await x.body()) as { app_key?: unknown; app_secret?: unknown } | undefined;
    if (body?.app_key !== appKey || typeof body.app_secret !== 'string' || !secrets.has(body.app_secret)) {
      return x.json(401, fabricError('401', 'app_key or app_secret is invalid')); // [I] the status
    }
    const value = token();
    const lifetime = options.accessTokenLifetimeSec ?? 3600;
    accessTokens.set(value, { validUntil: Date.now() + lifetime * 1000 });
    accessTokensIssued += 1;
    x.json(200, { AccessToken: value, ApplyType: 'Bearer', CreateTime: String(Date.now()), Expires: String(lifetime), Scope: 'default', AppKey: appKey, UserID: 'sim' });
  }

  async function applyToken(x: HttpExchange): Promise<void> {
    if (x.req.headers['x-app-key'] !== appKey || !validBearer(x.req)) {
      return x.json(403, fabricError('403', 'auth fail! illegal or expired token info. please apply or refresh the access token from the server!'));
    }
    const body = (await x.body()) as Record<string, unknown> | undefined;
    const userId = body?.userId;
    const channelId = body?.channelId;
    if (typeof userId !== 'string' || userId.length < 1 || userId.length > 32 || typeof body?.userName !== 'string' || typeof body.locale !== 'string') {
      return x.json(400, { resultCode: '1', resultDesc: 'invalid request body' });
    }
    options.onApplyToken?.(userId);
    if (typeof channelId !== 'string' || !channels.has(channelId)) return x.json(200, { resultCode: '1', resultDesc: 'channel not found' });
    const value = token();
    tokens.set(value, { key: `${userId}\n${channelId}`, valid: true, until: Date.now() + tokenLifetimeMs, checked: false, corrupt: [] });
    tokensIssued += 1;
    x.json(200, { resultCode: '0', token: value });
  }

  /** The token a click-to-dial request carries, and where. */
  function tokenOf(req: IncomingMessage, family: 'facade' | 'fabric'): { value?: string; via: CecRequestRecord['tokenVia'] } {
    if (family === 'facade') {
      // The document: the token must be in the Cookie.
      for (const part of (req.headers.cookie ?? '').split(';')) {
        const [name, ...rest] = part.trim().split('=');
        if (name === 'ccmessaging-token') return { value: rest.join('='), via: 'cookie' };
      }
      return { via: req.headers['ccmessaging-token'] ? 'header' : 'none' };
    }
    const header = req.headers['ccmessaging-token'];
    return typeof header === 'string' && header ? { value: header, via: 'header' } : { via: 'none' };
  }

  async function clickToDial(x: HttpExchange, family: 'facade' | 'fabric', operation: Operation): Promise<void> {
    const record: CecRequestRecord = { family, operation, tokenVia: 'none', status: 0 };
    operations.push(record);
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      record.status = status;
      x.json(status, body, headers);
    };
    if (x.req.method !== OPERATIONS[operation]) return answer(405, { resultCode: '1', resultDesc: 'method not allowed' });
    const body = OPERATIONS[operation] === 'POST' ? await x.body() : undefined;
    record.body = body;
    const carried = tokenOf(x.req, family);
    record.tokenVia = carried.via;
    const known = carried.value ? tokens.get(carried.value) : undefined;
    if (family === 'fabric' && (x.req.headers['x-app-key'] !== appKey || !validBearer(x.req))) {
      return answer(401, fabricError('401', 'auth fail! illegal or expired token info.'));
    }
    if (!known?.valid || Date.now() >= known.until || refuseTokens) return answer(401, { resultCode: '1', resultDesc: 'token invalid or expired' });
    if (endNewSessions && known.checked) return answer(503, { resultCode: '1', resultDesc: 'service unavailable' });
    if (family === 'fabric') {
      const channel = OPERATIONS[operation] === 'GET' ? x.url.searchParams.get('channel') : (body as { channel?: unknown } | undefined)?.channel;
      if (channel !== 'WEB') return answer(400, { resultCode: '1', resultDesc: 'channel is required' });
    }
    const session = sessionFor(known.key);
    const headers: Record<string, string> = {};
    if (known.refreshVia) {
      const fresh = token();
      tokens.set(fresh, { key: known.key, valid: true, until: Date.now() + tokenLifetimeMs, checked: known.checked, corrupt: known.corrupt });
      if (known.refreshVia === 'header') headers['ccmessaging-token'] = fresh;
      else headers['Set-Cookie'] = `ccmessaging-token=${fresh}; Path=/; HttpOnly`;
      known.valid = false;
      known.refreshVia = undefined;
    }
    const kind = known.corrupt.shift();
    if (kind) {
      if (kind === 'malformed') return answer(200, { resultCode: null, resultDesc: 42, content: 'not an object' }, headers);
      return answer(200, { resultCode: '0', resultDesc: 'padding', padding: 'x'.repeat(options.oversizedBytes ?? 2 * 1024 * 1024) }, headers);
    }
    switch (operation) {
      case 'checkClickToCallSupport':
        known.checked = true;
        return answer(
          200,
          { resultCode: '0', resultDesc: '', webRTCSupported: options.webRTCSupported ?? true, clickToCallSupported: options.clickToCallSupported ?? true },
          headers,
        );
      case 'createClickToCall': {
        const media = (body as { mediaAbility?: unknown } | undefined)?.mediaAbility;
        if (media !== '0' && media !== '1') return answer(400, { resultCode: '1', resultDesc: 'mediaAbility must be "0" or "1"' }, headers);
        callSeq += 1;
        const plan = plans.shift() ?? defaultPlan(callSeq);
        const code = session.create(callSeq, media === '1' ? 'video' : 'voice', plan);
        if (code === '13') return answer(200, result('13', plan.outcome === 'no-agents' ? 'No agents available currently' : 'connect failed'), headers);
        answer(200, result('0', 'connect successfully.'), headers);
        for (const listener of placedListeners) listener(callSeq);
        return;
      }
      case 'getClickToCallEvents': {
        if (session.forbidNextPoll) {
          session.forbidNextPoll = false;
          return answer(403, { resultCode: '1', resultDesc: 'request timeout' }, headers);
        }
        const raw = rawEvents.get(known.key)?.shift();
        if (raw !== undefined) {
          record.status = 200;
          x.res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', ...headers }).end(raw);
          http.record({ method: 'GET', path: x.req.url ?? '', status: 200 });
          return;
        }
        return answer(200, session.nextEvent() ?? noEvent(), headers);
      }
      case 'dropClickToCall':
        return session.disconnect() ? answer(200, result('0', ''), headers) : answer(200, result('13', 'disconnect failed'), headers);
    }
  }

  const http = await startLoopbackHttp({
    log: options.log,
    port: options.port,
    async handle(x) {
      if (cutting) {
        x.req.socket.destroy();
        return;
      }
      if (silent) {
        held.add(x.res);
        x.res.once('close', () => held.delete(x.res));
        return;
      }
      if (failing !== undefined) return x.json(failing.status, { resultCode: '1', resultDesc: 'service unavailable' }, failing.headers);
      const path = x.url.pathname;
      if (path === '/apigovernance/api/oauth/tokenByAkSk' && x.req.method === 'POST') return tokenByAkSk(x);
      if (path === '/apiaccess/ccmessaging/applyToken' && x.req.method === 'POST') return applyToken(x);
      for (const [family, prefix] of [
        ['facade', FACADE_PATH],
        ['fabric', FABRIC_PATH],
      ] as const) {
        if (path.startsWith(prefix)) {
          const operation = path.slice(prefix.length) as Operation;
          if (operation in OPERATIONS) return clickToDial(x, family, operation);
        }
      }
      x.json(404, { resultCode: '1', resultDesc: 'not found' });
    },
  });
  options.log?.info({ origin: http.origin }, 'Huawei CEC simulator listening');

  let closed = false;
  return {
    origin: http.origin,
    facadeUrl: `${http.origin}${FACADE_PATH}`,
    fabricUrl: `${http.origin}${FABRIC_PATH}`,
    credentials: { appKey, appSecret },
    requests: http.requests,
    operations,
    get tokensIssued() {
      return tokensIssued;
    },
    get accessTokensIssued() {
      return accessTokensIssued;
    },
    get checkedTokens() {
      return [...tokens.values()].filter((t) => t.checked).length;
    },
    issuedTokens: () => [...tokens.keys(), ...accessTokens.keys()],
    callsInProgress: () => [...sessions.values()].filter((s) => s.call).length,
    callNumbersInProgress: () => [...sessions.values()].flatMap((s) => (s.call ? [s.call.seq] : [])),
    onCallPlaced(listener) {
      placedListeners.add(listener);
      return () => placedListeners.delete(listener);
    },
    planCalls: (...next) => void plans.push(...next),
    connectCall: (userId) => withCall(userId, (s) => s.connect()),
    disconnectCall: (userId) => withCall(userId, (s) => s.disconnect()),
    failCall: (cause, userId) => withCall(userId, (s) => s.fail(cause)),
    timeOutQueue: (userId) => withCall(userId, (s) => s.queueTimeout()),
    timeOutRequest: (userId) => withCall(userId, (s) => s.requestTimeout()),
    expireTokens() {
      for (const record of tokens.values()) record.valid = false;
    },
    refreshTokens(via) {
      for (const record of tokens.values()) if (record.valid) record.refreshVia = via;
    },
    refuseAllTokens(on) {
      refuseTokens = on;
    },
    expireAccessTokens() {
      for (const record of accessTokens.values()) record.validUntil = 0;
    },
    acceptAppSecret: (secret) => void secrets.add(secret),
    failWith(status, retryAfterS) {
      failing = status === undefined ? undefined : { status, headers: retryAfterS === undefined ? {} : { 'Retry-After': String(retryAfterS) } };
    },
    endNewSessions(on) {
      endNewSessions = on;
    },
    revokeCredentials() {
      secrets.clear();
      for (const record of tokens.values()) record.valid = false;
      for (const record of accessTokens.values()) record.validUntil = 0;
    },
    silence(on) {
      silent = on;
      if (!on) for (const res of held) res.destroy();
    },
    cutConnections(on) {
      cutting = on;
      if (on) http.server.closeAllConnections();
    },
    corruptNextAnswers(kind) {
      for (const record of tokens.values()) if (record.valid) record.corrupt.push(kind);
    },
    queueRawEvent(text, userId) {
      for (const record of new Set([...tokens.values()].map((t) => t.key))) {
        if (userId !== undefined && !record.startsWith(`${userId}\n`)) continue;
        rawEvents.set(record, [...(rawEvents.get(record) ?? []), text]);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const session of sessions.values()) session.close();
      for (const res of held) res.destroy();
      await http.close();
    },
  };
}
