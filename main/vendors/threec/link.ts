/**
 * One session with the 3C adapter link: a `ws` WebSocket speaking the wire contract (`contract.ts`,
 * [I]) with the document's commands and events (`schema.ts`).
 *
 * {@link openLink} connects, sends the connect frame, and resolves once `connected3C` arrives (no
 * command goes out before it). The session then carries commands (each answered by its `response`,
 * matched by `id`), hands every event to `onEvent`, and proves the link alive with WebSocket pings:
 * a ping without a pong within `pongTimeoutMs` ends the session. A frame that is not one of the
 * contract's envelopes, whose event properties do not fit the document, or that is larger than
 * `maxFrameBytes` is logged (the logger names the platform) and dropped; the session lives on.
 *
 * A session is never restarted: the connector's supervisor opens a new one (a new connect frame, a
 * new `connected3C`, monitoring again) for every (re)connection.
 */
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import type { DeskLogger as Logger } from '../../desk/port.js';
import { retryAfterMs } from '../kit/retry-after.js';
import type { Session } from '../kit/supervisor.js';
import {
  CLOSE_BAD_CREDENTIALS,
  PING_INTERVAL_MS,
  closeReason,
  commandFrame,
  connectFrame,
  eventTime,
  parseLinkFrame,
  type ConnectProperties,
  type LinkFrame,
  type ResponseFrame,
} from './contract.js';
import { parseAdapterEvent, type AdapterEvent, type CommandName, type CommandProperties } from './schema.js';
import { isoNow } from '../kit/iso-date.js';

/** The link refused the credentials (close code 4401): a person must fix the account. */
export class LinkRefusedError extends Error {
  override name = 'LinkRefusedError';
  constructor(
    message: string,
    /** The link's own words (its `error` frame's `errorMessage`), when it sent any. */
    readonly errorMessage?: string,
  ) {
    super(message);
  }
}

/**
 * The link could not be reached, closed before `connected3C`, or a command got no answer.
 * `retryAfterMs`: what a refused WebSocket upgrade's `Retry-After` asked (RFC 9110 §10.2.3), when
 * it carried one (a link, or the proxy before it, that is overloaded).
 */
export class LinkError extends Error {
  override name = 'LinkError';
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** A command got no response in time (the session may still be alive). */
export class LinkTimeoutError extends LinkError {
  override name = 'LinkTimeoutError';
}

/** Defaults of the timing options [I] (the ping interval is the contract's). */
export const LINK_DEFAULTS = {
  pingIntervalMs: PING_INTERVAL_MS,
  pongTimeoutMs: 10_000,
  connectTimeoutMs: 20_000,
  commandTimeoutMs: 15_000,
  /** 1 MiB: no document event comes near it. */
  maxFrameBytes: 1024 * 1024,
} as const;

/** A frame this large closes the socket (`ws`'s `maxPayload`, code 1009) rather than being read. */
const HARD_FRAME_LIMIT = 16 * 1024 * 1024;
/** How long closing waits for the link's close frame before cutting the socket, ms. */
const CLOSE_WAIT_MS = 1_000;
/** How long a live session waits for the link to close after an `error` frame before cutting it, ms. */
const ERROR_CLOSE_WAIT_MS = 5_000;

/** What {@link openLink} needs: where, who, and the timings (ms; defaults {@link LINK_DEFAULTS}). */
export interface LinkOptions {
  /** The adapter link, `ws://` or `wss://`. */
  url: string;
  /** The connect frame's properties (the document's adapter properties). */
  properties: ConnectProperties;
  /** Bound to the account and platform; never given the connect frame. */
  log: Logger;
  /**
   * Receives every event but `connected3C`, its properties checked, with its time (ISO: the
   * frame's `timestamp`, else the receive time). Called before and after `connected3C`.
   */
  onEvent(event: Exclude<AdapterEvent, { event: 'connected3C' }>, at: string): void;
  /** A frame or a pong arrived: a sign of life of the link (cheap, often). */
  onAlive?(): void;
  pingIntervalMs?: number;
  pongTimeoutMs?: number;
  connectTimeoutMs?: number;
  commandTimeoutMs?: number;
  maxFrameBytes?: number;
}

/** A live link session. */
export interface LinkSession extends Session {
  /**
   * Sends a command and waits for its response.
   * @returns the response (`status` `success` or `failure`, with the link's `errorMessage`).
   * @throws {LinkTimeoutError} when no response came within `commandTimeoutMs`.
   * @throws {LinkError} when the session is closed (or closes before the response).
   */
  command<C extends CommandName>(command: C, properties: CommandProperties[C]): Promise<ResponseFrame>;
}

/** A command awaiting its response. */
interface Pending {
  resolve(response: ResponseFrame): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Opens a session: WebSocket, connect frame, `connected3C`. A live session that the link closes
 * with 4401 (the credentials no longer accepted) settles `closed` with a {@link LinkRefusedError}.
 * @throws {LinkRefusedError} when the link closes with 4401 (bad credentials).
 * @throws {LinkError} when the link cannot be reached, refuses the upgrade (with its
 *   `Retry-After`), closes first, or sends no `connected3C` within `connectTimeoutMs`.
 */
export function openLink(options: LinkOptions): Promise<LinkSession> {
  return new Promise<LinkSession>((resolveOpen, rejectOpen) => {
    new AdapterLink(options, resolveOpen, rejectOpen);
  });
}

/** The timings of one link, ms: the options' or {@link LINK_DEFAULTS}. */
type LinkTimings = Required<Pick<LinkOptions, 'pingIntervalMs' | 'pongTimeoutMs' | 'connectTimeoutMs' | 'commandTimeoutMs' | 'maxFrameBytes'>>;

/**
 * One link session: the WebSocket, the commands awaiting their responses, the pinger and the
 * timers. Made by {@link openLink}, which it answers once `connected3C` arrives (or the link closes).
 */
class AdapterLink implements LinkSession {
  readonly closed: Promise<Error | undefined>;
  private resolveClosed!: (cause: Error | undefined) => void;
  private readonly ws: WebSocket;
  private readonly log: Logger;
  private readonly timing: LinkTimings;
  private readonly pending = new Map<string, Pending>();
  private live = false;
  private settledOpen = false;
  private closedOnPurpose = false;
  /** Why the session ended, when we know better than the close code (no pong, a network error). */
  private cause: Error | undefined;
  /** The link's last `error` frame, told to the agent with the close. */
  private linkError: string | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private pongTimer: ReturnType<typeof setTimeout> | undefined;
  private errorCloseTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly connectTimer: ReturnType<typeof setTimeout>;

  constructor(
    private readonly options: LinkOptions,
    private readonly resolveOpen: (session: LinkSession) => void,
    private readonly rejectOpen: (error: Error) => void,
  ) {
    this.log = options.log;
    this.timing = {
      pingIntervalMs: options.pingIntervalMs ?? LINK_DEFAULTS.pingIntervalMs,
      pongTimeoutMs: options.pongTimeoutMs ?? LINK_DEFAULTS.pongTimeoutMs,
      connectTimeoutMs: options.connectTimeoutMs ?? LINK_DEFAULTS.connectTimeoutMs,
      commandTimeoutMs: options.commandTimeoutMs ?? LINK_DEFAULTS.commandTimeoutMs,
      maxFrameBytes: options.maxFrameBytes ?? LINK_DEFAULTS.maxFrameBytes,
    };
    const { connectTimeoutMs } = this.timing;
    this.ws = new WebSocket(options.url, { handshakeTimeout: connectTimeoutMs, maxPayload: HARD_FRAME_LIMIT, followRedirects: false });
    this.closed = new Promise<Error | undefined>((resolve) => (this.resolveClosed = resolve));
    this.connectTimer = setTimeout(() => {
      this.cause = new LinkError(`the 3C link did not confirm the connection within ${Math.round(connectTimeoutMs / 1000)} s (no connected3C)`);
      this.ws.terminate();
    }, connectTimeoutMs);
    this.listen();
  }

  /** Closes the session (a close frame; the socket is cut if the link does not answer within {@link CLOSE_WAIT_MS}). */
  readonly close = async (): Promise<void> => {
    const { ws } = this;
    this.closedOnPurpose = true;
    if (ws.readyState === WebSocket.CLOSED) return;
    const done = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    if (ws.readyState === WebSocket.OPEN) ws.close(1000, 'signed off');
    else ws.terminate();
    const cut = setTimeout(() => ws.terminate(), CLOSE_WAIT_MS);
    await done;
    clearTimeout(cut);
  };

  /** See {@link LinkSession.command}. */
  readonly command = <C extends CommandName>(command: C, properties: CommandProperties[C]): Promise<ResponseFrame> => {
    const { ws, pending, log } = this;
    const { commandTimeoutMs } = this.timing;
    if (!this.live || ws.readyState !== WebSocket.OPEN) return Promise.reject(new LinkError('the 3C link is not connected'));
    const id = randomUUID();
    return new Promise<ResponseFrame>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new LinkTimeoutError(`the 3C link did not answer ${command} within ${Math.round(commandTimeoutMs / 1000)} s`));
      }, commandTimeoutMs);
      pending.set(id, { resolve, reject, timer });
      log.debug({ command, id }, '3C link command');
      ws.send(JSON.stringify(commandFrame(id, command, properties)), (error) => {
        if (!error) return;
        clearTimeout(timer);
        pending.delete(id);
        reject(new LinkError(`could not send ${command} to the 3C link: ${error.message}`));
      });
    });
  };

  /** The WebSocket's events. */
  private listen(): void {
    const { ws } = this;
    ws.on('pong', () => {
      clearTimeout(this.pongTimer);
      this.pongTimer = undefined;
      this.options.onAlive?.();
    });
    // A refused upgrade (an overloaded link, or the proxy before it): its status and Retry-After.
    ws.on('unexpected-response', (_request, response) => {
      const status = response.statusCode ?? 0;
      const header = response.headers['retry-after'];
      this.cause = new LinkError(`the 3C link refused the connection (HTTP ${status})`, retryAfterMs(Array.isArray(header) ? header[0] : header));
      response.resume();
      ws.terminate();
    });
    ws.on('open', () => {
      // The first frame; it holds the password, so it is never logged.
      ws.send(JSON.stringify(connectFrame(this.options.properties)));
    });
    ws.on('message', (data: WebSocket.RawData, isBinary: boolean) => this.onMessage(data, isBinary));
    ws.on('error', (error: Error) => {
      this.cause ??= new LinkError(`the 3C link could not be reached: ${error.message}`);
    });
    ws.on('close', (code: number, reasonBuffer: Buffer) => this.onClose(code, reasonBuffer.toString('utf8')));
  }

  /** Pings every `pingIntervalMs`; a ping without a pong within `pongTimeoutMs` ends the session. */
  private startPinging(): void {
    const { ws, log } = this;
    const { pingIntervalMs, pongTimeoutMs } = this.timing;
    this.pingTimer = setInterval(() => {
      if (this.pongTimer || ws.readyState !== WebSocket.OPEN) return;
      this.pongTimer = setTimeout(() => {
        this.cause = new LinkError(`the 3C link stopped answering (no pong within ${Math.round(pongTimeoutMs / 100) / 10} s)`);
        log.warn({ pongTimeoutMs }, 'the 3C link stopped answering pings; reconnecting');
        ws.terminate();
      }, pongTimeoutMs);
      ws.ping();
    }, pingIntervalMs);
  }

  /** One frame: an oversized or malformed one is logged and dropped. */
  private onMessage(data: WebSocket.RawData, isBinary: boolean): void {
    const { log } = this;
    const { maxFrameBytes } = this.timing;
    this.options.onAlive?.();
    const bytes = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data instanceof ArrayBuffer ? data.byteLength : data.length;
    if (bytes > maxFrameBytes) {
      log.warn({ bytes, maxFrameBytes }, 'dropped an oversized 3C link frame');
      return;
    }
    // The contract sends text; a binary frame is read as UTF-8 all the same [I].
    if (isBinary) log.debug({ bytes }, '3C link frame sent as binary; read as UTF-8 text');
    const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
    const parsed = parseLinkFrame(text);
    if (!parsed.ok) {
      log.warn({ problem: parsed.error, bytes }, 'dropped a malformed 3C link frame');
      return;
    }
    const frame = parsed.frame;
    switch (frame.type) {
      case 'response':
        this.onResponse(frame);
        return;
      case 'error':
        this.onError(frame);
        return;
      case 'event':
        this.onEvent(frame);
        return;
    }
  }

  /** A command's response: its waiter is answered. */
  private onResponse(frame: ResponseFrame): void {
    const waiting = this.pending.get(frame.id);
    if (!waiting) {
      this.log.debug({ id: frame.id }, '3C link response to no pending command');
      return;
    }
    this.pending.delete(frame.id);
    clearTimeout(waiting.timer);
    waiting.resolve(frame);
  }

  /**
   * An `error` frame: naming a pending command, it is that command's failure; otherwise it is kept
   * for the close's words, and a live session is cut if the link has not closed within {@link ERROR_CLOSE_WAIT_MS}.
   */
  private onError(frame: Extract<LinkFrame, { type: 'error' }>): void {
    const waiting = frame.id ? this.pending.get(frame.id) : undefined;
    if (waiting && frame.id) {
      this.pending.delete(frame.id);
      clearTimeout(waiting.timer);
      waiting.resolve({ type: 'response', id: frame.id, status: 'failure', errorMessage: frame.errorMessage });
      return;
    }
    this.linkError = frame.errorMessage ?? 'no detail given';
    this.log.warn({ errorMessage: this.linkError }, 'the 3C link reported an error');
    if (this.live && !this.errorCloseTimer) this.errorCloseTimer = setTimeout(() => this.ws.terminate(), ERROR_CLOSE_WAIT_MS);
  }

  /** An event: `connected3C` opens the session; any other goes to `onEvent` (its failure logged). */
  private onEvent(frame: Extract<LinkFrame, { type: 'event' }>): void {
    const { log } = this;
    const at = eventTime(frame.timestamp, isoNow());
    const event = parseAdapterEvent(frame.event, frame.properties);
    if (!event.ok) {
      log.warn({ event: frame.event, problem: event.error }, 'dropped a 3C event whose properties do not fit the document');
      return;
    }
    if (!event.event) {
      log.debug({ event: frame.event }, '3C event of a kind the document does not list; ignored');
      return;
    }
    if (event.event.event === 'connected3C') {
      if (!this.live) {
        this.live = true;
        this.settledOpen = true;
        clearTimeout(this.connectTimer);
        this.startPinging();
        log.debug('connected to 3C through the adapter link');
        this.resolveOpen(this);
      }
      return;
    }
    try {
      this.options.onEvent(event.event, at);
    } catch (error) {
      log.error({ err: error, event: frame.event }, 'a 3C event could not be handled; dropped');
    }
  }

  /** The socket closed: pending commands fail, and the opening or the session settles with the cause. */
  private onClose(code: number, reason: string): void {
    clearTimeout(this.connectTimer);
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
    clearTimeout(this.errorCloseTimer);
    const words = closeReason(code, reason, this.linkError);
    for (const [id, waiting] of this.pending) {
      clearTimeout(waiting.timer);
      waiting.reject(new LinkError(`the 3C link closed before answering (${words})`));
      this.pending.delete(id);
    }
    const { cause } = this;
    if (!this.live) {
      this.failOpen(code === CLOSE_BAD_CREDENTIALS ? new LinkRefusedError(words, this.linkError) : (cause ?? new LinkError(words)));
      this.resolveClosed(cause ?? new LinkError(words));
      return;
    }
    this.live = false;
    if (this.closedOnPurpose) this.resolveClosed(undefined);
    else if (code === CLOSE_BAD_CREDENTIALS) this.resolveClosed(new LinkRefusedError(words, this.linkError));
    else this.resolveClosed(cause ?? new LinkError(words));
  }

  private failOpen(error: Error): void {
    if (this.settledOpen) return;
    this.settledOpen = true;
    this.rejectOpen(error);
  }
}
