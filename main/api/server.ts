/**
 * The automation API's HTTP server: `127.0.0.1` only, and safe to leave open to every web page the
 * agent visits (issue 20, point 4). Every request passes, in this order:
 *
 * 1. **Host** must be `127.0.0.1:<port>` or `localhost:<port>`: a page that rebinds its own domain
 *    name to 127.0.0.1 (DNS rebinding) sends its own name and is refused (421).
 * 2. **No token in the address**: a query parameter named like a credential, or anything shaped like
 *    a token anywhere in the address, is refused (400) and the request not carried out. Addresses
 *    end up in histories, logs and Referer headers; a token belongs in `Authorization` only.
 * 3. **Route** and method (404, 405), and CORS preflights (`OPTIONS`, below).
 * 4. **Token** (`Authorization: Bearer …`): missing, unknown or revoked is 401; a page whose
 *    `Origin` is not the token's is 403; a scope the agent did not grant is 403.
 * 5. **Rate limits** (`limits.ts`): 429 with `Retry-After`. Callers without a valid token share a
 *    bucket per origin, so refusals are cheap too.
 * 6. **Body**: JSON only (415), at most {@link MAX_BODY_BYTES} (413), valid against the route's
 *    schema (400 naming each field). Only then does a handler run.
 *
 * CORS: a response that carries the desk's data (a 2xx of a route with a token) is readable by the
 * token's own origin only — a token is bound to the origin it was paired from. Pairing, refusals
 * (problem documents, which hold no data) and preflights are answered to any origin but `null`, so a
 * page learns why it was refused (its access was revoked, say) instead of a bare network error.
 * Preflights also answer Chrome's Private Network Access (`Access-Control-Allow-Private-Network`).
 * Nothing is ever read from cookies.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { ApiCommand } from '../../common/automation.js';
import { TOKEN_PATTERN, type ClientRecord, type ClientRegistry } from './clients.js';
import { ANONYMOUS_REQUESTS, BucketMap, CLIENT_COMMANDS, CLIENT_REQUESTS } from './limits.js';
import { fail, problem, ProblemError } from './problems.js';
import type { RefusalLog, RefusalReason } from './refusals.js';
import { ROUTES, type OperationId, type RouteSpec } from './routes.js';
import { API_BASE, type Problem } from './schemas.js';

/** The largest request body read, bytes. */
export const MAX_BODY_BYTES = 16 * 1024;
/** Query parameters that name a credential: refused whatever their value. */
const CREDENTIAL_PARAMS = /^(access[_-]?token|token|api[_-]?key|apikey|key|auth|authorization|bearer|secret|password)$/i;
/** How long a preflight may be cached by the browser, s. */
const PREFLIGHT_MAX_AGE_S = 600;
const ALLOWED_HEADERS = 'Authorization, Content-Type, Last-Event-ID';
const EXPOSED_HEADERS = 'Retry-After, Location, WWW-Authenticate';

/** What a handler is given. */
export interface RequestContext {
  route: RouteSpec;
  /** The app, for a route with a token. */
  client?: ClientRecord;
  /** The page's origin (the `Origin` header), absent for an app that is not a page. */
  origin?: string;
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  body: unknown;
  headers: IncomingHttpHeaders;
  /** The response, for a handler that streams (it then answers `{stream: true}`). */
  res: ServerResponse;
}

/** What a handler answers: a status and JSON body (with headers), or that it took the response over. */
export type HandlerResult = { status: number; body?: unknown; headers?: Record<string, string> } | { stream: true };

/** One handler per route. */
export type Handlers = Record<OperationId, (context: RequestContext) => HandlerResult | Promise<HandlerResult>>;

export interface ApiServerOptions {
  /** TCP port on 127.0.0.1; 0 picks a free one. */
  port: number;
  registry: ClientRegistry;
  handlers: Handlers;
  refusals: RefusalLog;
  /** A command refused before its handler ran (scope, body, rate): it goes to the audit list. */
  onCommandRefused(client: ClientRecord, command: ApiCommand, problem: Problem): void;
  /** A handler threw something that is not a problem: a bug, logged with the route. */
  onError(error: unknown, operationId: string): void;
  /** Monotonic ms for the rate limits (tests pass a fake clock). */
  nowMs?: () => number;
}

interface CompiledRoute {
  spec: RouteSpec;
  pattern: RegExp;
  names: string[];
}

/** A route an address matched, with its path parameters' values (decoded), in `names` order. */
interface RouteHit {
  route: CompiledRoute;
  values: string[];
}

function compile(spec: RouteSpec): CompiledRoute {
  const names: string[] = [];
  const source = spec.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_m, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { spec, pattern: new RegExp(`^${source}$`), names };
}

/** The field paths and messages of a zod error, for a problem's `errors`. */
function fieldErrors(error: z.ZodError, where: string): Array<{ field: string; message: string }> {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ field: [...issue.path, key].join('.'), message: 'is not a field of this request' }));
    return [{ field: issue.path.length ? issue.path.join('.') : where, message: issue.message }];
  });
}

/** Whether a header value is a web origin as browsers send it (`null` is not). */
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}

export class ApiServer {
  private readonly server: Server;
  private readonly routes = ROUTES.map((route) => compile(route as RouteSpec));
  private readonly requests = new BucketMap(CLIENT_REQUESTS);
  private readonly commands = new BucketMap(CLIENT_COMMANDS);
  private readonly anonymous = new BucketMap(ANONYMOUS_REQUESTS);
  private readonly nowMs: () => number;
  private hosts = new Set<string>();
  /** The port it listens on, once listening. */
  port = 0;

  constructor(private readonly options: ApiServerOptions) {
    this.nowMs = options.nowMs ?? (() => performance.now());
    this.server = createServer({ maxHeaderSize: 16 * 1024, requestTimeout: 30_000, headersTimeout: 10_000 }, (req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        options.onError(error, 'request');
        if (!res.headersSent) this.sendProblem(req, res, problem('internal', 'The request could not be carried out; the desk logged why.'));
        else res.destroy();
      });
    });
    this.server.on('clientError', (_error, socket) => socket.destroy());
    options.registry.onRevoke((client) => {
      this.requests.forget(client.id);
      this.commands.forget(client.id);
    });
  }

  /** Every route the router serves, as `METHOD path` (the OpenAPI test compares them with the document). */
  served(): string[] {
    return this.routes.map((route) => `${route.spec.method} ${route.spec.path}`);
  }

  /** Listens on 127.0.0.1. @throws when the port is taken (the message says which). */
  async listen(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException): void => {
        reject(new Error(error.code === 'EADDRINUSE' ? `port ${this.options.port} on 127.0.0.1 is used by another program` : error.message, { cause: error }));
      };
      this.server.once('error', onError);
      this.server.listen(this.options.port, '127.0.0.1', () => {
        this.server.off('error', onError);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
    this.hosts = new Set([`127.0.0.1:${this.port}`, `localhost:${this.port}`]);
    return this.port;
  }

  /** Stops listening and drops every connection (streams included). */
  async close(): Promise<void> {
    if (!this.server.listening) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private refuse(reason: RefusalReason, fields: Record<string, unknown>): void {
    this.options.refusals.note(reason, fields);
  }

  /** One request, through the checks in the order the module's comment lists them. */
  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    const routed = this.route(req, res);
    if (!routed) return;
    const { hit, url, origin } = routed;
    const spec = hit.route.spec;
    let client: ClientRecord | undefined;
    if (spec.auth !== 'public') {
      client = this.authorize(req, res, { ...spec, auth: spec.auth }, url.pathname, origin);
      if (!client) return;
    } else if (this.limitAnonymous(req, res, origin)) {
      return;
    }
    const context = await this.context(req, res, hit, url, client, origin);
    if (!context) return;
    await this.run(req, res, context, url.pathname);
  }

  /**
   * Host, address, route, method and origin (steps 1–3): the route hit, or `undefined` when the
   * request was answered (refused, or a preflight).
   */
  private route(req: IncomingMessage, res: ServerResponse): { hit: RouteHit; url: URL; origin: string | undefined } | undefined {
    const method = req.method ?? 'GET';
    const originHeader = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
    if (!this.hosts.has(req.headers.host ?? '')) {
      this.refuse('wrong-host', { host: (req.headers.host ?? '').slice(0, 100) });
      // No CORS header: a rebound page must learn nothing.
      this.send(res, 421, problem('wrong-host', `This API answers only to http://127.0.0.1:${this.port} (or localhost:${this.port}).`), {}, true);
      return undefined;
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://127.0.0.1:${this.port}`);
    } catch {
      this.refuse('bad-request', {});
      this.sendProblem(req, res, problem('invalid-request', 'The address cannot be read.'));
      return undefined;
    }
    // The path alone is ever logged: the query may hold a token.
    const path = url.pathname;
    if (this.tokenInAddress(url, req.url ?? '')) {
      this.refuse('token-in-url', { path: path.slice(0, 100) });
      this.sendProblem(
        req,
        res,
        problem(
          'token-in-url',
          'A token goes in the Authorization header (`Authorization: Bearer <token>`), never in the address, where histories, logs and Referer headers keep it. This request was not carried out. If a real token was in it, revoke it in Agent Companion’s settings and pair again.',
        ),
      );
      return undefined;
    }
    const found = this.match(path);
    if (method === 'OPTIONS') {
      this.preflight(req, res, found, originHeader);
      return undefined;
    }
    if (!found) {
      this.sendProblem(req, res, problem('not-found', `There is nothing at ${path.slice(0, 100)}. The routes are listed in ${API_BASE}/openapi.json.`));
      return undefined;
    }
    const allowed = found.map((f) => f.route.spec.method);
    const hit = found.find((f) => f.route.spec.method === method || (method === 'HEAD' && f.route.spec.method === 'GET'));
    if (!hit) {
      this.sendProblem(req, res, problem('method-not-allowed', `${path} takes ${allowed.join(', ')}.`), { Allow: allowed.join(', ') });
      return undefined;
    }
    if (originHeader !== undefined && !isOrigin(originHeader)) {
      // `Origin: null`: a sandboxed frame, a file, a redirect — no origin to pair with or trust.
      this.refuse('null-origin', { path });
      this.send(res, 403, problem('null-origin', 'This page has no origin (a sandboxed frame or a local file): serve it from http(s):// to use the API.'), {}, true);
      return undefined;
    }
    return { hit, url, origin: originHeader };
  }

  /**
   * Token, its origin, the rate limits and the scope (steps 4–5) of a route that needs a token:
   * the app, or `undefined` when the request was refused (and answered).
   */
  private authorize(req: IncomingMessage, res: ServerResponse, spec: RouteSpec & { auth: Exclude<RouteSpec['auth'], 'public'> }, path: string, origin: string | undefined): ClientRecord | undefined {
    const token = bearer(req.headers.authorization);
    const client = token === undefined ? undefined : this.options.registry.authenticate(token);
    if (!client) {
      if (this.limitAnonymous(req, res, origin)) return undefined;
      this.refuse(token === undefined ? 'no-token' : 'bad-token', { path, origin });
      this.sendProblem(
        req,
        res,
        problem(
          'unauthorized',
          token === undefined
            ? 'This request needs a token: send `Authorization: Bearer <token>`. Get one by pairing (POST /api/v1/pairing).'
            : 'This token is not valid: it was never issued here, or the agent revoked it. Pair again (POST /api/v1/pairing).',
        ),
        { 'WWW-Authenticate': 'Bearer realm="agent-companion"' + (token === undefined ? '' : ', error="invalid_token"') },
      );
      return undefined;
    }
    if (origin !== undefined && client.origin !== origin) {
      this.refuse('wrong-origin', { path, origin, client: client.name });
      this.refused(client, spec, problem('wrong-origin', client.origin ? `This token belongs to pages of ${client.origin}, not ${origin}.` : `This token was not paired for a web page; ${origin} cannot use it.`), req, res);
      return undefined;
    }
    const wait = this.requests.take(client.id, this.nowMs()) || (spec.command ? this.commands.take(client.id, this.nowMs()) : 0);
    if (wait > 0) {
      this.refuse('rate-limited', { path, client: client.name });
      this.refused(client, spec, rateProblem(wait, spec.command ? 'commands' : 'requests'), req, res, { 'Retry-After': String(Math.ceil(wait / 1000)) });
      return undefined;
    }
    this.options.registry.touch(client);
    if (spec.auth !== 'token' && !client.scopes.includes(spec.auth)) {
      this.refuse('missing-scope', { path, client: client.name, scope: spec.auth });
      this.refused(
        client,
        spec,
        problem('missing-scope', `${client.name} was not allowed “${spec.auth}” when it was paired. Pair again asking for it; the agent decides.`),
        req,
        res,
        { 'WWW-Authenticate': `Bearer realm="agent-companion", error="insufficient_scope", scope="${spec.auth}"` },
      );
      return undefined;
    }
    return client;
  }

  /**
   * Path and query parameters and the body, each checked against the route's schemas (step 6):
   * the handler's context, or `undefined` when they were refused (and answered).
   */
  private async context(
    req: IncomingMessage,
    res: ServerResponse,
    hit: RouteHit,
    url: URL,
    client: ClientRecord | undefined,
    origin: string | undefined,
  ): Promise<RequestContext | undefined> {
    const spec = hit.route.spec;
    try {
      const params: Record<string, unknown> = {};
      hit.route.names.forEach((name, i) => (params[name] = hit.values[i]));
      return {
        route: spec,
        ...(client ? { client } : {}),
        ...(origin !== undefined ? { origin } : {}),
        params: spec.params ? parseOr(spec.params, params, 'path', 'not-found') : params,
        query: spec.query ? parseOr(spec.query, Object.fromEntries(url.searchParams), 'query', 'invalid-request') : {},
        body: spec.body ? await this.readBody(req, spec.body) : undefined,
        headers: req.headers,
        res,
      };
    } catch (error) {
      if (!(error instanceof ProblemError)) throw error;
      this.refuse(error.problem.status === 413 ? 'too-large' : 'bad-request', { path: url.pathname, client: client?.name });
      if (client) this.refused(client, spec, error.problem, req, res, error.headers);
      else this.sendProblem(req, res, error.problem, error.headers);
      return undefined;
    }
  }

  /** Runs the route's handler and answers what it returns (its data readable by the token's origin only). */
  private async run(req: IncomingMessage, res: ServerResponse, context: RequestContext, path: string): Promise<void> {
    const { route: spec, client, origin } = context;
    let result: HandlerResult;
    try {
      result = await this.options.handlers[spec.operationId as OperationId]!(context);
    } catch (error) {
      if (!(error instanceof ProblemError)) throw error;
      if (error.problem.status === 429 || error.problem.status === 403) this.refuse('pairing-refused', { path, origin });
      this.sendProblem(req, res, error.problem, error.headers);
      return;
    }
    if ('stream' in result) return;
    const cors: Record<string, string> = origin !== undefined && (spec.auth === 'public' || client?.origin === origin) ? corsHeaders(origin) : {};
    if (req.method === 'HEAD') {
      res.writeHead(result.status, { ...cors, ...result.headers }).end();
      return;
    }
    this.send(res, result.status, result.body, { ...cors, ...result.headers });
  }

  /** A refusal of an app's request: answered, and a command's also audited. */
  private refused(client: ClientRecord, spec: RouteSpec, refusal: Problem, req: IncomingMessage, res: ServerResponse, headers: Record<string, string> = {}): void {
    if (spec.command) this.options.onCommandRefused(client, spec.command, refusal);
    this.sendProblem(req, res, refusal, headers);
  }

  /** Takes from the caller's anonymous bucket; answers 429 and returns true when it is empty. */
  private limitAnonymous(req: IncomingMessage, res: ServerResponse, origin: string | undefined): boolean {
    const wait = this.anonymous.take(`${req.socket.remoteAddress ?? ''} ${origin ?? '-'}`, this.nowMs());
    if (wait === 0) return false;
    this.refuse('rate-limited', { origin });
    this.sendProblem(req, res, rateProblem(wait, 'requests'), { 'Retry-After': String(Math.ceil(wait / 1000)) });
    return true;
  }

  /** Whether the address carries a credential: a parameter named like one, or a token-shaped value anywhere. */
  private tokenInAddress(url: URL, raw: string): boolean {
    for (const name of url.searchParams.keys()) if (CREDENTIAL_PARAMS.test(name)) return true;
    let decoded = raw;
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      // A broken escape: look at it as it came.
    }
    return TOKEN_PATTERN.test(decoded);
  }

  private match(path: string): RouteHit[] | undefined {
    const out: RouteHit[] = [];
    for (const route of this.routes) {
      const m = route.pattern.exec(path);
      if (!m) continue;
      const values: string[] = [];
      let ok = true;
      for (const raw of m.slice(1)) {
        try {
          values.push(decodeURIComponent(raw!));
        } catch {
          ok = false;
        }
      }
      if (ok) out.push({ route, values });
    }
    return out.length ? out : undefined;
  }

  /**
   * A CORS preflight: allowed for a route that exists, from any origin but `null` (the request
   * itself is then checked: a token is bound to its origin). Unknown routes and `null` are refused.
   */
  private preflight(req: IncomingMessage, res: ServerResponse, found: RouteHit[] | undefined, origin: string | undefined): void {
    if (!found || origin === undefined || !isOrigin(origin)) {
      if (origin !== undefined && !isOrigin(origin)) this.refuse('null-origin', {});
      res.writeHead(found ? 403 : 404, { 'Content-Length': '0' }).end();
      return;
    }
    const methods = [...new Set(found.map((f) => f.route.spec.method))].join(', ');
    const headers: Record<string, string> = {
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Allow-Methods': methods,
      'Access-Control-Allow-Headers': ALLOWED_HEADERS,
      'Access-Control-Max-Age': String(PREFLIGHT_MAX_AGE_S),
      Vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
      'Content-Length': '0',
    };
    // Chrome's Private Network Access: a public page may reach 127.0.0.1 only when the server says so.
    if (req.headers['access-control-request-private-network'] === 'true') headers['Access-Control-Allow-Private-Network'] = 'true';
    res.writeHead(204, headers).end();
  }

  /** Reads and checks a JSON body. @throws {ProblemError} */
  private async readBody(req: IncomingMessage, schema: z.ZodType): Promise<unknown> {
    const type = (req.headers['content-type'] ?? '').split(';', 1)[0]!.trim().toLowerCase();
    if (type !== 'application/json') {
      req.resume();
      fail('unsupported-media-type', 'Send the body as JSON, with `Content-Type: application/json`.');
    }
    const declared = Number(req.headers['content-length'] ?? Number.NaN);
    if (declared > MAX_BODY_BYTES) {
      req.resume();
      fail('too-large', `A body may hold at most ${MAX_BODY_BYTES / 1024} KB.`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.resume();
        fail('too-large', `A body may hold at most ${MAX_BODY_BYTES / 1024} KB.`);
      }
      chunks.push(chunk);
    }
    let raw: unknown;
    try {
      raw = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      fail('invalid-json', 'The body is not valid JSON.');
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const errors = fieldErrors(parsed.error, '(body)');
      fail('invalid-request', errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
    }
    return parsed.data;
  }

  /** Answers a problem document, readable by any page but `null` (it holds no desk data). */
  private sendProblem(req: IncomingMessage, res: ServerResponse, body: Problem, headers: Record<string, string> = {}): void {
    const origin = typeof req.headers.origin === 'string' && isOrigin(req.headers.origin) ? req.headers.origin : undefined;
    const cors: Record<string, string> = origin ? corsHeaders(origin) : {};
    this.send(res, body.status, body, { ...cors, ...headers }, true);
  }

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>, isProblem = false): void {
    if (body === undefined) {
      res.writeHead(status, headers).end();
      return;
    }
    const text = JSON.stringify(body);
    res
      .writeHead(status, {
        'Content-Type': isProblem ? 'application/problem+json' : 'application/json; charset=utf-8',
        'Content-Length': String(Buffer.byteLength(text)),
        ...headers,
      })
      .end(text);
  }
}

/** The headers that let a page of `origin` read a response. */
function corsHeaders(origin: string): Record<string, string> {
  return { 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': EXPOSED_HEADERS, Vary: 'Origin' };
}

/** The token of an `Authorization: Bearer …` header (RFC 6750 §2.1); `undefined` when there is none. */
function bearer(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^Bearer[ ]+([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(header);
  return m ? m[1] : '';
}

function rateProblem(waitMs: number, what: 'requests' | 'commands'): Problem {
  const seconds = Math.ceil(waitMs / 1000);
  return problem(
    'rate-limited',
    what === 'commands'
      ? `Too many commands at once: at most ${CLIENT_COMMANDS.burst} at once, then ${CLIENT_COMMANDS.perSecond} a second. Try again in ${seconds} s.`
      : `Too many requests: try again in ${seconds} s.`,
    { retryAfterSec: seconds },
  );
}

/** Parses path or query parameters; a failure is the problem `code`. */
function parseOr(schema: z.ZodObject, value: Record<string, unknown>, where: string, code: 'not-found' | 'invalid-request'): Record<string, unknown> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const errors = fieldErrors(parsed.error, where);
  return fail(code, errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
}
