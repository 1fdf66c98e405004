/**
 * OpenMethods / UCCX words → the desk's vocabulary. Pure functions and two small books (calls,
 * team) that fold a stream of vendor events into desk patches. Vendor words stop here.
 *
 * Sources: UCCX agent states and their rules, participant states and system reason codes are [C]
 * (VENDOR-NOTES.md, OpenMethods: "UCCX / Finesse states"); the team-status and call-journey bodies
 * are the document's; the session events' shapes are [I] (the wire contract); how each maps onto
 * the desk is ours and is marked where it is a choice.
 */
import type { CallPatch, TeamMemberData } from '../../desk/events.js';
import { CALL_WORK_ACTIONS, type CallAction, type CallJourney, type CallParty, type CallState, type CallWorkAction, type Presence, type PresenceReason, type PresenceState, type TeamRole, type WrapUpReason } from '../../../common/model.js';
import type { AgentState, Interaction, ReasonCodes, TeamStatusData, TeamStatusEventName, UccxParticipant, UccxTeamMember, WrapUpReasons } from './schema.js';
import type { z } from 'zod';
import type { callJourneyDataSchema } from './schema.js';

// ---- agent state ---------------------------------------------------------------------------------

/** The UCCX agent states [C]. */
export const UCCX_STATES = ['LOGOUT', 'NOT_READY', 'READY', 'RESERVED', 'TALKING', 'WORK', 'WORK_READY'] as const;

/** UCCX system reason codes and their names [C]. */
export const SYSTEM_REASONS: Readonly<Record<string, string>> = {
  '32767': 'Relogon (AGT_RELOGON)',
  '32765': 'Connection down (AGT_CONN_DOWN)',
  '32763': 'Ring no answer (AGT_RNA)',
  '32760': 'Logon (AGT_LOGON)',
  '32758': 'Work timer expired (AGT_WORK_TIMER_EXP)',
  '32755': 'Call ended (AGT_CALL_ENDED)',
};

/**
 * A reason code's label: the account's own codes (from `session.getReasonCodes`), else the UCCX
 * system codes [C], else the code itself.
 */
export function reasonLabel(code: string | number | null | undefined, known: ReadonlyMap<string, string>): string | undefined {
  if (code === null || code === undefined || String(code).trim() === '') return undefined;
  const key = String(code).trim();
  // Own entries only: a plain lookup found Object.prototype's members ("constructor" gave a function).
  return known.get(key) ?? (Object.hasOwn(SYSTEM_REASONS, key) ? SYSTEM_REASONS[key] : undefined) ?? key;
}

/**
 * The desk presence of a UCCX agent state (the mapping):
 * READY → ready; NOT_READY → not-ready with the reason's label; WORK / WORK_READY → wrap-up;
 * LOGOUT → offline. RESERVED (a call is being offered) and TALKING (on a call) are not presences of
 * their own: the desk keeps the presence the agent had before (`previous`; `ready` when unknown,
 * since UCCX offers calls to ready agents) with the raw state as the label. The raw state is always
 * the label; an unknown state is kept as the label of a `not-ready` presence.
 * @param known reason code → label, from `session.getReasonCodes`.
 */
export function presenceOf(state: AgentState, previous: PresenceState | undefined, known: ReadonlyMap<string, string>): Presence {
  const raw = state.state;
  const since = state.since ?? undefined;
  const reason = state.reasonLabel?.trim() || reasonLabel(state.reasonCode, known);
  let canonical: PresenceState;
  let withReason: boolean;
  switch (raw) {
    case 'READY':
      canonical = 'ready';
      withReason = false;
      break;
    case 'NOT_READY':
      canonical = 'not-ready';
      withReason = true;
      break;
    case 'WORK':
    case 'WORK_READY':
      canonical = 'wrap-up';
      withReason = false;
      break;
    case 'LOGOUT':
      canonical = 'offline';
      withReason = true;
      break;
    case 'RESERVED':
    case 'TALKING':
    case 'HOLD':
      canonical = previous ?? 'ready';
      withReason = previous === 'not-ready' || previous === 'offline';
      break;
    default:
      canonical = 'not-ready';
      withReason = true;
  }
  // Member by member (no closure, no object per optional member), in the order the desk has always been given them.
  const presence: Presence = { state: canonical, label: raw };
  if (withReason && reason) presence.reason = reason;
  if (since) presence.since = since;
  return presence;
}

/** Whether the agent is on a call in this state [C: TALKING; a held agent stays TALKING on UCCX]. */
export function isTalking(state: string): boolean {
  return state === 'TALKING' || state === 'HOLD';
}

/** Whether this state is after-call work [C: WORK, WORK_READY]. */
export function isWrapUp(state: string): boolean {
  return state === 'WORK' || state === 'WORK_READY';
}

/**
 * The `session.changeState` state for a desk presence [I]: ready → READY, not-ready → NOT_READY,
 * wrap-up → WORK, offline → LOGOUT; do-not-disturb has no UCCX state (undefined).
 */
export function uccxStateFor(presence: PresenceState): 'READY' | 'NOT_READY' | 'WORK' | 'LOGOUT' | undefined {
  switch (presence) {
    case 'ready':
      return 'READY';
    case 'not-ready':
      return 'NOT_READY';
    case 'wrap-up':
      return 'WORK';
    case 'offline':
      return 'LOGOUT';
    default:
      return undefined;
  }
}

/** A reason the agent may pick, with the code as the server sent it (number or string), to send back unchanged. */
export interface UccxReason extends PresenceReason {
  wire: string | number;
}

/** `session.getReasonCodes` → the desk's reasons: not-ready codes with `not-ready`, logout codes with `offline` [I]. */
export function reasonsOf(codes: ReasonCodes): UccxReason[] {
  return [
    ...(codes.notReady ?? []).map((r): UccxReason => ({ code: String(r.code), label: r.label, state: 'not-ready', wire: r.code })),
    ...(codes.logout ?? []).map((r): UccxReason => ({ code: String(r.code), label: r.label, state: 'offline', wire: r.code })),
  ];
}

/** A wrap-up reason with its code as the server sent it (number or string), to send back unchanged. */
export interface UccxWrapUpReason extends WrapUpReason {
  wire: string | number;
}

/**
 * `session.getWrapUpReasons`' `{wrapUp: [{code, label}]}` [I] → the desk's wrap-up reasons: codes as
 * strings (a repeated code kept once, the first), labels trimmed (an empty one shows the code).
 */
export function wrapUpReasonsOf(data: WrapUpReasons): UccxWrapUpReason[] {
  const seen = new Set<string>();
  const reasons: UccxWrapUpReason[] = [];
  for (const reason of data.wrapUp ?? []) {
    const code = String(reason.code).trim();
    if (!code || seen.has(code)) continue;
    seen.add(code);
    reasons.push({ code, label: reason.label.trim() || code, wire: reason.code });
  }
  return reasons;
}

// ---- capabilities -------------------------------------------------------------------------------

/**
 * What the processor lets this desk do, from `getCapabilities`: the session commands (answer …
 * changeState), then the call work (VENDOR-NOTES.md, "Call work beyond answer and hang-up": the keys
 * `consult`, `transfer`, `conference`, `singleStepTransfer`, `sendDtmf`, `wrapUpReasons` = `true`
 * offer that action, absent = not offered [I]).
 */
export interface UccxCapabilities {
  answer: boolean;
  release: boolean;
  hold: boolean;
  retrieve: boolean;
  makeCall: boolean;
  changeState: boolean;
  /** `conversation.consult` on the primary conversation. */
  consult: boolean;
  /** `conversation.transfer` on the consult conversation (a consultative transfer). */
  transfer: boolean;
  /** `conversation.conference` on the consult conversation. */
  conference: boolean;
  /** `conversation.singleStepTransfer` on the primary conversation (a blind transfer). */
  singleStepTransfer: boolean;
  /** `conversation.sendDtmf` on an ACTIVE conversation. */
  sendDtmf: boolean;
  /** `session.getWrapUpReasons` and `interaction.setWrapUpReason`. */
  wrapUpReasons: boolean;
}

/** The session commands, whose keys are read leniently. */
type SessionCapability = 'answer' | 'release' | 'hold' | 'retrieve' | 'makeCall' | 'changeState';
/** The call work capabilities, offered only where named. */
type CallWorkCapability = Exclude<keyof UccxCapabilities, SessionCapability>;

const CAPABILITY_KEYS: Record<SessionCapability, readonly string[]> = {
  answer: ['conversation.answer', 'answer'],
  release: ['conversation.release', 'release', 'hangup'],
  hold: ['conversation.hold', 'hold'],
  retrieve: ['conversation.retrieve', 'retrieve'],
  makeCall: ['session.makecall', 'makecall', 'dial'],
  changeState: ['session.changestate', 'changestate'],
};

/** The call work keys (VENDOR-NOTES, "Call work" [I]), also taken with the command's prefix. */
const CALL_WORK_KEYS: Record<CallWorkCapability, readonly string[]> = {
  consult: ['consult', 'conversation.consult'],
  transfer: ['transfer', 'conversation.transfer'],
  conference: ['conference', 'conversation.conference'],
  singleStepTransfer: ['singlesteptransfer', 'conversation.singlesteptransfer'],
  sendDtmf: ['senddtmf', 'conversation.senddtmf'],
  wrapUpReasons: ['wrapupreasons', 'session.getwrapupreasons', 'interaction.setwrapupreason'],
};

/** No call work: what a server that names none of it offers (absent = not offered [I]). */
const NO_CALL_WORK: Readonly<Record<CallWorkCapability, boolean>> = {
  consult: false,
  transfer: false,
  conference: false,
  singleStepTransfer: false,
  sendDtmf: false,
  wrapUpReasons: false,
};

/**
 * Every session command allowed and no call work: what the desk assumes of a server whose
 * capabilities name none of the session commands, or that refused `getCapabilities` (call work
 * is offered only where named, VENDOR-NOTES [I]).
 */
export const ALL_CAPABILITIES: Readonly<UccxCapabilities> = { answer: true, release: true, hold: true, retrieve: true, makeCall: true, changeState: true, ...NO_CALL_WORK };

/** Whether a capability value says yes: `true`, a non-zero number, or a word like "true"/"yes"/"enabled". */
function truthy(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') return /^(true|yes|y|on|1|enabled|supported)$/i.test(value.trim());
  return value !== null && value !== undefined;
}

/**
 * `getCapabilities`' "key value pairs of capabilities" (document) → what the desk offers [I]: the
 * keys are the session commands (`conversation.answer`, `session.makeCall` …, or their last part),
 * compared trimmed and case-insensitively; a truthy value allows the command. When the answer names
 * none of these commands at all, nothing is taken away (an implementation with other keys). Call
 * work is offered only where its key (VENDOR-NOTES, "Call work") is truthy.
 */
export function capabilitiesOf(data: Readonly<Record<string, unknown>> | null | undefined): UccxCapabilities {
  const entries = new Map(Object.entries(data ?? {}).map(([key, value]) => [key.trim().toLowerCase(), value]));
  const allowed = (keys: readonly string[]): boolean => keys.some((key) => entries.has(key) && truthy(entries.get(key)));
  const callWork = Object.fromEntries(Object.entries(CALL_WORK_KEYS).map(([name, keys]) => [name, allowed(keys)])) as Record<CallWorkCapability, boolean>;
  const named = Object.values(CAPABILITY_KEYS).some((keys) => keys.some((key) => entries.has(key)));
  if (!named) return { ...ALL_CAPABILITIES, ...callWork };
  return {
    answer: allowed(CAPABILITY_KEYS.answer),
    release: allowed(CAPABILITY_KEYS.release),
    hold: allowed(CAPABILITY_KEYS.hold),
    retrieve: allowed(CAPABILITY_KEYS.retrieve),
    makeCall: allowed(CAPABILITY_KEYS.makeCall),
    changeState: allowed(CAPABILITY_KEYS.changeState),
    ...callWork,
  };
}

/**
 * The call work an account offers at all, in the desk's words, from the capabilities [I]:
 * `consult` → consult (and `cancelConsult`, a release of the consult conversation then a retrieve of
 * the primary, needing both), `singleStepTransfer` → blindTransfer, `transfer`, `conference`,
 * `sendDtmf`; `setWrapUpReason` only with `wrapUpReasons` and at least one reason (`hasReasons`).
 */
export function callWorkOf(capabilities: UccxCapabilities, hasReasons: boolean): CallWorkAction[] {
  const offered: Record<CallWorkAction, boolean> = {
    consult: capabilities.consult,
    blindTransfer: capabilities.singleStepTransfer,
    transfer: capabilities.consult && capabilities.transfer,
    conference: capabilities.consult && capabilities.conference,
    cancelConsult: capabilities.consult && capabilities.release && capabilities.retrieve,
    sendDtmf: capabilities.sendDtmf,
    setWrapUpReason: capabilities.wrapUpReasons && hasReasons,
  };
  return CALL_WORK_ACTIONS.filter((action) => offered[action]);
}

// ---- calls ----------------------------------------------------------------------------------------

/** Which leg of an interaction: the customer's (`primary`) or the agent's consultation (`consult`) [C]. */
export type Leg = 'primary' | 'consult';

/** The desk call id of a leg: the interaction id for the primary leg, `<interaction>:consult` for the consult leg. */
export function callIdOf(interactionId: string, leg: Leg): string {
  return leg === 'primary' ? interactionId : `${interactionId}:consult`;
}

/** The interaction and leg of a desk call id (inverse of {@link callIdOf}). */
export function legOfCallId(callId: string): { interactionId: string; leg: Leg } {
  return callId.endsWith(':consult') ? { interactionId: callId.slice(0, -':consult'.length), leg: 'consult' } : { interactionId: callId, leg: 'primary' };
}

/** A participant state [C] → the desk's call state; `undefined` for one that says nothing (WRAP_UP). */
export function callStateOf(participantState: string, direction: 'inbound' | 'outbound' | 'consult'): CallState | undefined {
  switch (participantState.trim().toUpperCase()) {
    case 'ALERTING':
      return direction === 'inbound' ? 'ringing' : 'dialing';
    case 'INITIATING':
    case 'INITIATED':
    case 'DIALING':
      return 'dialing';
    case 'ACTIVE':
      return 'connected';
    case 'HELD':
      return 'held';
    case 'DROPPED':
    case 'FAILED':
      return 'ended';
    default:
      return undefined;
  }
}

/**
 * The actions a leg allows in a state, limited by the processor's capabilities. Call work [I]: a
 * connected primary leg offers consult, blind transfer and digits while no consultation runs; the
 * consult leg offers cancel (release it, retrieve the primary) and, once the colleague answered,
 * transfer, conference and digits.
 * @param consulting whether the interaction has a consult leg now (the primary's call work waits for it to end).
 */
export function actionsFor(state: CallState, capabilities: UccxCapabilities, leg: Leg = 'primary', consulting = false): Array<CallAction | CallWorkAction> {
  const all: CallAction[] =
    state === 'ringing' ? ['answer'] : state === 'dialing' ? ['hangup'] : state === 'connected' ? ['hangup', 'hold'] : state === 'held' ? ['retrieve', 'hangup'] : [];
  const allowed: Record<CallAction, boolean> = { answer: capabilities.answer, hangup: capabilities.release, hold: capabilities.hold, retrieve: capabilities.retrieve };
  const work: Record<CallWorkAction, boolean> =
    leg === 'primary'
      ? {
          consult: state === 'connected' && !consulting && capabilities.consult,
          blindTransfer: state === 'connected' && !consulting && capabilities.singleStepTransfer,
          transfer: false,
          conference: false,
          cancelConsult: false,
          sendDtmf: state === 'connected' && !consulting && capabilities.sendDtmf,
          setWrapUpReason: false,
        }
      : {
          consult: false,
          blindTransfer: false,
          transfer: state === 'connected' && capabilities.transfer,
          conference: state === 'connected' && capabilities.conference,
          cancelConsult: state !== 'ended' && capabilities.release && capabilities.retrieve,
          sendDtmf: state === 'connected' && capabilities.sendDtmf,
          setWrapUpReason: false,
        };
  return [...all.filter((action) => allowed[action]), ...CALL_WORK_ACTIONS.filter((action) => work[action])];
}

/**
 * A conference's parties from `interaction-data.participants[]` (VENDOR-NOTES, "Call work"; each
 * party's shape [I]: a number alone, or `{id, number | address, name, type: CUSTOMER | AGENT,
 * "agent-id"}`), when there are more than two (a two-party call is no conference). `CUSTOMER` is
 * the caller; an `AGENT` is the agent when its `agent-id` is `agentId`, else a colleague.
 */
export function partiesOf(participants: readonly UccxParticipant[], agentId?: string): CallParty[] | undefined {
  if (participants.length <= 2) return undefined;
  return participants.map((p, i): CallParty => {
    if (typeof p === 'string') return { id: `${i}:${p}`, number: p };
    const number = p.number ?? p.address;
    const id = p.id === null || p.id === undefined ? `${i}:${number ?? p.name ?? ''}` : String(p.id);
    const type = p.type?.trim().toUpperCase();
    const me = agentId !== undefined && p['agent-id'] !== null && p['agent-id'] !== undefined && String(p['agent-id']) === agentId;
    const role = type === 'CUSTOMER' ? 'customer' : me ? 'agent' : type === 'AGENT' ? 'colleague' : undefined;
    return { id, ...(p.name ? { name: p.name } : {}), ...(number ? { number } : {}), ...(role ? { role } : {}) };
  });
}

/** What the book knows of one leg. */
interface LegRecord {
  conversationId: string;
  state: CallState;
  /** The event named no conversation: the id is the interaction's, until one is named. */
  assumed?: boolean;
  /** The actions last given to the desk (to tell when the other leg changed them). */
  actions?: string;
}

/** What the book knows of one interaction. */
interface InteractionRecord {
  id: string;
  direction: 'inbound' | 'outbound';
  caller?: string;
  target?: string;
  userData?: Record<string, string>;
  /** A conference's parties (`interaction-data.participants`). */
  parties?: CallParty[];
  /** Who the agent consults (the `destination` the desk sent): the consult leg's far end. */
  consultTarget?: string;
  legs: Partial<Record<Leg, LegRecord>>;
}

/** What attached data shows for a value nested too deeply to be written. */
export const TOO_DEEP = '(nested too deeply to show)';

/**
 * The call-variable values as flat strings (the desk's attached data). A value nested too deeply
 * for `JSON.stringify` (found by fuzzing: it threw a RangeError out of the session's fold) shows as
 * {@link TOO_DEEP}.
 */
function flatten(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'object') return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return TOO_DEEP;
  }
}

/**
 * The call's attached data: ANI, DNIS and every call variable, as flat strings [I: `interaction-data`
 * holds `ani`, `dnis`, `callVariables`].
 */
export function userDataOf(interaction: Interaction): Record<string, string> | undefined {
  const data = interaction['interaction-data'];
  if (!data) return undefined;
  const out: Record<string, string> = {};
  if (data.ani) out.ANI = data.ani;
  if (data.dnis) out.DNIS = data.dnis;
  for (const [key, value] of Object.entries(data.callVariables ?? {})) out[key] = flatten(value);
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * Folds the session's interaction and conversation events into desk call patches: one desk call
 * per interaction (its primary leg, id = the interaction id) and, while the agent consults, one for
 * the consult leg (direction `consult`, id `<interaction>:consult`), so that Hold, Retrieve and Hang
 * up act on the leg the agent sees. Conversation ids map back to their leg.
 */
export class CallBook {
  private readonly interactions = new Map<string, InteractionRecord>();
  private readonly conversations = new Map<string, { interactionId: string; leg: Leg }>();

  /**
   * @param capabilities what the processor allows (until `getCapabilities` answers: every session command, no call work).
   * @param agentId the UCCX agent id, to tell the agent among a conference's parties.
   */
  constructor(
    private capabilities: UccxCapabilities = { ...ALL_CAPABILITIES },
    private readonly agentId?: string,
  ) {}

  /** Changes the capabilities (after `getCapabilities`); returns the patches that update the calls' actions. */
  setCapabilities(capabilities: UccxCapabilities): CallPatch[] {
    this.capabilities = capabilities;
    return [...this.interactions.values()].flatMap((record) => (Object.keys(record.legs) as Leg[]).map((leg) => ({ id: callIdOf(record.id, leg), actions: this.actionsOf(record, leg) })));
  }

  /** The state of a live leg of this desk call (undefined when the book does not know it). */
  stateOf(callId: string): CallState | undefined {
    const { interactionId, leg } = legOfCallId(callId);
    return this.interactions.get(interactionId)?.legs[leg]?.state;
  }

  /**
   * The desk asked to consult `destination` from call `callId`: the consult leg, which UCCX reports
   * by its conversation id alone [I], shows it as its far end. `undefined` forgets it (refused).
   */
  consultTo(callId: string, destination: string | undefined): void {
    const record = this.interactions.get(legOfCallId(callId).interactionId);
    if (!record) return;
    if (destination === undefined) delete record.consultTarget;
    else record.consultTarget = destination;
  }

  /** Whether the book knows a live leg of this desk call. */
  has(callId: string): boolean {
    const { interactionId, leg } = legOfCallId(callId);
    return this.interactions.get(interactionId)?.legs[leg] !== undefined;
  }

  /** The conversation id of a desk call's leg, for `conversation.*` targets. */
  conversationOf(callId: string): { interactionId: string; conversationId: string } | undefined {
    const { interactionId, leg } = legOfCallId(callId);
    const conversationId = this.interactions.get(interactionId)?.legs[leg]?.conversationId;
    return conversationId === undefined ? undefined : { interactionId, conversationId };
  }

  /** The interaction an ended or live desk call belongs to. */
  interactionOf(callId: string): string {
    return legOfCallId(callId).interactionId;
  }

  /**
   * An `interaction.alerting|dialing|started|ended` event [I].
   * @returns the patches of the legs it touched.
   */
  interaction(name: 'alerting' | 'dialing' | 'started' | 'ended', interaction: Interaction): CallPatch[] {
    const id = interaction['interaction-id'];
    let record = this.interactions.get(id);
    if (!record) {
      if (name === 'ended') return [{ id, state: 'ended', actions: [] }];
      record = { id, direction: name === 'dialing' ? 'outbound' : 'inbound', legs: {} };
      this.interactions.set(id, record);
    }
    const data = interaction['interaction-data'];
    if (data?.ani) record.caller = data.ani;
    if (data?.dnis) record.target = data.dnis;
    const userData = userDataOf(interaction);
    if (userData) record.userData = { ...record.userData, ...userData };
    if (data?.participants) record.parties = partiesOf(data.participants, this.agentId);

    const patches: CallPatch[] = [];
    const eventState: CallState = name === 'alerting' ? 'ringing' : name === 'dialing' ? 'dialing' : name === 'started' ? 'connected' : 'ended';
    // An event naming a consult conversation on an interaction already known is about the consult leg.
    const eventLeg: Leg = interaction.conversations?.consult && (record.legs.primary || record.legs.consult) ? 'consult' : 'primary';
    for (const leg of ['primary', 'consult'] as const) {
      const ref = interaction.conversations?.[leg];
      const known = record.legs[leg];
      if (!ref && !known && leg !== eventLeg) continue;
      const conversationId = ref?.id ?? known?.conversationId ?? id;
      const direction = leg === 'consult' ? 'consult' : record.direction;
      const stated = ref?.state ? callStateOf(ref.state, direction) : undefined;
      const state: CallState = name === 'ended' ? 'ended' : (stated ?? (leg === eventLeg ? eventState : (known?.state ?? eventState)));
      patches.push(this.setLeg(record, leg, conversationId, state, !ref && (known?.assumed ?? true)));
    }
    if (name === 'ended') this.forget(record);
    return patches;
  }

  /** A `conversation.stateChanged` event [I]; `target` (`<session>.<interaction>.<conversation>`) finds an unknown conversation. */
  conversation(conversationId: string, participantState: string, target?: string): CallPatch[] {
    let where = this.conversations.get(conversationId);
    if (!where && target) {
      const parts = target.split('.');
      const interactionId = parts.length >= 3 ? parts[parts.length - 2] : undefined;
      const record = interactionId ? this.interactions.get(interactionId) : undefined;
      if (record) {
        const primary = record.legs.primary;
        const leg: Leg = primary && !primary.assumed && primary.conversationId !== conversationId ? 'consult' : 'primary';
        where = { interactionId: record.id, leg };
      }
    }
    if (!where) return [];
    const record = this.interactions.get(where.interactionId);
    if (!record) return [];
    const direction = where.leg === 'consult' ? 'consult' : record.direction;
    const state = callStateOf(participantState, direction);
    if (!state) return [];
    const patch = this.setLeg(record, where.leg, conversationId, state);
    if (state === 'ended' && participantState.toUpperCase() === 'FAILED') patch.endReason = 'failed';
    if (!record.legs.primary && !record.legs.consult) this.forget(record);
    const other = this.otherLegActions(record, where.leg);
    return other ? [patch, other] : [patch];
  }

  /**
   * The interactions `session.getState` lists, as the desk's full list of this account's calls
   * (`calls.sync`); the book is rebuilt from them.
   */
  sync(interactions: readonly Interaction[]): CallPatch[] {
    this.interactions.clear();
    this.conversations.clear();
    const patches: CallPatch[] = [];
    for (const interaction of interactions) {
      const state = (interaction['interaction-state'] ?? '').trim().toUpperCase();
      const name = state === 'ALERTING' ? 'alerting' : state === 'DIALING' || state === 'INITIATING' ? 'dialing' : 'started';
      patches.push(...this.interaction(name, interaction).filter((p) => p.state !== 'ended'));
    }
    return patches;
  }

  /** A leg's actions now (a primary's call work waits while a consult leg exists). */
  private actionsOf(record: InteractionRecord, leg: Leg): Array<CallAction | CallWorkAction> {
    const known = record.legs[leg];
    const actions = known ? actionsFor(known.state, this.capabilities, leg, record.legs.consult !== undefined) : [];
    if (known) known.actions = actions.join();
    return actions;
  }

  /** The patch of the other leg when a change of `changed` changed its actions (a consultation began or ended). */
  private otherLegActions(record: InteractionRecord, changed: Leg): CallPatch | undefined {
    const other: Leg = changed === 'primary' ? 'consult' : 'primary';
    const known = record.legs[other];
    if (!known) return undefined;
    const before = known.actions;
    const actions = this.actionsOf(record, other);
    return actions.join() === before ? undefined : { id: callIdOf(record.id, other), actions };
  }

  private setLeg(record: InteractionRecord, leg: Leg, conversationId: string, state: CallState, assumed = false): CallPatch {
    const previous = record.legs[leg];
    if (previous && previous.conversationId !== conversationId) this.conversations.delete(previous.conversationId);
    const known: LegRecord = { conversationId, state };
    if (assumed) known.assumed = assumed;
    record.legs[leg] = known;
    this.conversations.set(conversationId, { interactionId: record.id, leg });
    // Member by member (no object per optional member), in the order the desk has always been given them.
    const patch: CallPatch = {
      id: callIdOf(record.id, leg),
      legId: conversationId,
      direction: leg === 'consult' ? 'consult' : record.direction,
      state,
      actions: state === 'ended' ? [] : this.actionsOf(record, leg),
    };
    if (leg === 'consult') {
      // The consult leg's far end is the colleague (when the desk knows who), not the caller.
      patch.consultOf = callIdOf(record.id, 'primary');
      if (record.consultTarget) patch.target = record.consultTarget;
    } else {
      if (record.caller) patch.caller = record.caller;
      if (record.target) patch.target = record.target;
      if (record.parties) patch.parties = record.parties.map((p) => ({ ...p }));
    }
    if (record.userData) patch.userData = { ...record.userData };
    if (state === 'ended') {
      delete record.legs[leg];
      this.conversations.delete(conversationId);
      if (leg === 'consult') delete record.consultTarget;
    }
    return patch;
  }

  private forget(record: InteractionRecord): void {
    for (const leg of Object.values(record.legs)) if (leg) this.conversations.delete(leg.conversationId);
    this.interactions.delete(record.id);
  }
}

// ---- team -----------------------------------------------------------------------------------------

/** A member type (document: "Agent" | "Supervisor" | "TeamLead") → the desk's role. */
export function roleOf(memberType: string | null | undefined): TeamRole | undefined {
  switch ((memberType ?? '').replace(/[\s_-]/g, '').toLowerCase()) {
    case 'agent':
      return 'agent';
    case 'supervisor':
      return 'supervisor';
    case 'teamlead':
      return 'team-lead';
    default:
      return undefined;
  }
}

/**
 * A team member's status (document: "ready" | "not_ready" | "ACW") → the desk's presence state;
 * other words are read leniently (logout → offline, talking/reserved → ready and on a call) and an
 * unknown one becomes `not-ready` with the word as its label.
 */
export function memberStateOf(status: string | null | undefined): { state: PresenceState; onCall: boolean } {
  switch ((status ?? '').replace(/[\s_-]/g, '').toLowerCase()) {
    case 'ready':
      return { state: 'ready', onCall: false };
    case 'notready':
      return { state: 'not-ready', onCall: false };
    case 'acw':
    case 'work':
    case 'workready':
      return { state: 'wrap-up', onCall: false };
    case 'logout':
    case 'loggedout':
    case 'offline':
      return { state: 'offline', onCall: false };
    case 'talking':
    case 'reserved':
    case 'hold':
      return { state: 'ready', onCall: true };
    default:
      return { state: 'not-ready', onCall: false };
  }
}

/** What the book holds of one member. */
interface MemberRecord {
  teamId: string;
  member: TeamMemberData;
  /** The status word and reason code last seen, to tell a change. */
  status: string;
  reason: string | undefined;
}

/** A change of the desk's team, from one event. */
export type TeamChange = { type: 'team'; member: TeamMemberData } | { type: 'team.remove'; memberId: string };

/**
 * Folds the team-status report's events (document, "Report Events") into the desk's team: members
 * grouped by team name, with role, status, reason and time in status. `since` is when this desk saw
 * the status change; a member first listed (team added, member added) has no `since`, since the
 * document gives no time in status.
 */
export class TeamBook {
  private readonly teams = new Map<string, string>();
  private readonly members = new Map<string, MemberRecord>();

  /** @param known reason code → label (`session.getReasonCodes`). */
  constructor(private known: ReadonlyMap<string, string> = new Map()) {}

  /** Updates the reason labels. */
  setReasonLabels(known: ReadonlyMap<string, string>): void {
    this.known = known;
  }

  /** Every member known now. */
  all(): TeamMemberData[] {
    return [...this.members.values()].map((r) => r.member);
  }

  /** Forgets everything (a new report begins). */
  clear(): void {
    this.teams.clear();
    this.members.clear();
  }

  /**
   * One team-status event.
   * @param now ISO time of receipt, the `since` of a status change.
   */
  apply(name: TeamStatusEventName, data: TeamStatusData, now: string): TeamChange[] {
    const { team } = data;
    const teamId = team.teamId;
    const short = name.slice('report.teamstatus.'.length);
    switch (short) {
      case 'teamadded':
      case 'memberadded':
      case 'memberstatuschanged': {
        if (team.teamName) this.teams.set(teamId, team.teamName);
        else if (!this.teams.has(teamId)) this.teams.set(teamId, teamId);
        return (team.members ?? []).map((m) => ({ type: 'team' as const, member: this.upsert(teamId, m, short === 'memberstatuschanged' ? now : undefined) }));
      }
      case 'teamchanged': {
        this.teams.set(teamId, team.teamName ?? this.teams.get(teamId) ?? teamId);
        const changes: TeamChange[] = [];
        for (const record of this.members.values()) {
          if (record.teamId !== teamId) continue;
          record.member = { ...record.member, group: this.teams.get(teamId) };
          changes.push({ type: 'team', member: record.member });
        }
        return changes;
      }
      case 'teamremoved': {
        this.teams.delete(teamId);
        const changes: TeamChange[] = [];
        for (const [id, record] of this.members) {
          if (record.teamId !== teamId) continue;
          this.members.delete(id);
          changes.push({ type: 'team.remove', memberId: id });
        }
        return changes;
      }
      case 'memberremoved':
        return (team.members ?? []).flatMap((m) => (this.members.delete(m.memberId) ? [{ type: 'team.remove' as const, memberId: m.memberId }] : []));
      default:
        return [];
    }
  }

  private upsert(teamId: string, incoming: UccxTeamMember, changedAt: string | undefined): TeamMemberData {
    const known = this.members.get(incoming.memberId);
    const status = incoming.status ?? known?.status ?? '';
    const reasonCode = incoming.reason !== undefined ? incoming.reason : known?.reason;
    const { state, onCall } = memberStateOf(status);
    const changed = !known || known.status !== status || known.reason !== reasonCode;
    const since = changed ? changedAt : known?.member.presence.since;
    const reason = state === 'not-ready' || state === 'offline' ? reasonLabel(reasonCode, this.known) : undefined;
    const role = roleOf(incoming.memberType) ?? known?.member.role;
    const member: TeamMemberData = {
      id: incoming.memberId,
      name: incoming.memberName?.trim() || known?.member.name || incoming.memberId,
      group: this.teams.get(teamId),
      ...(role ? { role } : {}),
      presence: { state, label: status || state, ...(reason ? { reason } : {}), ...(since ? { since } : {}) },
      onCall,
      canChat: false,
    };
    this.members.set(incoming.memberId, { teamId, member, status, reason: reasonCode });
    return member;
  }
}

// ---- call journey --------------------------------------------------------------------------------

/**
 * A "<formatted time value>" (document) in seconds: `HH:MM:SS`, `MM:SS`, plain seconds, ISO-8601
 * (`PT1M5S`) or `1h 2m 3s` [I: the document does not give the format]. `undefined` when unreadable.
 */
export function durationSecOf(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const value = text.trim();
  let m = /^(\d+):(\d{1,2}):(\d{1,2}(?:\.\d+)?)$/.exec(value);
  if (m) return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
  m = /^(\d+):(\d{1,2}(?:\.\d+)?)$/.exec(value);
  if (m) return Number(m[1]) * 60 + Number(m[2]);
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value);
  m = /^P(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)$/i.exec(value);
  if (m && (m[1] || m[2] || m[3])) return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
  m = /^(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*(?:(\d+(?:\.\d+)?)\s*s(?:ec)?)?$/i.exec(value);
  if (m && (m[1] || m[2] || m[3])) return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
  return undefined;
}

/** `report.calljourney`'s data (document) → the desk's journey of `callId`. */
export function journeyOf(callId: string, data: z.infer<typeof callJourneyDataSchema>): CallJourney {
  return {
    callId,
    steps: (data.CallJourney ?? []).map((step) => {
      const durationSec = durationSecOf(step.Duration);
      return {
        device: step.Device ?? '',
        ...(step.DeviceType ? { deviceType: step.DeviceType } : {}),
        ...(step.Description ? { description: step.Description } : {}),
        ...(durationSec !== undefined ? { durationSec } : {}),
      };
    }),
  };
}
