/**
 * The diff the hub (`main/bridge.ts`) sends the windows: which entities of the desk state changed
 * between two states, as a {@link DeskPatch} (`common/patch.ts`, where the window's apply is).
 *
 * It compares by identity, so it is only right for states the store made: the store never
 * mutates, keeps every unchanged entity (and every old transcript line) by reference, and keeps
 * each transcript in one strict order. Those are the desk's promises, which is why the diff lives
 * with the desk and the window only applies.
 */
import type { Chat, DeskState, PastCall } from '../../common/model.js';
import { historyGrowth, type Touched } from './store.js';
import { SLICES, type ChatLines, type ChatUpsert, type DeskPatch, type RecentCallsDelta, type SlicePatch } from '../../common/patch.js';

function diffSlice<T extends object>(prev: Record<string, T>, next: Record<string, T>, touched: Set<string> | 'all' | undefined): SlicePatch<T> | undefined {
  if (prev === next) return undefined;
  const upsert: T[] = [];
  const remove: string[] = [];
  if (touched instanceof Set) {
    // Only what the folds since `prev` touched can differ: read those keys, not the slice.
    for (const key of touched) {
      const after = next[key];
      if (after === prev[key]) continue;
      if (after !== undefined) upsert.push(after);
      else remove.push(key);
    }
  } else {
    for (const key in next) if (prev[key] !== next[key]) upsert.push(next[key]!);
    for (const key in prev) if (!(key in next)) remove.push(key);
  }
  return upsert.length || remove.length ? { upsert, remove } : undefined;
}

/**
 * The recent calls' change as a delta when `next` is some calls followed by a prefix of `prev`
 * (what ending a call does: the store puts it at the head and drops the oldest), compared by
 * identity; `undefined` otherwise (the whole list then travels).
 */
function recentCallsDelta(prev: readonly PastCall[], next: readonly PastCall[]): RecentCallsDelta | undefined {
  if (prev.length === 0) return undefined;
  // The store says how `next` was made from `prev` when calls ending made it: nothing to compare.
  const grown = historyGrowth(prev, next);
  if (grown !== undefined && grown > 0) return { added: next.slice(0, grown), kept: next.length - grown };
  const added = next.indexOf(prev[0]!);
  if (added <= 0) return undefined;
  const kept = next.length - added;
  for (let i = 0; i < kept; i++) if (next[added + i] !== prev[i]) return undefined;
  return { added: next.slice(0, added), kept };
}

/**
 * The patch that turns `prev` into `next`, comparing entities by identity (the store never mutates).
 * Returns `undefined` when nothing changed.
 * @param touched what the store's folds from `prev` to `next` touched (`store.ts` {@link Touched},
 *   gathered with `mergeTouched`): only those keys are read. Without it (or for a slice it does not
 *   name) every entity of a changed slice is compared.
 */
export function diffState(prev: DeskState, next: DeskState, touched?: Readonly<Touched>): DeskPatch | undefined {
  if (prev === next) return undefined;
  const patch: DeskPatch = {};
  let any = false;
  for (const slice of SLICES) {
    const sp = diffSlice(prev[slice] as Record<string, object>, next[slice] as Record<string, object>, touched?.[slice]);
    if (sp) {
      (patch as Record<string, unknown>)[slice] = sp;
      any = true;
    }
  }
  // A chat's lines travel once: an upsert carries only the lines added since `prev`, whichever
  // slice the chat was in (a chat that ends moves from `chats` to `endedChats`, lines and all).
  // (Before this, a slice's upserts are the chats as the store holds them, whole.)
  if (patch.chats) patch.chats.upsert = (patch.chats.upsert as Chat[]).map((chat) => chatDelta(prev.chats[chat.key] ?? prev.endedChats[chat.key], chat));
  if (patch.endedChats) patch.endedChats.upsert = (patch.endedChats.upsert as Chat[]).map((chat) => chatDelta(prev.endedChats[chat.key] ?? prev.chats[chat.key], chat));
  if (prev.recentCalls !== next.recentCalls) {
    // Ending a call puts it at the head of the list: only it travels, not the calls before it.
    const delta = recentCallsDelta(prev.recentCalls, next.recentCalls);
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
 * A chat's upsert: when the transcript grew by appending (or stayed the same: a chat read, or
 * ended), only the new lines and the members that changed ({@link ChatLines}); else the whole chat.
 *
 * One comparison tells, whatever the transcript's length: the store keeps old lines by reference,
 * only ever adds lines, and keeps every transcript sorted by one strict total order (index, time,
 * id). So when the old transcript's last line sits at the same position in the new one, exactly
 * the lines that sort before it precede it there — all the old ones, in their order: the old
 * transcript is a prefix of the new one. A line that arrived out of order, sorted in before it,
 * moves it (or, a dismissed chat started afresh, holds other lines), and the whole chat is sent.
 */
function chatDelta(before: Chat | undefined, after: Chat): ChatUpsert {
  const old = before?.messages;
  if (!old) return after;
  // The same transcript (a chat that was read, or ended): no line travels, only what changed.
  if (old !== after.messages) {
    if (old.length === 0 || old.length > after.messages.length) return after;
    if (after.messages[old.length - 1] !== old[old.length - 1] || after.messages[0] !== old[0]) return after;
  }
  // Of the other members, only those that changed travel (the store keeps unchanged ones by
  // reference); a member removed (an error cleared) sends the whole chat, which replaces the window's.
  for (const member in before) if (!(member in after)) return after;
  const lines: Record<string, unknown> = { key: after.key, messages: after.messages.slice(old.length), messagesFrom: old.length };
  for (const member in after) {
    if (member === 'key' || member === 'messages') continue;
    const value = after[member as keyof Chat];
    if (value !== before[member as keyof Chat]) lines[member] = value;
  }
  return lines as ChatLines;
}
