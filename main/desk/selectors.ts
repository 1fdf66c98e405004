/**
 * Pure read-only views of the desk state, shared by the tray model, the alert policy and the
 * renderer. No Node, no DOM.
 */
import { PRESENCE_LABELS, PRESENCE_STATES, type Account, type Call, type Callback, type DeskState, type Presence, type PresenceReason, type PresenceState } from './model.js';

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

const CALL_ORDER: Record<Call['state'], number> = { ringing: 0, dialing: 1, queued: 2, connected: 3, held: 4, ended: 5 };

/** Live calls of every account: ringing first, then by start time (oldest first). */
export function activeCalls(state: DeskState): Call[] {
  return Object.values(state.calls).sort(
    (a, b) => CALL_ORDER[a.state] - CALL_ORDER[b.state] || a.startedAt.localeCompare(b.startedAt) || a.key.localeCompare(b.key),
  );
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
export function presenceText(presence: Presence | undefined): string {
  if (!presence) return 'Presence unknown';
  const canonical = PRESENCE_LABELS[presence.state];
  const vendor = presence.label.trim();
  return vendor && vendor.toLowerCase() !== canonical.toLowerCase() ? `${canonical} · ${vendor}` : canonical;
}

/** Accounts that need the agent's attention: reconnecting or failed. */
export function troubledAccounts(state: DeskState): Account[] {
  return Object.values(state.accounts).filter((a) => a.connection === 'reconnecting' || a.connection === 'failed');
}
