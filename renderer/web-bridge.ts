/**
 * `window.desk` for a plain browser: the very same {@link DeskApi} the Electron preload builds, from
 * the same client (`preload/client.ts`) over the same wire; here the wire's JSON text rides the web
 * host's WebSocket (`ws(s)://<host>/bridge`) instead of IPC. This file wires three parts:
 *
 * - `web-bridge/launch-key.ts`: the launch key from `location.hash` (`#token=…`), removed from the
 *   visible URL and kept in this tab's `sessionStorage` for a reload;
 * - `web-bridge/socket.ts`: the socket, its hello (the key, first frame), and its status: a close
 *   with `WEB_CLOSE_UNAUTHORIZED` means the link is invalid (no retry); any other close reconnects
 *   with a capped backoff for {@link WebBridgeOptions.maxAttempts} attempts in a row, then stops
 *   until the agent asks to retry;
 * - `web-bridge/notifications.ts` (with `alerting-tabs.ts`): `toast` messages as Web Notifications,
 *   one per toast id ever, in one tab only (the alerting tab); a click focuses the window on the
 *   toast's target; `toast.close` closes it again.
 */
import type { DeskApi } from '../preload/bridge.js';
import { WEB_BRIDGE_PATH } from '../preload/wire.js';
import { createBridgeClient } from '../preload/client.js';
import type { LocksLike } from './lib/alerting-tab.js';
import { forgetToken, sessionStore, takeTokenFromLocation, type KeyStorage } from './web-bridge/launch-key.js';
import { browserNotifications, startToastNotifications, type NotificationApi } from './web-bridge/notifications.js';
import { openBridgeSocket, type BridgeStatus } from './web-bridge/socket.js';

export { takeTokenFromLocation, TOKEN_STORAGE_KEY } from './web-bridge/launch-key.js';
export type { NotificationApi, NotificationLike } from './web-bridge/notifications.js';
export type { BridgeStatus } from './web-bridge/socket.js';

/** A {@link DeskApi} plus what only a socket-backed bridge has: its connection status. */
export interface WebBridge extends DeskApi {
  /** Receives the current status at once, then every change. Returns an unsubscribe function. */
  onStatus(listener: (status: BridgeStatus) => void): () => void;
  /** Tries again at once, with a fresh run of attempts (after `stopped`, or to skip a wait). */
  retry(): void;
  /** Closes the socket for good (tests, page teardown). */
  close(): void;
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
  storage?: KeyStorage | null;
  /** Web Locks for the alerting-tab election; `navigator.locks` by default, `null` for none (every tab alerts). */
  locks?: LocksLike | null;
}

const DEFAULT_BACKOFF_MS = [500, 1000, 2000, 4000, 8000, 15000] as const;
/**
 * Failed attempts in a row before the tab stops: with the default backoff, about a minute — long
 * enough for a host restarted on the same port, short of retrying a dead port forever [I].
 */
export const DEFAULT_MAX_ATTEMPTS = 8;

function defaultUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}${WEB_BRIDGE_PATH}`;
}

/** Connects to the web host and returns a live {@link WebBridge}. */
export function connectWebBridge(options: WebBridgeOptions = {}): WebBridge {
  const storage = options.storage !== undefined ? options.storage : sessionStore();
  const toasts = startToastNotifications({
    Notification: options.Notification !== undefined ? options.Notification : browserNotifications(),
    locks: options.locks,
    focus: (target) => client.focus(target),
  });
  const socket = openBridgeSocket({
    url: options.url ?? defaultUrl(),
    token: options.token ?? takeTokenFromLocation(storage),
    WebSocket: options.WebSocket ?? WebSocket,
    backoffMs: options.backoffMs?.length ? options.backoffMs : DEFAULT_BACKOFF_MS,
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    onOpen: () => client.opened(),
    onMessage: (text) => client.receive(text),
    onLost: () => client.lost('The connection to Agent Companion was lost. Please try again.'),
    // A key this host does not know: a reload must not try it again.
    onUnauthorized: () => forgetToken(storage),
  });
  const client = createBridgeClient({
    transport: { send: (text) => socket.send(text) },
    onToast: (toast) => toasts.notify(toast),
    onToastClosed: (id) => toasts.close(id),
    onSynced: () => socket.synced(),
    notConnectedMessage: 'Not connected to Agent Companion. Reconnecting…',
  });
  socket.start();

  return {
    ...client.api,
    onStatus: (listener) => socket.onStatus(listener),
    retry: () => socket.retry(),
    close() {
      toasts.dispose();
      socket.close();
      client.lost('The connection to Agent Companion was closed.');
    },
  };
}
