/**
 * Pure read-only views of the desk state, shared by the tray model, the alert policy and the
 * renderer. No Node, no DOM.
 */
import type { Account, Call, Callback, DeskState, PresenceState } from './model.js';

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
  return (['ready', 'not-ready', 'wrap-up', 'do-not-disturb', 'offline'] as const).filter((p) => accepted.has(p));
}

const CALL_ORDER: Record<Call['state'], number> = { ringing: 0, dialing: 1, connected: 2, held: 3, ended: 4 };

/** Live calls of every account: ringing first, then by start time (oldest first). */
export function activeCalls(state: DeskState): Call[] {
  return Object.values(state.calls).sort(
    (a, b) => CALL_ORDER[a.state] - CALL_ORDER[b.state] || a.startedAt.localeCompare(b.startedAt),
  );
}

/**
 * Open callbacks in the order an agent works them: those with a due time first (earliest due
 * first, so overdue ones lead), then the rest newest first.
 */
export function callbacksInOrder(state: DeskState): Callback[] {
  return Object.values(state.callbacks).sort((a, b) => {
    if (a.dueAt && b.dueAt) return a.dueAt.localeCompare(b.dueAt);
    if (a.dueAt) return -1;
    if (b.dueAt) return 1;
    return b.createdAt.localeCompare(a.createdAt);
  });
}

/** Accounts that need the agent's attention: reconnecting or failed. */
export function troubledAccounts(state: DeskState): Account[] {
  return Object.values(state.accounts).filter((a) => a.connection === 'reconnecting' || a.connection === 'failed');
}
