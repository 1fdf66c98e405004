/**
 * The web bridge's socket: one WebSocket to the web host at a time, whose first frame is the hello
 * with the launch key (nothing may precede it). A close with {@link WEB_CLOSE_UNAUTHORIZED} means
 * the key is not valid: no retry. Any other close reconnects with a capped backoff, for
 * `maxAttempts` attempts in a row; then it stops (the host is gone, or came back on another port)
 * until the agent asks to retry. Its status is what the window shows about the connection.
 */
import type { WebHello } from '../../preload/bridge.js';
import { WEB_CLOSE_UNAUTHORIZED } from '../../preload/wire.js';

/**
 * Where the bridge's connection stands, for the window to show. `retryAt` is epoch ms;
 * `stopped` follows `attempts` failed attempts in a row (no more tries until a retry).
 */
export type BridgeStatus =
  | { kind: 'connecting' }
  | { kind: 'connected' }
  | { kind: 'reconnecting'; attempt: number; retryAt: number }
  | { kind: 'stopped'; attempts: number }
  | { kind: 'unauthorized' };

/** What {@link openBridgeSocket} needs: where, with which key, and what to tell the bridge's client. */
export interface BridgeSocketOptions {
  url: string;
  token: string;
  WebSocket: typeof WebSocket;
  /** Reconnect delays in ms, the last one repeating (the cap). */
  backoffMs: readonly number[];
  /** Failed attempts in a row before it stops retrying. */
  maxAttempts: number;
  /** A socket opened and its hello went out: the client may speak now. */
  onOpen(): void;
  /** A text frame from the core. */
  onMessage(text: string): void;
  /** The socket closed (before any retry): pending invocations are lost. */
  onLost(): void;
  /** The host refused the key; no retry follows. */
  onUnauthorized(): void;
}

/** The socket, as the bridge uses it. */
export interface BridgeSocket {
  /** Connects the first time. */
  start(): void;
  /** Sends one frame; false when no greeted socket is open (nothing was sent). */
  send(text: string): boolean;
  /** The window is in sync with the core: the attempts count starts again, the status is `connected`. */
  synced(): void;
  /** Receives the current status at once, then every change. Returns an unsubscribe function. */
  onStatus(listener: (status: BridgeStatus) => void): () => void;
  /** Tries again at once, with a fresh run of attempts (after `stopped`, or to skip a wait). */
  retry(): void;
  /** Closes the socket for good; no retry follows. */
  close(): void;
}

/** The socket, not yet connected ({@link BridgeSocket.start}). */
export function openBridgeSocket(options: BridgeSocketOptions): BridgeSocket {
  const { WebSocket: Socket, backoffMs: backoff, maxAttempts } = options;
  const statusListeners = new Set<(status: BridgeStatus) => void>();
  let status: BridgeStatus = { kind: 'connecting' };
  let socket: WebSocket | undefined;
  /** Whether `hello` went out on the current socket (nothing may precede it). */
  let greeted = false;
  let failures = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  function setStatus(next: BridgeStatus): void {
    status = next;
    for (const listener of [...statusListeners]) listener(next);
  }

  function connect(): void {
    if (closed) return;
    const ws = new Socket(options.url);
    socket = ws;
    greeted = false;
    ws.addEventListener('open', () => {
      if (socket !== ws) return;
      ws.send(JSON.stringify({ type: 'hello', token: options.token } satisfies WebHello));
      greeted = true;
      options.onOpen();
    });
    ws.addEventListener('message', (event: MessageEvent) => {
      if (socket === ws && typeof event.data === 'string') options.onMessage(event.data);
    });
    ws.addEventListener('close', (event: CloseEvent) => {
      if (socket !== ws) return;
      socket = undefined;
      onClosed(event.code);
    });
  }

  function onClosed(code: number): void {
    options.onLost();
    if (closed) return;
    if (code === WEB_CLOSE_UNAUTHORIZED) {
      closed = true;
      options.onUnauthorized();
      setStatus({ kind: 'unauthorized' });
      return;
    }
    scheduleReconnect();
  }

  function scheduleReconnect(): void {
    if (failures >= maxAttempts) {
      clearTimeout(retryTimer);
      setStatus({ kind: 'stopped', attempts: failures });
      return;
    }
    const delay = backoff[Math.min(failures, backoff.length - 1)] ?? 15000;
    failures += 1;
    setStatus({ kind: 'reconnecting', attempt: failures, retryAt: Date.now() + delay });
    clearTimeout(retryTimer);
    retryTimer = setTimeout(connect, delay);
  }

  return {
    start: connect,
    send(text) {
      if (!socket || !greeted || socket.readyState !== Socket.OPEN) return false;
      socket.send(text);
      return true;
    },
    synced() {
      failures = 0;
      if (status.kind !== 'connected') setStatus({ kind: 'connected' });
    },
    onStatus(listener) {
      statusListeners.add(listener);
      listener(status);
      return () => {
        statusListeners.delete(listener);
      };
    },
    retry() {
      if (closed || socket) return;
      clearTimeout(retryTimer);
      failures = 0;
      setStatus({ kind: 'connecting' });
      connect();
    },
    close() {
      closed = true;
      clearTimeout(retryTimer);
      const ws = socket;
      socket = undefined;
      ws?.close(1000, 'closed');
    },
  };
}
