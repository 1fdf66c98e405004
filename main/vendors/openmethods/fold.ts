/**
 * What one account's UCCX session has told the desk so far, and the fold of the session resource's
 * and the report's events into desk events: the agent state (presence, talking, wrap-up), the
 * calls ({@link CallBook}) and the team ({@link TeamBook}). Synchronous and socket-free, so the
 * connector, its tests and the bench share one path from a DCP event to desk events.
 *
 * Event shapes: `session.stateChanged`, `interaction.alerting|dialing|started|ended`,
 * `conversation.stateChanged` [I] (VENDOR-NOTES wire contract); `report.teamstatus.*` (document).
 * A body that fails its schema is logged (a warning naming the event) and dropped.
 */
import type { CallPatch, ConnectorEvent } from '../../desk/events.js';
import type { PresenceState } from '../../../common/model.js';
import type { DeskLogger as Logger } from '../../desk/port.js';
import { CallBook, TeamBook, isTalking, isWrapUp, legOfCallId, presenceOf, reasonsOf, wrapUpReasonsOf, type UccxCapabilities, type UccxReason, type UccxWrapUpReason } from './normalize.js';
import {
  agentStateSchema,
  conversationStateSchema,
  interactionSchema,
  problemOf,
  teamStatusDataSchema,
  TEAM_STATUS_EVENTS,
  type AgentState,
  type Interaction,
  type ReasonCodes,
  type TeamStatusEventName,
  type WrapUpReasons,
} from './schema.js';

/** UCCX states that do not change the presence the agent chose (they keep it, labelled) [C states]. */
const ON_A_CALL = new Set(['RESERVED', 'TALKING', 'HOLD']);

/** The interaction events' names [C] → what happened to the interaction. */
const INTERACTION_EVENTS: ReadonlyMap<string, 'alerting' | 'dialing' | 'started' | 'ended'> = new Map([
  ['interaction.alerting', 'alerting'],
  ['interaction.dialing', 'dialing'],
  ['interaction.started', 'started'],
  ['interaction.ended', 'ended'],
]);

/** One account's UCCX picture, kept across reconnections. */
export class UccxFold {
  readonly calls: CallBook;
  readonly team = new TeamBook();
  /** The reasons the agent may give (`session.getReasonCodes`), with their codes as the server sent them. */
  reasons: UccxReason[] = [];
  /** The wrap-up reasons the agent may give a call (`session.getWrapUpReasons`), codes as the server sent them. */
  wrapUpReasons: UccxWrapUpReason[] = [];
  /** Who waits for a call leg to end ({@link legEnded}), by desk call id. */
  private readonly legWaiters = new Map<string, Array<() => void>>();
  /** The agent's UCCX state, as last reported. */
  agentState: AgentState | undefined;
  private settledPresence: PresenceState | undefined;
  private wrapUpShown = false;
  private talkingShown: boolean | undefined;
  private lastEndedCall: string | undefined;
  /** The reasons' labels by code, and the {@link reasons} list they were read from (read again only when it is another list). */
  private reasonLabels: { of: UccxReason[]; labels: ReadonlyMap<string, string> } | undefined;

  /**
   * @param agentId the UCCX agent id, to tell the agent among a conference's parties.
   */
  constructor(
    private readonly log: Logger,
    agentId?: string,
  ) {
    this.calls = new CallBook(undefined, agentId);
  }

  /**
   * `session.getWrapUpReasons`' answer [I] → the `wrapup.reasons` event (none offered: an empty list).
   * @param required whether the account asks for a reason before the agent leaves wrap-up.
   */
  setWrapUpReasons(data: WrapUpReasons, required: boolean): ConnectorEvent[] {
    this.wrapUpReasons = wrapUpReasonsOf(data);
    const reasons = this.wrapUpReasons.map(({ code, label }) => ({ code, label }));
    return [{ type: 'wrapup.reasons', reasons, required: required && reasons.length > 0 }];
  }

  /**
   * Resolves once the book no longer knows call `callId` (at once when it knows it no more), or
   * after `withinMs` ms, whichever comes first; never rejects.
   */
  legEnded(callId: string, withinMs: number): Promise<void> {
    if (!this.calls.has(callId)) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, withinMs);
      timer.unref?.();
      const waiters = this.legWaiters.get(callId) ?? [];
      waiters.push(done);
      this.legWaiters.set(callId, waiters);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
    });
  }

  /** `session.getReasonCodes`' answer → the `presence.reasons` event; the labels also name team members' reasons. */
  setReasons(codes: ReasonCodes): ConnectorEvent[] {
    this.reasons = reasonsOf(codes);
    this.team.setReasonLabels(new Map(this.reasons.map((r) => [r.code, r.label])));
    return [{ type: 'presence.reasons', reasons: this.reasons.map(({ code, label, state }) => ({ code, label, state })) }];
  }

  /** `getCapabilities`' answer: the calls' actions follow it. */
  setCapabilities(capabilities: UccxCapabilities): ConnectorEvent[] {
    return this.calls.setCapabilities(capabilities).map((call) => ({ type: 'call', call }));
  }

  /** `session.getState`'s answer: every call re-synced, then the state. */
  sync(state: AgentState, interactions: readonly Interaction[], now: string): ConnectorEvent[] {
    const calls = this.calls.sync(interactions);
    for (const [callId, waiters] of this.legWaiters) {
      if (this.calls.has(callId)) continue;
      this.legWaiters.delete(callId);
      for (const resolve of waiters) resolve();
    }
    return [{ type: 'calls.sync', calls }, ...this.state(state, now)];
  }

  /**
   * The agent's state → presence (the raw state as label, the reason's label), talking, wrap-up.
   * @param now ISO time, the wrap-up's start when the state gives no `since`.
   */
  state(state: AgentState, now: string): ConnectorEvent[] {
    this.agentState = state;
    // The labels by code, made once per list of reasons, not once per state (a third of UCCX's events).
    if (this.reasonLabels?.of !== this.reasons) this.reasonLabels = { of: this.reasons, labels: new Map(this.reasons.map((r) => [r.code, r.label])) };
    const presence = presenceOf(state, this.settledPresence, this.reasonLabels.labels);
    if (!ON_A_CALL.has(state.state)) this.settledPresence = presence.state;
    const events: ConnectorEvent[] = [{ type: 'presence', presence }];
    const talking = isTalking(state.state);
    if (talking !== this.talkingShown) {
      this.talkingShown = talking;
      events.push({ type: 'talking', talking });
    }
    if (isWrapUp(state.state) && !this.wrapUpShown) {
      this.wrapUpShown = true;
      events.push({ type: 'wrapup', wrapUp: { startedAt: state.since ?? now, ...(this.lastEndedCall ? { callId: this.lastEndedCall } : {}) } });
    } else if (!isWrapUp(state.state) && this.wrapUpShown) {
      this.wrapUpShown = false;
      events.push({ type: 'wrapup', wrapUp: null });
    }
    return events;
  }

  /** One event of the session resource → desk events (none for a name the desk does not show). */
  resourceEvent(name: string, target: string | undefined, data: unknown, now: string): ConnectorEvent[] {
    if (name === 'session.stateChanged') {
      const parsed = agentStateSchema.safeParse(data);
      return parsed.success ? this.state(parsed.data, now) : this.malformed(name, parsed.error);
    }
    const interaction = INTERACTION_EVENTS.get(name);
    if (interaction) {
      const parsed = interactionSchema.safeParse(data);
      return parsed.success ? this.callEvents(this.calls.interaction(interaction, parsed.data)) : this.malformed(name, parsed.error);
    }
    if (name === 'conversation.stateChanged') {
      const parsed = conversationStateSchema.safeParse(data);
      return parsed.success ? this.callEvents(this.calls.conversation(parsed.data['conversation-id'], parsed.data.state, target)) : this.malformed(name, parsed.error);
    }
    this.log.debug({ name }, 'OpenMethods session event the desk does not show');
    return [];
  }

  /** One event of the report service → desk team events (none for another name). */
  reportEvent(name: string, data: unknown, now: string): ConnectorEvent[] {
    if (!TEAM_STATUS_EVENTS.includes(name as TeamStatusEventName)) {
      this.log.debug({ name }, 'OpenMethods report event the desk does not show');
      return [];
    }
    const parsed = teamStatusDataSchema.safeParse(data);
    return parsed.success ? this.team.apply(name as TeamStatusEventName, parsed.data, now) : this.malformed(name, parsed.error);
  }

  private callEvents(patches: CallPatch[]): ConnectorEvent[] {
    return patches.map((call) => {
      if (call.state === 'ended') {
        // The wrap-up is for the caller's call, not for a consultation that ended before it.
        if (legOfCallId(call.id).leg === 'primary') this.lastEndedCall = call.id;
        const waiters = this.legWaiters.get(call.id);
        this.legWaiters.delete(call.id);
        for (const resolve of waiters ?? []) resolve();
      }
      return { type: 'call', call };
    });
  }

  private malformed(name: string, error: Parameters<typeof problemOf>[0]): ConnectorEvent[] {
    this.log.warn({ name, problem: problemOf(error) }, `OpenMethods: dropped a malformed ${name} event`);
    return [];
  }
}
