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
 * Only `cometd-nodejs-server`'s public API: a session is forgotten without telling its client by
 * `disconnect()`, whose `/meta/disconnect` wakes the held poll and is taken out of its answer by a
 * `queueDrain` listener (CometD's dequeue listener); a held poll is kept from being answered
 * ({@link Bayeux.silence}) by corking its socket — the server answers, the network in front of it
 * does not deliver — the held poll's response being the one `server.context` names while the
 * `/meta/connect` suspends.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
// A CommonJS module whose exports Node cannot detect statically: use its default export.
import cometdNodejsServer, { type CometDServer, type ServerMessage, type ServerSession } from 'cometd-nodejs-server';
import type { HttpExchange } from '../../kit/simulator.js';
import { TOPICS } from './payloads.js';
import { cookieValue } from './rest.js';

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
  private readonly frozen = new Map<ServerSession, ServerResponse | undefined>();
  /** Each session's held `/meta/connect`: the response it will be answered on. */
  private readonly polls = new Map<ServerSession, ServerResponse>();
  /** Sessions to be ended once their next `/meta/connect` is held (none was held when asked). */
  private readonly pendingEndings = new Map<ServerSession, Ending>();
  /** Sessions forgotten without telling their clients: their `/meta/disconnect` is never sent. */
  private readonly forgotten = new WeakSet<ServerSession>();
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
      session.addListener('suspended', () => {
        this.metaConnectCount += 1;
        // The `/meta/connect` suspends while it is processed: the context is its request's.
        const response = (server.context as { response?: ServerResponse } | null)?.response;
        if (response) this.polls.set(session, response);
        const ending = this.pendingEndings.get(session);
        if (ending) {
          this.pendingEndings.delete(session);
          setImmediate(() => this.forgetSession(session, ending));
        }
      });
      session.addListener('resumed', () => this.polls.delete(session));
      session.addListener('queueDrain', (_session: ServerSession, queue: ServerMessage[]) => {
        if (!this.forgotten.has(session)) return;
        for (let i = queue.length - 1; i >= 0; i -= 1) if (queue[i]!.channel === '/meta/disconnect') queue.splice(i, 1);
      });
    });
    server.addListener('sessionRemoved', (session: ServerSession) => {
      this.sessions.delete(session);
      this.pendingEndings.delete(session);
      this.polls.delete(session);
    });
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
        // Its held poll is answered into a corked socket: nothing reaches the client.
        const poll = this.polls.get(session);
        poll?.socket?.cork();
        this.frozen.set(session, poll);
      }
      return;
    }
    if (this.fault?.kind !== 'silence') return;
    this.fault = undefined;
    for (const res of this.held) res.destroy();
    this.held.clear();
    // A frozen session would never expire (a held poll keeps it alive); its client gave up on it.
    for (const [session, poll] of this.frozen) {
      this.forgetSession(session, undefined);
      poll?.destroy();
    }
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
    this.pendingEndings.clear();
    this.server.close();
  }

  private forget(ending: Ending): void {
    for (const session of [...this.sessions]) this.forgetSession(session, ending);
  }

  /**
   * Removes `session` without telling its client; its held long poll is answered with `ending` (or
   * normally, without one). `disconnect()` queues a `/meta/disconnect`, which wakes the held poll;
   * the `queueDrain` listener takes it out of the answer. Caught between two long polls (the last one
   * just answered), the session is ended on its next `/meta/connect` instead: forgotten now, the
   * client would only learn `402::session_unknown` and never see the ending's advice.
   */
  private forgetSession(session: ServerSession, ending: Ending | undefined): void {
    if (ending && !this.polls.has(session)) {
      this.pendingEndings.set(session, ending);
      return;
    }
    if (ending) this.endings.set(session.id, ending);
    this.forgotten.add(session);
    session.disconnect();
  }
}
