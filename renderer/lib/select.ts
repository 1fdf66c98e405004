/** Pure selectors over the desk state: what the window lists, in which order. */
import { PRESENCE_KEYS } from '../../common/i18n.js';
import { activeCalls, allChats, callbacksInOrder, isDue, presenceParts as sharedPresenceParts, presenceText as sharedPresenceText, type PresenceWords } from '../../common/selectors.js';
import { labels, t } from './i18n.js';
import type {
  Account,
  CallAction,
  Chat,
  ChatAction,
  ChatParticipant,
  DeskState,
  Presence,
  PresenceState,
  Queue,
} from '../../preload/bridge.js';

/** An account's presence in words, in the active language: the canonical state, and the platform's own word when it says more. */
export function presenceText(presence: Presence | undefined): string {
  return sharedPresenceText(presence, presenceWords());
}

/** {@link presenceText} in parts: the state in the active language, the platform's word as sent. */
export function presenceParts(presence: Presence | undefined): { state: string; platform?: string } {
  return sharedPresenceParts(presence, presenceWords());
}

function presenceWords(): PresenceWords {
  return { state: (state) => PRESENCE_LABELS[state], unknown: t('presence.unknown') };
}

/** The canonical presence states in the active language (reactive). */
export const PRESENCE_LABELS: Readonly<Record<PresenceState, string>> = labels(PRESENCE_KEYS);

export const CONNECTION_LABELS: Readonly<Record<Account['connection'], string>> = labels({
  connecting: 'connection.connecting',
  connected: 'connection.connected',
  reconnecting: 'connection.reconnecting',
  failed: 'connection.failed',
  stopped: 'connection.stopped',
});

/** Live calls of every account: ringing first, then by when they started. */
export const sortedCalls = activeCalls;

/** The order call buttons appear in. */
export const CALL_ACTION_ORDER: readonly CallAction[] = ['answer', 'retrieve', 'hold', 'hangup'];

/** The order chat buttons appear in. */
export const CHAT_COMMAND_ORDER = ['accept', 'reject', 'complete', 'leave'] as const satisfies readonly ChatAction[];

/** The person the agent is talking to: the customer, else the first participant who is not an agent. */
export function chatCustomer(chat: Chat): ChatParticipant | undefined {
  return (
    chat.participants.find((p) => p.role === 'customer') ??
    chat.participants.find((p) => p.role !== 'agent' && p.role !== 'system') ??
    chat.messages.find((m) => m.from.role === 'customer')?.from
  );
}

export function chatTitle(chat: Chat): string {
  return chatCustomer(chat)?.name || chat.userData['name'] || t('chats.visitor');
}

/**
 * Each chat's activity as read once: a chat is a value in the desk's state (a change makes a new
 * one), and the chats are sorted again on nearly every change of the desk under load, which parsed
 * the same times some ten times per chat per sort (issue 21).
 */
const activityRead = new WeakMap<Chat, number>();

/** When a chat last moved: its newest message, else when it started (epoch ms; 0 when unreadable). */
export function chatActivity(chat: Chat): number {
  let at = activityRead.get(chat);
  if (at === undefined) {
    const last = chat.messages.at(-1);
    const t = Date.parse(last?.at ?? chat.startedAt);
    at = Number.isNaN(t) ? 0 : t;
    activityRead.set(chat, at);
  }
  return at;
}

const CHAT_STATE_ORDER: Readonly<Record<Chat['state'], number>> = { invited: 0, active: 1, ended: 2 };

/** Chats, live and ended: offered first, then active, then ended; most recently active first within each. */
export function sortedChats(state: DeskState): Chat[] {
  return allChats(state).sort(
    (a, b) =>
      CHAT_STATE_ORDER[a.state] - CHAT_STATE_ORDER[b.state] ||
      chatActivity(b) - chatActivity(a) ||
      a.key.localeCompare(b.key),
  );
}

export { isDue };

/** Callbacks: due and overdue first (earliest due first), then the newest first. */
export const sortedCallbacks = callbacksInOrder;

const QUEUE_OPEN_ORDER: Readonly<Record<Queue['open'], number>> = { open: 0, unknown: 1, closed: 2 };

/** Queues: open ones first, the busiest (most waiting, then longest wait) first, then by name. */
export function sortedQueues(state: DeskState): Queue[] {
  return Object.values(state.queues).sort(
    (a, b) =>
      QUEUE_OPEN_ORDER[a.open] - QUEUE_OPEN_ORDER[b.open] ||
      b.waiting - a.waiting ||
      b.longestWaitSec - a.longestWaitSec ||
      a.name.localeCompare(b.name) ||
      a.key.localeCompare(b.key),
  );
}

/**
 * `next`, or `before` itself when it holds the same items in the same order: a list derived again
 * on every change of the desk (or tick of the clock) keeps its identity while what it lists did not
 * change, so nothing that reads it works again (issue 21: derived lists keep their identity).
 */
export function sameOrNew<T>(before: readonly T[] | undefined, next: T[]): T[] {
  if (!before || before.length !== next.length) return next;
  for (let i = 0; i < next.length; i++) if (before[i] !== next[i]) return next;
  return before as T[];
}
