/**
 * The Genesys Workspace Web Edition API v2 connector: REST (fetch) + CometD notifications, one
 * cookie jar and one CSRF pair per connection, on the kit's {@link defineConnector} (lifecycle,
 * supervisor, presence options and refusals come from there).
 *
 * Each connection (VENDOR-NOTES.md, Genesys — "Sequence", "Reconnect", "Server-ended sessions" [C]):
 * 1. `GET /api/v2/me?subresources=*` with Basic auth and an **empty jar**: a fresh HTTP session
 *    (`JSESSIONID`) every time, since after a lost session nothing tells whether the server still
 *    holds the old one [I]; it yields the CSRF pair, the agent's device and channel states;
 * 2. a CometD handshake at `/api/v2/notifications` (long-polling, same jar) subscribing
 *    `/v2/me/calls`, `/v2/me/chats`, `/v2/me/devices`, `/v2/me/channels` (./cometd.ts); any end of
 *    that CometD session the client did not ask for ends the connection (see ./cometd.ts);
 * 3. `POST /api/v2/me {operationName: "StartContactCenterSession", channels}` — **once per
 *    `start()`** (statusCode 0 ok, 7 partial), not on reconnects. When the fresh `/me` of a
 *    reconnect shows the agent `LoggedOut` on every channel of the account, someone ended the
 *    agent's contact-center session — another desk that logged in as this agent, a supervisor, the
 *    server [I]: the desk does not log the agent back in on its own (that would fight the other desk
 *    and route calls to an agent who may have left), it stops at `failed` saying so, and Retry —
 *    the agent's yes — starts the session again;
 * 4. current calls and chats (with transcripts) over REST → `calls.sync` / `chats.sync` /
 *    `chat.messages` (CometD does not replay what was published while away);
 * 5. on `stop()`: `POST /api/v2/me {operationName: "EndContactCenterSession"}`, then disconnect.
 *
 * Failures a person must fix become a fatal `ConnectionError` with a reason they can act on:
 * rejected credentials (401), a refused CSRF token (403 on POST), a forbidden user (403 on GET), a
 * refused `StartContactCenterSession`, the agent logged out elsewhere. Everything else is retried by
 * the supervisor with backoff, at least as late as a `Retry-After` asks.
 */
import { CookieJar } from 'tough-cookie';
import type { Call, CallAction, ChatAction, Presence } from '../../../common/model.js';
import { CommandError, ConnectionError, type Connector, type ConnectorContext } from '../../desk/port.js';
import { defineConnector, type SessionContext } from '../kit/connector.js';
import type { ConnectorOptions } from '../kit/platform.js';
import { GenesysCallWork, callWorkOf, type CallOperation } from './call-work.js';
import { GENESYS_CAPABILITIES } from './capabilities.js';
import { NotificationChannel } from './cometd.js';
import { notificationsUrl, type GenesysAccount, type GenesysSecrets, type GenesysTuning } from './config.js';
import {
  callPatchOf,
  chatMessagesOf,
  chatPatchOf,
  foldChannels,
  foldDevices,
  NO_PRESENCE_INPUTS,
  presenceOf,
  routeNotification,
  type PresenceInputs,
} from './normalize.js';
import { GenesysHttpError, GenesysRest } from './rest.js';
import { isoNow } from '../kit/iso-date.js';
import {
  callResourceSchema,
  callsResponseSchema,
  channelSchema,
  chatMessageSchema,
  chatResourceSchema,
  chatsResponseSchema,
  deviceSchema,
  meResponseSchema,
  messagesResponseSchema,
  parseEach,
  parseNotification,
  type MeResponse,
  type OperationResponse,
} from './schema.js';

/** Desk presence → channel operation name (`POST /api/v2/me/channels/{channel}`) [C]. */
const PRESENCE_OPERATIONS: Partial<Record<Presence['state'], string>> = {
  ready: 'Ready',
  'not-ready': 'NotReady',
  'wrap-up': 'AfterCallWork',
};

const CALL_OPERATIONS: Record<CallAction, string> = { answer: 'Answer', hangup: 'Hangup', hold: 'Hold', retrieve: 'Retrieve' };
const CHAT_OPERATIONS: Record<Exclude<ChatAction, 'send'>, string> = {
  accept: 'Accept',
  reject: 'Reject',
  complete: 'Complete',
  leave: 'Leave',
};

/** What one live connection holds, for commands. */
interface Live {
  rest: GenesysRest;
  /** The agent's phone (for `Dial`), from `/me` and `DeviceStateChangeMessage`. */
  deviceId: string | undefined;
  /** The agent's phone number, to tell the agent among a conference's parties. */
  phoneNumber: string | undefined;
  /** The agent's chat nickname (for `Accept`). */
  nickname: string;
}

/**
 * Creates the connector for one Genesys account.
 * @param account a parsed {@link GenesysAccount}.
 * @param secrets the resolved password.
 * @param options the kit's `ConnectorOptions` with the tuning typed: reconnect backoff (default the
 *   kit's `DEFAULT_BACKOFF`) and {@link GenesysTuning}.
 */
export function createGenesysConnector(
  account: GenesysAccount,
  secrets: GenesysSecrets,
  options: ConnectorOptions<GenesysTuning> = {},
): Connector {
  const agent = new GenesysAgent(account, secrets.password, options.tuning ?? {});
  return defineConnector<Live>({
    platform: 'Genesys',
    capabilities: GENESYS_CAPABILITIES,
    backoff: options.backoff,
    connect: (context, attempt) => agent.connect(context, attempt),
    commands: {
      'presence.set': (live, command) => agent.setPresence(live, command.state),
      'call.action': (live, command) => agent.callAction(live, command.callId, command.action),
      'call.dial': (live, command) => agent.dial(live, command.number),
      'chat.action': (live, command) => agent.chatAction(live, command.chatId, command.action),
      'chat.send': (live, command) => agent.chatSend(live, command.chatId, command.text),
      'call.consult': (live, command) => agent.callWork.execute(live, command),
      'call.blindTransfer': (live, command) => agent.callWork.execute(live, command),
      'call.completeConsult': (live, command) => agent.callWork.execute(live, command),
      'call.cancelConsult': (live, command) => agent.callWork.execute(live, command),
      'call.dtmf': (live, command) => agent.callWork.execute(live, command),
      'call.wrapUpReason': (live, command) => agent.callWork.execute(live, command),
    },
    endSession: (live) => agent.endSession(live),
  });
}

/**
 * The connector's handling of live notifications, without a connection (the bench's parse path):
 * each `(topic, data)` a CometD subscription delivers goes through the same agent state as on a
 * live session, and its desk events go to `context.emit`.
 */
export function notificationHandler(account: GenesysAccount, context: ConnectorContext): (topic: string, data: unknown) => void {
  const agent = new GenesysAgent(account, '', {});
  agent.attach(context);
  const live = { deviceId: undefined as string | undefined, phoneNumber: undefined as string | undefined };
  return (topic, data) => agent.onNotification(live, topic, data);
}

/**
 * The agent as the connector knows it across connections: the contact-center session, presence
 * inputs, what each call and chat allows, and the sequence that keeps a REST snapshot from rolling
 * back a live notification.
 */
class GenesysAgent {
  private context: ConnectorContext | undefined;
  /** The `start()` (its context) for which StartContactCenterSession was sent. */
  private sessionStartedFor: ConnectorContext | undefined;
  private presenceInputs: PresenceInputs = NO_PRESENCE_INPUTS;
  private lastPresence: string | undefined;
  private inWrapUp = false;
  private readonly chatActions = new Map<string, ChatAction[]>();
  private readonly callActions = new Map<string, Call['actions']>();
  private readonly talkingCalls = new Set<string>();
  private talking = false;
  /** Consultation legs (calls naming their original), which a wrap-up is never for. */
  private readonly consultCalls = new Set<string>();
  /** The last call the agent talked on that ended (not a consultation leg): what a wrap-up is for. */
  private lastTalkedCall: string | undefined;
  /** The wrap-up in progress as last told to the desk (its start and call), undefined outside one. */
  private wrapUp: { startedAt: string; callId?: string } | undefined;
  /** Who waits for a call to be released (cancelling a consultation), by call id. */
  private readonly releaseWaiters = new Map<string, Set<() => void>>();
  /** Consultations, transfers, conferences, DTMF and dispositions (./call-work.ts). */
  readonly callWork: GenesysCallWork<Live>;
  /**
   * Counts notifications; `touched` remembers the count at each entity's latest notification while
   * a REST re-read is on its way (`recovering`), the only time it is read: outside one it would
   * grow by every call and chat of the session (the bench's shift found it growing).
   */
  private sequence = 0;
  private readonly touched = new Map<string, number>();
  private recovering = 0;

  constructor(
    private readonly account: GenesysAccount,
    private readonly password: string,
    private readonly tuning: GenesysTuning,
  ) {
    this.callWork = new GenesysCallWork<Live>({
      operate: (live, operation: CallOperation) => this.operation(live, `/me/calls/${encodeURIComponent(operation.callId)}`, operation.body),
      released: (callId, withinMs) => this.released(callId, withinMs),
      dispositionKey: account.dispositionKey,
    });
  }

  // ---- connection ----------------------------------------------------------------------------

  /** Opens one connection (see the module docs). @throws {ConnectionError} fatal when a person must act. */
  /** The context notifications are handled for (set by each connection). */
  attach(context: ConnectorContext): void {
    this.context = context;
  }

  async connect(context: SessionContext, attempt: number): Promise<{ session: NotificationChannel; live: Live }> {
    this.attach(context);
    const log = context.log;
    log.debug({ attempt }, 'connecting to Genesys');
    const jar = new CookieJar();
    const rest = new GenesysRest({
      baseUrl: this.account.baseUrl,
      user: this.account.user,
      password: this.password,
      jar,
      log,
      timeoutMs: this.tuning.requestTimeoutMs,
      fetch: this.tuning.fetch,
    });
    const me = await rest.get('/me?subresources=*', meResponseSchema).catch((error: unknown) => {
      throw connectionErrorOf(error);
    });
    const live: Live = { rest, deviceId: undefined, phoneNumber: undefined, nickname: this.account.user };
    this.absorbMe(live, me);
    const channel = new NotificationChannel({
      url: notificationsUrl(this.account.baseUrl),
      jar,
      log,
      headers: () => rest.csrfHeaders(),
      tuning: this.tuning.cometd,
      onNotification: (topic, data) => this.onNotification(live, topic, data),
      onAlive: context.healthy,
    });
    const issues = await channel.open();
    try {
      context.emit({ type: 'subscriptions', issues });
      context.emit({ type: 'account.capabilities', callWork: callWorkOf(this.account) });
      context.emit({ type: 'wrapup.reasons', reasons: this.account.dispositions, required: this.account.wrapUpRequired });
      if (this.sessionStartedFor !== context) {
        await this.startContactCenterSession(rest);
        this.sessionStartedFor = context;
      } else if (this.loggedOutEverywhere(me)) {
        log.warn({ channels: this.account.channels }, 'the agent was logged out of the Genesys contact center elsewhere; waiting for the agent');
        this.sessionStartedFor = undefined; // Retry is the agent's yes: it starts the session again
        throw new ConnectionError(
          `${this.account.user} was logged out of the Genesys contact center elsewhere (another desk, a supervisor or the server) — ` +
            'Retry to log in here again',
          true,
        );
      }
      await this.recover(live);
    } catch (error) {
      await channel.close();
      throw connectionErrorOf(error);
    }
    return { session: channel, live };
  }

  /** Logs the agent out of the contact center (on `stop()`). @throws {GenesysHttpError} when the server refuses. */
  async endSession(live: Live): Promise<void> {
    this.sessionStartedFor = undefined;
    await live.rest.post('/me', { operationName: 'EndContactCenterSession' });
  }

  private async startContactCenterSession(rest: GenesysRest): Promise<void> {
    let answer: OperationResponse;
    try {
      answer = await rest.post('/me', { operationName: 'StartContactCenterSession', channels: this.account.channels });
    } catch (error) {
      throw connectionErrorOf(error, 'StartContactCenterSession');
    }
    const code = answer.statusCode ?? 0;
    if (code === 7) {
      this.context?.log.warn({ statusMessage: answer.statusMessage }, 'contact-center session started on only some channels');
    } else if (code !== 0) {
      throw new ConnectionError(
        `Genesys refused to start the contact-center session (statusCode ${code}${answer.statusMessage ? `: ${answer.statusMessage}` : ''}). ` +
          'Check the agent’s place, login and channel configuration.',
        true,
      );
    }
  }

  /** Whether `/me` shows the agent `LoggedOut` on every channel of the account [I: the word]. */
  private loggedOutEverywhere(me: MeResponse): boolean {
    const channels = parseEach(channelSchema, me.user.channels ?? []).items.filter((c) => (this.account.channels as string[]).includes(c.channel));
    return channels.length > 0 && channels.every((c) => c.userState?.state.toLowerCase() === 'loggedout');
  }

  /** Reads the agent's device (for Dial), nickname and device/channel states from `/me`. */
  private absorbMe(live: Live, me: MeResponse): void {
    const user = me.user;
    live.nickname = user.firstName ?? user.userName ?? this.account.user;
    const devices = parseEach(deviceSchema, user.devices ?? []).items;
    const channels = parseEach(channelSchema, user.channels ?? []).items;
    if (devices[0]) live.deviceId = devices[0].id;
    if (devices[0]?.phoneNumber) live.phoneNumber = devices[0].phoneNumber;
    let inputs = this.presenceInputs;
    if (devices.length) inputs = foldDevices(inputs, { devices });
    if (channels.length) inputs = foldChannels(inputs, { channels });
    this.setPresenceInputs(inputs);
  }

  /**
   * Re-reads current calls and chats (with transcripts) over REST and emits them as syncs. A
   * snapshot older than a live notification does not roll that entity back.
   * @throws {GenesysHttpError} when a read fails (the connection attempt fails and is retried).
   */
  private async recover(live: Live): Promise<void> {
    this.recovering += 1;
    try {
      await this.reread(live);
    } finally {
      this.recovering -= 1;
    }
  }

  private async reread(live: Live): Promise<void> {
    const log = this.context!.log;
    const now = isoNow();
    const mark = this.sequence;
    const fresh = <T extends { id: string }>(kind: string, patch: T): T | { id: string } =>
      (this.touched.get(`${kind}:${patch.id}`) ?? -1) > mark ? { id: patch.id } : patch;
    const [callsAnswer, chatsAnswer] = await Promise.all([
      live.rest.get('/me/calls', callsResponseSchema),
      live.rest.get('/me/chats', chatsResponseSchema),
    ]);
    const calls = parseEach(callResourceSchema, callsAnswer.calls);
    const chats = parseEach(chatResourceSchema, chatsAnswer.chats);
    for (const issues of [...calls.rejected, ...chats.rejected]) log.warn({ issues }, 'dropped a malformed Genesys resource');
    const callPatches = calls.items
      .map((call) => callPatchOf(call, live.phoneNumber))
      .filter((c) => c.state !== 'ended')
      .map((c) => fresh('call', c));
    const chatPatches = chats.items.map(chatPatchOf).map((c) => fresh('chat', c));
    // Entities that appeared live after the snapshot was taken are not over: keep them in the lists.
    for (const [key, seq] of this.touched) {
      if (seq <= mark) continue;
      const [kind, id] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
      const list: Array<{ id: string }> = kind === 'call' ? callPatches : chatPatches;
      if (!list.some((p) => p.id === id)) list.push({ id });
    }
    for (const id of [...this.callActions.keys()]) if (!callPatches.some((c) => c.id === id)) this.trackCall({ id, state: 'ended' });
    for (const id of [...this.talkingCalls]) if (!callPatches.some((c) => c.id === id)) this.talkingCalls.delete(id);
    for (const patch of callPatches) this.trackCall(patch);
    this.updateTalking();
    this.emit({ type: 'calls.sync', calls: callPatches });
    for (const id of [...this.chatActions.keys()]) if (!chatPatches.some((c) => c.id === id)) this.chatActions.delete(id);
    for (const patch of chatPatches) this.trackChat(patch);
    this.emit({ type: 'chats.sync', chats: chatPatches });
    this.touched.clear();
    for (const chat of chats.items) {
      const transcript = await live.rest.get(`/me/chats/${encodeURIComponent(chat.id)}/messages`, messagesResponseSchema);
      const parsed = parseEach(chatMessageSchema, transcript.messages);
      const messages = chatMessagesOf(parsed.items, now);
      if (messages.length) this.emit({ type: 'chat.messages', chatId: chat.id, messages });
    }
    log.debug({ calls: callPatches.length, chats: chatPatches.length }, 'Genesys state recovered');
  }

  // ---- notifications -------------------------------------------------------------------------

  private emit(event: Parameters<ConnectorContext['emit']>[0]): void {
    this.context?.emit(event);
  }

  /** One notification of a subscribed topic → the agent's state and the desk events it means. */
  onNotification(live: Pick<Live, 'deviceId' | 'phoneNumber'>, topic: string, data: unknown): void {
    const log = this.context!.log;
    const result = parseNotification(data);
    if (!result.ok) {
      if (result.ignored) log.debug({ topic, messageType: result.messageType }, 'ignored a Genesys notification');
      else log.warn({ topic, messageType: result.messageType, issues: result.issues }, 'dropped a malformed Genesys notification');
      return;
    }
    const n = result.notification;
    switch (n.messageType) {
      case 'DeviceStateChangeMessage':
        if (n.devices[0]) live.deviceId = n.devices[0].id;
        if (n.devices[0]?.phoneNumber) live.phoneNumber = n.devices[0].phoneNumber;
        this.setPresenceInputs(foldDevices(this.presenceInputs, n));
        return;
      case 'ChannelStateChangeMessageV2':
        this.setPresenceInputs(foldChannels(this.presenceInputs, n));
        return;
      default:
        break;
    }
    if (n.messageType === 'ChatStateChangeMessage' && n.notificationType.toLowerCase() === 'error') {
      log.info({ chatId: n.chat.id }, 'Genesys reported an error on a chat');
    }
    if (n.messageType === 'CallStateChangeMessage' && n.notificationType?.toLowerCase() === 'error') {
      log.info({ callId: n.call.id }, 'Genesys reported an error on a call');
    }
    for (const event of routeNotification(n, isoNow(), live.phoneNumber)) {
      this.sequence += 1;
      if (event.type === 'chat') {
        this.trackChat(event.chat);
        if (this.recovering > 0) this.touched.set(`chat:${event.chat.id}`, this.sequence);
      }
      if (event.type === 'call') {
        if (this.recovering > 0) this.touched.set(`call:${event.call.id}`, this.sequence);
        this.trackCall(event.call);
        this.updateTalking();
      }
      this.emit(event);
    }
  }

  private trackChat(patch: { id: string; state?: string; actions?: ChatAction[] }): void {
    if (patch.state === 'ended') this.chatActions.delete(patch.id);
    else if (patch.actions) this.chatActions.set(patch.id, patch.actions);
  }

  private trackCall(patch: { id: string; state?: string; actions?: Call['actions']; consultOf?: string }): void {
    if (patch.consultOf !== undefined) this.consultCalls.add(patch.id);
    if (patch.state === 'ended') {
      if (this.talkingCalls.has(patch.id) && !this.consultCalls.has(patch.id)) this.talkedCallEnded(patch.id);
      this.callActions.delete(patch.id);
      this.talkingCalls.delete(patch.id);
      this.consultCalls.delete(patch.id);
      for (const wake of this.releaseWaiters.get(patch.id) ?? []) wake();
      this.releaseWaiters.delete(patch.id);
      return;
    }
    if (patch.actions) this.callActions.set(patch.id, patch.actions);
    if (patch.state === 'connected' || patch.state === 'held') this.talkingCalls.add(patch.id);
    else if (patch.state) this.talkingCalls.delete(patch.id);
  }

  private updateTalking(): void {
    const talking = this.talkingCalls.size > 0;
    if (talking === this.talking) return;
    this.talking = talking;
    this.emit({ type: 'talking', talking });
  }

  private setPresenceInputs(inputs: PresenceInputs): void {
    this.presenceInputs = inputs;
    const presence: Presence | undefined = presenceOf(inputs);
    if (!presence) return;
    const key = JSON.stringify(presence);
    if (key === this.lastPresence) return;
    this.lastPresence = key;
    const now = isoNow();
    this.emit({ type: 'presence', presence: { ...presence, since: now } });
    const wrap = presence.state === 'wrap-up';
    if (wrap !== this.inWrapUp) {
      this.inWrapUp = wrap;
      this.wrapUp = wrap ? { startedAt: now, ...(this.lastTalkedCall ? { callId: this.lastTalkedCall } : {}) } : undefined;
      this.emit({ type: 'wrapup', wrapUp: this.wrapUp ?? null });
    }
  }

  /**
   * A call the agent talked on ended: a wrap-up is for it from now on; one already running without
   * a call (the state changed before the call's release arrived) learns it [I: the order varies].
   */
  private talkedCallEnded(callId: string): void {
    this.lastTalkedCall = callId;
    if (this.wrapUp && this.wrapUp.callId === undefined) {
      this.wrapUp = { ...this.wrapUp, callId };
      this.emit({ type: 'wrapup', wrapUp: this.wrapUp });
    }
  }

  /** Resolves once call `callId` is released (at once when it is not live), or after `withinMs`. */
  private released(callId: string, withinMs: number): Promise<void> {
    if (!this.callActions.has(callId) && !this.talkingCalls.has(callId)) return Promise.resolve();
    return new Promise((resolve) => {
      const waiters = this.releaseWaiters.get(callId) ?? new Set<() => void>();
      const wake = (): void => {
        clearTimeout(timer);
        waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, withinMs);
      waiters.add(wake);
      this.releaseWaiters.set(callId, waiters);
    });
  }

  // ---- commands ------------------------------------------------------------------------------

  /** Sets the agent's state on every channel of the account. @throws {CommandError} */
  async setPresence(live: Live, state: Presence['state']): Promise<void> {
    const operationName = PRESENCE_OPERATIONS[state];
    if (!operationName) throw new CommandError(`Genesys agents cannot choose “${state}” here.`);
    for (const channel of this.account.channels) await this.operation(live, `/me/channels/${channel}`, { operationName });
  }

  /** Answer, Hangup, Hold or Retrieve, when the call's capabilities allow it. @throws {CommandError} */
  async callAction(live: Live, callId: string, action: CallAction): Promise<void> {
    const known = this.callActions.get(callId);
    if (known && !known.includes(action)) throw new CommandError(`This call cannot be ${pastTense(action)} right now.`);
    await this.operation(live, `/me/calls/${encodeURIComponent(callId)}`, { operationName: CALL_OPERATIONS[action] });
  }

  /** `Dial` on the agent's device. @throws {CommandError} */
  async dial(live: Live, number: string): Promise<void> {
    const destination = number.trim();
    if (!destination) throw new CommandError('Enter a number to call.');
    if (!live.deviceId) throw new CommandError('Genesys reported no phone device for this agent, so it cannot dial.');
    await this.operation(live, `/me/devices/${encodeURIComponent(live.deviceId)}/calls`, {
      operationName: 'Dial',
      destination: { phoneNumber: destination },
    });
  }

  /** Accept, Reject, Complete or Leave, when the chat's capabilities allow it. @throws {CommandError} */
  async chatAction(live: Live, chatId: string, action: Exclude<ChatAction, 'send'>): Promise<void> {
    const known = this.chatActions.get(chatId) ?? [];
    if (!known.includes(action)) throw new CommandError(`This chat cannot be ${pastTense(action)} right now.`);
    this.emit({ type: 'chat', chat: { id: chatId, error: undefined } });
    const body: Record<string, unknown> = { operationName: CHAT_OPERATIONS[action] };
    if (action === 'accept') body.nickname = live.nickname;
    await this.operation(live, `/me/chats/${encodeURIComponent(chatId)}`, body);
  }

  /** `SendMessage`; the line appears when Genesys publishes it. @throws {CommandError} */
  async chatSend(live: Live, chatId: string, text: string): Promise<void> {
    const known = this.chatActions.get(chatId) ?? [];
    if (!known.includes('send')) throw new CommandError('Messages cannot be sent in this chat right now.');
    if (!text.trim()) throw new CommandError('The message is empty.');
    this.emit({ type: 'chat', chat: { id: chatId, error: undefined } });
    await this.operation(live, `/me/chats/${encodeURIComponent(chatId)}`, { operationName: 'SendMessage', text });
  }

  /** POSTs an operation; maps refusals to {@link CommandError}. */
  private async operation(live: Live, path: string, body: Record<string, unknown>): Promise<void> {
    let answer: OperationResponse;
    try {
      answer = await live.rest.post(path, body);
    } catch (error) {
      if (error instanceof GenesysHttpError) {
        this.context?.log.warn({ err: error, path, operationName: body.operationName }, 'Genesys refused an operation');
        throw new CommandError(error.body?.statusMessage ? `Genesys refused: ${error.body.statusMessage}` : error.message, { cause: error });
      }
      throw new CommandError('The request to Genesys failed.', { cause: error });
    }
    const code = answer.statusCode ?? 0;
    if (code !== 0) throw new CommandError(`Genesys refused: ${answer.statusMessage ?? `statusCode ${code}`}`);
  }
}

function pastTense(action: string): string {
  const words: Record<string, string> = {
    answer: 'answered',
    hangup: 'hung up',
    hold: 'put on hold',
    retrieve: 'retrieved',
    accept: 'accepted',
    reject: 'rejected',
    complete: 'completed',
    leave: 'left',
  };
  return words[action] ?? action;
}

/**
 * Failures during connect → supervisor errors: auth, CSRF and permissions are fatal; a
 * `Retry-After` is passed on.
 */
function connectionErrorOf(error: unknown, step?: string): ConnectionError {
  if (error instanceof ConnectionError) return error;
  if (error instanceof GenesysHttpError) {
    const fatal = error.kind === 'auth' || error.kind === 'csrf' || error.kind === 'forbidden';
    const where = step && !fatal ? ` during ${step}` : '';
    return new ConnectionError(`${error.message}${where}`, fatal, { cause: error, retryAfterMs: error.retryAfterMs });
  }
  return new ConnectionError(error instanceof Error ? error.message : String(error), false, { cause: error });
}
