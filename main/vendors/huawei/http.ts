/**
 * One HTTP exchange with CEC, bounded: a timeout on the whole exchange, a cap on the answer's size,
 * JSON only. Failures are typed so callers can tell "the server said no" (an HTTP status), "the
 * server is not there" (network, timeout) and "the server said something unreadable" apart.
 *
 * Nothing here logs, and no error text carries a header (the token travels in headers).
 */
import { retryAfterMs } from '../kit/retry-after.js';

/** The server answered with a status other than 2xx. */
export class CecHttpError extends Error {
  override name = 'CecHttpError';
  /**
   * @param status the HTTP status.
   * @param operation what was asked, e.g. `getClickToCallEvents`.
   * @param detail the error body's `exceptionInfo` or `resultDesc` when it had one (never a header).
   * @param retryAfterMs what the answer's `Retry-After` asked (RFC 9110 §10.2.3), when it carried one.
   */
  constructor(
    readonly status: number,
    readonly operation: string,
    readonly detail?: string,
    readonly retryAfterMs?: number,
  ) {
    super(`CEC answered HTTP ${status} to ${operation}${detail ? ` (${detail})` : ''}`);
  }
}

/** The server could not be reached, cut the connection, or did not answer in time. */
export class CecNetworkError extends Error {
  override name = 'CecNetworkError';
  constructor(
    message: string,
    /** True when the request timed out (the server went silent). */
    readonly timedOut: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The server answered 2xx with something the connector cannot read: not JSON, too large, or not the expected shape. */
export class CecUnreadableError extends Error {
  override name = 'CecUnreadableError';
  constructor(
    readonly operation: string,
    readonly problem: 'not-json' | 'oversized' | 'unexpected',
    detail: string,
  ) {
    super(`CEC's answer to ${operation} ${problem === 'oversized' ? 'is too large' : problem === 'not-json' ? 'is not JSON' : 'has an unexpected shape'}: ${detail}`);
  }
}

/** Limits of one exchange. */
export interface ExchangeLimits {
  fetch?: typeof fetch;
  /** The whole exchange (headers and body), ms. */
  timeoutMs: number;
  /** The largest body read, bytes. */
  maxBytes: number;
}

/** A 2xx answer: its JSON body (`undefined` when empty) and its headers. */
export interface Exchange {
  status: number;
  body: unknown;
  headers: Headers;
}

/**
 * Sends one request and reads its JSON answer.
 * @param operation names the request in errors (e.g. `createClickToCall`).
 * @returns the 2xx answer.
 * @throws {CecHttpError} on a non-2xx status; {CecNetworkError} when the server cannot be reached,
 *   resets the connection or does not answer within `timeoutMs`; {CecUnreadableError} when the
 *   body is larger than `maxBytes` or not JSON.
 */
export async function exchange(
  url: string,
  init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: unknown },
  limits: ExchangeLimits,
  operation: string,
): Promise<Exchange> {
  const doFetch = limits.fetch ?? fetch;
  const signal = AbortSignal.timeout(limits.timeoutMs);
  let response: Response;
  try {
    response = await doFetch(url, {
      method: init.method,
      headers: { Accept: 'application/json', ...init.headers },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal,
    });
  } catch (error) {
    throw networkError(error, operation, signal);
  }
  const retryAfter = response.ok ? undefined : retryAfterMs(response.headers.get('retry-after'));
  let text: string;
  try {
    text = await readBounded(response, limits.maxBytes);
  } catch (error) {
    if (error instanceof OversizedBody) {
      if (!response.ok) throw new CecHttpError(response.status, operation, undefined, retryAfter);
      throw new CecUnreadableError(operation, 'oversized', `more than ${limits.maxBytes} bytes`);
    }
    throw networkError(error, operation, signal);
  }
  let body: unknown;
  if (text.trim() !== '') {
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      if (!response.ok) throw new CecHttpError(response.status, operation, undefined, retryAfter);
      throw new CecUnreadableError(operation, 'not-json', `${text.length} characters`);
    }
  }
  if (!response.ok) throw new CecHttpError(response.status, operation, errorDetail(body), retryAfter);
  return { status: response.status, body, headers: response.headers };
}

class OversizedBody extends Error {}

/** Reads a body as UTF-8 text, giving up (and cancelling the stream) past `maxBytes`. */
async function readBounded(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return '';
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body.cancel().catch(() => undefined);
    throw new OversizedBody();
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new OversizedBody();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The `exceptionInfo` or `resultDesc` of an error body, short, for messages and logs. */
function errorDetail(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const record = body as Record<string, unknown>;
  const value = record.exceptionInfo ?? record.resultDesc ?? record.message;
  return typeof value === 'string' && value.trim() ? value.trim().slice(0, 200) : undefined;
}

function networkError(error: unknown, operation: string, signal: AbortSignal): CecNetworkError {
  const timedOut = signal.aborted;
  const reason = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
  return new CecNetworkError(
    timedOut ? `CEC did not answer ${operation} in time` : `CEC could not be reached (${operation}: ${reason})`,
    timedOut,
    { cause: error },
  );
}
