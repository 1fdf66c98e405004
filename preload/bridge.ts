/**
 * The one contract between the core (main process or web host) and the renderer.
 *
 * - {@link DeskApi} is what the renderer sees as `window.desk`: invoke methods plus push
 *   subscriptions. The Electron preload builds it over IPC; `renderer/web-bridge.ts` builds the very
 *   same object over the web host's WebSocket.
 * - Changes are pushed as {@link DeskChange}s: a full state first, then patches holding only the
 *   entities whose identity changed (the store keeps unchanged entities by reference).
 *
 * Pure TypeScript: no Node, no Electron, no DOM, so main, preload and renderer all import it.
 * The main side validates every invoke payload (see `main/bridge.ts`); nothing here is trusted.
 */
import type {
  Account,
  Call,
  CallAction,
  Callback,
  Chat,
  DeskState,
  PresenceState,
  Queue,
  TeamMember,
} from '../main/desk/model.js';

export type * from '../main/desk/model.js';

/** IPC channel names (Electron) and message kinds (web host). */
export const CHANNELS = {
  /** renderer → main: `{ method, args }` → result. */
  invoke: 'desk:invoke',
  /** renderer → main, once per page load: start pushing changes to this window (full state first). */
  subscribe: 'desk:subscribe',
  /** main → renderer: a {@link DeskChange}. */
  change: 'desk:change',
  /** main → renderer: a {@link FocusTarget} (a toast was clicked). */
  focus: 'desk:focus',
} as const;

/** Chat actions that take no text. */
export type ChatCommand = 'accept' | 'reject' | 'complete' | 'leave';

/** What the renderer may ask of the desk. Every method rejects with an Error whose message is for the agent. */
export interface DeskApi {
  /** Sets the agent's presence on every account that accepts `state`. */
  setPresence(state: PresenceState): Promise<void>;
  /** Sets the presence on one account only. */
  setAccountPresence(accountId: string, state: PresenceState): Promise<void>;
  callAction(callKey: string, action: CallAction): Promise<void>;
  /** Click-to-dial on the given account. */
  dial(accountId: string, number: string): Promise<void>;
  chatAction(chatKey: string, action: ChatCommand): Promise<void>;
  /** Sends a reply; `text` is 1–4000 characters. */
  sendChatMessage(chatKey: string, text: string): Promise<void>;
  markChatRead(chatKey: string): Promise<void>;
  dismissChat(chatKey: string): Promise<void>;
  closeCallback(callbackKey: string): Promise<void>;
  /** Asks a failed account to connect again. */
  retryAccount(accountId: string): Promise<void>;
  /** The settings, secrets masked, with the fields each platform's account takes. */
  getSettings(): Promise<SettingsView>;
  /**
   * Validates and stores new settings, then applies them (the desktop app restarts its connections).
   * A secret field holds the new value as a string, or {@link SECRET_KEPT} to keep the stored one.
   * Rejects with one line per problem, each starting with the field path (`accounts[0].user: …`),
   * or when the settings are managed elsewhere (`editable: false`).
   */
  saveSettings(settings: SettingsDocument): Promise<void>;
  /** Receives the full state at once, then every change. Returns an unsubscribe function. */
  onChange(listener: (change: DeskChange) => void): () => void;
  /** Receives focus requests (a toast was clicked). Returns an unsubscribe function. */
  onFocus(listener: (target: FocusTarget) => void): () => void;
}

/** Stands in for a stored secret: the window never receives secrets; sending this back keeps it. */
export const SECRET_KEPT = Object.freeze({ kept: true as const });
export type SecretKept = typeof SECRET_KEPT;

/** The settings document: the config file's schema (see README), secrets masked by {@link SECRET_KEPT}. */
export interface SettingsDocument {
  accounts: Array<Record<string, unknown> & { id: string; vendor: string }>;
  display: { theme: 'system' | 'light' | 'dark'; toasts: { calls: boolean; chats: boolean } };
  webHost?: { port: number };
}

/** One field of an account form, described by the main process so the window needs no vendor knowledge. */
export interface SettingsField {
  /** The account property it edits. */
  key: string;
  label: string;
  kind: 'text' | 'email' | 'url' | 'secret' | 'choices';
  required: boolean;
  /** For `choices`: the values offered (several may be chosen). */
  choices?: string[];
  /** One line of help, shown under the field. */
  help?: string;
}

/** What the settings screen shows. */
export interface SettingsView {
  /** False when an administrator manages the settings (a config file): the screen is read-only. */
  editable: boolean;
  /** Where the settings live, in words (e.g. the config file's path). */
  source: string;
  settings: SettingsDocument;
  /** The platforms an account can be for, with their fields. */
  vendors: Array<{ id: string; name: string; fields: SettingsField[] }>;
}

/** Method names of {@link DeskApi} that are invocations (not subscriptions). */
export type DeskMethod = Exclude<keyof DeskApi, 'onChange' | 'onFocus'>;

/** The wire shape of an invocation. */
export interface InvokeRequest {
  method: DeskMethod;
  args: unknown[];
}

/** The wire shape of an invocation's answer (errors travel as data, never as thrown IPC errors). */
export type InvokeResult = { ok: true; value?: unknown } | { ok: false; error: string };

/** What a click on a toast asks the window to show. */
export type FocusTarget = { kind: 'call'; key: string } | { kind: 'chat'; key: string };

/** Upserts and removals of one keyed slice. */
export interface SlicePatch<T> {
  upsert: T[];
  remove: string[];
}

/**
 * A changed chat. When its transcript only grew, `messages` holds just the new lines and
 * `messagesFrom` says how many earlier lines to keep, so a long transcript is not re-sent for
 * every new line.
 */
export type ChatUpsert = Chat & { messagesFrom?: number };

/** What changed between two states. Absent members did not change. */
export interface DeskPatch {
  accounts?: SlicePatch<Account>;
  calls?: SlicePatch<Call>;
  recentCalls?: Call[];
  chats?: SlicePatch<ChatUpsert>;
  callbacks?: SlicePatch<Callback>;
  queues?: SlicePatch<Queue>;
  team?: SlicePatch<TeamMember>;
  demo?: boolean;
}

/** A pushed change: `full` on subscribe (and after a gap), else `patch`. `seq` counts up by one. */
export type DeskChange = { seq: number; full: DeskState } | { seq: number; patch: DeskPatch };

type Keyed = { key: string } | { id: string; key?: undefined };
type SliceName = 'accounts' | 'calls' | 'chats' | 'callbacks' | 'queues' | 'team';
const SLICES: readonly SliceName[] = ['accounts', 'calls', 'chats', 'callbacks', 'queues', 'team'];

function keyOf(entity: Keyed): string {
  return entity.key ?? (entity as { id: string }).id;
}

function diffSlice<T extends object>(prev: Record<string, T>, next: Record<string, T>): SlicePatch<T> | undefined {
  if (prev === next) return undefined;
  const upsert: T[] = [];
  const remove: string[] = [];
  for (const [key, entity] of Object.entries(next)) if (prev[key] !== entity) upsert.push(entity);
  for (const key of Object.keys(prev)) if (!(key in next)) remove.push(key);
  return upsert.length || remove.length ? { upsert, remove } : undefined;
}

/**
 * The patch that turns `prev` into `next`, comparing entities by identity (the store never mutates).
 * Returns `undefined` when nothing changed.
 */
export function diffState(prev: DeskState, next: DeskState): DeskPatch | undefined {
  if (prev === next) return undefined;
  const patch: DeskPatch = {};
  let any = false;
  for (const slice of SLICES) {
    const sp = diffSlice(prev[slice] as Record<string, object>, next[slice] as Record<string, object>);
    if (sp) {
      (patch as Record<string, unknown>)[slice] = sp;
      any = true;
    }
  }
  if (patch.chats) patch.chats.upsert = patch.chats.upsert.map((chat) => chatDelta(prev.chats[chat.key], chat));
  if (prev.recentCalls !== next.recentCalls) {
    patch.recentCalls = next.recentCalls;
    any = true;
  }
  if (prev.demo !== next.demo) {
    patch.demo = next.demo;
    any = true;
  }
  return any ? patch : undefined;
}

/** A chat's upsert: only the new lines when the transcript grew by appending (the store keeps old lines by reference). */
function chatDelta(before: Chat | undefined, after: Chat): ChatUpsert {
  const old = before?.messages;
  if (!old || old.length === 0 || old === after.messages || old.length > after.messages.length) return after;
  for (let i = old.length - 1; i >= 0; i--) if (old[i] !== after.messages[i]) return after;
  return { ...after, messages: after.messages.slice(old.length), messagesFrom: old.length };
}

/** Applies a patch to a state (the renderer's side of {@link diffState}). Pure. */
export function applyPatch(state: DeskState, patch: DeskPatch): DeskState {
  const next: DeskState = { ...state };
  for (const slice of SLICES) {
    const sp = patch[slice] as SlicePatch<Keyed> | undefined;
    if (!sp) continue;
    const record = { ...(state[slice] as Record<string, Keyed>) };
    for (const key of sp.remove) delete record[key];
    for (const entity of sp.upsert) record[keyOf(entity)] = slice === 'chats' ? fullChat(record, entity as ChatUpsert) : entity;
    (next as unknown as Record<string, unknown>)[slice] = record;
  }
  if (patch.recentCalls) next.recentCalls = patch.recentCalls;
  if (patch.demo !== undefined) next.demo = patch.demo;
  return next;
}

function fullChat(chats: Record<string, Keyed>, upsert: ChatUpsert): Chat {
  const { messagesFrom, ...chat } = upsert;
  if (messagesFrom === undefined) return chat;
  const before = (chats[chat.key] as Chat | undefined)?.messages ?? [];
  return { ...chat, messages: [...before.slice(0, messagesFrom), ...chat.messages] };
}

/**
 * Folds a pushed change into the renderer's copy of the state.
 * @returns the new state, or `undefined` when a patch arrives out of sequence (the caller then
 *   waits for the next `full`, which the host sends on resubscribe).
 */
export function applyChange(
  current: { seq: number; state: DeskState } | undefined,
  change: DeskChange,
): { seq: number; state: DeskState } | undefined {
  if ('full' in change) return { seq: change.seq, state: change.full };
  if (!current || change.seq !== current.seq + 1) return undefined;
  return { seq: change.seq, state: applyPatch(current.state, change.patch) };
}

/** A notification the host asks to show (the web host's Web Notification; Electron shows its own). */
export interface Toast {
  /** Dedupe key: one toast per id, ever (e.g. `call:<callKey>`). */
  id: string;
  title: string;
  body: string;
  /** What a click on it shows. */
  target: FocusTarget;
}

/**
 * The web host's WebSocket protocol (`ws://127.0.0.1:<port>/bridge`), JSON text frames.
 * The first client frame must be `hello` with the launch token; anything else closes the socket
 * with code 4401. Invocations are answered by `result` with the same `id`.
 */
export type WebClientMessage =
  | { type: 'hello'; token: string }
  | { type: 'invoke'; id: number; method: DeskMethod; args: unknown[] };

export type WebServerMessage =
  | { type: 'change'; change: DeskChange }
  | { type: 'focus'; target: FocusTarget }
  | { type: 'toast'; toast: Toast }
  | { type: 'result'; id: number; result: InvokeResult };

/** WebSocket close code for a missing or wrong launch token. */
export const WEB_CLOSE_UNAUTHORIZED = 4401;
/** Path of the web host's bridge socket. */
export const WEB_BRIDGE_PATH = '/bridge';
