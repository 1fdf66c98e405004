/**
 * The simulator kit: the loopback plumbing every protocol-faithful simulator needs, in one place,
 * so each simulator holds only its protocol, its routes, its payloads and its scripting.
 *
 * - {@link startLoopbackHttp}: an HTTP server on 127.0.0.1 (any free port) with a request log,
 *   JSON helpers, WebSocket upgrades handed to the simulator, and a close that ends every socket;
 * - {@link startLoopbackHttpHost}: one HTTP server that many simulators share, each under its own
 *   path prefix (a fleet of agents on one port, for `npm run bench -- --fleet`);
 * - {@link startLoopbackTcp}: the same for a raw TCP protocol;
 * - {@link DemoSchedule}: the scripted clock of a demo day (steps after delays, all cancelled at once).
 *
 * Only loopback: a simulator never listens on another address (the workplace forbids traffic
 * elsewhere, and nothing else should reach a test double).
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from '../../log.js';

/** One HTTP request a simulator answered, for tests to inspect. */
export interface SimRequest {
  method: string;
  /** Path with query, e.g. `/api/queues/?OnlyForUser=…`. */
  path: string;
  status: number;
  /** When it was answered, ms since epoch (set by the log when not given). */
  at?: number;
}

/** What a simulator's HTTP handler gets besides the request and the response. */
export interface HttpExchange {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** Answers with `status` and `body` as JSON (or no body), and logs the request. */
  json(status: number, body?: unknown, headers?: Record<string, string>): void;
  /** Reads the body as JSON; `undefined` when empty or not JSON. */
  body(): Promise<unknown>;
}

export interface LoopbackHttpOptions {
  /** Port on 127.0.0.1 (default 0: any free one). */
  port?: number;
  log?: Logger;
  /** Handles one request; a thrown error answers 500. Call `exchange.json` (or write `res`) to answer. */
  handle(exchange: HttpExchange): Promise<void> | void;
  /** Takes a WebSocket (or other) upgrade; absent: upgrades are refused. */
  upgrade?(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /**
   * Serve under `prefix` on a shared host instead of listening alone (`port` is then ignored): the
   * simulator sees its requests without the prefix, and its `origin` ends with it.
   */
  mount?: { host: LoopbackHttpHost; prefix: string };
}

/** A running loopback HTTP server. */
export interface LoopbackHttp {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  readonly origin: string;
  readonly port: number;
  readonly server: Server;
  /** Every request answered so far, oldest first. */
  readonly requests: SimRequest[];
  /** Records a request answered outside {@link HttpExchange.json} (an upgrade, a raw write). */
  record(request: SimRequest): void;
  /**
   * A hung server: while on, every new request and upgrade is taken and never answered (the
   * connection stays open); off, what was held is cut. Connections already upgraded are the
   * simulator's own to silence.
   */
  hang(on: boolean): void;
  /** Ends every connection at once and stops listening. */
  close(): Promise<void>;
}

/**
 * Starts an HTTP server on 127.0.0.1.
 * @throws when it cannot listen.
 */
export async function startLoopbackHttp(options: LoopbackHttpOptions): Promise<LoopbackHttp> {
  const requests: SimRequest[] = [];
  let hanging = false;
  const held = new Set<Duplex>();
  const hold = (socket: Duplex): void => {
    held.add(socket);
    socket.once('close', () => held.delete(socket));
  };
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    if (hanging) return hold(req.socket);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const exchange: HttpExchange = {
      req,
      res,
      url,
      json(status, body, headers = {}) {
        requests.push({ method: req.method ?? 'GET', path: req.url ?? '/', status, at: Date.now() });
        if (body === undefined) {
          res.writeHead(status, headers).end();
          return;
        }
        const text = JSON.stringify(body);
        res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)), ...headers }).end(text);
      },
      body: () => readJson(req),
    };
    Promise.resolve(options.handle(exchange)).catch((error: unknown) => {
      options.log?.warn({ err: error }, 'simulator request failed');
      if (!res.headersSent) exchange.json(500, { message: 'internal error' });
    });
  };
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (hanging) hold(socket);
    else if (options.upgrade) options.upgrade(req, socket, head);
    else socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
  };
  const record = (request: SimRequest): void => void requests.push({ ...request, at: request.at ?? Date.now() });
  const hang = (on: boolean): void => {
    hanging = on;
    if (on) return;
    for (const socket of held) socket.destroy();
    held.clear();
  };

  if (options.mount) {
    const { host, prefix } = options.mount;
    const routes = ROUTES.get(host)!;
    if (!/^\/[^/?#]+\/[^/?#]+$/.test(prefix)) throw new Error(`a mount prefix is two path segments, like /agents/7 (got ${prefix})`);
    if (routes.has(prefix)) throw new Error(`${prefix} is already mounted`);
    routes.set(prefix, { request: onRequest, upgrade: onUpgrade });
    return {
      origin: `${host.origin}${prefix}`,
      port: host.port,
      server: host.server,
      requests,
      record,
      hang,
      async close() {
        hang(false);
        routes.delete(prefix);
      },
    };
  }

  const server = createHttpServer(onRequest);
  server.on('upgrade', onUpgrade);
  await listen(server, options.port ?? 0);
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    server,
    requests,
    record,
    hang,
    async close() {
      hang(false);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** What a {@link LoopbackHttpHost} tells its observer, before or as its simulators answer. */
export interface LoopbackHttpObserver {
  /** A request arrived for `prefix` (its URL already without the prefix); called before the simulator sees it. */
  request?(prefix: string, req: IncomingMessage, res: ServerResponse): void;
  /** An upgrade arrived for `prefix`; called after the simulator took (or refused) it, so a `data` listener sees only what follows. */
  upgrade?(prefix: string, req: IncomingMessage, socket: Duplex): void;
}

/** One HTTP server on 127.0.0.1 that simulators share, each mounted under a path prefix. */
export interface LoopbackHttpHost {
  /** `http://127.0.0.1:<port>` (no trailing slash, no prefix). */
  readonly origin: string;
  readonly port: number;
  readonly server: Server;
  /** Cuts every connection at once (upgraded ones too) and stops listening; the simulators mounted on it stay as they are. */
  close(): Promise<void>;
}

/** The routes of each host: prefix → its simulator's request and upgrade handlers. */
const ROUTES = new WeakMap<LoopbackHttpHost, Map<string, { request(req: IncomingMessage, res: ServerResponse): void; upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void }>>();

/**
 * Starts an HTTP server on 127.0.0.1 that simulators mount on (`startLoopbackHttp({ mount })`):
 * a request for `/<a>/<b>/rest` goes to the simulator mounted at `/<a>/<b>`, as `/rest`; one for no
 * mounted prefix answers 404.
 * @param options.port the port (default 0: any free one; a restarted host passes the old one).
 * @param options.prepare mounts the simulators: with a given port it runs before the host listens
 *   (a restarted server opens its port once every simulator is there, as a real one does), with
 *   port 0 right after (no one knows the port before it resolves).
 * @throws when it cannot listen.
 */
export async function startLoopbackHttpHost(
  options: { port?: number; observe?: LoopbackHttpObserver; prepare?(host: LoopbackHttpHost): Promise<void> } = {},
): Promise<LoopbackHttpHost> {
  const routes = new Map<string, { request(req: IncomingMessage, res: ServerResponse): void; upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void }>();
  const observe = options.observe ?? {};
  /** The mounted prefix of a request, with its URL rewritten to what follows it. */
  const route = (req: IncomingMessage): string | undefined => {
    const match = /^(\/[^/?#]+\/[^/?#]+)(.*)$/.exec(req.url ?? '/');
    if (!match || !routes.has(match[1]!)) return undefined;
    const rest = match[2]!;
    req.url = rest.startsWith('/') ? rest : `/${rest}`;
    return match[1]!;
  };
  const server = createHttpServer((req, res) => {
    const prefix = route(req);
    if (prefix === undefined) return void res.writeHead(404, { 'Content-Length': '0' }).end();
    observe.request?.(prefix, req, res);
    routes.get(prefix)!.request(req, res);
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const prefix = route(req);
    if (prefix === undefined) return void socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
    routes.get(prefix)!.upgrade(req, socket, head);
    observe.upgrade?.(prefix, req, socket);
  });
  // Upgraded sockets leave the HTTP server's books: every connection is kept here, to cut them all.
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  let port = options.port ?? 0;
  const host: LoopbackHttpHost = {
    get origin() {
      return `http://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    server,
    async close() {
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  ROUTES.set(host, routes);
  if (port !== 0) await options.prepare?.(host);
  await listen(server, port);
  if (port === 0) {
    port = (server.address() as AddressInfo).port;
    await options.prepare?.(host);
  }
  return host;
}

/** Reads a request body as JSON: `undefined` when it is empty or not JSON. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The user and password of an HTTP Basic `Authorization` header, or undefined. */
export function basicCredentials(req: IncomingMessage): { user: string; password: string } | undefined {
  const match = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 ? { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) } : undefined;
}

export interface LoopbackTcpOptions {
  port?: number;
  /** Takes one accepted connection. */
  accept(socket: Socket): void;
}

/** A running loopback TCP server. */
export interface LoopbackTcp {
  readonly port: number;
  readonly server: TcpServer;
  /** The connections open now. */
  readonly sockets: ReadonlySet<Socket>;
  /** Destroys every connection and stops listening. */
  close(): Promise<void>;
}

/**
 * Starts a TCP server on 127.0.0.1.
 * @throws when it cannot listen.
 */
export async function startLoopbackTcp(options: LoopbackTcpOptions): Promise<LoopbackTcp> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    options.accept(socket);
  });
  await listen(server, options.port ?? 0);
  return {
    port: (server.address() as AddressInfo).port,
    server,
    sockets,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function listen(server: Server | TcpServer, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * A small seeded generator (mulberry32): the same seed gives the same numbers, uniform in [0, 1).
 * For demo days and simulations that must replay, never for anything secret.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The scripted clock of a demo day: steps run after a delay unless the script stopped; a failing
 * step is logged and skipped, never thrown (a demo must not take the app down). Its randomness is
 * seeded, so a demo day is repeatable.
 */
export class DemoSchedule {
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private stopped = false;
  private readonly silent: boolean;
  /** A number in [0, 1), from the seeded generator (mulberry32). */
  readonly random: () => number;

  /**
   * @param seed the generator's seed: the same seed plays the same day.
   * @param options `silent`: no step ever runs (the simulator alone, for the bench's idle desk).
   */
  constructor(
    private readonly log: Logger,
    seed = 20261120,
    options: { silent?: boolean } = {},
  ) {
    this.silent = options.silent === true;
    this.random = seededRandom(seed);
  }

  /** One of `items`, chosen by the seeded generator. @throws {RangeError} when `items` is empty. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('nothing to pick from');
    return items[Math.floor(this.random() * items.length)]!;
  }

  /** `ms` scaled by a random 60–140 %, rounded. */
  jitter(ms: number): number {
    return Math.round(ms * (0.6 + this.random() * 0.8));
  }

  /** Runs `step` after `ms` milliseconds, unless {@link stop} ran first (never when silent). */
  after(ms: number, step: () => void): void {
    if (this.stopped || this.silent) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.stopped) return;
      try {
        step();
      } catch (error) {
        this.log.debug({ err: error }, 'demo step skipped');
      }
    }, ms);
    this.timers.add(timer);
  }

  /** Cancels every pending step. Returns false when it had already stopped. */
  stop(): boolean {
    if (this.stopped) return false;
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    return true;
  }
}

