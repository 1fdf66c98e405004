/**
 * The diff the hub (`main/bridge.ts`) sends the windows: which entities of the desk state changed
 * between two states, and of each the window already has, which members (`Upsert`), as a
 * {@link DeskPatch} (`common/patch.ts`, where the window's apply is).
 *
 * It finds changed entities by identity, so it is only right for states the store made: the store never
 * mutates, keeps every unchanged entity (and every old transcript line) by reference, and keeps
 * each transcript in one strict order. Those are the desk's promises, which is why the diff lives
 * with the desk and the window only applies.
 */
import type { Chat, DeskState, PastCall, TeamMember } from '../../common/model.js';
import { historyGrowth, type Touched } from './store.js';
import { type ChatUpsert, type DeskPatch, type EndedCallUpsert, type RecentCallsDelta, type SliceName } from '../../common/patch.js';

type Entity = Record<string, unknown>;
/** A keyed slice of the state, as the diff reads it. */
type Slice = Record<string, Entity>;

/**
 * One slice's upserts and removals. An entity `prev` had (for a chat: in either chat slice, `from`)
 * travels as its changed members ({@link changedMembers}); one it did not, whole; one whose members
 * all came out equal, not at all.
 */
function diffSlice(
  slice: SliceName,
  prev: Record<string, Entity>,
  next: Record<string, Entity>,
  touched: Set<string> | 'all' | undefined,
  from: Record<string, Entity> | undefined,
): { upsert: Entity[]; remove: string[] } | undefined {
  if (prev === next) return undefined;
  const upsert: Entity[] = [];
  const remove: string[] = [];
  const keyName = slice === 'accounts' ? 'id' : 'key';
  if (touched instanceof Set) {
    // Only what the folds since `prev` touched can differ: read those keys, not the slice.
    for (const key of touched) {
      const after = next[key];
      const before = prev[key];
      if (after === before) continue;
      if (after === undefined) remove.push(key);
      else addUpsert(upsert, keyName, before ?? from?.[key], after, from !== undefined);
    }
  } else {
    for (const key in next) if (prev[key] !== next[key]) addUpsert(upsert, keyName, prev[key] ?? from?.[key], next[key]!, from !== undefined);
    for (const key in prev) if (!(key in next)) remove.push(key);
  }
  return upsert.length || remove.length ? { upsert, remove } : undefined;
}

/** Adds to `upsert` what travels of `after` (whole when there is no `before`; nothing when no member changed). No closure: the diff runs per message. */
function addUpsert(upsert: Entity[], keyName: 'key' | 'id', before: Entity | undefined, after: Entity, chat: boolean): void {
  if (before === undefined) {
    upsert.push(after);
    return;
  }
  const members = chat ? (chatDelta(before as unknown as Chat, after as unknown as Chat) as unknown as Entity | undefined) : changedMembers(before, after, keyName);
  if (members) upsert.push(members);
}

/**
 * Of an entity that changed, what travels (`common/patch.ts` `Upsert`): its key (`keyName`), the
 * members whose value changed, and `unset`, the members it lost (gone, or now `undefined`: the
 * JSON text drops those); `undefined` when no member changed (the store made a new object of equal
 * values). `skip` is left to the caller (a chat's transcript).
 */
function changedMembers(before: Entity, after: Entity, keyName: 'key' | 'id', skip?: string): Entity | undefined {
  // A literal per key name (a computed name would make every upsert a slow, dictionary object).
  const out: Entity = keyName === 'key' ? { key: after.key } : { id: after.id };
  let any = false;
  for (const member in after) {
    const value = after[member];
    if (member === skip || value === undefined || value === before[member] || sameJson(value, before[member], 3)) continue;
    // A member named `__proto__` stays a member (an assignment would set the prototype).
    if (member === '__proto__') Object.defineProperty(out, member, { value, enumerable: true, writable: true, configurable: true });
    else out[member] = value;
    any = true;
  }
  let unset: string[] | undefined;
  for (const member in before) if (before[member] !== undefined && after[member] === undefined) (unset ??= []).push(member);
  if (unset) out.unset = unset;
  return any || unset ? out : undefined;
}

/**
 * Whether two members' values have the same JSON text, told without making it: the store makes a
 * new object for a member an event restates (a call's `actions` and `userData`, a member's
 * `presence`), and sending it again would cost what the member patch saves. Looks `depth` levels
 * down; deeper, only identity counts (the member then travels: never wrong, only longer).
 */
function sameJson(a: unknown, b: unknown, depth: number): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || depth === 0) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i], depth - 1)) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Entity;
  const y = b as Entity;
  let members = 0;
  for (const k in x) {
    if (x[k] === undefined) continue;
    if (!sameJson(x[k], y[k], depth - 1)) return false;
    members += 1;
  }
  for (const k in y) if (y[k] !== undefined) members -= 1;
  return members === 0;
}

/**
 * The recent calls' change as a delta when `next` is some calls followed by a prefix of `prev`
 * (what ending a call does: the store puts it at the head and drops the oldest), compared by
 * identity; `undefined` otherwise (the whole list then travels).
 */
function recentCallsDelta(prev: readonly PastCall[], next: readonly PastCall[], live: DeskState['calls']): RecentCallsDelta | undefined {
  // A first call ending: the whole list is it (and an entry of a live call needs the delta's form).
  if (prev.length === 0) return next.length === 0 ? undefined : { added: addedCalls(next, next.length, live), kept: 0 };
  // The store says how `next` was made from `prev` when calls ending made it: nothing to compare.
  const grown = historyGrowth(prev, next);
  if (grown !== undefined && grown > 0) return { added: addedCalls(next, grown, live), kept: next.length - grown };
  const added = next.indexOf(prev[0]!);
  if (added <= 0) return undefined;
  const kept = next.length - added;
  for (let i = 0; i < kept; i++) if (next[added + i] !== prev[i]) return undefined;
  return { added: addedCalls(next, added, live), kept };
}

/**
 * The first `count` entries of `history` as the delta carries them: of a call the window has live
 * (in `live`, the calls of the state the patch follows), what its ending changed
 * (`common/patch.ts` `EndedCallUpsert`); of any other, the whole entry.
 */
function addedCalls(history: readonly PastCall[], count: number, live: DeskState['calls']): RecentCallsDelta['added'] {
  const out: RecentCallsDelta['added'] = new Array(count);
  for (let i = 0; i < count; i++) {
    const past = history[i]!;
    const call = live[past.key];
    const members = call === undefined ? undefined : changedMembers(call as unknown as Entity, past as unknown as Entity, 'key');
    out[i] = members === undefined ? past : ((members.live = true), members as unknown as EndedCallUpsert);
  }
  return out;
}

/**
 * The team members as the windows last had them, by desk key, kept by their sender (the bridge's
 * hub) across patches. With it, the team's diff reads the members the folds touched here rather
 * than in the previous state's team slice, so that slice may be the desk's own, changed in place
 * between two messages (`store.ts` {@link SliceOwner}; `Desk.peek`): a supervisor's 5 000 busy lamps
 * are then never copied per message. {@link diffState} brings it up to date with each patch.
 */
export type TeamSent = Map<string, TeamMember>;

/** A {@link TeamSent} that holds `team` (the full state a window was sent). */
export function teamSentOf(team: Readonly<Record<string, TeamMember>>): TeamSent {
  const sent: TeamSent = new Map();
  for (const key in team) sent.set(key, team[key]!);
  return sent;
}

/**
 * The team's upserts and removals against `sent` (then brought up to date): of the touched keys, or
 * of every member when the folds replaced the slice wholesale (`'all'`) or nobody said (undefined).
 */
function diffTeam(sent: TeamSent, next: Record<string, Entity>, touched: Set<string> | 'all' | undefined): { upsert: Entity[]; remove: string[] } | undefined {
  const upsert: Entity[] = [];
  const remove: string[] = [];
  if (touched instanceof Set) for (const key of touched) diffMember(sent, next, key, upsert, remove);
  else {
    for (const key in next) diffMember(sent, next, key, upsert, remove);
    for (const key of sent.keys()) if (!(key in next)) diffMember(sent, next, key, upsert, remove);
  }
  return upsert.length || remove.length ? { upsert, remove } : undefined;
}

/** One member's upsert or removal against `sent`, which then holds what the window will have. */
function diffMember(sent: TeamSent, next: Record<string, Entity>, key: string, upsert: Entity[], remove: string[]): void {
  const after = next[key] as TeamMember | undefined;
  const before = sent.get(key);
  if (after === before) return;
  if (after === undefined) {
    sent.delete(key);
    remove.push(key);
    return;
  }
  sent.set(key, after);
  addUpsert(upsert, 'key', before as Entity | undefined, after as Entity, false);
}

/**
 * The patch that turns `prev` into `next`, comparing entities by identity (the store never mutates).
 * Returns `undefined` when nothing changed.
 * @param touched what the store's folds from `prev` to `next` touched (`store.ts` {@link Touched},
 *   gathered with `mergeTouched`): only those keys are read. Without it (or for a slice it does not
 *   name) every entity of a changed slice is compared.
 * @param teamSent the team as the windows last had it ({@link TeamSent}): the team is diffed against
 *   it, not against `prev.team` (which may since have been changed in place), and it is brought up
 *   to date. Without it, `prev.team` must be the team as sent, untouched since.
 */
export function diffState(prev: DeskState, next: DeskState, touched?: Readonly<Touched>, teamSent?: TeamSent): DeskPatch | undefined {
  if (prev === next) return undefined;
  const patch: DeskPatch = {};
  let any = false;
  // Slice by slice, each named (`prev.calls`, not `prev[slice]`: a member read by a variable name is
  // a keyed look-up V8 cannot specialise, fourteen of them per message), in `SLICES`' order. Most
  // changes touch one slice: the others are passed over by identity, before anything else is read.
  // A chat that ends moves from `chats` to `endedChats`: its upsert is made from where it was.
  let sp = prev.accounts === next.accounts ? undefined : diffSlice('accounts', prev.accounts as Slice, next.accounts as Slice, touched?.accounts, undefined);
  if (sp) {
    patch.accounts = sp as DeskPatch['accounts'];
    any = true;
  }
  sp = prev.calls === next.calls ? undefined : diffSlice('calls', prev.calls as Slice, next.calls as Slice, touched?.calls, undefined);
  if (sp) {
    patch.calls = sp as DeskPatch['calls'];
    any = true;
  }
  sp = prev.chats === next.chats ? undefined : diffSlice('chats', prev.chats as Slice, next.chats as Slice, touched?.chats, prev.endedChats as Slice);
  if (sp) {
    patch.chats = sp as DeskPatch['chats'];
    any = true;
  }
  sp = prev.endedChats === next.endedChats ? undefined : diffSlice('endedChats', prev.endedChats as Slice, next.endedChats as Slice, touched?.endedChats, prev.chats as Slice);
  if (sp) {
    patch.endedChats = sp as DeskPatch['endedChats'];
    any = true;
  }
  sp = prev.callbacks === next.callbacks ? undefined : diffSlice('callbacks', prev.callbacks as Slice, next.callbacks as Slice, touched?.callbacks, undefined);
  if (sp) {
    patch.callbacks = sp as DeskPatch['callbacks'];
    any = true;
  }
  sp = prev.queues === next.queues ? undefined : diffSlice('queues', prev.queues as Slice, next.queues as Slice, touched?.queues, undefined);
  if (sp) {
    patch.queues = sp as DeskPatch['queues'];
    any = true;
  }
  if (teamSent !== undefined) {
    // The team as sent is read by member (its slice may be the desk's own, changed in place), and
    // only when a fold touched the team (or nobody said what was touched).
    sp = touched !== undefined && touched.team === undefined ? undefined : diffTeam(teamSent, next.team as Slice, touched?.team);
  } else sp = prev.team === next.team ? undefined : diffSlice('team', prev.team as Slice, next.team as Slice, touched?.team, undefined);
  if (sp) {
    patch.team = sp as DeskPatch['team'];
    any = true;
  }
  if (prev.recentCalls !== next.recentCalls) {
    // Ending a call puts it at the head of the list: only it travels, not the calls before it.
    const delta = recentCallsDelta(prev.recentCalls, next.recentCalls, prev.calls);
    if (delta) patch.recentCallsDelta = delta;
    else patch.recentCalls = next.recentCalls;
    any = true;
  }
  if (prev.missedUnseen !== next.missedUnseen) {
    patch.missedUnseen = next.missedUnseen;
    any = true;
  }
  if (prev.historyNotice !== next.historyNotice) {
    patch.historyNotice = next.historyNotice ?? null;
    any = true;
  }
  if (prev.historyNoticeSaid !== next.historyNoticeSaid) {
    patch.historyNoticeSaid = next.historyNoticeSaid ?? null;
    any = true;
  }
  if (prev.demo !== next.demo) {
    patch.demo = next.demo;
    any = true;
  }
  if (prev.setup !== next.setup) {
    patch.setup = next.setup;
    any = true;
  }
  if (prev.pendingDial !== next.pendingDial) {
    patch.pendingDial = next.pendingDial ?? null;
    any = true;
  }
  if (prev.screenPops !== next.screenPops && next.screenPops) {
    patch.screenPops = next.screenPops;
    any = true;
  }
  if (prev.automation !== next.automation) {
    patch.automation = next.automation ?? null;
    any = true;
  }
  return any ? patch : undefined;
}

/**
 * A known chat's upsert ({@link changedMembers}, `common/patch.ts` `ChatUpsert`): when the
 * transcript grew by appending, or stayed the same (a chat read, or ended), only the new lines, if
 * any (`messagesFrom`: how many the window keeps); when it changed otherwise, the whole transcript.
 * `undefined` when nothing changed.
 *
 * One comparison tells, whatever the transcript's length: the store keeps old lines by reference,
 * only ever adds lines, and keeps every transcript sorted by one strict total order (index, time,
 * id). So when the old transcript's last line sits at the same position in the new one, exactly
 * the lines that sort before it precede it there — all the old ones, in their order: the old
 * transcript is a prefix of the new one. A line that arrived out of order, sorted in before it,
 * moves it (or, a dismissed chat started afresh, holds other lines), and the whole transcript is sent.
 */
function chatDelta(before: Chat, after: Chat): ChatUpsert | undefined {
  const lines = changedMembers(before as unknown as Entity, after as unknown as Entity, 'key', 'messages');
  const old = before.messages;
  if (old === after.messages && !lines) return undefined;
  const out = (lines ?? { key: after.key }) as ChatUpsert;
  const appended = old === after.messages || (old.length > 0 && old.length <= after.messages.length && after.messages[old.length - 1] === old[old.length - 1] && after.messages[0] === old[0]);
  if (appended) {
    out.messages = after.messages.slice(old.length);
    out.messagesFrom = old.length;
  } else out.messages = after.messages;
  return out;
}
