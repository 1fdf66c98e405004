/**
 * The desk store: a pure reducer `(DeskState, StoreAction) → DeskState`.
 *
 * It never mutates its input (one exception, asked for by its caller: an owned team slice, see
 * {@link SliceOwner}); an action that changes nothing returns the very same state object,
 * and a slice that did not change keeps its identity. The bridge relies on that to send only what
 * changed (see `main/bridge.ts`).
 *
 * Rules it enforces for every platform alike (ARCHITECTURE.md, principle 5):
 * - one call per call id: every event about it merges into it; `ended` is terminal and moves the call
 *   to the call history (`recentCalls`, classified, capped; see `history.ts`); later events about a
 *   call that ended in this session are ignored;
 * - one transcript line per message id, in index order, whatever order or how often they arrive;
 * - one callback per id; a closed callback leaves the desk;
 * - a chat that ends moves from `chats` (the live ones) to `endedChats`, under the same key, and
 *   carries `endedAt`; `chats.clear-ended` removes ended chats (the desk sends it
 *   `ENDED_CHAT_TTL_MS` (common/model.ts) after each ended, and for the agent's "Clear ended").
 */
import type { ChatPatch, CallPatch, CallbackData, ConnectorEvent, DeskEvent, QueuePatch } from './events.js';
import { callOutcome, HISTORY_LIMIT, type HistorySeed } from './history.js';
import {
  entityKey,
  CONSULTED_LIMIT,
  DIGITS_SENT_LIMIT,
  type Account,
  type Call,
  type CallWorkAction,
  type Chat,
  type ChatMessage,
  type DeskSetup,
  type DeskState,
  type PendingDial,
  type PastCall,
  type PresenceState,
  type ScreenPop,
  type Queue,
  type Said,
  type WrapUpReason,
} from '../../common/model.js';
import type { AutomationView } from '../../common/automation.js';
import type { SliceName } from '../../common/patch.js';

/** How many ended calls the desk remembers: the call history's cap. */
export const RECENT_CALLS_LIMIT = HISTORY_LIMIT;
/** How many ended chats stay on the desk before the oldest is dropped. */
export const ENDED_CHATS_LIMIT = 50;

/** The agent looked at a chat: its unread count goes to zero. */
export interface ChatReadAction {
  type: 'chat.read';
  chatKey: string;
}
/** The agent put an ended chat away. */
export interface ChatDismissAction {
  type: 'chat.dismiss';
  chatKey: string;
}
/**
 * Ended chats leave the desk: those that ended at or before `endedBy` (ISO time), or every ended
 * chat when it is absent (the agent's "Clear ended").
 */
export interface ChatsClearEndedAction {
  type: 'chats.clear-ended';
  endedBy?: string;
}
/** The agent put away a call the platform no longer confirms (a stale call). */
export interface CallDismissAction {
  type: 'call.dismiss';
  callKey: string;
  /** ISO time. */
  at: string;
}
/** A `tel:`/`callto:` link waits for the agent (or, `pending` absent, no longer does). */
export interface DialPendingAction {
  type: 'dial.pending';
  pending?: PendingDial;
}
/** The screen pops of the live calls, as the core decided them (replaces the previous set). */
export interface ScreenPopsAction {
  type: 'screenpops.set';
  pops: Record<string, ScreenPop>;
}
/** The agent looked at the call history: no missed call is unseen any more. */
export interface MissedSeenAction {
  type: 'history.seen';
}
/** The agent dismissed the notice about a call history that could not be read. */
export interface HistoryNoticeDismissAction {
  type: 'history.notice-dismissed';
}
/** The automation API's view changed (`main/api/`); absent: the API is off. */
export interface AutomationAction {
  type: 'automation.set';
  automation?: AutomationView;
}
/** A live call was placed by an app through the automation API: the desk shows its name (`Call.placedBy`). */
export interface CallPlacedByAction {
  type: 'call.placed-by';
  callKey: string;
  placedBy: string;
}
/** The platform accepted digits (DTMF) on a call: they join what the call shows as sent. */
export interface CallDigitsSentAction {
  type: 'call.digits-sent';
  callKey: string;
  digits: string;
}
/**
 * Call work on a call failed (`message`, in the platform's words: shown on the call), or a new
 * attempt began (`message` absent: the last failure is cleared).
 */
export interface CallErrorAction {
  type: 'call.error';
  callKey: string;
  message?: string;
  /** The failure as a code, where the desk wrote it (`CommandError.said`; issue 19). */
  said?: Said;
}
/**
 * The platform accepted a wrap-up reason for call `callId` of an account: the account's wrap-up
 * shows it, and the call keeps it (live, or in the call history).
 */
export interface WrapUpReasonSetAction {
  type: 'wrapup.reason-set';
  accountId: string;
  callId: string;
  reason: WrapUpReason;
}
/** Everything the store folds: connector events plus the agent's local view actions. */
export type StoreAction =
  | DeskEvent
  | CallDigitsSentAction
  | CallErrorAction
  | WrapUpReasonSetAction
  | ChatReadAction
  | ChatDismissAction
  | ChatsClearEndedAction
  | CallDismissAction
  | DialPendingAction
  | ScreenPopsAction
  | MissedSeenAction
  | HistoryNoticeDismissAction
  | AutomationAction
  | CallPlacedByAction;

/** What the desk knows of an account before it connects. */
export interface AccountSeed {
  id: string;
  vendor: string;
  label: string;
  demo: boolean;
  presenceOptions: PresenceState[];
  /** Whether the platform places calls for the agent (click-to-dial); default false. */
  canDial?: boolean;
  /** Whether the window can control the platform's calls; default false. */
  callControl?: boolean;
  /** Whether the platform gives call journeys; default false. */
  callJourneys?: boolean;
  /** The call work the platform offers; default none. */
  callWork?: readonly CallWorkAction[];
  /** What the platform leaves to another tool, in one line for the window (English). */
  notice?: string;
  /** The same as a code with parameters (issue 19). */
  noticeSaid?: Said;
}

/**
 * The state before any event: every configured account, `connecting`.
 * @param accounts the configured accounts, in display order.
 * @param now ISO time used as each account's `since`.
 * @param setup where the settings came from, and their problems.
 * @param history the call history kept from earlier sessions (`history.ts` `readHistory`).
 */
export function initialState(
  accounts: readonly AccountSeed[],
  now: string,
  setup: DeskSetup = { source: '', problems: [] },
  history: HistorySeed = { calls: [], missedUnseen: 0 },
): DeskState {
  const records = emptySlice<Account>();
  for (const seed of accounts) records[seed.id] = accountRecord(seed, now);
  return {
    accounts: records,
    calls: emptySlice(),
    recentCalls: history.calls.slice(0, RECENT_CALLS_LIMIT),
    missedUnseen: history.missedUnseen,
    ...(history.notice ? { historyNotice: history.notice } : {}),
    ...(history.notice && history.noticeSaid ? { historyNoticeSaid: history.noticeSaid } : {}),
    chats: emptySlice(),
    endedChats: emptySlice(),
    callbacks: emptySlice(),
    queues: emptySlice(),
    team: emptySlice(),
    demo: accounts.length > 0 && accounts.every((a) => a.demo),
    setup: { source: setup.source, problems: [...setup.problems] },
  };
}

/**
 * An account's first record, built field by field: whatever else the caller's object carries (a
 * connector, its credentials) never enters the state, which crosses the bridge to the window.
 */
function accountRecord(seed: AccountSeed, now: string): Account {
  return {
    id: seed.id,
    vendor: seed.vendor,
    label: seed.label,
    demo: seed.demo,
    presenceOptions: [...seed.presenceOptions],
    presenceReasons: [],
    canDial: seed.canDial ?? false,
    callControl: seed.callControl ?? false,
    callJourneys: seed.callJourneys ?? false,
    callWork: [...(seed.callWork ?? [])],
    wrapUpReasons: [],
    wrapUpReasonRequired: false,
    ...(seed.notice ? { notice: seed.notice } : {}),
    ...(seed.noticeSaid ? { noticeSaid: seed.noticeSaid } : {}),
    connection: 'connecting',
    since: now,
    subscriptionIssues: [],
  };
}

/**
 * Folds one action into the state. Pure; returns `state` itself when nothing changed.
 * @param touched when given, receives the keys the action set or removed, per slice ({@link Touched}).
 * @param owner when given, the team slice it names may be changed in place, and the team slice
 *   the fold makes becomes its ({@link SliceOwner}); only a caller that hands out no state
 *   meanwhile (the desk) passes one.
 */
export function reduce(state: DeskState, action: StoreAction, touched?: Touched, owner?: SliceOwner): DeskState {
  const outer = touching;
  const outerOwner = owning;
  touching = touched;
  owning = owner;
  try {
    return reduceAction(state, action);
  } finally {
    touching = outer;
    owning = outerOwner;
  }
}

/**
 * Folds one connector event of account `accountId`, stamped `at` (ISO time): the same as
 * `reduce(state, {...event, accountId, at}, touched, owner)`, without making that object (the
 * desk folds every event of every connector here: a copy per event of events of a dozen shapes
 * was a tenth of the desk's time on the bench's streams).
 */
export function reduceEvent(state: DeskState, event: ConnectorEvent, accountId: string, at: string, touched?: Touched, owner?: SliceOwner): DeskState {
  const outer = touching;
  const outerOwner = owning;
  touching = touched;
  owning = owner;
  try {
    return reduceDeskEvent(state, event, accountId, at);
  } finally {
    touching = outer;
    owning = outerOwner;
  }
}

function reduceAction(state: DeskState, action: StoreAction): DeskState {
  switch (action.type) {
    case 'chat.read': {
      const live = state.chats[action.chatKey];
      const chat = live ?? state.endedChats[action.chatKey];
      if (!chat || chat.unread === 0) return state;
      return withChat(state, live !== undefined, { ...chat, unread: 0 });
    }
    case 'chat.dismiss': {
      if (!state.endedChats[action.chatKey]) return state;
      return withEndedChats(state, without('endedChats', state.endedChats, action.chatKey));
    }
    case 'chats.clear-ended': {
      const { endedBy } = action;
      const gone = (chat: Chat): boolean => endedBy === undefined || (chat.endedAt ?? chat.startedAt) <= endedBy;
      let any = false;
      for (const key in state.endedChats) if (gone(state.endedChats[key]!)) any = true;
      return any ? withEndedChats(state, filtered('endedChats', state.endedChats, (chat) => !gone(chat))) : state;
    }
    case 'dial.pending': {
      if (state.pendingDial === action.pending) return state;
      const { pendingDial: _dropped, ...rest } = state;
      return action.pending ? { ...rest, pendingDial: action.pending } : rest;
    }
    case 'screenpops.set':
      return state.screenPops === action.pops ? state : { ...state, screenPops: action.pops };
    case 'history.seen': {
      if (state.missedUnseen === 0) return state;
      const out = copyState(state);
      out.missedUnseen = 0;
      return out;
    }
    case 'history.notice-dismissed': {
      if (state.historyNotice === undefined && state.historyNoticeSaid === undefined) return state;
      const { historyNotice: _dismissed, historyNoticeSaid: _said, ...rest } = state;
      return rest;
    }
    case 'automation.set': {
      if (state.automation === action.automation) return state;
      const { automation: _dropped, ...rest } = state;
      return action.automation ? { ...rest, automation: action.automation } : rest;
    }
    case 'call.placed-by': {
      const call = state.calls[action.callKey];
      if (!call || call.placedBy === action.placedBy) return state;
      return withCalls(state, withEntry<Call>('calls', state.calls, call.key, { ...call, placedBy: action.placedBy }));
    }
    case 'call.digits-sent': {
      const call = state.calls[action.callKey];
      if (!call || !action.digits) return state;
      const digitsSent = `${call.digitsSent ?? ''}${action.digits}`.slice(-DIGITS_SENT_LIMIT);
      return withCalls(state, withEntry<Call>('calls', state.calls, call.key, { ...call, digitsSent }));
    }
    case 'call.error': {
      const call = state.calls[action.callKey];
      if (!call || (call.error === action.message && call.errorSaid === action.said)) return state;
      const next: Call = { ...call, error: action.message, errorSaid: action.said };
      if (action.message === undefined) delete next.error;
      if (action.message === undefined || action.said === undefined) delete next.errorSaid;
      return withCalls(state, withEntry('calls', state.calls, call.key, next));
    }
    case 'wrapup.reason-set':
      return setWrapUpReason(state, action);
    case 'call.dismiss': {
      const call = state.calls[action.callKey];
      if (!call?.stale) return state;
      return endCall(state, { ...call, endReason: call.endReason ?? 'put away by the agent (not confirmed by the platform)' }, action.at);
    }
    default:
      return reduceDeskEvent(state, action, action.accountId, action.at);
  }
}

function reduceDeskEvent(state: DeskState, event: ConnectorEvent, accountId: string, at: string): DeskState {
  const account = state.accounts[accountId];
  if (!account) return state; // an event from an account that was removed: nothing to fold it into
  switch (event.type) {
    case 'connection': {
      const changed = account.connection !== event.state;
      return withAccount(state, {
        ...account,
        connection: event.state,
        reason: event.state === 'connected' ? undefined : event.reason,
        reasonSaid: event.state === 'connected' ? undefined : event.said,
        attempt: event.attempt,
        nextAttemptAt: event.nextAttemptAt,
        since: changed ? at : account.since,
      });
    }
    case 'presence': {
      const next = copyAccount(account);
      next.presence = { ...event.presence };
      return withAccount(state, next);
    }
    case 'presence.options':
      return withAccount(state, { ...account, presenceOptions: [...event.options] });
    case 'account.capabilities': {
      const canDial = event.canDial ?? account.canDial;
      const callControl = event.callControl ?? account.callControl;
      const callWork = event.callWork ?? account.callWork;
      const same = canDial === account.canDial && callControl === account.callControl && sameList(callWork, account.callWork);
      return same ? state : withAccount(state, { ...account, canDial, callControl, callWork: [...callWork] });
    }
    case 'talking': {
      if (account.talking === event.talking) return state;
      const next = copyAccount(account);
      next.talking = event.talking;
      return withAccount(state, next);
    }
    case 'wrapup': {
      // A wrap-up the platform reports again (a reconnect) keeps the reason the agent gave it.
      const kept = event.wrapUp && account.wrapUp?.reason && account.wrapUp.callId === event.wrapUp.callId ? { reason: account.wrapUp.reason } : {};
      const next = copyAccount(account);
      next.wrapUp = event.wrapUp ? { ...kept, ...event.wrapUp } : undefined;
      return withAccount(state, next);
    }
    case 'wrapup.reasons':
      return withAccount(state, { ...account, wrapUpReasons: event.reasons.map(({ code, label }) => ({ code, label })), wrapUpReasonRequired: event.required });
    case 'subscriptions':
      return withAccount(state, { ...account, subscriptionIssues: [...event.issues] });
    case 'call':
      return foldCall(state, accountId, event.call, at);
    case 'calls.sync':
      return syncCalls(state, accountId, event.calls, at);
    case 'chat':
      return foldChat(state, accountId, event.chat, at);
    case 'chat.messages':
      return foldMessages(state, accountId, event.chatId, event.messages, at);
    case 'chats.sync':
      return syncChats(state, accountId, event.chats, at);
    case 'callback':
      return foldCallback(state, accountId, event.callback, event.closed);
    case 'callbacks.sync':
      return syncCallbacks(state, accountId, event.callbacks);
    case 'queue':
      return foldQueue(state, accountId, event.queue, at);
    case 'queues.sync':
      return syncQueues(state, accountId, event.queues, at);
    case 'team': {
      const key = entityKey(accountId, event.member.id);
      return withTeam(state, withEntry('team', state.team, key, keyed(event.member, key, accountId)));
    }
    case 'team.remove': {
      const key = entityKey(accountId, event.memberId);
      if (!state.team[key]) return state;
      return withTeam(state, without('team', state.team, key));
    }
    case 'team.sync': {
      const team = filtered('team', state.team, (m) => m.accountId !== accountId);
      touchAll('team');
      for (const member of event.members) {
        const key = entityKey(accountId, member.id);
        team[key] = keyed(member, key, accountId);
      }
      return withTeam(state, team);
    }
    case 'presence.reasons':
      return withAccount(state, { ...account, presenceReasons: event.reasons.map((r) => ({ ...r })) });
    case 'prompt': {
      if (!event.prompt && !account.prompt) return state;
      const next: Account = { ...account, prompt: event.prompt ? structuredClone(event.prompt) : undefined };
      if (!event.prompt) delete next.prompt;
      return withAccount(state, next);
    }
  }
}

/** The optional members of `T`. */
type OptionalOf<T> = { [K in keyof T]-?: object extends Pick<T, K> ? K : never }[keyof T];

/** The optional members of an account, in the order {@link copyAccount} copies them (the compiler checks that none is left out). */
type AccountOptional = 'notice' | 'noticeSaid' | 'reason' | 'reasonSaid' | 'attempt' | 'nextAttemptAt' | 'presence' | 'talking' | 'wrapUp' | 'prompt';
const _accountOptionalWhole: [Exclude<OptionalOf<Account>, AccountOptional>] extends [never] ? true : never = true;

/**
 * A copy of `account` (an account's presence, talking and wrap-up change it: a third of the events
 * of a platform that reports agent states often), made as {@link copyState} makes a state's: a spread of an account — a copy of
 * a copy, of some twenty members — cost V8 (Node 20) 0.3 µs, a literal a tenth of that. The
 * members every account has, in {@link accountRecord}'s order, then each optional one it holds
 * (its own member, even when `undefined`, as a spread copies it), in {@link AccountOptional}'s.
 */
function copyAccount(account: Account): Account {
  const out: Account = {
    id: account.id,
    vendor: account.vendor,
    label: account.label,
    demo: account.demo,
    presenceOptions: account.presenceOptions,
    presenceReasons: account.presenceReasons,
    canDial: account.canDial,
    callControl: account.callControl,
    callJourneys: account.callJourneys,
    callWork: account.callWork,
    wrapUpReasons: account.wrapUpReasons,
    wrapUpReasonRequired: account.wrapUpReasonRequired,
    connection: account.connection,
    since: account.since,
    subscriptionIssues: account.subscriptionIssues,
  };
  // Each by name (a member read by a variable name is a keyed look-up V8 cannot specialise).
  if ('notice' in account) out.notice = account.notice;
  if ('noticeSaid' in account) out.noticeSaid = account.noticeSaid;
  if ('reason' in account) out.reason = account.reason;
  if ('reasonSaid' in account) out.reasonSaid = account.reasonSaid;
  if ('attempt' in account) out.attempt = account.attempt;
  if ('nextAttemptAt' in account) out.nextAttemptAt = account.nextAttemptAt;
  if ('presence' in account) out.presence = account.presence;
  if ('talking' in account) out.talking = account.talking;
  if ('wrapUp' in account) out.wrapUp = account.wrapUp;
  if ('prompt' in account) out.prompt = account.prompt;
  return out;
}

function withAccount(state: DeskState, account: Account): DeskState {
  const out = copyState(state);
  out.accounts = withEntry('accounts', state.accounts, account.id, account);
  return out;
}

// ---- calls ---------------------------------------------------------------------------------------

function foldCall(state: DeskState, accountId: string, patch: CallPatch, at: string): DeskState {
  const key = entityKey(accountId, patch.id);
  const known = state.calls[key];
  if (!known && historyHas(state.recentCalls, key)) return state; // late event of an ended call
  // A known call already holds every default (this fold made it): a spread of it alone is V8's fast clone.
  const merged = withDefined<Call>(known ? copyOf(known) : ({ direction: 'inbound', state: 'connected', actions: [], startedAt: at } as Partial<Call> as Call), patch);
  merged.id = patch.id;
  merged.key = key;
  merged.accountId = accountId;
  if ('error' in patch && patch.error === undefined) delete merged.error; // an explicit clear
  if (merged.state === 'connected' && !merged.connectedAt) merged.connectedAt = at;
  if (merged.state === 'ended') return endCall(state, merged, at);
  return withCalls(state, withEntry('calls', state.calls, key, merged));
}

function endCall(state: DeskState, call: Call, at: string): DeskState {
  if (call.consultOf !== undefined) {
    const folded = consultationEnded(state, call);
    if (folded) return folded;
  }
  const calls = without('calls', state.calls, call.key);
  // What only a live call needs leaves with it: digits sent (a PIN, a card number) are never kept.
  // The entry is made by one copy of the call (three, with a rest copy first, were a tenth of the
  // fold of a call's end); a call with any of those is copied without them first.
  const source: Call = 'digitsSent' in call || 'error' in call || 'errorSaid' in call ? withoutLiveOnly(call) : call;
  const past = copyOf(source) as PastCall;
  past.state = 'ended';
  past.actions = [];
  past.endedAt = call.endedAt ?? at;
  const account = state.accounts[call.accountId];
  past.outcome = callOutcome(past);
  past.account = { label: account?.label ?? call.accountId, vendor: account?.vendor ?? '' };
  // The new history: the entry, then the history's first entries, by one `concat` (a copy of the
  // list's memory) cut to the cap in place (a spread and a cut grew and shrank a 500-entry list per
  // ended call, a quarter of the bytes a platform's full path allocated; a copy entry by entry took
  // 1.0 µs, this 0.3 µs).
  const before = state.recentCalls;
  const kept = Math.min(before.length, RECENT_CALLS_LIMIT - 1);
  const recentCalls = [past].concat(before);
  if (recentCalls.length > kept + 1) recentCalls.length = kept + 1;
  historyGrew(before, recentCalls, past, kept < before.length ? before.slice(kept) : NO_CALLS);
  let from = GROWTH.get(before);
  if (!from) GROWTH.set(before, (from = { chain: (chains += 1), depth: 0 }));
  GROWTH.set(recentCalls, { chain: from.chain, depth: from.depth + 1 });
  const missedUnseen = past.outcome === 'missed' ? Math.min(state.missedUnseen + 1, RECENT_CALLS_LIMIT) : state.missedUnseen;
  const out = copyState(state);
  out.calls = calls;
  out.recentCalls = recentCalls;
  out.missedUnseen = missedUnseen;
  return out;
}

/** `call` without what only a live call holds (digits sent, the last failure). */
function withoutLiveOnly(call: Call): Call {
  const { digitsSent: _digits, error: _error, errorSaid: _said, ...rest } = call;
  return rest;
}

/**
 * A consultation leg ended: it is part of the call it was made from, not a call of its own [I].
 * Whom it reached joins that call's `consulted` (the live call, else its newest history entry);
 * the leg leaves the desk without an entry. `undefined` when the original is nowhere (the leg then
 * goes to the history as a placed call, so nothing is lost).
 */
function consultationEnded(state: DeskState, leg: Call): DeskState | undefined {
  const originalKey = entityKey(leg.accountId, leg.consultOf!);
  const reached = leg.target ?? leg.caller;
  const noted = (call: Call): Call => {
    if (!reached || call.consulted?.at(-1) === reached) return call;
    return { ...call, consulted: [...(call.consulted ?? []), reached].slice(-CONSULTED_LIMIT) };
  };
  const calls = without('calls', state.calls, leg.key);
  const live = calls[originalKey];
  if (live) return withCalls(state, withEntry('calls', calls, originalKey, noted(live)));
  const index = state.recentCalls.findIndex((c) => c.key === originalKey);
  if (index < 0) return undefined;
  const recentCalls = state.recentCalls.slice();
  recentCalls[index] = { ...recentCalls[index]!, ...noted(recentCalls[index]!) };
  const out = withCalls(state, calls);
  out.recentCalls = recentCalls;
  return out;
}

/**
 * The reason goes to the account's wrap-up (when it is for that call) and to the call: the live
 * one, else its entry in the call history (the newest entry of that call, ended in this session).
 */
function setWrapUpReason(state: DeskState, action: WrapUpReasonSetAction): DeskState {
  const reason = { code: action.reason.code, label: action.reason.label };
  let next = state;
  const account = state.accounts[action.accountId];
  if (account?.wrapUp && (account.wrapUp.callId === undefined || account.wrapUp.callId === action.callId)) {
    next = withAccount(next, { ...account, wrapUp: { ...account.wrapUp, callId: action.callId, reason } });
  }
  const key = entityKey(action.accountId, action.callId);
  const live = next.calls[key];
  if (live) return withCalls(next, withEntry<Call>('calls', next.calls, key, { ...live, wrapUpReason: reason }));
  const index = next.recentCalls.findIndex((c) => c.key === key);
  if (index >= 0) {
    const recentCalls = next.recentCalls.slice();
    recentCalls[index] = { ...recentCalls[index]!, wrapUpReason: reason };
    next = copyState(next);
    next.recentCalls = recentCalls;
  }
  return next;
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

function syncCalls(state: DeskState, accountId: string, current: readonly CallPatch[], at: string): DeskState {
  const present = new Set(current.map((c) => entityKey(accountId, c.id)));
  let next = state;
  for (const call of Object.values(state.calls)) {
    if (call.accountId === accountId && !present.has(call.key)) {
      next = endCall(next, { ...call, endReason: call.endReason ?? 'ended while disconnected' }, at);
    }
  }
  for (const patch of current) next = foldCall(next, accountId, patch, at);
  return next;
}

// ---- chats ---------------------------------------------------------------------------------------

function foldChat(state: DeskState, accountId: string, patch: ChatPatch, at: string): DeskState {
  const key = entityKey(accountId, patch.id);
  const live = state.chats[key];
  const known = live ?? state.endedChats[key];
  if (known?.state === 'ended' && patch.state !== undefined && patch.state !== 'ended') return state;
  const merged = withDefined<Chat>(known ? copyOf(known) : ({ state: 'invited', participants: [], actions: [], userData: {}, messages: [], unread: 0, startedAt: at } as Partial<Chat> as Chat), patch);
  merged.id = patch.id;
  merged.key = key;
  merged.accountId = accountId;
  if ('error' in patch && patch.error === undefined) delete merged.error; // an explicit clear
  if (merged.state !== 'ended') return withChats(state, withEntry('chats', state.chats, key, merged));
  if (!merged.endedAt) merged.endedAt = at;
  // An ended chat lives in `endedChats`: the live slice, copied for every line of every live chat, stays small.
  const endedChats = boundEndedChats(withEntry('endedChats', state.endedChats, key, merged));
  const out = withEndedChats(state, endedChats);
  if (live) out.chats = without('chats', state.chats, key);
  return out;
}

/** The ended chats, the oldest started dropped past {@link ENDED_CHATS_LIMIT}. */
function boundEndedChats(ended: Record<string, Chat>): Record<string, Chat> {
  let count = 0;
  for (const _key in ended) count += 1;
  if (count <= ENDED_CHATS_LIMIT) return ended;
  // One over the limit (a chat ended): the oldest goes, found in one pass — the first of the
  // earliest started, as the stable sort below orders them — not by sorting them all (issue 21).
  if (count === ENDED_CHATS_LIMIT + 1) {
    let oldest: Chat | undefined;
    for (const key in ended) {
      const chat = ended[key]!;
      if (oldest === undefined || chat.startedAt.localeCompare(oldest.startedAt) < 0) oldest = chat;
    }
    return without('endedChats', ended, oldest!.key);
  }
  const chats = Object.values(ended).sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  const dropped = new Set(chats.slice(0, chats.length - ENDED_CHATS_LIMIT).map((chat) => chat.key));
  return filtered('endedChats', ended, (chat) => !dropped.has(chat.key));
}

/** Orders transcript lines: by index, then time, then id (a total order, so folds are stable). */
function compareMessages(a: ChatMessage, b: ChatMessage): number {
  return a.index - b.index || a.at.localeCompare(b.at) || a.id.localeCompare(b.id);
}

function foldMessages(
  state: DeskState,
  accountId: string,
  chatId: string,
  incoming: readonly ChatMessage[],
  at: string,
): DeskState {
  const key = entityKey(accountId, chatId);
  // Lines may reach a chat that ended (a transcript re-read after a reconnect): they join it where it is.
  const live = state.chats[key];
  const ended = live === undefined ? state.endedChats[key] : undefined;
  const chat: Chat = live ?? ended ?? {
    key,
    accountId,
    id: chatId,
    state: 'active',
    participants: [],
    actions: [],
    userData: {},
    messages: [],
    unread: 0,
    startedAt: at,
  };
  const last = chat.messages[chat.messages.length - 1];
  // Fast path: lines that sort after the transcript's last one cannot repeat any line in it (a
  // repeat has the same index, time and id as its original), so only the batch itself is checked —
  // and a single line (what a stream brings, line by line) is new by itself.
  let appendOnly = true;
  if (last) for (const m of incoming) if (compareMessages(last, m) >= 0) appendOnly = false;
  let fresh: ChatMessage[];
  if (appendOnly && incoming.length === 1) fresh = [incoming[0]!];
  else {
    const seen = appendOnly ? new Set<string>() : new Set(chat.messages.map((m) => m.id));
    fresh = [];
    for (const message of incoming) {
      if (seen.has(message.id)) continue;
      seen.add(message.id);
      fresh.push(message);
    }
  }
  if (fresh.length === 0) return state;
  if (fresh.length > 1) fresh.sort(compareMessages);
  const messages = !last || compareMessages(last, fresh[0]!) <= 0 ? chat.messages.concat(fresh) : chat.messages.concat(fresh).sort(compareMessages);
  let unread = chat.unread;
  for (const m of fresh) if (m.kind === 'text' && m.from.role !== 'agent') unread += 1;
  const next = copyOf(chat);
  next.messages = messages;
  next.unread = unread;
  return withChat(state, ended === undefined, next);
}

/**
 * `state` with `chat` set in the live chats (`live`) or the ended ones: each slice named, not read
 * and written through a variable member name (`state[slice]`, `{...state, [slice]: …}`), which
 * V8 does by a keyed look-up per chat line.
 */
function withChat(state: DeskState, live: boolean, chat: Chat): DeskState {
  return live ? withChats(state, withEntry('chats', state.chats, chat.key, chat)) : withEndedChats(state, withEntry('endedChats', state.endedChats, chat.key, chat));
}

function syncChats(state: DeskState, accountId: string, current: readonly ChatPatch[], at: string): DeskState {
  const present = new Set(current.map((c) => entityKey(accountId, c.id)));
  let next = state;
  for (const chat of Object.values(state.chats)) {
    if (chat.accountId === accountId && !present.has(chat.key)) {
      next = foldChat(next, accountId, { id: chat.id, state: 'ended', actions: [] }, at);
    }
  }
  for (const patch of current) next = foldChat(next, accountId, patch, at);
  return next;
}

// ---- callbacks -----------------------------------------------------------------------------------

function foldCallback(state: DeskState, accountId: string, data: CallbackData, closed: boolean): DeskState {
  const key = entityKey(accountId, data.id);
  if (closed) {
    if (!state.callbacks[key]) return state;
    return withCallbacks(state, without('callbacks', state.callbacks, key));
  }
  return withCallbacks(state, withEntry('callbacks', state.callbacks, key, keyed(data, key, accountId)));
}

function syncCallbacks(state: DeskState, accountId: string, current: readonly CallbackData[]): DeskState {
  const callbacks = filtered('callbacks', state.callbacks, (c) => c.accountId !== accountId);
  touchAll('callbacks');
  for (const data of current) {
    const key = entityKey(accountId, data.id);
    callbacks[key] = keyed(data, key, accountId);
  }
  return withCallbacks(state, callbacks);
}

// ---- queues --------------------------------------------------------------------------------------

function mergeQueue(known: Queue | undefined, accountId: string, patch: QueuePatch, at: string): Queue {
  const merged = withDefined<Queue>(
    known ? copyOf(known) : ({ name: patch.id, waiting: 0, longestWaitSec: 0, agentsFree: 0, agentsServing: 0, agentsWrapUp: 0, open: 'unknown' } as Queue),
    patch,
  );
  merged.updatedAt = patch.updatedAt ?? at;
  merged.id = patch.id;
  merged.key = entityKey(accountId, patch.id);
  merged.accountId = accountId;
  return merged;
}

function foldQueue(state: DeskState, accountId: string, patch: QueuePatch, at: string): DeskState {
  const key = entityKey(accountId, patch.id);
  return withQueues(state, withEntry('queues', state.queues, key, mergeQueue(state.queues[key], accountId, patch, at)));
}

function syncQueues(state: DeskState, accountId: string, current: readonly QueuePatch[], at: string): DeskState {
  const queues = filtered('queues', state.queues, (q) => q.accountId !== accountId);
  touchAll('queues');
  for (const patch of current) {
    const key = entityKey(accountId, patch.id);
    queues[key] = mergeQueue(state.queues[key], accountId, patch, at);
  }
  return withQueues(state, queues);
}

// ---- the call history's keys ---------------------------------------------------------------------
//
// Every new call asks whether it already ended in this session (a late event of an ended call is
// ignored). Asked by scanning the history, that was up to 500 comparisons of keys alike but for
// their last characters, for each call that rang (the bench's profile: a sixth of the store's time).
// The history's keys are counted in a map instead, kept for the newest history only: ending a call
// moves the map on to the new list (one key in, the evicted out); any other list (an older state,
// a history edited in place by a wrap-up reason) has its map made again when it is asked.

const NO_CALLS: readonly PastCall[] = Object.freeze([]);

/** The history the map counts the keys of, and the map (key → entries with that key). */
let historyIndex: { list: readonly PastCall[]; counts: Map<string, number> } | undefined;

/** Whether a call with desk key `key` is in `history` (the call history, `DeskState.recentCalls`). */
export function historyHas(history: readonly PastCall[], key: string): boolean {
  if (historyIndex?.list !== history) {
    const counts = new Map<string, number>();
    for (const call of history) counts.set(call.key, (counts.get(call.key) ?? 0) + 1);
    historyIndex = { list: history, counts };
  }
  return historyIndex.counts.has(key);
}

/**
 * Where a history stands among the histories ended calls made one from another: a chain (made
 * from a history no ended call made: the seed, one edited in place) and the calls put at its head
 * since the chain began. Numbers only: a history never holds on to the one it was made from.
 */
const GROWTH = new WeakMap<readonly PastCall[], { chain: number; depth: number }>();
let chains = 0;

/**
 * How many calls `next` put at the head of `prev` when `next` was made from `prev` by calls ending
 * (each put at the head, the oldest dropped past the cap); `undefined` when it was not (a history
 * edited in place, seeded, another desk's) or when none of `prev` is left in `next`. Then `next` is
 * those calls followed by the first `next.length - n` of `prev`, with no entry compared but the
 * one where they meet: the diff's answer for the window (`patch.ts`), which otherwise compares up
 * to 500 entries per ended call.
 */
export function historyGrowth(prev: readonly PastCall[], next: readonly PastCall[]): number | undefined {
  if (prev === next) return 0;
  const a = GROWTH.get(prev);
  const b = GROWTH.get(next);
  if (!a || !b || a.chain !== b.chain || b.depth < a.depth) return undefined;
  const n = b.depth - a.depth;
  // Where they meet, the same entry: `next` grew from `prev` itself, not from a history made
  // beside it from the same start (a state folded twice).
  if (n >= next.length || prev.length === 0 || next[n] !== prev[0]) return undefined;
  return n;
}

/** `after` is `before` with `added` at its head and `evicted` dropped off its end: the map follows. */
function historyGrew(before: readonly PastCall[], after: readonly PastCall[], added: PastCall, evicted: readonly PastCall[]): void {
  if (historyIndex?.list !== before) return; // not the list the map counts: made again when asked
  const { counts } = historyIndex;
  counts.set(added.key, (counts.get(added.key) ?? 0) + 1);
  for (const call of evicted) {
    const n = counts.get(call.key) ?? 0;
    if (n <= 1) counts.delete(call.key);
    else counts.set(call.key, n - 1);
  }
  historyIndex.list = after;
}

// ---- copies of an entity ---------------------------------------------------------------------------
//
// An entity changes by a copy with members set. A spread (`{...call}`) gives the copy a hidden
// class outside V8's transition tree (Node 20): every member the copy gains afterwards, or that the
// literal adds after the spread (`{...member, key, accountId}`), is found by the runtime and makes
// yet another hidden class — 1.2 µs per team member copied with its key and account, against 0.1 µs
// for `Object.assign` onto a new object, which copies the same members in the same order through
// the ordinary transitions (measured). `Object.assign` adds them as keyed members, though, and V8
// turns an object that gains more than about 19 so into a dictionary (slow to read, copy and
// serialise): a larger entity (an account) is still spread.

/** Entities of at most this many members are copied by `Object.assign` (room for five more by a patch). */
const ASSIGNED_MEMBERS = 14;

/**
 * A copy of `source` with the same own enumerable members in the same order, as `{...source}`
 * makes it, that members can be added to cheaply (see above). An object with an own `__proto__`
 * member (only JSON text makes one) is spread, which defines that member where `Object.assign`
 * would set the prototype.
 */
function copyOf<T extends object>(source: T): T {
  if (Object.keys(source).length > ASSIGNED_MEMBERS || Object.hasOwn(source, '__proto__')) return { ...source };
  return Object.assign({}, source);
}

/** `data` with its desk key and account: `{...data, key, accountId}`. */
function keyed<T extends object>(data: T, key: string, accountId: string): T & { key: string; accountId: string } {
  const out = copyOf(data) as T & { key: string; accountId: string };
  out.key = key;
  out.accountId = accountId;
  return out;
}

// ---- a new state -----------------------------------------------------------------------------------
//
// Every fold makes a new state from the last one with a slice or two set. A spread of the last
// state (`{...state, calls}`) copies it through V8's generic clone, which costs ten times a
// literal when its source was itself made by a spread, as every state but the first is (Node 20:
// 0.2–0.3 µs against 0.02 µs per copy, measured; a fifth of an agent-state event's fold). A state is
// therefore copied member by member, in one order: the members every state has, then each optional
// one it holds (its own member, even when `undefined`, as a spread copies it). Its members are the
// same as a spread's but for their order (JSON and every reader by name see no difference).

/** The optional members of a state, in the order {@link copyState} copies them (the compiler checks that none is left out). */
type StateOptional = 'historyNotice' | 'historyNoticeSaid' | 'pendingDial' | 'screenPops' | 'automation';
const _stateOptionalWhole: [Exclude<OptionalOf<DeskState>, StateOptional>] extends [never] ? true : never = true;

/** A copy of `state` (see above); the caller sets the members that change. */
function copyState(state: DeskState): DeskState {
  const out: DeskState = {
    accounts: state.accounts,
    calls: state.calls,
    recentCalls: state.recentCalls,
    missedUnseen: state.missedUnseen,
    chats: state.chats,
    endedChats: state.endedChats,
    callbacks: state.callbacks,
    queues: state.queues,
    team: state.team,
    demo: state.demo,
    setup: state.setup,
  };
  if ('historyNotice' in state) out.historyNotice = state.historyNotice;
  if ('historyNoticeSaid' in state) out.historyNoticeSaid = state.historyNoticeSaid;
  if ('pendingDial' in state) out.pendingDial = state.pendingDial;
  if ('screenPops' in state) out.screenPops = state.screenPops;
  if ('automation' in state) out.automation = state.automation;
  return out;
}

/** `state` with its calls set. */
function withCalls(state: DeskState, calls: DeskState['calls']): DeskState {
  const out = copyState(state);
  out.calls = calls;
  return out;
}

/** `state` with its live chats set. */
function withChats(state: DeskState, chats: DeskState['chats']): DeskState {
  const out = copyState(state);
  out.chats = chats;
  return out;
}

/** `state` with its ended chats set. */
function withEndedChats(state: DeskState, endedChats: DeskState['endedChats']): DeskState {
  const out = copyState(state);
  out.endedChats = endedChats;
  return out;
}

/** `state` with its team set. */
function withTeam(state: DeskState, team: DeskState['team']): DeskState {
  const out = copyState(state);
  out.team = team;
  return out;
}

/** `state` with its callbacks set. */
function withCallbacks(state: DeskState, callbacks: DeskState['callbacks']): DeskState {
  const out = copyState(state);
  out.callbacks = callbacks;
  return out;
}

/** `state` with its queues set. */
function withQueues(state: DeskState, queues: DeskState['queues']): DeskState {
  const out = copyState(state);
  out.queues = queues;
  return out;
}

// ---- keyed slices -----------------------------------------------------------------------------
//
// A slice is a record by desk key, and every change makes a new one (the bridge diffs by identity).
// Its keys are ids that come and go (each call, each chat), and V8 gives a plain object a new hidden
// class for every new set of keys: copying such a record with a spread cost 10–60 µs per event once
// a few dozen calls and chats had come and gone (the bench's shift and throughput found it; a fifth
// of a chat stream's time). A slice is therefore an object without a prototype, which V8 keeps as a
// hash table from the start, copied member by member: a few µs, however many ids came before. It is
// the same data to every reader (JSON, `for…in`, `Object.keys`), and no key can reach a prototype.

/** An empty slice. */
function emptySlice<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** A copy of `record` with `key` set to `value` (recorded as touched in `slice`); an owned slice is set in place. */
function withEntry<T>(slice: SliceName, record: Readonly<Record<string, T>>, key: string, value: T): Record<string, T> {
  touch(slice, key);
  if (owning && owning.team === record) {
    (record as Record<string, T>)[key] = value;
    return record as Record<string, T>;
  }
  const out = own(slice, emptySlice<T>());
  for (const k in record) out[k] = record[k]!;
  out[key] = value;
  return out;
}

/** A copy of `record` without `key` (recorded as touched in `slice`). */
function without<T>(slice: SliceName, record: Readonly<Record<string, T>>, key: string): Record<string, T> {
  touch(slice, key);
  if (owning && owning.team === record) {
    delete (record as Record<string, T>)[key];
    return record as Record<string, T>;
  }
  const out = own(slice, emptySlice<T>());
  for (const k in record) if (k !== key) out[k] = record[k]!;
  return out;
}

/** A copy of `record` with only the entries `keep` accepts (those it drops recorded as touched in `slice`). */
function filtered<T>(slice: SliceName, record: Readonly<Record<string, T>>, keep: (value: T) => boolean): Record<string, T> {
  const out = own(slice, emptySlice<T>());
  for (const k in record) {
    if (keep(record[k]!)) out[k] = record[k]!;
    else touch(slice, k);
  }
  return out;
}

// ---- what an action touched -------------------------------------------------------------------
//
// The readers of a change (the bridge's diff, the alert policy) used to find it by walking every
// slice and comparing each entity by identity, twice per message (the bench: 12.5 % of a stream's
// time, most of it walking ended chats and members nothing had happened to). The fold knows
// which keys it set or removed, so it says so: `reduce` writes them into the caller's `Touched`.

/**
 * The keys an action set or removed, per keyed slice: a set of desk keys, or `'all'` when the
 * action replaced a slice's entries wholesale (a sync after a reconnect; the reader then compares
 * the whole slice). A slice absent was not touched. Keys may be listed that in the end did not
 * change (a fold that wrote the same value); readers compare by identity.
 */
export type Touched = { [S in SliceName]?: Set<string> | 'all' };

/**
 * The team slice its caller owns: made by an earlier fold and seen by nobody since, so the next
 * fold may set a member in it in place instead of copying it.
 *
 * Why: a supervisor's Team holds thousands of members (a team report of 500, busy lamps of 5 000
 * members), and copying the slice for each member's change cost a millisecond a change — the
 * desk could not keep up with 1 000 changes a second. The desk owns the slices it made until it
 * hands its state out (`Desk.state`). The bridge's diff reads it with `Desk.peek`, which does not
 * hand the team out (the hub keeps the team as sent member by member, `patch.ts` `TeamSent`), so
 * the Team is copied only when another reader takes the state (a full state on request), not once
 * per message to the window (at 50 messages a second, 5 500 members copied 50 times a second). Only the team: the
 * other slices are small, and the core's readers compare their identity (`state.calls !==
 * previous.calls`). An owned team slice is the one exception to "never mutates": a listener reads
 * the team of the states it is handed during the call only (see `DeskListener`).
 */
export interface SliceOwner {
  team?: object;
}

/** The running `reduce`'s owner (undefined: nothing is owned; every change copies). */
let owning: SliceOwner | undefined;

/** Makes `slice` the owner's when it is the team. */
function own<T>(slice: SliceName, record: Record<string, T>): Record<string, T> {
  if (owning && slice === 'team') owning.team = record;
  return record;
}

/** Where the running `reduce` records what it touches (undefined: nobody asked). */
let touching: Touched | undefined;

function touch(slice: SliceName, key: string): void {
  if (!touching) return;
  const keys = touching[slice];
  if (keys === 'all') return;
  if (keys) keys.add(key);
  else (touching[slice] = new Set<string>()).add(key); // no array for the constructor to walk
}

function touchAll(slice: SliceName): void {
  if (touching) touching[slice] = 'all';
}

/**
 * Adds what `more` touched to `into` (a reader that gathers several actions' changes, such as the
 * bridge between two messages). `more`'s sets may be taken over by `into`: pass a `Touched` that
 * is not read again (the one a desk listener is handed).
 */
export function mergeTouched(into: Touched, more: Readonly<Touched>): void {
  for (const slice in more) {
    const name = slice as SliceName;
    const add = more[name]!;
    const have = into[name];
    if (have === 'all') continue;
    if (add === 'all') into[name] = 'all';
    // A listener's `Touched` is the desk's for that one change, never read again: adopt its sets.
    else if (!have) into[name] = add;
    else for (const key of add) have.add(key);
  }
}

/**
 * Sets on `into` (the fold's own new entity) every member of `patch` that is not `undefined`, so a
 * patch never erases what an earlier event told us; returns `into`. Members keep the order a spread
 * gives them (`{...into, ...defined}`): one object per event instead of a filtered copy spread again.
 */
function withDefined<T extends object>(into: T, patch: object): T {
  // `for…in` over the patch's own plain members: no array of entries per event (every call, chat
  // and queue event passes here).
  for (const k in patch) {
    const v = (patch as Record<string, unknown>)[k];
    if (v === undefined) continue;
    // A member named `__proto__` stays a member, as a spread made it (an assignment would set the prototype).
    if (k === '__proto__') Object.defineProperty(into, k, { value: v, enumerable: true, writable: true, configurable: true });
    else (into as Record<string, unknown>)[k] = v;
  }
  return into;
}
