/**
 * Pure read-only views of the desk state, shared by the tray model (`main/desk/tray.ts`) and the
 * window (`renderer/lib/select.ts`, `presence.ts`, the presence bar), so the tray's status line and
 * the window's never disagree. In `common/`: no Node, no DOM, nothing outside `common/`.
 */
import { entityKey, PRESENCE_LABELS, PRESENCE_STATES, type Account, type Call, type Callback, type Chat, type DeskState, type Presence, type PresenceReason, type PresenceState } from './model.js';

/**
 * The agent's presence across accounts: the state every connected account that reports a presence
 * agrees on; `mixed` when they differ; `undefined` when none reports one.
 */
export function agentPresence(state: DeskState): PresenceState | 'mixed' | undefined {
  let shared: PresenceState | undefined;
  for (const account of Object.values(state.accounts)) {
    if (account.connection !== 'connected' || !account.presence) continue;
    if (shared === undefined) shared = account.presence.state;
    else if (shared !== account.presence.state) return 'mixed';
  }
  return shared;
}

/** Presence states at least one account accepts from the agent, in menu order. */
export function selectablePresences(state: DeskState): PresenceState[] {
  const accepted = new Set(Object.values(state.accounts).flatMap((a) => a.presenceOptions));
  return PRESENCE_STATES.filter((p) => accepted.has(p));
}

/**
 * The reasons the agent can give with a presence, from every connected account that offers that
 * presence, once per code, in the order the platforms list them.
 */
export function presenceReasons(state: DeskState, presence: PresenceState): PresenceReason[] {
  const seen = new Set<string>();
  const out: PresenceReason[] = [];
  for (const account of Object.values(state.accounts)) {
    if (account.connection !== 'connected' || !account.presenceOptions.includes(presence)) continue;
    for (const reason of account.presenceReasons) {
      if (reason.state !== presence || seen.has(reason.code)) continue;
      seen.add(reason.code);
      out.push(reason);
    }
  }
  return out;
}

/**
 * A chat by its desk key, live or ended (the desk keeps them in two slices, `chats` and
 * `endedChats`, under the same key); `undefined` when it is on neither.
 */
export function chatOf(state: Pick<DeskState, 'chats' | 'endedChats'>, key: string): Chat | undefined {
  return state.chats[key] ?? state.endedChats[key];
}

/** Every chat on the desk, live ones first, then ended ones (each slice in its own order). */
export function allChats(state: Pick<DeskState, 'chats' | 'endedChats'>): Chat[] {
  return [...Object.values(state.chats), ...Object.values(state.endedChats)];
}

const CALL_ORDER: Record<Call['state'], number> = { ringing: 0, dialing: 1, queued: 2, connected: 3, held: 4, ended: 5 };

/** Live calls of every account: ringing first, then by start time (oldest first). */
export function activeCalls(state: DeskState): Call[] {
  return Object.values(state.calls).sort(
    (a, b) => CALL_ORDER[a.state] - CALL_ORDER[b.state] || a.startedAt.localeCompare(b.startedAt) || a.key.localeCompare(b.key),
  );
}

/**
 * The far end of a call: who called in, or whom the agent called (an outbound call, the agent's own
 * consultation leg); undefined when the platform names no one.
 */
export function farEnd(call: Call): string | undefined {
  const placed = call.direction === 'outbound' || call.consultOf !== undefined;
  return (placed ? (call.target ?? call.caller) : (call.caller ?? call.target)) || undefined;
}

/** A consultation in progress: the held call it is about (`original`) and the consultation leg. */
export type Consultation = { original: Call; consult: Call };

/**
 * The consultation a live call takes part in, from either leg: the leg that names its original
 * (`consultOf`) and that original, both still on the desk. `undefined` when there is none.
 */
export function consultationOf(state: Pick<DeskState, 'calls'>, callKey: string): Consultation | undefined {
  const call = state.calls[callKey];
  if (!call) return undefined;
  if (call.consultOf !== undefined) {
    const original = state.calls[entityKey(call.accountId, call.consultOf)];
    return original ? { original, consult: call } : undefined;
  }
  for (const key in state.calls) {
    const other = state.calls[key]!;
    if (other.accountId === call.accountId && other.consultOf === call.id) return { original: call, consult: other };
  }
  return undefined;
}

/**
 * The live calls as the window lists them: a call alone, or a consultation's two legs together
 * (in the place of the original), in {@link activeCalls}' order.
 */
export type CallGroup = { kind: 'call'; call: Call } | ({ kind: 'consultation' } & Consultation);

/** Live calls grouped for the window (see {@link CallGroup}). */
export function callGroups(state: DeskState): CallGroup[] {
  const calls = activeCalls(state);
  const paired = new Map<string, Consultation>();
  for (const call of calls) {
    if (call.consultOf === undefined) continue;
    const original = state.calls[entityKey(call.accountId, call.consultOf)];
    if (original && !paired.has(original.key)) paired.set(original.key, { original, consult: call });
  }
  const legs = new Set([...paired.values()].map((c) => c.consult.key));
  const groups: CallGroup[] = [];
  for (const call of calls) {
    if (legs.has(call.key)) continue;
    const consultation = paired.get(call.key);
    groups.push(consultation ? { kind: 'consultation', ...consultation } : { kind: 'call', call });
  }
  return groups;
}

/** Whether a callback is due (or overdue) at `nowMs` (epoch ms). */
export function isDue(callback: Callback, nowMs: number): boolean {
  const due = callback.dueAt ? Date.parse(callback.dueAt) : Number.NaN;
  return !Number.isNaN(due) && due <= nowMs;
}

/**
 * Open callbacks in the order an agent works them: due and overdue ones first (earliest due
 * first), then the rest newest first.
 * @param nowMs the present, epoch ms.
 */
export function callbacksInOrder(state: DeskState, nowMs: number): Callback[] {
  return Object.values(state.callbacks).sort((a, b) => {
    const aDue = isDue(a, nowMs);
    const bDue = isDue(b, nowMs);
    if (aDue !== bDue) return aDue ? -1 : 1;
    if (aDue) return Date.parse(a.dueAt!) - Date.parse(b.dueAt!) || a.key.localeCompare(b.key);
    return Date.parse(b.createdAt) - Date.parse(a.createdAt) || a.key.localeCompare(b.key);
  });
}

/** "Not ready · BRB": the canonical label, plus the platform's own word when it says something else. */
export function presenceText(presence: Presence | undefined, words: PresenceWords = ENGLISH_PRESENCE): string {
  const { state, platform } = presenceParts(presence, words);
  return platform ? `${state} · ${platform}` : state;
}

/**
 * {@link presenceText} in its two parts: the canonical state in `words`, and the platform's own
 * word as the server sent it (absent when it only repeats the state, in English as platforms say
 * it or in the agent's language), for a window that marks the platform's word as not translated.
 */
export function presenceParts(presence: Presence | undefined, words: PresenceWords = ENGLISH_PRESENCE): { state: string; platform?: string } {
  if (!presence) return { state: words.unknown };
  const canonical = words.state(presence.state);
  const vendor = presence.label.trim();
  const said = vendor.toLowerCase();
  const repeats = !said || said === PRESENCE_LABELS[presence.state].toLowerCase() || said === canonical.toLowerCase();
  return repeats ? { state: canonical } : { state: canonical, platform: vendor };
}

/** The words {@link presenceText} says a presence in: the canonical states and "unknown" (a window's or a tray's language). */
export type PresenceWords = { state: (state: PresenceState) => string; unknown: string };

/** {@link PresenceWords} in English, as the logs and the tests say them. */
export const ENGLISH_PRESENCE: PresenceWords = { state: (state) => PRESENCE_LABELS[state], unknown: 'Presence unknown' };

/** Accounts that need the agent's attention: reconnecting or failed. */
export function troubledAccounts(state: DeskState): Account[] {
  return Object.values(state.accounts).filter((a) => a.connection === 'reconnecting' || a.connection === 'failed');
}

/**
 * What the agent is doing, beside the presence they chose (issue 11, point 2): the thing that
 * takes them, most pressing first — a connected or held call on any account, a call ringing, wrap-up
 * (after-call work), an active chat. `undefined` when none.
 *
 * - `on-call`: `since` is when the longest-running live call was connected (ISO), `held` whether
 *   every live call is on hold; `calls` how many are connected or held. An account that reports the
 *   agent talking (`Account.talking`) with none of its calls on the desk counts too, with no `since`.
 * - `ringing`: how many calls ring (stale ones left out: they may have ended).
 * - `wrap-up`: from `Account.wrapUp` (the earliest-ending one, else the earliest-started): `endsAt`
 *   when the platform limits it (a countdown), else only `startedAt` (elapsed time).
 * - `chat`: how many chats the agent is in (`active`).
 */
export type AgentActivity =
  | { kind: 'on-call'; calls: number; held: boolean; since?: string; accountId?: string }
  | { kind: 'ringing'; calls: number }
  | { kind: 'wrap-up'; startedAt: string; endsAt?: string; accountId: string }
  | { kind: 'chat'; chats: number };

/** What the agent is doing right now across every account (see {@link AgentActivity}). */
export function agentActivity(state: DeskState): AgentActivity | undefined {
  const live = Object.values(state.calls).filter((c) => !c.stale);
  const onCall = live.filter((c) => c.state === 'connected' || c.state === 'held');
  if (onCall.length) {
    let first: Call | undefined;
    let firstAt = Number.POSITIVE_INFINITY;
    for (const call of onCall) {
      const at = Date.parse(call.connectedAt ?? call.startedAt);
      if (!Number.isNaN(at) && at < firstAt) [first, firstAt] = [call, at];
    }
    const since = first ? (first.connectedAt ?? first.startedAt) : undefined;
    return {
      kind: 'on-call',
      calls: onCall.length,
      held: onCall.every((c) => c.state === 'held'),
      ...(since ? { since } : {}),
      accountId: (first ?? onCall[0]!).accountId,
    };
  }
  // A platform that says the agent is talking but shows no call here (its calls are elsewhere); one
  // with a call on the desk says more with the call (some say "talking" while it still rings).
  const talking = Object.values(state.accounts).find((a) => a.connection === 'connected' && a.talking && !live.some((c) => c.accountId === a.id));
  if (talking) return { kind: 'on-call', calls: 1, held: false, accountId: talking.id };
  const ringing = live.filter((c) => c.state === 'ringing').length;
  if (ringing) return { kind: 'ringing', calls: ringing };
  let wrap: { account: Account; endsAt: number; startedAt: number } | undefined;
  for (const account of Object.values(state.accounts)) {
    if (!account.wrapUp || account.connection !== 'connected') continue;
    const endsAt = account.wrapUp.endsAt ? Date.parse(account.wrapUp.endsAt) : Number.POSITIVE_INFINITY;
    const startedAt = Date.parse(account.wrapUp.startedAt);
    const candidate = { account, endsAt: Number.isNaN(endsAt) ? Number.POSITIVE_INFINITY : endsAt, startedAt: Number.isNaN(startedAt) ? 0 : startedAt };
    if (!wrap || candidate.endsAt < wrap.endsAt || (candidate.endsAt === wrap.endsAt && candidate.startedAt < wrap.startedAt)) wrap = candidate;
  }
  if (wrap?.account.wrapUp) {
    const { startedAt, endsAt } = wrap.account.wrapUp;
    return { kind: 'wrap-up', startedAt, ...(endsAt && Number.isFinite(wrap.endsAt) ? { endsAt } : {}), accountId: wrap.account.id };
  }
  const chats = Object.values(state.chats).filter((c) => c.state === 'active').length;
  if (chats) return { kind: 'chat', chats };
  return undefined;
}

/** `mm:ss`, or `h:mm:ss` past an hour, for a number of seconds (negatives count as zero). */
export function durationText(totalSec: number): string {
  const sec = Math.max(0, Math.floor(totalSec));
  const h = Math.floor(sec / 3600);
  const mm = String(Math.floor((sec % 3600) / 60)).padStart(2, '0');
  const ss = String(sec % 60).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/**
 * The words for an activity, the same in the window and the tray: "On a call 03:12", "On hold
 * 00:20", "Ringing", "2 calls ringing", "Wrap-up 00:42 left" (a limited wrap-up counts down),
 * "Wrap-up 01:10" (an open-ended one counts up), "In a chat", "In 2 chats".
 * @param nowMs the present, epoch ms; `undefined` leaves the time out (a desk that is not live).
 */
export function activityText(activity: AgentActivity, nowMs: number | undefined): string {
  const elapsed = (iso: string | undefined): string => {
    const t = iso ? Date.parse(iso) : Number.NaN;
    return nowMs === undefined || Number.isNaN(t) ? '' : ` ${durationText((nowMs - t) / 1000)}`;
  };
  switch (activity.kind) {
    case 'on-call': {
      const words = activity.held ? 'On hold' : activity.calls > 1 ? `On ${activity.calls} calls` : 'On a call';
      return `${words}${elapsed(activity.since)}`;
    }
    case 'ringing':
      return activity.calls > 1 ? `${activity.calls} calls ringing` : 'Ringing';
    case 'wrap-up': {
      if (activity.endsAt) {
        const end = Date.parse(activity.endsAt);
        // Whole seconds left, as the wrap-up card counts them.
        return nowMs === undefined || Number.isNaN(end) ? 'Wrap-up' : `Wrap-up ${durationText((end - nowMs) / 1000)} left`;
      }
      return `Wrap-up${elapsed(activity.startedAt)}`;
    }
    case 'chat':
      return activity.chats > 1 ? `In ${activity.chats} chats` : 'In a chat';
  }
}
