import { tick } from 'svelte';

/** How many frames {@link KeptFocus.focusRow} gives a row to be measured and shown before it gives up. */
const FRAMES_TO_MEASURE = 4;

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
 * rows above it come and go. A list hands `onfocusin`/`onfocusout` to its scrolling element and
 * `mounted` to virtua's `keepMounted`; its items are `[role="listitem"][data-key]`.
 */
export class KeptFocus<T extends { key: string }> {
  /** The key of the row that holds the focus, if any. */
  key = $state<string | undefined>(undefined);
  readonly #items: () => readonly T[];

  /** @param items the list's items, in the order shown (read on every change of the list). */
  constructor(items: () => readonly T[]) {
    this.#items = items;
  }

  /** The index of the row to keep in the page (virtua's `keepMounted`), or `undefined`. */
  readonly mounted = $derived.by((): number[] | undefined => {
    if (this.key === undefined) return undefined;
    const index = this.#items().findIndex((item) => item.key === this.key);
    return index < 0 ? undefined : [index];
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
   * after one update it is in the page (at its place in the list), and the list scrolls it into view.
   * @param list the list's scrolling element (the one given `onfocusin`/`onfocusout`).
   * @param control a CSS selector of the control in the row to focus (default: the row itself).
   * @returns whether the focus is there (false: no such row in the list, or nothing to focus in it).
   */
  async focusRow(list: HTMLElement, key: string, control?: string): Promise<boolean> {
    if (!this.#items().some((item) => item.key === key)) return false;
    this.key = key;
    let target: HTMLElement | null | undefined;
    let focused = false;
    // A row virtua has not measured yet is hidden (so it cannot take the focus) until the frame that measures it.
    for (let attempt = 0; attempt < FRAMES_TO_MEASURE && !focused && this.key === key; attempt++) {
      await (attempt === 0 ? tick() : nextFrame());
      const row = list.querySelector<HTMLElement>(rowOf(key));
      target = control ? row?.querySelector<HTMLElement>(control) : row;
      target?.focus({ preventScroll: true });
      focused = target != null && document.activeElement === target;
    }
    if (focused) target!.scrollIntoView({ block: 'nearest' });
    else if (this.key === key && !list.contains(document.activeElement)) this.key = undefined;
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
