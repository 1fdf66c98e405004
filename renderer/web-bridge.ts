/**
 * `window.desk` for a plain browser: the very same {@link DeskApi} the Electron preload builds, from
 * the same client (`preload/client.ts`) over the same wire; here the wire's JSON text rides the web
 * host's WebSocket (`ws(s)://<host>/bridge`) instead of IPC.
 *
 * - The launch token comes from `location.hash` (`#token=…`). It is sent as the first frame, then
 *   removed from the visible URL; it stays in memory only, for reconnects.
 * - `toast` messages become Web Notifications, one per toast id ever; a click focuses the window and
 *   delivers the toast's target to `onFocus` listeners. A `toast.close` closes the notification
 *   again (its call stopped ringing: answered here or elsewhere, or ended; its chat is no longer an
 *   invitation), and one the core closes before permission was answered is never shown.
 * - A close with {@link WEB_CLOSE_UNAUTHORIZED} means the link is invalid: no retry. Any other close
 *   reconnects with a capped backoff.
 */
import { WEB_BRIDGE_PATH, WEB_CLOSE_UNAUTHORIZED, type DeskApi, type Toast, type WebHello } from '../preload/bridge.js';
import { createBridgeClient } from '../preload/client.js';

/** Where the bridge's connection stands, for the window to show. */
export type BridgeStatus =
  | { kind: 'connecting' }
  | { kind: 'connected' }
  | { kind: 'reconnecting'; attempt: number; retryAt: number }
  | { kind: 'unauthorized' };

/** A {@link DeskApi} plus what only a socket-backed bridge has: its connection status. */
export interface WebBridge extends DeskApi {
  /** Receives the current status at once, then every change. Returns an unsubscribe function. */
  onStatus(listener: (status: BridgeStatus) => void): () => void;
  /** Closes the socket for good (tests, page teardown). */
  close(): void;
}

/** The slice of the Notification API the bridge uses (injectable for tests). */
export interface NotificationLike {
  onclick: ((this: NotificationLike, ev: Event) => unknown) | null;
  close(): void;
}
export interface NotificationApi {
  readonly permission: NotificationPermission;
  requestPermission(): Promise<NotificationPermission>;
  new (title: string, options?: NotificationOptions): NotificationLike;
}

export interface WebBridgeOptions {
  /** Socket URL; defaults to `ws(s)://${location.host}${WEB_BRIDGE_PATH}`. */
  url?: string;
  /** Launch token; defaults to the `token` in `location.hash` (which is then removed from the URL). */
  token?: string;
  /** WebSocket constructor; defaults to the global one. */
  WebSocket?: typeof WebSocket;
  /** Notification API; defaults to the global one when present. `null` disables notifications. */
  Notification?: NotificationApi | null;
  /** Reconnect delays in ms, the last one repeating (the cap). */
  backoffMs?: readonly number[];
}

const DEFAULT_BACKOFF_MS = [500, 1000, 2000, 4000, 8000, 15000] as const;

/** Reads `token` from the URL hash and removes the hash from the visible URL. */
export function takeTokenFromLocation(): string {
  const hash = location.hash.startsWith('#') ? location.hash.slice(1) : location.hash;
  const token = new URLSearchParams(hash).get('token') ?? '';
  if (location.hash) {
    history.replaceState(history.state, '', `${location.pathname}${location.search}`);
  }
  return token;
}

function defaultUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}${WEB_BRIDGE_PATH}`;
}

/** Connects to the web host and returns a live {@link WebBridge}. */
export function connectWebBridge(options: WebBridgeOptions = {}): WebBridge {
  const url = options.url ?? defaultUrl();
  const token = options.token ?? takeTokenFromLocation();
  const Socket = options.WebSocket ?? WebSocket;
  const Notify: NotificationApi | null =
    options.Notification !== undefined
      ? options.Notification
      : typeof Notification === 'function'
        ? (Notification as unknown as NotificationApi)
        : null;
  const backoff = options.backoffMs?.length ? options.backoffMs : DEFAULT_BACKOFF_MS;

  const statusListeners = new Set<(status: BridgeStatus) => void>();
  const toastsSeen = new Set<string>();
  /** Notifications on screen by toast id, until clicked or closed by the core. */
  const shown = new Map<string, NotificationLike>();
  /** Toasts the core closed (checked after the permission prompt, which may outlast the ring). */
  const toastsClosed = new Set<string>();

  let status: BridgeStatus = { kind: 'connecting' };
  let socket: WebSocket | undefined;
  /** Whether `hello` went out on the current socket (nothing may precede it). */
  let greeted = false;
  let failures = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  let permission: Promise<NotificationPermission> | undefined;

  const client = createBridgeClient({
    transport: {
      send(text) {
        if (!socket || !greeted || socket.readyState !== Socket.OPEN) return false;
        socket.send(text);
        return true;
      },
    },
    onToast: (toast) => void notify(toast),
    onToastClosed: (id) => closeToast(id),
    onSynced() {
      failures = 0;
      if (status.kind !== 'connected') setStatus({ kind: 'connected' });
    },
    notConnectedMessage: 'Not connected to Agent Companion. Reconnecting…',
  });

  function setStatus(next: BridgeStatus): void {
    status = next;
    for (const listener of [...statusListeners]) listener(next);
  }

  function connect(): void {
    if (closed) return;
    const ws = new Socket(url);
    socket = ws;
    greeted = false;
    ws.addEventListener('open', () => {
      if (socket !== ws) return;
      ws.send(JSON.stringify({ type: 'hello', token } satisfies WebHello));
      greeted = true;
      client.opened();
    });
    ws.addEventListener('message', (event: MessageEvent) => {
      if (socket === ws && typeof event.data === 'string') client.receive(event.data);
    });
    ws.addEventListener('close', (event: CloseEvent) => {
      if (socket !== ws) return;
      socket = undefined;
      onClosed(event.code);
    });
  }

  function onClosed(code: number): void {
    client.lost('The connection to Agent Companion was lost. Please try again.');
    if (closed) return;
    if (code === WEB_CLOSE_UNAUTHORIZED) {
      closed = true;
      setStatus({ kind: 'unauthorized' });
      return;
    }
    scheduleReconnect();
  }

  function scheduleReconnect(): void {
    const delay = backoff[Math.min(failures, backoff.length - 1)] ?? 15000;
    failures += 1;
    setStatus({ kind: 'reconnecting', attempt: failures, retryAt: Date.now() + delay });
    clearTimeout(retryTimer);
    retryTimer = setTimeout(connect, delay);
  }

  function requestPermission(): Promise<NotificationPermission> {
    if (!Notify) return Promise.resolve('denied');
    if (Notify.permission !== 'default') return Promise.resolve(Notify.permission);
    permission ??= Notify.requestPermission().catch(() => 'denied' as const);
    return permission;
  }

  async function notify(toast: Toast): Promise<void> {
    if (toastsSeen.has(toast.id)) return;
    toastsSeen.add(toast.id);
    if (!Notify) return;
    if ((await requestPermission()) !== 'granted') return;
    if (toastsClosed.delete(toast.id)) return;
    const notification = new Notify(toast.title, { body: toast.body, tag: toast.id });
    shown.set(toast.id, notification);
    notification.onclick = () => {
      shown.delete(toast.id);
      window.focus();
      notification.close();
      client.focus(toast.target);
    };
  }

  function closeToast(id: string): void {
    const notification = shown.get(id);
    if (!notification) {
      // Still waiting for the permission answer: remember not to show it.
      if (toastsSeen.has(id)) toastsClosed.add(id);
      return;
    }
    shown.delete(id);
    notification.close();
  }

  // Ask for notification permission on the agent's first interaction too (some browsers only
  // prompt from a user gesture); the request is made once at most.
  if (Notify && Notify.permission === 'default' && typeof window !== 'undefined') {
    const ask = (): void => {
      window.removeEventListener('pointerdown', ask, true);
      window.removeEventListener('keydown', ask, true);
      void requestPermission();
    };
    window.addEventListener('pointerdown', ask, true);
    window.addEventListener('keydown', ask, true);
  }

  connect();

  return {
    ...client.api,
    onStatus(listener) {
      statusListeners.add(listener);
      listener(status);
      return () => {
        statusListeners.delete(listener);
      };
    },
    close() {
      closed = true;
      clearTimeout(retryTimer);
      const ws = socket;
      socket = undefined;
      ws?.close(1000, 'closed');
      client.lost('The connection to Agent Companion was closed.');
    },
  };
}
