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
