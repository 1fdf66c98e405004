/**
 * A protocol-faithful OpenMethods HIS simulator on loopback, for tests, the demo and the
 * conformance rig: the Socket Transport (framing from `../transport.ts`, the one framing module),
 * transport control, the Direct Client Protocol's core, service and resource requests, the UCCX
 * Interaction Processor service and the UCCX Report Server (document bodies, `payloads.ts`), and a
 * contact centre behind them (`contact-center.ts`).
 *
 * Strict where the contract is: a reader that does not find the boundary sends an error and closes
 * [C]; DCP before `connect` and `selectProtocol`, a service request to an unbound service, a resource
 * request to an unbound resource are refused [I]; one client per session resource (`resource.bound`)
 * [C/I]; `prepareSession` answers `confirm` while another session holds the agent and removes it
 * only on `override: true` (document).
 *
 * Controls let a test or the demo script act as the caller, the far end, another desktop, a
 * supervisor's team, or a failing server (the conformance endings).
 */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { TLSSocket, createSecureContext } from 'node:tls';
import type { Logger } from '../../../log.js';
import { startLoopbackTcp, type LoopbackTcp } from '../../kit/simulator.js';
import {
  changeStateSchema,
  dcpMessageSchema,
  destinationSchema,
  getCapabilitiesRequestSchema,
  makeCallSchema,
  prepareSessionRequestSchema,
  problemOf,
  reportRequestSchema,
  sendDtmfSchema,
  setWrapUpReasonSchema,
  transportControlSchema,
  type DcpMessage,
} from '../schema.js';
import { DCP_DEFAULT_INDEX, FrameDecoder, MAX_FRAME_BODY_BYTES, TRANSPORT_CONTROL, encodeFrame, encodeJsonFrame, readJsonBody } from '../transport.js';
import { ContactCenter, DEFAULT_REASONS, DEFAULT_WRAP_UP_REASONS, defaultTeams, type Publication, type SimAgentState, type SimMember, type SimReason, type SimRefusal, type SimTeam } from './contact-center.js';
import {
  DEFAULT_CAPABILITIES,
  capabilitiesSuccess,
  failure,
  interactionBody,
  prepareSessionConfirm,
  prepareSessionFailure,
  prepareSessionSuccess,
  reportFailure,
  reportSuccess,
  serviceProperties,
} from './payloads.js';

export type { SimAgentState, SimMember, SimReason, SimTeam };

/** The processor service type [I] and the report service type (document). */
const PROCESSOR_TYPE = 'com.openmethods.iserver.processor.uccx';
const REPORT_TYPE = 'com.openmethods.iserver.processor.reporting.uccx';

/** Options of {@link startOpenMethodsSimulator}; all optional. */
export interface OpenMethodsSimulatorOptions {
  /** The UCCX agent (default id `1001`, a random password, "Alex Agent" at extension 7001). */
  agent?: { id?: string; password?: string; name?: string; extension?: string };
  /** The agent's state before any desk signs in (default READY: logged in at the phone). */
  initialState?: SimAgentState['state'];
  /** What `getCapabilities` answers (default {@link DEFAULT_CAPABILITIES}). */
  capabilities?: Record<string, unknown>;
  reasons?: { notReady: SimReason[]; logout: SimReason[] };
  teams?: SimTeam[];
  /** After-call work after each call (default true). */
  wrapUp?: boolean;
  /** The wrap-up reasons `session.getWrapUpReasons` offers (default {@link DEFAULT_WRAP_UP_REASONS}). */
  wrapUpReasons?: SimReason[];
  /** How long a consulted colleague takes to answer, ms (default 300; `null`: only {@link ContactCenter.farEndAnswers}). */
  consultAnswerMs?: number | null;
  /** Serve TLS with this key and certificate (PEM); the URL then says `tls://`. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Whether `report.teamstatus.begin` lists the teams (`teamadded`) before its answer instead of after (default false). */
  teamsBeforeAnswer?: boolean;
  /**
   * More agents on the same server (a fleet, `npm run bench -- --fleet`), each with its own contact
   * centre, teams and session; the scripting API below speaks of `agent` alone.
   */
  moreAgents?: Array<{ id: string; password: string; name?: string; extension?: string }>;
  /** Listening port (default 0: any free one; a fleet's restart passes the old one). */
  port?: number;
  log?: Logger;
}

/** One DCP request the simulator received. */
export interface SimDcpRequest {
  kind: 'core' | 'service' | 'resource';
  /** `requestType` or `command`. */
  name: string;
  data: Record<string, unknown>;
  target?: string;
  /** The transport client id that sent it. */
  clientId: string;
}

/** A connected client, as the simulator sees it. */
interface SimClient {
  socket: Socket;
  /** The TCP socket under a TLS one (a reset cuts it). */
  raw: Socket;
  decoder: FrameDecoder;
  clientId?: string;
  dcpIndex?: number;
  services: Set<string>;
  resource?: string;
  /** The agent whose team status this client follows (`report.teamstatus.begin`), if any. */
  teamReport?: SimAgent;
}

/** One agent the server knows: credentials, contact centre state, session. */
interface SimAgent {
  id: string;
  /** The password it was created with (others may be accepted too). */
  password: string;
  name: string;
  extension: string;
  passwords: Set<string>;
  center: ContactCenter;
  session?: SimSession;
  sessionCounter: number;
}

/** A session resource. */
interface SimSession {
  resourceId: string;
  /** The client bound to it; `other` = another desktop (a phantom holder). */
  holder: SimClient | 'other' | undefined;
}

/** A running simulator: inspection and scripting. */
export interface OpenMethodsSimulator {
  /** `tcp://127.0.0.1:<port>` or `tls://localhost:<port>`. */
  readonly url: string;
  readonly credentials: { agentId: string; password: string };
  readonly center: ContactCenter;
  /** The contact centre of any agent the server knows (`agent` or one of `moreAgents`), by id. */
  centerOf(agentId: string): ContactCenter | undefined;
  /** Every DCP request received, oldest first. */
  readonly requests: readonly SimDcpRequest[];
  /** Frames received from clients so far (transport control, pings included, and DCP). */
  framesReceived(): number;
  /** Transport clients registered (`connect` accepted) so far. */
  registrations(): number;
  /** `bindResource` successes so far. */
  bindings(): number;
  /** `unbindResource` from the bound client so far (a clean end of a desk's session). */
  cleanStops(): number;
  /** Sockets open now. */
  openConnections(): number;
  /** Whether a session resource exists for the agent, and who holds it. */
  session(): { resourceId: string; holder: 'client' | 'other' | 'none' } | undefined;
  /** Another desktop holds the agent's session (the next desk is asked to take it over). */
  startOtherSession(): void;
  /** Accepts another password for the agent from now on (an admin reset it). */
  acceptPassword(password: string): void;
  /** The agent's credentials are revoked: every password is refused, and the session resource is forgotten (its client told so). */
  revokeCredentials(): void;
  /**
   * While on, the server accepts every desk's connection and ends it at once: the socket is closed
   * as soon as the connection is complete (its `report.teamstatus.begin` answered).
   */
  endNewSessions(on: boolean): void;
  /** `prepareSession` requests with `override: true` so far (a desk took a session over). */
  overrides(): number;
  /** A service goes in or out of service (`serviceStatusChanged` to every client). */
  setServiceStatus(which: 'processor' | 'report', status: 'InService' | 'OutOfService'): void;
  /** Listens to every DCP request (the demo reacts to dials). Returns the unsubscribe function. */
  onRequest(listener: (request: SimDcpRequest) => void): () => void;
  /** Ends every connection with a FIN. */
  closeConnections(): void;
  /** Sends a transport `error` to every client, then closes (the server ends the session). */
  endSessions(): void;
  /** Forgets every session resource and tells each bound client so (`resourceError`, `resource.unknown`). */
  forgetSessions(): void;
  /** Cuts every connection with a TCP reset. */
  resetConnections(): void;
  /** Stops answering anything (pings included), or answers again. */
  setSilent(silent: boolean): void;
  /** Sends a frame whose body fails the contract's schema to every client. */
  sendMalformedFrame(): void;
  /** Sends a frame over the 1 MiB limit to every client. */
  sendOversizedFrame(): void;
  /** Sends raw bytes to every client (tests of the framing). */
  sendRaw(bytes: Buffer): void;
  /** The next resource request `command` is refused with this failure (`result: "failure"`, its `code` and `message`). */
  refuseNext(command: string, failure: SimRefusal): void;
  close(): Promise<void>;
}

/**
 * Starts the simulator on 127.0.0.1.
 * @throws when it cannot listen.
 */
export async function startOpenMethodsSimulator(options: OpenMethodsSimulatorOptions = {}): Promise<OpenMethodsSimulator> {
  const log = options.log;
  const capabilities = options.capabilities ?? { ...DEFAULT_CAPABILITIES };
  const services = [
    { id: 'uccx-standby', name: 'UCCX Interaction Processor (standby)', type: PROCESSOR_TYPE, status: 'OutOfService', domain: 'uccx-lab' },
    { id: 'uccx-primary', name: 'UCCX Interaction Processor', type: PROCESSOR_TYPE, status: 'InService', domain: 'uccx-lab' },
    { id: 'uccx-reports', name: 'UCCX Report Server', type: REPORT_TYPE, status: 'InService', domain: 'uccx-lab' },
  ];
  const clients = new Set<SimClient>();
  const requests: SimDcpRequest[] = [];
  const listeners = new Set<(request: SimDcpRequest) => void>();
  let registrations = 0;
  let bindings = 0;
  let cleanStops = 0;
  let frames = 0;
  let silent = false;
  let endNewSessions = false;
  /** Resource commands to refuse once, with their failure. */
  const refusals = new Map<string, SimRefusal>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const consultAnswerMs = options.consultAnswerMs === undefined ? 300 : options.consultAnswerMs;

  /** Every agent by id, and the agent whose session a resource id is. */
  const agents = new Map<string, SimAgent>();
  const byResource = new Map<string, SimAgent>();
  function addAgent(spec: { id: string; password: string; name: string; extension: string }, teams: SimTeam[]): SimAgent {
    const added: SimAgent = { ...spec, passwords: new Set([spec.password]), sessionCounter: 0, center: undefined as unknown as ContactCenter };
    added.center = new ContactCenter(
      { id: spec.id, name: spec.name, extension: spec.extension },
      options.reasons ?? DEFAULT_REASONS,
      teams,
      options.wrapUp ?? true,
      (publication) => publish(added, publication),
      options.initialState ?? 'READY',
    );
    added.center.wrapUpReasons = options.wrapUpReasons ?? DEFAULT_WRAP_UP_REASONS;
    agents.set(spec.id, added);
    return added;
  }
  const agent = addAgent(
    {
      id: options.agent?.id ?? '1001',
      password: options.agent?.password ?? `uccx-${randomUUID().slice(0, 12)}`,
      name: options.agent?.name ?? 'Alex Agent',
      extension: options.agent?.extension ?? '7001',
    },
    options.teams ?? defaultTeams(),
  );
  for (const more of options.moreAgents ?? []) {
    addAgent({ id: more.id, password: more.password, name: more.name ?? `Agent ${more.id}`, extension: more.extension ?? more.id }, defaultTeams());
  }
  const center = agent.center;

  /** A new session resource of `owner` (the previous one, if any, is forgotten). */
  function newSession(owner: SimAgent, holder: SimSession['holder']): SimSession {
    if (owner.session) byResource.delete(owner.session.resourceId);
    owner.sessionCounter += 1;
    owner.session = { resourceId: `session-${owner.id}-${owner.sessionCounter}`, holder };
    byResource.set(owner.session.resourceId, owner);
    owner.center.resourceId = owner.session.resourceId;
    return owner.session;
  }

  function write(client: SimClient, protocol: number, message: unknown): void {
    if (!client.socket.destroyed && client.socket.writable) client.socket.write(encodeJsonFrame(protocol, message));
  }
  const dcp = (client: SimClient, message: Record<string, unknown>): void => write(client, client.dcpIndex ?? DCP_DEFAULT_INDEX, message);

  function publish(owner: SimAgent, publication: Publication): void {
    if (publication.to === 'session') {
      const holder = owner.session?.holder;
      if (holder && holder !== 'other') {
        dcp(holder, { messageType: 'resourceEvent', resourceId: owner.session!.resourceId, name: publication.name, target: publication.target, data: publication.data });
      }
      return;
    }
    for (const client of clients) {
      if (client.teamReport === owner) dcp(client, { messageType: 'serviceEvent', serviceId: 'uccx-reports', name: publication.name, data: publication.data });
    }
  }

  function refuse(client: SimClient, code: string, message: string): void {
    write(client, TRANSPORT_CONTROL, { messageType: 'error', code, message });
    client.socket.end();
  }

  // ---- transport control ----

  function onControl(client: SimClient, value: unknown): void {
    const parsed = transportControlSchema.safeParse(value);
    if (!parsed.success) return refuse(client, 'transport.invalid', `invalid transport message (${problemOf(parsed.error)})`);
    const message = parsed.data;
    switch (message.messageType) {
      case 'connect':
        client.clientId = message.client.id;
        registrations += 1;
        write(client, TRANSPORT_CONTROL, { messageType: 'connected', client: { id: message.client.id } });
        return;
      case 'getProtocols':
        write(client, TRANSPORT_CONTROL, { messageType: 'protocols', protocols: [{ index: 1, name: 'direct', version: '1.0' }] });
        return;
      case 'selectProtocol':
        if (!client.clientId) return refuse(client, 'transport.sequence', 'connect before selectProtocol');
        if (message.index !== 1) return refuse(client, 'protocol.unknown', `no protocol ${message.index}`);
        client.dcpIndex = message.index;
        write(client, TRANSPORT_CONTROL, { messageType: 'protocolSelected', index: message.index });
        return;
      case 'ping':
        write(client, TRANSPORT_CONTROL, { messageType: 'pong' });
        return;
      case 'pong':
        return;
      case 'error':
        client.socket.end();
        return;
      default:
        return refuse(client, 'transport.unexpected', `unexpected ${message.messageType}`);
    }
  }

  // ---- DCP ----

  function record(client: SimClient, kind: SimDcpRequest['kind'], name: string, data: unknown, target?: string): void {
    const request: SimDcpRequest = { kind, name, data: (data && typeof data === 'object' ? data : {}) as Record<string, unknown>, clientId: client.clientId ?? '', ...(target !== undefined ? { target } : {}) };
    requests.push(request);
    for (const listener of listeners) listener(request);
  }

  function onDcp(client: SimClient, value: unknown): void {
    const parsed = dcpMessageSchema.safeParse(value);
    if (!parsed.success) {
      log?.warn({ problem: problemOf(parsed.error) }, 'simulator: malformed DCP message');
      return;
    }
    const message: DcpMessage = parsed.data;
    switch (message.messageType) {
      case 'coreRequest':
        record(client, 'core', message.requestType, message.data);
        return onCore(client, message.requestId, message.requestType, (message.data ?? {}) as Record<string, unknown>);
      case 'serviceRequest':
        record(client, 'service', message.command, message.data);
        return onService(client, message.requestId, message.serviceId, { command: message.command, data: message.data ?? {} });
      case 'resourceRequest':
        record(client, 'resource', message.command, message.data, message.target);
        return onResource(client, message.requestId, message.resourceId, message.command, message.target, (message.data ?? {}) as Record<string, unknown>);
      default:
        return;
    }
  }

  function coreAnswer(client: SimClient, requestId: string, requestType: string, data: Record<string, unknown> | undefined, fail?: [string, string]): void {
    dcp(client, {
      messageType: 'coreResponse',
      requestId,
      requestType,
      result: fail ? 'failure' : 'success',
      ...(fail ? { failure: failure(fail[0], fail[1]) } : { data: data ?? {} }),
    });
  }

  function onCore(client: SimClient, requestId: string, requestType: string, data: Record<string, unknown>): void {
    switch (requestType) {
      case 'getNetworkServices': {
        const type = typeof data.serviceType === 'string' ? data.serviceType : undefined;
        const list = services
          .filter((s) => !type || s.type === type)
          .map((s) => ({ id: s.id, name: s.name, type: s.type, serviceStatus: { status: s.status }, properties: serviceProperties(s.domain) }));
        return coreAnswer(client, requestId, requestType, { services: list });
      }
      case 'bindService': {
        const service = services.find((s) => s.id === data.serviceId);
        if (!service) return coreAnswer(client, requestId, requestType, undefined, ['service.unknown', `No service ${String(data.serviceId)}`]);
        if (service.status !== 'InService') return coreAnswer(client, requestId, requestType, undefined, ['service.outOfService', `${service.name} is out of service`]);
        client.services.add(service.id);
        return coreAnswer(client, requestId, requestType, {});
      }
      case 'unbindService':
        client.services.delete(String(data.serviceId));
        if (data.serviceId === 'uccx-reports') client.teamReport = undefined;
        return coreAnswer(client, requestId, requestType, {});
      case 'bindResource': {
        const resourceId = String(data.resourceId);
        const session = byResource.get(resourceId)?.session;
        if (!session || session.resourceId !== resourceId) return coreAnswer(client, requestId, requestType, undefined, ['resource.unknown', `No resource ${resourceId}`]);
        if (session.holder && session.holder !== client) return coreAnswer(client, requestId, requestType, undefined, ['resource.bound', 'Another client is bound to this resource']);
        session.holder = client;
        client.resource = resourceId;
        bindings += 1;
        return coreAnswer(client, requestId, requestType, {});
      }
      case 'unbindResource': {
        const session = byResource.get(String(data.resourceId))?.session;
        if (session && session.resourceId === data.resourceId && session.holder === client) {
          session.holder = undefined;
          client.resource = undefined;
          cleanStops += 1;
        }
        return coreAnswer(client, requestId, requestType, {});
      }
      default:
        return coreAnswer(client, requestId, requestType, undefined, ['request.unknown', `Unknown request ${requestType}`]);
    }
  }

  function onService(client: SimClient, requestId: string, serviceId: string, body: { command: string; data: unknown }): void {
    const answer = (response: Record<string, unknown>): void => dcp(client, { messageType: 'serviceResponse', requestId, serviceId, ...response });
    if (!client.services.has(serviceId)) {
      return answer({ command: body.command, result: 'failure', failure: failure('service.notBound', `Not bound to service ${serviceId}`), original: body });
    }
    if (serviceId === 'uccx-reports') return onReport(client, body, answer);
    if (body.command === 'prepareSession') {
      const request = prepareSessionRequestSchema.safeParse(body);
      if (!request.success) return answer(prepareSessionFailure('request.invalid', `Invalid prepareSession (${problemOf(request.error)})`, body));
      const { agent: who, override } = request.data.data;
      const owner = agents.get(who.id);
      if (!owner || !owner.passwords.has(who.password)) return answer(prepareSessionFailure('agent.authentication', 'Invalid agent id or password', body));
      const current = owner.session;
      if (current && !override) {
        return answer(prepareSessionConfirm(`Agent ${owner.id} (${owner.name}) is already signed in on another desktop. Do you want to end that session and continue here?`, body));
      }
      if (current) {
        const previous = current.holder;
        if (previous && previous !== 'other') {
          dcp(previous, { messageType: 'resourceError', resourceId: current.resourceId, failure: failure('resource.removed', 'Another desktop took this session over') });
          previous.resource = undefined;
        }
      }
      const session = newSession(owner, undefined);
      owner.center.logIn();
      return answer(prepareSessionSuccess(session.resourceId, request.data.data));
    }
    if (body.command === 'getCapabilities') {
      const request = getCapabilitiesRequestSchema.safeParse(body);
      if (!request.success) return answer({ command: ' getCapabilities ', result: 'failure', failure: failure('request.invalid', problemOf(request.error)), original: body });
      return answer(capabilitiesSuccess({ ...capabilities }));
    }
    return answer({ command: body.command, result: 'failure', failure: failure('command.unknown', `Unknown command ${body.command}`), original: body });
  }

  function onReport(client: SimClient, body: { command: string; data: unknown }, answer: (response: Record<string, unknown>) => void): void {
    const request = reportRequestSchema.safeParse(body);
    if (!request.success) return answer(reportFailure(body.command, 'request.invalid', `Invalid report request (${problemOf(request.error)})`, body));
    switch (request.data.command) {
      case 'report.calljourney': {
        const journey = (client.resource ? byResource.get(client.resource) : agent)?.center.journey(request.data.data.CallId);
        if (!journey) return answer(reportFailure('report.calljourney', 'report.notFound', `No journey is recorded for call ${request.data.data.CallId}`, body));
        return answer(reportSuccess('report.calljourney', { CallJourney: journey }));
      }
      case 'report.teamstatus.begin': {
        const owner = agents.get(request.data.data.agentId);
        if (!owner) return answer(reportFailure('report.teamstatus.begin', 'agent.unknown', `No agent ${request.data.data.agentId}`, body));
        const list = (): void => {
          for (const team of owner.center.teams) {
            dcp(client, {
              messageType: 'serviceEvent',
              serviceId: 'uccx-reports',
              name: 'report.teamstatus.teamadded',
              data: { agentId: owner.id, team: { teamId: team.teamId, teamName: team.teamName, members: team.members.map((m) => ({ ...m })) } },
            });
          }
        };
        client.teamReport = owner;
        if (options.teamsBeforeAnswer) list();
        answer(reportSuccess('report.teamstatus.begin', {}));
        if (!options.teamsBeforeAnswer) list();
        // The desk's connection is complete: a server ending every session at once ends it now.
        if (endNewSessions) setImmediate(() => client.socket.end());
        return;
      }
      case 'report.teamstatus.end':
        client.teamReport = undefined;
        return answer(reportSuccess('report.teamstatus.end', {}));
    }
  }

  function onResource(client: SimClient, requestId: string, resourceId: string, command: string, target: string | undefined, data: Record<string, unknown>): void {
    const answer = (result: Record<string, unknown> | undefined, fail?: { code: string; message: string }): void =>
      dcp(client, {
        messageType: 'resourceResponse',
        requestId,
        resourceId,
        command,
        result: fail ? 'failure' : 'success',
        ...(fail ? { failure: failure(fail.code, fail.message) } : { data: result ?? {} }),
      });
    const owner = byResource.get(resourceId);
    const session = owner?.session;
    if (!owner || !session || session.resourceId !== resourceId || session.holder !== client) return answer(undefined, { code: 'resource.notBound', message: `Not bound to resource ${resourceId}` });
    const center = owner.center;
    if (!target || target.split('.')[0] !== resourceId) return answer(undefined, { code: 'target.invalid', message: 'The target must start with the session id' });
    const conversationId = target.split('.')[2];
    const interactionId = target.split('.')[1];
    const refusal = refusals.get(command);
    if (refusal) {
      refusals.delete(command);
      return answer(undefined, refusal);
    }
    const noConversation = { code: 'target.invalid', message: 'No conversation' };
    switch (command) {
      case 'session.getState':
        return answer({ ...center.stateBody(), interactions: [...center.interactions.values()].map(interactionBody) });
      case 'session.getReasonCodes':
        return answer({ notReady: center.reasons.notReady, logout: center.reasons.logout });
      case 'session.changeState': {
        const request = changeStateSchema.safeParse(data);
        if (!request.success) return answer(undefined, { code: 'request.invalid', message: problemOf(request.error) });
        const refused = center.changeState(request.data.state, request.data.reasonCode ?? undefined);
        return answer(refused ? undefined : {}, refused);
      }
      case 'session.makeCall': {
        const request = makeCallSchema.safeParse(data);
        if (!request.success) return answer(undefined, { code: 'request.invalid', message: problemOf(request.error) });
        const id = center.dial(request.data.destination);
        return answer({ 'interaction-id': id });
      }
      case 'conversation.answer':
        return answer({}, conversationId ? center.answer(conversationId) : { code: 'target.invalid', message: 'No conversation' });
      case 'conversation.release':
        return answer({}, conversationId ? center.release(conversationId) : { code: 'target.invalid', message: 'No conversation' });
      case 'conversation.hold':
        return answer({}, conversationId ? center.hold(conversationId) : { code: 'target.invalid', message: 'No conversation' });
      case 'conversation.retrieve':
        return answer({}, conversationId ? center.retrieve(conversationId) : { code: 'target.invalid', message: 'No conversation' });
      case 'conversation.consult':
      case 'conversation.singleStepTransfer': {
        const request = destinationSchema.safeParse(data);
        if (!request.success) return answer(undefined, { code: 'request.invalid', message: problemOf(request.error) });
        if (!conversationId) return answer(undefined, noConversation);
        if (command === 'conversation.singleStepTransfer') return answer({}, center.singleStepTransfer(conversationId, request.data.destination));
        const refused = center.consultFrom(conversationId, request.data.destination);
        answer({}, refused);
        const consulting = refused ? undefined : center.legOf(conversationId)?.interaction;
        const legId = consulting?.consult?.id;
        // The colleague answers, unless the consultation was cancelled first.
        if (consulting && legId && consultAnswerMs !== null) later(consultAnswerMs, () => center.legOf(legId)?.role === 'consult' && center.farEndAnswers(consulting.id));
        return;
      }
      case 'conversation.transfer':
      case 'conversation.conference':
        return answer({}, conversationId ? center.complete(conversationId, command === 'conversation.transfer' ? 'transfer' : 'conference') : noConversation);
      case 'conversation.sendDtmf': {
        const request = sendDtmfSchema.safeParse(data);
        if (!request.success) return answer(undefined, { code: 'request.invalid', message: problemOf(request.error) });
        return answer({}, conversationId ? center.sendDtmf(conversationId, request.data.digits) : noConversation);
      }
      case 'session.getWrapUpReasons':
        return answer({ wrapUp: center.wrapUpReasons.map((r) => ({ ...r })) });
      case 'interaction.setWrapUpReason': {
        const request = setWrapUpReasonSchema.safeParse(data);
        if (!request.success) return answer(undefined, { code: 'request.invalid', message: problemOf(request.error) });
        if (!interactionId) return answer(undefined, { code: 'target.invalid', message: 'No interaction' });
        return answer({}, center.setWrapUpReason(interactionId, request.data.reasonCode));
      }
      default:
        return answer(undefined, { code: 'command.unknown', message: `Unknown command ${command}` });
    }
  }

  // ---- sockets ----

  function accept(raw: Socket): void {
    const socket: Socket = options.tls ? new TLSSocket(raw, { isServer: true, secureContext: createSecureContext(options.tls) }) : raw;
    const client: SimClient = { socket, raw, decoder: new FrameDecoder(), services: new Set() };
    clients.add(client);
    socket.on('data', (chunk: Buffer) => {
      if (silent) return;
      const { frames: received, error } = client.decoder.push(chunk);
      frames += received.length;
      for (const frame of received) {
        const { value, problem } = readJsonBody(frame.body);
        if (problem !== undefined) {
          refuse(client, 'frame.invalid', 'a frame body is not JSON');
          return;
        }
        if (frame.protocol === TRANSPORT_CONTROL) onControl(client, value);
        else if (client.clientId && client.dcpIndex === frame.protocol) onDcp(client, value);
        else return refuse(client, 'transport.sequence', 'connect and selectProtocol before any DCP frame');
      }
      if (error) refuse(client, 'frame.boundary', error.message);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clients.delete(client);
      const session = client.resource ? byResource.get(client.resource)?.session : undefined;
      if (session && session.holder === client) session.holder = undefined;
    });
  }

  const server: LoopbackTcp = await startLoopbackTcp({ accept, port: options.port });
  const url = options.tls ? `tls://localhost:${server.port}` : `tcp://127.0.0.1:${server.port}`;
  log?.info({ url }, 'OpenMethods simulator listening');

  function later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, ms);
    timers.add(timer);
  }

  const everyClient = (action: (client: SimClient) => void): void => {
    for (const client of [...clients]) action(client);
  };

  /** Forgets the agent's session resource and tells its client so. */
  function forgetSessions(): void {
    const holder = agent.session?.holder;
    const forgotten = agent.session?.resourceId;
    if (forgotten) byResource.delete(forgotten);
    agent.session = undefined;
    center.resourceId = undefined;
    if (holder && holder !== 'other' && forgotten) {
      dcp(holder, { messageType: 'resourceError', resourceId: forgotten, failure: failure('resource.unknown', 'The server no longer knows this resource') });
      holder.resource = undefined;
    }
  }

  return {
    url,
    credentials: { agentId: agent.id, password: agent.password },
    center,
    centerOf: (agentId) => agents.get(agentId)?.center,
    requests,
    framesReceived: () => frames,
    registrations: () => registrations,
    bindings: () => bindings,
    cleanStops: () => cleanStops,
    openConnections: () => clients.size,
    session() {
      const session = agent.session;
      return session ? { resourceId: session.resourceId, holder: session.holder === 'other' ? 'other' : session.holder ? 'client' : 'none' } : undefined;
    },
    startOtherSession() {
      const session = agent.session;
      if (session?.holder && session.holder !== 'other') {
        dcp(session.holder, { messageType: 'resourceError', resourceId: session.resourceId, failure: failure('resource.removed', 'Another desktop took this session over') });
        session.holder.resource = undefined;
      }
      newSession(agent, 'other');
    },
    acceptPassword: (password) => void agent.passwords.add(password),
    revokeCredentials() {
      agent.passwords.clear();
      forgetSessions();
    },
    endNewSessions: (on) => void (endNewSessions = on),
    overrides: () => requests.filter((r) => r.kind === 'service' && r.name === 'prepareSession' && r.data.override === true).length,
    setServiceStatus(which, status) {
      const service = services.find((s) => (which === 'report' ? s.type === REPORT_TYPE : s.id === 'uccx-primary'))!;
      service.status = status;
      everyClient((client) => {
        if (client.dcpIndex !== undefined) dcp(client, { messageType: 'coreEvent', name: 'serviceStatusChanged', data: { serviceId: service.id, status } });
      });
    },
    onRequest(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    closeConnections: () => everyClient((client) => client.socket.end()),
    endSessions: () => everyClient((client) => refuse(client, 'session.ended', 'The server ended the session')),
    forgetSessions,
    refuseNext: (command, refusal) => void refusals.set(command, refusal),
    resetConnections: () => everyClient((client) => client.raw.resetAndDestroy()),
    setSilent: (value) => void (silent = value),
    sendMalformedFrame() {
      everyClient((client) => {
        if (client.dcpIndex !== undefined) {
          dcp(client, { messageType: 'resourceEvent', resourceId: client.resource ?? 'none', name: 'session.stateChanged', target: client.resource ?? 'none', data: { state: 42 } });
        }
      });
    },
    sendOversizedFrame() {
      const body = Buffer.alloc(MAX_FRAME_BODY_BYTES + 1, 0x20);
      everyClient((client) => client.socket.write(encodeFrame(client.dcpIndex ?? DCP_DEFAULT_INDEX, body, Number.POSITIVE_INFINITY)));
    },
    sendRaw: (bytes) => everyClient((client) => client.socket.write(bytes)),
    async close() {
      listeners.clear();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await server.close();
    },
  };
}
