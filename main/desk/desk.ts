/**
 * The desk: owns the accounts and their connectors, folds their events into one state, routes the
 * agent's commands to the connector that owns the entity, and tells listeners when the state
 * changed. Host-independent: the Electron shell and the web host both drive one of these.
 */
import { CommandError, type CommandAnswer, type Connector, type ConnectorCommand, type DeskLogger } from './port.js';
import type { ConnectorEvent } from './events.js';
import { ENDED_CHAT_TTL_MS, type Account, type Call, type CallAction, type CallJourney, type CallWorkAction, type ChatCommand, type ConsultPurpose, type DeskSetup, type DeskState, type PendingDial, type PresenceState, type Said } from '../../common/model.js';
import type { AgentMessage } from '../../common/i18n.js';
import { DIALABLE, DTMF } from '../../common/dial.js';
import { chatOf, consultationOf, type Consultation } from '../../common/selectors.js';
import { parseDialLink } from './dial-link.js';
import type { HistorySeed } from './history.js';
import { initialState, reduce, reduceEvent, type AccountSeed, type SliceOwner, type StoreAction, type Touched } from './store.js';

/**
 * An account as the desk runs it: what it shows before connecting (plain data, copied into the
 * state) and its connector (a live object holding credentials, kept out of the state).
 */
export interface DeskAccount {
  seed: AccountSeed;
  connector: Connector;
}

export interface DeskOptions {
  accounts: readonly DeskAccount[];
  log: DeskLogger;
  /** Where the settings came from, and their problems (shown when the desk is empty). */
  setup?: DeskSetup;
  /** Clock, ISO string (tests pass a fixed one). */
  now?: () => string;
  /** The call history kept from earlier sessions (`history.ts` `loadHistory`). */
  history?: HistorySeed;
  /** Timers for the desk's own chores (clearing ended chats); tests pass fake ones. Default: the global ones. */
  timers?: DeskTimers;
  /** What the agent chose to remember (the account `tel:` links dial from); in memory when absent. */
  preferences?: DeskPreferences;
}

/** The timer functions the desk uses (`setTimeout`'s shape; the delay in ms). */
export interface DeskTimers {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * The agent's remembered choices, kept apart from the settings: an administrator's managed,
 * read-only config must not stop "Remember this choice" from working (issue 11, point 4) [I].
 */
export interface DeskPreferences {
  get(key: string): string | undefined;
  /** Stores a value (`undefined` forgets it). May write a file; must not throw for a full disk (log instead). */
  set(key: string, value: string | undefined): void;
}

/** The preference holding the account `tel:` links dial from. */
export const DIAL_ACCOUNT_PREFERENCE = 'dialAccount';

/** Preferences kept in memory only (tests; a host without a place to write). */
export function memoryPreferences(initial: Record<string, string> = {}): DeskPreferences {
  const values = new Map(Object.entries(initial));
  return {
    get: (key) => values.get(key),
    set: (key, value) => void (value === undefined ? values.delete(key) : values.set(key, value)),
  };
}

/**
 * Called after every change with the new and the previous state, and the keys the change touched
 * per slice (`store.ts` {@link Touched}). All three are for the call only: the team of `previous`
 * may be the team of `state` (the desk sets members in place while nobody holds it, see
 * {@link SliceOwner}), so tell a member's change by `touched.team`, and read `Desk.state` for a
 * state to keep.
 */
export type DeskListener = (state: DeskState, previous: DeskState, touched: Readonly<Touched>) => void;

export class Desk {
  private current: DeskState;
  private readonly listeners = new Set<DeskListener>();
  private readonly accounts = new Map<string, DeskAccount>();
  private readonly now: () => string;
  private readonly timers: DeskTimers;
  /** The one timer that clears ended chats, set for the earliest one's time while any is on the desk. */
  private sweep: unknown;
  private readonly preferences: DeskPreferences;
  private started = false;
  private dialLinks = 0;

  constructor(private readonly options: DeskOptions) {
    this.now = options.now ?? isoClock();
    this.timers = options.timers ?? {
      setTimeout: (run, ms) => setTimeout(run, ms).unref(),
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    };
    this.preferences = options.preferences ?? memoryPreferences();
    for (const account of options.accounts) {
      if (this.accounts.has(account.seed.id)) throw new Error(`two accounts share the id "${account.seed.id}"`);
      this.accounts.set(account.seed.id, account);
    }
    this.current = initialState(
      options.accounts.map((a) => a.seed),
      this.now(),
      options.setup,
      options.history,
    );
  }

  /** The team slice made by the last folds and handed out to nobody yet (`store.ts` {@link SliceOwner}). */
  private readonly owner: SliceOwner = {};

  /** The state now. Handed out, it is never changed (the desk's next fold copies what it changes). */
  get state(): DeskState {
    this.owner.team = undefined;
    return this.current;
  }

  /**
   * The state now, for the bridge's diff only (`main/bridge.ts`), which keeps the team as sent
   * member by member (`patch.ts` `TeamSent`): unlike {@link state}, it leaves the team slice
   * the desk's own, so later folds set members in it in place instead of copying thousands of
   * members once per message. Every other slice is never changed, as with {@link state}; the team
   * slice is only good until the next fold.
   */
  peek(): DeskState {
    return this.current;
  }

  /** The vendor of an account, for logs and diagnostics. */
  vendorOf(accountId: string): string | undefined {
    return this.accounts.get(accountId)?.seed.vendor;
  }

  /** Starts every connector. Idempotent. */
  start(): void {
    if (this.started) return;
    this.started = true;
    for (const account of this.accounts.values()) {
      const { id, vendor } = account.seed;
      const log = this.options.log.child({ account: id, vendor });
      account.connector.start({ emit: (event) => this.receive(id, event, log), log });
    }
  }

  /** Stops every connector (each closes its session cleanly). */
  async stop(): Promise<void> {
    this.started = false;
    if (this.sweep !== undefined) this.timers.clearTimeout(this.sweep);
    this.sweep = undefined;
    await Promise.allSettled([...this.accounts.values()].map((a) => a.connector.stop()));
  }

  /** Listens to every change. Returns the unsubscribe function. */
  subscribe(listener: DeskListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Applies a local view action (chat read, chat dismissed). */
  apply(action: StoreAction): void {
    const previous = this.current;
    const touched: Touched = {};
    this.commit(previous, reduce(previous, action, touched, this.owner), touched);
  }

  /** Makes `next` (folded from `previous`, touching `touched`) the state and tells the listeners; nothing when it is `previous`. */
  private commit(previous: DeskState, next: DeskState, touched: Touched): void {
    if (next === previous) return;
    this.current = next;
    if (next.endedChats !== previous.endedChats && this.sweep === undefined) this.scheduleSweep();
    for (const listener of this.listeners) {
      try {
        listener(next, previous, touched);
      } catch (error) {
        this.options.log.error({ err: error }, 'a desk listener failed');
      }
    }
  }

  /** Takes every ended chat off the desk now (the agent's "Clear ended"). */
  clearEndedChats(): void {
    this.apply({ type: 'chats.clear-ended' });
  }

  /**
   * Sets the one sweep timer for the earliest ended chat's clearing time ({@link ENDED_CHAT_TTL_MS}
   * after its `endedAt`), if any ended chat is on the desk. One timer for all of them: chats end in
   * time order, so when it fires it clears every chat due, then sets itself for the next one.
   */
  private scheduleSweep(): void {
    let earliest: string | undefined;
    for (const key in this.current.endedChats) {
      const chat = this.current.endedChats[key]!;
      const ended = chat.endedAt ?? chat.startedAt;
      if (earliest === undefined || ended < earliest) earliest = ended;
    }
    if (earliest === undefined) return;
    const delay = Math.max(0, Date.parse(earliest) + ENDED_CHAT_TTL_MS - Date.parse(this.now()));
    this.sweep = this.timers.setTimeout(() => {
      this.sweep = undefined;
      const endedBy = new Date(Date.parse(this.now()) - ENDED_CHAT_TTL_MS).toISOString();
      const before = this.current;
      this.apply({ type: 'chats.clear-ended', endedBy });
      // Nothing cleared (a clock that lags the timer): the state did not change, so look again here.
      if (this.current === before) this.scheduleSweep();
    }, delay);
  }

  private receive(accountId: string, event: ConnectorEvent, log: DeskLogger): void {
    try {
      const previous = this.current;
      const touched: Touched = {};
      this.commit(previous, reduceEvent(previous, event, accountId, this.now(), touched, this.owner), touched);
    } catch (error) {
      // A connector event that breaks the store is a bug in that connector: log it with the
      // connector's logger and keep the desk running.
      log.error({ err: error, event: event.type }, 'dropped an event the desk could not fold');
    }
  }

  // ---- commands -----------------------------------------------------------------------------------

  /**
   * Sets the agent's presence on every connected account that accepts it.
   * @param reason a presence reason code: sent to the accounts that offer it with this state; the
   *   others get the state alone.
   * @throws {CommandError} when no account accepts it, when no account knows the reason, or naming
   *   each account that refused.
   */
  async setPresence(state: PresenceState, reason?: string): Promise<void> {
    const targets = Object.values(this.current.accounts).filter(
      (a) => a.presenceOptions.includes(state) && a.connection === 'connected',
    );
    if (targets.length === 0) throw CommandError.say('desk.presence.none-accepts', { state });
    const offers = (a: (typeof targets)[number]): boolean => reason !== undefined && a.presenceReasons.some((r) => r.code === reason && r.state === state);
    if (reason !== undefined && !targets.some(offers)) throw CommandError.say('desk.presence.no-reason');
    const results = await Promise.allSettled(
      targets.map((a) => {
        if (state !== 'wrap-up' && reasonPending(a)) return Promise.reject(CommandError.say('desk.work.reason-required'));
        return this.route(a.id, offers(a) ? { type: 'presence.set', state, reason } : { type: 'presence.set', state });
      }),
    );
    const failures = results.flatMap((r, i) => (r.status === 'rejected' ? [`${targets[i]!.label}: ${messageOf(r.reason)}`] : []));
    if (failures.length) throw CommandError.say('desk.presence.not-changed', { failures: failures.join('; ') });
  }

  /** Sets the presence on one account, with one of its reason codes if given. @throws {CommandError} */
  async setAccountPresence(accountId: string, state: PresenceState, reason?: string): Promise<void> {
    const account = this.current.accounts[accountId];
    if (!account) throw CommandError.say('desk.account.unknown');
    if (!account.presenceOptions.includes(state)) throw CommandError.say('desk.account.not-accepted', { account: account.label, state });
    if (reason !== undefined && !account.presenceReasons.some((r) => r.code === reason && r.state === state)) {
      throw CommandError.say('desk.account.no-reason', { account: account.label });
    }
    if (state !== 'wrap-up' && reasonPending(account)) throw CommandError.say('desk.work.reason-required');
    await this.route(accountId, reason === undefined ? { type: 'presence.set', state } : { type: 'presence.set', state, reason });
  }

  /**
   * The agent answered an account's prompt. Goes through in any connection state (a platform may
   * ask while it connects).
   * @throws {CommandError} when the prompt is no longer open or the choice is not one of its own.
   */
  answerPrompt(accountId: string, promptId: string, choice: string): void {
    const account = this.current.accounts[accountId];
    const prompt = account?.prompt;
    if (!account || !prompt || prompt.id !== promptId) throw CommandError.say('desk.prompt.closed');
    if (!prompt.choices.some((c) => c.id === choice)) throw CommandError.say('desk.prompt.not-an-answer');
    this.accounts.get(accountId)!.connector.answerPrompt?.(promptId, choice);
  }

  /** Starts a chat with a team member. @throws {CommandError} when the member cannot be messaged. */
  async startChat(memberKey: string): Promise<void> {
    const member = this.current.team[memberKey];
    if (!member) throw CommandError.say('desk.colleague.gone');
    if (!member.canChat) throw CommandError.say('desk.colleague.no-chat', { name: member.name });
    await this.route(member.accountId, { type: 'chat.start', memberId: member.id });
  }

  /**
   * The journey of a call (live or recent): the devices it went through.
   * @throws {CommandError} when the call is unknown or its platform has no journeys.
   */
  async callJourney(callKey: string): Promise<CallJourney> {
    const call = this.current.calls[callKey] ?? this.current.recentCalls.find((c) => c.key === callKey);
    if (!call) throw CommandError.say('desk.call.gone');
    const answer = await this.route(call.accountId, { type: 'call.journey', callId: call.id });
    if (!answer) throw CommandError.say('desk.call.no-journey');
    return answer;
  }

  /** Answers, hangs up, holds or retrieves a call. @throws {CommandError} if the call does not allow it now. */
  async callAction(callKey: string, action: CallAction): Promise<void> {
    const call = this.current.calls[callKey];
    if (!call) throw CommandError.say('desk.call.ended');
    if (!call.actions.includes(action)) throw CommandError.say('desk.call.not-now', { action });
    await this.route(call.accountId, { type: 'call.action', callId: call.id, action });
  }

  // ---- call work (issue 18) ----------------------------------------------------------------------

  /**
   * Starts a consultation from a connected call: the call goes on hold and the platform calls
   * `destination`; the consultation leg arrives as a call naming its original (`consultOf`).
   * @param destination a dialable number (`DIALABLE`, `common/dial.ts`).
   * @param purpose what the consultation is for (a platform may fix it at the start).
   * @throws {CommandError} when the call does not allow a consultation now, the number is not
   *   dialable, or the platform refused (its words, also shown on the call).
   */
  async consult(callKey: string, destination: string, purpose: ConsultPurpose): Promise<void> {
    const call = this.workableCall(callKey, 'consult');
    if (consultationOf(this.current, callKey)) throw CommandError.say('desk.work.consultation-running');
    const number = dialable(destination);
    await this.callWork(call, { type: 'call.consult', callId: call.id, destination: number, purpose });
  }

  /**
   * Puts a call through to `destination` at once (a single-step, "blind" transfer).
   * @throws {CommandError} as {@link consult}.
   */
  async blindTransfer(callKey: string, destination: string): Promise<void> {
    const call = this.workableCall(callKey, 'blindTransfer');
    const number = dialable(destination);
    await this.callWork(call, { type: 'call.blindTransfer', callId: call.id, destination: number });
  }

  /**
   * Completes the consultation a call takes part in (`callKey`: either leg): `transfer` puts the
   * held caller through to the consulted party, `conference` joins the three.
   * @throws {CommandError} when there is no consultation, the platform does not allow it now, or refused.
   */
  async completeConsult(callKey: string, as: ConsultPurpose): Promise<void> {
    const { original, consult } = this.consultation(callKey, as);
    await this.callWork(consult, { type: 'call.completeConsult', consultId: consult.id, originalId: original.id, as });
  }

  /** Ends the consultation a call takes part in and takes the held caller back. @throws {CommandError} */
  async cancelConsult(callKey: string): Promise<void> {
    const { original, consult } = this.consultation(callKey, 'cancelConsult');
    await this.callWork(consult, { type: 'call.cancelConsult', consultId: consult.id, originalId: original.id });
  }

  /**
   * Sends touch-tone digits on a call; what the platform accepted joins `Call.digitsSent`.
   * @param digits 1–32 of `0-9 * # A-D` (`DTMF`, `common/dial.ts`).
   * @throws {CommandError} when the call takes no digits now, the digits are not valid, or the platform refused.
   */
  async sendDtmf(callKey: string, digits: string): Promise<void> {
    const call = this.workableCall(callKey, 'sendDtmf');
    if (!DTMF.test(digits)) throw CommandError.say('desk.work.bad-digits');
    await this.callWork(call, { type: 'call.dtmf', callId: call.id, digits });
    this.apply({ type: 'call.digits-sent', callKey: call.key, digits });
  }

  /**
   * Gives the call an account's wrap-up is for one of the account's wrap-up reasons; the wrap-up
   * shows it and the call keeps it (in the call history once it ended).
   * @throws {CommandError} when the account is not in wrap-up for a known call, the code is not one
   *   of its reasons, or the platform refused.
   */
  async setWrapUpReason(accountId: string, code: string): Promise<void> {
    const account = this.current.accounts[accountId];
    if (!account) throw CommandError.say('desk.account.unknown');
    if (!account.wrapUp) throw CommandError.say('desk.work.no-wrap-up');
    const callId = account.wrapUp.callId;
    if (callId === undefined) throw CommandError.say('desk.work.no-wrap-up-call');
    const reason = account.wrapUpReasons.find((r) => r.code === code);
    if (!reason || !account.callWork.includes('setWrapUpReason')) throw CommandError.say('desk.work.unknown-reason');
    await this.route(accountId, { type: 'call.wrapUpReason', callId, reason });
    this.apply({ type: 'wrapup.reason-set', accountId, callId, reason });
  }

  /** A live call that allows `action` now. @throws {CommandError} */
  private workableCall(callKey: string, action: CallWorkAction): Call {
    const call = this.current.calls[callKey];
    if (!call) throw CommandError.say('desk.call.ended');
    if (!call.actions.includes(action)) throw CommandError.say('desk.work.not-now', { action });
    return call;
  }

  /** The consultation a call takes part in, its leg allowing `action` now. @throws {CommandError} */
  private consultation(callKey: string, action: CallWorkAction): Consultation {
    if (!this.current.calls[callKey]) throw CommandError.say('desk.call.ended');
    const consultation = consultationOf(this.current, callKey);
    if (!consultation) throw CommandError.say('desk.work.no-consultation');
    if (!consultation.consult.actions.includes(action)) throw CommandError.say('desk.work.not-now', { action });
    return consultation;
  }

  /**
   * Routes call work on `call`: the call's last failure is cleared first, and a refusal is shown
   * on the call in the platform's words (then thrown for the status line).
   */
  private async callWork(call: Call, command: ConnectorCommand): Promise<void> {
    this.apply({ type: 'call.error', callKey: call.key });
    try {
      await this.route(call.accountId, command);
    } catch (error) {
      const said = error instanceof CommandError && error.said ? saidOf(error.said) : undefined;
      this.apply({ type: 'call.error', callKey: call.key, message: messageOf(error), ...(said ? { said } : {}) });
      throw error;
    }
  }

  /** Click-to-dial on an account. @throws {CommandError} */
  async dial(accountId: string, number: string): Promise<void> {
    await this.route(accountId, { type: 'call.dial', number });
  }

  /**
   * A `tel:`/`callto:` link arrived (the OS, the web host's protocol handler): it becomes the
   * pending dial the window shows, replacing an older one, which it names (`replaces`) so the
   * window shows it as new; a link that cannot be dialled is shown with the reason. Nothing is
   * dialled here.
   *
   * [I] Security: a link is one click on any web page or e-mail, so it must never place a call by
   * itself, even with a single account and a remembered choice: the agent confirms every link
   * (`confirmDial`), which also stops a page from dialling premium numbers in the agent's name.
   */
  openDialLink(link: string): PendingDial {
    const parsed = parseDialLink(link);
    this.dialLinks += 1;
    const pending: PendingDial = { id: `link-${this.dialLinks}`, link: parsed.link, at: this.now() };
    const previous = this.current.pendingDial;
    if (previous) pending.replaces = previous.number ?? previous.link;
    if (parsed.ok) {
      pending.number = parsed.number;
      if (parsed.extension) pending.extension = parsed.extension;
      const remembered = this.preferences.get(DIAL_ACCOUNT_PREFERENCE);
      if (remembered && this.current.accounts[remembered]?.canDial) pending.remembered = remembered;
    } else {
      pending.refused = parsed.reason;
      pending.refusedSaid = parsed.said;
      this.options.log.info({ reason: parsed.reason }, 'a dial link could not be read');
    }
    this.apply({ type: 'dial.pending', pending });
    return pending;
  }

  /**
   * The agent confirmed the pending dial from an account: dials it there; the link leaves the desk
   * once the platform took the call (on failure it stays, for another account or Cancel).
   * @param remember keep the account for the next links (a preference, not a setting).
   * @throws {CommandError} when the link is no longer pending, was refused, or the account cannot dial.
   */
  async confirmDial(id: string, accountId: string, remember: boolean): Promise<void> {
    const pending = this.current.pendingDial;
    if (!pending || pending.id !== id) throw CommandError.say('desk.link.gone');
    if (!pending.number) throw pending.refused ? new CommandError(pending.refused, pending.refusedSaid ? { said: pending.refusedSaid } : undefined) : CommandError.say('desk.link.not-dialable');
    const account = this.current.accounts[accountId];
    if (!account) throw CommandError.say('desk.account.unknown');
    if (!account.canDial) throw CommandError.say('desk.account.no-dial', { account: account.label });
    await this.dial(accountId, pending.number);
    if (remember) this.preferences.set(DIAL_ACCOUNT_PREFERENCE, accountId);
    if (this.current.pendingDial?.id === id) this.apply({ type: 'dial.pending' });
  }

  /**
   * The account the agent chose for dialling links ("Remember this choice"), when it still exists
   * and places calls; the automation API dials from it when an app names no account.
   */
  rememberedDialAccount(): string | undefined {
    const remembered = this.preferences.get(DIAL_ACCOUNT_PREFERENCE);
    return remembered && this.current.accounts[remembered]?.canDial ? remembered : undefined;
  }

  /** The agent cancelled the pending dial. Cancelling a link that is gone does nothing. */
  cancelDial(id: string): void {
    if (this.current.pendingDial?.id === id) this.apply({ type: 'dial.pending' });
  }

  /** Accepts, rejects, completes or leaves a chat. @throws {CommandError} if the chat does not allow it now. */
  async chatAction(chatKey: string, action: ChatCommand): Promise<void> {
    const chat = chatOf(this.current, chatKey);
    if (!chat) throw CommandError.say('desk.chat.gone');
    if (!chat.actions.includes(action)) throw CommandError.say('desk.chat.not-now', { action });
    await this.route(chat.accountId, { type: 'chat.action', chatId: chat.id, action });
  }

  /** Sends a reply in a chat. @throws {CommandError} if the chat does not take replies now. */
  async sendChatMessage(chatKey: string, text: string): Promise<void> {
    const chat = chatOf(this.current, chatKey);
    if (!chat) throw CommandError.say('desk.chat.gone');
    if (!chat.actions.includes('send')) throw CommandError.say('desk.chat.no-replies');
    await this.route(chat.accountId, { type: 'chat.send', chatId: chat.id, text });
  }

  /**
   * Puts away a call its platform no longer confirms (stale after a reconnect).
   * @throws {CommandError} when the call is gone or still confirmed by its platform.
   */
  dismissCall(callKey: string): void {
    const call = this.current.calls[callKey];
    if (!call) throw CommandError.say('desk.call.ended');
    if (!call.stale) throw CommandError.say('desk.call.still-reported');
    this.apply({ type: 'call.dismiss', callKey, at: this.now() });
  }

  /** The agent looked at the call history: the missed-call count (tray badge, window title) goes to zero. */
  markMissedSeen(): void {
    this.apply({ type: 'history.seen' });
  }

  /** The agent read the notice about a call history that could not be read: it leaves every window. */
  dismissHistoryNotice(): void {
    this.apply({ type: 'history.notice-dismissed' });
  }

  /** Closes a callback request. @throws {CommandError} */
  async closeCallback(callbackKey: string): Promise<void> {
    const callback = this.current.callbacks[callbackKey];
    if (!callback) throw CommandError.say('desk.callback.gone');
    await this.route(callback.accountId, { type: 'callback.close', callbackId: callback.id });
  }

  /** The machine woke from sleep: every connection proves it is alive, or reconnects. */
  resume(): void {
    if (!this.started) return;
    this.options.log.info('the machine resumed; checking every connection');
    for (const account of this.accounts.values()) account.connector.resume();
  }

  /** Asks an account's connector to connect again now. @throws {CommandError} for an unknown account. */
  retryAccount(accountId: string): void {
    const account = this.accounts.get(accountId);
    if (!account) throw CommandError.say('desk.account.unknown');
    account.connector.retry();
  }

  private async route(accountId: string, command: ConnectorCommand): Promise<CommandAnswer> {
    const account = this.accounts.get(accountId);
    if (!account) throw CommandError.say('desk.account.unknown');
    const connection = this.current.accounts[accountId]?.connection;
    if (connection !== 'connected') throw CommandError.say('desk.account.not-connected', { account: account.seed.label, connection: String(connection) });
    try {
      return await account.connector.execute(command);
    } catch (error) {
      this.options.log.warn({ account: accountId, command: command.type, err: error }, 'command failed');
      throw error instanceof CommandError ? error : new CommandError(messageOf(error));
    }
  }
}

/** The time now as ISO text, formatted once per millisecond (every event is stamped with it). */
function isoClock(): () => string {
  let ms = Number.NaN;
  let iso = '';
  return () => {
    const now = Date.now();
    if (now !== ms) {
      ms = now;
      iso = new Date(now).toISOString();
    }
    return iso;
  };
}

/**
 * Whether an account waits for a wrap-up reason before the agent may leave wrap-up: its
 * configuration requires one, it offers reasons, and the call in wrap-up has none yet.
 */
function reasonPending(account: Account): boolean {
  const wrapUp = account.wrapUp;
  return (
    wrapUp !== undefined &&
    wrapUp.callId !== undefined &&
    wrapUp.reason === undefined &&
    account.wrapUpReasonRequired &&
    account.wrapUpReasons.length > 0 &&
    account.callWork.includes('setWrapUpReason')
  );
}

/** A destination as the platform is asked to call it (`DIALABLE`). @throws {CommandError} */
function dialable(destination: string): string {
  const number = destination.trim();
  if (!DIALABLE.test(number)) throw CommandError.say('desk.work.bad-destination');
  return number;
}

/** A refusal's code as the desk state keeps it (plain JSON: strings and numbers). */
function saidOf(message: AgentMessage): Said {
  const values = message.values && Object.fromEntries(Object.entries(message.values).map(([name, value]) => [name, typeof value === 'number' ? value : String(value ?? '')]));
  return values ? { key: message.key, values } : { key: message.key };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
