/**
 * The one place the automation API logs a refusal (a wrong Host, a missing or revoked token, a
 * token in an address, a body too large, a rate limit…). Anyone can cause these again and again,
 * so they are counted and logged at most once a minute per reason, with the count, never once per
 * request (issue 20: "the same refusal-log aggregation as the web host"). Fields stay short and
 * never hold an address's query, a header or a body: those may carry a token.
 *
 * The counting is the web host's (`main/log-limiter.ts`); this module names the API's reasons.
 */
import { LogLimiter, type LimiterLog } from '../log-limiter.js';


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

/** Where refusals are noted: the web host's limiter, one line per reason a minute at most. */
export type RefusalLog = Pick<LogLimiter<RefusalReason>, 'note' | 'close'>;

/** The refusal log over a logger (`warn`). */
export function refusalLog(log: LimiterLog, options: { intervalMs?: number } = {}): RefusalLog {
  return new LogLimiter(log, REFUSAL_MESSAGES, options);
}
