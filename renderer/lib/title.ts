/**
 * The window's resting title, composed in one place: "(2) Agent Companion" while missed calls wait
 * to be seen. While a call rings, the ring's title flasher (`ring.ts` `TitleFlasher`) alternates
 * with whatever this wrote, and puts it back after. In the Electron app the window takes the page's
 * title; in the web host it is the tab's.
 */

import { t } from './i18n.js';

/** The product's name, the title's last part (a name: the same in every language). */
export const APP_TITLE = 'Agent Companion';

/** What the resting title says besides the product's name. */
export interface TitleParts {
  /** Missed calls the agent has not seen (0: none shown). */
  missed: number;
}

/** The resting title for these parts. */
export function windowTitle(parts: TitleParts): string {
  return parts.missed > 0 ? t('title.missed', { count: parts.missed, app: APP_TITLE }) : APP_TITLE;
}

/** The least time between two writes of the resting title, ms [I]: a title is glanced at, not read per call. */
export const TITLE_PACE_MS = 1000;

/**
 * Writes the resting title, at most once per `TITLE_PACE_MS`: a change after a quiet second is
 * written at once, changes within the second after a write wait for its end and the last one is
 * written then. Under a flood every missed call changed the count, and each write of
 * `document.title` is a DOM change and a message to the browser (issue 21).
 */
export class RestingTitle {
  #wanted: string | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastWrite = Number.NEGATIVE_INFINITY;

  /** The title the page should rest on now. */
  set(title: string): void {
    this.#wanted = title;
    if (this.#timer !== undefined) return;
    const wait = this.#lastWrite + TITLE_PACE_MS - performance.now();
    if (wait <= 0) this.#write();
    else this.#timer = setTimeout(() => this.#write(), wait);
  }

  /** Drops a pending write (the window goes). */
  dispose(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #write(): void {
    this.#timer = undefined;
    this.#lastWrite = performance.now();
    if (this.#wanted !== undefined && document.title !== this.#wanted) document.title = this.#wanted;
  }
}
