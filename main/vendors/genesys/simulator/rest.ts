/**
 * The Genesys simulator's REST side: `/api/v2/*` routes with HTTP Basic auth, the `JSESSIONID`
 * HTTP session, and the CSRF header pair.
 *
 * Behaviour (VENDOR-NOTES.md, Genesys — "Auth", "Operations" [C] unless marked):
 * - a request with a correct `Authorization: Basic` header and no known `JSESSIONID` creates an
 *   HTTP session and answers `Set-Cookie: JSESSIONID=…; Path=/; HttpOnly` (one **authentication**);
 *   a known `JSESSIONID` alone is enough afterwards; a wrong password answers 401;
 * - every GET answers `X-CSRF-HEADER` (the header's name) and `X-CSRF-TOKEN` (its value, one per
 *   HTTP session); a POST without that header answers 403 (switchable);
 * - reads for recovery: `GET /api/v2/me[?subresources=*]`, `/api/v2/me/calls`, `/api/v2/me/chats`,
 *   `/api/v2/me/chats/{id}/messages` (envelopes `{statusCode, <resource>}` [I]);
 * - operations: `POST` with `{operationName, …}` (see ./contact-center.ts).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { basicCredentials, type HttpExchange } from '../../kit/simulator.js';
import type { ContactCenter } from './contact-center.js';

/** Options of {@link RestApi}. */
export interface RestApiOptions {
  user: string;
  password: string;
  /** Whether POSTs need the CSRF header (default true). */
  csrf?: boolean;
  /** The CSRF header name announced in `X-CSRF-HEADER` (default `X-CSRF-TOKEN`). */
  csrfHeaderName?: string;
}

/** The value of cookie `name` in a `Cookie` request header, if present. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The REST routes and the HTTP sessions they keep. */
export class RestApi {
  private readonly sessions = new Map<string, { csrfToken: string }>();
  private readonly passwords: Set<string>;
  private readonly csrfHeaderName: string;
  private csrfRequired: boolean;
  private authenticationCount = 0;

  constructor(
    private readonly center: ContactCenter,
    private readonly options: RestApiOptions,
  ) {
    this.passwords = new Set([options.password]);
    this.csrfHeaderName = options.csrfHeaderName ?? 'X-CSRF-TOKEN';
    this.csrfRequired = options.csrf ?? true;
  }

  /** Successful Basic-auth logins that created an HTTP session (a `JSESSIONID`). */
  get authentications(): number {
    return this.authenticationCount;
  }

  /** Whether `jsessionId` names a live HTTP session (CometD handshakes need one). */
  hasSession(jsessionId: string | undefined): boolean {
    return jsessionId !== undefined && this.sessions.has(jsessionId);
  }

  /** Forgets every HTTP session: the next request must log in again. */
  forgetSessions(): void {
    this.sessions.clear();
  }

  /** Accepts `password` too from now on (an administrator changed it on the server). */
  acceptPassword(password: string): void {
    this.passwords.add(password);
  }

  /** The user's credentials are revoked: no password is accepted, every HTTP session is forgotten. */
  revoke(): void {
    this.passwords.clear();
    this.sessions.clear();
  }

  /** Turns CSRF enforcement on POSTs on or off. */
  requireCsrf(on: boolean): void {
    this.csrfRequired = on;
  }

  /** Answers one `/api/v2/*` request (not the notifications endpoint). */
  async handle(exchange: HttpExchange): Promise<void> {
    const { req, res, url } = exchange;
    const sessionId = this.authenticate(exchange);
    if (!sessionId) return;
    const session = this.sessions.get(sessionId)!;
    const path = url.pathname.replace(/\/+$/, '');
    if (req.method === 'GET') {
      res.setHeader('X-CSRF-HEADER', this.csrfHeaderName);
      res.setHeader('X-CSRF-TOKEN', session.csrfToken);
      this.read(exchange, path);
      return;
    }
    if (req.method !== 'POST') return exchange.json(405, { statusCode: 2, statusMessage: 'method not allowed' });
    if (this.csrfRequired && req.headers[this.csrfHeaderName.toLowerCase()] !== session.csrfToken) {
      return exchange.json(403, { statusCode: 3, statusMessage: 'CSRF token missing or invalid' });
    }
    const body = await exchange.body();
    const result = this.center.operate(path, typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {});
    exchange.json(result.status, result.body);
  }

  private read(exchange: HttpExchange, path: string): void {
    const center = this.center;
    if (path === '/api/v2/me') {
      return exchange.json(200, { statusCode: 0, user: center.me(exchange.url.searchParams.get('subresources') === '*') });
    }
    if (path === '/api/v2/me/calls') return exchange.json(200, { statusCode: 0, calls: center.callResources() });
    if (path === '/api/v2/me/chats') return exchange.json(200, { statusCode: 0, chats: center.chatResources() });
    const transcript = /^\/api\/v2\/me\/chats\/([^/]+)\/messages$/.exec(path);
    if (transcript) {
      const messages = center.transcript(decodeURIComponent(transcript[1]!));
      return messages ? exchange.json(200, { statusCode: 0, messages }) : exchange.json(404, { statusCode: 2, statusMessage: 'no such chat' });
    }
    exchange.json(404, { statusCode: 2, statusMessage: `no resource ${path}` });
  }

  /** The request's HTTP session id, creating one on a good Basic login; otherwise answers 401 itself. */
  private authenticate(exchange: HttpExchange): string | undefined {
    const { req, res } = exchange;
    const cookie = cookieValue(req.headers.cookie, 'JSESSIONID');
    if (req.headers.authorization !== undefined) {
      const credentials = basicCredentials(req);
      if (!credentials || credentials.user !== this.options.user || !this.passwords.has(credentials.password)) {
        exchange.json(401, { statusCode: 4, statusMessage: 'Authentication failed' });
        return undefined;
      }
      if (cookie && this.sessions.has(cookie)) return cookie;
      const id = randomBytes(16).toString('hex').toUpperCase();
      this.sessions.set(id, { csrfToken: randomUUID() });
      this.authenticationCount += 1;
      res.setHeader('Set-Cookie', `JSESSIONID=${id}; Path=/; HttpOnly`);
      return id;
    }
    if (cookie && this.sessions.has(cookie)) return cookie;
    exchange.json(401, { statusCode: 4, statusMessage: 'Authentication required' });
    return undefined;
  }
}
