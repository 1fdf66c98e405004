/**
 * Pure translation of Genesys WWE API v2 resources and notifications into the desk's vocabulary
 * (`ConnectorEvent`s). No I/O, no clock: the caller passes `now` (ISO) where a time is needed.
 *
 * Sources: vendor-docs/genesys-wwe-api-v2-cometd-chats.txt ("CometD notifications") [C];
 * VENDOR-NOTES.md, Genesys — "Messages" [C]. Word lists marked [I] below (chat states beyond the
 * document's "Chatting", participant types beyond Customer/Agent, message types beyond "Text") are
 * inferred from public GWS client code and kept here, in one place.
 */
import type { CallPatch, ChatPatch, ConnectorEvent } from '../../desk/events.js';
import type {
  Call,
  CallDirection,
  CallParty,
  CallState,
  ChatAction,
  ChatMessage,
  ChatParticipant,
  ChatState,
  ParticipantRole,
  Presence,
} from '../../../common/model.js';
import { fastHashOf } from '../kit/hash.js';
import { isoAt } from '../kit/iso-date.js';
import {
  lastPathSegment,
  type ChannelStateChangeMessage,
  type DeviceStateChangeMessage,
  type GenesysCallResource,
  type GenesysChatMessage,
  type GenesysChatResource,
  type GenesysNotification,
  type GenesysParticipant,
  type GenesysUserState,
  type MessageLogUpdated,
  parseNotification,
} from './schema.js';

// ---- shared --------------------------------------------------------------------------------------

/**
 * Flattens attached data to strings: nested objects become dotted keys (`a.b`), arrays JSON,
 * `null`/`undefined` an empty string. Pure.
 *
 * It walks nested objects with a list of its own, not by recursion, and an array too deep to write
 * as JSON shows as {@link TOO_DEEP}: attached data nested 20 000 levels deep (found by fuzzing)
 * threw a RangeError out of the notification's routing.
 */
export function flattenUserData(data: Record<string, unknown> | undefined, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  if (!data) return out;
  // Depth first, in the order the members come, as a recursive walk would write them.
  const stack: Array<{ entries: Array<[string, unknown]>; next: number; prefix: string }> = [{ entries: Object.entries(data), next: 0, prefix }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.next >= top.entries.length) {
      stack.pop();
      continue;
    }
    const [key, value] = top.entries[top.next++]!;
    const name = top.prefix ? `${top.prefix}.${key}` : key;
    if (value === null || value === undefined) out[name] = '';
    else if (typeof value === 'string') out[name] = value;
    else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') out[name] = String(value);
    else if (Array.isArray(value)) out[name] = jsonOrTooDeep(value);
    else if (typeof value === 'object') stack.push({ entries: Object.entries(value as Record<string, unknown>), next: 0, prefix: name });
    else out[name] = String(value);
  }
  return out;
}

/** What attached data shows for a value nested too deeply to be written. */
export const TOO_DEEP = '(nested too deeply to show)';

function jsonOrTooDeep(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return TOO_DEEP;
  }
}

function lower(word: string | undefined): string {
  return (word ?? '').toLowerCase();
}

// ---- chats ---------------------------------------------------------------------------------------

/** Chat states, lower-cased. "Chatting" is the document's [C]; the rest [I]. */
const CHAT_INVITED = new Set(['invited', 'ringing', 'offered', 'alerting', 'new', 'routing']);
const CHAT_ACTIVE = new Set(['chatting', 'accepted', 'established', 'talking', 'connected', 'consulting', 'joined', 'held']);
const CHAT_ENDED = new Set(['completed', 'revoked', 'left', 'released', 'ended', 'rejected', 'closed', 'finished', 'abandoned', 'idle']);

/**
 * A chat's desk state: `invited` until the agent accepted, `active` while in it, `ended` on
 * Completed / Revoked / Left / Released-type states. An unknown state is judged from the
 * capabilities (Accept offered → invited; anything else → active); `undefined` when nothing tells.
 */
export function chatStateOf(state: string | undefined, capabilities: readonly string[] | undefined): ChatState | undefined {
  const s = lower(state);
  if (CHAT_ENDED.has(s)) return 'ended';
  if (CHAT_INVITED.has(s)) return 'invited';
  if (CHAT_ACTIVE.has(s)) return 'active';
  if (!capabilities) return undefined;
  if (capabilities.includes('Accept')) return 'invited';
  return capabilities.length > 0 ? 'active' : undefined;
}

/** Capabilities → desk chat actions: Accept, Reject, SendMessage, Complete, Leave [C: document's list]. */
const CHAT_ACTIONS: ReadonlyArray<[string, ChatAction]> = [
  ['Accept', 'accept'],
  ['Reject', 'reject'],
  ['SendMessage', 'send'],
  ['Complete', 'complete'],
  ['Leave', 'leave'],
];

/** The desk actions a chat's `capabilities` allow, in a fixed order. */
export function chatActionsOf(capabilities: readonly string[] | undefined): ChatAction[] {
  if (!capabilities) return [];
  const set = new Set(capabilities);
  return CHAT_ACTIONS.filter(([word]) => set.has(word)).map(([, action]) => action);
}

/** Participant `type` → role. Customer, Agent [C]; Supervisor, Bot, System words [I]. */
export function participantRoleOf(type: string | undefined): ParticipantRole {
  switch (lower(type)) {
    case 'customer':
    case 'client':
    case 'external':
      return 'customer';
    case 'agent':
      return 'agent';
    case 'supervisor':
    case 'coach':
      return 'supervisor';
    case 'bot':
    case 'chatbot':
    case 'robot':
      return 'bot';
    default:
      return 'system';
  }
}

/** A Genesys participant as a desk participant (`id` = participantId, `name` = nickname). */
export function participantOf(p: GenesysParticipant | undefined): ChatParticipant {
  if (!p || (!p.participantId && !p.nickname)) return { id: 'system', name: 'System', role: 'system' };
  return {
    id: p.participantId ?? p.nickname ?? 'unknown',
    name: p.nickname ?? p.participantId ?? 'unknown',
    role: participantRoleOf(p.type),
  };
}

/** A chat resource → a chat patch (state, participants, actions, userData). Ended chats allow nothing. */
export function chatPatchOf(chat: GenesysChatResource): ChatPatch {
  const state = chatStateOf(chat.state, chat.capabilities);
  const patch: ChatPatch = { id: chat.id };
  if (state) patch.state = state;
  if (chat.participants) patch.participants = chat.participants.map(participantOf);
  if (chat.capabilities || state === 'ended') patch.actions = state === 'ended' ? [] : chatActionsOf(chat.capabilities);
  if (chat.userData) patch.userData = flattenUserData(chat.userData);
  return patch;
}

/**
 * Parses a GWS message time: `timestampSeconds` (really **milliseconds** [C]; a value below 1e11 is
 * taken as seconds [I]) or `timestamp` `"2014-01-09 11:58:12.035+0200"` (no zone → UTC [I]).
 * @returns epoch milliseconds, or `undefined`.
 */
export function messageTimeMs(message: Pick<GenesysChatMessage, 'timestamp' | 'timestampSeconds'>): number | undefined {
  const raw = message.timestampSeconds;
  if (typeof raw === 'number' && Number.isFinite(raw) && raw > 0) {
    const ms = raw < 1e11 ? Math.round(raw * 1000) : Math.round(raw);
    // Beyond the range of a date (±8.64e15 ms) it is no time at all: `new Date(ms).toISOString()`
    // threw a RangeError for 1e20 (found by fuzzing). The text timestamp is read instead.
    if (ms <= MAX_DATE_MS) return ms;
  }
  return parseGenesysTimestamp(message.timestamp);
}

/** The latest time a Date holds, ms since the epoch. */
const MAX_DATE_MS = 8.64e15;

/** `"2014-01-09 11:58:12.035+0200"` → 1389261492035. ISO-8601 strings are accepted too. */
export function parseGenesysTimestamp(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(text.trim());
  if (!m) {
    const t = Date.parse(text);
    return Number.isNaN(t) ? undefined : t;
  }
  let zone = m[3] ?? 'Z';
  if (/^[+-]\d{4}$/.test(zone)) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const t = Date.parse(`${m[1]}T${m[2]}${zone.toUpperCase()}`);
  return Number.isNaN(t) ? undefined : t;
}

/** Message types that are typing indicators, never shown [I]. */
const TYPING = new Set(['typingstarted', 'typingstopped', 'typingstart', 'typingstop']);

/**
 * The identity of a transcript line: the index **plus** what tells two lines with the same index
 * apart — sender, time (ms), type and text. The document's own `MessageLogUpdated` example repeats
 * `index: 3` for two different messages [C], so the index alone is not an identity. The same line
 * re-delivered (after a reconnect, or read again over REST) yields the same id.
 * The hash is a fast non-cryptographic one (`kit/hash.ts`): nothing about security rests on it.
 * @returns `"<index>-<16 hex>"`.
 */
export function messageIdOf(message: GenesysChatMessage): string {
  return messageIdWith(message, messageTimeMs(message));
}

/** {@link messageIdOf} with the line's time already read (`messageTimeMs`). */
function messageIdWith(message: GenesysChatMessage, ms: number | undefined): string {
  const parts = [message.index, message.from?.participantId ?? message.from?.nickname ?? null, ms ?? message.timestamp ?? null, message.type ?? null, message.text ?? null];
  return `${message.index}-${fastHashOf(parts)}`;
}

/**
 * Transcript entries → desk chat messages: `Text` lines are `text`; joins, leaves and other
 * system lines are `notice` (with a synthesised text when the server sends none); typing
 * indicators are dropped.
 * @param fallbackAt ISO time used when a line carries no time.
 */
export function chatMessagesOf(messages: readonly GenesysChatMessage[], fallbackAt: string): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const m of messages) {
    const type = lower(m.type);
    if (TYPING.has(type)) continue;
    const from = participantOf(m.from);
    const ms = messageTimeMs(m);
    const isText = type === '' || type === 'text' || type === 'message' || type === 'pushurl';
    let text = m.text ?? '';
    if (!isText && !text) {
      if (type === 'participantjoined') text = `${from.name} joined`;
      else if (type === 'participantleft') text = `${from.name} left`;
      else text = m.type ?? '';
    }
    out.push({
      id: messageIdWith(m, ms),
      index: m.index,
      from,
      text,
      at: ms === undefined ? fallbackAt : isoAt(ms),
      kind: isText ? 'text' : 'notice',
    });
  }
  return out;
}

/** The chat a `MessageLogUpdated` belongs to: `chatId`, `chat.id`, else the last segment of `chatUri` [C]. */
export function chatIdOfMessageLog(message: Pick<MessageLogUpdated, 'chatId' | 'chat' | 'chatUri'>): string | undefined {
  return message.chatId ?? message.chat?.id ?? lastPathSegment(message.chatUri);
}

/** The human text of a chat's `Error` notification [I: field names]. */
export function chatErrorText(data: ErrorTexts): string {
  return errorText(data) ?? 'Genesys reported an error on this chat';
}

/** The human text of a call's `Error` notification (a refused operation) [I: field names, as on chats]. */
export function callErrorText(data: ErrorTexts): string {
  return errorText(data) ?? 'Genesys reported an error on this call';
}

/** Where an `Error` notification may carry its text, first found wins [I]. */
type ErrorTexts = { errorMessage?: string; message?: string; statusMessage?: string; error?: string };

function errorText(data: ErrorTexts): string | undefined {
  return data.errorMessage ?? data.message ?? data.statusMessage ?? data.error;
}

// ---- calls ---------------------------------------------------------------------------------------

/** Call direction from `callType`: Inbound, Outbound, Internal, Consult [C]. */
export function callDirectionOf(callType: string | undefined): CallDirection | undefined {
  switch (lower(callType)) {
    case 'inbound':
      return 'inbound';
    case 'outbound':
      return 'outbound';
    case 'internal':
      return 'internal';
    case 'consult':
      return 'consult';
    default:
      return undefined;
  }
}

/**
 * Call state: Dialing → dialing; Ringing → ringing (an outbound call ringing at the far end →
 * dialing); Established → connected; Held → held; Released → ended [C].
 */
export function callStateOf(state: string, callType: string | undefined): CallState | undefined {
  switch (lower(state)) {
    case 'dialing':
      return 'dialing';
    case 'ringing':
      return lower(callType) === 'outbound' ? 'dialing' : 'ringing';
    case 'established':
    case 'talking':
      return 'connected';
    case 'held':
      return 'held';
    case 'released':
    case 'ended':
      return 'ended';
    default:
      return undefined;
  }
}

/**
 * Capability words → desk actions: Answer, Hangup, Hold, Retrieve [C: VENDOR-NOTES, "Messages"];
 * the call work operations [C: VENDOR-NOTES, "Call work beyond answer and hang-up", their names;
 * I: that a call names each in its `capabilities` when it allows it]. Either way of starting a
 * consultation offers `consult` (the desk asks for the purpose it needs).
 */
const CALL_ACTIONS: ReadonlyArray<[string, Call['actions'][number]]> = [
  ['Answer', 'answer'],
  ['Hangup', 'hangup'],
  ['Hold', 'hold'],
  ['Retrieve', 'retrieve'],
  ['InitiateTransfer', 'consult'],
  ['InitiateConference', 'consult'],
  ['SingleStepTransfer', 'blindTransfer'],
  ['CompleteTransfer', 'transfer'],
  ['CompleteConference', 'conference'],
  ['SendDTMF', 'sendDtmf'],
];

/**
 * The desk actions a call's `capabilities` allow, each once. On a consult call (`consult`), Hangup
 * also cancels the consultation (VENDOR-NOTES, "Call work": `Hangup` on the consult call, then
 * `Retrieve` on the original) [C].
 */
export function callActionsOf(capabilities: readonly string[] | undefined, consult = false): Call['actions'] {
  if (!capabilities) return [];
  const set = new Set(capabilities);
  const actions = new Set(CALL_ACTIONS.filter(([word]) => set.has(word)).map(([, action]) => action));
  if (consult && set.has('Hangup')) actions.add('cancelConsult');
  return [...actions];
}

/**
 * A conference's parties from a call's `participants` (`{number, role}` [C]), when there are more
 * than two (a two-party call is no conference): the agent's own number (`agentNumber`) is the agent,
 * the caller's (`ani` of an inbound call, else `dnis`) the customer, any other a colleague [I].
 */
export function partiesOf(call: GenesysCallResource, agentNumber?: string): CallParty[] | undefined {
  const numbers = (call.participants ?? []).map((p) => p.number ?? p.phoneNumber ?? p.formattedPhoneNumber).filter((n): n is string => Boolean(n));
  if (numbers.length <= 2) return undefined;
  const caller = lower(call.callType) === 'outbound' ? call.dnis : call.ani;
  return numbers.map((number, i): CallParty => ({
    id: `${i}:${number}`,
    number,
    role: number === agentNumber ? 'agent' : number === caller ? 'customer' : 'colleague',
  }));
}

/**
 * A call resource → a call patch (caller = ani, target = dnis; a consult call names its original,
 * `parentConnId` → `consultOf`; a conference lists its parties).
 * @param agentNumber the agent's own phone number, to tell the agent among a conference's parties.
 */
export function callPatchOf(call: GenesysCallResource, agentNumber?: string): CallPatch {
  const patch: CallPatch = { id: call.id };
  const state = callStateOf(call.state, call.callType);
  const direction = callDirectionOf(call.callType);
  if (state) patch.state = state;
  if (direction) patch.direction = direction;
  if (call.ani) patch.caller = call.ani;
  if (call.dnis) patch.target = call.dnis;
  if (call.parentConnId) patch.consultOf = call.parentConnId;
  if (call.capabilities || state === 'ended') patch.actions = state === 'ended' ? [] : callActionsOf(call.capabilities, call.parentConnId !== undefined);
  const parties = partiesOf(call, agentNumber);
  if (parties) patch.parties = parties;
  if (call.userData) patch.userData = flattenUserData(call.userData);
  if (state === 'ended') patch.endReason = 'released';
  return patch;
}

// ---- presence ------------------------------------------------------------------------------------

/**
 * What the agent's presence is folded from: the voice device's state and DND flag
 * (`DeviceStateChangeMessage`) and each channel's state (`ChannelStateChangeMessageV2`).
 */
export interface PresenceInputs {
  device?: { userState?: GenesysUserState; doNotDisturb?: boolean };
  channels: Record<string, GenesysUserState>;
}

/** The empty starting point of {@link foldDevices} / {@link foldChannels}. */
export const NO_PRESENCE_INPUTS: PresenceInputs = { channels: {} };

/** Folds a `DeviceStateChangeMessage` (first device = the agent's phone). Pure. */
export function foldDevices(inputs: PresenceInputs, message: Pick<DeviceStateChangeMessage, 'devices'>): PresenceInputs {
  const device = message.devices[0];
  if (!device) return inputs;
  const dnd = device.doNotDisturb === undefined ? inputs.device?.doNotDisturb : lower(device.doNotDisturb) === 'on';
  return { ...inputs, device: { userState: device.userState ?? inputs.device?.userState, doNotDisturb: dnd } };
}

/** Folds a `ChannelStateChangeMessageV2`. Pure. */
export function foldChannels(inputs: PresenceInputs, message: Pick<ChannelStateChangeMessage, 'channels'>): PresenceInputs {
  const channels = { ...inputs.channels };
  for (const ch of message.channels) if (ch.userState) channels[ch.channel] = ch.userState;
  return { ...inputs, channels };
}

function isWrapUp(s: GenesysUserState): boolean {
  return lower(s.workMode) === 'aftercallwork' || lower(s.state) === 'aftercallwork';
}

/** The vendor label of a state: its `displayName`, else `State (WorkMode)` / `State: reason`. */
export function userStateLabel(s: GenesysUserState): string {
  if (s.displayName) return s.displayName;
  const mode = s.workMode && lower(s.workMode) !== 'unknown' ? ` (${s.workMode})` : '';
  return `${s.state}${mode}`;
}

/**
 * One presence from the device and channel states, the least available winning: DND On →
 * do-not-disturb; any AfterCallWork → wrap-up; any NotReady → not-ready (with its reason);
 * Ready → ready; LoggedOut → offline [C: words; I: the ordering]. `undefined` when nothing is known.
 */
export function presenceOf(inputs: PresenceInputs): Presence | undefined {
  if (inputs.device?.doNotDisturb) return { state: 'do-not-disturb', label: 'Do Not Disturb' };
  const states = [inputs.device?.userState, ...Object.values(inputs.channels)].filter(
    (s): s is GenesysUserState => s !== undefined,
  );
  if (states.length === 0) return undefined;
  const pick = (p: (s: GenesysUserState) => boolean) => states.find(p);
  const wrap = pick(isWrapUp);
  if (wrap) return withReason({ state: 'wrap-up', label: userStateLabel(wrap) }, wrap);
  const notReady = pick((s) => lower(s.state) === 'notready');
  if (notReady) return withReason({ state: 'not-ready', label: userStateLabel(notReady) }, notReady);
  const ready = pick((s) => lower(s.state) === 'ready');
  if (ready) return { state: 'ready', label: userStateLabel(ready) };
  const out = pick((s) => lower(s.state) === 'loggedout' || lower(s.state) === 'logout');
  if (out) return { state: 'offline', label: userStateLabel(out) };
  const first = states[0]!;
  return withReason({ state: 'not-ready', label: userStateLabel(first) }, first);
}

function withReason(p: Presence, s: GenesysUserState): Presence {
  return s.reason ? { ...p, reason: s.reason } : p;
}

// ---- routing -------------------------------------------------------------------------------------

/**
 * Routes one chat or call notification to desk events. Device and channel notifications fold
 * into presence instead (see {@link foldDevices}, {@link foldChannels}, {@link presenceOf}) and
 * yield no event here.
 * - `ChatStateChangeMessage` → `chat` (an `Error` notification → the chat's `error`, shown on it).
 * - `MessageLogUpdated` → `chat.messages` (chat id from `chatUri`).
 * - `CallStateChangeMessage` → `call` (an `Error` notification → the call's `error`, shown on it).
 * @param now ISO time for lines without a time.
 * @param agentNumber the agent's phone number, to tell the agent among a conference's parties.
 */
export function routeNotification(notification: GenesysNotification, now: string, agentNumber?: string): ConnectorEvent[] {
  switch (notification.messageType) {
    case 'ChatStateChangeMessage': {
      const patch = chatPatchOf(notification.chat);
      if (lower(notification.notificationType) === 'error') patch.error = callErrorText(notification);
      return [{ type: 'chat', chat: patch }];
    }
    case 'MessageLogUpdated': {
      const chatId = chatIdOfMessageLog(notification);
      if (!chatId) return [];
      const messages = chatMessagesOf(notification.messages, now);
      return messages.length ? [{ type: 'chat.messages', chatId, messages }] : [];
    }
    case 'CallStateChangeMessage': {
      const patch = callPatchOf(notification.call, agentNumber);
      // A refused operation on a call [I: as on chats], shown on the call in Genesys' words.
      if (lower(notification.notificationType) === 'error') patch.error = callErrorText(notification);
      return [{ type: 'call', call: patch }];
    }
    default:
      return [];
  }
}

/** The outcome of {@link parseGenesysMessage}. */
export type GenesysMessageParse =
  | { ok: true; message: GenesysNotification }
  | { ok: false; ignored: boolean; messageType: string | undefined; issues?: string };

/**
 * Validates a whole CometD message as delivered on `/v2/me/*` (`{ channel, data }`, the document's
 * shape) — or a bare `data` element. Never throws. See {@link parseNotification}.
 */
export function parseGenesysMessage(message: unknown): GenesysMessageParse {
  const data =
    typeof message === 'object' && message !== null && 'data' in message && !('messageType' in message)
      ? (message as { data: unknown }).data
      : message;
  const result = parseNotification(data);
  if (result.ok) return { ok: true, message: result.notification };
  return result.ignored
    ? { ok: false, ignored: true, messageType: result.messageType }
    : { ok: false, ignored: false, messageType: result.messageType, issues: result.issues };
}

/**
 * {@link routeNotification} with the clock as the fallback time (for benchmarks and scripts).
 * @param now ISO time for transcript lines without a time (default: now).
 */
export function routeGenesysMessage(message: GenesysNotification, now: string = new Date().toISOString()): ConnectorEvent[] {
  return routeNotification(message, now);
}
