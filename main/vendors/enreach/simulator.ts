/**
 * A protocol-faithful Enreach Voice simulator on loopback: the REST API the connector uses and a
 * real ASP.NET-Core-style SignalR hub (RTE), so the real `@microsoft/signalr` client connects to it
 * exactly as to Enreach. It is the engine of the demo and of the integration tests and benchmarks.
 *
 * Protocol (document `enreach-rte-websocket-api.txt`, and the public SignalR hub protocol):
 * - `POST /rte/negotiate?negotiateVersion=1` → `{negotiateVersion, connectionId, connectionToken,
 *   availableTransports: [WebSockets]}`; the WebSocket upgrade `GET /rte?id={connectionToken}`.
 *   Both check the access token (`access_token` query or `Authorization: Bearer`) → 401 if refused.
 *   JWTs are checked only at connect time; a live connection stays open (document,
 *   "Client authentication").
 * - JSON hub protocol: handshake `{"protocol":"json","version":1}\x1e` → `{}\x1e`; records end with
 *   `\x1e`; invocations (type 1) answered by completions (type 3); pings (type 6) both ways; close (7).
 * - Hub methods Subscribe, Unsubscribe, UnsubscribeAll, AvailableSubscriptions, ActiveSubscriptions
 *   with the document's validation ("Invalid EntityId", "Invalid event name", "Unauthorized"; the
 *   result's `eventName` lowercased). `MessageReceived` `{subscription, data}` goes only to sessions
 *   subscribed to that entity and event. RTE stores no subscriptions: a new connection has none.
 * - Payloads follow the document's examples, camelCase on the wire like the real hub
 *   (`casing: 'pascal'` and `numericEventType` emulate the other forms seen, VENDOR-NOTES [C]).
 * - REST (VENDOR-NOTES [C]): discovery, `authuser`, `users/me`, `queues/?OnlyForUser=`,
 *   `token/{userId}/rte/`; and the [I] inferred availability / call list / callback paths the
 *   connector uses (see `rest.ts`).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../../log.js';
import { EVENT_NAMES, EVENT_TYPE_NUMBERS, normalizeKeys } from './schema.js';

const RS = '\x1e';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NUMBER_OF_EVENT = new Map(Object.entries(EVENT_TYPE_NUMBERS).map(([n, name]) => [name, Number(n)]));

/** A queue the simulated user serves. */
export interface SimQueue {
  id: string;
  name: string;
  /** Phone numbers of the queue (calls to these come "through" it). */
  numbers: string[];
}

/** A call list (callback list) of the simulated user. */
export interface SimCallList {
  id: string;
  name: string;
}

/** A queue's live figures, in desk words (QueueStatus field in brackets). */
export interface SimQueueFigures {
  /** Calls waiting (NbrOfQueuingRequesters). */
  waiting: number;
  /** Longest current wait, s (MaxWaitTime). */
  longestWaitSec: number;
  /** Agents immediately free (NbrOfAgentsImmediatelyFree). */
  agentsFree: number;
  /** Agents serving in the queue (NbrOfAgentsCheckedInQueue). */
  agentsServing: number;
  /** Agents in wrap-up (NbrOfAgentsOnWrapUp). */
  agentsWrapUp: number;
  /** OpenStatus: 0 NA, 1–4 closed, 5–6 open. */
  openStatus: number;
}

/** Options of {@link startEnreachSimulator}; every one has a default. */
export interface EnreachSimulatorOptions {
  /** Listening port (default 0: any free port). Always on 127.0.0.1. */
  port?: number;
  /** Login email (default `agent@example.com`). */
  user?: string;
  /** API SecretKey (default a random one). */
  secretKey?: string;
  /** Password accepted by `authuser` (default a random one). */
  password?: string;
  /** The user's id (default a random GUID). */
  userId?: string;
  /** The user's queues (default: Sales and Support). Ids that are not GUIDs are refused at Subscribe. */
  queues?: SimQueue[];
  /** The user's call lists (default: one, "Callbacks"). */
  callLists?: SimCallList[];
  /** Key casing of event payloads on the wire: `camel` (the real hub, default) or `pascal` (the document). */
  casing?: 'camel' | 'pascal';
  /** Send `eventType` as a number where one is known (VENDOR-NOTES [C]). Default false. */
  numericEventType?: boolean;
  /** Name of the endpoint key in the token answer (default `WSSEndpoint`, as a public client reads). */
  tokenEndpointKey?: 'WssEndpoint' | 'WSSEndpoint';
  /** Event names Subscribe refuses with "Unauthorized". */
  forbiddenEvents?: string[];
  /** Event names the hub does not offer ("Invalid event name"). */
  hiddenEvents?: string[];
  /** Server ping interval, ms (default 10 000; the client times out after 30 s of silence). */
  pingIntervalMs?: number;
  /** Debug log of what the simulator does. */
  log?: Logger;
}

/** One logged REST request. */
export interface SimRequest {
  method: string;
  /** Path with query, e.g. `/api/queues/?OnlyForUser=…`. */
  path: string;
  status: number;
}

/** The running simulator, scriptable. All methods that emit events return at once. */
export interface EnreachSimulator {
  /** The REST base to configure as `apiUrl` (no trailing slash). */
  readonly apiUrl: string;
  /** The discovery URL to configure as `discoveryUrl`. */
  readonly discoveryUrl: string;
  /** The hub URL the token answer points at. */
  readonly hubUrl: string;
  readonly credentials: { user: string; secretKey: string; password: string };
  readonly userId: string;
  readonly organizationId: string;
  readonly queues: readonly SimQueue[];
  readonly callLists: readonly SimCallList[];
  /** An inbound call rings (UserCallInComing; with `queueId`: UserCallInUserAllocated to the queue's number). @returns its CallId. */
  ringCall(call: { caller: string; target?: string; queueId?: string }): string;
  /** The agent places an outbound call (UserCallOutGoing). @returns its CallId. */
  dialCall(call: { target: string; callAs?: string }): string;
  /** The call is connected (UserCallInUserConnected / UserCallOutConnected). */
  answerCall(callId: string): void;
  /** Hold start (UserCallInHoldStart / UserCallOutHoldStart). */
  holdCall(callId: string): void;
  /** Hold end (UserCallInHoldEnd / UserCallOutHoldEnd). */
  retrieveCall(callId: string): void;
  /** The call is disconnected (UserCallInDisconnected / UserCallOutDisconnected), `reason` 'remote' (default) or 'local'. */
  hangupCall(callId: string, reason?: string): void;
  /** The agent did not answer: the allocation is cancelled (UserCallInUserCancelled, Reason "NoAnswer"). */
  missCall(callId: string): void;
  /** Wrap-up begins (UserWrapUpStarted + UserStatus); ends by itself after `maxSec` (default 60). @returns WrapUpId. */
  startWrapUp(options?: { callId?: string; maxSec?: number }): string;
  /** Wrap-up ends (UserWrapUpTerminated, Reason `manual` by default). */
  endWrapUp(reason?: string): void;
  /** Changes a queue's figures and emits QueueStatus. @throws when the queue is unknown. */
  setQueueFigures(queueId: string, figures: Partial<SimQueueFigures>): void;
  /** Current figures of a queue. */
  queueFigures(queueId: string): SimQueueFigures;
  /** A callback request is created on a call list (CallbackChanged, Created; `personal` adds UserCallInCallbackCreated). @returns CallBackId. */
  createCallback(callback: { contactNumber: string; contactName?: string; message?: string; dueAt?: string; listId?: string; personal?: boolean }): string;
  /** Closes a callback request (CallbackChanged, IsClosed). */
  closeCallback(callbackId: string): void;
  /** Ids of the open callback requests. */
  openCallbacks(): string[];
  /** The availability changes elsewhere (UserAvailability + UserStatus). */
  setAvailability(availability: string, options?: { note?: string; endTime?: string }): void;
  /** The current availability (also what the connector set over REST). */
  readonly availability: string;
  /** Sends a MessageReceived with `data` verbatim to the sessions subscribed to `eventName` on `entityId`. */
  emitRaw(eventName: string, entityId: string, data: unknown): void;
  /**
   * Sends a broken frame to every connected session: `payload` (default) a MessageReceived whose
   * event fails validation; `envelope` a MessageReceived that is not `{subscription, data}`.
   */
  sendMalformedFrame(kind?: 'payload' | 'envelope'): void;
  /** Cuts every hub connection abruptly (no close frame). */
  dropConnections(): void;
  /** While on, every token is refused at connect time (negotiate and upgrade answer 401). */
  rejectTokens(on: boolean): void;
  /** Every token issued so far stops being accepted at connect time (live connections stay). */
  expireTokens(): void;
  /** How many RTE tokens `token/{userId}/rte/` has issued. */
  readonly tokensIssued: number;
  /** Open hub connections. */
  readonly connections: number;
  /** Active subscriptions per open hub connection. */
  subscriptions(): Array<{ connectionId: string; items: Array<{ entityId: string; eventName: string }> }>;
  /** Every REST request so far (negotiate included), oldest first. */
  readonly requests: readonly SimRequest[];
  /** Stops timers, closes every connection and the server. */
  close(): Promise<void>;
}

interface HubConnectionState {
  id: string;
  token: string;
  ws?: WebSocket;
  handshaken: boolean;
  buffer: string;
  subs: Map<string, { id: string; entityId: string; eventName: string; entityType: string }>;
}

interface SimCall {
  id: string;
  legId: string;
  direction: 'in' | 'out';
  caller: string;
  target: string;
  state: 'ringing' | 'dialing' | 'connected' | 'held' | 'ended';
}

interface SimCallback {
  id: string;
  listId: string;
  contactNumber: string;
  contactName?: string;
  message?: string;
  dueAt?: string;
  created: string;
  closed: boolean;
}

/** .NET-style "unspecified" DateTime text (no zone): what the document's examples show. */
function dotnetLocal(ms: number = Date.now()): string {
  return new Date(ms).toISOString().replace('Z', '');
}

/**
 * Starts the simulator on 127.0.0.1.
 * @throws when it cannot listen.
 */
export async function startEnreachSimulator(options: EnreachSimulatorOptions = {}): Promise<EnreachSimulator> {
  const log = options.log;
  const user = options.user ?? 'agent@example.com';
  const secretKey = options.secretKey ?? `sk-${randomBytes(12).toString('hex')}`;
  const password = options.password ?? `pw-${randomBytes(8).toString('hex')}`;
  const userId = options.userId ?? randomUUID();
  const organizationId = randomUUID();
  const userNumber = '+358101234567';
  const queues: SimQueue[] = options.queues ?? [
    { id: randomUUID(), name: 'Sales', numbers: ['+358101001000'] },
    { id: randomUUID(), name: 'Support', numbers: ['+358101002000'] },
  ];
  const callLists: SimCallList[] = options.callLists ?? [{ id: randomUUID(), name: 'Callbacks' }];
  const casing = options.casing ?? 'camel';
  const forbidden = new Set((options.forbiddenEvents ?? []).map((e) => e.toLowerCase()));
  const hidden = new Set((options.hiddenEvents ?? []).map((e) => e.toLowerCase()));
  const offered = EVENT_NAMES.filter((n) => !hidden.has(n.toLowerCase()));
  const offeredLower = new Map(offered.map((n) => [n.toLowerCase(), n]));

  const figures = new Map<string, SimQueueFigures>(
    queues.map((q) => [q.id, { waiting: 0, longestWaitSec: 0, agentsFree: 1, agentsServing: 3, agentsWrapUp: 0, openStatus: 5 }]),
  );
  const calls = new Map<string, SimCall>();
  const callbacks = new Map<string, SimCallback>();
  const tokens = new Map<string, boolean>(); // token → still accepted
  const pending = new Map<string, HubConnectionState>(); // connectionToken → negotiated, not yet upgraded
  const hubs = new Set<HubConnectionState>();
  const timers = new Set<NodeJS.Timeout>();
  const requests: SimRequest[] = [];
  let availability: { name: string; start: string; end: string; note?: string } | undefined;
  let wrapUp: { id: string; callId?: string; start: number; end: number; timer?: NodeJS.Timeout } | undefined;
  let rejectAll = false;
  let tokensIssued = 0;

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log?.warn({ err: error }, 'simulator request failed');
      if (!res.headersSent) send(req, res, 500, { Message: 'internal error' });
    });
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => upgrade(req, socket, head));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  const apiUrl = `${origin}/api`;
  const hubUrl = `${origin}/rte`;

  const pinger = setInterval(() => {
    for (const hub of hubs) if (hub.handshaken) sendRecord(hub, { type: 6 });
  }, options.pingIntervalMs ?? 10_000);
  pinger.unref();

  // ---- HTTP -----------------------------------------------------------------------------------------

  function send(req: IncomingMessage, res: ServerResponse, status: number, body?: unknown): void {
    requests.push({ method: req.method ?? 'GET', path: req.url ?? '/', status });
    if (body === undefined) {
      res.writeHead(status).end();
      return;
    }
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) }).end(text);
  }

  async function readBody(req: IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    if (text.trim() === '') return undefined;
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  }

  function basicAuthOk(req: IncomingMessage): boolean {
    const header = req.headers.authorization ?? '';
    const match = /^Basic\s+(.+)$/i.exec(header);
    if (!match) return false;
    const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon > 0 && decoded.slice(0, colon).toLowerCase() === user.toLowerCase() && decoded.slice(colon + 1) === secretKey;
  }

  function tokenOf(req: IncomingMessage, url: URL): string | undefined {
    const header = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    return header?.[1] ?? url.searchParams.get('access_token') ?? undefined;
  }

  function tokenAccepted(token: string | undefined): boolean {
    return token !== undefined && !rejectAll && tokens.get(token) === true;
  }

  function issueToken(): string {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const token = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: userId, exp: Math.floor(Date.now() / 1000) + 3600 })}.${randomBytes(16).toString('base64url')}`;
    tokens.set(token, true);
    tokensIssued += 1;
    return token;
  }

  function availabilityRecord(): Record<string, unknown> | undefined {
    if (!availability) return undefined;
    return {
      UserId: userId,
      UserName: user,
      Availability: availability.name,
      StartTime: availability.start,
      EndTime: availability.end,
      Note: availability.note ?? '',
    };
  }

  function callbackItem(cb: SimCallback, created: boolean): Record<string, unknown> {
    return {
      CallBackId: cb.id,
      CallListId: cb.listId,
      OrganizationId: organizationId,
      Modified: dotnetLocal(),
      AssignedUserId: userId,
      LastAttemptUserId: null,
      LastModifiedUserId: null,
      LastAttemptTypeId: null,
      ContactName: cb.contactName ?? '',
      ContactNumber: cb.contactNumber,
      ContactMessage: cb.message ?? '',
      Note: '',
      QueueId: null,
      ChannelIn: 'Callback request',
      CreationTime: cb.created,
      Created: created,
      IsClosed: cb.closed,
      RecordingId: null,
      TypeId: 1,
      DueDate: cb.dueAt ? dotnetLocal(Date.parse(cb.dueAt)) : null,
      CallId: null,
      TranscriptId: null,
      ClassificationId: null,
      ExpiryDate: null,
      LastAttemptTimestamp: null,
      LastAttemptNote: '',
      CalculatedPriority: 'Normal',
      NotBefore: null,
      CallbackAttempts: [],
      CallbackExtras: [],
      CallbackRelatedItems: [],
    };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = req.method ?? 'GET';

    // discovery [C]
    if (method === 'GET' && path === '/discover/api/user') {
      const who = url.searchParams.get('user') ?? '';
      const silos = who.toLowerCase() === user.toLowerCase() ? [{ siloName: 'sim', username: user, apiEndpoint: `${apiUrl}/`, uiEndpoint: `${origin}/ui/` }] : [];
      return send(req, res, 200, silos);
    }

    // SignalR negotiate
    if (path === '/rte/negotiate') {
      if (method !== 'POST') return send(req, res, 405);
      const token = tokenOf(req, url);
      if (!tokenAccepted(token)) return send(req, res, 401);
      const state: HubConnectionState = { id: randomUUID(), token: token!, handshaken: false, buffer: '', subs: new Map() };
      const connectionToken = randomBytes(16).toString('base64url');
      pending.set(connectionToken, state);
      const version = Number(url.searchParams.get('negotiateVersion') ?? '0');
      return send(req, res, 200, {
        negotiateVersion: version >= 1 ? 1 : 0,
        connectionId: state.id,
        ...(version >= 1 ? { connectionToken } : {}),
        availableTransports: [{ transport: 'WebSockets', transferFormats: ['Text', 'Binary'] }],
      });
    }

    if (!path.startsWith('/api/')) return send(req, res, 404);
    const rest = path.slice('/api/'.length);

    // password → SecretKey [C]
    const authuser = /^authuser\/([^/]+)$/i.exec(rest);
    if (authuser) {
      if (method !== 'POST') return send(req, res, 405);
      const body = normalizeKeys(await readBody(req)) as { userName?: string; password?: string } | undefined;
      const who = decodeURIComponent(authuser[1]!);
      if (who.toLowerCase() !== user.toLowerCase() || body?.password !== password) return send(req, res, 401, { Message: 'Authorization has been denied for this request.' });
      return send(req, res, 200, { SecretKey: secretKey, UserID: userId, UserName: user });
    }

    if (!basicAuthOk(req)) return send(req, res, 401, { Message: 'Authorization has been denied for this request.' });

    if (method === 'GET' && rest === 'users/me') {
      return send(req, res, 200, { Id: userId, OrganizationID: organizationId, Email: user, FirstName: 'Alex', LastName: 'Agent' });
    }
    if (method === 'GET' && rest === 'queues') {
      const only = url.searchParams.get('OnlyForUser');
      const list = only && only.toLowerCase() !== userId.toLowerCase() ? [] : queues;
      return send(
        req,
        res,
        200,
        list.map((q) => {
          const f = figures.get(q.id)!;
          return {
            Id: q.id,
            Name: q.name,
            Numbers: q.numbers,
            TypeId: 4,
            Status: { OpenStatus: f.openStatus, MaxWaitTime: f.longestWaitSec, QueueLength: f.waiting, FreeAgents: f.agentsFree },
          };
        }),
      );
    }
    const token = /^token\/([^/]+)\/rte$/i.exec(rest);
    if (token) {
      if (method !== 'GET') return send(req, res, 405);
      const who = decodeURIComponent(token[1]!);
      if (who.toLowerCase() !== userId.toLowerCase() && who.toLowerCase() !== 'me') return send(req, res, 403, { Message: 'Forbidden' });
      return send(req, res, 200, { [options.tokenEndpointKey ?? 'WSSEndpoint']: hubUrl.replace(/^http/, 'ws'), Token: issueToken() });
    }
    // [I] inferred availability
    const avail = /^users\/([^/]+)\/features\/availability$/i.exec(rest);
    if (avail) {
      if (decodeURIComponent(avail[1]!).toLowerCase() !== userId.toLowerCase()) return send(req, res, 403, { Message: 'Forbidden' });
      if (method === 'GET') {
        const record = availabilityRecord();
        return send(req, res, 200, record ? [record] : []);
      }
      if (method === 'POST') {
        const body = normalizeKeys(await readBody(req)) as { availability?: unknown; note?: unknown } | undefined;
        const name = typeof body?.availability === 'string' ? body.availability : undefined;
        const known = ['Available', 'Busy', 'DoNotDisturb', 'OffWork', 'BRB', 'Away'].find((a) => a.toLowerCase() === name?.toLowerCase());
        if (!known) return send(req, res, 400, { Message: 'Invalid availability' });
        setAvailability(known, { note: typeof body?.note === 'string' ? body.note : undefined });
        return send(req, res, 200, availabilityRecord());
      }
      return send(req, res, 405);
    }
    // [I] inferred call lists and callbacks
    const lists = /^users\/([^/]+)\/calllists$/i.exec(rest);
    if (lists && method === 'GET') {
      if (decodeURIComponent(lists[1]!).toLowerCase() !== userId.toLowerCase()) return send(req, res, 403, { Message: 'Forbidden' });
      return send(req, res, 200, callLists.map((l) => ({ Id: l.id, Name: l.name })));
    }
    if (rest === 'callbacks' && method === 'GET') {
      const listId = url.searchParams.get('CallListId')?.toLowerCase();
      const items = [...callbacks.values()].filter((cb) => !listId || cb.listId.toLowerCase() === listId).map((cb) => callbackItem(cb, false));
      return send(req, res, 200, items);
    }
    const close = /^callbacks\/([^/]+)\/close$/i.exec(rest);
    if (close && method === 'POST') {
      const id = decodeURIComponent(close[1]!);
      const cb = [...callbacks.values()].find((c) => c.id.toLowerCase() === id.toLowerCase());
      if (!cb) return send(req, res, 404, { Message: 'Not found' });
      closeCallback(cb.id);
      return send(req, res, 200, {});
    }
    return send(req, res, 404, { Message: 'No HTTP resource was found that matches the request URI.' });
  }

  // ---- SignalR hub ----------------------------------------------------------------------------------

  function refuseUpgrade(socket: Duplex, status: number, text: string): void {
    socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
  }

  function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname.replace(/\/+$/, '') !== '/rte') return refuseUpgrade(socket, 404, 'Not Found');
    const token = tokenOf(req, url);
    requests.push({ method: 'GET', path: req.url ?? '/', status: tokenAccepted(token) ? 101 : 401 });
    if (!tokenAccepted(token)) return refuseUpgrade(socket, 401, 'Unauthorized');
    const id = url.searchParams.get('id');
    let state: HubConnectionState | undefined;
    if (id) {
      state = pending.get(id);
      pending.delete(id);
      if (!state) return refuseUpgrade(socket, 404, 'Not Found');
    } else {
      state = { id: randomUUID(), token: token!, handshaken: false, buffer: '', subs: new Map() };
    }
    const hub = state;
    wss.handleUpgrade(req, socket, head, (ws) => {
      hub.ws = ws;
      hubs.add(hub);
      log?.debug({ connectionId: hub.id }, 'hub connection opened');
      ws.on('message', (data) => onData(hub, data.toString()));
      ws.on('close', () => {
        hubs.delete(hub);
        hub.subs.clear(); // RTE stores no subscriptions
      });
      ws.on('error', () => undefined);
    });
  }

  function sendText(hub: HubConnectionState, text: string): void {
    if (hub.ws && hub.ws.readyState === hub.ws.OPEN) hub.ws.send(text);
  }

  function sendRecord(hub: HubConnectionState, record: unknown): void {
    sendText(hub, JSON.stringify(record) + RS);
  }

  function onData(hub: HubConnectionState, text: string): void {
    hub.buffer += text;
    let end: number;
    while ((end = hub.buffer.indexOf(RS)) >= 0) {
      const record = hub.buffer.slice(0, end);
      hub.buffer = hub.buffer.slice(end + 1);
      onRecord(hub, record);
    }
  }

  function onRecord(hub: HubConnectionState, text: string): void {
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(text) as Record<string, unknown>;
    } catch {
      hub.ws?.close(1002, 'invalid JSON');
      return;
    }
    if (!hub.handshaken) {
      if (message.protocol !== 'json') {
        sendRecord(hub, { error: `Requested protocol '${String(message.protocol)}' is not available.` });
        hub.ws?.close();
        return;
      }
      hub.handshaken = true;
      sendText(hub, `{}${RS}`);
      return;
    }
    switch (message.type) {
      case 1: {
        const invocationId = typeof message.invocationId === 'string' ? message.invocationId : undefined;
        const target = typeof message.target === 'string' ? message.target : '';
        const args = Array.isArray(message.arguments) ? message.arguments : [];
        let reply: { result?: unknown; error?: string };
        try {
          reply = { result: invoke(hub, target, args) };
        } catch (error) {
          reply = { error: `Failed to invoke '${target}' due to an error on the server. ${(error as Error).message}` };
        }
        if (invocationId !== undefined) sendRecord(hub, { type: 3, invocationId, ...reply });
        return;
      }
      case 6:
        return;
      case 7:
        hub.ws?.close();
        return;
      default:
        if (typeof message.invocationId === 'string') sendRecord(hub, { type: 3, invocationId: message.invocationId, error: 'Streaming is not supported.' });
    }
  }

  function entityTypeOf(entityId: string): 'User' | 'Queue' | 'CallList' | undefined {
    const id = entityId.toLowerCase();
    if (id === userId.toLowerCase()) return 'User';
    if (queues.some((q) => q.id.toLowerCase() === id)) return 'Queue';
    if (callLists.some((l) => l.id.toLowerCase() === id)) return 'CallList';
    return undefined;
  }

  function eventEntityType(eventName: string): 'User' | 'Queue' | 'CallList' {
    if (eventName === 'QueueStatus' || eventName.startsWith('Queue')) return 'Queue';
    if (eventName === 'CallbackChanged') return 'CallList';
    return 'User';
  }

  function subscriptionObject(sub: { id: string; entityId: string; eventName: string; entityType: string }): Record<string, unknown> {
    return {
      id: sub.id,
      allRootEntities: false,
      rootEntityId: organizationId,
      rootEntityType: 'Organization',
      organizationId,
      eventType: sub.eventName,
      entityType: sub.entityType,
      entityId: sub.entityId,
      allEntities: false,
    };
  }

  function invoke(hub: HubConnectionState, target: string, args: unknown[]): unknown {
    switch (target.toLowerCase()) {
      case 'subscribe':
      case 'unsubscribe': {
        const subscribe = target.toLowerCase() === 'subscribe';
        const items = Array.isArray(args[0]) ? (normalizeKeys(args[0]) as Array<{ entityId?: unknown; eventName?: unknown }>) : [];
        return items.map((item) => {
          const entityId = typeof item?.entityId === 'string' ? item.entityId : '';
          const rawName = typeof item?.eventName === 'string' ? item.eventName : '';
          const result = (subscribed: boolean, message: string | null) => ({ subscribed, message, entityId, eventName: rawName.toLowerCase() });
          if (!GUID.test(entityId)) return result(false, 'Invalid EntityId');
          const eventName = offeredLower.get(rawName.toLowerCase());
          if (!eventName) return result(false, 'Invalid event name');
          const key = `${entityId.toLowerCase()}|${eventName.toLowerCase()}`;
          if (!subscribe) {
            hub.subs.delete(key);
            return result(false, null);
          }
          const entityType = entityTypeOf(entityId);
          if (!entityType || entityType !== eventEntityType(eventName) || forbidden.has(eventName.toLowerCase())) return result(false, 'Unauthorized');
          if (!hub.subs.has(key)) hub.subs.set(key, { id: randomUUID(), entityId, eventName, entityType });
          return result(true, null);
        });
      }
      case 'unsubscribeall':
        hub.subs.clear();
        return true;
      case 'availablesubscriptions':
        return [...offered];
      case 'activesubscriptions':
        return [...hub.subs.values()].map(subscriptionObject);
      default:
        throw new Error(`HubException: Method does not exist.`);
    }
  }

  // ---- events ---------------------------------------------------------------------------------------

  function payload(eventType: string, entityType: string, entityId: string, fields: Record<string, unknown>, ttl = -1): Record<string, unknown> {
    return {
      RootEntityType: 'Organization',
      RootEntityId: organizationId,
      EventType: eventType,
      EntityType: entityType,
      EntityId: entityId,
      ...fields,
      OrganizationId: organizationId,
      Id: randomUUID(),
      Timestamp: new Date().toISOString(),
      MessageTTLSeconds: ttl,
    };
  }

  function toWire(data: Record<string, unknown>): unknown {
    let out: Record<string, unknown> = data;
    if (options.numericEventType) {
      const n = NUMBER_OF_EVENT.get(String(data.EventType));
      if (n !== undefined) out = { ...out, EventType: n };
    }
    return casing === 'camel' ? normalizeKeys(out) : out;
  }

  function deliver(eventName: string, entityId: string, data: unknown): void {
    const key = `${entityId.toLowerCase()}|${eventName.toLowerCase()}`;
    for (const hub of hubs) {
      const sub = hub.subs.get(key);
      if (!sub || !hub.handshaken) continue;
      sendRecord(hub, { type: 1, target: 'MessageReceived', arguments: [{ subscription: subscriptionObject(sub), data }] });
    }
  }

  function publish(eventType: string, entityType: string, entityId: string, fields: Record<string, unknown>, ttl?: number): void {
    deliver(eventType, entityId, toWire(payload(eventType, entityType, entityId, fields, ttl)));
  }

  function talking(): boolean {
    return [...calls.values()].some((c) => c.state !== 'ended');
  }

  function publishUserStatus(): void {
    const a = availability?.name ?? 'Available';
    const busy = talking();
    publish(
      'UserStatus',
      'User',
      userId,
      {
        UserId: userId,
        CanBeAllocatedTo: !busy && !wrapUp && a !== 'DoNotDisturb' && a !== 'OffWork',
        Talking: busy,
        TalkingStatusChanged: dotnetLocal(),
        ActiveQueueId: null,
        ActiveCallListId: null,
        Available: a !== 'DoNotDisturb',
        Schedule: a !== 'OffWork',
        Serving: true,
        ServiceTerminals: 1,
        ActiveQueues: queues.length,
        ParkedCalls: 0,
        WrapUpStart: wrapUp ? dotnetLocal(wrapUp.start) : null,
        WrapUpEnd: wrapUp ? dotnetLocal(wrapUp.end) : null,
        ServingCallback: false,
        FetchMode: false,
        Note: availability?.note ?? '',
        AvailabilityStatus: a,
      },
      60,
    );
  }

  function callOf(callId: string): SimCall {
    const call = calls.get(callId);
    if (!call) throw new Error(`no such call: ${callId}`);
    return call;
  }

  function callFields(call: SimCall, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      CallId: call.id,
      LegId: call.legId,
      UserId: userId,
      OrganizationId: organizationId,
      ...extra,
      CallerNumber: call.caller,
      TargetNumber: call.target,
      Publicity: 0,
    };
  }

  function endCall(call: SimCall): void {
    call.state = 'ended';
    calls.delete(call.id);
    publishUserStatus();
  }

  function setAvailability(name: string, opts: { note?: string; endTime?: string } = {}): void {
    availability =
      name === 'Available' && !opts.note
        ? undefined
        : { name, start: dotnetLocal(), end: opts.endTime ? dotnetLocal(Date.parse(opts.endTime)) : '9999-12-31T23:59:59.9999999', note: opts.note };
    publish('UserAvailability', 'User', userId, {
      UserId: userId,
      OrganizationId: organizationId,
      UserName: user,
      ProfileId: randomUUID(),
      Availability: name,
      StartTime: availability?.start ?? dotnetLocal(),
      EndTime: availability?.end ?? '9999-12-31T23:59:59.9999999',
      Note: opts.note ?? '',
      EventSource: 'API',
      TransferNumber: '',
    });
    publishUserStatus();
  }

  function queuePayload(queue: SimQueue): Record<string, unknown> {
    const f = figures.get(queue.id)!;
    return {
      QueueId: queue.id,
      OrganizationId: organizationId,
      QueueName: queue.name,
      NbrOfProviders: f.agentsServing,
      NbrOfRequesters: f.waiting,
      NbrOfServingAgentsEstimate: Math.max(0, f.agentsServing - f.agentsFree),
      NbrOfAllocated: 0,
      NbrOfConnected: 0,
      NbrOfQueuingRequesters: f.waiting,
      NbrOfNotServedRequesters: f.waiting,
      NbrOfAgentsLongTermAway: 0,
      NbrOfAgentsShortTermAway: 0,
      NbrOfAgentsImmediatelyFree: f.agentsFree,
      NbrOfAgentsCheckedInQueue: f.agentsServing,
      NbrOfAgentsOnWrapUp: f.agentsWrapUp,
      NbrOfAgentsOnFetchMode: 0,
      MaxWaitTime: f.longestWaitSec,
      OpenStatus: f.openStatus,
    };
  }

  function closeCallback(callbackId: string): void {
    const cb = callbacks.get(callbackId);
    if (!cb) throw new Error(`no such callback: ${callbackId}`);
    cb.closed = true;
    callbacks.delete(callbackId);
    publish('CallbackChanged', 'CallList', cb.listId, callbackItem(cb, false), 120);
  }

  function endWrapUp(reason = 'manual'): void {
    if (!wrapUp) return;
    const ended = wrapUp;
    if (ended.timer) {
      clearTimeout(ended.timer);
      timers.delete(ended.timer);
    }
    wrapUp = undefined;
    publish('UserWrapUpTerminated', 'User', userId, {
      OrganizationId: organizationId,
      CallId: ended.callId ?? null,
      LegId: '',
      UserId: userId,
      QueueId: null,
      CallListId: null,
      CallBackId: null,
      Reason: reason,
      ElapsedTimeSec: Math.round((Date.now() - ended.start) / 1000),
      WrapUpType: 'Unavailable',
      WrapUpId: ended.id,
    });
    publishUserStatus();
  }

  const simulator: EnreachSimulator = {
    apiUrl,
    discoveryUrl: `${origin}/discover/api/user`,
    hubUrl,
    credentials: { user, secretKey, password },
    userId,
    organizationId,
    queues,
    callLists,

    ringCall({ caller, target, queueId }) {
      const queue = queueId ? queues.find((q) => q.id === queueId) : undefined;
      if (queueId && !queue) throw new Error(`no such queue: ${queueId}`);
      const call: SimCall = {
        id: randomUUID(),
        legId: randomBytes(6).toString('hex'),
        direction: 'in',
        caller,
        target: target ?? queue?.numbers[0] ?? userNumber,
        state: 'ringing',
      };
      calls.set(call.id, call);
      if (queue) publish('UserCallInUserAllocated', 'User', userId, callFields(call, { UserName: user, UserNumber: userNumber, DetailedReason: '' }));
      else publish('UserCallInComing', 'User', userId, callFields(call, { Username: user }));
      publishUserStatus();
      return call.id;
    },

    dialCall({ target, callAs }) {
      const call: SimCall = { id: randomUUID(), legId: randomBytes(6).toString('hex'), direction: 'out', caller: userNumber, target, state: 'dialing' };
      calls.set(call.id, call);
      publish('UserCallOutGoing', 'User', userId, callFields(call, { UserName: user, CallAsNumber: callAs ?? '' }));
      publishUserStatus();
      return call.id;
    },

    answerCall(callId) {
      const call = callOf(callId);
      call.state = 'connected';
      if (call.direction === 'in') publish('UserCallInUserConnected', 'User', userId, callFields(call, { AgentLegId: `${call.legId}-a`, UserName: user, UserNumber: userNumber }));
      else publish('UserCallOutConnected', 'User', userId, callFields(call, { UserName: user }));
    },

    holdCall(callId) {
      const call = callOf(callId);
      call.state = 'held';
      const name = call.direction === 'in' ? 'UserCallInHoldStart' : 'UserCallOutHoldStart';
      publish(name, 'User', userId, { CallId: call.id, LegId: call.legId, UserId: userId, OrganizationId: organizationId });
    },

    retrieveCall(callId) {
      const call = callOf(callId);
      call.state = 'connected';
      const name = call.direction === 'in' ? 'UserCallInHoldEnd' : 'UserCallOutHoldEnd';
      publish(name, 'User', userId, { CallId: call.id, LegId: call.legId, UserId: userId, OrganizationId: organizationId });
    },

    hangupCall(callId, reason = 'remote') {
      const call = callOf(callId);
      if (call.direction === 'in') {
        publish('UserCallInDisconnected', 'User', userId, callFields(call, { Username: user, Reason: reason, TechQueueId: null, TechReason: '16' }));
      } else {
        publish('UserCallOutDisconnected', 'User', userId, callFields(call, { UserName: user, Reason: reason, TechReason: '16' }));
      }
      endCall(call);
    },

    missCall(callId) {
      const call = callOf(callId);
      publish('UserCallInUserCancelled', 'User', userId, callFields(call, { UserName: user, Reason: 'NoAnswer', DetailedReason: 'Allocation timeout' }));
      endCall(call);
    },

    startWrapUp({ callId, maxSec = 60 } = {}) {
      if (wrapUp) endWrapUp('replaced');
      const start = Date.now();
      const id = randomUUID();
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (wrapUp?.id === id) endWrapUp('timer');
      }, maxSec * 1000);
      timer.unref();
      timers.add(timer);
      wrapUp = { id, callId, start, end: start + maxSec * 1000, timer };
      publish('UserWrapUpStarted', 'User', userId, {
        OrganizationId: organizationId,
        CallId: callId ?? null,
        LegId: '',
        UserId: userId,
        QueueId: null,
        CallListId: null,
        CallBackId: null,
        MaxWrapUpDurationSec: maxSec,
        WrapUpType: 'Unavailable',
        WrapUpId: id,
      });
      publishUserStatus();
      return id;
    },

    endWrapUp,

    setQueueFigures(queueId, partial) {
      const queue = queues.find((q) => q.id === queueId);
      if (!queue) throw new Error(`no such queue: ${queueId}`);
      const current = figures.get(queueId)!;
      const next = { ...current };
      for (const [k, v] of Object.entries(partial)) if (typeof v === 'number') (next as Record<string, number>)[k] = v;
      figures.set(queueId, next);
      publish('QueueStatus', 'Queue', queueId, queuePayload(queue), 60);
    },

    queueFigures(queueId) {
      const f = figures.get(queueId);
      if (!f) throw new Error(`no such queue: ${queueId}`);
      return { ...f };
    },

    createCallback({ contactNumber, contactName, message, dueAt, listId, personal }) {
      const list = listId ? callLists.find((l) => l.id === listId) : callLists[0];
      if (!list) throw new Error('no call list for the callback');
      const cb: SimCallback = { id: randomUUID(), listId: list.id, contactNumber, contactName, message, dueAt, created: dotnetLocal(), closed: false };
      callbacks.set(cb.id, cb);
      publish('CallbackChanged', 'CallList', list.id, callbackItem(cb, true), 120);
      if (personal) {
        publish('UserCallInCallbackCreated', 'User', userId, {
          UserId: userId,
          CallBackId: cb.id,
          CallListId: list.id,
          OrganizationId: organizationId,
          CallId: null,
          LegId: '',
          RecordingId: null,
          ContactNumber: contactNumber,
          TargetNumber: userNumber,
          ContactMessage: message ?? '',
          CreationTime: cb.created,
        });
      }
      return cb.id;
    },

    closeCallback,

    openCallbacks() {
      return [...callbacks.keys()];
    },

    setAvailability,

    get availability() {
      return availability?.name ?? 'Available';
    },

    emitRaw(eventName, entityId, data) {
      deliver(eventName, entityId, data);
    },

    sendMalformedFrame(kind = 'payload') {
      for (const hub of hubs) {
        if (!hub.handshaken) continue;
        const argument =
          kind === 'envelope'
            ? 'not a MessageReceived'
            : {
                subscription: { eventType: 'UserCallInComing', entityType: 'User', entityId: userId },
                data: { eventType: 'UserCallInComing', entityType: 'User', entityId: userId, callId: 12345, callerNumber: { not: 'a number' } },
              };
        sendRecord(hub, { type: 1, target: 'MessageReceived', arguments: [argument] });
      }
    },

    dropConnections() {
      for (const hub of hubs) hub.ws?.terminate();
      hubs.clear();
    },

    rejectTokens(on) {
      rejectAll = on;
    },

    expireTokens() {
      for (const token of tokens.keys()) tokens.set(token, false);
    },

    get tokensIssued() {
      return tokensIssued;
    },

    get connections() {
      return hubs.size;
    },

    subscriptions() {
      return [...hubs].map((hub) => ({
        connectionId: hub.id,
        items: [...hub.subs.values()].map((s) => ({ entityId: s.entityId, eventName: s.eventName })),
      }));
    },

    requests,

    async close() {
      clearInterval(pinger);
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const hub of hubs) {
        sendRecord(hub, { type: 7, allowReconnect: false });
        hub.ws?.terminate();
      }
      hubs.clear();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return simulator;
}
