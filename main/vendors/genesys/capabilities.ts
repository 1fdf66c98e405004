/**
 * What the desk can do with a Genesys account, in one place: the module advertises it
 * (`./index.ts`), the connector refuses the rest (`./connector.ts`).
 *
 * Source: VENDOR-NOTES.md, Genesys — "Operations" [C]: voice and chat states Ready / NotReady /
 * AfterCallWork, call control (Answer, Hangup, Hold, Retrieve), `Dial` on the agent's device, chat
 * operations; call work (VENDOR-NOTES, "Call work beyond answer and hang-up": consult, transfers,
 * conference, DTMF, dispositions as attached data — ./call-work.ts). The WWE API v2 notes name no
 * callback or queue resources, nor colleagues' states.
 */
import type { PresenceState } from '../../../common/model.js';
import type { Capabilities } from '../../desk/port.js';
import { GENESYS_CALL_WORK } from './call-work.js';

/** Presence states a Genesys agent can choose: Ready, NotReady, AfterCallWork [C: operations]. */
export const GENESYS_PRESENCE_OPTIONS: readonly PresenceState[] = ['ready', 'not-ready', 'wrap-up'];

/** The Genesys platform's capabilities. */
export const GENESYS_CAPABILITIES: Capabilities = {
  presence: GENESYS_PRESENCE_OPTIONS,
  dial: true,
  callControl: true,
  chats: true,
  callbacks: false,
  queues: false,
  team: false,
  callWork: GENESYS_CALL_WORK,
};
