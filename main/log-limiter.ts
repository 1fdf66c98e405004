/**
 * Events that anyone can cause, again and again (a web page knocking at the web host's bridge, a
 * renderer sending junk), logged at most once per interval per reason, with how many there were —
 * never one line per event, so a hostile page cannot flood the log or the disk (issue 16, finding 5).
 *
 * The first event of a reason is logged at once (count 1), so a single refusal is seen without
 * delay; the ones after it within the interval are counted, and their count is logged once when the
 * interval ends (with the fields of the last one). A reason quiet for a whole interval starts over.
 * The web host uses it; the automation API (main/api/) is meant to reuse it.
 */
/** The default interval, ms: once a minute per reason (issue 16). */
export const LOG_LIMIT_INTERVAL_MS = 60_000;

/** The timers the limiter runs on (`setTimeout`'s shape; ms); tests pass a fake clock. */
export interface LimiterTimers {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Where the limiter writes (a pino logger fits). */
export interface LimiterLog {
  warn(fields: object, message: string): void;
}

interface Window {
  /** Events since the last line. */
  count: number;
  /** The last event's fields. */
  fields: Record<string, unknown>;
  timer: unknown;
}

/**
 * Counts events by reason and logs each reason at most once per interval.
 * @typeParam R the reasons, e.g. `'foreign-origin' | 'wrong-token'`.
 */
export class LogLimiter<R extends string> {
  private readonly windows = new Map<R, Window>();
  private readonly intervalMs: number;
  private readonly timers: LimiterTimers;
  private closed = false;

  /**
   * @param log where lines go (`warn`).
   * @param messages each reason's message, e.g. `{ 'foreign-origin': 'refused a bridge connection from a foreign origin' }`.
   * @param options `intervalMs` (default {@link LOG_LIMIT_INTERVAL_MS}); `timers` (default the global ones, unref'd).
   */
  constructor(
    private readonly log: LimiterLog,
    private readonly messages: Readonly<Record<R, string>>,
    options: { intervalMs?: number; timers?: LimiterTimers } = {},
  ) {
    this.intervalMs = options.intervalMs ?? LOG_LIMIT_INTERVAL_MS;
    this.timers = options.timers ?? {
      setTimeout: (run, ms) => setTimeout(run, ms).unref(),
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    };
  }

  /**
   * One event. Logged now when it is the first of its reason in an interval (`count: 1`), else counted.
   * @param fields what the line carries besides `reason` and `count` (keep values short: they may come from a stranger).
   */
  note(reason: R, fields: Record<string, unknown> = {}): void {
    if (this.closed) return;
    const open = this.windows.get(reason);
    if (open) {
      open.count += 1;
      open.fields = fields;
      return;
    }
    this.log.warn({ ...fields, reason, count: 1 }, this.messages[reason]);
    this.windows.set(reason, { count: 0, fields, timer: this.timers.setTimeout(() => this.end(reason), this.intervalMs) });
  }

  /** An interval ended: one line with the count when there were more events, and a new interval; else the reason starts over. */
  private end(reason: R): void {
    const window = this.windows.get(reason);
    if (!window) return;
    if (window.count === 0) {
      this.windows.delete(reason);
      return;
    }
    this.line(reason, window);
    window.count = 0;
    window.timer = this.timers.setTimeout(() => this.end(reason), this.intervalMs);
  }

  private line(reason: R, window: Window): void {
    const seconds = Math.round(this.intervalMs / 1000);
    this.log.warn({ ...window.fields, reason, count: window.count, intervalS: seconds }, `${this.messages[reason]} (${window.count} more in the last ${seconds} s)`);
  }

  /** Logs what is still counted (one line per reason) and stops the timers; later events are ignored. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const [reason, window] of this.windows) {
      this.timers.clearTimeout(window.timer);
      if (window.count > 0) this.line(reason, window);
    }
    this.windows.clear();
  }
}
