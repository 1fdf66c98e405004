/**
 * The one place the automation API logs a refusal (a wrong Host, a missing or revoked token, a
 * token in an address, a body too large, a rate limit…). Anyone can cause these again and again,
 * so they are counted and logged at most once a minute per reason, with the count, never once per
 * request (issue 20: "the same refusal-log aggregation as the web host"). Fields stay short and
 * never hold an address's query, a header or a body: those may carry a token.
 *
 * [I] Until the web host's limiter (`main/log-limiter.ts`, branch `hardening`) is on main, this
 * module counts by itself; {@link refusalLog} is the only thing to switch over to it.
 */

/** Every reason the API refuses a request for, with the log's words for it. */
export const REFUSAL_MESSAGES = {
  'wrong-host': 'automation API: refused a request for another host (DNS rebinding?)',
  'token-in-url': 'automation API: refused a request with a token in its address',
  'no-token': 'automation API: refused a request without a token',
  'bad-token': 'automation API: refused a request with an unknown or revoked token',
  'wrong-origin': 'automation API: refused a request from a page of another origin than the token’s',
  'missing-scope': 'automation API: refused a request the app was not granted',
  'rate-limited': 'automation API: refused a request over its rate limit',
  'too-large': 'automation API: refused a request body over the size limit',
  'bad-request': 'automation API: refused a malformed request',
  'pairing-refused': 'automation API: refused a pairing request',
  'null-origin': 'automation API: refused a request from a page without an origin',
} as const;
export type RefusalReason = keyof typeof REFUSAL_MESSAGES;

/** How often each reason is logged at most, ms. */
export const REFUSAL_LOG_INTERVAL_MS = 60_000;

/** Where refusals are noted. */
export interface RefusalLog {
  /** One refusal; logged now when it is the first of its reason in an interval, else counted. */
  note(reason: RefusalReason, fields?: Record<string, unknown>): void;
  /** Logs what is still counted and stops. */
  close(): void;
}

/** The refusal log over a logger (`warn`). */
export function refusalLog(log: { warn(fields: object, message: string): void }, intervalMs = REFUSAL_LOG_INTERVAL_MS): RefusalLog {
  const windows = new Map<RefusalReason, { count: number; fields: Record<string, unknown>; timer: ReturnType<typeof setTimeout> }>();
  let closed = false;
  const flush = (reason: RefusalReason): void => {
    const window = windows.get(reason);
    if (!window) return;
    windows.delete(reason);
    if (window.count > 0) {
      log.warn({ ...window.fields, reason, count: window.count, intervalS: Math.round(intervalMs / 1000) }, `${REFUSAL_MESSAGES[reason]} (${window.count} more in the last ${Math.round(intervalMs / 1000)} s)`);
    }
  };
  return {
    note(reason, fields = {}) {
      if (closed) return;
      const open = windows.get(reason);
      if (open) {
        open.count += 1;
        open.fields = fields;
        return;
      }
      log.warn({ ...fields, reason, count: 1 }, REFUSAL_MESSAGES[reason]);
      const timer = setTimeout(() => flush(reason), intervalMs);
      timer.unref();
      windows.set(reason, { count: 0, fields, timer });
    },
    close() {
      closed = true;
      for (const [reason, window] of [...windows]) {
        clearTimeout(window.timer);
        flush(reason);
      }
    },
  };
}
