/**
 * The simulated UCCX contact centre behind the simulated HIS: one agent with a state and reason,
 * the agent's interactions (a primary and at most one consult conversation each), the agent's
 * teams, and the journeys of the calls. Plain state plus the rules that change it; every change is
 * published through `publish` as the session resource's event or the report's event, in the
 * shapes of `payloads.ts`. The server (`index.ts`) delivers them and answers requests.
 *
 * UCCX rules followed [C] (VENDOR-NOTES.md): logout only from NOT_READY; WORK ends in NOT_READY and
 * WORK_READY in READY; a held agent stays TALKING; an unanswered offered call makes the agent
 * NOT_READY with reason 32763 (AGT_RNA); participant states ALERTING, ACTIVE, HELD, DROPPED.
 * What UCCX does that sources do not say is chosen here and marked [I].
 *
 * Call work (VENDOR-NOTES.md, "Call work beyond answer and hang-up", the wire contract [I]): a
 * consultation holds the primary conversation and opens a consult one (ALERTING, then ACTIVE when
 * the colleague answers); completing it as a transfer drops both for the agent (after-call work
 * follows), as a conference drops the consult conversation and leaves the primary ACTIVE with the
 * three parties in `interaction-data.participants`; a single-step transfer drops the primary; DTMF
 * goes on an ACTIVE conversation; a wrap-up reason is taken while the agent is in WORK / WORK_READY
 * for that interaction (else `wrapup.notAllowed`).
 */
import { interactionBody, journeyStep, type SimInteraction, type SimLeg } from './payloads.js';

/** A refusal of a request: the failure's code and message (the document's failure block). */
export type SimRefusal = { code: string; message: string };

/** The agent's state as the simulator holds it (UCCX words [C]). */
export interface SimAgentState {
  state: 'LOGOUT' | 'NOT_READY' | 'READY' | 'RESERVED' | 'TALKING' | 'WORK' | 'WORK_READY';
  reasonCode: number | null;
  /** ISO. */
  since: string;
}

/** A team member as the simulator holds it (document words). */
export interface SimMember {
  memberId: string;
  memberType: 'Agent' | 'Supervisor' | 'TeamLead';
  memberName: string;
  status: 'ready' | 'not_ready' | 'ACW';
  reason: string;
}

/** A team (document words). */
export interface SimTeam {
  teamId: string;
  teamName: string;
  members: SimMember[];
}

/** A reason code the agent may give. */
export interface SimReason {
  code: number;
  label: string;
}

/** What the contact centre publishes: a session event (to the agent's bound client) or a report event (to team-report clients). */
export type Publication = { to: 'session'; name: string; target: string; data: Record<string, unknown> } | { to: 'report'; name: string; data: Record<string, unknown> };

/** The default not-ready and logout reasons [I: UCCX lets each site define its own]. */
export const DEFAULT_REASONS: { notReady: SimReason[]; logout: SimReason[] } = {
  notReady: [
    { code: 1, label: 'Break' },
    { code: 2, label: 'Lunch' },
    { code: 3, label: 'Meeting' },
    { code: 4, label: 'Training' },
    { code: 5, label: 'Coaching' },
  ],
  logout: [
    { code: 20, label: 'End of shift' },
    { code: 21, label: 'Appointment' },
  ],
};

/** The default wrap-up reasons [I: Finesse lets each team define its own, labels up to 40 characters [C]]. */
export const DEFAULT_WRAP_UP_REASONS: SimReason[] = [
  { code: 101, label: 'Sale made' },
  { code: 102, label: 'Information given' },
  { code: 103, label: 'Complaint' },
  { code: 104, label: 'Billing question' },
  { code: 105, label: 'Technical support' },
  { code: 106, label: 'Callback booked' },
  { code: 107, label: 'Wrong number' },
  { code: 108, label: 'Other' },
];

/** The digits one `conversation.sendDtmf` takes (VENDOR-NOTES, "Call work" [I]). */
const DTMF = /^[0-9*#A-D]{1,32}$/;

/** The default teams: two teams, eight members, every member type (document). */
export function defaultTeams(): SimTeam[] {
  return [
    {
      teamId: 'team-north',
      teamName: 'Customer Care North',
      members: [
        { memberId: 'sup-01', memberType: 'Supervisor', memberName: 'Maria Supervisor', status: 'ready', reason: '' },
        { memberId: 'lead-01', memberType: 'TeamLead', memberName: 'Tom Lead', status: 'ready', reason: '' },
        { memberId: 'agent-02', memberType: 'Agent', memberName: 'Ben Hill', status: 'ready', reason: '' },
        { memberId: 'agent-03', memberType: 'Agent', memberName: 'Chloe Park', status: 'not_ready', reason: '2' },
        { memberId: 'agent-04', memberType: 'Agent', memberName: 'Dev Patel', status: 'ACW', reason: '' },
      ],
    },
    {
      teamId: 'team-south',
      teamName: 'Customer Care South',
      members: [
        { memberId: 'agent-05', memberType: 'Agent', memberName: 'Eva Lind', status: 'ready', reason: '' },
        { memberId: 'agent-06', memberType: 'Agent', memberName: 'Farid Haddad', status: 'not_ready', reason: '1' },
        { memberId: 'agent-07', memberType: 'Agent', memberName: 'Grace Okoro', status: 'ready', reason: '' },
      ],
    },
  ];
}

/** The simulated contact centre. */
export class ContactCenter {
  agentState: SimAgentState;
  /** The state the agent had before a call offered or taken (READY or NOT_READY): where it goes after. */
  private beforeCall: 'READY' | 'NOT_READY' = 'READY';
  readonly interactions = new Map<string, SimInteraction>();
  /** Ended calls' journeys, by interaction id. */
  private readonly journeys = new Map<string, Array<Record<string, string>>>();
  readonly teams: SimTeam[];
  /** The resource id events go out under (set by the server when a session exists). */
  resourceId: string | undefined;
  /** The wrap-up reasons the agent may give (`session.getWrapUpReasons`). */
  wrapUpReasons: SimReason[] = DEFAULT_WRAP_UP_REASONS;
  /** The wrap-up reason given to each ended interaction, by interaction id. */
  readonly wrapUpGiven = new Map<string, number>();
  /** The digits sent on each conversation, by conversation id. */
  readonly dtmf = new Map<string, string>();
  /** The interaction whose after-call work the agent is in (the last one that ended while talking). */
  private inWorkFor: string | undefined;
  private counter = 0;

  constructor(
    readonly agent: { id: string; name: string; extension: string },
    readonly reasons: { notReady: SimReason[]; logout: SimReason[] },
    teams: SimTeam[],
    /** Whether a call is followed by WORK / WORK_READY (after-call work) [I]. */
    private readonly wrapUp: boolean,
    private readonly publish: (publication: Publication) => void,
    initial: SimAgentState['state'] = 'READY',
  ) {
    this.agentState = { state: initial, reasonCode: null, since: new Date().toISOString() };
    this.teams = teams;
  }

  private nextId(prefix: string): string {
    this.counter += 1;
    return `${prefix}${Date.now().toString(36)}${this.counter.toString(36).padStart(3, '0')}`;
  }

  // ---- agent state ----

  /** The label of a reason code, if the site defines it. */
  reasonLabel(code: number | null): string | null {
    if (code === null) return null;
    return [...this.reasons.notReady, ...this.reasons.logout].find((r) => r.code === code)?.label ?? null;
  }

  /** Sets the state and publishes `session.stateChanged`. */
  setState(state: SimAgentState['state'], reasonCode: number | null = null): void {
    if (state === 'READY' || state === 'NOT_READY') this.beforeCall = state;
    this.agentState = { state, reasonCode, since: new Date().toISOString() };
    if (this.resourceId) {
      this.publish({ to: 'session', name: 'session.stateChanged', target: this.resourceId, data: this.stateBody() });
    }
  }

  /** `session.stateChanged`'s data (and the head of `session.getState`) [I]. */
  stateBody(): Record<string, unknown> {
    const { state, reasonCode, since } = this.agentState;
    return { state, reasonCode, reasonLabel: this.reasonLabel(reasonCode), since };
  }

  /**
   * The agent asks for a state (`session.changeState`).
   * @returns the refusal's `{code, message}`, or undefined when done.
   */
  changeState(state: string, reasonCode: number | string | undefined): { code: string; message: string } | undefined {
    const now = this.agentState.state;
    const code = reasonCode === undefined || reasonCode === null || reasonCode === '' ? null : Number(reasonCode);
    if (code !== null && !Number.isInteger(code)) return { code: 'reason.unknown', message: `Reason code ${String(reasonCode)} is not defined` };
    const known = (list: SimReason[]): boolean => code === null || list.some((r) => r.code === code);
    switch (state) {
      case 'READY':
        if (now === 'TALKING' || now === 'RESERVED') return { code: 'state.invalid', message: 'An agent on a call cannot become READY' };
        this.setState('READY');
        return undefined;
      case 'NOT_READY':
        if (!known(this.reasons.notReady)) return { code: 'reason.unknown', message: `Reason code ${code} is not a not-ready reason` };
        if (now === 'TALKING' || now === 'RESERVED') return { code: 'state.invalid', message: 'An agent on a call cannot become NOT_READY until the call ends' };
        this.setState('NOT_READY', code);
        return undefined;
      case 'WORK':
        if (now === 'LOGOUT') return { code: 'state.invalid', message: 'A logged-out agent cannot enter WORK' };
        this.setState('WORK');
        return undefined;
      case 'LOGOUT':
        if (!known(this.reasons.logout)) return { code: 'reason.unknown', message: `Reason code ${code} is not a logout reason` };
        if (now !== 'NOT_READY') return { code: 'state.invalid', message: 'UCCX logs an agent out only from NOT_READY' };
        this.setState('LOGOUT', code);
        return undefined;
      default:
        return { code: 'state.unknown', message: `Unknown state ${state}` };
    }
  }

  /** A session was prepared: a logged-out agent logs in, in NOT_READY with reason 32760 (AGT_LOGON) [C]. */
  logIn(): void {
    if (this.agentState.state === 'LOGOUT') this.setState('NOT_READY', 32760);
  }

  /** After-call work ends by itself [C]: WORK → NOT_READY (32758, AGT_WORK_TIMER_EXP), WORK_READY → READY. */
  endWork(): void {
    if (this.agentState.state === 'WORK') this.setState('NOT_READY', 32758);
    else if (this.agentState.state === 'WORK_READY') this.setState('READY');
  }

  // ---- interactions ----

  private target(interaction: SimInteraction, leg?: SimLeg): string {
    const session = this.resourceId ?? 'no-session';
    return leg ? `${session}.${interaction.id}.${leg.id}` : `${session}.${interaction.id}`;
  }

  private emitInteraction(name: string, interaction: SimInteraction): void {
    if (this.resourceId) this.publish({ to: 'session', name, target: this.target(interaction), data: interactionBody(interaction) });
  }

  private emitLeg(interaction: SimInteraction, leg: SimLeg): void {
    if (this.resourceId) {
      this.publish({ to: 'session', name: 'conversation.stateChanged', target: this.target(interaction, leg), data: { 'conversation-id': leg.id, state: leg.state } });
    }
  }

  /** The interaction of a conversation id. */
  legOf(conversationId: string): { interaction: SimInteraction; leg: SimLeg; role: 'primary' | 'consult' } | undefined {
    for (const interaction of this.interactions.values()) {
      if (interaction.primary.id === conversationId) return { interaction, leg: interaction.primary, role: 'primary' };
      if (interaction.consult?.id === conversationId) return { interaction, leg: interaction.consult, role: 'consult' };
    }
    return undefined;
  }

  /**
   * An inbound call is offered to the agent (`interaction.alerting`, its conversation ALERTING).
   * A READY agent becomes RESERVED; another state is left as it is (a direct, non-ACD call [I]).
   * @returns the interaction id.
   */
  ring(options: { ani?: string; dnis?: string; callVariables?: Record<string, string> } = {}): string {
    const id = this.nextId('int-');
    const interaction: SimInteraction = {
      id,
      direction: 'inbound',
      state: 'ALERTING',
      ani: options.ani ?? '+14155550100',
      dnis: options.dnis ?? '8005550199',
      callVariables: options.callVariables ?? {},
      primary: { id: this.nextId('conv-'), state: 'ALERTING' },
      startedAt: Date.now(),
    };
    this.interactions.set(id, interaction);
    if (this.agentState.state === 'READY') this.setState('RESERVED');
    this.emitInteraction('interaction.alerting', interaction);
    this.emitLeg(interaction, interaction.primary);
    return id;
  }

  /**
   * The agent places a call (`session.makeCall`): `interaction.dialing`; the far end answers with {@link farEndAnswers}.
   * @returns the interaction id.
   */
  dial(destination: string): string {
    const id = this.nextId('int-');
    const interaction: SimInteraction = {
      id,
      direction: 'outbound',
      state: 'DIALING',
      ani: this.agent.extension,
      dnis: destination,
      callVariables: {},
      primary: { id: this.nextId('conv-'), state: 'INITIATED' },
      startedAt: Date.now(),
    };
    this.interactions.set(id, interaction);
    this.emitInteraction('interaction.dialing', interaction);
    return id;
  }

  /** The far end of an outbound call (or of the consult leg) answers. */
  farEndAnswers(interactionId: string): void {
    const interaction = this.interactions.get(interactionId);
    if (!interaction) return;
    if (interaction.consult && interaction.consult.state !== 'ACTIVE') {
      interaction.consult.state = 'ACTIVE';
      this.emitLeg(interaction, interaction.consult);
      return;
    }
    if (interaction.primary.state === 'ACTIVE') return;
    this.connect(interaction);
  }

  private connect(interaction: SimInteraction): void {
    interaction.state = 'ACTIVE';
    interaction.primary.state = 'ACTIVE';
    interaction.connectedAt = Date.now();
    this.emitInteraction('interaction.started', interaction);
    this.emitLeg(interaction, interaction.primary);
    if (this.agentState.state !== 'TALKING') this.setState('TALKING');
  }

  /** `conversation.answer`. @returns a refusal, or undefined. */
  answer(conversationId: string): { code: string; message: string } | undefined {
    const found = this.legOf(conversationId);
    if (!found || found.role !== 'primary' || found.leg.state !== 'ALERTING') return { code: 'conversation.invalid', message: 'There is no ringing call to answer' };
    this.connect(found.interaction);
    return undefined;
  }

  /** `conversation.hold`. @returns a refusal, or undefined. */
  hold(conversationId: string): { code: string; message: string } | undefined {
    const found = this.legOf(conversationId);
    if (!found || found.leg.state !== 'ACTIVE') return { code: 'conversation.invalid', message: 'Only an active call can be held' };
    found.leg.state = 'HELD';
    this.emitLeg(found.interaction, found.leg);
    return undefined;
  }

  /** `conversation.retrieve`. @returns a refusal, or undefined. */
  retrieve(conversationId: string): { code: string; message: string } | undefined {
    const found = this.legOf(conversationId);
    if (!found || found.leg.state !== 'HELD') return { code: 'conversation.invalid', message: 'Only a held call can be retrieved' };
    found.leg.state = 'ACTIVE';
    this.emitLeg(found.interaction, found.leg);
    return undefined;
  }

  /** `conversation.release` (or the far end hangs up). @returns a refusal, or undefined. */
  release(conversationId: string): { code: string; message: string } | undefined {
    const found = this.legOf(conversationId);
    if (!found) return { code: 'conversation.invalid', message: 'There is no such call' };
    if (found.role === 'consult') {
      found.leg.state = 'DROPPED';
      this.emitLeg(found.interaction, found.leg);
      delete found.interaction.consult;
      return undefined;
    }
    this.end(found.interaction, 'DROPPED');
    return undefined;
  }

  /**
   * The agent consults a colleague: the primary leg is held, a consult leg dials (`interaction.dialing`
   * naming it), then rings at the colleague (ALERTING); {@link farEndAnswers} connects it.
   */
  consult(interactionId: string, destination: string): void {
    const interaction = this.interactions.get(interactionId);
    if (!interaction || interaction.consult) return;
    if (interaction.primary.state === 'ACTIVE') {
      interaction.primary.state = 'HELD';
      this.emitLeg(interaction, interaction.primary);
    }
    const consult: SimLeg = { id: this.nextId('conv-'), state: 'INITIATED', destination };
    interaction.consult = consult;
    this.emitInteraction('interaction.dialing', interaction);
    consult.state = 'ALERTING';
    this.emitLeg(interaction, consult);
  }

  /** `conversation.consult {destination}` on an ACTIVE primary conversation. @returns a refusal, or undefined. */
  consultFrom(conversationId: string, destination: string): SimRefusal | undefined {
    const found = this.legOf(conversationId);
    if (!found || found.role !== 'primary' || found.leg.state !== 'ACTIVE') return { code: 'conversation.invalid', message: 'Only an active call can be consulted on' };
    if (found.interaction.consult) return { code: 'consult.inProgress', message: 'A consultation is already in progress' };
    this.consult(found.interaction.id, destination);
    return undefined;
  }

  /**
   * `conversation.transfer` (a consultative transfer) or `conversation.conference` on the consult
   * conversation, once the colleague answered. @returns a refusal, or undefined.
   */
  complete(conversationId: string, as: 'transfer' | 'conference'): SimRefusal | undefined {
    const found = this.legOf(conversationId);
    if (!found || found.role !== 'consult') return { code: 'conversation.invalid', message: `Only a consultation can be completed as a ${as}` };
    if (found.leg.state !== 'ACTIVE') return { code: 'consult.notConnected', message: 'The consulted party has not answered yet' };
    const { interaction, leg } = found;
    if (as === 'transfer') {
      this.end(interaction, 'DROPPED');
      return undefined;
    }
    leg.state = 'DROPPED';
    this.emitLeg(interaction, leg);
    delete interaction.consult;
    interaction.participants = [
      { id: `${interaction.id}-caller`, number: interaction.direction === 'inbound' ? interaction.ani : interaction.dnis, type: 'CUSTOMER' },
      { id: `${interaction.id}-consulted`, number: leg.destination ?? '', type: 'AGENT' },
      { id: `${interaction.id}-agent`, number: this.agent.extension, name: this.agent.name, type: 'AGENT', 'agent-id': this.agent.id },
    ];
    interaction.primary.state = 'ACTIVE';
    this.emitLeg(interaction, interaction.primary);
    this.emitInteraction('interaction.started', interaction);
    return undefined;
  }

  /** `conversation.singleStepTransfer {destination}` on an ACTIVE primary conversation: the call leaves the agent. */
  singleStepTransfer(conversationId: string, destination: string): SimRefusal | undefined {
    const found = this.legOf(conversationId);
    if (!found || found.role !== 'primary' || found.leg.state !== 'ACTIVE') return { code: 'conversation.invalid', message: 'Only an active call can be transferred' };
    if (!destination.trim()) return { code: 'request.invalid', message: 'destination is required' };
    this.end(found.interaction, 'DROPPED');
    return undefined;
  }

  /** `conversation.sendDtmf {digits}` on an ACTIVE conversation. @returns a refusal, or undefined. */
  sendDtmf(conversationId: string, digits: string): SimRefusal | undefined {
    const found = this.legOf(conversationId);
    if (!found || found.leg.state !== 'ACTIVE') return { code: 'conversation.invalid', message: 'Digits can be sent only on an active call' };
    if (!DTMF.test(digits)) return { code: 'request.invalid', message: 'digits must be 1 to 32 of 0-9, *, #, A-D' };
    this.dtmf.set(conversationId, (this.dtmf.get(conversationId) ?? '') + digits);
    return undefined;
  }

  /** `interaction.setWrapUpReason {reasonCode}`: only during the after-call work of that interaction. */
  setWrapUpReason(interactionId: string, reasonCode: number | string): SimRefusal | undefined {
    const working = this.agentState.state === 'WORK' || this.agentState.state === 'WORK_READY';
    if (!working || this.inWorkFor !== interactionId) return { code: 'wrapup.notAllowed', message: 'A wrap-up reason can be set only during after-call work for that call' };
    const code = Number(reasonCode);
    if (!this.wrapUpReasons.some((r) => r.code === code)) return { code: 'wrapup.unknown', message: `Wrap-up reason ${String(reasonCode)} is not defined` };
    this.wrapUpGiven.set(interactionId, code);
    return undefined;
  }

  /** The caller hangs up, or an offered call is not answered (`missed`: RNA [C]). */
  hangUp(interactionId: string, missed = false): void {
    const interaction = this.interactions.get(interactionId);
    if (!interaction) return;
    this.end(interaction, 'DROPPED', missed);
  }

  private end(interaction: SimInteraction, state: 'DROPPED' | 'FAILED', missed = false): void {
    const wasTalking = interaction.primary.state === 'ACTIVE' || interaction.primary.state === 'HELD';
    if (interaction.consult) {
      interaction.consult.state = state;
      this.emitLeg(interaction, interaction.consult);
    }
    interaction.primary.state = state;
    interaction.state = 'ENDED';
    this.emitLeg(interaction, interaction.primary);
    this.emitInteraction('interaction.ended', interaction);
    this.interactions.delete(interaction.id);
    this.journeys.set(interaction.id, this.journeyOf(interaction));
    if (this.interactions.size > 0) return;
    const now = this.agentState.state;
    if (missed && now === 'RESERVED') this.setState('NOT_READY', 32763);
    else if (now === 'RESERVED') this.setState(this.beforeCall, this.beforeCall === 'NOT_READY' ? this.agentState.reasonCode : null);
    else if (now === 'TALKING' && wasTalking) {
      this.inWorkFor = this.wrapUp ? interaction.id : undefined;
      if (this.wrapUp) this.setState(this.beforeCall === 'READY' ? 'WORK_READY' : 'WORK');
      else this.setState(this.beforeCall);
    }
  }

  /** The journey of an interaction: the route point, the queue, the agent [I: device types as UCCX names them]. */
  private journeyOf(interaction: SimInteraction): Array<Record<string, string>> {
    const talkSec = interaction.connectedAt ? Math.round((Date.now() - interaction.connectedAt) / 1000) : 0;
    const ringSec = Math.round(((interaction.connectedAt ?? Date.now()) - interaction.startedAt) / 1000);
    if (interaction.direction === 'outbound') {
      return [journeyStep(interaction.id, this.agent.extension, 'Agent Device', `${this.agent.name} (outbound)`, talkSec + ringSec)];
    }
    return [
      journeyStep(interaction.id, interaction.dnis, 'Route Point', 'Main menu (IVR)', 18),
      journeyStep(interaction.id, 'CSQ_Sales', 'CSQ', 'Queued for Sales', 42),
      journeyStep(interaction.id, this.agent.extension, 'Agent Device', this.agent.name, talkSec + ringSec),
    ];
  }

  /** The journey of a call, live or ended; undefined when unknown. */
  journey(interactionId: string): Array<Record<string, string>> | undefined {
    const live = this.interactions.get(interactionId);
    return live ? this.journeyOf(live) : this.journeys.get(interactionId);
  }

  // ---- team ----

  /** Finds a member and its team. */
  member(memberId: string): { team: SimTeam; member: SimMember } | undefined {
    for (const team of this.teams) {
      const member = team.members.find((m) => m.memberId === memberId);
      if (member) return { team, member };
    }
    return undefined;
  }

  private teamEvent(name: string, team: SimTeam, members: ReadonlyArray<Partial<SimMember>> | undefined): void {
    this.publish({
      to: 'report',
      name,
      data: { agentId: this.agent.id, team: { teamId: team.teamId, teamName: team.teamName, ...(members ? { members: members.map((m) => ({ ...m })) } : {}) } },
    });
  }

  /** Several members' status changes, one `memberstatuschanged` per team. @throws when a member is unknown. */
  setMemberStatus(changes: ReadonlyArray<{ memberId: string; status: SimMember['status']; reason?: string }>): void {
    const byTeam = new Map<SimTeam, SimMember[]>();
    for (const change of changes) {
      const found = this.member(change.memberId);
      if (!found) throw new Error(`no team member ${change.memberId}`);
      found.member.status = change.status;
      found.member.reason = change.status === 'not_ready' ? (change.reason ?? '') : '';
      byTeam.set(found.team, [...(byTeam.get(found.team) ?? []), found.member]);
    }
    for (const [team, members] of byTeam) this.teamEvent('report.teamstatus.memberstatuschanged', team, members);
  }

  /** A member joins a team (`memberadded`). */
  addMember(teamId: string, member: SimMember): void {
    const team = this.teams.find((t) => t.teamId === teamId);
    if (!team) throw new Error(`no team ${teamId}`);
    team.members.push(member);
    this.teamEvent('report.teamstatus.memberadded', team, [member]);
  }

  /** A member leaves its team (`memberremoved`, with only the member id as the document shows). */
  removeMember(memberId: string): void {
    const found = this.member(memberId);
    if (!found) return;
    found.team.members = found.team.members.filter((m) => m.memberId !== memberId);
    this.teamEvent('report.teamstatus.memberremoved', found.team, [{ memberId }]);
  }

  /** A team is renamed (`teamchanged`). */
  renameTeam(teamId: string, teamName: string): void {
    const team = this.teams.find((t) => t.teamId === teamId);
    if (!team) return;
    team.teamName = teamName;
    this.teamEvent('report.teamstatus.teamchanged', team, undefined);
  }

  /** The agent is added to a team (`teamadded`, with its members). */
  addTeam(team: SimTeam): void {
    this.teams.push(team);
    this.teamEvent('report.teamstatus.teamadded', team, team.members);
  }

  /** The agent leaves a team, or it is deleted (`teamremoved`). */
  removeTeam(teamId: string): void {
    const index = this.teams.findIndex((t) => t.teamId === teamId);
    if (index < 0) return;
    const [team] = this.teams.splice(index, 1);
    this.teamEvent('report.teamstatus.teamremoved', team!, undefined);
  }
}
