/**
 * What Enreach Voice is called and what it offers the desk, defined once: the platform module
 * (`index.ts`) advertises them, the connector (`connector.ts`) acts on them.
 *
 * Sources: the RTE document (`vendor-docs/enreach-rte-websocket-api.txt`) offers events only; the
 * REST paths the connector uses (VENDOR-NOTES, Enreach section) set availability and close
 * callbacks ([I] for both), and offer no call control, dialling or chat.
 */
import type { Capabilities } from '../../desk/port.js';

/** The platform's display name (an account's default label, and the agent's messages). */
export const ENREACH_NAME = 'Enreach Voice';

/**
 * What Enreach does for the agent. Presence: the states an agent can choose (no wrap-up: the
 * platform starts it after a call, VENDOR-NOTES [C]); mapped to availabilities by
 * `normalize.ts` (`availabilityFor`).
 */
export const ENREACH_CAPABILITIES: Capabilities = {
  presence: ['ready', 'not-ready', 'do-not-disturb', 'offline'],
  dial: false,
  callControl: false,
  chats: false,
  callbacks: true,
  queues: true,
  team: false,
};
