/**
 * A SignalR hub server, as ASP.NET Core runs one, for the real `@microsoft/signalr` client (public
 * SignalR transport and hub protocol specifications; the RTE document, "Establishing a connection"):
 *
 * - `POST {path}/negotiate?negotiateVersion=1` → `{negotiateVersion, connectionId, connectionToken,
 *   availableTransports: [WebSockets]}`; then the WebSocket upgrade `GET {path}?id={connectionToken}`.
 *   Both check the access token (`Authorization: Bearer`, or the `access_token` query) → 401.
 * - JSON hub protocol: the handshake `{"protocol":"json","version":…}\x1e` → `{}\x1e`; every record
 *   ends with `\x1e`; invocations (type 1) are answered by completions (3); pings (6) both ways;
 *   close (7). Streaming is not offered.
 *
 * What the hub's methods do is the caller's (`methods.ts`); this file is the protocol, plus the
 * controls that end sessions the ways the conformance suite asks for (`kit/platform.ts`,
 * `SessionEnding`).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../../../log.js';
import type { HttpExchange, SimRequest } from '../../kit/simulator.js';

const RS = '\x1e';

/** One client connection, as the hub's methods see it. */
export interface HubClient {
  /** The connection id (negotiate's `connectionId`). */
  readonly id: string;
  /** The access token the connection was opened with. */
  readonly accessToken: string;
}

/** One connection's protocol state. */
interface Connection extends HubClient {
  ws?: WebSocket;
  /** The upgraded TCP socket (for a reset). */
  socket?: Duplex;
  handshaken: boolean;
  /** Text received and not yet ended by a record separator. */
  buffer: string;
  /** Silenced: nothing is sent, and what the client sends is ignored. */
  silenced: boolean;
  /** The server sent the Close message. */
  endedByServer: boolean;
}

/** What the hub needs from the simulator. */
export interface HubOptions {
  /** The hub's path, e.g. `/rte`. */
  path: string;
  /** Whether an access token may open a connection now. */
  accepts(token: string | undefined): boolean;
  /** Runs a hub method: returns its result, throws for an error completion. */
  invoke(client: HubClient, target: string, args: unknown[]): unknown;
  /** A connection has closed, for whatever reason. */
  closed?(client: HubClient): void;
  /** How often the hub pings each connection, ms. */
  pingIntervalMs: number;
  log?: Logger;
  /** Adds a WebSocket upgrade to the simulator's request log. */
  record(request: SimRequest): void;
}

/** A running hub. */
export interface SignalrHub {
  /** Answers `POST {path}/negotiate`; returns false (answering nothing) for any other path. */
  negotiate(exchange: HttpExchange): boolean;
  /** Takes a WebSocket upgrade on `{path}` (others are refused with 404). */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** The open connections past the handshake. */
  clients(): HubClient[];
  /** Invokes a client method (an invocation without id: no answer expected). */
  invokeClient(client: HubClient, target: string, args: unknown[]): void;
  /** Sends records as they are (each must end with `\x1e`) to every open connection. */
  sendText(text: string): void;
  /** `close`: a WebSocket close frame with `code` to every connection. */
  closeAll(code: number, reason: string): void;
  /** `end-of-session`: the SignalR Close message `{"type":7}` (no `allowReconnect`), then the WebSocket close. */
  endAll(): void;
  /**
   * `unknown-session`: the hub forgets every connection — their ids, pending negotiations and the
   * access tokens they used are refused from now on — and their sockets close (1008, as an
   * unknown connection is refused).
   */
  forgetAll(): void;
  /** Cuts every connection at once: the socket is destroyed, no close frame. */
  dropAll(): void;
  /** `tcp-reset`: every connection's TCP socket is reset (RST), no close frame. */
  resetAll(): void;
  /** `silence`: every open connection stops sending (no pings, no messages) and ignores the client. */
  silenceAll(): void;
  /** Ends a silence: the connections still open talk again. */
  restore(): void;
  /** Connections the client ended with the SignalR Close message (`HubConnection.stop()`), so far. */
  readonly cleanStops: number;
  /** Open connections. */
  readonly size: number;
  /** Stops pinging and closes every connection (Close message, then the socket). */
  shutdown(): void;
}

/** Refuses an upgrade with an HTTP status. */
export function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
}

/** The access token of a request: `Authorization: Bearer …`, else the `access_token` query. */
function tokenOf(req: IncomingMessage, url: URL): string | undefined {
  const header = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
  return header?.[1] ?? url.searchParams.get('access_token') ?? undefined;
}

/** Starts a hub (its ping timer runs until {@link SignalrHub.shutdown}). */
export function createSignalrHub(options: HubOptions): SignalrHub {
  return new Hub(options);
}

/** The hub: its connections (negotiated, open, forgotten), the pinger and the protocol. */
class Hub implements SignalrHub {
  private readonly log: Logger | undefined;
  private readonly wss = new WebSocketServer({ noServer: true });
  /** connectionToken → negotiated, not yet upgraded. */
  private readonly pending = new Map<string, Connection>();
  private readonly open = new Set<Connection>();
  /** Access tokens of forgotten connections. */
  private readonly forgotten = new Set<string>();
  private readonly pinger: ReturnType<typeof setInterval>;
  private cleanStopCount = 0;

  constructor(private readonly options: HubOptions) {
    this.log = options.log;
    this.pinger = setInterval(() => {
      for (const connection of this.open) if (connection.handshaken) this.sendRecord(connection, { type: 6 });
    }, options.pingIntervalMs);
    this.pinger.unref();
  }

  // ---- the protocol ----

  private accepts(token: string | undefined): boolean {
    return token !== undefined && !this.forgotten.has(token) && this.options.accepts(token);
  }

  private newConnection(token: string): Connection {
    return { id: randomUUID(), accessToken: token, handshaken: false, buffer: '', silenced: false, endedByServer: false };
  }

  private sendTo(connection: Connection, text: string): void {
    if (connection.silenced) return;
    if (connection.ws && connection.ws.readyState === connection.ws.OPEN) connection.ws.send(text);
  }

  private sendRecord(connection: Connection, record: unknown): void {
    this.sendTo(connection, JSON.stringify(record) + RS);
  }

  private onData(connection: Connection, text: string): void {
    if (connection.silenced) return;
    connection.buffer += text;
    let end: number;
    while ((end = connection.buffer.indexOf(RS)) >= 0) {
      const record = connection.buffer.slice(0, end);
      connection.buffer = connection.buffer.slice(end + 1);
      this.onRecord(connection, record);
    }
  }

  private onRecord(connection: Connection, text: string): void {
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(text) as Record<string, unknown>;
    } catch {
      connection.ws?.close(1002, 'invalid JSON');
      return;
    }
    if (!connection.handshaken) {
      if (message.protocol !== 'json') {
        this.sendRecord(connection, { error: `Requested protocol '${String(message.protocol)}' is not available.` });
        connection.ws?.close();
        return;
      }
      connection.handshaken = true;
      this.sendTo(connection, `{}${RS}`);
      return;
    }
    switch (message.type) {
      case 1:
        return this.onInvocation(connection, message);
      case 6:
        return;
      case 7:
        // The client's goodbye (HubConnection.stop()); after our own Close it is only an echo.
        if (!connection.endedByServer) this.cleanStopCount += 1;
        connection.ws?.close();
        return;
      default:
        if (typeof message.invocationId === 'string') this.sendRecord(connection, { type: 3, invocationId: message.invocationId, error: 'Streaming is not supported.' });
    }
  }

  /** An invocation (type 1): the hub method runs; with an invocation id, a completion (3) answers it. */
  private onInvocation(connection: Connection, message: Record<string, unknown>): void {
    const invocationId = typeof message.invocationId === 'string' ? message.invocationId : undefined;
    const target = typeof message.target === 'string' ? message.target : '';
    const args = Array.isArray(message.arguments) ? message.arguments : [];
    let reply: { result?: unknown; error?: string };
    try {
      reply = { result: this.options.invoke(connection, target, args) };
    } catch (error) {
      reply = { error: `Failed to invoke '${target}' due to an error on the server. ${(error as Error).message}` };
    }
    if (invocationId !== undefined) this.sendRecord(connection, { type: 3, invocationId, ...reply });
  }

  /** The upgraded WebSocket of `connection`: open until it closes. */
  private attach(connection: Connection, ws: WebSocket, socket: Duplex): void {
    connection.ws = ws;
    connection.socket = socket;
    this.open.add(connection);
    this.log?.debug({ connectionId: connection.id }, 'hub connection opened');
    ws.on('message', (data) => this.onData(connection, data.toString()));
    ws.on('close', () => {
      this.open.delete(connection);
      this.options.closed?.(connection);
    });
    ws.on('error', () => undefined);
  }

  // ---- SignalrHub ----

  negotiate({ req, url, json }: HttpExchange): boolean {
    if (url.pathname.replace(/\/+$/, '') !== `${this.options.path}/negotiate`) return false;
    if (req.method !== 'POST') {
      json(405);
      return true;
    }
    const token = tokenOf(req, url);
    if (!this.accepts(token)) {
      json(401);
      return true;
    }
    const connection = this.newConnection(token!);
    const connectionToken = randomBytes(16).toString('base64url');
    this.pending.set(connectionToken, connection);
    const version = Number(url.searchParams.get('negotiateVersion') ?? '0');
    json(200, {
      negotiateVersion: version >= 1 ? 1 : 0,
      connectionId: connection.id,
      ...(version >= 1 ? { connectionToken } : {}),
      availableTransports: [{ transport: 'WebSockets', transferFormats: ['Text', 'Binary'] }],
    });
    return true;
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.replace(/\/+$/, '') !== this.options.path) return refuseUpgrade(socket, 404, 'Not Found');
    const token = tokenOf(req, url);
    const accepted = this.accepts(token);
    const id = url.searchParams.get('id');
    let connection: Connection | undefined;
    if (accepted && id) {
      connection = this.pending.get(id);
      this.pending.delete(id);
    } else if (accepted) {
      connection = this.newConnection(token!);
    }
    const status = !accepted ? 401 : connection ? 101 : 404;
    this.options.record({ method: 'GET', path: req.url ?? '/', status });
    if (!accepted) return refuseUpgrade(socket, 401, 'Unauthorized');
    if (!connection) return refuseUpgrade(socket, 404, 'Not Found');
    const current = connection;
    this.wss.handleUpgrade(req, socket, head, (ws) => this.attach(current, ws, socket));
  }

  clients(): HubClient[] {
    return [...this.open].filter((c) => c.handshaken);
  }

  invokeClient(client: HubClient, target: string, args: unknown[]): void {
    const connection = client as Connection;
    if (this.open.has(connection) && connection.handshaken) this.sendRecord(connection, { type: 1, target, arguments: args });
  }

  sendText(text: string): void {
    for (const connection of this.open) if (connection.handshaken) this.sendTo(connection, text);
  }

  closeAll(code: number, reason: string): void {
    for (const connection of this.open) connection.ws?.close(code, reason);
  }

  endAll(): void {
    for (const connection of this.open) {
      connection.silenced = false;
      this.sendRecord(connection, { type: 7 });
      connection.endedByServer = true;
      connection.ws?.close(1000);
    }
  }

  forgetAll(): void {
    this.pending.clear();
    for (const connection of this.open) {
      this.forgotten.add(connection.accessToken);
      this.open.delete(connection);
      connection.ws?.close(1008, 'Unknown connection');
    }
  }

  dropAll(): void {
    for (const connection of this.open) {
      this.open.delete(connection);
      connection.ws?.terminate();
    }
  }

  resetAll(): void {
    for (const connection of this.open) {
      const socket = connection.socket as Socket | undefined;
      if (socket && typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
      else connection.ws?.terminate();
    }
  }

  silenceAll(): void {
    for (const connection of this.open) connection.silenced = true;
  }

  restore(): void {
    for (const connection of this.open) connection.silenced = false;
  }

  get cleanStops(): number {
    return this.cleanStopCount;
  }

  get size(): number {
    return this.open.size;
  }

  shutdown(): void {
    clearInterval(this.pinger);
    for (const connection of this.open) {
      connection.silenced = false;
      this.sendRecord(connection, { type: 7, allowReconnect: false });
      connection.endedByServer = true;
      connection.ws?.terminate();
    }
    this.open.clear();
    this.pending.clear();
    this.wss.close();
  }
}
