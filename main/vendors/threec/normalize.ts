/**
 * 3C events → the desk's events. Vendor words stop here: presence values, call states, user names
 * and terminals become the desk's presence, calls, team members and chats.
 *
 * {@link ThreecDesk} holds what the connector must remember across sessions (the link remembers
 * nothing, contract [I]): the colleagues' last presence and busy lamps, the live calls (to mark them
 * stale after a reconnect instead of inventing their end), and each IM conversation's transcript
 * counter and recent lines (so a repeated event shows once and a reply shows once).
 *
 * Sources: the document's event tables (`schema.ts`); VENDOR-NOTES.md, 3C: "no chat id: an IM
 * conversation is identified by the pair of users" [C], "presence and callState are free text" [C],
 * the values to expect [I]. The mappings below are [I] and marked so.
 */
import type { CallPatch, ConnectorEvent, TeamMemberData } from '../../desk/events.js';
import type { CallDirection, CallState, ChatMessage, ChatParticipant, Presence, PresenceState } from '../../../common/model.js';
import type { DeskLogger as Logger } from '../../desk/port.js';
import { colleagueTerminalsOf, colleaguesOf, terminalId, terminalsOf, type ColleagueTerminal, type ThreecAccount, type ThreecTerminal } from './config.js';
import type { AdapterEvent, ImReceived, MonitoredTerminalEvent, PresenceChanged } from './schema.js';

/** Who and what one account watches, read from its config. */
export interface Watch {
  /** The agent's own user name (the account's `username`). */
  me: string;
  /** The agent's terminals: their calls are the agent's calls. */
  ownTerminals: ThreecTerminal[];
  /** Colleagues whose presence the Team section shows (owners of watched terminals included; never the agent). */
  colleagues: string[];
  /** Colleagues' terminals whose calls light their owner's busy lamp (none of the agent's own). */
  colleagueTerminals: ColleagueTerminal[];
}

/** The watch of a parsed account: its lists read, each item once, the agent never a colleague. */
export function watchOf(account: Pick<ThreecAccount, 'username' | 'terminals' | 'colleagues' | 'colleagueTerminals'>): Watch {
  const me = account.username;
  const ownTerminals = terminalsOf(account.terminals);
  const own = new Set(ownTerminals.map(terminalId));
  const colleagueTerminals = colleagueTerminalsOf(account.colleagueTerminals).filter(
    (t) => !own.has(terminalId(t.terminal)) && t.username.toLowerCase() !== me.toLowerCase(),
  );
  const named = colleaguesOf([...colleaguesOf(account.colleagues), ...colleagueTerminals.map((t) => t.username)]);
  return { me, ownTerminals, colleagues: named.filter((c) => c.toLowerCase() !== me.toLowerCase()), colleagueTerminals };
}

/** Presence words [I] (VENDOR-NOTES: Available, Busy, Away, DoNotDisturb, Offline; other spellings seen in UC clients), compared without case, spaces or punctuation. */
const PRESENCE_WORDS: Readonly<Record<string, PresenceState>> = {
  available: 'ready',
  online: 'ready',
  busy: 'not-ready',
  away: 'not-ready',
  berightback: 'not-ready',
  brb: 'not-ready',
  donotdisturb: 'do-not-disturb',
  dnd: 'do-not-disturb',
  offline: 'offline',
  loggedoff: 'offline',
  loggedout: 'offline',
};

/**
 * The desk state of a 3C presence value [I]: matched case-insensitively (and without spaces or
 * punctuation, so "Do Not Disturb" is DoNotDisturb); an unknown value is `not-ready` (someone who
 * is there but did not say "Available"), its own word kept as the label by the caller.
 */
export function presenceState(value: string): PresenceState {
  return presenceWords.of(value) ?? 'not-ready';
}

/**
 * A word list's entry for a free-text value, compared without case, spaces or punctuation. Own
 * entries only: a plain lookup also found Object.prototype's members, so the presence
 * "constructor" (found by fuzzing) became a function on the desk, where a presence state belongs.
 */
function wordOf<T>(words: Readonly<Record<string, T>>, value: string): T | undefined {
  const key = value.toLowerCase().replace(/[^a-z]/g, '');
  return Object.hasOwn(words, key) ? words[key] : undefined;
}

/** How many spellings {@link WordMemo} keeps per word list (free text from the link: bounded, then forgotten all at once). */
const WORD_MEMO_SIZE = 256;

/**
 * {@link wordOf} of one word list, remembered per spelling as the link sent it: a stream repeats a
 * handful of spellings ("Ringing", "Available"), and the lowercased copy and the regex's were a
 * tenth of a 3C event's handling [I]. The same answer as `wordOf` for every value.
 */
class WordMemo<T> {
  private readonly seen = new Map<string, T | undefined>();
  constructor(private readonly words: Readonly<Record<string, T>>) {}

  of(value: string): T | undefined {
    const seen = this.seen.get(value);
    if (seen !== undefined || this.seen.has(value)) return seen;
    const word = wordOf(this.words, value);
    if (this.seen.size >= WORD_MEMO_SIZE) this.seen.clear();
    this.seen.set(value, word);
    return word;
  }
}

const presenceWords = new WordMemo(PRESENCE_WORDS);

/** The desk presence of a `presenceChanged`: the raw value as the label, `presenceNote` as the reason. */
export function presenceOf(event: PresenceChanged, since: string): Presence {
  const note = event.presenceNote?.trim();
  const presence: Presence = { state: presenceState(event.presence), label: event.presence.trim() || 'Unknown' };
  if (note) presence.reason = note;
  presence.since = since;
  return presence;
}

/** Call-state words [I] (document: "e.g. Ringing, Disconnected"; VENDOR-NOTES: Dialing, Connected, Held). */
const CALL_WORDS: Readonly<Record<string, CallState>> = {
  ringing: 'ringing',
  alerting: 'ringing',
  offered: 'ringing',
  dialing: 'dialing',
  dialling: 'dialing',
  initiated: 'dialing',
  originated: 'dialing',
  proceeding: 'dialing',
  connected: 'connected',
  established: 'connected',
  talking: 'connected',
  active: 'connected',
  answered: 'connected',
  conferenced: 'connected',
  held: 'held',
  hold: 'held',
  onhold: 'held',
  disconnected: 'ended',
  idle: 'ended',
  dropped: 'ended',
  failed: 'ended',
  released: 'ended',
  cleared: 'ended',
  ended: 'ended',
  terminated: 'ended',
  transferred: 'ended',
};

const callWords = new WordMemo(CALL_WORDS);

/**
 * The desk state of a 3C `callState` [I]: case-insensitive; "Ringing" on an outgoing call is the far
 * end ringing (`dialing`). `undefined` for a word we do not know (the call keeps its state).
 */
export function callStateOf(callState: string, isIncoming: boolean | undefined): CallState | undefined {
  const state = callWords.of(callState);
  return state === 'ringing' && isIncoming === false ? 'dialing' : state;
}

/** The group the Team section files watched colleagues under. */
export const TEAM_GROUP = 'Watched in 3C';

/** How many ended call ids are remembered, so a late event cannot bring an ended call back. */
const ENDED_MEMORY = 500;

interface CallMemo {
  state: CallState;
  direction?: CallDirection;
  userData: Record<string, string>;
  /** The last event's properties, to drop identical repeats ({@link sameCallEvent}). */
  last: MonitoredTerminalEvent;
  stale: boolean;
}

/**
 * Whether two events of a call say the same: every property but the call's id equal (the events'
 * absent properties are `undefined`, never `null`: the schema reads `null` as absent).
 */
function sameCallEvent(a: MonitoredTerminalEvent, b: MonitoredTerminalEvent): boolean {
  return (
    a.callState === b.callState &&
    a.address === b.address &&
    a.addressType === b.addressType &&
    a.calledAddressValue === b.calledAddressValue &&
    a.calledAddressType === b.calledAddressType &&
    a.caller === b.caller &&
    a.callType === b.callType &&
    a.isIncoming === b.isIncoming
  );
}

/** A watched colleague's terminal: its owner's id and the calls seen on it. */
interface Lamp {
  owner: string;
  calls: Set<string>;
}

interface ChatMemo {
  /** The colleague's user name (the chat id, and `destuser` for replies). */
  id: string;
  state: 'invited' | 'active';
  nextIndex: number;
  /** Lines shown within the repeat window, oldest first: who, text, when (epoch ms, receive time). */
  recent: RecentLines;
}

/**
 * A conversation's lines within the repeat window, in the order they were shown, and how many of
 * them each side said with each text: a repeat is found without reading the window through, however
 * busy the conversation (lines leave from the oldest, as the clock passes the window).
 */
class RecentLines {
  private readonly lines: Array<{ key: string; atMs: number }> = [];
  private head = 0;
  private readonly said = new Map<string, number>();

  private static key(mine: boolean, text: string): string {
    return `${mine ? 'm' : 'o'}${text}`;
  }

  /** Forgets the lines older than `windowMs` at `nowMs`. */
  expire(nowMs: number, windowMs: number): void {
    while (this.head < this.lines.length && nowMs - this.lines[this.head]!.atMs > windowMs) {
      const { key } = this.lines[this.head++]!;
      const left = this.said.get(key)! - 1;
      if (left === 0) this.said.delete(key);
      else this.said.set(key, left);
    }
    if (this.head > 64 && this.head * 2 > this.lines.length) {
      this.lines.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Whether that side said that text within the window. */
  has(mine: boolean, text: string): boolean {
    return this.said.has(RecentLines.key(mine, text));
  }

  add(mine: boolean, text: string, atMs: number): void {
    const key = RecentLines.key(mine, text);
    this.lines.push({ key, atMs });
    this.said.set(key, (this.said.get(key) ?? 0) + 1);
  }
}

/** A reply on its way (see {@link ThreecDesk.beginSend}). */
export interface PendingReply {
  chatId: string;
  text: string;
  /** Shown already, because the link echoed it before answering. */
  shown: boolean;
}

/** Options of {@link ThreecDesk}. */
export interface ThreecDeskOptions {
  /** The same IM text from the same side within this long is one message, ms [I]. */
  repeatWindowMs: number;
  log: Logger;
  /** Epoch ms now (tests pass a clock). */
  now?: () => number;
}

/**
 * One account's 3C picture, kept across sessions. Every method returns the desk events to emit.
 * Pure apart from its own memory; no I/O.
 */
export class ThreecDesk {
  private readonly now: () => number;
  /** Lower-cased user name → the spelling used as id (configured, else first seen). */
  private readonly users = new Map<string, string>();
  private readonly members = new Map<string, TeamMemberData>();
  /** Colleague terminal id → its owner's id, and the calls seen on it. */
  private readonly lamps = new Map<string, Lamp>();
  /** Owner id → their lamps (each owner's busy lamp is lit by these alone). */
  private readonly lampsOf = new Map<string, Lamp[]>();
  private readonly ownTerminals: Set<string>;
  private readonly calls = new Map<string, CallMemo>();
  /** The last {@link ENDED_MEMORY} ended call ids, oldest first, and how many times each is among them. */
  private readonly ended: string[] = [];
  private readonly endedCount = new Map<string, number>();
  private readonly chats = new Map<string, ChatMemo>();
  private readonly replies = new Set<PendingReply>();

  constructor(
    private readonly watch: Watch,
    private readonly options: ThreecDeskOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.users.set(watch.me.toLowerCase(), watch.me);
    for (const name of watch.colleagues) {
      this.users.set(name.toLowerCase(), name);
      this.members.set(name, { id: name, name, group: TEAM_GROUP, presence: { state: 'offline', label: 'Unknown' }, onCall: false, canChat: true });
    }
    this.ownTerminals = new Set(watch.ownTerminals.map(terminalId));
    for (const { username, terminal } of watch.colleagueTerminals) {
      this.lamps.set(terminalId(terminal), { owner: this.userId(username), calls: new Set() });
    }
    for (const lamp of this.lamps.values()) {
      const owned = this.lampsOf.get(lamp.owner);
      if (owned) owned.push(lamp);
      else this.lampsOf.set(lamp.owner, [lamp]);
    }
  }

  /** Every watched colleague as the desk shows them now (for `team.sync`). */
  team(): TeamMemberData[] {
    return [...this.members.values()].map((m) => ({ ...m, presence: { ...m.presence } }));
  }

  /**
   * The user id for a name the link sent: the watched spelling when it matches without case; a name
   * without a domain matches a watched UPN with that local part when exactly one does [I] (the
   * document calls `user` a "User ID" and the IM users "username"); else the name as first seen.
   */
  userId(name: string): string {
    const lower = name.trim().toLowerCase();
    const known = this.users.get(lower);
    if (known) return known;
    if (!lower.includes('@')) {
      const local = [...this.users].filter(([key]) => key.split('@')[0] === lower);
      if (local.length === 1) return local[0]![1];
    }
    this.users.set(lower, name.trim());
    return name.trim();
  }

  private isMe(id: string): boolean {
    return id === this.watch.me;
  }

  /** Folds one adapter event. @param at the event's ISO time. */
  handle(event: Exclude<AdapterEvent, { event: 'connected3C' }>, at: string): ConnectorEvent[] {
    switch (event.event) {
      case 'presenceChanged':
        return this.presence(event.properties, at);
      case 'imReceived':
        return this.im(event.properties, at);
      case 'monitoredTerminalEventReceived':
        return this.terminalEvent(event.properties, at);
    }
  }

  private presence(event: PresenceChanged, at: string): ConnectorEvent[] {
    const id = this.userId(event.user);
    const presence = presenceOf(event, at);
    if (this.isMe(id)) return [{ type: 'presence', presence }];
    const member = this.members.get(id);
    if (!member) {
      this.options.log.debug({ user: event.user }, '3C presence of a user not watched; ignored');
      return [];
    }
    const next = { ...member, presence };
    this.members.set(id, next);
    return [{ type: 'team', member: { ...next, presence: { ...presence } } }];
  }

  // ---- calls and busy lamps --------------------------------------------------------------------

  private terminalEvent(event: MonitoredTerminalEvent, at: string): ConnectorEvent[] {
    if (event.addressType) {
      // The terminal by value and type (its id made once for both lookups).
      const id = terminalId({ addressvalue: event.address, addresstype: event.addressType });
      if (this.ownTerminals.has(id)) return this.ownCall(event, at);
      const lamp = this.lamps.get(id);
      if (lamp) return this.lampCall(lamp, event);
    } else {
      if (this.matchTerminal(event, (id) => this.ownTerminals.has(id))) return this.ownCall(event, at);
      const lamp = this.matchTerminal(event, (id) => this.lamps.has(id));
      if (lamp) return this.lampCall(this.lamps.get(lamp)!, event);
    }
    this.options.log.debug({ address: event.address, addressType: event.addressType }, '3C call on a terminal not watched; ignored');
    return [];
  }

  /** The watched terminal id an event without a type is about: the first `known` one of that value. */
  private matchTerminal(event: MonitoredTerminalEvent, known: (id: string) => boolean): string | undefined {
    const all = [...this.ownTerminals, ...this.lamps.keys()];
    return all.find((id) => known(id) && id.slice(id.indexOf(':') + 1) === event.address);
  }

  private ownCall(event: MonitoredTerminalEvent, at: string): ConnectorEvent[] {
    const id = event.call;
    const memo = this.calls.get(id);
    if (memo && !memo.stale && sameCallEvent(memo.last, event)) return []; // a repeat changes nothing
    const mapped = callStateOf(event.callState, event.isIncoming);
    if (mapped === 'ended') {
      if (!memo) return []; // never shown (or ended already): nothing to end
      this.forgetCall(id);
      return [{ type: 'call', call: { id, state: 'ended', endedAt: at, endReason: event.callState } }];
    }
    if (this.endedCount.has(id)) return []; // a late event of an ended call
    const state = mapped ?? memo?.state;
    if (!state) {
      this.options.log.info({ callState: event.callState, call: id }, '3C call state not known; the call shows once a known state arrives');
      return [];
    }
    if (!mapped) this.options.log.info({ callState: event.callState, call: id }, '3C call state not known; the call keeps its state');
    const direction: CallDirection | undefined = event.isIncoming === undefined ? memo?.direction : event.isIncoming ? 'inbound' : 'outbound';
    const userData: Record<string, string> = { Terminal: event.addressType ? `${event.address} (${event.addressType})` : event.address };
    if (event.callType) userData['Call type'] = event.callType;
    this.calls.set(id, { state, direction, userData, last: event, stale: false });
    // Built member by member, in the order the desk has always been given them (no object per optional member).
    const call: CallPatch = { id, state };
    if (direction) call.direction = direction;
    if (event.caller) call.caller = event.caller;
    if (event.calledAddressValue) call.target = event.calledAddressValue;
    call.actions = [];
    call.userData = userData;
    if (!memo) call.startedAt = at;
    if (memo?.stale) call.stale = false;
    return [{ type: 'call', call }];
  }

  private forgetCall(id: string): void {
    this.calls.delete(id);
    this.ended.push(id);
    this.endedCount.set(id, (this.endedCount.get(id) ?? 0) + 1);
    if (this.ended.length > ENDED_MEMORY) {
      const oldest = this.ended.shift()!;
      const left = this.endedCount.get(oldest)! - 1;
      if (left === 0) this.endedCount.delete(oldest);
      else this.endedCount.set(oldest, left);
    }
  }

  private lampCall(lamp: Lamp, event: MonitoredTerminalEvent): ConnectorEvent[] {
    if (callStateOf(event.callState, event.isIncoming) === 'ended') lamp.calls.delete(event.call);
    else lamp.calls.add(event.call); // an unknown state is still a call [I]
    return this.relight(lamp.owner);
  }

  /** The member's busy lamp from all their terminals; an event when it changed. */
  private relight(owner: string): ConnectorEvent[] {
    const member = this.members.get(owner);
    if (!member) return [];
    const onCall = this.lampsOf.get(owner)?.some((l) => l.calls.size > 0) ?? false;
    if (member.onCall === onCall) return [];
    const next = { ...member, onCall };
    this.members.set(owner, next);
    return [{ type: 'team', member: { ...next, presence: { ...next.presence } } }];
  }

  /**
   * A new session began after an earlier one: the link remembers nothing, so every call still on
   * the desk is marked stale until the link reports it again (contract [I]: keep, do not end).
   */
  reconnected(): ConnectorEvent[] {
    const events: ConnectorEvent[] = [];
    for (const [id, memo] of this.calls) {
      if (memo.stale) continue;
      memo.stale = true;
      events.push({ type: 'call', call: { id, stale: true } });
    }
    return events;
  }

  // ---- instant messages ------------------------------------------------------------------------

  private participant(id: string): ChatParticipant {
    // The desk's role for the other side of a conversation (the transcript's far side, unread,
    // the toast's "from"); a colleague, not a customer — see the report on roles.
    return this.isMe(id) ? { id, name: id, role: 'agent' } : { id, name: id, role: 'customer' };
  }

  private im(event: ImReceived, at: string): ConnectorEvent[] {
    const sender = this.userId(event.sendingUser);
    const receiver = event.receivingUser ? this.userId(event.receivingUser) : this.watch.me;
    let chatId: string;
    if (this.isMe(receiver) && !this.isMe(sender)) chatId = sender;
    else if (this.isMe(sender) && !this.isMe(receiver)) chatId = receiver;
    else {
      this.options.log.debug({ sendingUser: event.sendingUser, receivingUser: event.receivingUser }, '3C IM not between the agent and someone else; ignored');
      return [];
    }
    const mine = this.isMe(sender);
    // The link echoed a reply still on its way: it shows now, once (the response will not show it again).
    const reply = mine ? [...this.replies].find((r) => r.chatId === chatId && r.text === event.message && !r.shown) : undefined;
    if (reply) reply.shown = true;
    return this.line(chatId, mine, event.message, at, reply !== undefined);
  }

  /**
   * Adds a line to a conversation unless the same side said the same within the repeat window.
   * @param distinct the line is known to be new (a reply the agent sent), whatever it repeats.
   */
  private line(chatId: string, mine: boolean, text: string, at: string, distinct = false): ConnectorEvent[] {
    const nowMs = this.now();
    const events: ConnectorEvent[] = [];
    let chat = this.chats.get(chatId);
    if (chat) {
      chat.recent.expire(nowMs, this.options.repeatWindowMs);
      if (!distinct && chat.recent.has(mine, text)) {
        this.options.log.debug({ chat: chatId }, '3C IM repeated within the repeat window; shown once');
        return [];
      }
    } else {
      chat = { id: chatId, state: mine ? 'active' : 'invited', nextIndex: 1, recent: new RecentLines() };
      this.chats.set(chatId, chat);
      events.push({ type: 'chat', chat: { id: chatId, state: chat.state, participants: [this.participant(chatId)], actions: ['send'], startedAt: at } });
    }
    if (mine && chat.state === 'invited') {
      chat.state = 'active';
      events.push({ type: 'chat', chat: { id: chatId, state: 'active' } });
    }
    const index = chat.nextIndex++;
    chat.recent.add(mine, text, nowMs);
    const message: ChatMessage = { id: String(index), index, from: this.participant(mine ? this.watch.me : chatId), text, at, kind: 'text' };
    events.push({ type: 'chat.messages', chatId, messages: [message] });
    return events;
  }

  /**
   * The agent opens a conversation with a watched colleague from the Team section.
   * @returns the chat to show (none when it exists already).
   * @throws {Error} when the member is not a watched colleague.
   */
  startChat(memberId: string): ConnectorEvent[] {
    const member = this.members.get(memberId) ?? this.members.get(this.userId(memberId));
    if (!member) throw new Error(`${memberId} is not a watched colleague`);
    if (this.chats.has(member.id)) return [];
    this.chats.set(member.id, { id: member.id, state: 'active', nextIndex: 1, recent: new RecentLines() });
    return [{ type: 'chat', chat: { id: member.id, state: 'active', participants: [this.participant(member.id)], actions: ['send'] } }];
  }

  /** The `destuser` of a conversation (its colleague's user name), or undefined for an unknown chat. */
  destination(chatId: string): string | undefined {
    return this.chats.has(chatId) ? chatId : undefined;
  }

  /** A reply is about to be sent: an echo of it arriving before the response shows it (once). */
  beginSend(chatId: string, text: string): PendingReply {
    const reply: PendingReply = { chatId, text, shown: false };
    this.replies.add(reply);
    return reply;
  }

  /** The link accepted the reply: it shows in the transcript, unless its echo already showed it. */
  sent(reply: PendingReply, at: string): ConnectorEvent[] {
    this.replies.delete(reply);
    if (reply.shown) return [];
    return this.line(reply.chatId, true, reply.text, at, true);
  }

  /** The link refused the reply (or never answered): nothing shows. */
  sendFailed(reply: PendingReply): void {
    this.replies.delete(reply);
  }
}
