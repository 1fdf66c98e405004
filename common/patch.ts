/**
 * The desk's changes as the wire carries them, and how the window folds them in.
 *
 * The core pushes a full {@link DeskState} first, then {@link DeskPatch}es holding only the
 * entities whose identity changed; a chat whose transcript only grew carries just its new lines.
 * The diff that makes a patch is the core's (`main/desk/patch.ts`): it relies on what the store
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

/** Upserts and removals of one keyed slice. */
export type SlicePatch<T> = {
  upsert: T[];
  remove: string[];
};

/**
 * A changed chat: the whole chat, or, when its transcript only grew, {@link ChatLines}.
 */
export type ChatUpsert = (Chat & { messagesFrom?: undefined }) | ChatLines;

/**
 * A chat whose transcript only grew: `messages` holds just the new lines, `messagesFrom` says how
 * many earlier lines to keep, and of the other members only those that changed travel (the rest
 * are the window's as it has them), so a chat's line costs its own bytes, not the chat's. No
 * member was removed (a chat that lost one travels whole).
 */
export type ChatLines = Partial<Chat> & Pick<Chat, 'key' | 'messages'> & { messagesFrom: number };

/**
 * How the recent calls changed when calls were put at the head of the list: those calls, then the
 * first `kept` of the list as it was (the rest fell off its end). The whole list travels otherwise.
 */
export type RecentCallsDelta = { added: PastCall[]; kept: number };

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
  chats?: SlicePatch<ChatUpsert>;
  /** Chats that ended (a chat that ends is removed from `chats` and upserted here, under its key). */
  endedChats?: SlicePatch<ChatUpsert>;
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

/** An entity of a keyed slice: accounts are keyed by `id`, everything else by `key`. */
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
 * record it makes becomes `owner`'s.
 */
export function applyPatch(state: DeskState, patch: DeskPatch, owner?: PatchOwner): DeskState {
  const next: DeskState = { ...state };
  for (const slice of SLICES) {
    const sp = patch[slice] as SlicePatch<Keyed> | undefined;
    if (!sp) continue;
    const owned = slice === 'team' && owner !== undefined;
    const record = owned && owner.team === state.team ? (state.team as Record<string, Keyed>) : { ...(state[slice] as Record<string, Keyed>) };
    if (owned) owner.team = record;
    for (const key of sp.remove) delete record[key];
    const chats = slice === 'chats' || slice === 'endedChats';
    for (const entity of sp.upsert) record[keyOf(entity)] = chats ? fullChat(state, entity as ChatUpsert) : entity;
    (next as unknown as Record<string, unknown>)[slice] = record;
  }
  if (patch.recentCalls) next.recentCalls = patch.recentCalls;
  if (patch.recentCallsDelta) next.recentCalls = [...patch.recentCallsDelta.added, ...state.recentCalls.slice(0, patch.recentCallsDelta.kept)];
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

/** A chat upsert made whole: its earlier lines from the chat as `state` had it, live or ended (a chat that ends moves between the slices). */
function fullChat(state: DeskState, upsert: ChatUpsert): Chat {
  if (upsert.messagesFrom === undefined) return upsert;
  const { messagesFrom, ...lines } = upsert;
  const before = state.chats[lines.key] ?? state.endedChats[lines.key];
  return { ...before, ...lines, messages: [...(before?.messages ?? []).slice(0, messagesFrom), ...lines.messages] } as Chat;
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
