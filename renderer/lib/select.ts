/** Pure selectors over the desk state: what the window lists, in which order. */
import { PRESENCE_LABELS, PRESENCE_STATES } from '../../main/desk/model.js';
import type {
  Account,
  Call,
  CallAction,
  Callback,
  Chat,
  ChatAction,
  ChatParticipant,
  DeskState,
  Presence,
  PresenceState,
  Queue,
} from '../../preload/bridge.js';

/** The agent's presence: the state every connected account reports, `mixed`, or `unknown`. */
export type AgentPresence = PresenceState | 'mixed' | 'unknown';

export function agentPresence(state: DeskState): AgentPresence {
  const states = new Set<PresenceState>();
  for (const account of Object.values(state.accounts)) {
    if (account.connection === 'connected' && account.presence) states.add(account.presence.state);
  }
  if (states.size === 0) return 'unknown';
  if (states.size > 1) return 'mixed';
  return [...states][0] ?? 'unknown';
}

/** Presence states any connected account accepts from the agent, in menu order. */
export function acceptedPresence(state: DeskState): Set<PresenceState> {
  const accepted = new Set<PresenceState>();
  for (const account of Object.values(state.accounts)) {
    if (account.connection !== 'connected') continue;
    for (const option of account.presenceOptions) accepted.add(option);
  }
  return new Set(PRESENCE_STATES.filter((s) => accepted.has(s)));
}

/** "Not ready · BRB": the canonical label, plus the platform's own when it says something else. */
export function presenceText(presence: Presence | undefined): string {
  if (!presence) return 'No presence';
  const canonical = PRESENCE_LABELS[presence.state];
  const vendor = presence.label.trim();
  return vendor && vendor.toLowerCase() !== canonical.toLowerCase() ? `${canonical} · ${vendor}` : canonical;
}

export const CONNECTION_LABELS: Readonly<Record<Account['connection'], string>> = {
  connecting: 'Connecting',
  connected: 'Connected',
  reconnecting: 'Reconnecting',
  failed: 'Failed',
  stopped: 'Stopped',
};

const CALL_STATE_ORDER: Readonly<Record<Call['state'], number>> = {
  ringing: 0,
  dialing: 1,
  connected: 2,
  held: 3,
  ended: 4,
};

/** Live calls of every account: ringing first, then by when they started. */
export function sortedCalls(state: DeskState): Call[] {
  return Object.values(state.calls)
    .filter((call) => call.state !== 'ended')
    .sort(
      (a, b) =>
        CALL_STATE_ORDER[a.state] - CALL_STATE_ORDER[b.state] ||
        Date.parse(a.startedAt) - Date.parse(b.startedAt) ||
        a.key.localeCompare(b.key),
    );
}

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
  return chatCustomer(chat)?.name || chat.userData['name'] || 'Visitor';
}

/** When a chat last moved: its newest message, else when it started. */
export function chatActivity(chat: Chat): number {
  const last = chat.messages.at(-1);
  const t = Date.parse(last?.at ?? chat.startedAt);
  return Number.isNaN(t) ? 0 : t;
}

const CHAT_STATE_ORDER: Readonly<Record<Chat['state'], number>> = { invited: 0, active: 1, ended: 2 };

/** Chats: offered first, then active, then ended; most recently active first within each. */
export function sortedChats(state: DeskState): Chat[] {
  return Object.values(state.chats).sort(
    (a, b) =>
      CHAT_STATE_ORDER[a.state] - CHAT_STATE_ORDER[b.state] ||
      chatActivity(b) - chatActivity(a) ||
      a.key.localeCompare(b.key),
  );
}

/** Whether a callback is due (or overdue) at `now`. */
export function isDue(callback: Callback, now: number): boolean {
  const due = callback.dueAt ? Date.parse(callback.dueAt) : NaN;
  return !Number.isNaN(due) && due <= now;
}

/** Callbacks: due and overdue first (earliest due first), then the newest first. */
export function sortedCallbacks(state: DeskState, now: number): Callback[] {
  return Object.values(state.callbacks).sort((a, b) => {
    const aDue = isDue(a, now);
    const bDue = isDue(b, now);
    if (aDue !== bDue) return aDue ? -1 : 1;
    if (aDue && bDue) return Date.parse(a.dueAt ?? '') - Date.parse(b.dueAt ?? '') || a.key.localeCompare(b.key);
    return Date.parse(b.createdAt) - Date.parse(a.createdAt) || a.key.localeCompare(b.key);
  });
}

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
