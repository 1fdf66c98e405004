/**
 * What OpenMethods UCCX is called and what it offers the desk, defined once: the platform module
 * (`index.ts`) advertises them, the connector (`connector.ts`) acts on them, narrowed by what the
 * server's `getCapabilities` allows (document, "getCapabilities"). Call work (consult, transfers,
 * conference, DTMF, wrap-up reasons): VENDOR-NOTES.md, "Call work beyond answer and hang-up" — the
 * public wiki names transfer, conference and DTMF among conversation actions [C]; the commands and
 * capability keys are [I].
 */
import { CALL_WORK_ACTIONS, type PresenceState } from '../../../common/model.js';
import type { Capabilities } from '../../desk/port.js';

/** The platform's display name. */
export const OPENMETHODS_NAME = 'OpenMethods UCCX';

/** The presence states the desk may set on UCCX (through `session.changeState`, [I]). */
export const OPENMETHODS_PRESENCE: readonly PresenceState[] = ['ready', 'not-ready', 'wrap-up', 'offline'];

/** What the platform can do for the desk (the actions themselves are then narrowed by `getCapabilities`). */
export const OPENMETHODS_CAPABILITIES: Capabilities = {
  presence: OPENMETHODS_PRESENCE,
  dial: true,
  callControl: true,
  chats: false,
  callbacks: false,
  queues: false,
  team: true,
  callJourneys: true,
  callWork: CALL_WORK_ACTIONS,
};
