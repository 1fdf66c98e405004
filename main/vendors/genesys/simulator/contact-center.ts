/**
 * The simulated contact center behind the Genesys simulator: the agent's state, chats, calls and
 * the operations that change them. It knows neither HTTP nor CometD: the REST routes hand it
 * operations and read its resources; it publishes notifications through the function it is given.
 *
 * Behaviour (VENDOR-NOTES.md, Genesys — "Operations", "Sequence" [C] unless marked):
 * - operations are `{operationName, …}` bodies, answered at once with `{statusCode: 0}` (or a
 *   refusal, `statusCode: 2` [I]); their results are published a moment later (`operationDelayMs`);
 * - `StartContactCenterSession` logs the agent in (channels NotReady), `EndContactCenterSession`
 *   logs it out; `Ready` / `NotReady` / `AfterCallWork` on `/me` or `/me/channels/{channel}`;
 * - calls: Answer, Hangup, Hold, Retrieve; `Dial` on the agent's device; an outbound call is
 *   answered by the far end after 300 ms [I];
 * - call work (VENDOR-NOTES, "Call work beyond answer and hang-up": operation names [C], bodies
 *   and effects [I]): `SingleStepTransfer {destination: {phoneNumber}}` releases the call;
 *   `InitiateTransfer` / `InitiateConference {destination}` hold it and open a `Consult` call with
 *   `parentConnId`, which the colleague answers after 300 ms; `CompleteTransfer {parentConnId}` on
 *   the consult call releases both, `CompleteConference {parentConnId}` releases the consult call
 *   and leaves the original established with three `participants`; `Hangup` on the consult call
 *   leaves the original held for `Retrieve`; `SendDTMF {dtmfDigits}` (1–32 of `0-9*#A-D`) is
 *   confirmed by a `DtmfSent` notification; `AttachUserData {userData: [{key, type, value}]}`
 *   works on a live call and on one released moments ago (after-call work), confirmed by
 *   `AttachedDataChanged`;
 * - `refuseNext(operationName, message, how)` makes the next such operation fail: in its answer
 *   (`statusCode 2` and the message), or, accepted first (`statusCode 0`), in an `Error`
 *   notification on the call a moment later (`how: 'notification'`, as a switch refuses what the
 *   server took) [I];
 * - chats: Accept (the agent joins), Reject (`Revoked`), SendMessage, Complete / Leave
 *   (`Completed`); an operation the chat's state does not allow also publishes an `Error`
 *   notification on the chat [I].
 */
import type { Logger } from '../../../log.js';
import {
  CHAT_CAPABILITIES,
  callCapabilities,
  TOPICS,
  callResource,
  callStateChange,
  channelResources,
  channelStateChange,
  chatResource,
  chatStateChange,
  deviceResource,
  deviceStateChange,
  genesysTimestamp,
  hexId,
  messageLogUpdated,
  type GenesysAgentState,
  type SimCall,
  type SimChat,
  type SimDevice,
  type SimParticipant,
} from './payloads.js';

/** One POSTed operation, as received. */
export interface GenesysOperation {
  /** Path below the host, e.g. `/api/v2/me/calls/3`. */
  path: string;
  operationName: string | undefined;
  body: Record<string, unknown>;
}

/** An operation's HTTP answer: status and `{statusCode, statusMessage?}` body. */
export interface OperationResult {
  status: number;
  body: Record<string, unknown>;
}

/** What the contact center needs from the simulator around it. */
export interface ContactCenterOptions {
  /** The agent's user name and first name (the agent's chat nickname when none is given). */
  user: string;
  agentName: string;
  /** Delay before an operation's result is published, ms. */
  operationDelayMs: number;
  /** The host root, for resource URIs (known once the server listens). */
  baseUrl(): string;
  /** Publishes `data` on a topic to every subscribed session. */
  publish(topic: string, data: unknown): void;
  log?: Logger;
}

const OK: OperationResult = { status: 200, body: { statusCode: 0 } };
/** How many released calls keep taking user data (after-call work) [I]. */
const RELEASED_KEPT = 50;
/** How long the consulted party takes to answer, ms [I]. */
const CONSULT_ANSWER_MS = 300;
/** DTMF digits one `SendDTMF` takes (VENDOR-NOTES, "Call work" [I]). */
const DTMF = /^[0-9*#A-D]{1,32}$/;
const refuse = (message: string, status = 400): OperationResult => ({ status, body: { statusCode: 2, statusMessage: message } });

/** The contact center's state and behaviour. */
export class ContactCenter {
  readonly device: SimDevice = { id: 'device-' + hexId(4).toLowerCase(), phoneNumber: '5001' };
  readonly agent: GenesysAgentState = {
    loggedIn: false,
    channels: { voice: { state: 'NotReady' }, chat: { state: 'NotReady' } },
    doNotDisturb: false,
  };
  /** Every POSTed operation, oldest first. */
  readonly operations: GenesysOperation[] = [];
  private readonly chats = new Map<string, SimChat>();
  private readonly calls = new Map<string, SimCall>();
  /** Calls released lately, newest last (at most {@link RELEASED_KEPT}): user data may still be attached in after-call work. */
  private readonly released = new Map<string, SimCall>();
  /** Operations to refuse once, by name: the words to refuse them with, and where. */
  private readonly refusals = new Map<string, { message: string; how: 'answer' | 'notification' }>();
  private readonly listeners = new Set<(operation: GenesysOperation) => void>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly agentParticipantBase = hexId(6);
  private idCounter = 0;
  private closed = false;

  constructor(private readonly options: ContactCenterOptions) {}

  /** How many operations named `operationName` (e.g. `StartContactCenterSession`) were received. */
  count(operationName: string): number {
    return this.operations.filter((o) => o.operationName === operationName).length;
  }

  // ---- reads (REST) ------------------------------------------------------------------------------

  /** `GET /api/v2/me` `user`; with `subresources=*` also its devices and channels [C]. */
  me(full: boolean): Record<string, unknown> {
    return {
      id: hexId(8),
      userName: this.options.user,
      firstName: this.options.agentName,
      lastName: 'Agent',
      roles: ['ROLE_AGENT'],
      ...(full ? { devices: [deviceResource(this.agent, this.device)], channels: channelResources(this.agent) } : {}),
    };
  }

  /** The calls not released, as resources. */
  callResources(): Array<Record<string, unknown>> {
    return [...this.calls.values()].map((call) => callResource(call, this.options.baseUrl()));
  }

  /** The chats not over, as resources. */
  chatResources(): Array<Record<string, unknown>> {
    return [...this.chats.values()].map((chat) => chatResource(chat, this.options.baseUrl()));
  }

  /** A chat's transcript, or undefined when the chat is unknown or over. */
  transcript(chatId: string): unknown[] | undefined {
    return this.chats.get(chatId)?.messages;
  }

  /** Ids of the chats that are not over. */
  openChats(): string[] {
    return [...this.chats.keys()];
  }

  /** Ids of the calls that are not released. */
  openCalls(): string[] {
    return [...this.calls.keys()];
  }

  // ---- operations (REST POSTs) -------------------------------------------------------------------

  /** Carries out one POSTed operation at `path` and tells the operation listeners. */
  operate(path: string, body: Record<string, unknown>): OperationResult {
    const operation: GenesysOperation = { path, operationName: strOf(body.operationName), body };
    this.operations.push(operation);
    const result = this.route(path, body);
    for (const listener of this.listeners) {
      try {
        listener(operation);
      } catch (error) {
        this.options.log?.warn({ err: error }, 'simulator operation listener failed');
      }
    }
    return result;
  }

  /** Calls `listener` after each operation. @returns an unsubscribe function. */
  onOperation(listener: (operation: GenesysOperation) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private route(path: string, body: Record<string, unknown>): OperationResult {
    let m: RegExpExecArray | null;
    if (path === '/api/v2/me') return this.meOperation(body);
    if ((m = /^\/api\/v2\/me\/channels\/([^/]+)$/.exec(path))) {
      return this.setChannels([decodeURIComponent(m[1]!)], String(body.operationName), strOf(body.reasonCode ?? body.reason));
    }
    if ((m = /^\/api\/v2\/me\/calls\/([^/]+)$/.exec(path))) return this.callOperation(decodeURIComponent(m[1]!), body);
    if ((m = /^\/api\/v2\/me\/devices\/([^/]+)\/calls$/.exec(path))) {
      return decodeURIComponent(m[1]!) === this.device.id ? this.dial(body) : refuse('no such device', 404);
    }
    if ((m = /^\/api\/v2\/me\/chats\/([^/]+)$/.exec(path))) return this.chatOperation(decodeURIComponent(m[1]!), body);
    return refuse(`no resource ${path}`, 404);
  }

  private meOperation(body: Record<string, unknown>): OperationResult {
    const name = body.operationName;
    if (name === 'StartContactCenterSession') {
      this.agent.loggedIn = true;
      const wanted = Array.isArray(body.channels) ? body.channels.filter((c): c is string => typeof c === 'string') : ['voice'];
      for (const channel of wanted) this.agent.channels[channel] ??= { state: 'NotReady' };
      this.later(() => this.publishAgentState());
      return OK;
    }
    if (name === 'EndContactCenterSession') {
      this.agent.loggedIn = false;
      this.later(() => this.publishAgentState());
      return OK;
    }
    if (typeof name === 'string') return this.setChannels(Object.keys(this.agent.channels), name, strOf(body.reasonCode ?? body.reason));
    return refuse('operationName is required');
  }

  private setChannels(names: string[], operationName: string, reason: string | undefined): OperationResult {
    if (!['Ready', 'NotReady', 'AfterCallWork'].includes(operationName)) return refuse(`unknown operation ${operationName}`);
    for (const name of names) this.agent.channels[name] = { state: operationName, ...(reason ? { reason } : {}) };
    this.later(() => this.publishAgentState());
    return OK;
  }

  private callOperation(callId: string, body: Record<string, unknown>): OperationResult {
    const name = String(body.operationName);
    const released = this.released.get(callId);
    if (released && name === 'AttachUserData') return this.attachUserData(released, body);
    const call = this.calls.get(callId);
    if (!call) return refuse(`no call ${callId}`, 404);
    const refusal = this.refusals.get(name);
    if (refusal !== undefined) {
      this.refusals.delete(name);
      if (refusal.how === 'answer') return refuse(refusal.message);
      this.later(() => this.publishCall(call, 'Error', refusal.message));
      return OK;
    }
    if (!callCapabilities(call).includes(name)) return refuse(`${name} is not possible on a ${call.state} call`);
    switch (name) {
      case 'SingleStepTransfer':
      case 'InitiateTransfer':
      case 'InitiateConference': {
        const phoneNumber = strOf((body.destination as { phoneNumber?: unknown } | undefined)?.phoneNumber);
        if (!phoneNumber) return refuse('destination.phoneNumber is required');
        if (name === 'SingleStepTransfer') this.later(() => this.setCallState(call, 'Released'));
        else this.consult(call, phoneNumber, name);
        return OK;
      }
      case 'CompleteTransfer':
      case 'CompleteConference': {
        const parent = this.calls.get(strOf(body.parentConnId) ?? '');
        if (!parent || call.parentConnId !== parent.id) return refuse('parentConnId does not name the call this consultation was initiated from');
        this.later(() => (name === 'CompleteTransfer' ? this.completeTransfer(call, parent) : this.completeConference(call, parent)));
        return OK;
      }
      case 'SendDTMF': {
        const digits = strOf(body.dtmfDigits);
        if (!digits || !DTMF.test(digits)) return refuse('dtmfDigits must be 1 to 32 of 0-9, *, #, A-D');
        this.later(() => {
          call.dtmf += digits;
          this.publishCall(call, 'DtmfSent');
        });
        return OK;
      }
      case 'AttachUserData':
        return this.attachUserData(call, body);
      default: {
        const next: Record<string, SimCall['state'] | undefined> = { Answer: 'Established', Hangup: 'Released', Hold: 'Held', Retrieve: 'Established' };
        const state = next[name];
        if (!state) return refuse(`unknown operation ${name}`);
        this.later(() => this.setCallState(call, state));
        return OK;
      }
    }
  }

  /** Holds `call` and opens a consult call to `phoneNumber`, which the colleague answers shortly. */
  private consult(call: SimCall, phoneNumber: string, initiatedBy: 'InitiateTransfer' | 'InitiateConference'): void {
    const consult: SimCall = {
      id: this.nextId('CALL'),
      state: 'Dialing',
      callType: 'Consult',
      ani: this.device.phoneNumber,
      dnis: phoneNumber,
      userData: { ...call.userData },
      parentConnId: call.id,
      initiatedBy,
      dtmf: '',
    };
    call.consulting = true;
    this.calls.set(consult.id, consult);
    this.later(() => {
      this.setCallState(call, 'Held');
      this.publishCall(consult);
    });
    this.later(() => {
      if (this.calls.get(consult.id)?.state === 'Dialing') this.setCallState(consult, 'Established');
    }, this.options.operationDelayMs + CONSULT_ANSWER_MS);
  }

  private completeTransfer(consult: SimCall, parent: SimCall): void {
    parent.consulting = false;
    this.setCallState(consult, 'Released');
    this.setCallState(parent, 'Released');
  }

  /** The consult call ends; the original is one call of three parties: the caller, the colleague and the agent. */
  private completeConference(consult: SimCall, parent: SimCall): void {
    parent.consulting = false;
    const caller = parent.callType === 'Inbound' ? parent.ani : parent.dnis;
    parent.participants = [
      { number: caller, role: 'RoleOrigination' },
      { number: consult.dnis, role: 'RoleConferenceMember' },
      { number: this.device.phoneNumber, role: 'RoleConferenceMember' },
    ];
    this.setCallState(consult, 'Released');
    this.setCallState(parent, 'Established');
  }

  /** `AttachUserData {userData: [{key, type, value}]}`: merged into the call's data, confirmed by `AttachedDataChanged`. */
  private attachUserData(call: SimCall, body: Record<string, unknown>): OperationResult {
    const pairs = Array.isArray(body.userData) ? (body.userData as unknown[]) : undefined;
    if (!pairs?.length) return refuse('userData must be a list of {key, type, value}');
    const values: Record<string, string> = {};
    for (const pair of pairs) {
      const { key, value } = (pair ?? {}) as { key?: unknown; value?: unknown };
      if (typeof key !== 'string' || !key || (typeof value !== 'string' && typeof value !== 'number')) return refuse('userData must be a list of {key, type, value}');
      values[key] = String(value);
    }
    this.later(() => {
      Object.assign(call.userData, values);
      this.publishCall(call, 'AttachedDataChanged');
    });
    return OK;
  }

  private dial(body: Record<string, unknown>): OperationResult {
    if (body.operationName !== 'Dial') return refuse('unknown operation');
    const destination = body.destination as { phoneNumber?: unknown } | undefined;
    const phoneNumber = strOf(destination?.phoneNumber);
    if (!phoneNumber) return refuse('destination.phoneNumber is required');
    const call: SimCall = { id: this.nextId('CALL'), state: 'Dialing', callType: 'Outbound', ani: this.device.phoneNumber, dnis: phoneNumber, userData: {}, dtmf: '' };
    this.calls.set(call.id, call);
    this.later(() => this.publishCall(call));
    this.later(() => {
      if (this.calls.get(call.id)?.state === 'Dialing') this.setCallState(call, 'Established');
    }, this.options.operationDelayMs + 300);
    return OK;
  }

  private chatOperation(chatId: string, body: Record<string, unknown>): OperationResult {
    const chat = this.chats.get(chatId);
    if (!chat) return refuse(`no chat ${chatId}`, 404);
    const name = String(body.operationName);
    if (!CHAT_CAPABILITIES[chat.state].includes(name)) {
      const message = `${name} is not possible in state ${chat.state}`;
      this.later(() => this.options.publish(TOPICS.chats, chatStateChange(chat, this.options.baseUrl(), 'Error', message)));
      return refuse(message);
    }
    const agentParticipant = (): SimParticipant =>
      chat.participants.find((p) => p.type === 'Agent') ?? {
        nickname: strOf(body.nickname) ?? this.options.agentName,
        type: 'Agent',
        participantId: `${this.agentParticipantBase}${chat.id.slice(-4)}`,
      };
    switch (name) {
      case 'Accept':
        this.later(() => {
          const me = agentParticipant();
          if (!chat.participants.includes(me)) chat.participants.push(me);
          chat.state = 'Chatting';
          this.publishChat(chat);
          this.addMessage(chat, me, undefined, 'ParticipantJoined');
        });
        return OK;
      case 'Reject':
        this.later(() => {
          chat.state = 'Revoked';
          this.publishChat(chat);
          this.chats.delete(chat.id);
        });
        return OK;
      case 'SendMessage': {
        const text = strOf(body.text);
        if (!text) return refuse('text is required');
        this.later(() => this.addMessage(chat, agentParticipant(), text));
        return OK;
      }
      case 'Complete':
      case 'Leave':
        this.later(() => {
          this.addMessage(chat, agentParticipant(), undefined, 'ParticipantLeft');
          chat.state = 'Completed';
          this.publishChat(chat);
          this.chats.delete(chat.id);
        });
        return OK;
      default:
        return OK; // accepted and ignored (typing notifications, user data)
    }
  }

  // ---- scripting ---------------------------------------------------------------------------------

  /** Offers a chat (state `Invited`); the customer's first line, if given, is in its log. @returns the chat id. */
  offerChat(options: { customer: string; text?: string; userData?: Record<string, string> }): string {
    const chat: SimChat = {
      id: this.nextId('0000Wa9CAM'),
      state: 'Invited',
      participants: [{ nickname: options.customer, type: 'Customer', participantId: hexId(8) }],
      userData: { Subject: 'Web chat', ...options.userData },
      messages: [],
      nextIndex: 1,
    };
    this.chats.set(chat.id, chat);
    this.publishChat(chat);
    this.addMessage(chat, chat.participants[0]!, undefined, 'ParticipantJoined');
    if (options.text) this.addMessage(chat, chat.participants[0]!, options.text);
    return chat.id;
  }

  /** The customer writes a line. @throws if the chat is unknown. */
  customerWrites(chatId: string, text: string): void {
    const chat = this.chatOrThrow(chatId);
    this.addMessage(chat, chat.participants.find((p) => p.type === 'Customer')!, text);
  }

  /** The customer leaves; the chat ends (`Completed`). */
  endChat(chatId: string): void {
    const chat = this.chats.get(chatId);
    if (!chat) return;
    this.addMessage(chat, chat.participants.find((p) => p.type === 'Customer')!, undefined, 'ParticipantLeft');
    chat.state = 'Completed';
    this.publishChat(chat);
    this.chats.delete(chatId);
  }

  /** Publishes a `ChatStateChangeMessage` `Error` notification on the chat. @throws if the chat is unknown. */
  chatError(chatId: string, message: string): void {
    this.options.publish(TOPICS.chats, chatStateChange(this.chatOrThrow(chatId), this.options.baseUrl(), 'Error', message));
  }

  /** An inbound call rings at the agent. @returns the call id. */
  ringCall(options: { ani: string; dnis?: string; userData?: Record<string, string> }): string {
    const call: SimCall = {
      id: this.nextId('CALL'),
      state: 'Ringing',
      callType: 'Inbound',
      ani: options.ani,
      dnis: options.dnis ?? this.device.phoneNumber,
      userData: { ...options.userData },
      dtmf: '',
    };
    this.calls.set(call.id, call);
    this.publishCall(call);
    return call.id;
  }

  /** The next operation named `operationName` on a call fails with `message`: in its answer, or in an `Error` notification. */
  refuseNext(operationName: string, message: string, how: 'answer' | 'notification' = 'answer'): void {
    this.refusals.set(operationName, { message, how });
  }

  /** A call, live or released lately, as the server holds it (a copy). */
  call(callId: string): SimCall | undefined {
    const call = this.calls.get(callId) ?? this.released.get(callId);
    return call && structuredClone(call);
  }

  /** The far end hangs up (`Released`). */
  releaseCall(callId: string): void {
    const call = this.calls.get(callId);
    if (call) this.setCallState(call, 'Released');
  }

  /** Changes every channel's state from the server side and publishes it. */
  setAgentState(state: 'Ready' | 'NotReady' | 'AfterCallWork', reason?: string): void {
    this.setChannels(Object.keys(this.agent.channels), state, reason);
  }

  /** The server logs the agent out of the contact center (a supervisor, a restart) and publishes it. */
  logOut(): void {
    this.agent.loggedIn = false;
    this.publishAgentState();
  }

  /** Cancels every pending publication. */
  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  // ---- internals ---------------------------------------------------------------------------------

  private later(fn: () => void, ms = this.options.operationDelayMs): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.closed) fn();
    }, ms);
    this.timers.add(timer);
  }

  private publishAgentState(): void {
    this.options.publish(TOPICS.devices, deviceStateChange(this.agent, this.device));
    this.options.publish(TOPICS.channels, channelStateChange(this.agent));
  }

  private publishChat(chat: SimChat): void {
    this.options.publish(TOPICS.chats, chatStateChange(chat, this.options.baseUrl()));
  }

  private publishCall(call: SimCall, notificationType?: string, errorMessage?: string): void {
    this.options.publish(TOPICS.calls, callStateChange(call, this.options.baseUrl(), notificationType, errorMessage));
  }

  private setCallState(call: SimCall, state: SimCall['state']): void {
    call.state = state;
    this.publishCall(call);
    if (state !== 'Released') return;
    this.calls.delete(call.id);
    this.released.set(call.id, call);
    if (this.released.size > RELEASED_KEPT) this.released.delete(this.released.keys().next().value!);
    // A consultation that ends leaves its original waiting to be retrieved.
    const parent = call.parentConnId ? this.calls.get(call.parentConnId) : undefined;
    if (parent) {
      parent.consulting = false;
      if (parent.state === 'Held') this.publishCall(parent);
    }
  }

  private addMessage(chat: SimChat, from: SimParticipant, text: string | undefined, type = 'Text'): void {
    const now = Date.now();
    const message = {
      index: chat.nextIndex++,
      from,
      ...(text === undefined ? {} : { text }),
      visibility: 'All',
      timestamp: genesysTimestamp(now),
      type,
      timestampSeconds: now,
    };
    chat.messages.push(message);
    this.options.publish(TOPICS.chats, messageLogUpdated(chat, [message], this.options.baseUrl()));
  }

  private chatOrThrow(chatId: string): SimChat {
    const chat = this.chats.get(chatId);
    if (!chat) throw new Error(`Genesys simulator: no open chat ${chatId}`);
    return chat;
  }

  private nextId(prefix: string): string {
    this.idCounter += 1;
    return `${prefix}${this.idCounter.toString(36).toUpperCase().padStart(4, '0')}${hexId(3)}`;
  }
}

function strOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
