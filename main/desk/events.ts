/**
 * The events connectors emit, in the desk's vocabulary. A connector never builds desk keys or
 * knows its account id: it emits a {@link ConnectorEvent}; the desk stamps the account on it and
 * hands the resulting {@link DeskEvent} to the store.
 *
 * Entity events are patches: they carry the entity's platform id and whatever fields the vendor
 * event told us. The store merges them into what it already knows, so the several events one call
 * produces (arrived → allocated → connected → disconnected) fold into one call.
 */
import type {
  AccountPrompt,
  Call,
  CallWorkAction,
  Callback,
  Chat,
  ChatMessage,
  ConnectionState,
  Presence,
  PresenceReason,
  PresenceState,
  Queue,
  Said,
  SubscriptionIssue,
  TeamMember,
  WrapUp,
  WrapUpReason,
} from '../../common/model.js';

type Patch<T, Omitted extends keyof T> = { id: string } & Partial<Omit<T, Omitted | 'id'>>;

/** A call patch: the platform call id plus what this event says. */
export type CallPatch = Patch<Call, 'key' | 'accountId'>;
/** A chat patch (messages travel separately in `chat.messages`). */
export type ChatPatch = Patch<Chat, 'key' | 'accountId' | 'messages' | 'unread'>;
/** A full callback request, as platforms send it (the whole item on every change). */
export type CallbackData = Omit<Callback, 'key' | 'accountId'>;
/** A queue's figures; the name may be absent from events that only carry counters. */
export type QueuePatch = Patch<Queue, 'key' | 'accountId'>;
export type TeamMemberData = Omit<TeamMember, 'key' | 'accountId'>;

/** What a connector emits. */
export type ConnectorEvent =
  /** The connection changed state (see {@link ConnectionState}). */
  | { type: 'connection'; state: ConnectionState; reason?: string; said?: Said; attempt?: number; nextAttemptAt?: string }
  /** The agent's presence on this platform. */
  | { type: 'presence'; presence: Presence }
  /** Which presence states this platform accepts from the agent (may change with capabilities). */
  | { type: 'presence.options'; options: PresenceState[] }
  /** What the platform lets the agent do changed at run time (e.g. the server turned click-to-dial off). */
  | { type: 'account.capabilities'; canDial?: boolean; callControl?: boolean; callWork?: CallWorkAction[] }
  /** Whether the platform sees the agent talking (on a call), where it reports that apart from calls. */
  | { type: 'talking'; talking: boolean }
  /** Wrap-up (ACW) began (`wrapUp`) or ended (`null`). */
  | { type: 'wrapup'; wrapUp: WrapUp | null }
  /**
   * The wrap-up reasons the agent may give a call on this account (the platform's own, or the
   * account's configured ones), and whether one is required before leaving wrap-up; replaces the previous list.
   */
  | { type: 'wrapup.reasons'; reasons: WrapUpReason[]; required: boolean }
  /** Subscriptions the platform refused; replaces the previous list. */
  | { type: 'subscriptions'; issues: SubscriptionIssue[] }
  | { type: 'call'; call: CallPatch }
  /**
   * The platform's full list of current calls (after a reconnect): calls of this account not in
   * the list have ended while we were away.
   */
  | { type: 'calls.sync'; calls: CallPatch[] }
  | { type: 'chat'; chat: ChatPatch }
  /** New transcript lines; duplicates (same message id) are dropped by the store. */
  | { type: 'chat.messages'; chatId: string; messages: ChatMessage[] }
  /** The full list of current chats (after a reconnect); missing ones have ended. */
  | { type: 'chats.sync'; chats: ChatPatch[] }
  /** A callback was created or changed; `closed: true` takes it off the desk. */
  | { type: 'callback'; callback: CallbackData; closed: boolean }
  /** The full list of open callbacks (after a reconnect); replaces this account's callbacks. */
  | { type: 'callbacks.sync'; callbacks: CallbackData[] }
  | { type: 'queue'; queue: QueuePatch }
  /** The full list of the agent's queues; replaces this account's queues. */
  | { type: 'queues.sync'; queues: QueuePatch[] }
  /** A colleague appeared or changed. */
  | { type: 'team'; member: TeamMemberData }
  /** A colleague left the team or the watch list. */
  | { type: 'team.remove'; memberId: string }
  /** The full team (after a reconnect, or a report's first answer); replaces this account's team. */
  | { type: 'team.sync'; members: TeamMemberData[] }
  /** The reasons the agent may give with a presence; replaces the previous list. */
  | { type: 'presence.reasons'; reasons: PresenceReason[] }
  /** A question for the agent (`null`: withdrawn or answered). */
  | { type: 'prompt'; prompt: AccountPrompt | null };

/** A connector event stamped with its account and the desk's receive time (ISO). */
export type DeskEvent = ConnectorEvent & { accountId: string; at: string };
