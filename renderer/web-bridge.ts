/**
 * `window.desk` for a plain browser: the very same {@link DeskApi} the Electron preload builds, from
 * the same client (`preload/client.ts`) over the same wire; here the wire's JSON text rides the web
 * host's WebSocket (`ws(s)://<host>/bridge`) instead of IPC.
 *
 * - The launch token comes from `location.hash` (`#token=…`). It is sent as the first frame, then
 *   removed from the visible URL; the tab keeps it in `sessionStorage` (this tab only, gone when the
 *   tab closes; never `localStorage`), so a reload (F5) keeps the desk.
 * - `toast` messages become Web Notifications, one per toast id ever, in one tab only (the alerting
 *   tab, elected with Web Locks: `lib/alerting-tab.ts`); a click focuses the window and delivers the
 *   toast's target to `onFocus` listeners. A `toast.close` closes the notification
 *   again (its call stopped ringing: answered here or elsewhere, or ended; its chat is no longer an
 *   invitation), and one the core closes before permission was answered is never shown.
 * - A close with {@link WEB_CLOSE_UNAUTHORIZED} means the link is invalid: no retry. Any other close
 *   reconnects with a capped backoff, for {@link WebBridgeOptions.maxAttempts} attempts in a row;
 *   then it stops (the host is gone, or came back on another port) until the agent asks to retry.
 */
import { WEB_BRIDGE_PATH, WEB_CLOSE_UNAUTHORIZED, type DeskApi, type Toast, type WebHello } from '../preload/bridge.js';
import { createBridgeClient } from '../preload/client.js';
import { ALERTING_LOCK, electAlertingTab, isAlertingTab, onAlertingTab, type LocksLike } from './lib/alerting-tab.js';

/**
 * Where the bridge's connection stands, for the window to show. `retryAt` is epoch ms;
 * `stopped` follows `attempts` failed attempts in a row (no more tries until {@link WebBridge.retry}).
 */
export type BridgeStatus =
  | { kind: 'connecting' }
  | { kind: 'connected' }
  | { kind: 'reconnecting'; attempt: number; retryAt: number }
  | { kind: 'stopped'; attempts: number }
  | { kind: 'unauthorized' };

/** A {@link DeskApi} plus what only a socket-backed bridge has: its connection status. */
export interface WebBridge extends DeskApi {
  /** Receives the current status at once, then every change. Returns an unsubscribe function. */
  onStatus(listener: (status: BridgeStatus) => void): () => void;
  /** Tries again at once, with a fresh run of attempts (after `stopped`, or to skip a wait). */
  retry(): void;
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
  /** Failed attempts in a row before it stops retrying (default {@link DEFAULT_MAX_ATTEMPTS}). */
  maxAttempts?: number;
  /** Where the tab keeps its token across reloads; `sessionStorage` by default, `null` for none. */
  storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
  /** Web Locks for the alerting-tab election; `navigator.locks` by default, `null` for none (every tab alerts). */
  locks?: LocksLike | null;
}

const DEFAULT_BACKOFF_MS = [500, 1000, 2000, 4000, 8000, 15000] as const;
/**
 * How long a tab that does not alert keeps a toast, ms: when the alerting tab closes, the tab that
 * takes over raises what arrived meanwhile (a call that rang as the other tab closed) [I].
 */
const HANDOVER_MS = 5_000;
/**
 * Failed attempts in a row before the tab stops: with the default backoff, about a minute — long
 * enough for a host restarted on the same port, short of retrying a dead port forever [I].
 */
export const DEFAULT_MAX_ATTEMPTS = 8;
/** The `sessionStorage` key the tab keeps its launch token under. */
export const TOKEN_STORAGE_KEY = 'agent-companion.token';

function sessionStore(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null; // storage disabled by the browser
  }
}

/**
 * Reads `token` from the URL hash and removes the hash from the visible URL; keeps it in `storage`
 * for this tab's reloads. Without a token in the URL, the one this tab kept (else '').
 */
export function takeTokenFromLocation(storage: Pick<Storage, 'getItem' | 'setItem'> | null = sessionStore()): string {
  const hash = location.hash.startsWith('#') ? location.hash.slice(1) : location.hash;
  const token = new URLSearchParams(hash).get('token') ?? '';
  if (location.hash) {
    history.replaceState(history.state, '', `${location.pathname}${location.search}`);
  }
  if (token) {
    storage?.setItem(TOKEN_STORAGE_KEY, token);
    return token;
  }
  return storage?.getItem(TOKEN_STORAGE_KEY) ?? '';
}

function defaultUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}${WEB_BRIDGE_PATH}`;
}

/** Connects to the web host and returns a live {@link WebBridge}. */
export function connectWebBridge(options: WebBridgeOptions = {}): WebBridge {
  const url = options.url ?? defaultUrl();
  const storage = options.storage !== undefined ? options.storage : sessionStore();
  const token = options.token ?? takeTokenFromLocation(storage);
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  /** Toasts another tab should have raised, by id, for a hand-over. */
  const heldBack = new Map<string, { toast: Toast; at: number }>();
  /** Ids the alerting tab says it raised (lately), so a hand-over does not raise them twice. */
  const shownElsewhere = new Set<string>();
  const channel = typeof BroadcastChannel === 'function' && options.locks !== null ? new BroadcastChannel(ALERTING_LOCK) : undefined;
  channel?.addEventListener('message', (event: MessageEvent) => {
    const id = (event.data as { shown?: unknown } | null)?.shown;
    if (typeof id !== 'string') return;
    heldBack.delete(id);
    shownElsewhere.add(id);
    if (shownElsewhere.size > 256) shownElsewhere.delete(shownElsewhere.values().next().value!);
  });
  const resign = options.locks === null ? () => undefined : electAlertingTab(options.locks);
  const stopFollowing = onAlertingTab((alerting) => {
    if (!alerting) return;
    const since = Date.now() - HANDOVER_MS;
    for (const { toast, at } of heldBack.values()) if (at >= since) void show(toast);
    heldBack.clear();
  });
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
      // A key this host does not know: a reload must not try it again.
      storage?.removeItem(TOKEN_STORAGE_KEY);
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

  /**
   * The notification permission as last read. Reading `Notification.permission` is a synchronous
   * round trip to the browser process in Chromium: read on every toast, it held each ringing call's
   * change back by tens of milliseconds under load (bench question 2's profile: 8.6 % of the page's
   * script). It is read once, then kept current by the Permissions API's change event where there
   * is one, and by the answer to our own request.
   */
  let permissionKnown: NotificationPermission | undefined;
  if (Notify && typeof navigator !== 'undefined' && navigator.permissions?.query) {
    navigator.permissions.query({ name: 'notifications' }).then(
      (status) => {
        status.onchange = () => (permissionKnown = status.state === 'prompt' ? 'default' : status.state);
      },
      () => {
        // No Permissions API for notifications here: the answer to our request keeps it current.
      },
    );
  }

  function requestPermission(): Promise<NotificationPermission> {
    if (!Notify) return Promise.resolve('denied');
    const known = (permissionKnown ??= Notify.permission);
    if (known !== 'default') return Promise.resolve(known);
    permission ??= Notify.requestPermission()
      .catch(() => 'denied' as const)
      .then((answer) => (permissionKnown = answer));
    return permission;
  }

  async function notify(toast: Toast): Promise<void> {
    if (toastsSeen.has(toast.id)) return;
    toastsSeen.add(toast.id);
    if (!Notify) return;
    if (!isAlertingTab()) {
      // Another tab alerts, this one only shows the desk; kept a moment in case that tab is closing.
      const now = Date.now();
      for (const [id, held] of heldBack) if (held.at < now - HANDOVER_MS) heldBack.delete(id);
      if (!shownElsewhere.has(toast.id)) heldBack.set(toast.id, { toast, at: now });
      return;
    }
    await show(toast);
  }

  async function show(toast: Toast): Promise<void> {
    if (!Notify) return;
    // The other tabs need not raise it when they take over.
    channel?.postMessage({ shown: toast.id });
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
    heldBack.delete(id);
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
    retry() {
      if (closed || socket) return;
      clearTimeout(retryTimer);
      failures = 0;
      setStatus({ kind: 'connecting' });
      connect();
    },
    close() {
      closed = true;
      stopFollowing();
      resign();
      channel?.close();
      clearTimeout(retryTimer);
      const ws = socket;
      socket = undefined;
      ws?.close(1000, 'closed');
      client.lost('The connection to Agent Companion was closed.');
    },
  };
}
