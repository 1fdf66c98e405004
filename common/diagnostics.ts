import type { MessageKey } from './i18n.js';

/**
 * "Save diagnostics…" as the window sees it (issue 22, point 2): the files the bundle will hold,
 * listed before the agent saves it, and what became of the save. The main side makes the bundle
 * (`main/diagnostics/`); nothing is sent anywhere.
 */

/** One file of the bundle. */
export type DiagnosticsFile = {
  /** Its name in the zip (`logs/agent-companion.2026-12-05.1.log`). */
  name: string;
  /** Size before compression, bytes. */
  bytes: number;
  /** What it holds, in words (English, as README.txt says it). */
  what: string;
  /**
   * The same in the agent's language: a message code (`diagnostics.file.*`, common/locales) with its
   * parameters (`modified`: ms since the epoch), said by the window with `tSaid` (issue 19).
   */
  said: { key: MessageKey; values?: { readonly [name: string]: string | number } };
};

/** What the agent sees before saving. */
export type DiagnosticsListing = {
  /** The name the zip is offered under. */
  fileName: string;
  files: DiagnosticsFile[];
};

/**
 * What became of a save: the desktop app wrote the file where the agent chose (`saved`) or the
 * agent cancelled its save dialog; the web host hands the zip to the page, which offers it as a
 * download (`download`, base64).
 */
export type DiagnosticsSaved = { kind: 'saved'; path: string } | { kind: 'cancelled' } | { kind: 'download'; fileName: string; base64: string };
