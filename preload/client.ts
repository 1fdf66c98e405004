/**
 * The renderer's end of the one wire, shared by both hosts: the Electron preload runs it over IPC,
 * `renderer/web-bridge.ts` over the web host's WebSocket. It turns {@link DeskApi} calls into
 * {@link ClientMessage}s and decodes {@link ServerMessage}s (JSON text) into state changes, focus
 * requests, toasts and invocation answers. What the web-host tests prove of it holds for Electron.
 *
 * - It does not fold patches itself: the listener (the window's `DeskModel`) is the only one that
 *   applies each patch, once (issue 12: the window applied every patch twice). It keeps only the
 *   sequence number, and the latest full state while no patch has followed it.
 * - Every listener gets a full state first, then each patch in sequence: a listener that subscribes
 *   late gets the kept full state at once, or (patches having followed it) a fresh one the client
 *   asks for with `subscribe` — every listener then starts again from that full state.
 * - A patch out of sequence (a gap) is not delivered; the client sends `subscribe` again and every
 *   listener waits for the fresh full state.
 * - Each change delivered is acknowledged (`ack` with its `seq`) once every listener has taken it:
 *   the core paces its changes by these (one unacknowledged change at a time), so a window that
 *   falls behind gets fewer, larger patches instead of a queue.
 * - Invocations are answered by id, in any order; when the transport is lost every pending one
 *   rejects with a sentence for the agent.
 * - A frame that is not JSON, or not a server message, is dropped (the core is trusted, but a
 *   broken frame must not break the window).
 *
 * Pure TypeScript: no DOM, no Node, no Electron.
 */
import { DESK_METHOD_NAMES } from './wire.js';
import type {
  ClientMessage,
  DeskApi,
  DeskChange,
  DeskMethod,
  DeskState,
  ShowRequest,
  InvokeResult,
  Json,
  SaidMessage,
  ServerMessage,
  Toast,
} from './bridge.js';

/** How the client reaches the core. */
export interface WireTransport {
  /** Sends one JSON text message; returns false when the transport is not open (nothing was sent). */
  send(text: string): boolean;
}

export interface BridgeClientOptions {
  transport: WireTransport;
  /** A toast the core asks the window to show (web host only: Electron shows OS notifications itself). */
  onToast?(toast: Toast): void;
  /** A toast shown earlier should close: its call stopped ringing, or its chat is no longer an invitation (web host only). */
  onToastClosed?(id: string): void;
  /** A full state arrived: the window is in sync with the core. */
  onSynced?(): void;
  /** The message an invocation rejects with while the transport is down. */
  notConnectedMessage?: string;
}

/** The client: the {@link DeskApi} to hand to the window, and the transport's callbacks. */
export interface BridgeClient {
  readonly api: DeskApi;
  /** The transport opened (or reopened): asks for the full state. */
  opened(): void;
  /** Feeds one message received from the core (JSON text). */
  receive(text: string): void;
  /** The transport was lost: every pending invocation rejects with `message`. */
  lost(message: string): void;
  /** Delivers a focus request that did not come over the wire (a Web Notification's click). */
  focus(target: ShowRequest): void;
}

function isServerMessage(value: unknown): value is ServerMessage {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/**
 * The changes' side of the client: it keeps the sequence number (and the latest full state while no
 * patch followed it), gives each listener a full state first and then each patch in sequence, and
 * asks the core again (`subscribe`) on a gap or for a listener that came late.
 */
interface ChangeFeed {
  /** Asks the core for a fresh full state; every listener waits for it. */
  resubscribe(): void;
  /** One change from the core; `onSynced` is called for a full state. */
  receive(change: DeskChange): void;
  /** Adds a listener (it starts from a full state); returns the unsubscribe function. */
  listen(listener: (change: DeskChange) => void): () => void;
}

function changeFeed(send: (message: ClientMessage) => boolean, onSynced: (() => void) | undefined): ChangeFeed {
  /** Each listener, and whether it has had a full state since the last one (it gets patches only then). */
  const listeners = new Map<(change: DeskChange) => void, { synced: boolean }>();
  /** The sequence number of the last change delivered; undefined while waiting for a full state. */
  let seq: number | undefined;
  /** The latest full state, while no patch has followed it (what a late listener starts from). */
  let lastFull: { seq: number; full: DeskState } | undefined;

  function resubscribe(): void {
    seq = undefined;
    lastFull = undefined;
    for (const entry of listeners.values()) entry.synced = false;
    send({ type: 'subscribe' });
  }

  function deliver(change: DeskChange): void {
    const full = 'full' in change;
    for (const [listener, entry] of [...listeners]) {
      if (!listeners.has(listener)) continue;
      if (full) entry.synced = true;
      else if (!entry.synced) continue;
      listener(change);
    }
  }

  return {
    resubscribe,
    receive(change) {
      if ('full' in change) {
        seq = change.seq;
        lastFull = change;
        onSynced?.();
      } else {
        if (seq === undefined) return; // waiting for the full state asked for
        if (change.seq !== seq + 1) return resubscribe();
        seq = change.seq;
        lastFull = undefined;
      }
      deliver(change);
      // Every listener has applied it: the core may send the next (it holds and merges changes until then).
      send({ type: 'ack', seq: change.seq });
    },
    listen(listener) {
      const entry = { synced: false };
      listeners.set(listener, entry);
      if (lastFull) {
        entry.synced = true;
        listener(lastFull);
      } else if (seq !== undefined) {
        // Patches followed the last full state: ask for a fresh one (every listener restarts from it).
        resubscribe();
      }
      return () => void listeners.delete(listener);
    },
  };
}

/** The invocations awaiting their answer, by id: answered in any order, all rejected when the transport is lost. */
interface PendingInvokes {
  /** Sends one invocation; rejects with `notConnected` at once when the transport is not open. */
  invoke(method: DeskMethod, args: Json[]): Promise<unknown>;
  /** The answer to invocation `id` (none: "gave no answer"); an unknown id is ignored. */
  settle(id: number, result: InvokeResult | undefined): void;
  /** Rejects every pending invocation with `message`. */
  rejectAll(message: string): void;
}

/**
 * An invocation refused: `message` in English (as logged), `said` the same as a code with parameters
 * for the window to say in the agent's language (issue 19), where the host sent one.
 */
export class DeskError extends Error {
  // Named as any Error (windows and tests read `Error: …`): what sets it apart is `said`.
  constructor(
    message: string,
    readonly said?: SaidMessage,
  ) {
    super(message);
  }
}

/** Whether a wire value is a {@link SaidMessage} (a key, and string or number values). */
function isSaid(value: unknown): value is SaidMessage {
  if (typeof value !== 'object' || value === null) return false;
  const { key, values } = value as { key?: unknown; values?: unknown };
  if (typeof key !== 'string') return false;
  if (values === undefined) return true;
  return typeof values === 'object' && values !== null && Object.values(values).every((v) => typeof v === 'string' || typeof v === 'number');
}

function pendingInvokes(send: (message: ClientMessage) => boolean, notConnected: string): PendingInvokes {
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 1;
  return {
    invoke(method, args) {
      return new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        if (!send({ type: 'invoke', id, method, args })) {
          pending.delete(id);
          reject(new Error(notConnected));
        }
      });
    },
    settle(id, result) {
      const entry = pending.get(id);
      if (!entry) return;
      pending.delete(id);
      if (result?.ok === true) entry.resolve(result.value);
      else if (result?.ok === false && typeof result.error === 'string') entry.reject(new DeskError(result.error, isSaid(result.said) ? result.said : undefined));
      else entry.reject(new DeskError('Agent Companion gave no answer.', { key: 'status.no-answer' }));
    },
    rejectAll(message) {
      for (const { reject } of pending.values()) reject(new Error(message));
      pending.clear();
    },
  };
}

/** Optional arguments left out travel as absent, not as `null` (JSON writes `undefined` in an array as `null`). */
function withoutTrailingUndefined(args: Array<Json | undefined>): Json[] {
  let end = args.length;
  while (end > 0 && args[end - 1] === undefined) end -= 1;
  return args.slice(0, end) as Json[];
}

/** Builds a client over a transport. Nothing is sent until {@link BridgeClient.opened}. */
export function createBridgeClient(options: BridgeClientOptions): BridgeClient {
  const send = (message: ClientMessage): boolean => options.transport.send(JSON.stringify(message));
  const changes = changeFeed(send, options.onSynced);
  const invokes = pendingInvokes(send, options.notConnectedMessage ?? 'Not connected to Agent Companion.');
  const focusListeners = new Set<(target: ShowRequest) => void>();

  function focus(target: ShowRequest): void {
    for (const listener of [...focusListeners]) listener(target);
  }

  function receive(text: string): void {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (!isServerMessage(message)) return;
    switch (message.type) {
      case 'change':
        return changes.receive(message.change);
      case 'focus':
        return focus(message.target);
      case 'toast':
        return options.onToast?.(message.toast);
      case 'toast.close':
        return options.onToastClosed?.(message.id);
      case 'result':
        return invokes.settle(message.id, message.result);
      default:
        return;
    }
  }

  const methods = Object.fromEntries(DESK_METHOD_NAMES.map((method) => [method, (...args: Array<Json | undefined>) => invokes.invoke(method, withoutTrailingUndefined(args))]));
  const api = {
    ...methods,
    onChange: (listener: (change: DeskChange) => void) => changes.listen(listener),
    onFocus(listener: (target: ShowRequest) => void) {
      focusListeners.add(listener);
      return () => void focusListeners.delete(listener);
    },
  } as DeskApi;

  return { api, opened: changes.resubscribe, receive, lost: invokes.rejectAll, focus };
}
