/**
 * The wire's names and numbers, without the schemas: what the window's own code needs of the
 * contract at run time (the method names its client stubs, the web host's socket path and close
 * code). Apart from `preload/bridge.ts` so the window's bundle does not carry zod and the argument
 * schemas, which only the main side checks (the first desk's size budget, issue 19:
 * `npm run bench -- --only=size`). `preload/bridge.ts` re-exports all of it and proves at compile
 * time that {@link DESK_METHOD_NAMES} names exactly the methods of its table (`DESK_METHODS`).
 *
 * No Node, no Electron, no DOM, no package.
 */

/**
 * Every invocation's name, in the order of the method table (`DESK_METHODS`, `preload/bridge.ts`):
 * adding a method to the table without its name here (or the reverse) is a type error there.
 */
export const DESK_METHOD_NAMES = [
  'setPresence',
  'setAccountPresence',
  'answerPrompt',
  'dismissCall',
  'callAction',
  'dial',
  'consult',
  'blindTransfer',
  'transfer',
  'conference',
  'cancelConsult',
  'sendDtmf',
  'setWrapUpReason',
  'openDialLink',
  'confirmDial',
  'cancelDial',
  'chatAction',
  'sendChatMessage',
  'markChatRead',
  'dismissChat',
  'clearEndedChats',
  'markMissedSeen',
  'dismissHistoryNotice',
  'closeCallback',
  'startChat',
  'callJourney',
  'retryAccount',
  'answerPairing',
  'revokeApiClient',
  'getSettings',
  'saveSettings',
  'listDiagnostics',
  'saveDiagnostics',
  'getLanguage',
  'reportLocale',
] as const;

/** The name of an invocation. */
export type DeskMethod = (typeof DESK_METHOD_NAMES)[number];

/** The Electron IPC channel that carries the wire's JSON text, both ways. */
export const WIRE_CHANNEL = 'desk:wire';

/** WebSocket close code for a missing or wrong launch token. */
export const WEB_CLOSE_UNAUTHORIZED = 4401;
/** Path of the web host's bridge socket. */
export const WEB_BRIDGE_PATH = '/bridge';
