/**
 * The one contract between the core (main process or web host) and the renderer.
 *
 * - {@link DESK_METHODS} is the table of what the renderer may ask: each method's argument schema
 *   (checked on the main side, which is authoritative) and the type of its answer. {@link DeskApi}
 *   (what the renderer sees as `window.desk`), the main side's handlers and both client stubs
 *   (the Electron preload's and the web bridge's) are all derived from it.
 * - Changes are pushed as {@link DeskChange}s: a full state first, then patches holding only the
 *   entities whose identity changed (the store keeps unchanged entities by reference). The core's
 *   diff is `main/desk/patch.ts`; the patch's shape and the window's apply are `common/patch.ts`.
 * - One wire (ARCHITECTURE.md, principle 8): every message is JSON text, {@link ClientMessage} one
 *   way and {@link ServerMessage} the other, encoded once by the hub. Electron IPC and the web
 *   host's WebSocket carry the same text, and `preload/client.ts` decodes it for both.
 *
 * It is built on `common/` (the desk's vocabulary, the patch's shape, the settings the window
 * edits), whose types and wire values it re-exports, and imports nothing from `main/` (a lint rule):
 * the window type-checks this file, and `main/` would bring Node with it. The main side imports it
 * for the wire only: the hub (`main/bridge.ts`) for the method table and message types, the hosts
 * (`main/shell/ipc.ts`, `main/web.ts`) for the channel name, the socket path and the hello.
 *
 * No Node, no Electron, no DOM, so main, preload and renderer all import it.
 */
import { z } from 'zod';
import {
  CALL_ACTIONS,
  CHAT_COMMANDS,
  PRESENCE_STATES,
  type CallJourney,
  type Json,
  type JsonOnly,
  type ShowRequest,
  type Toast,
} from '../common/model.js';
import { DIALABLE, DTMF } from '../common/dial.js';
import type { DeskChange } from '../common/patch.js';
import type { SettingsDocument, SettingsView, WindowLanguage } from '../common/settings.js';
import type { DiagnosticsListing, DiagnosticsSaved } from '../common/diagnostics.js';
import { LOCALES } from '../common/locales.js';
import { DESK_METHOD_NAMES, type DeskMethod } from './wire.js';

export { DESK_METHOD_NAMES, WEB_BRIDGE_PATH, WEB_CLOSE_UNAUTHORIZED, WIRE_CHANNEL, type DeskMethod } from './wire.js';

export type * from '../common/model.js';
export type * from '../common/automation.js';
export type { ChatUpsert, DeskChange, DeskPatch, RecentCallsDelta, SliceName, SlicePatch, Upsert } from '../common/patch.js';
export type * from '../common/settings.js';
export type * from '../common/diagnostics.js';
export { SECRET_KEPT, THEMES } from '../common/settings.js';

declare const resultType: unique symbol;
/** Marks the type a method answers with (a compile-time tag; nothing at run time). */
type Returns<T extends Json> = { readonly [resultType]?: T };
const returns = <T extends Json>(): Returns<T> => ({});

const key = z.string().min(3).max(300);
const accountId = z.string().min(1).max(40);
const presence = z.enum(PRESENCE_STATES);
const reasonCode = z.string().min(1).max(100);
/** A number to call or transfer to: the one dialable-number rule (`common/dial.ts`). */
const dialable = z.string().trim().regex(DIALABLE, 'is not a dialable number');
/** Touch-tone digits: 1–32 of `0-9 * # A-D` (`common/dial.ts`); lower-case a–d are taken as A–D. */
const dtmf = z.string().trim().toUpperCase().regex(DTMF, 'must be 1–32 of the keys 0–9, *, # and A–D');
/** A settings document: its own schema is checked by the settings store, which names every bad field. */
const settingsDocument = z.custom<SettingsDocument>((value) => typeof value === 'object' && value !== null && !Array.isArray(value), 'must be an object');

/**
 * Every invocation the renderer may make: its argument tuple (anything else is refused before it
 * reaches the desk) and, where it answers with a value, that value's type. Every method rejects
 * with an Error whose message is written for the agent.
 */
export const DESK_METHODS = {
  /** Sets the agent's presence on every account that accepts the state, with a reason code if given. */
  setPresence: { args: z.tuple([presence, reasonCode.optional()]) },
  /** Sets the presence on one account only, with one of its reason codes if given. */
  setAccountPresence: { args: z.tuple([accountId, presence, reasonCode.optional()]) },
  /** Answers an account's prompt (`Account.prompt`) with one of its choices. */
  answerPrompt: { args: z.tuple([accountId, z.string().min(1).max(100), z.string().min(1).max(100)]) },
  /** Puts away a call its platform no longer confirms (`Call.stale`). */
  dismissCall: { args: z.tuple([key]) },
  /** Answers, hangs up, holds or retrieves a call (by desk key). */
  callAction: { args: z.tuple([key, z.enum(CALL_ACTIONS)]) },
  /** Click-to-dial on the given account: digits, `*`, `#`, an optional leading `+`. */
  dial: { args: z.tuple([accountId, dialable]) },
  /**
   * Starts a consultation from a connected call (by desk key) to a number, for a `transfer` or a
   * `conference`: the call goes on hold, the consultation leg appears as a call of its own.
   */
  consult: { args: z.tuple([key, dialable, z.enum(['transfer', 'conference'])]) },
  /** Puts a call (by desk key) through to a number at once: a single-step ("blind") transfer. */
  blindTransfer: { args: z.tuple([key, dialable]) },
  /** Completes the consultation a call (either leg) takes part in as a transfer: the caller goes to the consulted party. */
  transfer: { args: z.tuple([key]) },
  /** Completes the consultation a call (either leg) takes part in as a conference of the three. */
  conference: { args: z.tuple([key]) },
  /** Ends the consultation a call (either leg) takes part in and takes the held caller back. */
  cancelConsult: { args: z.tuple([key]) },
  /** Sends touch-tone digits (DTMF) on a call: 1–32 of `0-9 * # A-D`. */
  sendDtmf: { args: z.tuple([key, dtmf]) },
  /** Gives the call in an account's wrap-up one of the account's wrap-up reasons (by code). */
  setWrapUpReason: { args: z.tuple([accountId, reasonCode]) },
  /**
   * A `tel:`/`callto:` link reached this desk (the web host's protocol handler page relays it):
   * it becomes the pending dial the agent confirms; nothing is dialled yet.
   */
  openDialLink: { args: z.tuple([z.string().min(1).max(2048)]) },
  /** The agent confirmed the pending dial (by its id) from an account; `remember` keeps the choice. */
  confirmDial: { args: z.tuple([z.string().min(1).max(100), accountId, z.boolean()]) },
  /** The agent cancelled the pending dial (by its id). */
  cancelDial: { args: z.tuple([z.string().min(1).max(100)]) },
  /** Accepts, rejects, completes or leaves a chat (by desk key). */
  chatAction: { args: z.tuple([key, z.enum(CHAT_COMMANDS)]) },
  /** Sends a reply; the text is 1–4000 characters. */
  sendChatMessage: { args: z.tuple([key, z.string().trim().min(1, 'is empty').max(4000, 'is longer than 4000 characters')]) },
  /** The agent looked at a chat: its unread count goes to zero. */
  markChatRead: { args: z.tuple([key]) },
  /** Puts an ended chat away. */
  dismissChat: { args: z.tuple([key]) },
  /** Takes every ended chat off the desk now (they leave by themselves 15 minutes after they ended). */
  clearEndedChats: { args: z.tuple([]) },
  /** The agent looked at the call history: no missed call counts as unseen any more (tray badge, title). */
  markMissedSeen: { args: z.tuple([]) },
  /** The agent read the notice that the kept call history could not be read (`DeskState.historyNotice`): it goes away. */
  dismissHistoryNotice: { args: z.tuple([]) },
  /** Closes a callback request. */
  closeCallback: { args: z.tuple([key]) },
  /** Starts an instant-message conversation with a team member (by desk key). */
  startChat: { args: z.tuple([key]) },
  /** The journey of a live or recent call (by desk key): the devices it went through. */
  callJourney: { args: z.tuple([key]), returns: returns<CallJourney>() },
  /** Asks a failed account to connect again. */
  retryAccount: { args: z.tuple([accountId]) },
  /** The agent allowed (`true`) or denied an app's request to use the automation API (`DeskState.automation.requests`, by id). */
  answerPairing: { args: z.tuple([z.string().min(1).max(100), z.boolean()]) },
  /** The agent revoked a paired app (by its id): its token fails from now on, its event streams end. */
  revokeApiClient: { args: z.tuple([z.string().min(1).max(100)]) },
  /** The settings, secrets masked, with the fields each platform's account takes. */
  getSettings: { args: z.tuple([]), returns: returns<SettingsView>() },
  /**
   * Validates and stores new settings, then applies them (the desktop app restarts its connections).
   * A secret field holds the new value as a string, or {@link SECRET_KEPT} to keep the stored one.
   * Rejects with one line per problem, each starting with the field path (`accounts[0].user: …`),
   * or when the settings are managed elsewhere (`editable: false`).
   */
  saveSettings: { args: z.tuple([settingsDocument]) },
  /** The files "Save diagnostics…" would put in its zip, for the agent to see before saving (issue 22). */
  listDiagnostics: { args: z.tuple([]), returns: returns<DiagnosticsListing>() },
  /**
   * Makes the diagnostics zip and saves it: the desktop app asks where (its save dialog), the web
   * host hands it back for the page to offer as a download. Never sent anywhere.
   */
  saveDiagnostics: { args: z.tuple([]), returns: returns<DiagnosticsSaved>() },
  /**
   * What the window chooses its language from (issue 19): `display.language` and the system's
   * preferred languages as the host knows them (the desktop app: the OS's; the web host: none).
   */
  getLanguage: { args: z.tuple([]), returns: returns<WindowLanguage>() },
  /** The window shows this locale now (its first render, every switch): the host's own words may follow it. */
  reportLocale: { args: z.tuple([z.enum(LOCALES)]) },
} as const satisfies Record<DeskMethod, { args: z.ZodType; returns?: Returns<Json> }>;

type Methods = typeof DESK_METHODS;
/** The arguments a method takes, as the renderer passes them. */
export type MethodArgs<M extends DeskMethod> = z.input<Methods[M]['args']>;
/** The arguments a method takes, as the main side receives them after validation. */
export type CheckedArgs<M extends DeskMethod> = z.output<Methods[M]['args']>;
/** What a method answers with (`undefined` for most). */
export type MethodResult<M extends DeskMethod> = Methods[M] extends { returns: Returns<infer R> } ? R : void;

/** What the renderer sees as `window.desk`: every method of {@link DESK_METHODS}, plus the pushes. */
export type DeskApi = { [M in DeskMethod]: (...args: MethodArgs<M>) => Promise<MethodResult<M>> } & {
  /** Receives the full state at once, then every change. Returns an unsubscribe function. */
  onChange(listener: (change: DeskChange) => void): () => void;
  /** Receives focus requests (a toast was clicked). Returns an unsubscribe function. */
  onFocus(listener: (target: ShowRequest) => void): () => void;
};

/**
 * A refusal as a code with its parameters (issue 19): the window says it in the agent's language
 * (`key` is a message of `common/locales/en.json`); `error` beside it is the same in English (logs).
 */
export type SaidMessage = { key: string; values?: Record<string, string | number> };

/** The wire shape of an invocation's answer (errors travel as data, never as thrown IPC errors). */
export type InvokeResult = { ok: true; value?: Json } | { ok: false; error: string; said?: SaidMessage };

/**
 * What a window sends, as JSON text. `subscribe` asks for the full state, then every change (sent
 * once the transport is open, and again after a gap in the sequence); `ack` says the window has
 * taken change `seq` (applied it; it shows it within a frame): the core sends the next change when
 * every window has (`main/bridge.ts`); `invoke` is answered by a `result` with the same `id`.
 */
export type ClientMessage = { type: 'subscribe' } | { type: 'ack'; seq: number } | { type: 'invoke'; id: number; method: DeskMethod; args: Json[] };

/** What the core sends, as JSON text. */
export type ServerMessage =
  | { type: 'change'; change: DeskChange }
  | { type: 'focus'; target: ShowRequest }
  | { type: 'toast'; toast: Toast }
  /** The toast `id` should close: its call stopped ringing, or its chat is no longer an invitation (issue 11). */
  | { type: 'toast.close'; id: string }
  | { type: 'result'; id: number; result: InvokeResult };

/** The shape of a client message, checked on the main side before anything else is read. */
export const clientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('subscribe') }),
  z.object({ type: z.literal('ack'), seq: z.number().int().nonnegative() }),
  z.object({ type: z.literal('invoke'), id: z.number().int().nonnegative(), method: z.enum(DESK_METHOD_NAMES), args: z.array(z.unknown()).max(4) }),
]);

/** Compile-time proof that every message on the wire is plain JSON. */
export type WireProof = [JsonOnly<ServerMessage>, JsonOnly<ClientMessage>];

/**
 * The web host's transport (`ws://127.0.0.1:<port>/bridge`): before any {@link ClientMessage}, the
 * first frame must be `hello` with the launch token; anything else closes the socket with
 * {@link WEB_CLOSE_UNAUTHORIZED}.
 */
export type WebHello = { type: 'hello'; token: string };
