/**
 * What the presence controls offer and show: the accounts whose presence the window sets, the
 * reasons the agent may give, and the reason an account reports, as one of those codes.
 */
import { PRESENCE_STATES } from '../../common/model.js';
import { presenceReasons } from '../../common/selectors.js';
import type { Account, DeskState, PresenceReason, PresenceState } from '../../preload/bridge.js';

/** The presence states a reason can go with. */
export type ReasonState = PresenceReason['state'];
export const REASON_STATES: readonly ReasonState[] = ['not-ready', 'offline'];

export function isReasonState(state: string): state is ReasonState {
  return (REASON_STATES as readonly string[]).includes(state);
}

/** What a presence control shows: a state, `mixed` (accounts differ) or `unknown` (none reports one). */
export type ShownPresence = PresenceState | 'mixed' | 'unknown';

/** Connected accounts whose presence the window can set (the others' is set elsewhere). */
export function settableAccounts(state: DeskState): Account[] {
  return Object.values(state.accounts).filter((a) => a.connection === 'connected' && a.presenceOptions.length > 0);
}

/**
 * The presence the agent-wide control shows: the state every account it sets agrees on, `mixed`
 * when they differ. With no such account, what the others report (read-only, then).
 */
export function sharedPresence(state: DeskState): ShownPresence {
  const settable = settableAccounts(state);
  const among = settable.length ? settable : Object.values(state.accounts).filter((a) => a.connection === 'connected');
  let shared: PresenceState | undefined;
  for (const account of among) {
    if (!account.presence) continue;
    if (shared === undefined) shared = account.presence.state;
    else if (shared !== account.presence.state) return 'mixed';
  }
  return shared ?? 'unknown';
}

/** Presence states some connected account accepts from the agent, in menu order. */
export function acceptedStates(accounts: readonly Account[]): Set<PresenceState> {
  const accepted = new Set<PresenceState>();
  for (const account of accounts) {
    if (account.connection !== 'connected') continue;
    for (const option of account.presenceOptions) accepted.add(option);
  }
  return new Set(PRESENCE_STATES.filter((s) => accepted.has(s)));
}

/** The reasons every connected account offers, not-ready ones first, once per state and code. */
export function deskReasons(state: DeskState): PresenceReason[] {
  return REASON_STATES.flatMap((s) => presenceReasons(state, s));
}

/** One account's reasons, for the states it accepts. */
export function accountReasons(account: Account): PresenceReason[] {
  return REASON_STATES.flatMap((s) => (account.presenceOptions.includes(s) ? account.presenceReasons.filter((r) => r.state === s) : []));
}

/**
 * The code of the reason an account reports (platforms report the reason's label, or its code),
 * when it is one of `reasons` for the state it is in.
 */
export function reportedReason(account: Account, reasons: readonly PresenceReason[]): string | undefined {
  const presence = account.presence;
  if (!presence?.reason || !isReasonState(presence.state)) return undefined;
  const said = presence.reason.trim().toLowerCase();
  const fits = reasons.filter((r) => r.state === presence.state);
  return (fits.find((r) => r.label.trim().toLowerCase() === said) ?? fits.find((r) => r.code.toLowerCase() === said))?.code;
}

/** The reason the agent-wide control shows: the first account in `shown` that reports one of `reasons`. */
export function sharedReason(state: DeskState, shown: ShownPresence, reasons: readonly PresenceReason[]): string | undefined {
  if (!isReasonState(shown)) return undefined;
  for (const account of settableAccounts(state)) {
    if (account.presence?.state !== shown) continue;
    const code = reportedReason(account, reasons);
    if (code !== undefined) return code;
  }
  return undefined;
}
