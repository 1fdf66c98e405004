/**
 * The window title, composed in one place from its parts so that every feature that marks the
 * title (missed calls, a ringing call) shares it: "(2) Agent Companion", "Ringing: +358… — (2) Agent
 * Companion". In the Electron app the window takes the page's title; in the web host it is the tab's.
 */

/** The product's name, the title's last part. */
export const APP_TITLE = 'Agent Companion';

/** What the title says besides the product's name. */
export interface TitleParts {
  /** Missed calls the agent has not seen (0: none shown). */
  missed: number;
  /** What rings, when something does (e.g. the caller): shown first. */
  ringing?: string | undefined;
}

/** The title for these parts. */
export function windowTitle(parts: TitleParts): string {
  const missed = parts.missed > 0 ? `(${parts.missed}) ` : '';
  const ringing = parts.ringing ? `Ringing: ${parts.ringing} — ` : '';
  return `${ringing}${missed}${APP_TITLE}`;
}
