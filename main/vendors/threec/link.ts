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
  type ResponseFrame,
} from './contract.js';
import { parseAdapterEvent, type AdapterEvent, type CommandName, type CommandProperties } from './schema.js';

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
  const { log } = options;
  const pingIntervalMs = options.pingIntervalMs ?? LINK_DEFAULTS.pingIntervalMs;
  const pongTimeoutMs = options.pongTimeoutMs ?? LINK_DEFAULTS.pongTimeoutMs;
  const connectTimeoutMs = options.connectTimeoutMs ?? LINK_DEFAULTS.connectTimeoutMs;
  const commandTimeoutMs = options.commandTimeoutMs ?? LINK_DEFAULTS.commandTimeoutMs;
  const maxFrameBytes = options.maxFrameBytes ?? LINK_DEFAULTS.maxFrameBytes;

  return new Promise<LinkSession>((resolveOpen, rejectOpen) => {
    const ws = new WebSocket(options.url, { handshakeTimeout: connectTimeoutMs, maxPayload: HARD_FRAME_LIMIT, followRedirects: false });
    const pending = new Map<string, Pending>();
    let live = false;
    let settledOpen = false;
    let closedOnPurpose = false;
    /** Why the session ended, when we know better than the close code (no pong, a network error). */
    let cause: Error | undefined;
    /** The link's last `error` frame, told to the agent with the close. */
    let linkError: string | undefined;
    let pingTimer: ReturnType<typeof setInterval> | undefined;
    let pongTimer: ReturnType<typeof setTimeout> | undefined;
    let errorCloseTimer: ReturnType<typeof setTimeout> | undefined;
    let resolveClosed!: (cause: Error | undefined) => void;
    const closed = new Promise<Error | undefined>((resolve) => (resolveClosed = resolve));

    const connectTimer = setTimeout(() => {
      cause = new LinkError(`the 3C link did not confirm the connection within ${Math.round(connectTimeoutMs / 1000)} s (no connected3C)`);
      ws.terminate();
    }, connectTimeoutMs);

    function failOpen(error: Error): void {
      if (settledOpen) return;
      settledOpen = true;
      rejectOpen(error);
    }

    const session: LinkSession = {
      closed,
      async close() {
        closedOnPurpose = true;
        if (ws.readyState === WebSocket.CLOSED) return;
        const done = new Promise<void>((resolve) => ws.once('close', () => resolve()));
        if (ws.readyState === WebSocket.OPEN) ws.close(1000, 'signed off');
        else ws.terminate();
        const cut = setTimeout(() => ws.terminate(), CLOSE_WAIT_MS);
        await done;
        clearTimeout(cut);
      },
      command(command, properties) {
        if (!live || ws.readyState !== WebSocket.OPEN) return Promise.reject(new LinkError('the 3C link is not connected'));
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
      },
    };

    function startPinging(): void {
      pingTimer = setInterval(() => {
        if (pongTimer || ws.readyState !== WebSocket.OPEN) return;
        pongTimer = setTimeout(() => {
          cause = new LinkError(`the 3C link stopped answering (no pong within ${Math.round(pongTimeoutMs / 100) / 10} s)`);
          log.warn({ pongTimeoutMs }, 'the 3C link stopped answering pings; reconnecting');
          ws.terminate();
        }, pongTimeoutMs);
        ws.ping();
      }, pingIntervalMs);
    }

    ws.on('pong', () => {
      clearTimeout(pongTimer);
      pongTimer = undefined;
      options.onAlive?.();
    });

    // A refused upgrade (an overloaded link, or the proxy before it): its status and Retry-After.
    ws.on('unexpected-response', (_request, response) => {
      const status = response.statusCode ?? 0;
      const header = response.headers['retry-after'];
      cause = new LinkError(`the 3C link refused the connection (HTTP ${status})`, retryAfterMs(Array.isArray(header) ? header[0] : header));
      response.resume();
      ws.terminate();
    });

    ws.on('open', () => {
      // The first frame; it holds the password, so it is never logged.
      ws.send(JSON.stringify(connectFrame(options.properties)));
    });

    ws.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
      options.onAlive?.();
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
        case 'response': {
          const waiting = pending.get(frame.id);
          if (!waiting) {
            log.debug({ id: frame.id }, '3C link response to no pending command');
            return;
          }
          pending.delete(frame.id);
          clearTimeout(waiting.timer);
          waiting.resolve(frame);
          return;
        }
        case 'error': {
          const waiting = frame.id ? pending.get(frame.id) : undefined;
          if (waiting && frame.id) {
            pending.delete(frame.id);
            clearTimeout(waiting.timer);
            waiting.resolve({ type: 'response', id: frame.id, status: 'failure', errorMessage: frame.errorMessage });
            return;
          }
          linkError = frame.errorMessage ?? 'no detail given';
          log.warn({ errorMessage: linkError }, 'the 3C link reported an error');
          if (live && !errorCloseTimer) errorCloseTimer = setTimeout(() => ws.terminate(), ERROR_CLOSE_WAIT_MS);
          return;
        }
        case 'event': {
          const at = eventTime(frame.timestamp, new Date().toISOString());
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
            if (!live) {
              live = true;
              settledOpen = true;
              clearTimeout(connectTimer);
              startPinging();
              log.debug('connected to 3C through the adapter link');
              resolveOpen(session);
            }
            return;
          }
          try {
            options.onEvent(event.event, at);
          } catch (error) {
            log.error({ err: error, event: frame.event }, 'a 3C event could not be handled; dropped');
          }
          return;
        }
      }
    });

    ws.on('error', (error: Error) => {
      cause ??= new LinkError(`the 3C link could not be reached: ${error.message}`);
    });

    ws.on('close', (code: number, reasonBuffer: Buffer) => {
      clearTimeout(connectTimer);
      clearInterval(pingTimer);
      clearTimeout(pongTimer);
      clearTimeout(errorCloseTimer);
      const reason = reasonBuffer.toString('utf8');
      const words = closeReason(code, reason, linkError);
      for (const [id, waiting] of pending) {
        clearTimeout(waiting.timer);
        waiting.reject(new LinkError(`the 3C link closed before answering (${words})`));
        pending.delete(id);
      }
      if (!live) {
        failOpen(code === CLOSE_BAD_CREDENTIALS ? new LinkRefusedError(words, linkError) : (cause ?? new LinkError(words)));
        resolveClosed(cause ?? new LinkError(words));
        return;
      }
      live = false;
      if (closedOnPurpose) resolveClosed(undefined);
      else if (code === CLOSE_BAD_CREDENTIALS) resolveClosed(new LinkRefusedError(words, linkError));
      else resolveClosed(cause ?? new LinkError(words));
    });
  });
}
