/**
 * Which window alerts the agent: raises notifications and plays the ring (issue 11, point 8: "only
 * one tab raises notifications"; four open tabs raised four toasts per call).
 *
 * The Electron app has one window: it always alerts. In a browser, the web host's tabs elect one
 * with the Web Locks API: the tab that holds the lock {@link ALERTING_LOCK} (held for as long as the
 * tab lives, released by the browser when it closes) alerts; the others show the desk but stay
 * silent, and when the holder closes the next one in line takes over. A browser without Web Locks
 * (or an insecure origin, where `navigator.locks` is absent) lets every tab alert, as before.
 *
 * Read it with {@link isAlertingTab} at the moment of alerting (the ring sound checks it each time
 * it would start), or follow it with {@link onAlertingTab}.
 */

/** The Web Locks lock name the tabs contend for (one per origin, so per web host). */
export const ALERTING_LOCK = 'agent-companion-notifications';

/** The slice of `navigator.locks` used here (injectable for tests). */
export interface LocksLike {
  request(name: string, options: { mode?: 'exclusive'; signal?: AbortSignal }, callback: (lock: unknown) => Promise<unknown>): Promise<unknown>;
}

let alerting = true;
const listeners = new Set<(alerting: boolean) => void>();

function set(next: boolean): void {
  if (next === alerting) return;
  alerting = next;
  for (const listener of [...listeners]) listener(next);
}

/** Whether this window is the one that alerts (true in the Electron window and until an election starts). */
export function isAlertingTab(): boolean {
  return alerting;
}

/** Calls `listener` now and on each change; returns the unsubscribe function. */
export function onAlertingTab(listener: (alerting: boolean) => void): () => void {
  listeners.add(listener);
  listener(alerting);
  return () => void listeners.delete(listener);
}

/**
 * Joins the election: this tab stops alerting until it holds the lock, then alerts until
 * `resign` (the returned function) or until the tab closes.
 * @param locks `navigator.locks` by default; `undefined` (no Web Locks) leaves this tab alerting.
 */
export function electAlertingTab(locks: LocksLike | undefined = globalThis.navigator?.locks as LocksLike | undefined): () => void {
  if (!locks) return () => undefined;
  set(false);
  const controller = new AbortController();
  let release: (() => void) | undefined;
  locks
    .request(ALERTING_LOCK, { mode: 'exclusive', signal: controller.signal }, () => {
      set(true);
      return new Promise<void>((resolve) => (release = resolve));
    })
    .catch(() => undefined);
  return () => {
    controller.abort();
    release?.();
    set(false);
  };
}
