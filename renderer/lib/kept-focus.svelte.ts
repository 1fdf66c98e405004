import { tick } from 'svelte';

/**
 * How many frames {@link KeptFocus.focusRow} waits at most for a row to be measured and shown: a
 * bound for a list that is not laid out (its rows are never measured), far beyond the one or two
 * frames virtua takes (it measures a row in the frame after the row enters the page) and the few
 * more a busy window may take to settle the scroll; a row that shows stops the wait at once.
 */
const FRAMES_TO_MEASURE = 120;

/** Resolves at the next animation frame, after Svelte's updates of this one. */
async function nextFrame(): Promise<void> {
  await new Promise((resolve) => requestAnimationFrame(resolve));
  await tick();
}

/** The CSS selector of a virtual list's row for `key` (its item element: `[role="listitem"][data-key]`). */
function rowOf(key: string): string {
  return `[role="listitem"][data-key="${CSS.escape(key)}"]`;
}

/**
 * The row holding the focus in a virtual list (only the rows in view are in the page, issue 21):
 * kept mounted while it holds the focus, so the focus stays on it however far the list scrolls or
 * rows above it come and go; and the row {@link focusRow} moves the focus to, kept mounted until it
 * holds it. A list hands `onfocusin`/`onfocusout` to its scrolling element and `mounted` to
 * virtua's `keepMounted`; its items are `[role="listitem"][data-key]`.
 */
export class KeptFocus<T extends { key: string }> {
  /** The key of the row that holds the focus, if any. */
  key = $state<string | undefined>(undefined);
  /** The key of the row {@link focusRow} is moving the focus to, until the focus is there or the move is given up. */
  #wanted = $state<string | undefined>(undefined);
  readonly #items: () => readonly T[];

  /** @param items the list's items, in the order shown (read on every change of the list). */
  constructor(items: () => readonly T[]) {
    this.#items = items;
  }

  /**
   * The indexes of the rows to keep in the page (virtua's `keepMounted`), or `undefined`: the row
   * holding the focus and the row the focus is moving to. Both, so the row holding the focus stays
   * in the page until the other takes the focus: virtua's rows in view lag a scroll by a frame, and
   * a row leaving the page with the focus drops it to the page's body.
   */
  readonly mounted = $derived.by((): number[] | undefined => {
    const held = this.key;
    const wanted = this.#wanted;
    if (held === undefined && wanted === undefined) return undefined;
    const indexes: number[] = [];
    this.#items().forEach((item, index) => {
      if (item.key === held || item.key === wanted) indexes.push(index);
    });
    return indexes.length ? indexes : undefined;
  });

  readonly onfocusin = (event: FocusEvent): void => {
    this.key = (event.target as HTMLElement).closest<HTMLElement>('[role="listitem"][data-key]')?.dataset.key;
  };

  readonly onfocusout = (event: FocusEvent): void => {
    const to = event.relatedTarget as Node | null;
    if (!to || !(event.currentTarget as HTMLElement).contains(to)) this.key = undefined;
  };

  /**
   * Moves the focus to the row of `key`, however far out of view it is: the row is kept mounted, so
   * after one update it is in the page (at its place in the list), hidden until virtua has measured
   * it (a frame or two later); then it takes the focus and the list scrolls it into view. Until then
   * the focus stays where it was (the row holding it stays in the page). The wait ends when the
   * focus is there, or when it cannot be: the item left the list, the row shows but has nothing to
   * focus, another move was asked for, or the focus went elsewhere meanwhile (the agent moved it);
   * and at the latest after {@link FRAMES_TO_MEASURE} frames (a list not laid out: said on the console).
   * @param list the list's scrolling element (the one given `onfocusin`/`onfocusout`).
   * @param control a CSS selector of the control in the row to focus (default: the row itself).
   * @returns whether the focus is there (false: no such row in the list, nothing to focus in it, or
   *   the move was given up as above).
   */
  async focusRow(list: HTMLElement, key: string, control?: string): Promise<boolean> {
    if (!this.#items().some((item) => item.key === key)) return false;
    this.#wanted = key;
    const from = document.activeElement;
    let focused = false;
    let target: HTMLElement | null | undefined;
    let frame = 0;
    for (; frame <= FRAMES_TO_MEASURE; frame++) {
      await (frame === 0 ? tick() : nextFrame());
      if (this.#wanted !== key || !this.#items().some((item) => item.key === key)) break;
      const now = document.activeElement;
      if (now !== from && now !== document.body && now !== null) break;
      const row = list.querySelector<HTMLElement>(rowOf(key));
      target = control ? row?.querySelector<HTMLElement>(control) : row;
      target?.focus({ preventScroll: true });
      focused = target != null && document.activeElement === target;
      // A row virtua has not measured yet is hidden, so it cannot take the focus: wait for the frame that measures it.
      if (focused || (row && getComputedStyle(row).visibility !== 'hidden')) break;
    }
    if (this.#wanted === key) {
      this.#wanted = undefined;
      if (!focused && frame > FRAMES_TO_MEASURE) console.warn(`Agent Companion: a list's row was not shown within ${FRAMES_TO_MEASURE} frames; the focus stays where it was`);
    }
    if (focused) target!.scrollIntoView({ block: 'nearest' });
    return focused;
  }
}

/**
 * Where a key moves the focus in a list of `count` rows from row `at` (0-based): ArrowDown and
 * ArrowUp a row, PageDown and PageUp `page` rows, Home and End to either end, kept within the list;
 * `undefined` for any other key. As a listbox's keys (WAI-ARIA APG, "Keyboard Interaction") `[I]`.
 */
export function rowAfterKey(key: string, at: number, count: number, page: number): number | undefined {
  const moves: ReadonlyArray<readonly [string, number]> = [
    ['ArrowDown', at + 1],
    ['ArrowUp', at - 1],
    ['PageDown', at + page],
    ['PageUp', at - page],
    ['Home', 0],
    ['End', count - 1],
  ];
  const to = moves.find(([name]) => name === key)?.[1];
  return to === undefined ? undefined : Math.max(0, Math.min(count - 1, to));
}
