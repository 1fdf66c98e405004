/**
 * Closing a callback, undoable for a few seconds (issue 11, point 7: "a closed callback can be undone
 * for a few seconds").
 *
 * Where the delay lives: here, in the window. The close command reaches the platform only once the
 * undo window has passed; until then the callback is only hidden. A reload of the window during those
 * seconds forgets the close, so the callback shows again and nothing is closed that the agent might
 * have taken back — the safe way to fail. A deferral in the core would survive a reload, but the core
 * would then hold a per-window undo state that every window (several web-host tabs) would have to
 * share and cancel; the renderer is the simpler owner. It lives in this module, not in the list, so
 * leaving the desk for the settings screen does not cancel a close under way.
 */
import type { DeskModel } from './desk.svelte.js';
import { t } from './i18n.js';

/** How long a closed callback can be taken back, ms. */
export const UNDO_MS = 6_000;

/** `undo`: hidden, the Undo row shows; `sending`: the close is on its way to the platform. */
export type PendingPhase = 'undo' | 'sending';

class PendingCloses {
  /** The callbacks being closed, by desk key. */
  phases = $state<Record<string, PendingPhase>>({});
  #timers = new Map<string, ReturnType<typeof setTimeout>>();

  /**
   * Hides the callback and sends the close after {@link UNDO_MS} unless undone.
   * @param onhidden called when the undo window passes and the Undo row goes (the focus it held moves on).
   */
  close(desk: DeskModel, key: string, onhidden?: () => void, ms = UNDO_MS): void {
    if (this.phases[key]) return;
    this.phases[key] = 'undo';
    this.#timers.set(
      key,
      setTimeout(() => {
        this.#timers.delete(key);
        this.phases[key] = 'sending';
        onhidden?.();
        void desk
          .run(t('callbacks.close-failed'), (api) => (desk.state?.callbacks[key] ? api.closeCallback(key) : Promise.resolve()))
          .then((ok) => {
            // Closed: the platform's update takes it off the desk; `settle` forgets it then.
            // Refused: it shows again, the reason on the status line.
            if (!ok) delete this.phases[key];
          });
      }, ms),
    );
  }

  /** Takes a close back while it waits. @returns whether there was one to take back. */
  undo(key: string): boolean {
    const timer = this.#timers.get(key);
    if (!timer) return false;
    clearTimeout(timer);
    this.#timers.delete(key);
    delete this.phases[key];
    return true;
  }

  /** Forgets the closes of callbacks no longer on the desk (closed, here or elsewhere). */
  settle(present: (key: string) => boolean): void {
    for (const key of Object.keys(this.phases)) {
      if (present(key)) continue;
      const timer = this.#timers.get(key);
      if (timer) clearTimeout(timer);
      this.#timers.delete(key);
      delete this.phases[key];
    }
  }
}

/** The window's callbacks being closed. */
export const pendingCloses = new PendingCloses();
