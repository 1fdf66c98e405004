/**
 * The desk's changes as the wire carries them, and how the window folds them in.
 *
 * The core pushes a full {@link DeskState} first, then {@link DeskPatch}es holding only what
 * changed: a new entity whole, and of an entity the window already has only its key and the members
 * whose identity changed ({@link Upsert}); a chat whose transcript only grew carries just its new
 * lines. The diff that makes a patch is the core's (`main/desk/patch.ts`): it relies on what the store
 * promises (it never mutates, keeps unchanged entities and transcript lines by reference, keeps
 * every transcript in one order), and only the core computes patches, so it stays out of the
 * window's bundle. The patch's shape and the apply are here, in `common/`, because both sides need
 * them: the core builds patches of this shape, the window (`renderer/lib/desk.svelte.ts`) applies
 * them, and the contract (`preload/bridge.ts`) re-exports the types for its `DeskChange` push.
 *
 * Pure: no Node, no DOM, nothing outside `common/`.
 */
import type { AutomationView } from './automation.js';
import type { Account, Call, Callback, Chat, DeskSetup, DeskState, PastCall, PendingDial, Queue, Said, ScreenPop, TeamMember } from './model.js';

/** The member that names an entity of `T`: `key`, or `id` for accounts (which have no `key`). */
export type KeyOf<T> = T extends { key: string } ? Pick<T, 'key'> : T extends { id: string } ? Pick<T, 'id'> : never;

/**
 * An entity as a patch carries it. One the window does not have yet (new, or none under its key)
 * travels whole. Of one it has (in the same slice; a chat also in the other chat slice, since a chat
 * that ends moves), only its key travels, with the members whose value changed, whole (a changed
 * `presence` travels as a whole `presence`), and `unset` naming the members it lost (an error
 * cleared, a prompt answered). So a flag that changes costs the flag's bytes, not the account's
 * (issue 21). The window merges it into its copy ({@link applyPatch}): the members present replace
 * its own, those in `unset` leave. A member absent did not change; a member whose value is a new
 * object equal to the old (a call's `userData` each event restates) does not travel either.
 * [I]: the format is the project's own; both sides are here and in `main/desk/patch.ts`.
 */
export type Upsert<T> = Partial<T> & KeyOf<T> & { unset?: Array<keyof T & string> };

/** Upserts and removals of one keyed slice of `T`: whole entities or their changed members ({@link Upsert}; a chat's: {@link ChatUpsert}). */
export type SlicePatch<T, U = Upsert<T>> = {
  upsert: U[];
  remove: string[];
};

/**
 * A changed chat ({@link Upsert}), always with `messages`: when `messagesFrom` is present, they are
 * just the lines added after the first `messagesFrom` of the window's transcript (none when it did
 * not grow; a chat's line costs its own bytes, not the chat's); when it is absent, the whole
 * transcript (a new chat, or a line that arrived out of order was sorted in before others).
 */
export type ChatUpsert = Upsert<Chat> & Pick<Chat, 'messages'> & { messagesFrom?: number };

/** A chat whose transcript only grew: the chat's key, its new lines and its other changed members ({@link ChatUpsert}). */
export type ChatLines = ChatUpsert & Pick<Chat, 'messages'> & { messagesFrom: number };

/**
 * A call that ended as the history's delta carries it when the window has it live: the call's key,
 * `live: true`, and the members its history entry changed or added (its end time, outcome, account
 * label…) as an {@link Upsert} of the window's live call (`unset`: what only a live call holds).
 * The rest — caller, call data, times — the window already has, and an ended call was half of
 * some platforms' bytes to the window (issue 21).
 */
export type EndedCallUpsert = Upsert<PastCall> & Pick<PastCall, 'key'> & { live: true };

/**
 * How the recent calls changed when calls were put at the head of the list: those calls, then the
 * first `kept` of the list as it was (the rest fell off its end). The whole list travels otherwise.
 * A call the window has live (in the state the patch applies to) travels as an {@link EndedCallUpsert}
 * of it; any other whole.
 */
export type RecentCallsDelta = { added: Array<PastCall | EndedCallUpsert>; kept: number };

/** What changed between two states. Absent members did not change. */
export type DeskPatch = {
  accounts?: SlicePatch<Account>;
  calls?: SlicePatch<Call>;
  recentCalls?: PastCall[];
  recentCallsDelta?: RecentCallsDelta;
  missedUnseen?: number;
  /** The notice about a history that could not be read; `null` when the agent dismissed it. */
  historyNotice?: string | null;
  /** The same notice as a code (`DeskState.historyNoticeSaid`); `null` when dismissed. */
  historyNoticeSaid?: Said | null;
  chats?: SlicePatch<Chat, ChatUpsert>;
  /** Chats that ended (a chat that ends is removed from `chats` and upserted here, under its key). */
  endedChats?: SlicePatch<Chat, ChatUpsert>;
  callbacks?: SlicePatch<Callback>;
  queues?: SlicePatch<Queue>;
  team?: SlicePatch<TeamMember>;
  demo?: boolean;
  setup?: DeskSetup;
  /** The pending `tel:` link; `null` when it was confirmed, cancelled or replaced by nothing. */
  pendingDial?: PendingDial | null;
  /** The live calls' screen pops, whole (a few at most). */
  screenPops?: Record<string, ScreenPop>;
  /** The automation API's view, whole (a few apps and at most 20 actions); `null` when it was turned off. */
  automation?: AutomationView | null;
};

/** A pushed change: `full` on subscribe (and after a gap), else `patch`. `seq` counts up by one. */
export type DeskChange = { seq: number; full: DeskState } | { seq: number; patch: DeskPatch };

/** An entity of a keyed slice, or its upsert: accounts are keyed by `id`, everything else by `key`. */
type Keyed = { key: string } | { id: string; key?: undefined };
/** The desk state's keyed slices: each is a record by key, patched as upserts and removals. */
export type SliceName = 'accounts' | 'calls' | 'chats' | 'endedChats' | 'callbacks' | 'queues' | 'team';
/** Every keyed slice, in the order a patch lists them. */
export const SLICES: readonly SliceName[] = ['accounts', 'calls', 'chats', 'endedChats', 'callbacks', 'queues', 'team'];

function keyOf(entity: Keyed): string {
  return entity.key ?? (entity as { id: string }).id;
}

/**
 * The team slice its caller owns: made by an earlier {@link applyPatch} and kept by nobody who
 * expects it unchanged, so the next patch may set members in it in place instead of copying it
 * (the window's side of the core's `SliceOwner`, `main/desk/store.ts`). Why: a supervisor's Team
 * holds thousands of members, and copying the record per message cost the window 2–9 ms a message
 * at 1 000 changes/s (issue 21). Only the team: the other slices are small, and readers compare
 * their identity. A caller that passes an owner tells a member's change by the patch's keys, not
 * by the team's identity.
 */
export interface PatchOwner {
  team?: object;
}

/**
 * Applies a patch to a state (the window's side of `diffState` in `main/desk/patch.ts`). Pure,
 * except for a team slice `owner` owns ({@link PatchOwner}), which is changed in place; the team
 * record it makes becomes `owner`'s. An upsert of an entity `state` has is merged into it
 * ({@link Upsert}): the result is a new object, so a reader still tells a changed entity by identity.
 */
export function applyPatch(state: DeskState, patch: DeskPatch, owner?: PatchOwner): DeskState {
  const next: DeskState = { ...state };
  for (const slice of SLICES) {
    const sp = patch[slice] as SlicePatch<Keyed> | undefined;
    if (!sp) continue;
    const before = state[slice] as Record<string, Keyed>;
    const owned = slice === 'team' && owner !== undefined;
    const record = owned && owner.team === before ? before : { ...before };
    if (owned) owner.team = record;
    for (const key of sp.remove) delete record[key];
    // A chat that ends moves between the chat slices: its upsert is made from where it was.
    const other = slice === 'chats' ? state.endedChats : slice === 'endedChats' ? state.chats : undefined;
    for (const upsert of sp.upsert) {
      const key = keyOf(upsert);
      const known = before[key] ?? (other?.[key] as Keyed | undefined);
      record[key] = known === undefined ? upsert : merged(known, upsert as Upsert<Keyed> & { messagesFrom?: number });
    }
    (next as unknown as Record<string, unknown>)[slice] = record;
  }
  if (patch.recentCalls) next.recentCalls = patch.recentCalls;
  if (patch.recentCallsDelta) {
    const { added, kept } = patch.recentCallsDelta;
    // An ended call the window has live is made from its live call (in `state`: before this patch removes it).
    const calls = added.map((entry) => ('live' in entry ? (endedCall(state.calls[entry.key], entry) as PastCall) : entry));
    next.recentCalls = [...calls, ...state.recentCalls.slice(0, kept)];
  }
  if (patch.missedUnseen !== undefined) next.missedUnseen = patch.missedUnseen;
  if (patch.historyNotice === null) delete next.historyNotice;
  else if (patch.historyNotice !== undefined) next.historyNotice = patch.historyNotice;
  if (patch.historyNoticeSaid === null) delete next.historyNoticeSaid;
  else if (patch.historyNoticeSaid !== undefined) next.historyNoticeSaid = patch.historyNoticeSaid;
  if (patch.demo !== undefined) next.demo = patch.demo;
  if (patch.setup) next.setup = patch.setup;
  if (patch.pendingDial === null) delete next.pendingDial;
  else if (patch.pendingDial) next.pendingDial = patch.pendingDial;
  if (patch.screenPops) next.screenPops = patch.screenPops;
  if (patch.automation === null) delete next.automation;
  else if (patch.automation) next.automation = patch.automation;
  return next;
}

/** A history entry from the window's live call and the members its ending changed ({@link EndedCallUpsert}). */
function endedCall(live: Call | undefined, entry: EndedCallUpsert): Keyed {
  const { live: _live, ...upsert } = entry;
  // A live call the window lacks cannot be: the core sends the upsert only of a call in the state
  // this patch follows, and a patch out of sequence is never applied. Its members alone, then.
  return live === undefined ? (upsert as Keyed) : merged(live, upsert as Upsert<Keyed>);
}

/** `known` with an upsert's members in place of its own and its `unset` members gone (a chat's new lines after its first `messagesFrom`). */
function merged(known: Keyed, upsert: Upsert<Keyed> & { messagesFrom?: number }): Keyed {
  // Spreads, not assignments: a member is defined as JSON.parse made it, whatever its name.
  const { unset, messagesFrom, ...members } = upsert;
  const out = { ...known, ...members } as Record<string, unknown>;
  if (messagesFrom !== undefined) {
    const lines = (known as { messages?: unknown[] }).messages ?? [];
    out.messages = [...lines.slice(0, messagesFrom), ...(members as unknown as { messages: unknown[] }).messages];
  }
  if (unset) for (const member of unset) delete out[member];
  return out as Keyed;
}

/**
 * Folds a pushed change into the renderer's copy of the state (`owner`: see {@link PatchOwner}).
 * @returns the new state, or `undefined` when a patch arrives out of sequence (the caller then
 *   waits for the next `full`, which the host sends on resubscribe).
 */
export function applyChange(
  current: { seq: number; state: DeskState } | undefined,
  change: DeskChange,
  owner?: PatchOwner,
): { seq: number; state: DeskState } | undefined {
  if ('full' in change) return { seq: change.seq, state: change.full };
  if (!current || change.seq !== current.seq + 1) return undefined;
  return { seq: change.seq, state: applyPatch(current.state, change.patch, owner) };
}
