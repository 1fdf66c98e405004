/**
 * The Genesys Workspace Web Edition API v2 connector: REST (fetch) + CometD notifications, one
 * cookie jar, the CSRF pair, and a supervisor that keeps it alive.
 *
 * Sequence per connection (VENDOR-NOTES.md, Genesys — "Sequence", "Reconnect" [C]):
 * 1. `GET /api/v2/me?subresources=*` with Basic auth and an **empty jar**: a fresh HTTP session
 *    (`JSESSIONID`) every time, since after a lost session nothing tells whether the server still
 *    holds the old one [I]; it yields the CSRF pair, the agent's device and channel states;
 * 2. CometD handshake at `/api/v2/notifications` (long-polling, same jar), subscribing
 *    `/v2/me/calls`, `/v2/me/chats`, `/v2/me/devices`, `/v2/me/channels` inside the
 *    `/meta/handshake` listener; any end of that CometD session the client did not ask for ends
 *    the connection, and the supervisor opens a fresh one (see ./cometd.ts);
 * 3. `POST /api/v2/me {operationName: "StartContactCenterSession", channels}` — **once per
 *    `start()`**: never again on a reconnect (statusCode 0 ok, 7 partial);
 * 4. current calls and chats (with transcripts) over REST → `calls.sync` / `chats.sync` /
 *    `chat.messages`, since CometD does not replay what was published while away;
 * 5. `stop()`: `POST /api/v2/me {operationName: "EndContactCenterSession"}`, then disconnect.
 *
 * Failures a person must fix become `ConnectionError(fatal)` with a reason they can act on:
 * rejected credentials (401), a refused CSRF token (403 on POST), a forbidden user (403 on GET),
 * a refused `StartContactCenterSession`. Everything else is retried with backoff.
 */
import { CookieJar } from 'tough-cookie';
import type { ConnectorEvent } from '../../desk/events.js';
import type { CallAction, ChatAction, Presence, PresenceState } from '../../desk/model.js';
import { CommandError, ConnectionError, type Connector, type ConnectorCommand, type ConnectorContext } from '../../desk/port.js';
import { ConnectionSupervisor, type BackoffPolicy, type Session } from '../kit/supervisor.js';
import { notificationsUrl, type GenesysAccount } from './config.js';
import { NotificationChannel, type CometdTuning } from './cometd.js';
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

/** Presence states a Genesys agent can choose: Ready, NotReady, AfterCallWork [C: operations]. */
export const GENESYS_PRESENCE_OPTIONS: readonly PresenceState[] = ['ready', 'not-ready', 'wrap-up'];

/** Desk presence → channel operation name (`POST /api/v2/me/channels/{channel}`) [C]. */
const PRESENCE_OPERATIONS: Partial<Record<PresenceState, string>> = {
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

/** Options of {@link createGenesysConnector}. */
export interface GenesysConnectorOptions {
  /** Reconnect delays of the outer supervisor (default: 1 s doubling to 30 s, jittered). */
  backoff?: BackoffPolicy;
  /** CometD client tuning (tests shorten it). */
  cometd?: CometdTuning;
  /** Per REST request timeout, ms (default 15 000). */
  requestTimeoutMs?: number;
  /** The `fetch` REST requests use (default: the global one); a seam for tests and proxies. */
  fetch?: typeof fetch;
}

/**
 * Creates the connector for one Genesys account.
 * @param account a parsed {@link GenesysAccount}.
 * @param secrets the resolved password.
 */
export function createGenesysConnector(
  account: GenesysAccount,
  secrets: { password: string },
  options: GenesysConnectorOptions = {},
): Connector {
  return new GenesysConnector(account, secrets.password, options);
}

class GenesysConnector implements Connector {
  private ctx: ConnectorContext | undefined;
  private supervisor: ConnectionSupervisor | undefined;
  /** The live connection's REST client (its own jar and CSRF pair). */
  private rest!: GenesysRest;
  private channel: NotificationChannel | undefined;
  private contactCenterSession = false;
  private deviceId: string | undefined;
  private nickname: string;
  private presenceInputs: PresenceInputs = NO_PRESENCE_INPUTS;
  private lastPresence: string | undefined;
  private inWrapUp = false;
  private readonly chatActions = new Map<string, ChatAction[]>();
  private readonly callActions = new Map<string, CallAction[]>();
  private readonly talkingCalls = new Set<string>();
  private talking = false;
  /** Counts notifications; `touched` remembers the count at each entity's latest notification. */
  private sequence = 0;
  private readonly touched = new Map<string, number>();
  private recovering: Promise<void> | undefined;
  private recoverAgain = false;

  constructor(
    private readonly account: GenesysAccount,
    private readonly password: string,
    private readonly options: GenesysConnectorOptions,
  ) {
    this.nickname = account.user;
  }

  start(context: ConnectorContext): void {
    if (this.supervisor) return;
    this.ctx = context;
    this.supervisor = new ConnectionSupervisor({
      connect: (attempt) => this.connect(attempt),
      emit: (event) => context.emit(event),
      log: context.log,
      backoff: this.options.backoff,
    });
    this.supervisor.start();
  }

  async stop(): Promise<void> {
    const supervisor = this.supervisor;
    if (!supervisor) return;
    if (this.contactCenterSession && supervisor.connected) {
      await this.rest
        .post('/me', { operationName: 'EndContactCenterSession' })
        .catch((error: unknown) => this.ctx?.log.warn({ err: error }, 'EndContactCenterSession failed'));
    }
    this.contactCenterSession = false;
    await supervisor.stop();
    this.supervisor = undefined;
    this.channel = undefined;
  }

  retry(): void {
    this.supervisor?.retry();
  }

  resume(): void {
    this.supervisor?.resume();
  }

  // ---- connection ----------------------------------------------------------------------------

  private emit(event: ConnectorEvent): void {
    this.ctx?.emit(event);
  }

  private async connect(attempt: number): Promise<Session> {
    const log = this.ctx!.log;
    log.debug({ attempt }, 'connecting to Genesys');
    const jar = new CookieJar();
    const rest = new GenesysRest({
      baseUrl: this.account.baseUrl,
      user: this.account.user,
      password: this.password,
      jar,
      log,
      timeoutMs: this.options.requestTimeoutMs,
      fetch: this.options.fetch,
    });
    this.rest = rest;
    const me = await rest.get('/me?subresources=*', meResponseSchema).catch((error: unknown) => {
      throw connectionErrorOf(error);
    });
    this.absorbMe(me);
    const channel = new NotificationChannel({
      url: notificationsUrl(this.account.baseUrl),
      jar,
      log,
      headers: () => rest.csrfHeaders(),
      tuning: this.options.cometd,
      onNotification: (topic, data) => this.onNotification(topic, data),
    });
    const issues = await channel.open();
    try {
      this.emit({ type: 'subscriptions', issues });
      if (!this.contactCenterSession) await this.startContactCenterSession();
      this.channel = channel;
      await this.recover(attempt === 0 ? 'start' : 'reconnect');
    } catch (error) {
      await channel.close();
      throw error;
    }
    return channel;
  }

  private async startContactCenterSession(): Promise<void> {
    let answer: OperationResponse;
    try {
      answer = await this.rest.post('/me', { operationName: 'StartContactCenterSession', channels: this.account.channels });
    } catch (error) {
      throw connectionErrorOf(error, 'StartContactCenterSession');
    }
    const code = answer.statusCode ?? 0;
    if (code === 7) {
      this.ctx?.log.warn({ statusMessage: answer.statusMessage }, 'contact-center session started on only some channels');
    } else if (code !== 0) {
      throw new ConnectionError(
        `Genesys refused to start the contact-center session (statusCode ${code}${answer.statusMessage ? `: ${answer.statusMessage}` : ''}). ` +
          'Check the agent’s place, login and channel configuration.',
        true,
      );
    }
    this.contactCenterSession = true;
  }

  /** Reads the agent's device (for Dial), nickname and device/channel states from `/me`. */
  private absorbMe(me: MeResponse): void {
    const user = me.user;
    this.nickname = user.firstName ?? user.userName ?? this.account.user;
    const devices = parseEach(deviceSchema, user.devices ?? []).items;
    const channels = parseEach(channelSchema, user.channels ?? []).items;
    if (devices[0]) this.deviceId = devices[0].id;
    let inputs = this.presenceInputs;
    if (devices.length) inputs = foldDevices(inputs, { devices });
    if (channels.length) inputs = foldChannels(inputs, { channels });
    this.setPresenceInputs(inputs);
  }

  /** Re-reads current calls and chats (with transcripts) over REST and emits them as syncs. */
  private recover(reason: 'start' | 'reconnect'): Promise<void> {
    if (this.recovering) {
      this.recoverAgain = true;
      return this.recovering;
    }
    const run = async (): Promise<void> => {
      do {
        this.recoverAgain = false;
        await this.recoverOnce(reason);
      } while (this.recoverAgain);
    };
    this.recovering = run().finally(() => (this.recovering = undefined));
    return this.recovering;
  }

  private async recoverOnce(reason: string): Promise<void> {
    const log = this.ctx!.log;
    const now = new Date().toISOString();
    const mark = this.sequence;
    /** A REST snapshot older than a live notification must not roll that entity back: keep only its id. */
    const fresh = <T extends { id: string }>(kind: string, patch: T): T | { id: string } =>
      (this.touched.get(`${kind}:${patch.id}`) ?? -1) > mark ? { id: patch.id } : patch;
    try {
      const [callsAnswer, chatsAnswer] = await Promise.all([
        this.rest.get('/me/calls', callsResponseSchema),
        this.rest.get('/me/chats', chatsResponseSchema),
      ]);
      const calls = parseEach(callResourceSchema, callsAnswer.calls);
      const chats = parseEach(chatResourceSchema, chatsAnswer.chats);
      for (const issues of [...calls.rejected, ...chats.rejected]) log.warn({ issues }, 'dropped a malformed Genesys resource');
      const callPatches = calls.items
        .map(callPatchOf)
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
        const transcript = await this.rest.get(`/me/chats/${encodeURIComponent(chat.id)}/messages`, messagesResponseSchema);
        const parsed = parseEach(chatMessageSchema, transcript.messages);
        const messages = chatMessagesOf(parsed.items, now);
        if (messages.length) this.emit({ type: 'chat.messages', chatId: chat.id, messages });
      }
      log.debug({ reason, calls: callPatches.length, chats: chatPatches.length }, 'Genesys state recovered');
    } catch (error) {
      throw connectionErrorOf(error);
    }
  }

  // ---- notifications -------------------------------------------------------------------------

  private onNotification(topic: string, data: unknown): void {
    const log = this.ctx!.log;
    const result = parseNotification(data);
    if (!result.ok) {
      if (result.ignored) log.debug({ topic, messageType: result.messageType }, 'ignored a Genesys notification');
      else log.warn({ topic, messageType: result.messageType, issues: result.issues }, 'dropped a malformed Genesys notification');
      return;
    }
    const n = result.notification;
    switch (n.messageType) {
      case 'DeviceStateChangeMessage':
        if (n.devices[0]) this.deviceId = n.devices[0].id;
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
    for (const event of routeNotification(n, new Date().toISOString())) {
      this.sequence += 1;
      if (event.type === 'chat') {
        this.trackChat(event.chat);
        this.touched.set(`chat:${event.chat.id}`, this.sequence);
      }
      if (event.type === 'call') {
        this.touched.set(`call:${event.call.id}`, this.sequence);
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

  private trackCall(patch: { id: string; state?: string; actions?: CallAction[] }): void {
    if (patch.state === 'ended') {
      this.callActions.delete(patch.id);
      this.talkingCalls.delete(patch.id);
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
    const now = new Date().toISOString();
    this.emit({ type: 'presence', presence: { ...presence, since: now } });
    const wrap = presence.state === 'wrap-up';
    if (wrap !== this.inWrapUp) {
      this.inWrapUp = wrap;
      this.emit({ type: 'wrapup', wrapUp: wrap ? { startedAt: now } : null });
    }
  }

  // ---- commands ------------------------------------------------------------------------------

  async execute(command: ConnectorCommand): Promise<void> {
    if (!this.supervisor?.connected) throw new CommandError('Genesys is not connected right now; try again once it is back.');
    switch (command.type) {
      case 'presence.set': {
        const operationName = PRESENCE_OPERATIONS[command.state];
        if (!operationName) throw new CommandError(`Genesys agents cannot choose “${command.state}” here.`);
        for (const channel of this.account.channels) {
          await this.operation(`/me/channels/${channel}`, { operationName });
        }
        return;
      }
      case 'call.action': {
        const known = this.callActions.get(command.callId);
        if (known && !known.includes(command.action)) {
          throw new CommandError(`This call cannot be ${pastTense(command.action)} right now.`);
        }
        await this.operation(`/me/calls/${encodeURIComponent(command.callId)}`, { operationName: CALL_OPERATIONS[command.action] });
        return;
      }
      case 'call.dial': {
        const number = command.number.trim();
        if (!number) throw new CommandError('Enter a number to call.');
        if (!this.deviceId) throw new CommandError('Genesys reported no phone device for this agent, so it cannot dial.');
        await this.operation(`/me/devices/${encodeURIComponent(this.deviceId)}/calls`, {
          operationName: 'Dial',
          destination: { phoneNumber: number },
        });
        return;
      }
      case 'chat.action': {
        const known = this.chatActions.get(command.chatId) ?? [];
        if (!known.includes(command.action)) throw new CommandError(`This chat cannot be ${pastTense(command.action)} right now.`);
        this.emit({ type: 'chat', chat: { id: command.chatId, error: undefined } });
        const body: Record<string, unknown> = { operationName: CHAT_OPERATIONS[command.action] };
        if (command.action === 'accept') body.nickname = this.nickname;
        await this.operation(`/me/chats/${encodeURIComponent(command.chatId)}`, body);
        return;
      }
      case 'chat.send': {
        const known = this.chatActions.get(command.chatId) ?? [];
        if (!known.includes('send')) throw new CommandError('Messages cannot be sent in this chat right now.');
        if (!command.text.trim()) throw new CommandError('The message is empty.');
        this.emit({ type: 'chat', chat: { id: command.chatId, error: undefined } });
        await this.operation(`/me/chats/${encodeURIComponent(command.chatId)}`, { operationName: 'SendMessage', text: command.text });
        return;
      }
      case 'callback.close':
        throw new CommandError('Genesys callbacks are not handled by this app.');
    }
  }

  /** POSTs an operation; maps refusals to {@link CommandError}. */
  private async operation(path: string, body: Record<string, unknown>): Promise<void> {
    let answer: OperationResponse;
    try {
      answer = await this.rest.post(path, body);
    } catch (error) {
      if (error instanceof GenesysHttpError) {
        this.ctx?.log.warn({ err: error, path, operationName: body.operationName }, 'Genesys refused an operation');
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

/** REST failures during connect → supervisor errors: auth, CSRF and permissions are fatal. */
function connectionErrorOf(error: unknown, step?: string): ConnectionError {
  if (error instanceof ConnectionError) return error;
  if (error instanceof GenesysHttpError) {
    const fatal = error.kind === 'auth' || error.kind === 'csrf' || error.kind === 'forbidden';
    const where = step && !fatal ? ` during ${step}` : '';
    return new ConnectionError(`${error.message}${where}`, fatal, { cause: error });
  }
  return new ConnectionError(error instanceof Error ? error.message : String(error), false, { cause: error });
}
