/**
 * The GWS REST client: HTTP Basic auth on every request, one tough-cookie jar shared with CometD
 * (JSESSIONID, and the CometD server's BAYEUX_BROWSER), and the CSRF header pair.
 *
 * Sources: VENDOR-NOTES.md, Genesys — "Auth" [C]: HTTP Basic; the server keeps a `JSESSIONID`
 * cookie that CometD must share; when CSRF protection is on, any GET answers with `X-CSRF-HEADER`
 * (the name of the header to send) and `X-CSRF-TOKEN` (its value), which must accompany every
 * POST/PUT/DELETE, else 403. "Operations" [C]: every operation is a POST with `{operationName, …}`
 * answered with `{statusCode, …}`; its result arrives later over CometD.
 */
import type { CookieJar } from 'tough-cookie';
import type { z } from 'zod';
import type { DeskLogger as Logger } from '../../desk/port.js';
import { retryAfterMs } from '../kit/retry-after.js';
import { apiRoot } from './config.js';
import { operationResponseSchema, type OperationResponse } from './schema.js';

/** Why a request failed, for the connector to decide fatal vs. transient and what to tell a person. */
export type GenesysHttpErrorKind =
  /** 401: user name or password rejected. */
  | 'auth'
  /** 403 on a POST/PUT/DELETE after a fresh CSRF token: the CSRF pair is missing or wrong. */
  | 'csrf'
  /** 403 on a GET: the user lacks a permission. */
  | 'forbidden'
  /** Any other HTTP status ≥ 400. */
  | 'status'
  /** The body is not the JSON we expected. */
  | 'payload'
  /** No answer: DNS, refused connection, TLS, timeout. */
  | 'network';

/**
 * A failed GWS request. `message` is written for a person; `status` is the HTTP status, if any;
 * `retryAfterMs` what the answer's `Retry-After` asked (RFC 9110 §10.2.3), when it carried one.
 */
export class GenesysHttpError extends Error {
  override name = 'GenesysHttpError';
  readonly retryAfterMs: number | undefined;
  constructor(
    message: string,
    readonly kind: GenesysHttpErrorKind,
    readonly status?: number,
    readonly body?: OperationResponse,
    options?: { cause?: unknown; retryAfterMs?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.retryAfterMs = options?.retryAfterMs;
  }
}

/** The CSRF header pair learnt from a GET: send `{[header]: token}` on every mutating request. */
export interface CsrfPair {
  header: string;
  token: string;
}

/** Options of {@link GenesysRest}. */
export interface GenesysRestOptions {
  /** Host root; the API is `{baseUrl}/api/v2`. */
  baseUrl: string;
  user: string;
  password: string;
  /** The jar shared with CometD. */
  jar: CookieJar;
  log: Logger;
  /** Per-request timeout, ms (default 15 000). */
  timeoutMs?: number;
  /** Injectable for tests; defaults to the global `fetch`. */
  fetch?: typeof fetch;
}

/** A small GWS REST client. All paths are relative to `{baseUrl}/api/v2` (e.g. `/me?subresources=*`). */
export class GenesysRest {
  private csrfPair: CsrfPair | undefined;
  private readonly root: string;
  private readonly authorization: string;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: GenesysRestOptions) {
    this.root = apiRoot(options.baseUrl);
    this.authorization = `Basic ${Buffer.from(`${options.user}:${options.password}`, 'utf8').toString('base64')}`;
    this.fetchImpl = options.fetch ?? fetch;
  }

  /** The CSRF pair from the latest GET that carried one; `undefined` when the server uses none. */
  get csrf(): CsrfPair | undefined {
    return this.csrfPair;
  }

  /** Headers CometD adds to its POSTs: the CSRF pair, when known [I: whether GWS checks it there]. */
  csrfHeaders(): Record<string, string> {
    return this.csrfPair ? { [this.csrfPair.header]: this.csrfPair.token } : {};
  }

  /**
   * `GET {api}{path}` and validates the JSON body.
   * @throws {GenesysHttpError} `auth` (401), `forbidden` (403), `status`, `payload`, `network`.
   */
  async get<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S>> {
    const { status, json, retryAfter } = await this.request('GET', path);
    if (status >= 400) throw this.statusError('GET', path, status, json, retryAfter);
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new GenesysHttpError(`Genesys answered GET ${path} with an unexpected body`, 'payload', status, undefined, {
        cause: parsed.error,
      });
    }
    return parsed.data;
  }

  /**
   * `POST {api}{path}` with a JSON body (an operation). On a 403 it fetches a fresh CSRF pair with
   * `GET /me` and tries once more.
   * @returns the `{statusCode, statusMessage?}` answer (statusCode 0 = accepted; the result follows over CometD).
   * @throws {GenesysHttpError} `csrf` (403 twice), `auth`, `status` (HTTP ≥ 400, with the body), `network`.
   */
  async post(path: string, body: Record<string, unknown>): Promise<OperationResponse> {
    let answer = await this.request('POST', path, body);
    if (answer.status === 403) {
      const hadToken = this.csrfPair !== undefined;
      this.options.log.info({ path, hadToken }, 'Genesys refused a POST (403); refreshing the CSRF token and retrying once');
      await this.request('GET', '/me').catch(() => undefined);
      answer = await this.request('POST', path, body);
      if (answer.status === 403) {
        const message = this.csrfPair
          ? 'Genesys refused the CSRF token (HTTP 403 on every change request, even with a fresh token from GET /api/v2/me). ' +
            'Check that nothing between this app and GWS strips the CSRF header or the session cookie, and the GWS CSRF settings.'
          : 'Genesys requires a CSRF token (HTTP 403 on change requests) but sent none (no X-CSRF-HEADER / X-CSRF-TOKEN on ' +
            'GET /api/v2/me). Check the GWS CSRF settings for this host and user.';
        throw new GenesysHttpError(message, 'csrf', 403, operationResponseSchema.safeParse(answer.json).data);
      }
    }
    if (answer.status >= 400) throw this.statusError('POST', path, answer.status, answer.json, answer.retryAfter);
    const parsed = operationResponseSchema.safeParse(answer.json ?? {});
    return parsed.success ? parsed.data : {};
  }

  private statusError(method: string, path: string, status: number, json: unknown, retryAfter?: number): GenesysHttpError {
    const body = operationResponseSchema.safeParse(json).data;
    const detail = body?.statusMessage ? `: ${body.statusMessage}` : '';
    if (status === 401) {
      return new GenesysHttpError(
        `Genesys rejected the user name or password for "${this.options.user}" (HTTP 401). Correct them in the account settings.`,
        'auth',
        status,
        body,
      );
    }
    if (status === 403 && method === 'GET') {
      return new GenesysHttpError(
        `Genesys refused access to ${path} for "${this.options.user}" (HTTP 403${detail}). The user may lack an agent role or permission.`,
        'forbidden',
        status,
        body,
      );
    }
    return new GenesysHttpError(`Genesys answered ${method} ${path} with HTTP ${status}${detail}`, 'status', status, body, { retryAfterMs: retryAfter });
  }

  private async request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: unknown; retryAfter?: number }> {
    const url = `${this.root}${path}`;
    const headers: Record<string, string> = { Authorization: this.authorization, Accept: 'application/json' };
    const cookies = await this.options.jar.getCookieString(url).catch(() => '');
    if (cookies) headers.Cookie = cookies;
    if (method !== 'GET') Object.assign(headers, this.csrfHeaders());
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
        redirect: 'manual',
      });
    } catch (error) {
      const reason = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
      throw new GenesysHttpError(`Genesys at ${this.options.baseUrl} cannot be reached (${reason})`, 'network', undefined, undefined, {
        cause: error,
      });
    }
    for (const header of response.headers.getSetCookie()) {
      await this.options.jar.setCookie(header, url, { ignoreError: true }).catch(() => undefined);
    }
    const csrfHeader = response.headers.get('x-csrf-header');
    const csrfToken = response.headers.get('x-csrf-token');
    if (csrfHeader && csrfToken) this.csrfPair = { header: csrfHeader, token: csrfToken };
    const text = await response.text().catch(() => '');
    let json: unknown;
    if (text) {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    this.options.log.trace({ method, path, status: response.status }, 'Genesys REST');
    return { status: response.status, json, retryAfter: response.ok ? undefined : retryAfterMs(response.headers.get('retry-after')) };
  }
}
