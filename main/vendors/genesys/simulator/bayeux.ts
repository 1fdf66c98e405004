/**
 * The Genesys simulator's notification endpoint: a `cometd-nodejs-server` (long-polling only) at
 * `/api/v2/notifications*`, and the controls that end or disturb its sessions the ways a real
 * server, or the network in front of it, does.
 *
 * Behaviour (VENDOR-NOTES.md, Genesys — "Auth", "Libraries", "Server-ended sessions" [C]):
 * - a handshake is accepted only with the `JSESSIONID` of a live HTTP session (`policy.canHandshake`);
 *   the server's own `BAYEUX_BROWSER` cookie must come back on every Bayeux request;
 * - the long poll is held `longPollTimeoutMs`; a session without a poll is dropped after 15 s;
 * - server-side endings: a `/meta/disconnect` delivered to the client ({@link Bayeux.disconnectAll});
 *   a `/meta/connect` answered with `advice.reconnect: "none"` ({@link Bayeux.refuseReconnect}); the
 *   session forgotten, the held poll answered `402::Unknown client` with `advice.reconnect:
 *   "handshake"` and every later request of that client `402::session_unknown` ({@link Bayeux.forgetAll});
 * - faults in front of it: 5xx answers ({@link Bayeux.failWith}), silence ({@link Bayeux.silence}: polls
 *   held and never answered), cut connections ({@link Bayeux.resetSockets}).
 *
 * `cometd-nodejs-server` offers no public way to forget a session without telling its client, nor
 * to stop answering a held poll: {@link forget} and {@link freeze} use two of its internals
 * (`_removeServerSession`, a session's `_scheduler`), typed below, in this one file.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
// A CommonJS module whose exports Node cannot detect statically: use its default export.
import cometdNodejsServer, { type CometDServer, type ServerMessage, type ServerSession } from 'cometd-nodejs-server';
import type { HttpExchange } from '../../kit/simulator.js';
import { TOPICS } from './payloads.js';
import { cookieValue } from './rest.js';

/** `cometd-nodejs-server` internals this file uses (version 1.2). */
interface ServerInternals {
  _removeServerSession(session: ServerSession, timeout: boolean): boolean;
}
interface SessionInternals {
  /** The held `/meta/connect`, if any: `resume()` answers it now; `_timeout` answers it at the poll timeout. */
  _scheduler: { resume(): void; _timeout: ReturnType<typeof setTimeout> | null } | null;
}

/** How a forgotten session's held `/meta/connect` is answered, and the `advice.interval` it carries (ms). */
type Ending = { kind: 'reconnect-none' | 'unknown-client'; interval: number };

/** Options of {@link Bayeux}. */
export interface BayeuxOptions {
  /** How long a `/meta/connect` is held, ms. */
  longPollTimeoutMs: number;
  /** Whether a `JSESSIONID` names a live HTTP session. */
  hasHttpSession(jsessionId: string | undefined): boolean;
}

/** The CometD server of the simulator, and its session controls. */
export class Bayeux {
  private readonly server: CometDServer;
  private readonly sessions = new Set<ServerSession>();
  private readonly subscribed = new WeakMap<ServerSession, Set<string>>();
  /** Sessions whose held `/meta/connect` is to be answered with an ending. */
  private readonly endings = new Map<string, Ending>();
  /** Sockets with a notifications request in flight. */
  private readonly inFlight = new Set<Socket>();
  /** Requests held while silent, and the sessions whose held poll was frozen. */
  private readonly held = new Set<ServerResponse>();
  private readonly frozen = new Set<ServerSession>();
  private fault: { kind: 'status'; status: number; headers: Record<string, string> } | { kind: 'silence' } | undefined;
  /** A reset found no request in flight: the next one's socket is cut. */
  private resetNext = false;
  /** End every session as soon as it subscribed to all four topics (accept, then end at once). */
  private endNewSessions = false;
  private handshakeCount = 0;
  private metaConnectCount = 0;
  private subscriptionCount = 0;
  private closed = false;

  constructor(options: BayeuxOptions) {
    const server = cometdNodejsServer.createCometDServer({ timeout: options.longPollTimeoutMs, maxInterval: 15_000 });
    this.server = server;
    server.addListener('sessionAdded', (session: ServerSession) => {
      this.sessions.add(session);
      this.handshakeCount += 1;
      session.addListener('suspended', () => (this.metaConnectCount += 1));
    });
    server.addListener('sessionRemoved', (session: ServerSession) => this.sessions.delete(session));
    server.addListener('subscribed', (channel: { name: string }, session: ServerSession) => {
      const topics = this.subscribed.get(session) ?? new Set<string>();
      this.subscribed.set(session, topics);
      const complete = topics.size === Object.keys(TOPICS).length;
      topics.add(channel.name);
      if (!complete && topics.size === Object.keys(TOPICS).length) {
        this.subscriptionCount += 1;
        if (this.endNewSessions) setImmediate(() => session.disconnect());
      }
    });
    server.policy = {
      canHandshake(_session, _message, callback) {
        const request = (server.context as { request?: IncomingMessage }).request;
        callback(undefined, options.hasHttpSession(cookieValue(request?.headers.cookie, 'JSESSIONID')));
      },
    };
    server.addExtension({
      outgoing: (_server, _sender, session, message: ServerMessage, callback) => {
        const ending = session && message.channel === '/meta/connect' ? this.endings.get(session.id) : undefined;
        if (session && ending) {
          this.endings.delete(session.id);
          if (ending.kind === 'reconnect-none') {
            message.advice = { ...(message.advice as object | undefined), reconnect: 'none', ...(ending.interval ? { interval: ending.interval } : {}) };
          } else {
            message.successful = false;
            message.error = '402::Unknown client';
            message.advice = { reconnect: 'handshake', interval: ending.interval };
          }
        }
        callback(undefined, true);
      },
    });
  }

  /** Successful handshakes so far. */
  get handshakes(): number {
    return this.handshakeCount;
  }

  /** `/meta/connect` long polls held so far (a healthy client keeps polling one session). */
  get metaConnects(): number {
    return this.metaConnectCount;
  }

  /** Sessions that subscribed to all four topics (each complete set once). */
  get subscriptions(): number {
    return this.subscriptionCount;
  }

  /** Publishes `data` on `topic` to every subscribed session. */
  publish(topic: string, data: unknown): void {
    if (!this.closed) this.server.createServerChannel(topic).publish(null, data);
  }

  /**
   * Answers one notifications request (or does not, while a fault is on).
   * @param record called with the HTTP status once a response was sent (for the request log).
   */
  handle(exchange: HttpExchange, record: (status: number) => void): void {
    const { req, res } = exchange;
    if (this.fault?.kind === 'status') return exchange.json(this.fault.status, { statusCode: 1, statusMessage: 'Service Unavailable' }, this.fault.headers);
    if (this.fault?.kind === 'silence') {
      this.held.add(res);
      res.once('close', () => this.held.delete(res));
      return;
    }
    const socket = req.socket;
    if (this.resetNext) {
      this.resetNext = false;
      socket.destroy();
      return;
    }
    this.inFlight.add(socket);
    res.once('finish', () => record(res.statusCode));
    res.once('close', () => this.inFlight.delete(socket));
    this.server.handle(req, res);
  }

  /** Delivers a successful `/meta/disconnect` to every client: the server ended their sessions. */
  disconnectAll(): void {
    for (const session of [...this.sessions]) session.disconnect();
  }

  /**
   * Answers every held `/meta/connect` with `advice.reconnect: "none"` and forgets the sessions;
   * `intervalMs` adds `advice.interval` (the server's "try again no sooner than this").
   */
  refuseReconnect(intervalMs = 0): void {
    this.forget({ kind: 'reconnect-none', interval: intervalMs });
  }

  /** Forgets every session: held polls are answered `402::Unknown client`, later requests `402::session_unknown`. */
  forgetAll(): void {
    this.forget({ kind: 'unknown-client', interval: 0 });
  }

  /** Answers every notifications request with `status` (e.g. 503) and `headers` until called with `undefined`. */
  failWith(status: number | undefined, headers: Record<string, string> = {}): void {
    if (status !== undefined) this.fault = { kind: 'status', status, headers };
    else if (this.fault?.kind === 'status') this.fault = undefined;
  }

  /** While on, every session is ended with a `/meta/disconnect` as soon as it subscribed to all four topics. */
  endSessionsOnceSubscribed(on: boolean): void {
    this.endNewSessions = on;
  }

  /** While on, no notifications request is answered (held polls included); off cuts what was held. */
  silence(on: boolean): void {
    if (on) {
      this.fault = { kind: 'silence' };
      for (const session of this.sessions) {
        freeze(session);
        this.frozen.add(session);
      }
      return;
    }
    if (this.fault?.kind !== 'silence') return;
    this.fault = undefined;
    for (const res of this.held) res.destroy();
    this.held.clear();
    // A frozen session would never expire (a held poll keeps it alive); its client gave up on it.
    for (const session of this.frozen) this.forgetSession(session, undefined);
    this.frozen.clear();
  }

  /**
   * Destroys every socket with a notifications request in flight (a reset, no goodbye). Caught
   * between two long polls (the last one just answered), it cuts the next request's socket instead:
   * a reset that hit nothing would leave the session running, and the test of it flaky.
   */
  resetSockets(): void {
    this.resetNext = this.inFlight.size === 0;
    for (const socket of this.inFlight) socket.destroy();
    this.inFlight.clear();
  }

  /** Stops publishing and closes the CometD server (the HTTP server is closed by its owner). */
  close(): void {
    this.closed = true;
    this.endings.clear();
    this.server.close();
  }

  private forget(ending: Ending): void {
    for (const session of [...this.sessions]) this.forgetSession(session, ending);
  }

  /** Removes `session`; its held long poll, if any, is answered now with `ending` (or normally). */
  private forgetSession(session: ServerSession, ending: Ending | undefined): void {
    const scheduler = (session as unknown as SessionInternals)._scheduler;
    if (ending && scheduler?._timeout) this.endings.set(session.id, ending);
    (this.server as unknown as ServerInternals)._removeServerSession(session, false);
    scheduler?.resume();
  }
}

/** Stops the held `/meta/connect` of `session` from ever being answered. */
function freeze(session: ServerSession): void {
  const scheduler = (session as unknown as SessionInternals)._scheduler;
  if (scheduler?._timeout) {
    clearTimeout(scheduler._timeout);
    scheduler._timeout = null;
  }
}
