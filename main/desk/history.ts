/**
 * The call history (issue 11, point 3): every ended call, classified, kept across restarts.
 *
 * - The desk state carries it (`DeskState.recentCalls`, newest first, at most {@link HISTORY_LIMIT},
 *   and `missedUnseen`); the store adds each call as it ends (`store.ts`).
 * - Where it is kept is the host's business, behind {@link HistoryStore}: electron-store in the
 *   desktop app, a JSON file in the web host (`main/history-file.ts`), memory in tests.
 * - What is read back is validated here with zod: a hand-edited or older document never crashes
 *   the app; bad entries are dropped and counted, good ones kept ({@link readHistory}).
 * - {@link keepHistory} writes the history when it changed, at most once per delay (never per
 *   event: a shift drives a million events through the core), and once more at stop.
 *
 * Pure apart from timers: no Node, no Electron (the desk's layer rule).
 */
import { z } from 'zod';
import { CONSULTED_LIMIT, entityKey, type Call, type CallOutcome, type DeskState, type PastCall, type Said } from '../../common/model.js';
import { english } from '../i18n.js';

/** How many calls the history keeps; the oldest is dropped past it (`docs/using.md`, "Call history"). */
export const HISTORY_LIMIT = 500;
/** How long a change waits before it is written, ms: later changes within it ride along. */
export const HISTORY_WRITE_DELAY_MS = 2_000;
/** The document format this code writes (`version`); older ones without it are read too. */
export const HISTORY_VERSION = 1;

/**
 * How a call went, from the agent's side: an outbound call (or a consult leg the agent made, when
 * the call it was made from is nowhere to note it on — `Call.consulted`) was `placed`; an inbound or internal call the agent was connected to was `answered`, else `missed`
 * (declined, rang out, or taken by someone else). Source: the issue ("missed, answered, placed");
 * consult and internal calls placed as above are `[I]`.
 */
export function callOutcome(call: Call): CallOutcome {
  if (call.direction === 'outbound' || call.direction === 'consult') return 'placed';
  return call.connectedAt ? 'answered' : 'missed';
}

/** What a {@link HistoryStore} keeps: the calls (newest first) and how many missed ones are unseen. */
export type HistoryDocument = {
  version: number;
  calls: PastCall[];
  /** The newest `missedUnseen` missed calls have not been seen by the agent (survives a restart). */
  missedUnseen: number;
};

/**
 * What the desk starts with: the history as read back; `notice` when the kept history could not be
 * read (the window says so once, `DeskState.historyNotice`).
 */
export type HistorySeed = { calls: PastCall[]; missedUnseen: number; notice?: string; noticeSaid?: Said };

/**
 * A kept history that could not be read (too large, not a file, no permission, not JSON). Thrown by
 * a {@link HistoryStore}'s `read` after it set the file aside (`movedTo`), or, when even that
 * failed, with `keep: false`: the file is still in the way, and writing would replace it.
 */
export class HistoryReadError extends Error {
  override name = 'HistoryReadError';
  constructor(
    /** One sentence for the log, naming the file. */
    message: string,
    readonly details: {
      /** Why, in a few words for the agent ("not valid JSON", "larger than 20 MB"). */
      reason: string;
      /** Where the file was moved (`history.json.2026-12-05T10-00-00Z.corrupt`). */
      movedTo?: string;
      /** False when the file could not be moved aside: nothing may be written over it. */
      keep: boolean;
    },
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * Where the history is kept. `read` and `write` may throw (a corrupt file, a full disk): the
 * callers log it and go on (an empty history at start; the next change tries again).
 */
export interface HistoryStore {
  /** Where, in words for the log (a file path). */
  readonly where: string;
  /** The stored document as parsed JSON (validated by the caller), or `undefined` when nothing was ever kept. */
  read(): unknown;
  /** Replaces the stored document (atomically, where the medium allows). */
  write(document: HistoryDocument): void;
}

/** A history kept in memory (tests; a host that keeps none). */
export class MemoryHistory implements HistoryStore {
  readonly where = 'memory';
  /** The last document written, as JSON would carry it. */
  document: unknown;
  /** How many times it was written. */
  writes = 0;
  constructor(document?: unknown) {
    this.document = document;
  }
  read(): unknown {
    return this.document === undefined ? undefined : structuredClone(this.document);
  }
  write(document: HistoryDocument): void {
    this.writes += 1;
    this.document = JSON.parse(JSON.stringify(document)) as unknown;
  }
}

// ---- reading back ------------------------------------------------------------------------------

const text = z.string().max(2_000);
const isoTime = z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'is not a time');

/** One stored call. Unknown members are dropped (`z.object` strips them), so an older or newer writer's extras do no harm. */
const pastCallSchema = z.object({
  accountId: z.string().min(1).max(100),
  id: z.string().min(1).max(300),
  legId: text.optional(),
  direction: z.enum(['inbound', 'outbound', 'internal', 'consult']),
  caller: text.optional(),
  target: text.optional(),
  queue: z.object({ id: text.optional(), name: text.optional() }).optional(),
  startedAt: isoTime,
  connectedAt: isoTime.optional(),
  endedAt: isoTime.optional(),
  endReason: text.optional(),
  userData: z.record(z.string().max(200), text).optional(),
  placedBy: z.string().max(200).optional(),
  wrapUpReason: z.object({ code: z.string().max(200), label: z.string().max(200) }).optional(),
  consulted: z.array(z.string().max(200)).max(CONSULTED_LIMIT).optional(),
  outcome: z.enum(['missed', 'answered', 'placed']).optional(),
  account: z.object({ label: z.string().max(200), vendor: z.string().max(100) }).optional(),
});

/**
 * Reads a stored document back: the calls that are valid (each checked on its own, so one bad
 * entry costs only itself), newest first, de-duplicated, capped; `dropped` counts what was left
 * out. Never throws. An entry gets a key unique in the history (`<account>/<id>@<ended>`), so a
 * platform that numbers its calls afresh after a restart cannot collide with a call of a past
 * session (the store ignores late events only for calls that ended in this session).
 */
export function readHistory(raw: unknown): HistorySeed & { dropped: number } {
  if (raw === undefined || raw === null) return { calls: [], missedUnseen: 0, dropped: 0 };
  const document = typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const entries = Array.isArray(raw) ? raw : Array.isArray(document.calls) ? document.calls : undefined;
  if (!entries) return { calls: [], missedUnseen: 0, dropped: 1 };
  const calls: PastCall[] = [];
  const keys = new Set<string>();
  let dropped = 0;
  for (const entry of entries) {
    const parsed = pastCallSchema.safeParse(entry);
    if (!parsed.success) {
      dropped += 1;
      continue;
    }
    const call = pastCall(parsed.data);
    if (keys.has(call.key)) {
      dropped += 1;
      continue;
    }
    keys.add(call.key);
    calls.push(call);
  }
  // Newest first whatever order the file had (a hand edit); ties keep the file's order.
  calls.sort((a, b) => endOf(b).localeCompare(endOf(a)));
  if (calls.length > HISTORY_LIMIT) {
    dropped += calls.length - HISTORY_LIMIT;
    calls.length = HISTORY_LIMIT;
  }
  const missed = calls.filter((c) => c.outcome === 'missed').length;
  const unseen = typeof document.missedUnseen === 'number' && Number.isInteger(document.missedUnseen) ? document.missedUnseen : 0;
  return { calls, missedUnseen: Math.max(0, Math.min(unseen, missed)), dropped };
}

function endOf(call: PastCall): string {
  return new Date(call.endedAt ?? call.startedAt).toISOString();
}

function pastCall(data: z.output<typeof pastCallSchema>): PastCall {
  const { outcome, account, ...rest } = data;
  const call: Call = { ...rest, key: '', state: 'ended', actions: [] };
  call.endedAt ??= call.startedAt;
  call.key = `${entityKey(call.accountId, call.id)}@${call.endedAt}`;
  return { ...call, outcome: outcome ?? callOutcome(call), account: account ?? { label: call.accountId, vendor: '' } };
}

/** The document that keeps `state`'s history. */
export function historyDocument(state: Pick<DeskState, 'recentCalls' | 'missedUnseen'>): HistoryDocument {
  return { version: HISTORY_VERSION, calls: state.recentCalls, missedUnseen: state.missedUnseen };
}

/** What {@link loadHistory} gives: the seed, and whether the history may be written back (false: the unreadable file is still in the way). */
export type LoadedHistory = HistorySeed & { keep: boolean };

/**
 * Reads the store. A store that cannot be read (corrupt, unreadable) gives an empty history, one
 * clear log line (no stack: the sentence says it all) and a `notice` for the window.
 */
export function loadHistory(store: HistoryStore, log: HistoryLog): LoadedHistory {
  let raw: unknown;
  try {
    raw = store.read();
  } catch (error) {
    const known = error instanceof HistoryReadError ? error.details : undefined;
    const reason = error instanceof Error ? error.message : String(error);
    log.error({ where: store.where, reason, movedTo: known?.movedTo }, `the call history in ${store.where} cannot be read; starting with an empty history: ${reason}`);
    const said = historyNoticeSaid(known);
    return { calls: [], missedUnseen: 0, notice: english.t(said.key, said.values), noticeSaid: said, keep: known?.keep ?? true };
  }
  const seed = readHistory(raw);
  if (seed.dropped) log.warn({ where: store.where, dropped: seed.dropped }, `left out ${seed.dropped} entries of the call history in ${store.where} that are not valid`);
  log.info({ where: store.where, calls: seed.calls.length, missedUnseen: seed.missedUnseen }, 'call history read');
  return { calls: seed.calls, missedUnseen: seed.missedUnseen, keep: true };
}

/** The window's one sentence about a history that could not be read, as a code (the reason and the file as they are). */
function historyNoticeSaid(known: HistoryReadError['details'] | undefined): Said {
  if (!known) return { key: 'history.notice.unreadable' };
  if (known.movedTo) return { key: 'history.notice.moved', values: { detail: known.reason, file: known.movedTo } };
  return { key: 'history.notice.stuck', values: { detail: known.reason } };
}

/** The log the history writes to (a pino logger fits). */
export interface HistoryLog {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

/** What {@link keepHistory} returns. */
export interface HistoryKeeper {
  /** Writes a pending change now and stops listening (the core's stop). */
  close(): void;
}

/**
 * Writes the history to `store` whenever it changed: the first change starts a timer of `delayMs`,
 * and whatever changed until it fires is written once. Writing failures are logged; the next
 * change tries again.
 * @param subscribe the desk's `subscribe`.
 * @param current the desk's state now.
 */
export function keepHistory(
  subscribe: (listener: (state: DeskState, previous: DeskState) => void) => () => void,
  current: () => DeskState,
  store: HistoryStore,
  log: HistoryLog,
  delayMs = HISTORY_WRITE_DELAY_MS,
): HistoryKeeper {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const write = (): void => {
    timer = undefined;
    try {
      store.write(historyDocument(current()));
    } catch (error) {
      log.error({ where: store.where, err: error }, `the call history could not be written to ${store.where}`);
    }
  };
  const unsubscribe = subscribe((state, previous) => {
    if (state.recentCalls === previous.recentCalls && state.missedUnseen === previous.missedUnseen) return;
    timer ??= setTimeout(write, delayMs);
  });
  return {
    close() {
      unsubscribe();
      if (timer === undefined) return;
      clearTimeout(timer);
      write();
    },
  };
}
