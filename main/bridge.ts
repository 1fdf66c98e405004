/**
 * The main side of the bridge, shared by both hosts: it speaks the one wire (`preload/bridge.ts`),
 * JSON text both ways, so the Electron shell and the web host only carry text.
 *
 * - Every client message is validated, then every invocation's arguments against
 *   {@link DESK_METHODS}: nothing from a renderer is trusted, the main side is authoritative.
 * - The desk's changes go to every subscribed renderer as one sequence of {@link DeskChange}s,
 *   paced by the renderers' acknowledgements (`ack`, sent by `preload/client.ts` once the window
 *   has applied a change): the next change goes on the next turn of the event loop after every
 *   renderer has acknowledged the last one, holding only the entities that changed since the last
 *   one sent (see `diffState`), however many events arrived meanwhile. A window that keeps up gets
 *   each change within a turn; one that falls behind gets fewer, larger patches, never a queue.
 *   A renderer that owes an acknowledgement for {@link ACK_WAIT_MS} is sent the next change anyway.
 *   A change that brings the agent something to answer (a call starting to ring, a chat
 *   invitation: the alert policy says so, {@link BridgeHub.expedite}) does not wait for the last
 *   acknowledgement, only for the one before (at most two changes unacknowledged).
 *   Toasts and answers are separate messages and never wait. Issue 21: the hub used to send at
 *   most one change per 16 ms, and the window waited for the next frame on top (docs/benchmarks.md,
 *   "How the pipeline paces").
 * - Each push is serialised once, whatever the number of windows.
 * - What is dropped (not JSON, malformed, refused arguments) is logged at most once a minute per
 *   kind, with the count (`log-limiter.ts`): a renderer sending junk cannot flood the log.
 */
import { z } from 'zod';
import {
  clientMessageSchema,
  DESK_METHODS,
  type CheckedArgs,
  type DeskMethod,
  type InvokeResult,
  type Json,
  type MethodResult,
  type SaidMessage,
  type ServerMessage,
} from '../preload/bridge.js';
import type { Desk } from './desk/desk.js';
import { CommandError } from './desk/port.js';
import { diffState, teamSentOf, type TeamSent } from './desk/patch.js';
import { mergeTouched, type Touched } from './desk/store.js';
import type { DeskState } from '../common/model.js';
import type { DeskPatch } from '../common/patch.js';
import type { Logger } from './log.js';
import { LogLimiter } from './log-limiter.js';
import type { SettingsStore } from './settings.js';
import type { DiagnosticsListing, DiagnosticsSaved } from '../common/diagnostics.js';
import { WindowLocale } from './i18n.js';

/** What the window may ask of the automation API (`main/api/`). */
export interface AutomationControl {
  /** @throws {CommandError} when the request is no longer waiting. */
  answerPairing(id: string, allow: boolean): void;
  /** @throws {CommandError} for an unknown app or an administrator's. */
  revoke(clientId: string): void;
}

/** What the window may ask of the diagnostics (`main/diagnostics/`). */
export interface DiagnosticsControl {
  /** The files the zip would hold now. */
  list(): DiagnosticsListing;
  /** Makes the zip and saves it as the host does (a save dialog, or a download for the page). */
  save(): Promise<DiagnosticsSaved>;
}

/** What an invocation works on. */
interface Target {
  desk: Desk;
  settings: SettingsStore;
  /** Absent while the automation API is off. */
  automation?: AutomationControl;
  /** Absent where the host offers none (tests). */
  diagnostics?: DiagnosticsControl;
  /** The host's knowledge of the agent's language, and the window's report of its locale. */
  locale: WindowLocale;
}

/** The diagnostics, or the agent's reason why there are none. */
function diagnosticsOf(target: Target): DiagnosticsControl {
  if (!target.diagnostics) throw new Error('Diagnostics cannot be saved here.');
  return target.diagnostics;
}

/** The automation API, or the agent's reason why there is none. */
function automationOf(target: Target): AutomationControl {
  if (!target.automation) throw CommandError.say('desk.automation-off');
  return target.automation;
}

/** What each method does, with its validated arguments; the answer goes back to the renderer. */
const HANDLERS: { [M in DeskMethod]: (target: Target, args: CheckedArgs<M>) => MethodResult<M> | Promise<MethodResult<M>> } = {
  setPresence: ({ desk }, [state, reason]) => desk.setPresence(state, reason),
  setAccountPresence: ({ desk }, [account, state, reason]) => desk.setAccountPresence(account, state, reason),
  answerPrompt: ({ desk }, [account, prompt, choice]) => desk.answerPrompt(account, prompt, choice),
  callAction: ({ desk }, [call, action]) => desk.callAction(call, action),
  dismissCall: ({ desk }, [call]) => desk.dismissCall(call),
  dial: ({ desk }, [account, number]) => desk.dial(account, number),
  consult: ({ desk }, [call, destination, purpose]) => desk.consult(call, destination, purpose),
  blindTransfer: ({ desk }, [call, destination]) => desk.blindTransfer(call, destination),
  transfer: ({ desk }, [call]) => desk.completeConsult(call, 'transfer'),
  conference: ({ desk }, [call]) => desk.completeConsult(call, 'conference'),
  cancelConsult: ({ desk }, [call]) => desk.cancelConsult(call),
  sendDtmf: ({ desk }, [call, digits]) => desk.sendDtmf(call, digits),
  setWrapUpReason: ({ desk }, [account, code]) => desk.setWrapUpReason(account, code),
  openDialLink: ({ desk }, [link]) => void desk.openDialLink(link),
  confirmDial: ({ desk }, [id, account, remember]) => desk.confirmDial(id, account, remember),
  cancelDial: ({ desk }, [id]) => desk.cancelDial(id),
  chatAction: ({ desk }, [chat, action]) => desk.chatAction(chat, action),
  sendChatMessage: ({ desk }, [chat, text]) => desk.sendChatMessage(chat, text),
  markChatRead: ({ desk }, [chat]) => desk.apply({ type: 'chat.read', chatKey: chat }),
  markMissedSeen: ({ desk }) => desk.markMissedSeen(),
  dismissHistoryNotice: ({ desk }) => desk.dismissHistoryNotice(),
  dismissChat: ({ desk }, [chat]) => desk.apply({ type: 'chat.dismiss', chatKey: chat }),
  clearEndedChats: ({ desk }) => desk.clearEndedChats(),
  closeCallback: ({ desk }, [callback]) => desk.closeCallback(callback),
  startChat: ({ desk }, [member]) => desk.startChat(member),
  callJourney: ({ desk }, [call]) => desk.callJourney(call),
  retryAccount: ({ desk }, [account]) => desk.retryAccount(account),
  answerPairing: (target, [id, allow]) => automationOf(target).answerPairing(id, allow),
  revokeApiClient: (target, [client]) => automationOf(target).revoke(client),
  getSettings: ({ settings }) => settings.view(),
  saveSettings: ({ settings }, [document]) => settings.save(document),
  listDiagnostics: (target) => diagnosticsOf(target).list(),
  saveDiagnostics: (target) => diagnosticsOf(target).save(),
  getLanguage: ({ settings, locale }) => {
    const language = settings.view().settings.display.language;
    return language ? { language, system: locale.system() } : { system: locale.system() };
  },
  reportLocale: ({ locale }, [shown]) => locale.report(shown),
};

/** One renderer's end of the wire, on the main side. */
export interface BridgeConnection {
  /** Feeds one message from the renderer (untrusted JSON text). Answers go out through `send`. */
  receive(text: string): void;
  /** Forgets the renderer (its window closed, its socket dropped). */
  close(): void;
}

/**
 * The longest the hub waits for a window to acknowledge a change before it sends the next one
 * anyway, in ms: a window whose script is stalled (a debugger, a long task) holds the others back
 * no longer than this, and is sent at most four changes a second it has not taken [I].
 */
export const ACK_WAIT_MS = 250;

/** One subscribed window: how to reach it, and what it has acknowledged. */
interface Subscriber {
  send: (text: string) => void;
  /** The `seq` of the last change it acknowledged (one less than its full state's until it acknowledges that). */
  acked: number;
  /** Since when it has owed an acknowledgement (`performance.now()`, ms; the last send it has not acknowledged). */
  since: number;
}

export class BridgeHub {
  /** Connections that asked for changes. */
  private readonly subscribers = new Map<object, Subscriber>();
  /**
   * The state last sent. Its team slice may since have been changed in place by the desk (it is read
   * with `Desk.peek`): the team as sent is {@link BridgeHub.teamSent}, and the full state a window
   * subscribes to is sent right after a flush, when the two agree.
   */
  private lastSent: DeskState;
  /** The team members as last sent, member by member (`patch.ts` {@link TeamSent}). */
  private readonly teamSent: TeamSent;
  /** What the desk's folds touched since `lastSent`: the diff reads only those keys. */
  private touched: Touched = {};
  private seq = 0;
  /** What is scheduled: nothing, a flush on the next turn, or one when the windows may take it (an acknowledgement or the timer). */
  private scheduled: 'none' | 'next-turn' | 'timed' = 'none';
  /** The pending change brings the agent something to answer ({@link BridgeHub.expedite}). */
  private urgent = false;
  /**
   * The armed timer ({@link ACK_WAIT_MS}), if any, and when it fires. A flush leaves it armed: when
   * it fires it looks whether a timed flush is still due (and when), so a desk that changes while a
   * window owes an acknowledgement arms one timer per wait, not one per change (a timer set and
   * cleared per event was 2–3 % of the full path's time).
   */
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = 0;
  /** When the last change was sent (`performance.now()`, ms). */
  private lastFlushAt = Number.NEGATIVE_INFINITY;
  private readonly unsubscribe: () => void;
  private readonly dropped: LogLimiter<'not-json' | 'malformed' | 'bad-arguments'>;

  constructor(
    private readonly desk: Desk,
    private readonly log: Logger,
    private readonly settings: SettingsStore,
    private readonly automation?: AutomationControl,
    private readonly diagnostics?: DiagnosticsControl,
    /** The host's side of the agent's language (`main/i18n.ts`); none: no system languages known. */
    readonly locale: WindowLocale = new WindowLocale(),
  ) {
    this.lastSent = desk.state;
    this.teamSent = teamSentOf(this.lastSent.team);
    this.unsubscribe = desk.subscribe((_state, _previous, touched) => {
      mergeTouched(this.touched, touched);
      this.scheduleFlush(false);
    });
    this.dropped = new LogLimiter(log, {
      'not-json': 'dropped a bridge message that is not JSON',
      malformed: 'dropped a malformed bridge message',
      'bad-arguments': 'refused bridge arguments',
    });
  }

  /**
   * Opens the wire to one renderer. Nothing is sent until it subscribes.
   * @param send delivers one JSON text message to that renderer; it may throw when the renderer is
   *   gone, which drops the connection.
   */
  open(send: (text: string) => void): BridgeConnection {
    const handle = {};
    const reply = (message: ServerMessage): void => {
      try {
        send(encode(message));
      } catch (error) {
        this.log.warn({ err: error }, 'a renderer could not take a message; dropping it');
        this.subscribers.delete(handle);
      }
    };
    return {
      receive: (text) => {
        const message = this.decode(text);
        if (!message) return;
        if (message.type === 'subscribe') {
          // The full state is the last one sent, whose team the desk may since have changed in place
          // (`Desk.peek`): what changed since goes out first, so that team is the one sent.
          this.subscribers.delete(handle);
          if (this.touched.team) this.flush();
          // It owes the acknowledgement of the full state only.
          const subscriber: Subscriber = { send, acked: this.seq - 1, since: performance.now() };
          this.subscribers.set(handle, subscriber);
          reply({ type: 'change', change: { seq: this.seq, full: this.lastSent } });
          return;
        }
        if (message.type === 'ack') {
          this.acknowledged(this.subscribers.get(handle), message.seq);
          return;
        }
        void this.invoke(message.method, message.args).then((result) => reply({ type: 'result', id: message.id, result }));
      },
      close: () => void this.subscribers.delete(handle),
    };
  }

  /** Sends a message to every subscribed renderer, serialised once (toasts in the web host, focus requests). */
  broadcast(message: ServerMessage): void {
    this.send(encode(message));
  }

  /** Sends a message's text to every subscribed renderer; a renderer that cannot take it is dropped. */
  private send(text: string): void {
    for (const [handle, { send }] of this.subscribers) {
      try {
        send(text);
      } catch (error) {
        this.log.warn({ err: error }, 'a renderer could not take a push; dropping it');
        this.subscribers.delete(handle);
      }
    }
  }

  /**
   * Sends any pending change now, whether or not the windows acknowledged the last one (tests and
   * benchmarks; normally a flush runs when the windows may take it, see {@link BridgeHub.expedite}).
   */
  flush(): void {
    this.scheduled = 'none';
    this.urgent = false;
    const now = performance.now();
    this.lastFlushAt = now;
    // Not `desk.state`: the desk keeps its team slice to change in place; the diff reads it now only.
    const current = this.desk.peek();
    const patch = diffState(this.lastSent, current, this.touched, this.teamSent);
    this.lastSent = current;
    this.touched = {};
    if (!patch) return;
    this.seq += 1;
    // A window starts owing now if it owed nothing, or if it was sent this without an answer (a
    // silent window gets the next one after another wait, not at once).
    for (const subscriber of this.subscribers.values()) {
      if (subscriber.acked === this.seq - 1 || now - subscriber.since >= ACK_WAIT_MS) subscriber.since = now;
    }
    this.send(encodePatch(this.seq, patch));
  }

  /**
   * The desk's last change brings the agent something to answer (a call starting to ring, a chat
   * invitation): it goes to the windows on the next turn, without waiting for the acknowledgement
   * of the last change (only of the one before: a window that cannot keep up gets no queue). The core
   * calls it when the alert policy decides a new toast (shown or not); it reads nothing itself,
   * so the hub need not look through the desk's calls and chats on every change.
   */
  expedite(): void {
    this.scheduleFlush(true);
  }

  /** Stops listening to the desk and forgets every renderer. */
  close(): void {
    this.unsubscribe();
    this.dropped.close();
    clearTimeout(this.timer);
    this.scheduled = 'none';
    this.subscribers.clear();
  }

  /** Parses and checks one client message; logs and drops (returns undefined) what is not one. */
  private decode(text: string): z.infer<typeof clientMessageSchema> | undefined {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      this.dropped.note('not-json', { bytes: text.length });
      return undefined;
    }
    const parsed = clientMessageSchema.safeParse(raw);
    if (!parsed.success) {
      // Never log the message itself: a settings document carries secrets.
      this.dropped.note('malformed', { issues: parsed.error.issues.slice(0, 5).map((i) => i.path.join('.')) });
      return undefined;
    }
    return parsed.data;
  }

  /**
   * Validates an invocation's arguments and carries it out.
   * @returns `{ok: true, value?}` or `{ok: false, error}` with a message for the agent; never throws.
   */
  private async invoke(method: DeskMethod, args: unknown[]): Promise<InvokeResult> {
    const checked = DESK_METHODS[method].args.safeParse(args);
    if (!checked.success) {
      this.dropped.note('bad-arguments', { method });
      return { ok: false, error: `Refused ${method}: ${z.prettifyError(checked.error)}` };
    }
    try {
      const handler = HANDLERS[method] as (target: Target, args: unknown) => Json | void | Promise<Json | void>;
      const value = await handler(
        { desk: this.desk, settings: this.settings, locale: this.locale, ...(this.automation ? { automation: this.automation } : {}), ...(this.diagnostics ? { diagnostics: this.diagnostics } : {}) },
        checked.data,
      );
      return value === undefined ? { ok: true } : { ok: true, value };
    } catch (error) {
      // The desk's own refusals travel as a code too, so the window says them in the agent's language.
      const said = error instanceof CommandError ? error.said : undefined;
      return { ok: false, error: error instanceof Error ? error.message : String(error), ...(said ? { said: said as SaidMessage } : {}) };
    }
  }

  /** A window took change `seq`: when every window has, a change waiting goes out. */
  private acknowledged(subscriber: Subscriber | undefined, seq: number): void {
    if (!subscriber || seq <= subscriber.acked || seq > this.seq) return; // not subscribed, already known, or not sent
    subscriber.acked = seq;
    // It still owes the changes after `seq`: the wait runs from the last send [I].
    if (seq < this.seq) subscriber.since = this.lastFlushAt;
    if (this.scheduled === 'timed') this.scheduleFlush(false);
  }

  /**
   * How long the pending change waits, in ms from `now` (≤ 0: it may go now): until every window
   * has acknowledged every change sent to it (an urgent one: all but one), or owed that for
   * {@link ACK_WAIT_MS}. The hub paces by the slowest window rather than keeping a baseline per
   * window: every push is diffed and serialised once whatever the number of windows, and the
   * windows of one desk (the app's window, a browser tab or two of the web host) run on the same
   * machine [I].
   */
  private wait(now: number): number {
    // An urgent change goes with one change unacknowledged (it skips the acknowledgement's way
    // back), not more: a window that cannot keep up must not queue even urgent changes.
    const allowed = this.urgent ? 2 : 1;
    let wait = 0;
    for (const { acked, since } of this.subscribers.values()) {
      if (this.seq - acked >= allowed) wait = Math.max(wait, since + ACK_WAIT_MS - now);
    }
    return wait;
  }

  /**
   * Schedules the change the desk just made (`urgent`: it brings something to answer): on the next
   * turn when it may go now (`wait`), else when it may (an acknowledgement looks again, the timer
   * at the latest); events meanwhile join it.
   */
  private scheduleFlush(urgent: boolean): void {
    if (urgent) this.urgent = true;
    if (this.scheduled === 'next-turn') return;
    const now = performance.now();
    const wait = this.wait(now);
    if (wait > 0) {
      this.scheduled = 'timed';
      // A timer still armed fires no later than this one would: it looks again then.
      if (this.timer === undefined || this.timerAt > now + wait) this.arm(wait, now);
      return;
    }
    this.scheduled = 'next-turn';
    // One callback queued at a time: a flush made meanwhile (`flush()` called directly, as tests and
    // the bench do per message) leaves it queued, and it flushes only what is due when it runs. One
    // per change had the bench queue a callback per frame, all held until its loop ended (issue 21).
    if (this.immediate) return;
    this.immediate = true;
    setImmediate(this.onImmediate);
  }

  /** A callback is queued for the next turn ({@link BridgeHub.scheduleFlush}). */
  private immediate = false;
  /** The next turn came: a flush due then goes out. */
  private readonly onImmediate = (): void => {
    this.immediate = false;
    if (this.scheduled === 'next-turn') this.flush();
  };

  /** Arms the timer for `wait` ms; when it fires, a timed flush still due goes out or waits its remaining time. */
  private arm(wait: number, now: number): void {
    clearTimeout(this.timer);
    this.timerAt = now + wait;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.scheduled !== 'timed') return; // flushed meanwhile, nothing new since
      const at = performance.now();
      const left = this.wait(at);
      if (left > 0) this.arm(left, at);
      else this.flush();
    }, wait);
  }
}

/** The one place a server message becomes text (but for a patch: {@link encodePatch}). `Json`-typed, so only plain data gets here. */
function encode(message: ServerMessage & Json): string {
  return JSON.stringify(message);
}

/**
 * The text of `{type: 'change', change: {seq, patch}}`, exactly as {@link encode} writes it, with
 * only the patch going through `JSON.stringify`: the envelope around it is the same for every
 * change, and one is made per desk change (issue 21).
 */
export function encodePatch(seq: number, patch: DeskPatch & Json): string {
  return `{"type":"change","change":{"seq":${seq},"patch":${JSON.stringify(patch)}}}`;
}
