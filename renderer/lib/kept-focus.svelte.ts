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
}
