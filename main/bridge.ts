/**
 * The main side of the bridge, shared by both hosts: validates every invocation from a renderer
 * (nothing from the renderer is trusted; the main side is authoritative) and pushes the desk's
 * changes to every connected renderer as one sequence of {@link DeskChange}s.
 *
 * Changes are coalesced: however many events arrive in one turn of the event loop, renderers get one
 * patch holding only the entities that changed (see `diffState` in preload/bridge.ts).
 */
import { z } from 'zod';
import {
  diffState,
  type DeskChange,
  type DeskMethod,
  type FocusTarget,
  type InvokeResult,
  type Toast,
} from '../preload/bridge.js';
import type { Desk } from './desk/desk.js';
import type { DeskState } from './desk/model.js';
import type { Logger } from './log.js';
import type { SettingsStore } from './settings.js';

const presenceState = z.enum(['ready', 'not-ready', 'wrap-up', 'do-not-disturb', 'offline']);
const key = z.string().min(3).max(300);
const accountId = z.string().min(1).max(40);

/** The argument tuple each method takes. Anything else is refused. */
const ARGUMENTS = {
  setPresence: z.tuple([presenceState]),
  setAccountPresence: z.tuple([accountId, presenceState]),
  callAction: z.tuple([key, z.enum(['answer', 'hangup', 'hold', 'retrieve'])]),
  dial: z.tuple([accountId, z.string().trim().regex(/^\+?[0-9*#]{2,32}$/, 'is not a dialable number')]),
  chatAction: z.tuple([key, z.enum(['accept', 'reject', 'complete', 'leave'])]),
  sendChatMessage: z.tuple([key, z.string().trim().min(1, 'is empty').max(4000, 'is longer than 4000 characters')]),
  markChatRead: z.tuple([key]),
  dismissChat: z.tuple([key]),
  closeCallback: z.tuple([key]),
  retryAccount: z.tuple([accountId]),
  getSettings: z.tuple([]),
  // The document's own schema is checked by the settings store (it names every bad field).
  saveSettings: z.tuple([z.record(z.string(), z.unknown())]),
} satisfies Record<DeskMethod, z.ZodType>;

type Arguments = { [M in DeskMethod]: z.infer<(typeof ARGUMENTS)[M]> };

/** What an invocation works on. */
interface Target {
  desk: Desk;
  settings: SettingsStore;
}

/** What each method does, with its validated arguments; a returned value goes back to the renderer. */
const HANDLERS: { [M in DeskMethod]: (target: Target, args: Arguments[M]) => unknown } = {
  setPresence: ({ desk }, [state]) => desk.setPresence(state),
  setAccountPresence: ({ desk }, [account, state]) => desk.setAccountPresence(account, state),
  callAction: ({ desk }, [call, action]) => desk.callAction(call, action),
  dial: ({ desk }, [account, number]) => desk.dial(account, number),
  chatAction: ({ desk }, [chat, action]) => desk.chatAction(chat, action),
  sendChatMessage: ({ desk }, [chat, text]) => desk.sendChatMessage(chat, text),
  markChatRead: ({ desk }, [chat]) => desk.apply({ type: 'chat.read', chatKey: chat }),
  dismissChat: ({ desk }, [chat]) => desk.apply({ type: 'chat.dismiss', chatKey: chat }),
  closeCallback: ({ desk }, [callback]) => desk.closeCallback(callback),
  retryAccount: ({ desk }, [account]) => desk.retryAccount(account),
  getSettings: ({ settings }) => settings.view(),
  saveSettings: ({ settings }, [document]) => settings.save(document),
};

const request = z.object({ method: z.enum(Object.keys(ARGUMENTS) as [DeskMethod, ...DeskMethod[]]), args: z.array(z.unknown()).max(4) });

/** Where a {@link BridgeHub} delivers pushes: one renderer (an Electron window, a browser tab). */
export interface BridgePeer {
  /**
   * Delivers a push. `json` gives the message encoded once for all peers (the web host sends it
   * as is; Electron IPC sends the object).
   */
  send(message: BridgePush, json: () => string): void;
}

/** What the hub pushes. The web host frames these as `WebServerMessage`s verbatim. */
export type BridgePush = { type: 'change'; change: DeskChange } | { type: 'focus'; target: FocusTarget } | { type: 'toast'; toast: Toast };

export class BridgeHub {
  private readonly peers = new Set<BridgePeer>();
  private lastSent: DeskState;
  private seq = 0;
  private flushScheduled = false;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly desk: Desk,
    private readonly log: Logger,
    private readonly settings: SettingsStore,
  ) {
    this.lastSent = desk.state;
    this.unsubscribe = desk.subscribe(() => this.scheduleFlush());
  }

  /** Adds a renderer: it gets the full state at once, then every change. Returns the disconnect function. */
  connect(peer: BridgePeer): () => void {
    this.peers.add(peer);
    const message: BridgePush = { type: 'change', change: { seq: this.seq, full: this.lastSent } };
    peer.send(message, memo(message));
    return () => this.peers.delete(peer);
  }

  /** Sends a push to every renderer (toasts in the web host, focus requests from a toast click). */
  broadcast(message: BridgePush): void {
    const json = memo(message);
    for (const peer of this.peers) {
      try {
        peer.send(message, json);
      } catch (error) {
        this.log.warn({ err: error }, 'a renderer could not take a push; dropping it');
        this.peers.delete(peer);
      }
    }
  }

  /** Sends any pending change now (tests and benchmarks; normally a flush runs on the next tick). */
  flush(): void {
    this.flushScheduled = false;
    const current = this.desk.state;
    const patch = diffState(this.lastSent, current);
    this.lastSent = current;
    if (!patch) return;
    this.seq += 1;
    this.broadcast({ type: 'change', change: { seq: this.seq, patch } });
  }

  /**
   * Validates and carries out one invocation from a renderer.
   * @param raw the untrusted `{method, args}` as received.
   * @returns `{ok: true}` or `{ok: false, error}` with a message for the agent; never throws.
   */
  async invoke(raw: unknown): Promise<InvokeResult> {
    const parsed = request.safeParse(raw);
    if (!parsed.success) {
      this.log.warn({ issues: parsed.error.issues.length }, 'refused a malformed bridge request');
      return { ok: false, error: `Refused: ${z.prettifyError(parsed.error)}` };
    }
    const { method, args } = parsed.data;
    const checked = ARGUMENTS[method].safeParse(args);
    if (!checked.success) {
      this.log.warn({ method }, 'refused bridge arguments');
      return { ok: false, error: `Refused ${method}: ${z.prettifyError(checked.error)}` };
    }
    try {
      const handler = HANDLERS[method] as (target: Target, args: unknown) => unknown;
      const value = await handler({ desk: this.desk, settings: this.settings }, checked.data);
      return value === undefined ? { ok: true } : { ok: true, value };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  }

  /** Stops listening to the desk and forgets every renderer. */
  close(): void {
    this.unsubscribe();
    this.peers.clear();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      if (this.flushScheduled) this.flush();
    });
  }
}

function memo(message: BridgePush): () => string {
  let json: string | undefined;
  return () => (json ??= JSON.stringify(message));
}
