/**
 * The web bridge's toasts as Web Notifications: one per toast id (of the last 2 000), raised only in the alerting
 * tab (`alerting-tabs.ts`); a click focuses the window and delivers the toast's target to the
 * window's `onFocus` listeners. A `toast.close` closes the notification again (its call stopped
 * ringing: answered here or elsewhere, or ended; its chat is no longer an invitation), and one the
 * core closes before permission was answered is never shown. Permission is asked when the first
 * toast comes, or at the agent's first click or key (some browsers prompt only from a gesture).
 */
import type { FocusTarget, Toast } from '../../preload/bridge.js';
import type { LocksLike } from '../lib/alerting-tab.js';
import { joinAlertingTabs } from './alerting-tabs.js';

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

/** The global Notification API where the browser has one. */
export function browserNotifications(): NotificationApi | null {
  return typeof Notification === 'function' ? (Notification as unknown as NotificationApi) : null;
}

/**
 * The notification permission, asked at most once. Reading `Notification.permission` is a
 * synchronous round trip to the browser process in Chromium: read on every toast, it held each
 * ringing call's change back by tens of milliseconds under load (bench question 2's profile: 8.6 %
 * of the page's script). It is read once, then kept current by the Permissions API's change event
 * where there is one, and by the answer to our own request.
 */
function notificationPermission(Notify: NotificationApi | null): () => Promise<NotificationPermission> {
  let permissionKnown: NotificationPermission | undefined;
  let permission: Promise<NotificationPermission> | undefined;
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
  const request = (): Promise<NotificationPermission> => {
    if (!Notify) return Promise.resolve('denied');
    const known = (permissionKnown ??= Notify.permission);
    if (known !== 'default') return Promise.resolve(known);
    permission ??= Notify.requestPermission()
      .catch(() => 'denied' as const)
      .then((answer) => (permissionKnown = answer));
    return permission;
  };
  // Ask on the agent's first interaction too (some browsers only prompt from a user gesture).
  if (Notify && Notify.permission === 'default' && typeof window !== 'undefined') {
    const ask = (): void => {
      window.removeEventListener('pointerdown', ask, true);
      window.removeEventListener('keydown', ask, true);
      void request();
    };
    window.addEventListener('pointerdown', ask, true);
    window.addEventListener('keydown', ask, true);
  }
  return request;
}

/** What {@link startToastNotifications} needs. */
export interface ToastNotificationsOptions {
  /** `null`: no notifications (the tab still takes part in the election, for the ring). */
  Notification: NotificationApi | null;
  /** Web Locks for the election; `navigator.locks` when undefined, `null` for none (every tab alerts). */
  locks: LocksLike | null | undefined;
  /** A notification was clicked: the window shows `target`. */
  focus(target: FocusTarget): void;
}

/** The toasts' side of the web bridge. */
export interface ToastNotifications {
  /** A toast from the core. */
  notify(toast: Toast): void;
  /** The core closed toast `id`. */
  close(id: string): void;
  /** Leaves the alerting-tab election (page teardown). */
  dispose(): void;
}

/**
 * How many toast ids the page remembers, seen and closed each: as many as the core's alert memory
 * (`ALERT_MEMORY_LIMIT` in `main/desk/alerts.ts`), which never sends an id it remembers again. The
 * oldest is forgotten past it, so a tab open for a long shift does not keep every id it was sent.
 */
const TOAST_IDS_REMEMBERED = 2_000;

/** Adds `id` to `ids`, forgetting the oldest past {@link TOAST_IDS_REMEMBERED}. */
function remember(ids: Set<string>, id: string): void {
  ids.add(id);
  if (ids.size > TOAST_IDS_REMEMBERED) ids.delete(ids.values().next().value!);
}

/** Raises the core's toasts as Web Notifications in the alerting tab. */
export function startToastNotifications(options: ToastNotificationsOptions): ToastNotifications {
  const { Notification: Notify } = options;
  const tabs = joinAlertingTabs(options.locks, (toast) => void show(toast));
  const toastsSeen = new Set<string>();
  /** Notifications on screen by toast id, until clicked or closed by the core. */
  const shown = new Map<string, NotificationLike>();
  /** Toasts the core closed (checked after the permission prompt, which may outlast the ring). */
  const toastsClosed = new Set<string>();
  const requestPermission = notificationPermission(Notify);

  async function show(toast: Toast): Promise<void> {
    if (!Notify) return;
    // The other tabs need not raise it when they take over.
    tabs.raising(toast.id);
    if ((await requestPermission()) !== 'granted') return;
    if (toastsClosed.delete(toast.id)) return;
    const notification = new Notify(toast.title, { body: toast.body, tag: toast.id });
    shown.set(toast.id, notification);
    notification.onclick = () => {
      shown.delete(toast.id);
      window.focus();
      notification.close();
      options.focus(toast.target);
    };
  }

  return {
    notify(toast) {
      if (toastsSeen.has(toast.id)) return;
      remember(toastsSeen, toast.id);
      if (!Notify) return;
      // Another tab alerts, this one only shows the desk; kept a moment in case that tab is closing.
      if (!tabs.alerting()) tabs.hold(toast);
      else void show(toast);
    },
    close(id) {
      tabs.drop(id);
      const notification = shown.get(id);
      if (!notification) {
        // Still waiting for the permission answer: remember not to show it.
        if (toastsSeen.has(id)) remember(toastsClosed, id);
        return;
      }
      shown.delete(id);
      notification.close();
    },
    dispose: () => tabs.close(),
  };
}
