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
  const { log } = options;
  const wss = new WebSocketServer({ noServer: true });
  const pending = new Map<string, Connection>(); // connectionToken → negotiated, not yet upgraded
  const open = new Set<Connection>();
  const forgotten = new Set<string>(); // access tokens of forgotten connections
  let cleanStops = 0;

  const accepts = (token: string | undefined): boolean => token !== undefined && !forgotten.has(token) && options.accepts(token);
  const newConnection = (token: string): Connection => ({
    id: randomUUID(),
    accessToken: token,
    handshaken: false,
    buffer: '',
    silenced: false,
    endedByServer: false,
  });

  const pinger = setInterval(() => {
    for (const connection of open) if (connection.handshaken) sendRecord(connection, { type: 6 });
  }, options.pingIntervalMs);
  pinger.unref();

  function sendText(connection: Connection, text: string): void {
    if (connection.silenced) return;
    if (connection.ws && connection.ws.readyState === connection.ws.OPEN) connection.ws.send(text);
  }

  function sendRecord(connection: Connection, record: unknown): void {
    sendText(connection, JSON.stringify(record) + RS);
  }

  function onData(connection: Connection, text: string): void {
    if (connection.silenced) return;
    connection.buffer += text;
    let end: number;
    while ((end = connection.buffer.indexOf(RS)) >= 0) {
      const record = connection.buffer.slice(0, end);
      connection.buffer = connection.buffer.slice(end + 1);
      onRecord(connection, record);
    }
  }

  function onRecord(connection: Connection, text: string): void {
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(text) as Record<string, unknown>;
    } catch {
      connection.ws?.close(1002, 'invalid JSON');
      return;
    }
    if (!connection.handshaken) {
      if (message.protocol !== 'json') {
        sendRecord(connection, { error: `Requested protocol '${String(message.protocol)}' is not available.` });
        connection.ws?.close();
        return;
      }
      connection.handshaken = true;
      sendText(connection, `{}${RS}`);
      return;
    }
    switch (message.type) {
      case 1: {
        const invocationId = typeof message.invocationId === 'string' ? message.invocationId : undefined;
        const target = typeof message.target === 'string' ? message.target : '';
        const args = Array.isArray(message.arguments) ? message.arguments : [];
        let reply: { result?: unknown; error?: string };
        try {
          reply = { result: options.invoke(connection, target, args) };
        } catch (error) {
          reply = { error: `Failed to invoke '${target}' due to an error on the server. ${(error as Error).message}` };
        }
        if (invocationId !== undefined) sendRecord(connection, { type: 3, invocationId, ...reply });
        return;
      }
      case 6:
        return;
      case 7:
        // The client's goodbye (HubConnection.stop()); after our own Close it is only an echo.
        if (!connection.endedByServer) cleanStops += 1;
        connection.ws?.close();
        return;
      default:
        if (typeof message.invocationId === 'string') sendRecord(connection, { type: 3, invocationId: message.invocationId, error: 'Streaming is not supported.' });
    }
  }

  return {
    negotiate({ req, url, json }) {
      if (url.pathname.replace(/\/+$/, '') !== `${options.path}/negotiate`) return false;
      if (req.method !== 'POST') {
        json(405);
        return true;
      }
      const token = tokenOf(req, url);
      if (!accepts(token)) {
        json(401);
        return true;
      }
      const connection = newConnection(token!);
      const connectionToken = randomBytes(16).toString('base64url');
      pending.set(connectionToken, connection);
      const version = Number(url.searchParams.get('negotiateVersion') ?? '0');
      json(200, {
        negotiateVersion: version >= 1 ? 1 : 0,
        connectionId: connection.id,
        ...(version >= 1 ? { connectionToken } : {}),
        availableTransports: [{ transport: 'WebSockets', transferFormats: ['Text', 'Binary'] }],
      });
      return true;
    },

    upgrade(req, socket, head) {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname.replace(/\/+$/, '') !== options.path) return refuseUpgrade(socket, 404, 'Not Found');
      const token = tokenOf(req, url);
      const accepted = accepts(token);
      const id = url.searchParams.get('id');
      let connection: Connection | undefined;
      if (accepted && id) {
        connection = pending.get(id);
        pending.delete(id);
      } else if (accepted) {
        connection = newConnection(token!);
      }
      const status = !accepted ? 401 : connection ? 101 : 404;
      options.record({ method: 'GET', path: req.url ?? '/', status });
      if (!accepted) return refuseUpgrade(socket, 401, 'Unauthorized');
      if (!connection) return refuseUpgrade(socket, 404, 'Not Found');
      const current = connection;
      wss.handleUpgrade(req, socket, head, (ws) => {
        current.ws = ws;
        current.socket = socket;
        open.add(current);
        log?.debug({ connectionId: current.id }, 'hub connection opened');
        ws.on('message', (data) => onData(current, data.toString()));
        ws.on('close', () => {
          open.delete(current);
          options.closed?.(current);
        });
        ws.on('error', () => undefined);
      });
    },

    clients: () => [...open].filter((c) => c.handshaken),

    invokeClient(client, target, args) {
      const connection = client as Connection;
      if (open.has(connection) && connection.handshaken) sendRecord(connection, { type: 1, target, arguments: args });
    },

    sendText(text) {
      for (const connection of open) if (connection.handshaken) sendText(connection, text);
    },

    closeAll(code, reason) {
      for (const connection of open) connection.ws?.close(code, reason);
    },

    endAll() {
      for (const connection of open) {
        connection.silenced = false;
        sendRecord(connection, { type: 7 });
        connection.endedByServer = true;
        connection.ws?.close(1000);
      }
    },

    forgetAll() {
      pending.clear();
      for (const connection of open) {
        forgotten.add(connection.accessToken);
        open.delete(connection);
        connection.ws?.close(1008, 'Unknown connection');
      }
    },

    dropAll() {
      for (const connection of open) {
        open.delete(connection);
        connection.ws?.terminate();
      }
    },

    resetAll() {
      for (const connection of open) {
        const socket = connection.socket as Socket | undefined;
        if (socket && typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
        else connection.ws?.terminate();
      }
    },

    silenceAll() {
      for (const connection of open) connection.silenced = true;
    },

    restore() {
      for (const connection of open) connection.silenced = false;
    },

    get cleanStops() {
      return cleanStops;
    },

    get size() {
      return open.size;
    },

    shutdown() {
      clearInterval(pinger);
      for (const connection of open) {
        connection.silenced = false;
        sendRecord(connection, { type: 7, allowReconnect: false });
        connection.endedByServer = true;
        connection.ws?.terminate();
      }
      open.clear();
      pending.clear();
      wss.close();
    },
  };
}
