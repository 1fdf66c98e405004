/**
 * Why an account is reconnecting or failed, as a code with parameters (issue 19: the core says what,
 * the window says it in the agent's language; the log keeps the English). A connector that knows
 * better says so itself (`ConnectionError.say`, or `said` in its options: missing credentials, a
 * refused sign-in, a session the agent chose not to take over); anything else is classified here
 * from the error alone, the same way for every platform:
 *
 * - refused credentials or token that a fresh sign-in may cure (`unauthorized`) → `accounts.reason.unauthorized`;
 * - the server cannot be reached (a network error code anywhere in the `cause` chain: refused,
 *   unknown host, reset, no route) → `accounts.reason.unreachable`;
 * - it did not answer in time (a timeout code or a `TimeoutError`) → `accounts.reason.no-answer`;
 * - it answered with an HTTP error status (a numeric `status` 400–599 in the chain) → `accounts.reason.status`;
 * - otherwise `accounts.reason.failed` (needs a person) or `accounts.reason.lost` (retrying).
 *
 * Each keeps the error's own words as `detail` (a server's text, or the connector's English), shown
 * as sent. Error codes: Node's `net`/`dns` errors and undici's (`UND_ERR_*`) [I].
 */
import type { Said } from '../../../common/model.js';
import { ConnectionError } from '../../desk/port.js';

/** Codes of a server that cannot be reached at all. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
/** Codes of a server that did not answer in time. */
const NO_ANSWER = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** The error and its causes, outermost first (at most 6: a cycle must not loop). */
function chainOf(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let at = error; at !== undefined && at !== null && chain.length < 6 && !chain.includes(at); at = (at as { cause?: unknown }).cause) chain.push(at);
  return chain;
}

function fieldOf(error: unknown, field: string): unknown {
  return typeof error === 'object' && error !== null ? (error as Record<string, unknown>)[field] : undefined;
}

/**
 * What to tell the agent about `error`, which ended a connection attempt or session: its own code
 * when it carries one (`ConnectionError.said`), else the classification above.
 */
export function connectionReason(error: Error): Said {
  if (error instanceof ConnectionError && error.said) return error.said;
  const detail = error.message;
  const fatal = error instanceof ConnectionError && error.fatal;
  if (error instanceof ConnectionError && error.unauthorized && !fatal) return { key: 'accounts.reason.unauthorized', values: { detail } };
  const chain = chainOf(error);
  const codes = chain.map((e) => fieldOf(e, 'code')).filter((code): code is string => typeof code === 'string');
  if (codes.some((code) => UNREACHABLE.has(code))) return { key: 'accounts.reason.unreachable', values: { detail } };
  if (codes.some((code) => NO_ANSWER.has(code)) || chain.some((e) => fieldOf(e, 'name') === 'TimeoutError')) return { key: 'accounts.reason.no-answer', values: { detail } };
  const status = chain.map((e) => fieldOf(e, 'status')).find((s): s is number => typeof s === 'number' && s >= 400 && s <= 599);
  if (status !== undefined && !fatal) return { key: 'accounts.reason.status', values: { status, detail } };
  return { key: fatal ? 'accounts.reason.failed' : 'accounts.reason.lost', values: { detail } };
}
