/**
 * The event stream's source: what changed on the desk, as typed API events (`schemas.ts`,
 * `EVENT_SCHEMAS`), and the bounded log that serves `Last-Event-ID`.
 *
 * - {@link deskEvents} compares the previous and the next desk state. It runs on every desk change,
 *   so it looks only at what a change touched: a slice whose identity did not change is skipped in
 *   one comparison (the store keeps unchanged slices and entities by reference), and inside a
 *   changed slice an entity is looked at only when its identity changed. Its input stays a
 *   `(previous, next)` pair, so a store that reports the keys it touched can narrow it further.
 * - {@link EventLog} numbers the events (`seq`, one up per event; `id` = `<run>-<seq>`, so an id from
 *   an earlier run of the desk is told apart), encodes each once as an SSE message, and keeps the
 *   last {@link EVENT_LOG_CAPACITY} for clients that reconnect with `Last-Event-ID`; older than that,
 *   or from another run, the client gets a `resync` event and reads the snapshot.
 */
import { randomBytes } from 'node:crypto';
import type { Chat, ChatMessage, DeskState, PastCall } from '../../common/model.js';
import type { ApiEventData, ApiEventType } from './schemas.js';
import { apiCall, apiCallback, apiChat, apiEndedCall, apiMessage, apiPresence } from './view.js';
import { chatOf } from '../../common/selectors.js';

/** How many events the log keeps for replay (about a busy hour of one agent's desk [I]). */
export const EVENT_LOG_CAPACITY = 1_000;

/** An event before the log numbers it. */
export type EventDraft = { [T in ApiEventType]: { type: T; data: ApiEventData<T> } }[ApiEventType];

const PRE_CONNECT = new Set(['ringing', 'dialing', 'queued']);

/**
 * The events between two desk states, in the order an app expects them (accounts, then calls,
 * chats, callbacks). Pure.
 * @param placedBy the app that placed a new call, if an API dial explains it (see `index.ts`); it
 *   is put on that call's events before the desk state carries it.
 */
export function deskEvents(previous: DeskState, next: DeskState, placedBy?: (call: { key: string; accountId: string; direction: string; target?: string }) => string | undefined): EventDraft[] {
  if (previous === next) return [];
  const out: EventDraft[] = [];

  if (previous.accounts !== next.accounts) {
    for (const id in next.accounts) {
      const now = next.accounts[id]!;
      const before = previous.accounts[id];
      if (!before || before === now) continue;
      if (before.connection !== now.connection) {
        const data: ApiEventData<'connection.changed'> = { account: id, connection: now.connection, previous: before.connection };
        if (now.reason) data.reason = now.reason;
        out.push({ type: 'connection.changed', data });
      }
      const p = before.presence;
      const n = now.presence;
      if (n && p !== n && (!p || p.state !== n.state || p.label !== n.label || p.reason !== n.reason)) {
        const data: ApiEventData<'presence.changed'> = { account: id, presence: apiPresence(n) };
        if (p) data.previous = apiPresence(p);
        out.push({ type: 'presence.changed', data });
      }
    }
  }

  if (previous.calls !== next.calls) {
    for (const key in next.calls) {
      const now = next.calls[key]!;
      const before = previous.calls[key];
      if (before === now) continue;
      if (!before) {
        const call = apiCall(now);
        const by = now.placedBy ?? placedBy?.(now);
        if (by) call.placedBy = by;
        if (PRE_CONNECT.has(now.state)) out.push({ type: 'call.ringing', data: { call } });
        else if (now.state === 'connected' || now.state === 'held') out.push({ type: 'call.answered', data: { call } });
        continue;
      }
      if (before.state === now.state) continue;
      if (now.state === 'held') out.push({ type: before.state === 'connected' ? 'call.held' : 'call.answered', data: { call: apiCall(now) } });
      else if (now.state === 'connected') out.push({ type: before.state === 'held' ? 'call.retrieved' : 'call.answered', data: { call: apiCall(now) } });
    }
  }

  if (previous.recentCalls !== next.recentCalls) {
    // The store puts each call that ends at the head of the history: the new head entries, oldest first.
    for (const call of endedSince(previous.recentCalls, next.recentCalls).reverse()) {
      const ended = apiEndedCall(call);
      out.push({ type: 'call.ended', data: { call: ended } });
      if (call.outcome === 'missed') out.push({ type: 'call.missed', data: { call: ended } });
    }
  }

  // A chat that ends moves from `chats` to `endedChats` under its key: look it up in both.
  for (const slice of ['chats', 'endedChats'] as const) {
    if (previous[slice] === next[slice]) continue;
    for (const key in next[slice]) {
      const now = next[slice][key]!;
      const before = chatOf(previous, key);
      if (before === now) continue;
      if (!before) out.push({ type: 'chat.offered', data: { chat: apiChat(now) } });
      else for (const message of newLines(before, now)) out.push({ type: 'chat.message', data: { chat: key, account: now.accountId, message: apiMessage(message) } });
      if (now.state === 'ended' && before?.state !== 'ended') out.push({ type: 'chat.ended', data: { chat: apiChat(now) } });
    }
  }

  if (previous.callbacks !== next.callbacks) {
    for (const key in next.callbacks) {
      if (!previous.callbacks[key]) out.push({ type: 'callback.created', data: { callback: apiCallback(next.callbacks[key]!) } });
    }
    for (const key in previous.callbacks) {
      if (!next.callbacks[key]) out.push({ type: 'callback.closed', data: { callback: key, account: previous.callbacks[key]!.accountId } });
    }
  }
  return out;
}

/**
 * The calls put at the head of the history between two of its versions, newest first: the entries
 * before the old head (compared by identity; the store only ever prepends and trims the tail).
 */
function endedSince(previous: readonly PastCall[], next: readonly PastCall[]): PastCall[] {
  if (previous.length === 0) return next.slice();
  const at = next.indexOf(previous[0]!);
  // The old head is gone (a history replaced whole): nothing can be said to have just ended.
  return at <= 0 ? [] : next.slice(0, at);
}

/**
 * The transcript lines of `now` that `before` did not have. The store keeps old lines by reference
 * and the transcript in one order, so when the old last line sits where it was, only the tail is
 * new (one comparison); otherwise the lines are compared by id.
 */
function newLines(before: Chat, now: Chat): ChatMessage[] {
  const old = before.messages;
  if (old === now.messages) return [];
  if (old.length === 0) return now.messages.slice();
  if (now.messages[old.length - 1] === old[old.length - 1]) return now.messages.slice(old.length);
  const seen = new Set(old.map((m) => m.id));
  return now.messages.filter((m) => !seen.has(m.id));
}

/** One numbered event, encoded once. */
export interface LoggedEvent {
  seq: number;
  id: string;
  type: string;
  /** The event as JSON (`{id, seq, type, at, data}`). */
  json: string;
  /** The SSE message that carries it (`id:`, `event:`, `data:`, blank line). */
  frame: string;
}

/** What a client reconnecting with `Last-Event-ID` gets: the events after it, or a resync. */
export type Replay = { events: LoggedEvent[] } | { resync: 'too-old' | 'unknown-id' };

/** The SSE message of an event. The JSON holds no line break (JSON.stringify escapes them). */
function sseFrame(id: string, type: string, json: string): string {
  return `id: ${id}\nevent: ${type}\ndata: ${json}\n\n`;
}

/** Numbers events, keeps the last {@link EVENT_LOG_CAPACITY}, and tells listeners. */
export class EventLog {
  /** This run's mark, the first part of every id: ids of another run are recognised as such. */
  readonly run: string;
  private seq = 0;
  private readonly ring: Array<LoggedEvent | undefined>;
  private readonly listeners = new Set<(event: LoggedEvent) => void>();

  constructor(
    private readonly capacity = EVENT_LOG_CAPACITY,
    run = randomBytes(4).toString('hex'),
  ) {
    this.run = run;
    this.ring = new Array<LoggedEvent | undefined>(capacity);
  }

  /** The id of the latest event (`<run>-0` before the first). */
  get lastId(): string {
    return `${this.run}-${this.seq}`;
  }

  /** The latest sequence number (0 before the first event). */
  get lastSeq(): number {
    return this.seq;
  }

  /** Numbers, encodes, keeps and hands out one event. @param at ISO time. */
  append(draft: EventDraft, at: string): LoggedEvent {
    this.seq += 1;
    const id = `${this.run}-${this.seq}`;
    const json = JSON.stringify({ id, seq: this.seq, type: draft.type, at, data: draft.data });
    const event: LoggedEvent = { seq: this.seq, id, type: draft.type, json, frame: sseFrame(id, draft.type, json) };
    this.ring[this.seq % this.capacity] = event;
    for (const listener of this.listeners) listener(event);
    return event;
  }

  /**
   * An event outside the sequence (`resync`, `access.revoked`): it carries the latest id and seq,
   * so a client that resumes from it misses nothing and is sent nothing twice.
   */
  marker(type: 'resync' | 'access.revoked', data: object, at: string): string {
    const json = JSON.stringify({ id: this.lastId, seq: this.seq, type, at, data });
    return sseFrame(this.lastId, type, json);
  }

  /**
   * The events after `lastEventId`, oldest first; a resync when that id is not from this run (or
   * not an id at all), or the events after it are no longer all kept.
   */
  since(lastEventId: string): Replay {
    const match = /^([0-9a-f]+)-(\d{1,15})$/.exec(lastEventId.trim());
    if (!match || match[1] !== this.run) return { resync: 'unknown-id' };
    const after = Number(match[2]);
    if (after > this.seq) return { resync: 'unknown-id' };
    if (this.seq - after > this.capacity) return { resync: 'too-old' };
    const events: LoggedEvent[] = [];
    for (let seq = after + 1; seq <= this.seq; seq++) events.push(this.ring[seq % this.capacity]!);
    return { events };
  }

  /** Listens to every new event. Returns the unsubscribe function. */
  subscribe(listener: (event: LoggedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
