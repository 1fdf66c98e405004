/**
 * The local automation API as the window sees it (issue 20): whether it listens and where, the
 * apps that asked to pair and wait for the agent's answer, the apps paired (never their tokens),
 * and the last commands they sent. The core (`main/api/`) puts it on the desk
 * (`DeskState.automation`); the window renders it, and answers with the contract's
 * `answerPairing` and `revokeApiClient`.
 *
 * Codes, not sentences (ARCHITECTURE.md, principle 11): scopes, commands and results travel as
 * codes and the window words them; a platform's own refusal text (`ApiAction.detail`) is shown as sent.
 *
 * In `common/`: plain data, nothing outside `common/` is imported (a lint rule).
 */

/**
 * What an app may do through the API, each granted by the agent at pairing (or by an
 * administrator's `automation.clients`):
 * - `read`: see the agent's calls, chats, callbacks and presence (the snapshot and the event stream);
 * - `calls`: dial, answer, hang up, hold and retrieve calls;
 * - `presence`: change the agent's presence;
 * - `chats`: send messages in the agent's chats.
 */
export const API_SCOPES = ['read', 'calls', 'presence', 'chats'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** The commands an app can send, as the audit list names them. */
export const API_COMMANDS = ['dial', 'answer', 'hangup', 'hold', 'retrieve', 'presence', 'chat-message'] as const;
export type ApiCommand = (typeof API_COMMANDS)[number];

/** An app asking to pair, waiting for the agent's Allow or Deny. */
export type PairingRequest = {
  /** The request's id (random; the app polls it). */
  id: string;
  /** The name the app gave itself, as sent (at most 60 characters). */
  name: string;
  /**
   * The web page's origin (`https://crm.example.com`), as the browser sent it in the `Origin`
   * header (a page cannot forge it); absent for an app that is not a web page.
   */
  origin?: string;
  scopes: ApiScope[];
  /** The app already paired under this name and origin: allowing replaces that access. */
  replaces?: boolean;
  /** ISO time the request arrived. */
  at: string;
  /** ISO time it expires unanswered. */
  expiresAt: string;
};

/** A paired app, as the settings screen lists it. */
export type ApiClientInfo = {
  id: string;
  name: string;
  origin?: string;
  scopes: ApiScope[];
  /** ISO time it was paired (for a managed app: when this run started). */
  createdAt: string;
  /** ISO time of its last request, when it made one. */
  lastUsedAt?: string;
  /** Set by an administrator (`automation.clients`): it cannot be revoked here. */
  managed: boolean;
};

/** One command an app sent, for the "Recent API actions" list (newest first). */
export type ApiAction = {
  /** ISO time. */
  at: string;
  /** The app's name. */
  client: string;
  command: ApiCommand;
  /** The account it acted on, when one was chosen. */
  accountId?: string;
  /** `done`: carried out; `refused`: not allowed or not possible now; `failed`: the platform said no. */
  result: 'done' | 'refused' | 'failed';
  /** Why it was refused or failed, in the words the app received. */
  detail?: string;
};

/** The automation API on the desk. */
export type AutomationView = {
  /** Where apps reach it, e.g. `http://127.0.0.1:17123/api/v1`. */
  url: string;
  /** False while it is not listening (starting, or the port was taken: `problem` says so). */
  listening: boolean;
  /** Why it is not listening, or what in its settings could not be used, in words for the agent and the admin. */
  problems: string[];
  /** Whether apps may ask to pair (an administrator may forbid it: `automation.pairing: false`). */
  pairing: boolean;
  /** Apps waiting for the agent's answer, oldest first. */
  requests: PairingRequest[];
  /** Paired apps, in the order they were paired. */
  clients: ApiClientInfo[];
  /** The last commands apps sent, newest first (at most {@link API_ACTIONS_KEPT}). */
  actions: ApiAction[];
};

/** How many recent commands the desk shows. */
export const API_ACTIONS_KEPT = 20;
