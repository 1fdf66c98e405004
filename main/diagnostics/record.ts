/**
 * What the diagnostics remember while the app runs (issue 22, point 2), for support to read after a
 * call went wrong: each account's connection timeline (every change of its connection state, with
 * the reason, for the last 24 h) and the alert decisions of the last hour (which call rang or which
 * chat invited, whether its toast was shown and why not, when it closed). In memory only; nothing
 * is written or sent until the agent saves the diagnostics.
 */
import type { DeskState, Toast } from '../../common/model.js';
import type { AlertPreferences } from '../desk/alerts.js';

/** How far back the connection timeline reaches, ms (24 h: "yesterday's" problem). */
export const TIMELINE_MS = 24 * 60 * 60 * 1000;
/** How far back the alert decisions reach, ms (1 h). */
export const ALERTS_MS = 60 * 60 * 1000;
/** The most entries kept of each, whatever the time (a flapping connection cannot fill the memory) [I]. */
export const RECORD_LIMIT = 5_000;

/** One change of an account's connection. */
export interface ConnectionEntry {
  /** ISO 8601. */
  at: string;
  account: string;
  state: string;
  /** Why, in the platform's words as the desk shows them (no secret: the canary test reads it). */
  reason?: string;
}

/** One alert decision. */
export interface AlertEntry {
  /** ISO 8601. */
  at: string;
  /** `call ringing`, `chat invitation`, `toast closed`. */
  event: 'call ringing' | 'chat invitation' | 'toast closed';
  /** The toast's id (`call:<key>` or `chat:<key>`). */
  id: string;
  account?: string;
  /** For a ringing call or an invitation: whether the toast was shown, else why not. */
  toast?: 'shown' | 'not shown: toasts for calls are off' | 'not shown: toasts for chats are off' | 'not shown: the account is in do not disturb';
}

/**
 * Keeps entries for a time span and up to a count. An entry is kept with its time as a number
 * (ms since the epoch) and made into its ISO 8601 text only when read: a busy desk decides an alert
 * per ringing call, and a date's text per decision was a percent of the core's time (issue 21).
 */
class Recent<T extends { at: string }> {
  /** The entries without their time, and their times (ms), oldest first. */
  private readonly entries: Array<Omit<T, 'at'>> = [];
  private readonly times: number[] = [];
  constructor(private readonly spanMs: number) {}
  /** Keeps `entry`, which happened at `ms` (ms since the epoch). */
  add(ms: number, entry: Omit<T, 'at'>): void {
    this.entries.push(entry);
    this.times.push(ms);
    // Cut a quarter of the limit at a time, not one entry per entry past it: a busy desk decides an
    // alert per ringing call, and moving 5 000 entries for each was a few % of the core's time (issue 21).
    if (this.entries.length > RECORD_LIMIT + RECORD_LIMIT / 4) this.trim();
  }
  /** Forgets the oldest `count` entries. */
  private drop(count: number): void {
    this.entries.splice(0, count);
    this.times.splice(0, count);
  }
  /** Forgets the oldest entries past {@link RECORD_LIMIT}. */
  private trim(): void {
    if (this.entries.length > RECORD_LIMIT) this.drop(this.entries.length - RECORD_LIMIT);
  }
  /** The entries at most `spanMs` old at `now`, the newest {@link RECORD_LIMIT} at most (older ones are forgotten). */
  since(now: number): T[] {
    this.trim();
    const cut = now - this.spanMs;
    const first = this.times.findIndex((ms) => ms >= cut);
    this.drop(first === -1 ? this.entries.length : first);
    return this.entries.map((entry, i) => ({ at: new Date(this.times[i]!).toISOString(), ...entry }) as T);
  }
}

/** Records connections and alert decisions from the desk's changes (`main/app.ts` feeds it). */
export class DiagnosticsRecorder {
  private readonly connections = new Recent<ConnectionEntry>(TIMELINE_MS);
  private readonly alerts = new Recent<AlertEntry>(ALERTS_MS);
  /** The alert ids decided already (a call rings once, however many changes it sees). */
  private readonly decided = new Set<string>();

  constructor(private readonly clock: () => number = Date.now) {}

  /** Notes each account whose connection state or reason changed between `previous` and `state`. */
  noteConnections(state: DeskState, previous: DeskState | undefined): void {
    if (state.accounts === previous?.accounts) return;
    for (const id in state.accounts) {
      const account = state.accounts[id]!;
      const before = previous?.accounts[id];
      if (before && before.connection === account.connection && before.reason === account.reason) continue;
      this.connections.add(this.clock(), { account: id, state: account.connection, ...(account.reason ? { reason: account.reason } : {}) });
    }
  }

  /**
   * Notes each call that began to ring and each chat invitation, with what became of its toast
   * (`shown`: among `toasts`; else why the alert policy held it back, `desk/alerts.ts`).
   */
  noteAlerts(state: DeskState, toasts: readonly Toast[], preferences: AlertPreferences): void {
    // Runs per alert decided: no closure, and no set of the toasts' ids (there are one or two).
    for (const key in state.calls) {
      const call = state.calls[key]!;
      if (call.state === 'ringing' && !call.stale) this.decide(state, toasts, `call:${call.key}`, 'call ringing', call.accountId, preferences.calls, 'not shown: toasts for calls are off');
    }
    for (const key in state.chats) {
      const chat = state.chats[key]!;
      if (chat.state === 'invited') this.decide(state, toasts, `chat:${chat.key}`, 'chat invitation', chat.accountId, preferences.chats, 'not shown: toasts for chats are off');
    }
  }

  /** Notes the decision on alert `id` (once per id): shown when among `toasts`, else why not. */
  private decide(state: DeskState, toasts: readonly Toast[], id: string, event: AlertEntry['event'], accountId: string, wanted: boolean, off: AlertEntry['toast']): void {
    if (this.decided.has(id)) return;
    this.decided.add(id);
    if (this.decided.size > RECORD_LIMIT) this.decided.delete(this.decided.values().next().value!);
    let shown = false;
    for (const toast of toasts) if (toast.id === id) shown = true;
    const dnd = state.accounts[accountId]?.presence?.state === 'do-not-disturb';
    const toast: AlertEntry['toast'] = shown ? 'shown' : !wanted ? off : dnd ? 'not shown: the account is in do not disturb' : off;
    this.alerts.add(this.clock(), { event, id, account: accountId, toast });
  }

  /** Notes a toast closed by the desk (its call stopped ringing, its chat is no longer an invitation). */
  noteToastClosed(id: string): void {
    this.alerts.add(this.clock(), { event: 'toast closed', id });
  }

  /** Each account's connection changes of the last 24 h, oldest first, by account. */
  timeline(): Record<string, ConnectionEntry[]> {
    const out: Record<string, ConnectionEntry[]> = {};
    for (const entry of this.connections.since(this.clock())) (out[entry.account] ??= []).push(entry);
    return out;
  }

  /** The alert decisions of the last hour, oldest first. */
  alertDecisions(): AlertEntry[] {
    return this.alerts.since(this.clock());
  }
}
