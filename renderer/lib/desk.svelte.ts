/**
 * The window's view of the desk: the state folded from `window.desk`'s changes, what the agent has
 * selected, and the invocations (every error ends up on the status line, never swallowed).
 */
import { getContext, setContext } from 'svelte';
import { applyChange, type PatchOwner } from '../../common/patch.js';
import { chatOf } from '../../common/selectors.js';
import type { Account, DeskApi, DeskChange, DeskState, FocusTarget } from '../../preload/bridge.js';
import { t, tSaid } from './i18n.js';
import { TeamChanges } from './team.js';

export interface StatusMessage {
  id: number;
  text: string;
  tone: 'error' | 'info';
}

const STATUS_MS = 6000;
const HIGHLIGHT_MS = 4000;
/** The longest the window waits for an animation frame (a hidden window gets none) [I]. */
const FRAME_FALLBACK_MS = 100;
/**
 * The window's own time showing changes in one animation frame (16.7 ms at 60 Hz), ms, after which
 * it waits for the next frame and shows then whatever arrived meanwhile [I]: what is left of the
 * frame is the browser's (style, layout, paint) and the agent's input. Measured per show, from
 * the model's change to the end of Svelte's DOM update (a microtask).
 */
const SHOW_BUDGET_MS = 4;

/** An animation frame requested, with its fallback timer (whichever comes first runs `then`). */
interface Frame {
  raf?: number;
  timer: ReturnType<typeof setTimeout>;
}

function requestFrame(then: () => void): Frame {
  const raf = typeof requestAnimationFrame === 'function' ? requestAnimationFrame(then) : undefined;
  return { raf, timer: setTimeout(then, FRAME_FALLBACK_MS) };
}

function cancelFrame(frame: Frame | undefined): undefined {
  if (frame?.raf !== undefined) cancelAnimationFrame(frame.raf);
  clearTimeout(frame?.timer);
  return undefined;
}

/**
 * Whether a change brings the agent something to answer that the window does not show yet (a call
 * starting to ring, a chat invitation, a new link to confirm, an app asking to pair): shown at once, not at the next
 * frame. Issue 12: a ringing call reaches the window within one frame. An upsert of a call or chat
 * the window has carries `state` only when it changed (`common/patch.ts` `Upsert`), so a state
 * present and `ringing` (`invited`) is one the call (chat) has just turned to.
 */
function bringsSomethingToAnswer(change: DeskChange, shown: DeskState | undefined): boolean {
  if ('full' in change || !shown) return true;
  const { calls, chats, pendingDial, automation } = change.patch;
  if (pendingDial && pendingDial.id !== shown.pendingDial?.id) return true;
  if (automation?.requests.some((request) => !shown.automation?.requests.some((r) => r.id === request.id))) return true;
  if (calls?.upsert.some((call) => call.state === 'ringing' && shown.calls[call.key]?.state !== 'ringing')) return true;
  return chats?.upsert.some((chat) => chat.state === 'invited' && shown.chats[chat.key]?.state !== 'invited') ?? false;
}

export class DeskModel {
  readonly api: DeskApi;
  /** The latest state; undefined until the first full state arrives. */
  state = $state.raw<DeskState | undefined>(undefined);
  /** The chat whose transcript is open. */
  selectedChatKey = $state<string | undefined>(undefined);
  /** The call a toast click asked to show, highlighted for a moment. */
  highlightedCallKey = $state<string | undefined>(undefined);
  /** Bumped on each call focus request, so the same call can be focused twice. */
  callFocusSeq = $state(0);
  /** Bumped each time the app asks for "Save diagnostics…" (the tray's item): the window opens it. */
  diagnosticsAsked = $state(0);
  /** Unsent replies by chat key (kept while the agent switches chats). */
  drafts = $state<Record<string, string>>({});
  /** The inline status line. */
  status = $state<StatusMessage | undefined>(undefined);

  /**
   * The team members changed, frame by frame as shown: the window changes its team slice in place
   * ({@link PatchOwner}), so the Team reads what changed here, not by comparing thousands of members.
   */
  readonly teamChanges = new TeamChanges();

  #current: { seq: number; state: DeskState } | undefined;
  /** The team slice this window made and changes in place (`common/patch.ts` {@link PatchOwner}). */
  readonly #owner: PatchOwner = {};
  #unsubscribeChange: (() => void) | undefined;
  #statusTimer: ReturnType<typeof setTimeout> | undefined;
  #highlightTimer: ReturnType<typeof setTimeout> | undefined;
  #statusSeq = 0;
  /** A focus target whose entity has not arrived yet. */
  #pendingFocus: FocusTarget | undefined;
  /** The frame that will show the changes received since the last one shown (one was shown in this frame). */
  #frame: Frame | undefined;
  /** Set while the window has shown a change since the last animation frame began: the frame that ends it. */
  #shownThisFrame: Frame | undefined;
  /** The window's time spent showing changes since the last animation frame began, ms. */
  #showMsThisFrame = 0;

  constructor(api: DeskApi) {
    this.api = api;
  }

  /** Subscribes to changes and focus requests; returns the teardown. */
  start(): () => void {
    this.#subscribe();
    const offFocus = this.api.onFocus((target) => (target.kind === 'diagnostics' ? (this.diagnosticsAsked += 1) : this.focus(target)));
    return () => {
      this.#unsubscribeChange?.();
      this.#unsubscribeChange = undefined;
      offFocus();
      this.#frame = cancelFrame(this.#frame);
      this.#shownThisFrame = cancelFrame(this.#shownThisFrame);
      clearTimeout(this.#statusTimer);
      clearTimeout(this.#highlightTimer);
    };
  }

  #subscribe(): void {
    this.#unsubscribeChange?.();
    this.#frame = cancelFrame(this.#frame);
    this.#current = undefined;
    this.#unsubscribeChange = this.api.onChange((change) => this.#receive(change));
  }

  /**
   * Folds one change: the only place in the window a patch is applied (the bridge client only
   * checks the sequence and hands every listener a full state first, then each patch in order).
   */
  #receive(change: DeskChange): void {
    const next = applyChange(this.#current, change, this.#owner);
    if (!next) {
      // Out of sequence: subscribe again, which delivers a fresh full state. Deferred so we do not
      // resubscribe from inside the bridge's own listener loop.
      queueMicrotask(() => this.#subscribe());
      return;
    }
    this.#current = next;
    if ('full' in change) this.teamChanges.noteAll();
    else if (change.patch.team) {
      this.teamChanges.note(change.patch.team.remove);
      this.teamChanges.note(change.patch.team.upsert.map((member) => member.key));
    }
    // The window shows a change at once: Svelte changes the DOM in a microtask, and the browser
    // still lays out and paints once per frame. Only when showing has already taken its budget of
    // this frame (SHOW_BUDGET_MS) does it wait for the next, showing then whatever arrived
    // meanwhile; what the agent must answer is shown at once whatever. So a change that finds the
    // window idle, or one that follows a cheap one within the frame, is in the DOM in well under a
    // frame, and a flood costs about one budget of script a frame.
    if (this.#showMsThisFrame < SHOW_BUDGET_MS || bringsSomethingToAnswer(change, this.state)) this.#show();
    else this.#frame ??= requestFrame(() => this.#show());
  }

  /** Shows the latest state received, and notes that this frame has shown one. */
  #show(): void {
    this.#frame = cancelFrame(this.#frame);
    const state = this.#current?.state;
    if (!state || state === this.state) return;
    // The next animation frame ends this one (its callback runs before a deferred show's, which
    // was requested later, so that show counts into the next frame's budget).
    this.#shownThisFrame ??= requestFrame(() => {
      this.#shownThisFrame = cancelFrame(this.#shownThisFrame);
      this.#showMsThisFrame = 0;
    });
    const started = performance.now();
    this.teamChanges.commit();
    this.state = state;
    if (this.selectedChatKey && !chatOf(state, this.selectedChatKey)) this.selectedChatKey = undefined;
    if (this.#pendingFocus) this.focus(this.#pendingFocus);
    // Svelte's update was queued as a microtask when the state changed, so this one runs after it.
    queueMicrotask(() => {
      if (this.#shownThisFrame) this.#showMsThisFrame += performance.now() - started;
    });
  }

  /** Shows what a toast click asked for: highlights a call or opens a chat. */
  focus(target: FocusTarget): void {
    const state = this.state;
    const known = !state ? undefined : target.kind === 'call' ? state.calls[target.key] : chatOf(state, target.key);
    this.#pendingFocus = known ? undefined : target;
    if (!known) return;
    if (target.kind === 'chat') {
      this.selectedChatKey = target.key;
      return;
    }
    this.highlightedCallKey = target.key;
    this.callFocusSeq += 1;
    clearTimeout(this.#highlightTimer);
    this.#highlightTimer = setTimeout(() => {
      this.highlightedCallKey = undefined;
    }, HIGHLIGHT_MS);
  }

  /** Shows a message on the status line for a few seconds. */
  say(text: string, tone: StatusMessage['tone'] = 'info'): void {
    this.#statusSeq += 1;
    this.status = { id: this.#statusSeq, text, tone };
    clearTimeout(this.#statusTimer);
    this.#statusTimer = setTimeout(() => {
      this.status = undefined;
    }, STATUS_MS);
  }

  /**
   * Runs an invocation; a rejection is shown on the status line (prefixed with what was being done),
   * in the agent's language where the host said it as a code (`DeskError.said`), and reported as `false`.
   */
  async run(what: string, invoke: (api: DeskApi) => Promise<void>): Promise<boolean> {
    try {
      await invoke(this.api);
      return true;
    } catch (error) {
      const said = error instanceof Error && 'said' in error ? (error.said as Parameters<typeof tSaid>[0]) : undefined;
      const message = tSaid(said, error instanceof Error ? error.message : String(error));
      this.say(t('status.failed', { what, message: message || t('status.something-wrong') }), 'error');
      return false;
    }
  }

  /** An account's display label, or its id when unknown. */
  accountLabel(accountId: string): string {
    return this.state?.accounts[accountId]?.label ?? accountId;
  }

  account(accountId: string): Account | undefined {
    return this.state?.accounts[accountId];
  }
}

const KEY = Symbol('desk');

export function provideDesk(model: DeskModel): void {
  setContext(KEY, model);
}

export function useDesk(): DeskModel {
  const model = getContext<DeskModel | undefined>(KEY);
  if (!model) throw new Error('useDesk() outside the desk window');
  return model;
}
