/**
 * One RTE hub connection (document: "Establishing a connection", "Hub Methods", "Receiving
 * events"): a `@microsoft/signalr` HubConnection over WebSockets only, with the JWT from
 * `GET token/{userId}/rte/` as its access token.
 *
 * One session is one HubConnection and is never restarted: the SignalR client's own automatic
 * reconnect gives up after 0, 2, 10, 30 s (VENDOR-NOTES [C]) and would reuse a token the hub only
 * checks at connect time, so the connector's {@link ConnectionSupervisor} opens a new session,
 * with a fresh token, for every (re)connection.
 *
 * Independent of the process's globals: the `ws` WebSocket implementation and a fetch-based HTTP
 * client are passed in explicitly, so a fake `window`/`XMLHttpRequest` installed by another
 * connector (cometd-nodejs-client's `adapt()`) changes nothing here.
 *
 * What the hub sends is screened before the client reads it (`frames.ts`): a record that is
 * oversized, not JSON or not a hub message is logged and dropped, where the client itself would
 * close the connection.
 */
import {
  AbortError,
  HttpClient,
  HttpError,
  HttpResponse,
  HttpTransportType,
  HubConnectionBuilder,
  JsonHubProtocol,
  LogLevel,
  TimeoutError,
  type HttpRequest,
  type HubConnection,
  type HubMessage,
  type IHttpConnectionOptions,
  type ILogger,
} from '@microsoft/signalr';
import WebSocket from 'ws';
import type { DeskLogger as Logger } from '../../desk/port.js';
import { retryAfterMs } from '../kit/retry-after.js';
import type { Session } from '../kit/supervisor.js';
import { RECORD_SEPARATOR, RTE_MAX_MESSAGE_BYTES, screenHubMessages } from './frames.js';

/** The hub refused the access token (HTTP 401 at negotiate or at the WebSocket upgrade). */
export class RteAuthError extends Error {
  override name = 'RteAuthError';
}

/**
 * The hub could not be connected to (unreachable, timed out, refused); `retryAfterMs` is what a
 * `Retry-After` on its negotiate answer asked (RFC 9110 §10.2.3), when it carried one.
 */
export class RteConnectError extends Error {
  override name = 'RteConnectError';
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The SignalR client's HTTP (negotiate) over the global `fetch`, with a per-connection cookie jar
 * (so a load balancer's affinity cookie from negotiate reaches the WebSocket upgrade) and the last
 * status code kept, so a 401 can be told apart from a network error.
 */
class RteHttpClient extends HttpClient {
  lastStatus: number | undefined;
  /** What the last answer's `Retry-After` asked, ms. */
  lastRetryAfterMs: number | undefined;
  private readonly cookies = new Map<string, string>();

  override async send(request: HttpRequest): Promise<HttpResponse> {
    if (request.abortSignal?.aborted) throw new AbortError();
    const controller = new AbortController();
    let timedOut = false;
    const timer = request.timeout
      ? setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, request.timeout)
      : undefined;
    if (request.abortSignal) request.abortSignal.onabort = () => controller.abort();
    const cookie = this.getCookieString();
    try {
      const response = await fetch(request.url!, {
        method: request.method,
        headers: { ...request.headers, ...(cookie ? { Cookie: cookie } : {}) },
        body: request.content as string | ArrayBuffer | undefined,
        signal: controller.signal,
      });
      this.lastStatus = response.status;
      this.lastRetryAfterMs = retryAfterMs(response.headers.get('retry-after'));
      for (const line of response.headers.getSetCookie()) {
        const pair = line.split(';')[0] ?? '';
        const eq = pair.indexOf('=');
        if (eq > 0) this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
      }
      if (!response.ok) {
        await response.body?.cancel().catch(() => undefined);
        throw new HttpError(response.statusText || `HTTP ${response.status}`, response.status);
      }
      const content = request.responseType === 'arraybuffer' ? await response.arrayBuffer() : await response.text();
      return new HttpResponse(response.status, response.statusText, content);
    } catch (error) {
      if (error instanceof HttpError) throw error;
      if (timedOut) throw new TimeoutError();
      if (controller.signal.aborted) throw new AbortError();
      throw error;
    } finally {
      clearTimeout(timer);
      if (request.abortSignal) request.abortSignal.onabort = null;
    }
  }

  override getCookieString(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/** Forwards the SignalR client's own log lines to pino (errors at warn: the supervisor decides). */
function signalrLogger(log: Logger): ILogger {
  return {
    log(level: LogLevel, message: string): void {
      if (level >= LogLevel.Error) log.warn({ signalr: true }, message);
      else if (level >= LogLevel.Information) log.debug({ signalr: true }, message);
      else log.trace({ signalr: true }, message);
    },
  };
}

/** A SignalR ping record (type 6): the client ignores it but counts it as a sign of life. */
const PING_RECORD = `{"type":6}${RECORD_SEPARATOR}`;

/** The hub message types the JSON hub protocol reads; it ignores the others (and so does the screen's reading). */
const READ_TYPES = new Set([1, 2, 3, 6, 7, 8, 9]);

/** One session's screen and its SignalR protocol (see {@link screenedReading}). */
export interface ScreenedReading {
  /**
   * What the SignalR client gets to read of one hub message: its records that pass
   * {@link screenHubMessages} (the dropped ones logged, naming the platform); a ping when all were
   * dropped (something arrived: the hub is alive); `''` for nothing.
   */
  screen(text: string, handshake: boolean): string;
  /** The JSON hub protocol, reading what the screen passed on from what the screen parsed. */
  protocol: JsonHubProtocol;
}

/**
 * The screen and the SignalR client's hub protocol of one session, sharing what the screen parsed:
 * the client takes the hub messages the screen already parsed and checked (as `JsonHubProtocol`
 * checks them) instead of parsing the same text again — every record was parsed twice, a seventh of
 * an Enreach event's parse path in the bench. Any other text (the rest after the handshake answer)
 * is parsed by the protocol as before.
 */
export function screenedReading(log: Logger, maxBytes: number): ScreenedReading {
  let last: { text: string; messages: unknown[] } | undefined;
  class ScreenedHubProtocol extends JsonHubProtocol {
    override parseMessages(input: string, logger: ILogger): HubMessage[] {
      const screened = last;
      last = undefined;
      if (screened === undefined || input !== screened.text) return super.parseMessages(input, logger);
      const out: HubMessage[] = [];
      for (const message of screened.messages) {
        const type = (message as { type: number }).type;
        if (READ_TYPES.has(type)) out.push(message as HubMessage);
        else logger.log(LogLevel.Information, `Unknown message type '${type}' ignored.`);
      }
      return out;
    }
  }
  return {
    protocol: new ScreenedHubProtocol(),
    screen(text, handshake) {
      const { kept, messages, dropped } = screenHubMessages(text, maxBytes, handshake);
      for (const record of dropped) {
        log.warn({ reason: record.reason, bytes: record.bytes, limitBytes: maxBytes }, `dropped ${record.reason === 'oversized' ? 'an oversized' : 'a malformed'} Enreach RTE frame`);
      }
      last = kept !== '' && !handshake ? { text: kept, messages } : undefined;
      return kept !== '' ? kept : dropped.length > 0 ? PING_RECORD : '';
    },
  };
}

/** How long closing a session waits for the hub to answer the WebSocket close, ms. */
const CLOSE_WAIT_MS = 1_000;

/**
 * A `ws` WebSocket class for one session: every message the client would read passes
 * the session's screen first (the dropped records are logged, naming the platform), and the
 * sockets it opens are tracked so that closing the session can wait for them.
 */
function screenedWebSocket(reading: ScreenedReading, sockets: Set<WebSocket>, onAlive: () => void): new (...args: ConstructorParameters<typeof WebSocket>) => WebSocket {
  class ScreenedWebSocket extends WebSocket {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args);
      sockets.add(this);
      this.once('close', () => sockets.delete(this));
    }
  }
  // The SignalR client reads messages through `onmessage` only: wrap the handler it sets.
  const base = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'onmessage');
  Object.defineProperty(ScreenedWebSocket.prototype, 'onmessage', {
    configurable: true,
    get(this: WebSocket): unknown {
      return base?.get?.call(this);
    },
    set(this: WebSocket, handler: unknown) {
      if (typeof handler !== 'function') {
        base?.set?.call(this, handler);
        return;
      }
      let handshake = true;
      base?.set?.call(this, (event: WebSocket.MessageEvent) => {
        onAlive();
        if (typeof event.data !== 'string') return void handler.call(this, event);
        const data = reading.screen(event.data, handshake);
        handshake = false;
        if (data !== '') handler.call(this, { data, type: 'message', target: this });
      });
    },
  });
  return ScreenedWebSocket;
}

/** Resolves once every socket in `sockets` has closed, or after `ms`. */
async function socketsClosed(sockets: ReadonlySet<WebSocket>, ms: number): Promise<void> {
  const open = [...sockets].filter((s) => s.readyState !== WebSocket.CLOSED);
  if (open.length === 0) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all(open.map((s) => new Promise((resolve) => s.once('close', resolve)))),
    new Promise((resolve) => (timer = setTimeout(resolve, ms))),
  ]);
  clearTimeout(timer);
}

/**
 * Why the hub session ended, in words for the agent (the account's "reconnecting" reason), from
 * what the SignalR client reports: nothing (the hub closed it, or sent its Close message), its
 * server timeout, the hub's Close message with an error, or the WebSocket's close code.
 * @param serverTimeoutMs the client's server timeout, ms, to say how long the hub was silent.
 * @returns an Error with the reason, the client's own error as its `cause`.
 */
export function sessionEnded(error: Error | undefined, serverTimeoutMs: number): Error {
  const hub = "Enreach's real-time service";
  if (!error) return new Error(`${hub} ended the session`);
  const message = error.message;
  let reason: string;
  const code = /status code: (\d+) \(([^)]*)\)/.exec(message);
  if (/server timeout elapsed/i.test(message)) {
    reason = `${hub} went silent (nothing for ${Math.round(serverTimeoutMs / 100) / 10} s, not even a ping)`;
  } else if (/server returned an error on close: /i.test(message)) {
    reason = `${hub} ended the session: ${message.replace(/^.*server returned an error on close: /i, '')}`;
  } else if (code && code[1] === '1006') {
    reason = `the connection to ${hub} was cut`;
  } else if (code) {
    const said = code[2] && code[2] !== 'no reason given' ? `: ${code[2]}` : '';
    reason = `${hub} closed the connection (WebSocket code ${code[1]}${said})`;
  } else {
    reason = `the connection to ${hub} failed: ${message}`;
  }
  return new Error(reason, { cause: error });
}

/** What {@link openRteSession} needs for one connection. */
export interface RteSessionOptions {
  /** The hub URL (http(s), see `rteEndpointUrl`). */
  url: string;
  /** The JWT for this connection; fetched fresh for every session. */
  token: string;
  log: Logger;
  /** Called with each MessageReceived argument; exceptions are caught and logged, never rethrown. */
  onMessage(message: unknown): void;
  /** Called for every message from the hub, pings included: a sign of life (cheap, often). */
  onAlive?(): void;
  /** Server timeout, ms (SignalR default 30 000): no message for this long closes the session. */
  serverTimeoutMs?: number;
  /** Client ping interval, ms (SignalR default 15 000). */
  keepAliveMs?: number;
  /** The largest record read, bytes (default {@link RTE_MAX_MESSAGE_BYTES}); larger ones are logged and dropped. */
  maxMessageBytes?: number;
}

/** A live hub connection. */
export interface RteSession extends Session {
  /** Calls a hub method and waits for its completion. @throws the hub's error, or when closed. */
  invoke<T = unknown>(method: string, ...args: unknown[]): Promise<T>;
  /**
   * Ends the session cleanly: the SignalR Close message, then the WebSocket close; resolves when
   * the hub answered the close (at most about a second later).
   */
  close(): Promise<void>;
}

/**
 * Opens one hub connection (WebSockets only; negotiate first, as the document's clients do).
 * @throws {RteAuthError} when the hub answers 401 (token refused);
 * @throws {RteConnectError} for anything else (unreachable, timed out, refused, protocol error) —
 *   transient, with the `Retry-After` of a refusal.
 */
export async function openRteSession(options: RteSessionOptions): Promise<RteSession> {
  const { log } = options;
  const httpClient = new RteHttpClient();
  const token = options.token;
  const sockets = new Set<WebSocket>();
  const reading = screenedReading(log, options.maxMessageBytes ?? RTE_MAX_MESSAGE_BYTES);
  // `WebSocket` is read by the client at run time (HttpConnection) but is not in its public type.
  const connectionOptions: IHttpConnectionOptions & { WebSocket: unknown } = {
    transport: HttpTransportType.WebSockets,
    accessTokenFactory: () => token,
    httpClient,
    WebSocket: screenedWebSocket(reading, sockets, () => options.onAlive?.()),
    logger: signalrLogger(log),
  };
  const builder = new HubConnectionBuilder().withUrl(options.url, connectionOptions).withHubProtocol(reading.protocol).configureLogging(signalrLogger(log));
  if (options.serverTimeoutMs) builder.withServerTimeout(options.serverTimeoutMs);
  if (options.keepAliveMs) builder.withKeepAliveInterval(options.keepAliveMs);
  const connection: HubConnection = builder.build();

  let settle!: (cause: Error | undefined) => void;
  const closed = new Promise<Error | undefined>((resolve) => (settle = resolve));
  let closing = false;
  connection.onclose((error) => settle(closing ? undefined : sessionEnded(error, options.serverTimeoutMs ?? 30_000)));
  connection.on('MessageReceived', (message: unknown) => {
    try {
      options.onMessage(message);
    } catch (error) {
      log.warn({ err: error }, 'an Enreach RTE message could not be handled; dropped');
    }
  });

  try {
    await connection.start();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (httpClient.lastStatus === 401 || /\b401\b/.test(message)) {
      throw new RteAuthError('the RTE hub refused the access token (HTTP 401)', { cause: error });
    }
    const retryAfter = httpClient.lastStatus !== undefined && httpClient.lastStatus >= 400 ? httpClient.lastRetryAfterMs : undefined;
    throw new RteConnectError(`could not connect to the Enreach RTE hub: ${message}`, retryAfter, { cause: error });
  }

  return {
    closed,
    async close() {
      closing = true;
      // stop() sends the SignalR Close message and starts the WebSocket close without waiting for it.
      await connection.stop().catch(() => undefined);
      await socketsClosed(sockets, CLOSE_WAIT_MS);
      settle(undefined);
    },
    invoke<T>(method: string, ...args: unknown[]): Promise<T> {
      return connection.invoke<T>(method, ...args);
    },
  };
}
