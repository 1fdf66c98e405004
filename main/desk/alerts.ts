/**
 * The alert policy, pure: which state becomes an OS toast.
 *
 * - One toast per ringing call, keyed by the call's desk key, never twice — however many events the
 *   platform sends about the call (coming, arrived, allocated…) and however often the
 *   state is re-read after a reconnect.
 * - One toast per chat invitation.
 * - None for an account in do-not-disturb; the decision is final for that call (leaving DND while it
 *   still rings does not raise a late toast).
 * - The text names the caller's number, the queue or number called, and the account, in the agent's
 *   language (the translator handed in; issue 19) — the platform's words (queue, names) as sent.
 * - A toast shown is closed again once what it announced stops asking for the agent: the call no
 *   longer rings (answered here or elsewhere, declined, ended, gone) or the chat is no longer an
 *   invitation (accepted, declined, ended) — issue 11, "the OS toast closes itself" ({@link toastsToClose}).
 */
import type { Translator } from '../../common/i18n.js';
import type { Account, Call, Chat, DeskState, FocusTarget, Toast } from '../../common/model.js';
import type { Touched } from './store.js';
import { english } from '../i18n.js';

/** What the agent chose to be alerted about (display preferences in the config). */
export interface AlertPreferences {
  calls: boolean;
  chats: boolean;
}

export const DEFAULT_ALERT_PREFERENCES: AlertPreferences = { calls: true, chats: true };

/** How many decided toast ids the policy remembers (oldest forgotten first). */
export const ALERT_MEMORY_LIMIT = 2_000;

/**
 * The toast ids already decided (shown or suppressed). Bounded, oldest forgotten first; immutable:
 * {@link decideToasts} returns a new one when it changes. Start with an empty `Set`.
 */
export interface AlertMemory {
  has(id: string): boolean;
  readonly size: number;
}

/**
 * The ids some memories share: each id with its position (0, 1, 2… in the order decided), and how
 * many positions were given. Only ever added to at the end, never changed, so a memory that reads
 * the positions before its own end sees what it held when it was made, whatever was added since.
 */
interface Lineage {
  readonly ids: Map<string, number>;
  next: number;
}

/**
 * A memory: the ids of a {@link Lineage} at positions `from` (inclusive) to `to` (exclusive).
 * Deciding a new toast on the newest memory of a lineage adds its id to the lineage and makes a
 * memory one longer, forgetting the oldest past {@link ALERT_MEMORY_LIMIT} by moving `from`: no id
 * is copied (a memory with recent ids apart, copied per decision and folded with the older ones every
 * 64 decisions, was still 6 % of the core's time on a stream of ringing calls). Every
 * {@link ALERT_MEMORY_LIMIT} ids the newest memory's are copied into a lineage of their own, so a
 * lineage holds at most twice the limit.
 */
class Remembered implements AlertMemory {
  constructor(
    readonly lineage: Lineage,
    readonly from: number,
    readonly to: number,
  ) {}
  has(id: string): boolean {
    const at = this.lineage.ids.get(id);
    return at !== undefined && at >= this.from && at < this.to;
  }
  get size(): number {
    return this.to - this.from;
  }
}

/** `memory` with `added` (ids it does not hold) remembered, the oldest forgotten past {@link ALERT_MEMORY_LIMIT}. */
function remember(memory: AlertMemory, added: readonly string[]): AlertMemory {
  if (memory instanceof Remembered) {
    const { lineage } = memory;
    // Only the newest memory of a lineage grows it, and only with ids the lineage never held (an id
    // forgotten and decided again would move, which the memories that hold it must not see).
    if (memory.to === lineage.next && lineage.ids.size < 2 * ALERT_MEMORY_LIMIT && added.every((id) => !lineage.ids.has(id))) {
      for (const id of added) lineage.ids.set(id, lineage.next++);
      return new Remembered(lineage, Math.max(memory.from, lineage.next - ALERT_MEMORY_LIMIT), lineage.next);
    }
    return fold([...held(memory), ...added]);
  }
  return fold([...(memory instanceof Set ? (memory as ReadonlySet<string>) : []), ...added]);
}

/** The ids a memory holds, oldest first. */
function* held(memory: Remembered): Iterable<string> {
  for (const [id, at] of memory.lineage.ids) if (at >= memory.from && at < memory.to) yield id;
}

/** A memory of the last {@link ALERT_MEMORY_LIMIT} of `ids` (oldest first), in a lineage of its own. */
function fold(ids: readonly string[]): AlertMemory {
  const lineage: Lineage = { ids: new Map(), next: 0 };
  for (let i = Math.max(0, ids.length - ALERT_MEMORY_LIMIT); i < ids.length; i++) lineage.ids.set(ids[i]!, lineage.next++);
  return new Remembered(lineage, 0, lineage.next);
}

function suppressed(account: Account | undefined): boolean {
  return account?.presence?.state === 'do-not-disturb';
}

/**
 * A toast whose text is written when it is first read (then kept): the words cost FormatJS a few
 * µs per toast, and a desk with no one showing toasts (the bench rings thousands of calls; a core
 * without a shell) decides toasts without reading them (issue 21). The text is the same whenever it
 * is read: the call or chat and account it is made from never change (the store makes new ones),
 * and the translator is the one of the decision. Title and body are enumerable members, so the
 * toast reads, copies and serialises as a plain object.
 */
function lazyToast(id: string, target: FocusTarget, write: () => { title: string; body: string }): Toast {
  let text: { title: string; body: string } | undefined;
  return {
    id,
    get title(): string {
      return (text ??= write()).title;
    },
    get body(): string {
      return (text ??= write()).body;
    },
    target,
  };
}

function callToast(call: Call, account: Account | undefined, tr: Translator): Toast {
  return lazyToast(`call:${call.key}`, { kind: 'call', key: call.key }, () => {
    const caller = call.caller || tr.t('calls.unknown-number');
    const via = call.queue?.name ?? call.target;
    const accountLabel = account?.label ?? call.accountId;
    return {
      title: tr.t('toast.call.title', { caller }),
      body: [via ? tr.t('toast.call.to', { via }) : undefined, accountLabel].filter(Boolean).join(' · '),
    };
  });
}

function chatToast(chat: Chat, account: Account | undefined, tr: Translator): Toast {
  return lazyToast(`chat:${chat.key}`, { kind: 'chat', key: chat.key }, () => {
    const other = chat.participants.find((p) => p.role === 'customer' || p.role === 'colleague');
    const first = chat.messages.find((m) => m.kind === 'text' && (m.from.role === 'customer' || m.from.role === 'colleague'))?.text;
    return {
      title: other ? tr.t('toast.chat.title', { from: other.role, name: other.name }) : tr.t('toast.chat.customer'),
      body: [first, account?.label ?? chat.accountId].filter(Boolean).join(' · '),
    };
  });
}

/**
 * Decides the toasts a state calls for.
 * @param state the desk state now.
 * @param memory ids already decided.
 * @param preferences which kinds of toast the agent wants.
 * @param touched what the change touched (`store.ts` {@link Touched}): only those calls and chats
 *   are read; absent, every one is.
 * @param tr the agent's language (English by default: the logs' and the tests' words).
 * @returns the toasts to show now (each at most once, ever) and the memory to pass next time
 *   (the same object when nothing was decided).
 */
export function decideToasts(
  state: DeskState,
  memory: AlertMemory,
  preferences: AlertPreferences = DEFAULT_ALERT_PREFERENCES,
  touched?: Readonly<Touched>,
  tr: Translator = english,
): { toasts: Toast[]; memory: AlertMemory } {
  // Runs on every change of the desk: no closure or list per call, and the memory grows only when
  // something new is decided (see `Remembered`). Given what the change touched, it reads only those
  // calls and chats: a toast is decided when its call or chat changes, so the others hold nothing new.
  // The lists are made only once something is decided (most changes decide nothing).
  let toasts: Toast[] | undefined;
  let added: string[] | undefined;
  for (const key of keysOf(state.calls, touched, 'calls')) {
    const call = state.calls[key];
    if (!call || call.state !== 'ringing' || call.stale) continue;
    const id = `call:${call.key}`;
    if (memory.has(id) || added?.includes(id)) continue;
    (added ??= []).push(id);
    const account = state.accounts[call.accountId];
    if (preferences.calls && !suppressed(account)) (toasts ??= []).push(callToast(call, account, tr));
  }
  for (const key of keysOf(state.chats, touched, 'chats')) {
    const chat = state.chats[key];
    if (!chat || chat.state !== 'invited') continue;
    const id = `chat:${chat.key}`;
    if (memory.has(id) || added?.includes(id)) continue;
    (added ??= []).push(id);
    const account = state.accounts[chat.accountId];
    if (preferences.chats && !suppressed(account)) (toasts ??= []).push(chatToast(chat, account, tr));
  }
  return { toasts: toasts ?? [], memory: added === undefined ? memory : remember(memory, added) };
}

const NO_KEYS: readonly string[] = Object.freeze([]);

/** The keys of a slice to read: those touched when that is known, else all of them. */
function keysOf(slice: Readonly<Record<string, unknown>>, touched: Readonly<Touched> | undefined, name: 'calls' | 'chats'): Iterable<string> {
  if (!touched) return Object.keys(slice);
  const keys = touched[name];
  if (keys === undefined) return NO_KEYS;
  return keys === 'all' ? Object.keys(slice) : keys;
}

/** Nothing to close (shared: the common answer allocates nothing). */
const NOTHING: readonly string[] = Object.freeze([]);

/**
 * Whether a toast's target still asks for the agent: a call still ringing (a call its platform no
 * longer confirms, `stale`, may still ring: its toast stays until the platform says), a chat still
 * an invitation.
 */
export function stillAlerting(state: DeskState, target: FocusTarget): boolean {
  if (target.kind === 'call') return state.calls[target.key]?.state === 'ringing';
  return state.chats[target.key]?.state === 'invited';
}

/**
 * Which shown toasts to close: those whose call stopped ringing (answered here or elsewhere,
 * declined, ended, removed) or whose chat is no longer an invitation (issue 11, point 1).
 *
 * Cheap on purpose (it runs on every change of calls or chats): it reads only the toasts still
 * open — a handful at most — by key, never the desk's calls; with none open, or none to close, it
 * allocates nothing.
 * @param state the desk state now.
 * @param open the toasts shown and not yet closed, by toast id.
 * @returns the ids to close (the caller forgets them); an empty frozen array when none.
 */
export function toastsToClose(state: DeskState, open: ReadonlyMap<string, FocusTarget>): readonly string[] {
  if (open.size === 0) return NOTHING;
  let closed: string[] | undefined;
  for (const [id, target] of open) {
    if (stillAlerting(state, target)) continue;
    (closed ??= []).push(id);
  }
  return closed ?? NOTHING;
}
