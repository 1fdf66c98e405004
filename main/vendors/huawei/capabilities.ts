/**
 * What Huawei CEC is called and what it offers the desk, defined once: the platform module
 * (`index.ts`) advertises them, the connector (`connector.ts`) acts on them.
 *
 * Sources: VENDOR-NOTES.md, Huawei section [C]: CC-Messaging's click-to-dial places a call
 * (`createClickToCall`), reports its progress (`getClickToCallEvents`) and releases it
 * (`dropClickToCall`); the media itself is the CEC client's (WebRTC to the access code). No
 * presence, no chats, queues or callbacks through these operations.
 */
import type { Said } from '../../../common/model.js';
import type { Capabilities } from '../../desk/port.js';

/** The platform's display name (an account's default label, and the agent's messages). */
export const HUAWEI_NAME = 'Huawei CEC';

/**
 * What CEC does for the agent: it places calls (dial) and hangs them up (the only call control:
 * each call the connector places carries `actions: ['hangup']`). Presence is read-only (none).
 */
export const HUAWEI_CAPABILITIES: Capabilities = {
  presence: [],
  dial: true,
  callControl: true,
  chats: false,
  callbacks: false,
  queues: false,
  team: false,
};

/** What the window says CEC leaves to another tool. */
export const HUAWEI_NOTICE: Said = { key: 'accounts.notice.audio-elsewhere', values: { tool: 'CEC' } };
