/**
 * Which of the web host's tabs raises the toasts, and the hand-over between them: the tabs elect
 * one with Web Locks (`lib/alerting-tab.ts`); the others keep each toast a moment
 * ({@link HANDOVER_MS}), and the tab that takes over (the alerting one closed) raises what arrived
 * meanwhile, except what the old one said it raised (a `BroadcastChannel` carries those ids).
 */
import type { Toast } from '../../preload/bridge.js';
import { ALERTING_LOCK, electAlertingTab, isAlertingTab, onAlertingTab, type LocksLike } from '../lib/alerting-tab.js';

/**
 * How long a tab that does not alert keeps a toast, ms: when the alerting tab closes, the tab that
 * takes over raises what arrived meanwhile (a call that rang as the other tab closed) [I].
 */
const HANDOVER_MS = 5_000;

/** This tab's part in the election. */
export interface AlertingTabs {
  /** Whether this tab raises toasts now. */
  alerting(): boolean;
  /** A toast another tab should raise: kept for a hand-over (unless that tab said it raised it). */
  hold(toast: Toast): void;
  /** This tab raises the toast `id`: the other tabs need not when they take over. */
  raising(id: string): void;
  /** The toast `id` closed: no hand-over raises it. */
  drop(id: string): void;
  /** Leaves the election (page teardown). */
  close(): void;
}

/**
 * Joins the election. `raise` gets the toasts held back when this tab takes over.
 * @param locks `navigator.locks` when undefined; `null` for none (every tab alerts, no hand-over).
 */
export function joinAlertingTabs(locks: LocksLike | null | undefined, raise: (toast: Toast) => void): AlertingTabs {
  /** Toasts another tab should have raised, by id, for a hand-over. */
  const heldBack = new Map<string, { toast: Toast; at: number }>();
  /** Ids the alerting tab says it raised (lately), so a hand-over does not raise them twice. */
  const shownElsewhere = new Set<string>();
  const channel = typeof BroadcastChannel === 'function' && locks !== null ? new BroadcastChannel(ALERTING_LOCK) : undefined;
  channel?.addEventListener('message', (event: MessageEvent) => {
    const id = (event.data as { shown?: unknown } | null)?.shown;
    if (typeof id !== 'string') return;
    heldBack.delete(id);
    shownElsewhere.add(id);
    if (shownElsewhere.size > 256) shownElsewhere.delete(shownElsewhere.values().next().value!);
  });
  const resign = locks === null ? () => undefined : electAlertingTab(locks);
  const stopFollowing = onAlertingTab((alerting) => {
    if (!alerting) return;
    const since = Date.now() - HANDOVER_MS;
    for (const { toast, at } of heldBack.values()) if (at >= since) raise(toast);
    heldBack.clear();
  });

  return {
    alerting: isAlertingTab,
    hold(toast) {
      const now = Date.now();
      for (const [id, held] of heldBack) if (held.at < now - HANDOVER_MS) heldBack.delete(id);
      if (!shownElsewhere.has(toast.id)) heldBack.set(toast.id, { toast, at: now });
    },
    raising: (id) => channel?.postMessage({ shown: id }),
    drop: (id) => void heldBack.delete(id),
    close() {
      stopFollowing();
      resign();
      channel?.close();
    },
  };
}
