import { untrack } from 'svelte';

/**
 * How often a list out of view takes its newest items, ms [I]: often enough that a screen reader
 * reading it out of view (it stays in the page and the accessibility tree) hears a list at most
 * this old; seldom enough that a list changing tens of times a second costs next to nothing while
 * nobody sees it.
 */
export const OUT_OF_VIEW_REFRESH_MS = 1_000;

/** How far around the window's view a list counts as in view (`IntersectionObserver.rootMargin`). */
export const NEAR_VIEW_MARGIN = '50%';

/**
 * A list that follows its source at once while it is in or near the window's view, and at most
 * once every {@link OUT_OF_VIEW_REFRESH_MS} while it is out of view. Scrolling it into view (by
 * hand, by Tab, by find-in-page) brings it up to date before it shows.
 *
 * Why (issue 21): a virtual list (virtua) measures each row again whenever its index changes
 * (`ListItem` unobserves and observes it again, and its `ResizeObserver` reads `offsetParent`,
 * which lays out the row). In the call history every ended call goes to the head, so every
 * mounted row's index changes with each one: at ~40 calls a second in the bench, ~9 rows were
 * measured 40 times a second, each forcing a layout, while the history sat well below a
 * tray-sized window's fold. The section's own title and counts stay live; only its rows wait.
 *
 * Create it during a component's initialisation (it owns an effect); hand {@link watch} to the
 * element that holds the list (`use:`).
 */
export class OutOfViewPace<T> {
  /** Whether the list is in or near the window's view: it follows its source at once. */
  inView = $state(true);
  /** The items as last taken while out of view; `undefined` while in view. */
  #taken = $state.raw<T | undefined>(undefined);
  readonly #source: () => T;

  /** The items to show: the source's while in view, else those last taken. */
  readonly current: T = $derived.by(() => (this.inView || this.#taken === undefined ? this.#source() : this.#taken));

  /**
   * @param source the list (read on every change while in view, every `everyMs` otherwise)
   * @param everyMs how often the list is taken while out of view, ms
   */
  constructor(source: () => T, everyMs = OUT_OF_VIEW_REFRESH_MS) {
    this.#source = source;
    $effect(() => {
      if (this.inView) {
        this.#taken = undefined;
        return;
      }
      this.#taken = untrack(this.#source);
      const timer = setInterval(() => (this.#taken = untrack(this.#source)), everyMs);
      return () => clearInterval(timer);
    });
  }

  /** Takes the source now when out of view (the agent acts on the list: moving the focus to a row in it). */
  catchUp(): void {
    if (!this.inView) this.#taken = untrack(this.#source);
  }

  /**
   * Follows whether `element` is in or near the window's view (an `IntersectionObserver` with
   * {@link NEAR_VIEW_MARGIN} around the view, so the list has caught up before it scrolls in).
   * Not the browser's own `content-visibility: auto` (`Section.svelte`): it keeps a section
   * rendered within about one and a half views of the fold, which in a tray-sized window is where
   * the history sits while calls come and go above it.
   */
  readonly watch = (element: HTMLElement): { destroy(): void } => {
    const observer = new IntersectionObserver(
      (entries) => {
        const last = entries.at(-1);
        if (last) this.inView = last.isIntersecting;
      },
      { rootMargin: NEAR_VIEW_MARGIN },
    );
    observer.observe(element);
    return {
      destroy: () => {
        observer.disconnect();
        this.inView = true;
      },
    };
  };
}
