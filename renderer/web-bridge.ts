/**
 * `window.desk` for a plain browser: the very same {@link DeskApi} the Electron preload builds over
 * IPC, here over the web host's WebSocket (`ws(s)://<host>/bridge`, protocol in preload/bridge.ts).
 *
 * - The launch token comes from `location.hash` (`#token=…`). It is sent as the first frame, then
 *   removed from the visible URL; it stays in memory only, for reconnects.
 * - The bridge keeps the last full state and folds patches into it, so a late `onChange` subscriber
 *   gets the current full state at once. A sequence gap reconnects to get a fresh full state.
 * - `toast` frames become Web Notifications, one per toast id ever; a click focuses the window and
 *   delivers the toast's target to `onFocus` listeners.
 * - A close with {@link WEB_CLOSE_UNAUTHORIZED} means the link is invalid: no retry. Any other close
 *   reconnects with a capped backoff.
 */
import {
  WEB_BRIDGE_PATH,
  WEB_CLOSE_UNAUTHORIZED,
  applyChange,
  type DeskApi,
  type DeskChange,
  type DeskMethod,
  type DeskState,
  type FocusTarget,
  type InvokeResult,
  type Toast,
  type WebClientMessage,
  type WebServerMessage,
} from '../preload/bridge.js';

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

function isServerMessage(value: unknown): value is WebServerMessage {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

function isResult(value: unknown): value is InvokeResult {
  return typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean';
}

/** What an invocation of `method` resolves with (`getSettings`: the {@link SettingsView}). */
type InvokeValue<M extends DeskMethod> = Awaited<ReturnType<DeskApi[M]>>;

interface Pending {
  /** Receives the result's `value` (the main side validated the call; the value is its answer). */
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
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

  const changeListeners = new Set<(change: DeskChange) => void>();
  const focusListeners = new Set<(target: FocusTarget) => void>();
  const statusListeners = new Set<(status: BridgeStatus) => void>();
  const pending = new Map<number, Pending>();
  const toastsSeen = new Set<string>();

  let current: { seq: number; state: DeskState } | undefined;
  let status: BridgeStatus = { kind: 'connecting' };
  let socket: WebSocket | undefined;
  /** Whether `hello` went out on the current socket (nothing may precede it). */
  let greeted = false;
  let nextId = 1;
  let failures = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  let permission: Promise<NotificationPermission> | undefined;

  function setStatus(next: BridgeStatus): void {
    status = next;
    for (const listener of [...statusListeners]) listener(next);
  }

  function emitChange(change: DeskChange): void {
    for (const listener of [...changeListeners]) listener(change);
  }

  function emitFocus(target: FocusTarget): void {
    for (const listener of [...focusListeners]) listener(target);
  }

  function rejectPending(message: string): void {
    for (const { reject } of pending.values()) reject(new Error(message));
    pending.clear();
  }

  function send(message: WebClientMessage): boolean {
    if (!socket || !greeted || socket.readyState !== Socket.OPEN) return false;
    socket.send(JSON.stringify(message));
    return true;
  }

  function connect(): void {
    if (closed) return;
    const ws = new Socket(url);
    socket = ws;
    greeted = false;
    ws.addEventListener('open', () => {
      if (socket !== ws) return;
      ws.send(JSON.stringify({ type: 'hello', token } satisfies WebClientMessage));
      greeted = true;
    });
    ws.addEventListener('message', (event: MessageEvent) => {
      if (socket !== ws || typeof event.data !== 'string') return;
      let message: unknown;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      if (isServerMessage(message)) receive(ws, message);
    });
    ws.addEventListener('close', (event: CloseEvent) => {
      if (socket !== ws) return;
      socket = undefined;
      onClosed(event.code);
    });
  }

  function onClosed(code: number): void {
    rejectPending('The connection to Agent Companion was lost. Please try again.');
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

  /** Drops the socket (a sequence gap) and connects again at once for a fresh full state. */
  function resync(ws: WebSocket): void {
    socket = undefined;
    ws.close(1000, 'resync');
    rejectPending('The connection to Agent Companion was interrupted. Please try again.');
    setStatus({ kind: 'connecting' });
    connect();
  }

  function receive(ws: WebSocket, message: WebServerMessage): void {
    switch (message.type) {
      case 'change': {
        const next = applyChange(current, message.change);
        if (!next) {
          resync(ws);
          return;
        }
        current = next;
        if ('full' in message.change) {
          failures = 0;
          if (status.kind !== 'connected') setStatus({ kind: 'connected' });
        }
        emitChange(message.change);
        return;
      }
      case 'focus':
        emitFocus(message.target);
        return;
      case 'toast':
        void notify(message.toast);
        return;
      case 'result': {
        const entry = pending.get(message.id);
        if (!entry) return;
        pending.delete(message.id);
        const result: unknown = message.result;
        if (isResult(result) && result.ok) entry.resolve(result.value);
        else entry.reject(new Error(isResult(result) && !result.ok ? result.error : 'Agent Companion gave no answer.'));
        return;
      }
      default:
        return;
    }
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
    const notification = new Notify(toast.title, { body: toast.body, tag: toast.id });
    notification.onclick = () => {
      window.focus();
      notification.close();
      emitFocus(toast.target);
    };
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

  function invoke<M extends DeskMethod>(method: M, args: Parameters<DeskApi[M]>): Promise<InvokeValue<M>> {
    return new Promise<InvokeValue<M>>((resolve, reject) => {
      if (status.kind === 'unauthorized') {
        reject(new Error('This Agent Companion link is no longer valid. Open a new one from the app.'));
        return;
      }
      const id = nextId++;
      if (!send({ type: 'invoke', id, method, args })) {
        reject(new Error('Not connected to Agent Companion. Reconnecting…'));
        return;
      }
      pending.set(id, { resolve: (value) => resolve(value as InvokeValue<M>), reject });
    });
  }

  connect();

  return {
    setPresence: (state) => invoke('setPresence', [state]),
    setAccountPresence: (accountId, state) => invoke('setAccountPresence', [accountId, state]),
    callAction: (callKey, action) => invoke('callAction', [callKey, action]),
    dial: (accountId, number) => invoke('dial', [accountId, number]),
    chatAction: (chatKey, action) => invoke('chatAction', [chatKey, action]),
    sendChatMessage: (chatKey, text) => invoke('sendChatMessage', [chatKey, text]),
    markChatRead: (chatKey) => invoke('markChatRead', [chatKey]),
    dismissChat: (chatKey) => invoke('dismissChat', [chatKey]),
    closeCallback: (callbackKey) => invoke('closeCallback', [callbackKey]),
    retryAccount: (accountId) => invoke('retryAccount', [accountId]),
    getSettings: () => invoke('getSettings', []),
    saveSettings: (settings) => invoke('saveSettings', [settings]),
    onChange(listener) {
      changeListeners.add(listener);
      if (current) listener({ seq: current.seq, full: current.state });
      return () => {
        changeListeners.delete(listener);
      };
    },
    onFocus(listener) {
      focusListeners.add(listener);
      return () => {
        focusListeners.delete(listener);
      };
    },
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
      rejectPending('The connection to Agent Companion was closed.');
    },
  };
}
