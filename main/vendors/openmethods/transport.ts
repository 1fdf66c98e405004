/**
 * The HIS Socket Transport: the only place that reads or writes OpenMethods frames.
 *
 * Public facts [C] (VENDOR-NOTES.md, OpenMethods): one persistent TCP connection, TLS optional;
 * every frame is the 4 ASCII bytes `~!OM` (the boundary), 1 byte protocol index, 4 bytes body
 * length, then the body; a reader that does not find the boundary sends an error and closes the
 * socket; transport messages (handshake, protocol negotiation, teardown, error) have their own
 * protocol index.
 *
 * The wire contract [I] (VENDOR-NOTES.md, "the wire contract to implement"):
 * - the length is a **uint32 big-endian** count of body bytes; the body is UTF-8 JSON;
 * - a body over {@link MAX_FRAME_BODY_BYTES} (1 MiB) is a protocol error: log, close, reconnect;
 * - index 0 is transport control: `connect` → `connected`, `getProtocols` → `protocols`,
 *   `selectProtocol` → `protocolSelected`, `ping` ⇄ `pong`, `error` (then the sender closes);
 * - index 1 is the Direct Client Protocol, selected by name (`direct`) from `protocols`;
 * - the client pings every 15 s; two pings without a pong mean the connection is dead.
 *
 * {@link FrameDecoder} and {@link encodeFrame} are shared with the simulator, so the framing is
 * written once.
 */
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls, type ConnectionOptions } from 'node:tls';
import type { DeskLogger as Logger } from '../../desk/port.js';
import { problemOf, transportControlSchema, type ProtocolInfo, type TransportControl } from './schema.js';

/** The frame boundary, 4 ASCII bytes [C]. */
export const FRAME_BOUNDARY = Buffer.from('~!OM', 'ascii');
/** Boundary (4) + protocol index (1) + body length (4), bytes [C]. */
export const FRAME_HEADER_BYTES = 9;
/** The largest body accepted, bytes: 1 MiB [I]. */
export const MAX_FRAME_BODY_BYTES = 1024 * 1024;
/** The transport-control protocol index [I]. */
export const TRANSPORT_CONTROL = 0;
/** The name of the Direct Client Protocol in `protocols` [I]; index 1 when the server names none. */
export const DCP_PROTOCOL_NAME = 'direct';
export const DCP_DEFAULT_INDEX = 1;

/** One frame: its protocol index (0–255) and its body bytes. */
export interface Frame {
  protocol: number;
  body: Buffer;
}

/** The byte stream broke the framing (a bad boundary, an over-long length): the connection must close. */
export class FrameError extends Error {
  override name = 'FrameError';
}

/**
 * Encodes one frame: boundary, protocol index, uint32 BE length, body.
 * @param body a string is written as UTF-8.
 * @param maxBodyBytes the limit checked (the simulator passes `Infinity` to send an oversized frame on purpose).
 * @throws {RangeError} for a protocol index outside 0–255 or a body over `maxBodyBytes`.
 */
export function encodeFrame(protocol: number, body: Buffer | string, maxBodyBytes = MAX_FRAME_BODY_BYTES): Buffer {
  if (!Number.isInteger(protocol) || protocol < 0 || protocol > 255) throw new RangeError(`protocol index ${protocol} is not 0–255`);
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  if (bytes.length > maxBodyBytes) throw new RangeError(`frame body of ${bytes.length} bytes is over the ${maxBodyBytes}-byte limit`);
  const header = Buffer.allocUnsafe(FRAME_HEADER_BYTES);
  FRAME_BOUNDARY.copy(header, 0);
  header.writeUInt8(protocol, 4);
  header.writeUInt32BE(bytes.length, 5);
  return Buffer.concat([header, bytes]);
}

/** Encodes a JSON value as one frame. @throws {RangeError} as {@link encodeFrame}. */
export function encodeJsonFrame(protocol: number, value: unknown): Buffer {
  return encodeFrame(protocol, JSON.stringify(value));
}

/**
 * Decodes a byte stream into frames, whatever the chunking: several frames in one chunk, one frame
 * across many chunks. A bad boundary is reported as soon as its first wrong byte arrives, an
 * over-long length as soon as the header is complete; after an error the decoder takes nothing more.
 */
export class FrameDecoder {
  private readonly chunks: Buffer[] = [];
  private buffered = 0;
  private header: { protocol: number; length: number } | undefined;
  private broken: FrameError | undefined;

  constructor(private readonly maxBodyBytes = MAX_FRAME_BODY_BYTES) {}

  /**
   * Takes the next chunk of the stream.
   * @returns the frames it completed, in order, and the framing error that stopped decoding, if
   *   any (the frames before it are whole and valid).
   */
  push(chunk: Buffer): { frames: Frame[]; error?: FrameError } {
    if (this.broken) return { frames: [], error: this.broken };
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    const frames: Frame[] = [];
    for (;;) {
      if (!this.header) {
        if (!this.boundarySoFar()) {
          const seen = this.peek(Math.min(this.buffered, FRAME_BOUNDARY.length));
          return this.fail(frames, `no frame boundary: expected "~!OM", read ${JSON.stringify(seen.toString('latin1'))}`);
        }
        if (this.buffered < FRAME_HEADER_BYTES) break;
        const head = this.take(FRAME_HEADER_BYTES);
        const length = head.readUInt32BE(5);
        if (length > this.maxBodyBytes) return this.fail(frames, `frame body of ${length} bytes is over the ${this.maxBodyBytes}-byte limit`);
        this.header = { protocol: head.readUInt8(4), length };
      }
      if (this.buffered < this.header.length) break;
      frames.push({ protocol: this.header.protocol, body: this.take(this.header.length) });
      this.header = undefined;
    }
    return { frames };
  }

  /** Bytes received but not yet part of a whole frame. */
  get pendingBytes(): number {
    return this.buffered + (this.header ? FRAME_HEADER_BYTES : 0);
  }

  private fail(frames: Frame[], message: string): { frames: Frame[]; error: FrameError } {
    this.broken = new FrameError(message);
    this.chunks.length = 0;
    this.buffered = 0;
    return { frames, error: this.broken };
  }

  /**
   * Whether the bytes buffered so far begin like {@link FRAME_BOUNDARY} (as many of its 4 bytes as
   * have arrived), read where they lie: no buffer is made per frame to compare them.
   */
  private boundarySoFar(): boolean {
    const n = Math.min(this.buffered, FRAME_BOUNDARY.length);
    let chunk = 0;
    let at = 0;
    for (let i = 0; i < n; i++) {
      while (at >= this.chunks[chunk]!.length) {
        chunk += 1;
        at = 0;
      }
      if (this.chunks[chunk]![at] !== FRAME_BOUNDARY[i]) return false;
      at += 1;
    }
    return true;
  }

  private peek(n: number): Buffer {
    if (n === 0) return Buffer.alloc(0);
    const first = this.chunks[0]!;
    if (first.length >= n) return first.subarray(0, n);
    return Buffer.concat(this.chunks).subarray(0, n);
  }

  private take(n: number): Buffer {
    const first = this.chunks[0];
    if (n === 0) return Buffer.alloc(0);
    if (first && first.length === n) {
      this.chunks.shift();
      this.buffered -= n;
      return first;
    }
    if (first && first.length > n) {
      this.chunks[0] = first.subarray(n);
      this.buffered -= n;
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const chunk = this.chunks[0]!;
      const part = Math.min(chunk.length, n - filled);
      chunk.copy(out, filled, 0, part);
      filled += part;
      if (part === chunk.length) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(part);
    }
    this.buffered -= n;
    return out;
  }
}

/** A strict UTF-8 decoder (no state between calls: each `decode` is a whole body). */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a frame body as JSON.
 * @returns the value, or `undefined` with `problem` when the body is not UTF-8 JSON.
 */
export function readJsonBody(body: Buffer): { value?: unknown; problem?: string } {
  try {
    return { value: JSON.parse(UTF8.decode(body)) as unknown };
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}

// ---- the client's connection -----------------------------------------------------------------------

/** The connection could not be opened or was lost; `message` is written for a person. */
export class TransportError extends Error {
  override name = 'TransportError';
}

/** Options of {@link openTransport}. */
export interface TransportOptions {
  /** `tcp://host:port` or `tls://host:port` (the account's `serverUrl`). */
  url: string;
  /** This connection's client id (a fresh UUID per connection) and the name announced in `connect` [I]. */
  clientId: string;
  clientName: string;
  /** Logger bound to the account and platform: malformed frames are logged here and dropped. */
  log: Logger;
  /** Ping interval, ms [I: 15 000]; two unanswered pings end the connection. */
  pingIntervalMs: number;
  /** How long the socket connect and each handshake step may take, ms. */
  stepTimeoutMs: number;
  /** Extra TLS options for `tls://`. */
  tls?: Pick<ConnectionOptions, 'ca' | 'rejectUnauthorized'>;
  /** Each DCP message body, parsed from JSON (not yet validated). */
  onMessage(message: unknown): void;
  /** A pong or a DCP message arrived: a sign of life of the connection (cheap, often). */
  onAlive?(): void;
  /** Abandons the connection (while opening, or later). */
  signal?: AbortSignal;
}

/** An open, negotiated transport. */
export interface TransportConnection {
  /** The DCP protocol the server selected. */
  readonly protocol: ProtocolInfo;
  /** Sends one DCP message (dropped once the connection is closing). @throws {RangeError} over 1 MiB. */
  send(message: unknown): void;
  /** Settles when the connection ends: with the cause, or `undefined` after {@link close}. */
  readonly closed: Promise<Error | undefined>;
  /** Closes the connection (FIN; destroyed if the server does not close within a second). */
  close(): Promise<void>;
  /** Ends the connection now with `cause` (a protocol error noticed above the transport). */
  abort(cause: Error): void;
}

/**
 * Opens the socket (TLS when the URL says `tls://`), registers the client (`connect`), negotiates
 * the DCP protocol (`getProtocols`, `selectProtocol`) and starts pinging.
 * @throws {TransportError} when the server cannot be reached, refuses the client, offers no DCP
 *   protocol or does not answer a step within `stepTimeoutMs`.
 */
export async function openTransport(options: TransportOptions): Promise<TransportConnection> {
  const connection = new ClientTransport(options);
  await connection.open();
  return connection;
}

/**
 * The client's end of one transport connection: the socket and its framing, the handshake's
 * awaited replies, the pinger. Built by {@link openTransport}, which returns it once negotiated.
 */
class ClientTransport implements TransportConnection {
  /** Settles when the connection ends: with the cause, or `undefined` after {@link close}. */
  readonly closed: Promise<Error | undefined>;
  private resolveClosed!: (cause: Error | undefined) => void;
  private selected: ProtocolInfo | undefined;
  private readonly socket: Socket;
  private readonly secure: boolean;
  /** `tls://host:port`, for the agent's messages. */
  private readonly where: string;
  private readonly log: Logger;
  private readonly decoder = new FrameDecoder();
  private settled = false;
  private closing = false;
  /** Transport-control replies awaited during the handshake, by messageType. */
  private readonly waiters = new Map<string, (message: TransportControl) => void>();
  private failHandshake: ((error: Error) => void) | undefined;
  private dcpIndex: number | undefined;
  private missedPongs = 0;
  private pinger: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly options: TransportOptions) {
    const url = new URL(options.url);
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = Number(url.port);
    this.secure = url.protocol === 'tls:';
    this.where = `${url.protocol}//${url.host}`;
    this.log = options.log;
    this.closed = new Promise<Error | undefined>((resolve) => (this.resolveClosed = resolve));
    this.socket = this.secure
      ? connectTls({ host, port, servername: /^[\d.:]+$/.test(host) ? undefined : host, ...options.tls })
      : connectTcp({ host, port });
    this.socket.setNoDelay(true);
    this.listen();
  }

  /** The DCP protocol the server selected (set by the handshake). */
  get protocol(): ProtocolInfo {
    return this.selected!;
  }

  /** Sends one DCP message (dropped once the connection is closing). @throws {RangeError} over 1 MiB. */
  readonly send = (message: unknown): void => this.write(this.selected!.index, message);

  /** Ends the connection now with `cause` (a protocol error noticed above the transport). */
  readonly abort = (cause: Error): void => {
    if (this.settled) return;
    this.closing = true;
    this.finish(cause);
    this.socket.destroy();
  };

  /** Closes the connection (FIN; destroyed if the server does not close within a second). */
  readonly close = async (): Promise<void> => {
    if (this.settled) return;
    this.closing = true;
    this.socket.end();
    const timer = setTimeout(() => this.socket.destroy(), 1_000);
    await this.closed;
    clearTimeout(timer);
  };

  /**
   * Waits for the socket, registers the client, negotiates the DCP protocol and starts pinging.
   * @throws {TransportError} as {@link openTransport}; the socket is destroyed first.
   */
  async open(): Promise<void> {
    const { where } = this;
    try {
      await this.step<void>('the connection', (resolve) => this.socket.once(this.secure ? 'secureConnect' : 'connect', () => resolve()));
      await this.reply('connected', { messageType: 'connect', client: { id: this.options.clientId, name: this.options.clientName } });
      const { protocols } = await this.reply('protocols', { messageType: 'getProtocols' });
      const dcp = protocols.find((p) => p.name.toLowerCase() === DCP_PROTOCOL_NAME) ?? protocols.find((p) => p.index === DCP_DEFAULT_INDEX);
      if (!dcp || dcp.index === TRANSPORT_CONTROL) {
        throw new TransportError(`OpenMethods at ${where} offers no Direct Client Protocol (offered: ${protocols.map((p) => p.name).join(', ') || 'none'})`);
      }
      const selected = await this.reply('protocolSelected', { messageType: 'selectProtocol', index: dcp.index });
      if (selected.index !== dcp.index) throw new TransportError(`OpenMethods at ${where} selected protocol ${selected.index}, not ${dcp.index}`);
      this.dcpIndex = dcp.index;
      this.startPinging();
      this.selected = dcp;
    } catch (error) {
      this.closing = true;
      this.socket.destroy();
      this.finish(undefined);
      throw error instanceof TransportError ? error : new TransportError(error instanceof Error ? error.message : String(error), { cause: error });
    }
  }

  /** The socket's events, and the caller's abort signal. */
  private listen(): void {
    const { socket, where } = this;
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => {
      this.finish(this.closing ? undefined : new TransportError(`OpenMethods closed the connection (${where})`));
      socket.end();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      this.finish(this.closing ? undefined : new TransportError(`the connection to OpenMethods at ${where} failed: ${error.code ?? error.message}`, { cause: error }));
    });
    socket.on('close', () => this.finish(this.closing ? undefined : new TransportError(`the connection to OpenMethods at ${where} was lost`)));
    const { signal } = this.options;
    const onAbort = (): void => this.abort(new TransportError('the connection was abandoned'));
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    void this.closed.then(() => signal?.removeEventListener('abort', onAbort));
  }

  /** Two unanswered pings end the connection. */
  private startPinging(): void {
    this.pinger = setInterval(() => {
      if (this.missedPongs >= 2) {
        this.log.warn({ missedPongs: this.missedPongs }, 'OpenMethods stopped answering pings; the connection is dead');
        this.abort(new TransportError(`OpenMethods at ${this.where} stopped answering (no pong to two pings)`));
        return;
      }
      this.missedPongs += 1;
      this.write(TRANSPORT_CONTROL, { messageType: 'ping' });
    }, this.options.pingIntervalMs);
  }

  private finish(cause: Error | undefined): void {
    if (this.settled) return;
    this.settled = true;
    clearInterval(this.pinger);
    this.failHandshake?.(cause ?? new TransportError(`the connection to ${this.where} closed`));
    this.resolveClosed(cause);
  }

  private write(protocol: number, message: unknown): void {
    const { socket } = this;
    if (this.closing || socket.destroyed || !socket.writable) return;
    socket.write(encodeJsonFrame(protocol, message));
  }

  private onData(chunk: Buffer): void {
    const { frames, error } = this.decoder.push(chunk);
    for (const frame of frames) {
      if (this.settled) return;
      this.onFrame(frame.protocol, frame.body);
    }
    if (error && !this.settled) {
      this.log.warn({ problem: error.message }, 'OpenMethods: protocol error in the frame stream; closing the connection');
      this.abort(new TransportError(`OpenMethods sent a broken frame (${error.message}); reconnecting`));
    }
  }

  private onFrame(protocol: number, body: Buffer): void {
    const { log } = this;
    const { value, problem } = readJsonBody(body);
    if (problem !== undefined) {
      log.warn({ protocol, bytes: body.length, problem }, 'OpenMethods: dropped a frame whose body is not JSON');
      return;
    }
    if (protocol === TRANSPORT_CONTROL) {
      const parsed = transportControlSchema.safeParse(value);
      if (!parsed.success) {
        log.warn({ protocol, problem: problemOf(parsed.error) }, 'OpenMethods: dropped a malformed transport-control frame');
        return;
      }
      this.onControl(parsed.data);
      return;
    }
    if (this.dcpIndex === undefined || protocol !== this.dcpIndex) {
      log.warn({ protocol }, 'OpenMethods: dropped a frame of a protocol that was not selected');
      return;
    }
    this.options.onAlive?.();
    this.options.onMessage(value);
  }

  private onControl(message: TransportControl): void {
    switch (message.messageType) {
      case 'ping':
        this.write(TRANSPORT_CONTROL, { messageType: 'pong' });
        return;
      case 'pong':
        this.missedPongs = 0;
        this.options.onAlive?.();
        return;
      case 'error': {
        const text = [message.code, message.message].filter(Boolean).join(': ') || 'no reason given';
        this.log.warn({ code: message.code }, `OpenMethods transport error from the server: ${text}`);
        this.abort(new TransportError(`OpenMethods ended the connection (${text})`));
        return;
      }
      default: {
        const waiter = this.waiters.get(message.messageType);
        if (waiter) {
          this.waiters.delete(message.messageType);
          waiter(message);
        } else {
          this.log.debug({ messageType: message.messageType }, 'OpenMethods transport message not awaited; dropped');
        }
      }
    }
  }

  /** Waits for a socket event or a control reply, bounded by the step timeout. */
  private step<T>(what: string, start: (resolve: (value: T) => void) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.settled) {
        reject(new TransportError(`the connection to OpenMethods at ${this.where} closed before ${what}`));
        return;
      }
      const timer = setTimeout(() => {
        this.failHandshake = undefined;
        reject(new TransportError(`OpenMethods at ${this.where} did not answer ${what} within ${Math.round(this.options.stepTimeoutMs / 100) / 10} s`));
      }, this.options.stepTimeoutMs);
      this.failHandshake = (error) => {
        clearTimeout(timer);
        this.failHandshake = undefined;
        reject(error);
      };
      start((value) => {
        clearTimeout(timer);
        this.failHandshake = undefined;
        resolve(value);
      });
    });
  }

  /** Sends a transport-control request and waits for the reply of `type`. */
  private reply<K extends TransportControl['messageType']>(type: K, request: unknown): Promise<Extract<TransportControl, { messageType: K }>> {
    return this.step(`"${String(request && (request as { messageType?: string }).messageType)}"`, (resolve) => {
      this.waiters.set(type, resolve as (message: TransportControl) => void);
      this.write(TRANSPORT_CONTROL, request);
    });
  }
}
