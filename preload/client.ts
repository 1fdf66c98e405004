/**
 * The renderer's end of the one wire, shared by both hosts: the Electron preload runs it over IPC,
 * `renderer/web-bridge.ts` over the web host's WebSocket. It turns {@link DeskApi} calls into
 * {@link ClientMessage}s and decodes {@link ServerMessage}s (JSON text) into state changes, focus
 * requests, toasts and invocation answers. What the web-host tests prove of it holds for Electron.
 *
 * - It keeps the latest full state, so a listener that subscribes late gets it at once.
 * - A patch out of sequence (a gap) drops the state and sends `subscribe` again for a fresh one.
 * - Invocations are answered by id, in any order; when the transport is lost every pending one
 *   rejects with a sentence for the agent.
 * - A frame that is not JSON, or not a server message, is dropped (the core is trusted, but a
 *   broken frame must not break the window).
 *
 * Pure TypeScript: no DOM, no Node, no Electron.
 */
import {
  applyChange,
  DESK_METHOD_NAMES,
  type ClientMessage,
  type DeskApi,
  type DeskChange,
  type DeskMethod,
  type DeskState,
  type FocusTarget,
  type InvokeResult,
  type Json,
  type ServerMessage,
  type Toast,
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
  focus(target: FocusTarget): void;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

function isServerMessage(value: unknown): value is ServerMessage {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** Builds a client over a transport. Nothing is sent until {@link BridgeClient.opened}. */
export function createBridgeClient(options: BridgeClientOptions): BridgeClient {
  const { transport } = options;
  const changeListeners = new Set<(change: DeskChange) => void>();
  const focusListeners = new Set<(target: FocusTarget) => void>();
  const pending = new Map<number, Pending>();
  let current: { seq: number; state: DeskState } | undefined;
  let nextId = 1;

  const send = (message: ClientMessage): boolean => transport.send(JSON.stringify(message));

  function resubscribe(): void {
    current = undefined;
    send({ type: 'subscribe' });
  }

  function focus(target: FocusTarget): void {
    for (const listener of [...focusListeners]) listener(target);
  }

  function settle(id: number, result: InvokeResult | undefined): void {
    const entry = pending.get(id);
    if (!entry) return;
    pending.delete(id);
    if (result?.ok === true) entry.resolve(result.value);
    else entry.reject(new Error(result?.ok === false && typeof result.error === 'string' ? result.error : 'Agent Companion gave no answer.'));
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
      case 'change': {
        const next = applyChange(current, message.change);
        if (!next) return resubscribe();
        current = next;
        if ('full' in message.change) options.onSynced?.();
        for (const listener of [...changeListeners]) listener(message.change);
        return;
      }
      case 'focus':
        return focus(message.target);
      case 'toast':
        return options.onToast?.(message.toast);
      case 'toast.close':
        return options.onToastClosed?.(message.id);
      case 'result':
        return settle(message.id, message.result);
      default:
        return;
    }
  }

  function invoke(method: DeskMethod, args: Json[]): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      if (!send({ type: 'invoke', id, method, args })) {
        pending.delete(id);
        reject(new Error(options.notConnectedMessage ?? 'Not connected to Agent Companion.'));
      }
    });
  }

  // Optional arguments left out travel as absent, not as `null` (JSON writes `undefined` in an array as `null`).
  const withoutTrailingUndefined = (args: Array<Json | undefined>): Json[] => {
    let end = args.length;
    while (end > 0 && args[end - 1] === undefined) end -= 1;
    return args.slice(0, end) as Json[];
  };
  const methods = Object.fromEntries(DESK_METHOD_NAMES.map((method) => [method, (...args: Array<Json | undefined>) => invoke(method, withoutTrailingUndefined(args))]));
  const api = {
    ...methods,
    onChange(listener: (change: DeskChange) => void) {
      changeListeners.add(listener);
      if (current) listener({ seq: current.seq, full: current.state });
      return () => void changeListeners.delete(listener);
    },
    onFocus(listener: (target: FocusTarget) => void) {
      focusListeners.add(listener);
      return () => void focusListeners.delete(listener);
    },
  } as DeskApi;

  return {
    api,
    opened: resubscribe,
    receive,
    lost(message) {
      for (const { reject } of pending.values()) reject(new Error(message));
      pending.clear();
    },
    focus,
  };
}
