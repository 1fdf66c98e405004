/**
 * A protocol-faithful Genesys Workspace Web Edition API v2 simulator, for tests, the demo, the
 * conformance rig and benchmarks: REST plus CometD long-polling on one loopback HTTP server.
 *
 * - ./rest.ts — `/api/v2/*` routes, Basic auth, the `JSESSIONID` HTTP session, CSRF;
 * - ./bayeux.ts — the CometD server at `/api/v2/notifications*` and its session controls;
 * - ./contact-center.ts — the agent, chats, calls and the operations that change them;
 * - ./payloads.ts — resources and notifications in the document's shapes.
 *
 * Sources: vendor-docs/genesys-wwe-api-v2-cometd-chats.txt; VENDOR-NOTES.md, Genesys [C]; what the
 * sources leave open is marked [I] in each file.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../../../log.js';
import type { FleetMount } from '../../kit/fleet.js';
import { startLoopbackHttp, type SimRequest } from '../../kit/simulator.js';
import { Bayeux } from './bayeux.js';
import { ContactCenter, type GenesysOperation } from './contact-center.js';
import { DOCUMENT_CHAT_STATE_EXAMPLE, DOCUMENT_MESSAGE_LOG_EXAMPLE, TOPICS, type GenesysAgentState, type SimCall } from './payloads.js';
import { RestApi } from './rest.js';

export { DOCUMENT_CHAT_STATE_EXAMPLE, DOCUMENT_MESSAGE_LOG_EXAMPLE, type GenesysAgentState, type GenesysOperation, type SimCall };

/** The simulator's options. All optional. */
export interface GenesysSimulatorOptions {
  /** Basic-auth user (default `agent1`) and password (default random). */
  user?: string;
  password?: string;
  /** The agent's first name, shown as the agent's chat nickname when none is given (default `Alex`). */
  agentName?: string;
  /** CometD long-poll hold time, ms (default 25 000; tests use ~1 000). */
  longPollTimeoutMs?: number;
  /** Delay before an operation's result is published, ms (default 20). */
  operationDelayMs?: number;
  /**
   * The agent is already logged in to the contact center on its voice and chat channels, NotReady
   * (default false: logged out until a desk starts a contact-center session): what a restarted API
   * server finds when the contact center behind it kept its agents' states (the fleet bench's restart).
   */
  agentLoggedIn?: boolean;
  /** Whether POSTs need the CSRF header (default true). */
  csrf?: boolean;
  /** The CSRF header name announced in `X-CSRF-HEADER` (default `X-CSRF-TOKEN`). */
  csrfHeaderName?: string;
  log?: Logger;
  /** Serve under a prefix of a shared loopback host (one agent of a fleet) instead of listening alone. */
  mount?: FleetMount;
}

/** The scripting and inspection API of a running simulator. */
export interface GenesysSimulator {
  /** Host root, e.g. `http://127.0.0.1:41234` (the API is at `/api/v2`). */
  readonly baseUrl: string;
  readonly credentials: { user: string; password: string };
  /** Every POSTed operation, oldest first. */
  readonly operations: readonly GenesysOperation[];
  /** Every HTTP request answered (REST and notifications), oldest first. */
  readonly requests: readonly SimRequest[];
  /** How many `StartContactCenterSession` operations were received. */
  readonly contactCenterSessions: number;
  /** Successful Basic-auth logins that created an HTTP session (`JSESSIONID`). */
  readonly authentications: number;
  /** How many CometD handshakes succeeded. */
  readonly handshakes: number;
  /** CometD sessions that subscribed to all four `/v2/me/*` topics (each complete set once). */
  readonly subscriptions: number;
  /** How many `/meta/connect` long polls were held (a healthy client keeps polling one session). */
  readonly metaConnects: number;
  readonly agentState: GenesysAgentState;
  /** The device id of the agent's phone (for `Dial`). */
  readonly deviceId: string;
  /** Offers a chat to the agent (state `Invited`); the customer's first line, if given, is in its log. @returns the chat id. */
  offerChat(options: { customer: string; text?: string; userData?: Record<string, string> }): string;
  /** The customer writes a line (published as `MessageLogUpdated`). @throws if the chat is unknown. */
  customerWrites(chatId: string, text: string): void;
  /** The customer leaves; the chat ends (`Completed`). */
  endChat(chatId: string): void;
  /** Publishes a `ChatStateChangeMessage` `Error` notification on the chat. @throws if the chat is unknown. */
  chatError(chatId: string, message: string): void;
  /** An inbound call rings at the agent (`Ringing`, `Inbound`). @returns the call id. */
  ringCall(options: { ani: string; dnis?: string; userData?: Record<string, string> }): string;
  /** The far end hangs up (`Released`). */
  releaseCall(callId: string): void;
  /**
   * A call as the server holds it, live or released lately (a copy): its state, consult link
   * (`parentConnId`), conference `participants`, the digits sent (`dtmf`) and its user data.
   */
  call(callId: string): SimCall | undefined;
  /**
   * The next operation named `operationName` on a call is refused with `message`: in its answer
   * (`statusCode 2`, the default), or accepted and then refused in an `Error` notification on the call.
   */
  refuseNext(operationName: string, message: string, how?: 'answer' | 'notification'): void;
  /** Changes the agent's state from the server side (supervisor, ACW timer) and publishes it. */
  setAgentState(state: 'Ready' | 'NotReady' | 'AfterCallWork', reason?: string): void;
  /** The server logs the agent out of the contact center (its contact-center session is gone). */
  logAgentOut(): void;
  /** Forgets every CometD session: held polls answer `402::Unknown client`; clients must handshake again. */
  forceRehandshake(): void;
  /** Forgets every HTTP session (JSESSIONID) and every CometD session: clients must log in again. */
  expireHttpSessions(): void;
  /** Ends every CometD session with a server-side `/meta/disconnect` delivered to the client. */
  disconnectClients(): void;
  /**
   * Answers every held `/meta/connect` with `advice.reconnect: "none"` and forgets those sessions;
   * `intervalMs` adds `advice.interval` (how long the client should wait before trying again).
   */
  refuseReconnect(intervalMs?: number): void;
  /** Answers every notifications request with `status` (e.g. 503) until called with `undefined`. */
  failNotifications(status: number | undefined): void;
  /** While on, notifications requests (held polls included) are never answered; off cuts what was held. */
  silenceNotifications(on: boolean): void;
  /** Destroys every socket with a notifications request in flight (a connection reset). */
  resetNotificationSockets(): void;
  /** Accepts `password` for the user too (an administrator changed it). */
  acceptPassword(password: string): void;
  /** The user's credentials are revoked: every password is refused, HTTP and CometD sessions are forgotten. */
  revokeCredentials(): void;
  /**
   * While on, the server accepts every session and ends it at once: a `/meta/disconnect` as soon as
   * a CometD session subscribed to all four topics.
   */
  endSessionsOnceSubscribed(on: boolean): void;
  /**
   * While given, the server is overloaded: every request (REST and notifications) answers 503 with
   * `Retry-After: retryAfterS`; `undefined` ends it.
   */
  busy(retryAfterS: number | undefined): void;
  /** The server hangs while on: no request is answered (held long polls included); off cuts what was held. */
  hang(on: boolean): void;
  /** Turns CSRF enforcement on REST POSTs on or off. */
  requireCsrf(on: boolean): void;
  /** Publishes `data` as-is on a channel (malformed-message tests, document examples). */
  publishRaw(channel: string, data: unknown): void;
  /** Publishes the two example payloads of the vendor document (their `data` elements) on `/v2/me/chats`. */
  publishDocumentExamples(): void;
  /** Calls `listener` after each POSTed operation was handled. @returns an unsubscribe function. */
  onOperation(listener: (operation: GenesysOperation) => void): () => void;
  /** Ids of the chats that are not over. */
  openChats(): string[];
  /** Ids of the calls that are not released. */
  openCalls(): string[];
  close(): Promise<void>;
}

/** Starts a simulator on 127.0.0.1 (a free port). @throws if it cannot listen. */
export async function startGenesysSimulator(options: GenesysSimulatorOptions = {}): Promise<GenesysSimulator> {
  const user = options.user ?? 'agent1';
  const password = options.password ?? randomBytes(9).toString('base64url');
  const longPollTimeoutMs = options.longPollTimeoutMs ?? 25_000;
  let baseUrl = '';

  const bayeux: Bayeux = new Bayeux({ longPollTimeoutMs, hasHttpSession: (id) => rest.hasSession(id) });
  const center = new ContactCenter({
    user,
    agentName: options.agentName ?? 'Alex',
    operationDelayMs: options.operationDelayMs ?? 20,
    baseUrl: () => baseUrl,
    publish: (topic, data) => bayeux.publish(topic, data),
    log: options.log,
  });
  if (options.agentLoggedIn) center.agent.loggedIn = true;
  const rest: RestApi = new RestApi(center, { user, password, csrf: options.csrf, csrfHeaderName: options.csrfHeaderName });

  let busy: string | undefined;
  const http = await startLoopbackHttp({
    log: options.log,
    mount: options.mount,
    handle(exchange) {
      const { pathname } = exchange.url;
      if (busy !== undefined && pathname.startsWith('/api/v2/')) {
        return exchange.json(503, { statusCode: 1, statusMessage: 'Service Unavailable' }, { 'Retry-After': busy });
      }
      if (pathname.startsWith('/api/v2/notifications')) {
        const { method = 'POST', url = pathname } = exchange.req;
        bayeux.handle(exchange, (status) => http.record({ method, path: url, status }));
        return;
      }
      if (!pathname.startsWith('/api/v2/')) return exchange.json(404, { statusCode: 2, statusMessage: 'not found' });
      return rest.handle(exchange);
    },
  });
  // Keep idle and held connections open past the long poll (the notes: Node's timeout above it).
  http.server.timeout = longPollTimeoutMs + 15_000;
  http.server.keepAliveTimeout = longPollTimeoutMs + 5_000;
  baseUrl = http.origin;
  options.log?.info({ baseUrl }, 'Genesys simulator listening');

  let closed = false;
  return {
    baseUrl,
    credentials: { user, password },
    operations: center.operations,
    requests: http.requests,
    get contactCenterSessions() {
      return center.count('StartContactCenterSession');
    },
    get authentications() {
      return rest.authentications;
    },
    get handshakes() {
      return bayeux.handshakes;
    },
    get subscriptions() {
      return bayeux.subscriptions;
    },
    get metaConnects() {
      return bayeux.metaConnects;
    },
    get agentState() {
      return structuredClone(center.agent);
    },
    deviceId: center.device.id,
    offerChat: (chat) => center.offerChat(chat),
    customerWrites: (chatId, text) => center.customerWrites(chatId, text),
    endChat: (chatId) => center.endChat(chatId),
    chatError: (chatId, message) => center.chatError(chatId, message),
    ringCall: (call) => center.ringCall(call),
    releaseCall: (callId) => center.releaseCall(callId),
    call: (callId) => center.call(callId),
    refuseNext: (operationName, message, how) => center.refuseNext(operationName, message, how),
    setAgentState: (state, reason) => center.setAgentState(state, reason),
    logAgentOut: () => center.logOut(),
    forceRehandshake: () => bayeux.forgetAll(),
    expireHttpSessions() {
      rest.forgetSessions();
      bayeux.forgetAll();
    },
    disconnectClients: () => bayeux.disconnectAll(),
    refuseReconnect: (intervalMs) => bayeux.refuseReconnect(intervalMs),
    failNotifications: (status) => bayeux.failWith(status),
    silenceNotifications: (on) => bayeux.silence(on),
    resetNotificationSockets: () => bayeux.resetSockets(),
    acceptPassword: (extra) => rest.acceptPassword(extra),
    revokeCredentials() {
      rest.revoke();
      bayeux.forgetAll();
    },
    endSessionsOnceSubscribed: (on) => bayeux.endSessionsOnceSubscribed(on),
    busy(retryAfterS) {
      busy = retryAfterS === undefined ? undefined : String(retryAfterS);
    },
    hang(on) {
      http.hang(on);
      bayeux.silence(on);
    },
    requireCsrf: (on) => rest.requireCsrf(on),
    publishRaw: (channel, data) => bayeux.publish(channel, data),
    publishDocumentExamples() {
      bayeux.publish(TOPICS.chats, DOCUMENT_CHAT_STATE_EXAMPLE);
      bayeux.publish(TOPICS.chats, DOCUMENT_MESSAGE_LOG_EXAMPLE);
    },
    onOperation: (listener) => center.onOperation(listener),
    openChats: () => center.openChats(),
    openCalls: () => center.openCalls(),
    async close() {
      if (closed) return;
      closed = true;
      center.close();
      bayeux.close();
      await http.close();
    },
  };
}
