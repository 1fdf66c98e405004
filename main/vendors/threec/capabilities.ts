/**
 * What NEC UNIVERGE 3C is called and what it offers the desk, defined once: the platform module
 * (`index.ts`) advertises them, the connector (`connector.ts`) acts on them.
 *
 * Source: the document (`vendor-docs/3c-event-adapter.txt`) lists monitoring commands and
 * `sendText` only — no command to set one's own presence (VENDOR-NOTES [C]) and no call control
 * (answer, hang up, hold, dial).
 */
import type { Said } from '../../../common/model.js';
import type { Capabilities } from '../../desk/port.js';

/** The platform's display name (an account's default label, and the agent's messages). */
export const THREEC_NAME = 'NEC UNIVERGE 3C';

/**
 * Presence: none settable (read-only here). Calls: shown, not controlled. Chats: instant messages
 * with colleagues. Team: watched colleagues' presence and busy lamps.
 */
export const THREEC_CAPABILITIES: Capabilities = {
  presence: [],
  dial: false,
  callControl: false,
  chats: true,
  callbacks: false,
  queues: false,
  team: true,
};

/** What the window (and the tray) says the agent does elsewhere. */
export const THREEC_NOTICE: Said = { key: 'accounts.notice.presence-elsewhere', values: { tool: '3C' } };
