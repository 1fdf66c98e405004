/**
 * A protocol-faithful Genesys Workspace Web Edition API v2 simulator, for tests, the demo and
 * benchmarks: `cometd-nodejs-server` (long-polling only) plus `node:http`, on 127.0.0.1.
 *
 * What it does like GWS (VENDOR-NOTES.md, Genesys [C] unless marked):
 * - HTTP Basic auth on REST; a `JSESSIONID` cookie (`Path=/; HttpOnly`) set on the first
 *   authenticated request; CometD handshakes are only accepted with a valid `JSESSIONID`, and the
 *   CometD server's own `BAYEUX_BROWSER` cookie must come back on every Bayeux request.
 * - CSRF: every GET answers `X-CSRF-HEADER` (the header name) and `X-CSRF-TOKEN` (the value); REST
 *   POSTs without it are refused with 403 (switchable with {@link GenesysSimulator.requireCsrf}).
 *   The CometD endpoint does not check it [I].
 * - `/api/v2/notifications*` is the CometD endpoint; `/v2/me/calls`, `/v2/me/chats`,
 *   `/v2/me/devices`, `/v2/me/channels` carry `CallStateChangeMessage`, `ChatStateChangeMessage` /
 *   `MessageLogUpdated` (document), `DeviceStateChangeMessage`, `ChannelStateChangeMessageV2`.
 * - Operations are POSTs `{operationName, …}` answered at once with `{statusCode: 0}`; their
 *   results are published over CometD a moment later (`operationDelayMs`).
 * - REST reads for recovery: `GET /api/v2/me?subresources=*`, `GET /api/v2/me/calls`,
 *   `GET /api/v2/me/chats`, `GET /api/v2/me/chats/{id}/messages` [I: shapes].
 * - Chat states `Invited` → `Chatting` → `Completed` (`Revoked` on Reject) [I: all but Chatting];
 *   message indexes count up per chat from 1 [I].
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
// A CommonJS module whose exports Node cannot detect statically: use its default export.
import cometdNodejsServer, { type CometDServer, type ServerSession } from 'cometd-nodejs-server';
import type { Logger } from '../../log.js';

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
  /** Whether POSTs need the CSRF header (default true). */
  csrf?: boolean;
  /** The CSRF header name announced in `X-CSRF-HEADER` (default `X-CSRF-TOKEN`). */
  csrfHeaderName?: string;
  log?: Logger;
}

/** One POSTed operation, as received. */
export interface GenesysOperation {
  /** Path below the host, e.g. `/api/v2/me/calls/3`. */
  path: string;
  operationName: string | undefined;
  body: Record<string, unknown>;
}

/** The agent's state on the simulated server (GWS words). */
export interface GenesysAgentState {
  /** Logged in to the contact center (StartContactCenterSession received, not ended). */
  loggedIn: boolean;
  /** Per channel: `Ready` | `NotReady` | `AfterCallWork` [I: ACW as a state], plus reason. */
  channels: Record<string, { state: string; workMode?: string; reason?: string }>;
  doNotDisturb: boolean;
}

/** The scripting and inspection API of a running simulator. */
export interface GenesysSimulator {
  /** Host root, e.g. `http://127.0.0.1:41234` (the API is at `/api/v2`). */
  readonly baseUrl: string;
  readonly credentials: { user: string; password: string };
  /** Every POSTed operation, oldest first. */
  readonly operations: readonly GenesysOperation[];
  /** How many `StartContactCenterSession` operations were received. */
  readonly contactCenterSessions: number;
  /** How many CometD handshakes succeeded. */
  readonly handshakes: number;
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
  /** Publishes a `ChatStateChangeMessage` `Error` notification on the chat. */
  chatError(chatId: string, message: string): void;
  /** An inbound call rings at the agent (`Ringing`, `Inbound`). @returns the call id. */
  ringCall(options: { ani: string; dnis?: string; userData?: Record<string, string> }): string;
  /** The far end hangs up (`Released`). */
  releaseCall(callId: string): void;
  /** Changes the agent's state from the server side (supervisor, ACW timer) and publishes it. */
  setAgentState(state: 'Ready' | 'NotReady' | 'AfterCallWork', reason?: string): void;
  /** Drops every CometD session on the server: clients must re-handshake (messages meanwhile are lost). */
  forceRehandshake(): void;
  /** Forgets every HTTP session (JSESSIONID) and drops the CometD sessions: clients must log in again. */
  expireHttpSessions(): void;
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

/** The document's `ChatStateChangeMessage` example, `data` element (vendor document, "Example") [C]. */
export const DOCUMENT_CHAT_STATE_EXAMPLE = {
  notificationType: 'PropertiesUpdated',
  messageType: 'ChatStateChangeMessage',
  chat: {
    userData: { key1: 'value1', key2: 'value2' },
    state: 'Chatting',
    capabilities: [
      'Transfer',
      'Leave',
      'Invite',
      'Consult',
      'SetInFocus',
      'SetDisposition',
      'AttachUserData',
      'DeleteUserData',
      'UpdateUserData',
      'Complete',
      'SendMessage',
      'SendStartTypingNotification',
      'SendStopTypingNotification',
    ],
    uri: 'http://localhost:8080/api/v2/chats/0000Wa9CAM6W00J',
    participants: [
      { nickname: 'test_consult_clientL', type: 'Customer', participantId: '007352CE982D031B' },
      { nickname: 'TestName', type: 'Agent', participantId: '007352CE984F0321' },
    ],
    id: '0000Wa9CAM6W00J',
  },
  referenceId: 83,
} as const;

/** The document's `MessageLogUpdated` example, `data` element — both messages have `index: 3` [C]. */
export const DOCUMENT_MESSAGE_LOG_EXAMPLE = {
  notificationType: 'NewMessages',
  messageType: 'MessageLogUpdated',
  messages: [
    {
      index: 3,
      from: { nickname: 'TestName', type: 'Agent', participantId: '007352CE72D50290' },
      text: 'How may I help you?',
      visibility: 'All',
      timestamp: '2014-01-09 11:58:12.035+0200',
      type: 'Text',
      timestampSeconds: 1389261492035,
    },
    {
      index: 3,
      from: { nickname: 'TestName', type: 'Agent', participantId: '007352CE72D50290' },
      text: 'Are you still there?',
      visibility: 'All',
      timestamp: '2014-01-09 11:58:12.047+0200',
      type: 'Text',
      timestampSeconds: 1389261492047,
    },
  ],
  chatUri: 'http://localhost:8080/api/v2/chats/0000Wa9CAM6W00FN',
} as const;

interface SimParticipant {
  nickname: string;
  type: 'Customer' | 'Agent';
  participantId: string;
}

interface SimMessage {
  index: number;
  from: SimParticipant;
  text?: string;
  visibility: string;
  timestamp: string;
  type: string;
  timestampSeconds: number;
}

interface SimChat {
  id: string;
  state: 'Invited' | 'Chatting' | 'Completed' | 'Revoked';
  participants: SimParticipant[];
  userData: Record<string, string>;
  messages: SimMessage[];
  nextIndex: number;
}

interface SimCall {
  id: string;
  state: 'Dialing' | 'Ringing' | 'Established' | 'Held' | 'Released';
  callType: 'Inbound' | 'Outbound';
  ani: string;
  dnis: string;
  userData: Record<string, string>;
}

const CHAT_CAPABILITIES: Record<SimChat['state'], string[]> = {
  Invited: ['Accept', 'Reject'],
  Chatting: [
    'Transfer',
    'Leave',
    'Invite',
    'SetInFocus',
    'AttachUserData',
    'Complete',
    'SendMessage',
    'SendStartTypingNotification',
    'SendStopTypingNotification',
  ],
  Completed: [],
  Revoked: [],
};

const CALL_CAPABILITIES: Record<SimCall['state'], string[]> = {
  Dialing: ['Hangup'],
  Ringing: ['Answer'],
  Established: ['Hangup', 'Hold', 'AttachUserData', 'SendDtmf'],
  Held: ['Hangup', 'Retrieve'],
  Released: [],
};

/** `2014-01-09 11:58:12.035+0000` — the document's timestamp format, in UTC. */
function genesysTimestamp(ms: number): string {
  return `${new Date(ms).toISOString().replace('T', ' ').replace('Z', '')}+0000`;
}

function hexId(bytes = 8): string {
  return randomBytes(bytes).toString('hex').toUpperCase();
}

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

/** Starts a simulator on 127.0.0.1 (a free port). @throws if it cannot listen. */
export async function startGenesysSimulator(options: GenesysSimulatorOptions = {}): Promise<GenesysSimulator> {
  const user = options.user ?? 'agent1';
  const password = options.password ?? randomBytes(9).toString('base64url');
  const agentName = options.agentName ?? 'Alex';
  const longPollTimeoutMs = options.longPollTimeoutMs ?? 25_000;
  const operationDelayMs = options.operationDelayMs ?? 20;
  const csrfHeaderName = options.csrfHeaderName ?? 'X-CSRF-TOKEN';
  const log = options.log;
  let csrfRequired = options.csrf ?? true;

  const deviceId = 'device-' + hexId(4).toLowerCase();
  const devicePhone = '5001';
  const agentParticipantBase = hexId(6);
  const httpSessions = new Map<string, { csrfToken: string }>();
  const cometdSessions = new Set<ServerSession>();
  const chats = new Map<string, SimChat>();
  const calls = new Map<string, SimCall>();
  const operations: GenesysOperation[] = [];
  const operationListeners = new Set<(op: GenesysOperation) => void>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let contactCenterSessions = 0;
  let handshakes = 0;
  let metaConnects = 0;
  let idCounter = 0;
  let closed = false;
  const agent: GenesysAgentState = {
    loggedIn: false,
    channels: { voice: { state: 'NotReady' }, chat: { state: 'NotReady' } },
    doNotDisturb: false,
  };

  const cometd: CometDServer = cometdNodejsServer.createCometDServer({ timeout: longPollTimeoutMs, maxInterval: 15_000 });
  cometd.addListener('sessionAdded', (session: ServerSession) => {
    cometdSessions.add(session);
    handshakes += 1;
    session.addListener('suspended', () => (metaConnects += 1));
  });
  cometd.addListener('sessionRemoved', (session: ServerSession) => cometdSessions.delete(session));
  cometd.policy = {
    canHandshake(_session, _message, callback) {
      const request = (cometd.context as { request?: IncomingMessage }).request;
      const jsessionId = parseCookies(request?.headers.cookie).JSESSIONID;
      callback(undefined, jsessionId !== undefined && httpSessions.has(jsessionId));
    },
  };

  function later(fn: () => void, ms = operationDelayMs): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!closed) fn();
    }, ms);
    timers.add(timer);
  }

  function publish(channel: string, data: unknown): void {
    if (closed) return;
    cometd.createServerChannel(channel).publish(null, data);
  }

  // ---- resources -----------------------------------------------------------------------------

  function chatResource(chat: SimChat): Record<string, unknown> {
    return {
      id: chat.id,
      state: chat.state,
      capabilities: CHAT_CAPABILITIES[chat.state],
      participants: chat.participants,
      userData: chat.userData,
      uri: `${baseUrl}/api/v2/chats/${chat.id}`,
      chatType: 'Inbound',
    };
  }

  function callResource(call: SimCall): Record<string, unknown> {
    return {
      id: call.id,
      state: call.state,
      callType: call.callType,
      ani: call.ani,
      dnis: call.dnis,
      participants: [{ number: call.callType === 'Inbound' ? call.ani : call.dnis }],
      capabilities: CALL_CAPABILITIES[call.state],
      userData: call.userData,
      uri: `${baseUrl}/api/v2/me/calls/${call.id}`,
    };
  }

  function userState(channel: string): Record<string, unknown> {
    const s = agent.channels[channel] ?? { state: 'NotReady' };
    if (!agent.loggedIn) return { state: 'LoggedOut' };
    if (s.state === 'AfterCallWork') return { state: 'NotReady', workMode: 'AfterCallWork', displayName: 'After Call Work' };
    return {
      state: s.state,
      ...(s.workMode ? { workMode: s.workMode } : {}),
      ...(s.reason ? { reason: s.reason } : {}),
      displayName: s.state === 'Ready' ? 'Ready' : s.reason ? `Not Ready - ${s.reason}` : 'Not Ready',
    };
  }

  function deviceResource(): Record<string, unknown> {
    return {
      id: deviceId,
      deviceState: 'Active',
      userState: userState('voice'),
      phoneNumber: devicePhone,
      e164Number: `+1555000${devicePhone}`,
      doNotDisturb: agent.doNotDisturb ? 'On' : 'Off',
      capabilities: ['Dial', 'DoNotDisturbOn', 'DoNotDisturbOff'],
    };
  }

  function publishAgentState(): void {
    publish('/v2/me/devices', {
      messageType: 'DeviceStateChangeMessage',
      notificationType: 'StatusChange',
      devices: [deviceResource()],
    });
    publish('/v2/me/channels', {
      messageType: 'ChannelStateChangeMessageV2',
      notificationType: 'StatusChange',
      channels: Object.keys(agent.channels).map((channel) => ({ channel, userState: userState(channel) })),
    });
  }

  function publishChat(chat: SimChat, notificationType = 'StatusChange'): void {
    publish('/v2/me/chats', { messageType: 'ChatStateChangeMessage', notificationType, chat: chatResource(chat) });
  }

  function addMessage(chat: SimChat, from: SimParticipant, text: string | undefined, type = 'Text'): void {
    const now = Date.now();
    const message: SimMessage = {
      index: chat.nextIndex++,
      from,
      ...(text === undefined ? {} : { text }),
      visibility: 'All',
      timestamp: genesysTimestamp(now),
      type,
      timestampSeconds: now,
    };
    chat.messages.push(message);
    publish('/v2/me/chats', {
      messageType: 'MessageLogUpdated',
      notificationType: 'NewMessages',
      messages: [message],
      chatUri: `${baseUrl}/api/v2/chats/${chat.id}`,
    });
  }

  function publishCall(call: SimCall): void {
    publish('/v2/me/calls', { messageType: 'CallStateChangeMessage', notificationType: 'StatusChange', call: callResource(call) });
  }

  function setCallState(call: SimCall, state: SimCall['state']): void {
    call.state = state;
    publishCall(call);
    if (state === 'Released') calls.delete(call.id);
  }

  function nextId(prefix: string): string {
    idCounter += 1;
    return `${prefix}${idCounter.toString(36).toUpperCase().padStart(4, '0')}${hexId(3)}`;
  }

  // ---- operations ----------------------------------------------------------------------------

  type OpResult = { status: number; body: Record<string, unknown> };
  const ok: OpResult = { status: 200, body: { statusCode: 0 } };
  const refuse = (message: string, status = 400): OpResult => ({ status, body: { statusCode: 2, statusMessage: message } });

  function setChannels(names: string[], operationName: string, reason: string | undefined): OpResult {
    if (!['Ready', 'NotReady', 'AfterCallWork'].includes(operationName)) return refuse(`unknown operation ${operationName}`);
    for (const name of names) {
      agent.channels[name] = { state: operationName, ...(reason ? { reason } : {}) };
    }
    later(publishAgentState);
    return ok;
  }

  function meOperation(body: Record<string, unknown>): OpResult {
    const name = body.operationName;
    if (name === 'StartContactCenterSession') {
      contactCenterSessions += 1;
      agent.loggedIn = true;
      const wanted = Array.isArray(body.channels) ? body.channels.filter((c): c is string => typeof c === 'string') : ['voice'];
      for (const channel of wanted) agent.channels[channel] ??= { state: 'NotReady' };
      later(publishAgentState);
      return ok;
    }
    if (name === 'EndContactCenterSession') {
      agent.loggedIn = false;
      later(publishAgentState);
      return ok;
    }
    if (typeof name === 'string') return setChannels(Object.keys(agent.channels), name, strOf(body.reasonCode ?? body.reason));
    return refuse('operationName is required');
  }

  function callOperation(callId: string, body: Record<string, unknown>): OpResult {
    const call = calls.get(callId);
    if (!call) return refuse(`no call ${callId}`, 404);
    const name = String(body.operationName);
    const next: Record<string, SimCall['state'] | undefined> = {
      Answer: call.state === 'Ringing' ? 'Established' : undefined,
      Hangup: call.state !== 'Released' ? 'Released' : undefined,
      Hold: call.state === 'Established' ? 'Held' : undefined,
      Retrieve: call.state === 'Held' ? 'Established' : undefined,
    };
    const state = next[name];
    if (!state) return refuse(`${name} is not possible on a ${call.state} call`);
    later(() => setCallState(call, state));
    return ok;
  }

  function dial(body: Record<string, unknown>): OpResult {
    if (body.operationName !== 'Dial') return refuse('unknown operation');
    const destination = body.destination as { phoneNumber?: unknown } | undefined;
    const phoneNumber = strOf(destination?.phoneNumber);
    if (!phoneNumber) return refuse('destination.phoneNumber is required');
    const call: SimCall = { id: nextId('CALL'), state: 'Dialing', callType: 'Outbound', ani: devicePhone, dnis: phoneNumber, userData: {} };
    calls.set(call.id, call);
    later(() => publishCall(call));
    later(() => {
      if (calls.get(call.id)?.state === 'Dialing') setCallState(call, 'Established');
    }, operationDelayMs + 300);
    return ok;
  }

  function chatOperation(chatId: string, body: Record<string, unknown>): OpResult {
    const chat = chats.get(chatId);
    if (!chat) return refuse(`no chat ${chatId}`, 404);
    const name = String(body.operationName);
    const allowed = CHAT_CAPABILITIES[chat.state];
    if (!allowed.includes(name)) {
      later(() =>
        publish('/v2/me/chats', {
          messageType: 'ChatStateChangeMessage',
          notificationType: 'Error',
          chat: chatResource(chat),
          errorMessage: `${name} is not possible in state ${chat.state}`,
        }),
      );
      return refuse(`${name} is not possible in state ${chat.state}`);
    }
    const agentParticipant = (): SimParticipant =>
      chat.participants.find((p) => p.type === 'Agent') ?? {
        nickname: strOf(body.nickname) ?? agentName,
        type: 'Agent',
        participantId: `${agentParticipantBase}${chat.id.slice(-4)}`,
      };
    switch (name) {
      case 'Accept':
        later(() => {
          const me = agentParticipant();
          if (!chat.participants.includes(me)) chat.participants.push(me);
          chat.state = 'Chatting';
          publishChat(chat);
          addMessage(chat, me, undefined, 'ParticipantJoined');
        });
        return ok;
      case 'Reject':
        later(() => {
          chat.state = 'Revoked';
          publishChat(chat);
          chats.delete(chat.id);
        });
        return ok;
      case 'SendMessage': {
        const text = strOf(body.text);
        if (!text) return refuse('text is required');
        later(() => addMessage(chat, agentParticipant(), text));
        return ok;
      }
      case 'Complete':
      case 'Leave':
        later(() => {
          addMessage(chat, agentParticipant(), undefined, 'ParticipantLeft');
          chat.state = 'Completed';
          publishChat(chat);
          chats.delete(chat.id);
        });
        return ok;
      default:
        return ok; // accepted and ignored (typing notifications, user data)
    }
  }

  // ---- HTTP ----------------------------------------------------------------------------------

  function send(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    if (!text) return {};
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  }

  /** Authenticates a REST request; returns the session id or answers 401 itself. */
  function authenticate(req: IncomingMessage, res: ServerResponse): string | undefined {
    const cookie = parseCookies(req.headers.cookie).JSESSIONID;
    const auth = req.headers.authorization;
    if (auth !== undefined) {
      const expected = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
      if (auth !== expected) {
        send(res, 401, { statusCode: 4, statusMessage: 'Authentication failed' });
        return undefined;
      }
      if (cookie && httpSessions.has(cookie)) return cookie;
      const id = randomUUID().replace(/-/g, '').toUpperCase();
      httpSessions.set(id, { csrfToken: randomUUID() });
      res.setHeader('Set-Cookie', `JSESSIONID=${id}; Path=/; HttpOnly`);
      return id;
    }
    if (cookie && httpSessions.has(cookie)) return cookie;
    send(res, 401, { statusCode: 4, statusMessage: 'Authentication required' });
    return undefined;
  }

  async function handleRest(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const sessionId = authenticate(req, res);
    if (!sessionId) return;
    const session = httpSessions.get(sessionId)!;
    const path = url.pathname.replace(/\/+$/, '');
    if (req.method === 'GET') {
      res.setHeader('X-CSRF-HEADER', csrfHeaderName);
      res.setHeader('X-CSRF-TOKEN', session.csrfToken);
      if (path === '/api/v2/me') {
        const full = url.searchParams.get('subresources') === '*';
        send(res, 200, {
          statusCode: 0,
          user: {
            id: hexId(8),
            userName: user,
            firstName: agentName,
            lastName: 'Agent',
            roles: ['ROLE_AGENT'],
            ...(full
              ? {
                  devices: [deviceResource()],
                  channels: Object.keys(agent.channels).map((channel) => ({ channel, userState: userState(channel) })),
                }
              : {}),
          },
        });
        return;
      }
      if (path === '/api/v2/me/calls') return send(res, 200, { statusCode: 0, calls: [...calls.values()].map(callResource) });
      if (path === '/api/v2/me/chats') return send(res, 200, { statusCode: 0, chats: [...chats.values()].map(chatResource) });
      const transcript = /^\/api\/v2\/me\/chats\/([^/]+)\/messages$/.exec(path);
      if (transcript) {
        const chat = chats.get(decodeURIComponent(transcript[1]!));
        return chat ? send(res, 200, { statusCode: 0, messages: chat.messages }) : send(res, 404, { statusCode: 2, statusMessage: 'no such chat' });
      }
      return send(res, 404, { statusCode: 2, statusMessage: `no resource ${path}` });
    }
    if (req.method !== 'POST') return send(res, 405, { statusCode: 2, statusMessage: 'method not allowed' });
    if (csrfRequired && req.headers[csrfHeaderName.toLowerCase()] !== session.csrfToken) {
      return send(res, 403, { statusCode: 3, statusMessage: 'CSRF token missing or invalid' });
    }
    let body: Record<string, unknown>;
    try {
      body = await readJson(req);
    } catch {
      return send(res, 400, { statusCode: 2, statusMessage: 'invalid JSON' });
    }
    const operation: GenesysOperation = { path, operationName: strOf(body.operationName), body };
    operations.push(operation);
    let result: OpResult;
    let m: RegExpExecArray | null;
    if (path === '/api/v2/me') result = meOperation(body);
    else if ((m = /^\/api\/v2\/me\/channels\/([^/]+)$/.exec(path))) {
      result = setChannels([decodeURIComponent(m[1]!)], String(body.operationName), strOf(body.reasonCode ?? body.reason));
    } else if ((m = /^\/api\/v2\/me\/calls\/([^/]+)$/.exec(path))) result = callOperation(decodeURIComponent(m[1]!), body);
    else if ((m = /^\/api\/v2\/me\/devices\/([^/]+)\/calls$/.exec(path))) {
      result = decodeURIComponent(m[1]!) === deviceId ? dial(body) : refuse('no such device', 404);
    } else if ((m = /^\/api\/v2\/me\/chats\/([^/]+)$/.exec(path))) result = chatOperation(decodeURIComponent(m[1]!), body);
    else result = refuse(`no resource ${path}`, 404);
    send(res, result.status, result.body);
    for (const listener of operationListeners) {
      try {
        listener(operation);
      } catch (error) {
        log?.warn({ err: error }, 'simulator operation listener failed');
      }
    }
  }

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/api/v2/notifications')) {
      cometd.handle(req, res);
      return;
    }
    if (!url.pathname.startsWith('/api/v2/')) return send(res, 404, { statusCode: 2, statusMessage: 'not found' });
    handleRest(req, res, url).catch((error: unknown) => {
      log?.error({ err: error }, 'Genesys simulator request failed');
      if (!res.headersSent) send(res, 500, { statusCode: 1, statusMessage: 'internal error' });
    });
  });
  server.timeout = longPollTimeoutMs + 15_000;
  server.keepAliveTimeout = longPollTimeoutMs + 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  log?.info({ baseUrl }, 'Genesys simulator listening');

  // ---- scripting API -------------------------------------------------------------------------

  function dropCometdSessions(): void {
    for (const session of [...cometdSessions]) {
      (cometd as unknown as { _removeServerSession(s: ServerSession, timeout: boolean): unknown })._removeServerSession(session, false);
      // Answer the held long poll now, so the client learns at once that its session is gone.
      (session as unknown as { _scheduler?: { resume(): void } | null })._scheduler?.resume();
    }
  }

  function chatOrThrow(chatId: string): SimChat {
    const chat = chats.get(chatId);
    if (!chat) throw new Error(`Genesys simulator: no open chat ${chatId}`);
    return chat;
  }

  return {
    baseUrl,
    credentials: { user, password },
    operations,
    get contactCenterSessions() {
      return contactCenterSessions;
    },
    get handshakes() {
      return handshakes;
    },
    get metaConnects() {
      return metaConnects;
    },
    get agentState() {
      return structuredClone(agent);
    },
    deviceId,
    offerChat({ customer, text, userData }) {
      const chat: SimChat = {
        id: nextId('0000Wa9CAM'),
        state: 'Invited',
        participants: [{ nickname: customer, type: 'Customer', participantId: hexId(8) }],
        userData: { Subject: 'Web chat', ...userData },
        messages: [],
        nextIndex: 1,
      };
      chats.set(chat.id, chat);
      publishChat(chat);
      addMessage(chat, chat.participants[0]!, undefined, 'ParticipantJoined');
      if (text) addMessage(chat, chat.participants[0]!, text);
      return chat.id;
    },
    customerWrites(chatId, text) {
      const chat = chatOrThrow(chatId);
      const customer = chat.participants.find((p) => p.type === 'Customer')!;
      addMessage(chat, customer, text);
    },
    endChat(chatId) {
      const chat = chats.get(chatId);
      if (!chat) return;
      const customer = chat.participants.find((p) => p.type === 'Customer')!;
      addMessage(chat, customer, undefined, 'ParticipantLeft');
      chat.state = 'Completed';
      publishChat(chat);
      chats.delete(chatId);
    },
    chatError(chatId, message) {
      const chat = chatOrThrow(chatId);
      publish('/v2/me/chats', { messageType: 'ChatStateChangeMessage', notificationType: 'Error', chat: chatResource(chat), errorMessage: message });
    },
    ringCall({ ani, dnis, userData }) {
      const call: SimCall = { id: nextId('CALL'), state: 'Ringing', callType: 'Inbound', ani, dnis: dnis ?? devicePhone, userData: userData ?? {} };
      calls.set(call.id, call);
      publishCall(call);
      return call.id;
    },
    releaseCall(callId) {
      const call = calls.get(callId);
      if (call) setCallState(call, 'Released');
    },
    setAgentState(state, reason) {
      setChannels(Object.keys(agent.channels), state, reason);
    },
    forceRehandshake: dropCometdSessions,
    expireHttpSessions() {
      httpSessions.clear();
      dropCometdSessions();
    },
    requireCsrf(on) {
      csrfRequired = on;
    },
    publishRaw(channel, data) {
      publish(channel, data);
    },
    publishDocumentExamples() {
      publish('/v2/me/chats', DOCUMENT_CHAT_STATE_EXAMPLE);
      publish('/v2/me/chats', DOCUMENT_MESSAGE_LOG_EXAMPLE);
    },
    onOperation(listener) {
      operationListeners.add(listener);
      return () => operationListeners.delete(listener);
    },
    openChats: () => [...chats.keys()],
    openCalls: () => [...calls.keys()],
    async close() {
      if (closed) return;
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      cometd.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function strOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
