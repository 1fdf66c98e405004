/**
 * The open event streams (`GET /api/v1/events`, Server-Sent Events): each gets the replay its
 * `Last-Event-ID` asks for (or a `resync`), then every new event as the log numbers it, the same
 * encoded text for every stream. A comment line every {@link HEARTBEAT_MS} keeps proxies and idle
 * timers from closing a quiet stream. A stream that does not keep up (more than
 * {@link MAX_BUFFERED_BYTES} waiting) is closed: its app reconnects with `Last-Event-ID` and misses
 * nothing. Revoking an app ends its streams at once, with an `access.revoked` event first.
 */
import type { ServerResponse } from 'node:http';
import type { EventLog, LoggedEvent } from './events.js';

/** How often a quiet stream gets a comment line, ms. */
export const HEARTBEAT_MS = 20_000;
/** How much may wait to be sent on one stream before it is closed, bytes. */
export const MAX_BUFFERED_BYTES = 1024 * 1024;
/** How many streams one app may hold open. */
export const MAX_STREAMS_PER_CLIENT = 4;
/** How long a client waits before it reconnects, ms (the SSE `retry:` field). */
export const RECONNECT_MS = 2_000;

interface Stream {
  clientId: string;
  res: ServerResponse;
}

export class StreamHub {
  private readonly streams = new Set<Stream>();
  private readonly unsubscribe: () => void;
  private readonly heartbeat: ReturnType<typeof setInterval>;

  constructor(
    private readonly log: EventLog,
    private readonly now: () => string,
  ) {
    this.unsubscribe = log.subscribe((event) => this.broadcast(event));
    this.heartbeat = setInterval(() => {
      for (const stream of this.streams) this.write(stream, ': keep-alive\n\n');
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** How many streams the client holds open. */
  count(clientId: string): number {
    let n = 0;
    for (const stream of this.streams) if (stream.clientId === clientId) n += 1;
    return n;
  }

  /**
   * Starts a stream on `res` (its status and headers already set by the caller): the replay after
   * `lastEventId` (or a `resync`), then live events.
   */
  open(clientId: string, res: ServerResponse, lastEventId: string | undefined): void {
    const stream: Stream = { clientId, res };
    let head = `retry: ${RECONNECT_MS}\n\n`;
    if (lastEventId !== undefined) {
      const replay = this.log.since(lastEventId);
      if ('resync' in replay) head += this.log.marker('resync', { reason: replay.resync }, this.now());
      else for (const event of replay.events) head += event.frame;
    }
    this.streams.add(stream);
    res.on('close', () => this.streams.delete(stream));
    this.write(stream, head);
  }

  /** Ends the client's streams, telling them why first (`access.revoked`). */
  revoke(clientId: string): void {
    const frame = this.log.marker('access.revoked', {}, this.now());
    for (const stream of [...this.streams]) {
      if (stream.clientId !== clientId) continue;
      this.streams.delete(stream);
      stream.res.end(frame);
    }
  }

  /** Ends every stream (the API stops). */
  close(): void {
    this.unsubscribe();
    clearInterval(this.heartbeat);
    for (const stream of this.streams) stream.res.end();
    this.streams.clear();
  }

  private broadcast(event: LoggedEvent): void {
    for (const stream of this.streams) this.write(stream, event.frame);
  }

  private write(stream: Stream, text: string): void {
    if (stream.res.writableLength > MAX_BUFFERED_BYTES) {
      // A stream that does not keep up ends; its app resumes with Last-Event-ID.
      this.streams.delete(stream);
      stream.res.destroy();
      return;
    }
    stream.res.write(text);
  }
}
