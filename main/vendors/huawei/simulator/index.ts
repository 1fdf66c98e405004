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
import { startLoopbackHttp, type HttpExchange, type LoopbackHttp, type SimRequest } from '../../kit/simulator.js';
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
  const simulator = new CecSimulator(options);
  await simulator.listen();
  return simulator;
}

/** The answer of one click-to-dial request: its status, body and headers (the record notes the status). */
type Answer = (status: number, body: unknown, headers?: Record<string, string>) => void;

/** The simulated CEC: its tokens, channel sessions and faults, and the scripting API ({@link HuaweiSimulator}). */
class CecSimulator implements HuaweiSimulator {
  origin = '';
  facadeUrl = '';
  fabricUrl = '';
  readonly credentials: { appKey: string; appSecret: string };
  readonly operations: CecRequestRecord[] = [];
  private readonly appKey: string;
  private readonly secrets: Set<string>;
  private readonly channels: Set<string>;
  private readonly tokenLifetimeMs: number;
  private readonly plans: CallPlan[] = [];
  private readonly accessTokens = new Map<string, { validUntil: number }>();
  private readonly tokens = new Map<string, TokenRecord>();
  private readonly sessions = new Map<string, ChannelSession>();
  private readonly held = new Set<ServerResponse>();
  private readonly rawEvents = new Map<string, string[]>();
  private readonly placedListeners = new Set<(seq: number) => void>();
  private http!: LoopbackHttp;
  private tokensIssuedCount = 0;
  private accessTokensIssuedCount = 0;
  private callSeq = 0;
  private failing: { status: number; headers: Record<string, string> } | undefined;
  private endingNewSessions = false;
  private silent = false;
  private cutting = false;
  private refuseTokens = false;
  private closed = false;

  constructor(private readonly options: HuaweiSimulatorOptions) {
    this.appKey = options.appKey ?? 'sim-app-key';
    const appSecret = options.appSecret ?? randomBytes(24).toString('base64url');
    this.credentials = { appKey: this.appKey, appSecret };
    this.secrets = new Set([appSecret]);
    this.channels = new Set(options.channels ?? ['web-channel-1']);
    this.tokenLifetimeMs = options.tokenLifetimeMs ?? 3_600_000;
  }

  /** Listens on loopback; sets the URLs. @throws if it cannot listen. */
  async listen(): Promise<void> {
    this.http = await startLoopbackHttp({ log: this.options.log, port: this.options.port, handle: (x) => this.handle(x) });
    this.origin = this.http.origin;
    this.facadeUrl = `${this.origin}${FACADE_PATH}`;
    this.fabricUrl = `${this.origin}${FABRIC_PATH}`;
    this.options.log?.info({ origin: this.origin }, 'Huawei CEC simulator listening');
  }

  // ---- the server ----

  private async handle(x: HttpExchange): Promise<void> {
    if (this.cutting) {
      x.req.socket.destroy();
      return;
    }
    if (this.silent) {
      this.held.add(x.res);
      x.res.once('close', () => this.held.delete(x.res));
      return;
    }
    if (this.failing !== undefined) return x.json(this.failing.status, { resultCode: '1', resultDesc: 'service unavailable' }, this.failing.headers);
    const path = x.url.pathname;
    if (path === '/apigovernance/api/oauth/tokenByAkSk' && x.req.method === 'POST') return this.tokenByAkSk(x);
    if (path === '/apiaccess/ccmessaging/applyToken' && x.req.method === 'POST') return this.applyToken(x);
    for (const [family, prefix] of [
      ['facade', FACADE_PATH],
      ['fabric', FABRIC_PATH],
    ] as const) {
      if (path.startsWith(prefix)) {
        const operation = path.slice(prefix.length) as Operation;
        if (operation in OPERATIONS) return this.clickToDial(x, family, operation);
      }
    }
    x.json(404, { resultCode: '1', resultDesc: 'not found' });
  }

  private token(): string {
    return randomBytes(18).toString('base64url');
  }

  private defaultPlan(seq: number): CallPlan {
    const { plan } = this.options;
    return typeof plan === 'function' ? plan(seq) : (plan ?? { outcome: 'answer' });
  }

  private sessionFor(key: string): ChannelSession {
    let session = this.sessions.get(key);
    if (!session) {
      session = new ChannelSession(key, { accessCode: '4001', caller: '60012', domain: 'webrtc.cec.example', gateways: ['198.51.100.10:8443'] });
      this.sessions.set(key, session);
    }
    return session;
  }

  private sessionsOf(userId?: string): ChannelSession[] {
    return [...this.sessions.values()].filter((s) => userId === undefined || s.key.startsWith(`${userId}\n`));
  }

  private withCall(userId: string | undefined, move: (s: ChannelSession) => boolean): boolean {
    return this.sessionsOf(userId).some((s) => s.call !== undefined && move(s));
  }

  private validBearer(req: IncomingMessage): boolean {
    const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    if (!match) return false;
    const value = match[1]!.trim();
    if (this.options.bearerToken && value === this.options.bearerToken) return true;
    const known = this.accessTokens.get(value);
    return known !== undefined && Date.now() < known.validUntil;
  }

  private async tokenByAkSk(x: HttpExchange): Promise<void> {
    const { appKey } = this;
    const body = (await x.body()) as { app_key?: unknown; app_secret?: unknown } | undefined;
    if (body?.app_key !== appKey || typeof body.app_secret !== 'string' || !this.secrets.has(body.app_secret)) {
      return x.json(401, fabricError('401', 'app_key or app_secret is invalid')); // [I] the status
    }
    const value = this.token();
    const lifetime = this.options.accessTokenLifetimeSec ?? 3600;
    this.accessTokens.set(value, { validUntil: Date.now() + lifetime * 1000 });
    this.accessTokensIssuedCount += 1;
    x.json(200, { AccessToken: value, ApplyType: 'Bearer', CreateTime: String(Date.now()), Expires: String(lifetime), Scope: 'default', AppKey: appKey, UserID: 'sim' });
  }

  private async applyToken(x: HttpExchange): Promise<void> {
    if (x.req.headers['x-app-key'] !== this.appKey || !this.validBearer(x.req)) {
      return x.json(403, fabricError('403', 'auth fail! illegal or expired token info. please apply or refresh the access token from the server!'));
    }
    const body = (await x.body()) as Record<string, unknown> | undefined;
    const userId = body?.userId;
    const channelId = body?.channelId;
    if (typeof userId !== 'string' || userId.length < 1 || userId.length > 32 || typeof body?.userName !== 'string' || typeof body.locale !== 'string') {
      return x.json(400, { resultCode: '1', resultDesc: 'invalid request body' });
    }
    this.options.onApplyToken?.(userId);
    if (typeof channelId !== 'string' || !this.channels.has(channelId)) return x.json(200, { resultCode: '1', resultDesc: 'channel not found' });
    const value = this.token();
    this.tokens.set(value, { key: `${userId}\n${channelId}`, valid: true, until: Date.now() + this.tokenLifetimeMs, checked: false, corrupt: [] });
    this.tokensIssuedCount += 1;
    x.json(200, { resultCode: '0', token: value });
  }

  /** The token a click-to-dial request carries, and where. */
  private tokenOf(req: IncomingMessage, family: 'facade' | 'fabric'): { value?: string; via: CecRequestRecord['tokenVia'] } {
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

  /** One click-to-dial request: recorded; the method, the credentials and the token checked; then the operation. */
  private async clickToDial(x: HttpExchange, family: 'facade' | 'fabric', operation: Operation): Promise<void> {
    const record: CecRequestRecord = { family, operation, tokenVia: 'none', status: 0 };
    this.operations.push(record);
    const answer: Answer = (status, body, headers = {}) => {
      record.status = status;
      x.json(status, body, headers);
    };
    if (x.req.method !== OPERATIONS[operation]) return answer(405, { resultCode: '1', resultDesc: 'method not allowed' });
    const body = OPERATIONS[operation] === 'POST' ? await x.body() : undefined;
    record.body = body;
    const carried = this.tokenOf(x.req, family);
    record.tokenVia = carried.via;
    const known = carried.value ? this.tokens.get(carried.value) : undefined;
    if (family === 'fabric' && (x.req.headers['x-app-key'] !== this.appKey || !this.validBearer(x.req))) {
      return answer(401, fabricError('401', 'auth fail! illegal or expired token info.'));
    }
    if (!known?.valid || Date.now() >= known.until || this.refuseTokens) return answer(401, { resultCode: '1', resultDesc: 'token invalid or expired' });
    if (this.endingNewSessions && known.checked) return answer(503, { resultCode: '1', resultDesc: 'service unavailable' });
    if (family === 'fabric') {
      const channel = OPERATIONS[operation] === 'GET' ? x.url.searchParams.get('channel') : (body as { channel?: unknown } | undefined)?.channel;
      if (channel !== 'WEB') return answer(400, { resultCode: '1', resultDesc: 'channel is required' });
    }
    const headers = this.refreshed(known);
    const kind = known.corrupt.shift();
    if (kind) {
      if (kind === 'malformed') return answer(200, { resultCode: null, resultDesc: 42, content: 'not an object' }, headers);
      return answer(200, { resultCode: '0', resultDesc: 'padding', padding: 'x'.repeat(this.options.oversizedBytes ?? 2 * 1024 * 1024) }, headers);
    }
    this.operate(x, operation, known, body, headers, answer, record);
  }

  /** A token due for a refresh is replaced: the headers that hand the new one over (the old one is refused from now on). */
  private refreshed(known: TokenRecord): Record<string, string> {
    const headers: Record<string, string> = {};
    if (known.refreshVia) {
      const fresh = this.token();
      this.tokens.set(fresh, { key: known.key, valid: true, until: Date.now() + this.tokenLifetimeMs, checked: known.checked, corrupt: known.corrupt });
      if (known.refreshVia === 'header') headers['ccmessaging-token'] = fresh;
      else headers['Set-Cookie'] = `ccmessaging-token=${fresh}; Path=/; HttpOnly`;
      known.valid = false;
      known.refreshVia = undefined;
    }
    return headers;
  }

  /** The operation itself, on the token's channel session. */
  private operate(x: HttpExchange, operation: Operation, known: TokenRecord, body: unknown, headers: Record<string, string>, answer: Answer, record: CecRequestRecord): void {
    const { options } = this;
    const session = this.sessionFor(known.key);
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
        this.callSeq += 1;
        const seq = this.callSeq;
        const plan = this.plans.shift() ?? this.defaultPlan(seq);
        const code = session.create(seq, media === '1' ? 'video' : 'voice', plan);
        if (code === '13') return answer(200, result('13', plan.outcome === 'no-agents' ? 'No agents available currently' : 'connect failed'), headers);
        answer(200, result('0', 'connect successfully.'), headers);
        for (const listener of this.placedListeners) listener(seq);
        return;
      }
      case 'getClickToCallEvents': {
        if (session.forbidNextPoll) {
          session.forbidNextPoll = false;
          return answer(403, { resultCode: '1', resultDesc: 'request timeout' }, headers);
        }
        const raw = this.rawEvents.get(known.key)?.shift();
        if (raw !== undefined) {
          record.status = 200;
          x.res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', ...headers }).end(raw);
          this.http.record({ method: 'GET', path: x.req.url ?? '', status: 200 });
          return;
        }
        return answer(200, session.nextEvent() ?? noEvent(), headers);
      }
      case 'dropClickToCall':
        return session.disconnect() ? answer(200, result('0', ''), headers) : answer(200, result('13', 'disconnect failed'), headers);
    }
  }

  // ---- the scripting and inspection API (see HuaweiSimulator) ----

  get requests(): readonly SimRequest[] {
    return this.http.requests;
  }
  get tokensIssued(): number {
    return this.tokensIssuedCount;
  }
  get accessTokensIssued(): number {
    return this.accessTokensIssuedCount;
  }
  get checkedTokens(): number {
    return [...this.tokens.values()].filter((t) => t.checked).length;
  }
  issuedTokens(): string[] {
    return [...this.tokens.keys(), ...this.accessTokens.keys()];
  }
  callsInProgress(): number {
    return [...this.sessions.values()].filter((s) => s.call).length;
  }
  callNumbersInProgress(): number[] {
    return [...this.sessions.values()].flatMap((s) => (s.call ? [s.call.seq] : []));
  }
  onCallPlaced(listener: (seq: number) => void): () => void {
    this.placedListeners.add(listener);
    return () => this.placedListeners.delete(listener);
  }
  planCalls(...next: CallPlan[]): void {
    this.plans.push(...next);
  }
  connectCall(userId?: string): boolean {
    return this.withCall(userId, (s) => s.connect());
  }
  disconnectCall(userId?: string): boolean {
    return this.withCall(userId, (s) => s.disconnect());
  }
  failCall(cause?: { causeId: number | string; causeDesc: string }, userId?: string): boolean {
    return this.withCall(userId, (s) => s.fail(cause));
  }
  timeOutQueue(userId?: string): boolean {
    return this.withCall(userId, (s) => s.queueTimeout());
  }
  timeOutRequest(userId?: string): boolean {
    return this.withCall(userId, (s) => s.requestTimeout());
  }
  expireTokens(): void {
    for (const record of this.tokens.values()) record.valid = false;
  }
  refreshTokens(via: 'header' | 'cookie'): void {
    for (const record of this.tokens.values()) if (record.valid) record.refreshVia = via;
  }
  refuseAllTokens(on: boolean): void {
    this.refuseTokens = on;
  }
  expireAccessTokens(): void {
    for (const record of this.accessTokens.values()) record.validUntil = 0;
  }
  acceptAppSecret(secret: string): void {
    this.secrets.add(secret);
  }
  failWith(status: number | undefined, retryAfterS?: number): void {
    this.failing = status === undefined ? undefined : { status, headers: retryAfterS === undefined ? {} : { 'Retry-After': String(retryAfterS) } };
  }
  endNewSessions(on: boolean): void {
    this.endingNewSessions = on;
  }
  revokeCredentials(): void {
    this.secrets.clear();
    for (const record of this.tokens.values()) record.valid = false;
    for (const record of this.accessTokens.values()) record.validUntil = 0;
  }
  silence(on: boolean): void {
    this.silent = on;
    if (!on) for (const res of this.held) res.destroy();
  }
  cutConnections(on: boolean): void {
    this.cutting = on;
    if (on) this.http.server.closeAllConnections();
  }
  corruptNextAnswers(kind: 'malformed' | 'oversized'): void {
    for (const record of this.tokens.values()) if (record.valid) record.corrupt.push(kind);
  }
  queueRawEvent(text: string, userId?: string): void {
    for (const record of new Set([...this.tokens.values()].map((t) => t.key))) {
      if (userId !== undefined && !record.startsWith(`${userId}\n`)) continue;
      this.rawEvents.set(record, [...(this.rawEvents.get(record) ?? []), text]);
    }
  }
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const session of this.sessions.values()) session.close();
    for (const res of this.held) res.destroy();
    await this.http.close();
  }
}
