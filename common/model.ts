/**
 * The desk's one vocabulary. Every platform connector translates its vendor's words into these
 * types; nothing outside `main/vendors/<vendor>/` ever sees a vendor term. Everything here is plain,
 * JSON-serialisable data, so the same values cross the Electron IPC bridge and the web host's
 * WebSocket unchanged.
 *
 * It lives in `common/` (code both the main process and the window use; it imports nothing outside
 * `common/`, a lint rule) and moved whole, not just the parts the window reads: `DeskState` is made
 * of every type here and is what the window renders, and the two items only the desk uses
 * (`ENDED_CHAT_TTL_MS`, `entityKey`) state facts of the same vocabulary the window relies on (an
 * ended chat's lifetime, the `<accountId>/<id>` key).
 *
 * Every type here is a type alias (not an interface) so that it is checked against {@link Json}:
 * `JsonOnly<DeskState>` below fails to compile the day a function, a class instance, a `Date` or a
 * `Map` is put into the state (ARCHITECTURE.md, principle 8).
 *
 * Conventions: times are ISO-8601 UTC strings (`2026-11-20T09:15:00.000Z`); durations carry their
 * unit in the name (`…Sec`, `…Ms`). A `key` is unique across the whole desk (`<accountId>/<id>`),
 * an `id` only within its account.
 */
import type { MessageKey } from './i18n.js';
import type { AutomationView } from './automation.js';

/**
 * The agent's presence, in contact-center terms.
 * - `ready`: can be offered work ("Available", "Ready").
 * - `not-ready`: logged in but not taking work ("Busy", "Away", "BRB", "NotReady"), with a reason code
 *   where the platform has one.
 * - `wrap-up`: after-call work (ACW).
 * - `do-not-disturb`: no direct calls, no allocations.
 * - `offline`: off work / logged out.
 */
export type PresenceState = (typeof PRESENCE_STATES)[number];

/** Every presence state, in the order menus list them. */
export const PRESENCE_STATES = ['ready', 'not-ready', 'wrap-up', 'do-not-disturb', 'offline'] as const;

/** Human labels of the canonical presence states (menus, status lines). */
export const PRESENCE_LABELS: Readonly<Record<PresenceState, string>> = {
  ready: 'Ready',
  'not-ready': 'Not ready',
  'wrap-up': 'Wrap-up',
  'do-not-disturb': 'Do not disturb',
  offline: 'Offline',
};

/**
 * An account's presence as the platform reports it: the canonical state plus the platform's own
 * label (e.g. state `not-ready`, label "BRB") so the UI can show both (ARCHITECTURE.md, principle 1).
 */
export type Presence = {
  state: PresenceState;
  /** The vendor's own word for it, shown beside the canonical label. */
  label: string;
  /** A not-ready reason or the agent's note, when the platform gives one. */
  reason?: string;
  /** ISO time the state began, when known. */
  since?: string;
  /** ISO time the state ends; absent when open-ended. */
  until?: string;
};

/** How a call reached or left the agent. */
export type CallDirection = 'inbound' | 'outbound' | 'internal' | 'consult';

/**
 * A call's state from the agent's point of view.
 * `dialing` is an outbound call not yet answered by the far end; `queued` a call that waits in a
 * queue for an agent (click-to-dial through a contact center); `ringing` an inbound one offered to
 * the agent; `ended` is terminal: no event moves an ended call back.
 */
export type CallState = 'dialing' | 'queued' | 'ringing' | 'connected' | 'held' | 'ended';

/** What the agent may do with a call right now (the platform says which, per call). */
export type CallAction = (typeof CALL_ACTIONS)[number];
/** Every call action that takes nothing but the call (answer, hang up, hold, retrieve). */
export const CALL_ACTIONS = ['answer', 'hangup', 'hold', 'retrieve'] as const;

/**
 * Call work beyond answer and hang-up (issue 18), in the field's terms:
 * - `consult`: call someone while the caller waits on hold (a consultation leg), to transfer or to conference;
 * - `blindTransfer`: put the caller through to a number at once (a single-step transfer);
 * - `transfer`: complete a consultative transfer (the caller goes to the consulted party; both legs end for the agent);
 * - `conference`: join the caller and the consulted party into one conference call;
 * - `cancelConsult`: end the consultation leg and return to the held caller;
 * - `sendDtmf`: send touch-tone digits (DTMF) on the call (an IVR, a bank's line);
 * - `setWrapUpReason`: give the ended call a wrap-up reason (a disposition) during wrap-up.
 *
 * A call's {@link Call.actions} lists those it allows right now; an account's
 * {@link Account.callWork} those its platform offers at all (empty: the platform leaves call work
 * to its own app, and the window says so instead of showing buttons that cannot work).
 */
export type CallWorkAction = (typeof CALL_WORK_ACTIONS)[number];
/** Every call work action, in the order the window offers them. */
export const CALL_WORK_ACTIONS = ['consult', 'blindTransfer', 'transfer', 'conference', 'cancelConsult', 'sendDtmf', 'setWrapUpReason'] as const;

/** How many consulted numbers a call keeps ({@link Call.consulted}). */
export const CONSULTED_LIMIT = 10;

/** What a consultation is for: a transfer or a conference (some platforms fix it when it starts). */
export type ConsultPurpose = 'transfer' | 'conference';

/** One party of a conference call, as the platform lists it. */
export type CallParty = {
  /** The platform's id of the party (or its number when it gives no id). */
  id: string;
  /** The party's name, when the platform gives one. */
  name?: string;
  /** The party's number or extension, when the platform gives one. */
  number?: string;
  /** Who the party is, where the platform says: the caller (`customer`), a colleague, or the agent. */
  role?: 'customer' | 'colleague' | 'agent';
};

/**
 * A wrap-up reason (disposition): what an ended call was about, for reporting. From the platform
 * where it supplies them, else from the account's configuration.
 */
export type WrapUpReason = {
  /** The code the platform records. */
  code: string;
  /** The words the agent picks it by. */
  label: string;
};

/** A call, folded from every event the platform sends about the same call id. */
export type Call = {
  /** Desk-wide key: `<accountId>/<id>`. */
  key: string;
  accountId: string;
  /** The platform's call id. */
  id: string;
  /** The agent's call leg, when the platform names legs. */
  legId?: string;
  direction: CallDirection;
  state: CallState;
  /** The calling party's number (ANI), as the platform gives it. */
  caller?: string;
  /** The number or service the call was made to (DNIS / target number). */
  target?: string;
  /** The service queue the call came through, when known. */
  queue?: { id?: string; name?: string };
  /** ISO time the desk first heard of the call. */
  startedAt: string;
  /** ISO time the agent was connected. */
  connectedAt?: string;
  /** ISO time the call ended. */
  endedAt?: string;
  /** Why it ended, in the platform's words (e.g. "remote", "local", "overflow: NoAnswer"). */
  endReason?: string;
  /** Actions the platform currently allows on this call, call work included. */
  actions: Array<CallAction | CallWorkAction>;
  /**
   * On a consultation leg: the platform id of the held call it consults about (its original). The
   * window shows the two legs together, and completing or cancelling acts on both.
   */
  consultOf?: string;
  /** On a consultation leg: what it was started for, when the platform fixed it at the start. */
  consultFor?: ConsultPurpose;
  /** A conference's parties, as the platform lists them (absent: not a conference, or not listed). */
  parties?: CallParty[];
  /**
   * The digits (DTMF) sent on this call so far, as the platform accepted them, at most
   * {@link DIGITS_SENT_LIMIT} (the oldest dropped). They may be a PIN or a card number: they leave
   * the desk with the call (never kept in the call history, never logged).
   */
  digitsSent?: string;
  /** The last failure of call work on this call, in the platform's words; cleared by the next attempt. */
  error?: string;
  /** The same as a code, when the desk refused it itself (issue 19); absent for a platform's words. */
  errorSaid?: Said;
  /** The wrap-up reason the agent gave the call (kept in the call history). */
  wrapUpReason?: WrapUpReason;
  /**
   * The numbers the agent consulted during this call, oldest first (at most
   * {@link CONSULTED_LIMIT}). A consultation is part of the call it was made from: when its leg
   * ends, the call (or, when it already ended, its entry in the call history) records whom it
   * reached, instead of a "placed" call of its own [I].
   */
  consulted?: string[];
  /** Attached data (screen-pop data), as flat strings. */
  userData?: Record<string, string>;
  /**
   * The platform has not confirmed this call since it reconnected (it may have ended meanwhile and
   * the platform does not say): shown as such, raises no toast, and the agent may dismiss it.
   */
  stale?: boolean;
  /**
   * The app that placed this call through the automation API (its name as paired), so the desk
   * shows who asked (ARCHITECTURE.md, principle 13); absent for the agent's own calls.
   */
  placedBy?: string;
};

/** The most digits a call keeps in {@link Call.digitsSent} (the newest ones). */
export const DIGITS_SENT_LIMIT = 64;

/**
 * How an ended call went, from the agent's side: `missed` (inbound, never connected), `answered`
 * (inbound, connected), `placed` (the agent's outbound call). See `history.ts` `callOutcome`.
 */
export type CallOutcome = 'missed' | 'answered' | 'placed';

/**
 * An ended call as the call history keeps it: the call, how it went, and the account it came
 * through as it was named then (an account may be renamed or removed later).
 */
export type PastCall = Call & {
  outcome: CallOutcome;
  /** The account's label and platform id when the call ended. */
  account: { label: string; vendor: string };
};

/** Who a chat participant is. */
export type ParticipantRole = 'customer' | 'colleague' | 'agent' | 'supervisor' | 'bot' | 'system';

export type ChatParticipant = {
  id: string;
  name: string;
  role: ParticipantRole;
};

/** `invited`: offered to the agent, not yet accepted; `active`: the agent is in it; `ended`: over. */
export type ChatState = 'invited' | 'active' | 'ended';

/** What the agent may do with a chat right now (the platform's capabilities, per chat). */
export type ChatAction = ChatCommand | 'send';
/** The chat actions that take no text (sending a reply is its own command). */
export const CHAT_COMMANDS = ['accept', 'reject', 'complete', 'leave'] as const;
/** A chat action that takes no text. */
export type ChatCommand = (typeof CHAT_COMMANDS)[number];

/**
 * How long an ended chat stays on the desk, ms: the desk clears it this long after `endedAt`, so the
 * live state does not grow over a shift (issue 11, point 7: "clears itself after 15 minutes").
 */
export const ENDED_CHAT_TTL_MS = 15 * 60_000;

/** One line of a chat transcript. */
export type ChatMessage = {
  /**
   * Identity of the message within its chat: the platform's message index plus what makes a
   * duplicate index distinct (a platform may repeat an index). Re-delivered messages carry
   * the same id and are dropped.
   */
  id: string;
  /** The platform's ordering index. */
  index: number;
  from: ChatParticipant;
  text: string;
  /** ISO time the platform stamped the message with. */
  at: string;
  /** `text` for what a person typed; `notice` for joins, leaves and other system lines. */
  kind: 'text' | 'notice';
};

export type Chat = {
  key: string;
  accountId: string;
  id: string;
  state: ChatState;
  participants: ChatParticipant[];
  actions: ChatAction[];
  userData: Record<string, string>;
  /** The transcript, ordered by index then time; each message exactly once. */
  messages: ChatMessage[];
  /** Messages from others since the agent last looked at this chat. */
  unread: number;
  /** ISO time the desk first heard of the chat. */
  startedAt: string;
  /** ISO time the chat ended (the desk clears ended chats {@link ENDED_CHAT_TTL_MS} after it). */
  endedAt?: string;
  /** The last operation error the platform reported on this chat, shown on the chat. */
  error?: string;
};

/** A callback request (a "call me back" the agent or their lists must return). */
export type Callback = {
  key: string;
  accountId: string;
  id: string;
  /** The call list (callback list) it belongs to. */
  listId?: string;
  contactNumber: string;
  contactName?: string;
  /** Message left by the contact or configured on the queue. */
  message?: string;
  note?: string;
  queueId?: string;
  /** ISO times. */
  createdAt: string;
  dueAt?: string;
  expiresAt?: string;
  notBefore?: string;
  /** Whether it is assigned to this agent personally (vs. to one of their lists). */
  assignedToMe: boolean;
  attempts: number;
};

/** Whether a queue accepts calls now. */
export type QueueOpenState = 'open' | 'closed' | 'unknown';

/** A service queue's live figures. */
export type Queue = {
  key: string;
  accountId: string;
  id: string;
  name: string;
  /** Calls waiting for an agent. */
  waiting: number;
  /** Longest current wait, seconds. */
  longestWaitSec: number;
  /** Agents immediately free to take a call. */
  agentsFree: number;
  /** Agents serving in the queue (away or not). */
  agentsServing: number;
  /** Agents in wrap-up. */
  agentsWrapUp: number;
  open: QueueOpenState;
  /** ISO time of the latest figures. */
  updatedAt: string;
};

/** A colleague's state, where the platform offers team status. */
export type TeamMember = {
  key: string;
  accountId: string;
  id: string;
  name: string;
  /** The team (or watch list) the member belongs to, as the platform names it. */
  group?: string;
  role?: TeamRole;
  /** The member's state; `since` gives the time in status. */
  presence: Presence;
  /** On a call now (a busy lamp). */
  onCall: boolean;
  /** Whether the agent can start a chat (instant messages) with this member. */
  canChat?: boolean;
  /** The member's number or extension, where the platform gives it: offered as a transfer destination. */
  number?: string;
};

/** A team member's role, where the platform says it. */
export type TeamRole = 'agent' | 'supervisor' | 'team-lead';

/** A reason an agent can give for a presence (a not-ready or logout reason code). */
export type PresenceReason = {
  /** The platform's reason code. */
  code: string;
  label: string;
  /** The presence this reason goes with. */
  state: 'not-ready' | 'offline';
};

/**
 * Something the core says to the agent as a code with its parameters (issue 19): `key` is a message
 * of `common/locales/en.json`, said by a host in the agent's language (the window: `tSaid`); a
 * platform's own words travel as a parameter and are shown as the server sent them. Beside it the
 * model keeps the same in English (logs, and a window that does not know the code).
 */
export type Said = { key: MessageKey; values?: { readonly [name: string]: string | number } };

/**
 * A question a platform asks the agent before it goes on (e.g. "Another session exists for this
 * agent: take it over?"). The desk shows it on the account until it is answered or withdrawn.
 */
export type AccountPrompt = {
  id: string;
  /** The question: the platform's own words as its server sent them, or the desk's in English. */
  message: string;
  /** The desk's own question as a code, said in the agent's language (absent: the server's words, shown as sent). */
  said?: Said;
  /** The answers, in order; the primary one is the one that changes something; `said` as for the question. */
  choices: Array<{ id: string; label: string; primary?: boolean; said?: Said }>;
};

/** The devices a finished call went through, as a platform reports them (a call journey). */
export type CallJourney = {
  callId: string;
  steps: Array<{
    device: string;
    deviceType?: string;
    description?: string;
    /** Time spent at this step, seconds. */
    durationSec?: number;
    /** The duration as the platform wrote it, when it is not a number of seconds. */
    durationText?: string;
    /** ISO time the step began, when known. */
    at?: string;
  }>;
};

/**
 * A connection's life: `connecting` (first attempt), `connected`, `reconnecting` (lost, trying again
 * with backoff), `failed` (needs a person: wrong credentials, licence, configuration), `stopped`.
 */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'stopped';

/** A subscription the platform refused, shown per entity (e.g. "Unauthorized" for a queue). */
export type SubscriptionIssue = {
  entity: string;
  topic: string;
  message: string;
};

/** Wrap-up (ACW) in progress on an account. */
export type WrapUp = {
  /** ISO start. */
  startedAt: string;
  /** ISO time it ends by itself; absent when not time-limited. */
  endsAt?: string;
  /** The platform id of the call the wrap-up is for, when known (its reason goes to that call). */
  callId?: string;
  /** The wrap-up reason the agent gave in this wrap-up. */
  reason?: WrapUpReason;
};

/** One configured platform account and everything the desk knows about its connection. */
export type Account = {
  id: string;
  /** The platform it talks to (a registered platform's id; the desk does not know which exist). */
  vendor: string;
  /** Display name, e.g. "Voice (sales)"; defaults to the platform's name. */
  label: string;
  /** True when this account talks to the bundled simulator (demo mode). */
  demo: boolean;
  connection: ConnectionState;
  /** Why it is reconnecting or failed, in words a person can act on (English, as logged). */
  reason?: string;
  /** The same as a code with parameters, said in the agent's language (issue 19); a server's own words are a parameter, shown as sent. */
  reasonSaid?: Said;
  /** Reconnect attempt number while reconnecting (1-based). */
  attempt?: number;
  /** ISO time of the next attempt while reconnecting. */
  nextAttemptAt?: string;
  /** ISO time of the last change of `connection`. */
  since: string;
  presence?: Presence;
  /** Presence states this platform accepts from the agent (empty: presence is set elsewhere). */
  presenceOptions: PresenceState[];
  /** Reasons the agent may give with a presence (not-ready reason codes). */
  presenceReasons: PresenceReason[];
  /** Whether the platform places calls for the agent (click-to-dial). */
  canDial: boolean;
  /** Whether the window can answer, hang up, hold and retrieve this platform's calls. */
  callControl: boolean;
  /**
   * The call work this platform offers (consult, transfers, conference, DTMF, wrap-up reasons);
   * empty when it leaves call work to its own app (the window says so on the call).
   */
  callWork: CallWorkAction[];
  /** The wrap-up reasons the agent may give a call on this account (empty: none). */
  wrapUpReasons: WrapUpReason[];
  /** Whether the account's configuration asks for a wrap-up reason before the agent leaves wrap-up. */
  wrapUpReasonRequired: boolean;
  /** Whether the platform gives the journey of a finished call (`callJourney`). */
  callJourneys: boolean;
  /** One line the window shows about what this platform leaves to another tool (e.g. where presence is set), in English. */
  notice?: string;
  /** The same as a code with parameters, said in the agent's language (issue 19). */
  noticeSaid?: Said;
  /** A question the platform asks the agent, shown until answered. */
  prompt?: AccountPrompt;
  /** Whether the platform reports the agent talking / serving right now. */
  talking?: boolean;
  wrapUp?: WrapUp;
  subscriptionIssues: SubscriptionIssue[];
};

/** The whole picture of the agent's desk. Slices are records by `key` (accounts by `id`). */
export type DeskState = {
  accounts: Record<string, Account>;
  /** Calls not yet ended. */
  calls: Record<string, Call>;
  /**
   * The call history: every ended call, newest first, at most `HISTORY_LIMIT` (`history.ts`); the
   * host keeps it across restarts and seeds it at start.
   */
  recentCalls: PastCall[];
  /** How many of the history's missed calls the agent has not seen yet: the newest ones (tray badge, window title). */
  missedUnseen: number;
  /**
   * One sentence for the agent when the kept call history could not be read at start (it was set
   * aside, and the history starts empty); shown on the history until the agent dismisses it.
   */
  historyNotice?: string;
  /** The same as a code with parameters, said in the agent's language (issue 19). */
  historyNoticeSaid?: Said;
  /** The live chats: offered (`invited`) and `active`. A chat that ends moves to {@link endedChats}. */
  chats: Record<string, Chat>;
  /**
   * The chats that ended (`state: 'ended'`), by the same key they had while live; the desk keeps
   * the newest 50 and clears each {@link ENDED_CHAT_TTL_MS} after its `endedAt`, or when the agent
   * puts it away. Kept apart from the live chats so that a live chat's every line does not copy or
   * walk the ended ones (issue 21, item 1) [I].
   */
  endedChats: Record<string, Chat>;
  /** Open callback requests; closed ones leave the desk. */
  callbacks: Record<string, Callback>;
  queues: Record<string, Queue>;
  team: Record<string, TeamMember>;
  /** True when every account is a demo account. */
  demo: boolean;
  /** Where the settings came from and what is wrong with them (shown when the desk is empty). */
  setup: DeskSetup;
  /** A `tel:`/`callto:` link waiting for the agent to confirm the account to dial from. */
  pendingDial?: PendingDial;
  /** Screen pops decided for live calls, by call key (absent: no account pops). */
  screenPops?: Record<string, ScreenPop>;
  /** The local automation API, when it is on (`automation.enabled`): pairing requests, paired apps, their last commands. */
  automation?: AutomationView;
};

/**
 * A `tel:`/`callto:` link the OS or the browser handed to the app, waiting for the agent: the desk
 * never dials a link by itself (issue 11, point 4; see `Desk.openDialLink`).
 */
export type PendingDial = {
  /** Which link this is; confirming or cancelling names it, so a stale dialog cannot dial a newer link. */
  id: string;
  /** The link as received (trimmed, at most 80 characters), for the agent to compare. */
  link: string;
  /** The number to dial (it matches `DIALABLE`, `common/dial.ts`); absent when the link was refused. */
  number?: string;
  /** An extension (`;ext=`) to key in once the call connects. */
  extension?: string;
  /** Why the link cannot be dialled, in words for the agent. */
  refused?: string;
  /** The same as a code with parameters, said in the agent's language (issue 19). */
  refusedSaid?: Said;
  /** The account the agent chose to remember, when it still exists. */
  remembered?: string;
  /**
   * The link this one replaced before the agent answered it: its number, or the link as received
   * when it had none. The window shows the new link as new (issue 16, point 4).
   */
  replaces?: string;
  /** ISO time the link arrived. */
  at: string;
};

/** A call's screen pop: the CRM address to open, or why it was refused (issue 11, point 5). */
export type ScreenPop = {
  callKey: string;
  accountId: string;
  /** The expanded `https:` address (values URL-encoded, host on the allow-list). */
  url?: string;
  /** Why no address may be opened, in English (also logged with the account). */
  refused?: string;
  /** The same as a code with parameters, said in the agent's language (issue 19). */
  refusedSaid?: Said;
  /** True when the agent's setting opens pops by themselves (`display.screenPop: "auto"`). */
  auto: boolean;
  /** ISO time it was decided. */
  at: string;
};

/** Where the desk's settings were read, and why they could not be used (empty when valid). */
export type DeskSetup = {
  /** In words, e.g. "the config file /etc/agent-companion.json". */
  source: string;
  /** One line per problem, each starting with the field path. */
  problems: string[];
};

/** What a click on a toast asks the window to show. */
export type FocusTarget = { kind: 'call'; key: string } | { kind: 'chat'; key: string };

/** What the app may ask the window to show: a toast's call or chat, or "Save diagnostics…" (the tray's item, issue 22). */
export type ShowRequest = FocusTarget | { kind: 'diagnostics' };

/** A notification the alert policy raises (Electron shows an OS notification, the web host a Web Notification). */
export type Toast = {
  /** Dedupe key: one toast per id, ever (e.g. `call:<callKey>`). */
  id: string;
  title: string;
  body: string;
  /** What a click on it shows. */
  target: FocusTarget;
};

/**
 * A JSON value: what `JSON.stringify` writes and `JSON.parse` gives back unchanged. Optional
 * members (`undefined`) are allowed: JSON leaves them out.
 */
export type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json | undefined };

/**
 * `T` itself when it holds only JSON values; a compile error otherwise. Use it to pin a type that
 * crosses the bridge: `const _: JsonOnly<DeskState> = …` or as a generic bound (`T extends Json`).
 */
export type JsonOnly<T extends Json> = T;

/** Compile-time proof that the desk state and what the alert policy hands to hosts are plain data. */
export type PlainDataProof = [JsonOnly<DeskState>, JsonOnly<Toast>, JsonOnly<CallJourney>];

/** Builds the desk-wide key of an entity. */
export function entityKey(accountId: string, id: string): string {
  return `${accountId}/${id}`;
}
