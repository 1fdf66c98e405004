/**
 * The OpenMethods simulator's server: the agents it knows and their session resources, the
 * connected clients, and what they speak — the Socket Transport (framing from `../transport.ts`),
 * transport control and the Direct Client Protocol's core, service and resource requests (the
 * session commands in `session-commands.ts`). Strict where the contract is: a reader that does
 * not find the boundary sends an error and closes [C]; DCP before `connect` and `selectProtocol`, a
 * service request to an unbound service, a resource request to an unbound resource are refused
 * [I]; one client per session resource (`resource.bound`) [C/I]; `prepareSession` answers `confirm`
 * while another session holds the agent and removes it only on `override: true` (document).
 */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { TLSSocket, createSecureContext } from 'node:tls';
import type { Logger } from '../../../log.js';
import {
  dcpMessageSchema,
  getCapabilitiesRequestSchema,
  prepareSessionRequestSchema,
  problemOf,
  reportRequestSchema,
  transportControlSchema,
  type DcpMessage,
} from '../schema.js';
import { DCP_DEFAULT_INDEX, FrameDecoder, TRANSPORT_CONTROL, encodeJsonFrame, readJsonBody } from '../transport.js';
import { ContactCenter, DEFAULT_REASONS, DEFAULT_WRAP_UP_REASONS, defaultTeams, type Publication, type SimAgentState, type SimReason, type SimRefusal, type SimTeam } from './contact-center.js';
import {
  DEFAULT_CAPABILITIES,
  capabilitiesSuccess,
  failure,
  prepareSessionConfirm,
  prepareSessionFailure,
  prepareSessionSuccess,
  reportFailure,
  reportSuccess,
  serviceProperties,
} from './payloads.js';
import { sessionCommand, type ResourceAnswer } from './session-commands.js';

/** The processor service type [I] and the report service type (document). */
export const PROCESSOR_TYPE = 'com.openmethods.iserver.processor.uccx';
export const REPORT_TYPE = 'com.openmethods.iserver.processor.reporting.uccx';

/** Options of `startOpenMethodsSimulator` (`index.ts`); all optional. */
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
export interface SimClient {
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
export interface SimAgent {
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
export interface SimSession {
  resourceId: string;
  /** The client bound to it; `other` = another desktop (a phantom holder). */
  holder: SimClient | 'other' | undefined;
}


/** One listed network service. */
interface SimService {
  id: string;
  name: string;
  type: string;
  status: 'InService' | 'OutOfService';
  domain: string;
}

/** A service response (without its envelope's ids), as the document shapes it. */
type ServiceAnswer = (response: Record<string, unknown>) => void;

/**
 * The server side of the simulator: its agents and their session resources, the connected clients,
 * and the Socket Transport, transport control and DCP (core, service and resource requests) they
 * speak. The scripting API (`index.ts`) reads and drives it.
 */
export class OpenMethodsServer {
  readonly services: SimService[] = [
    { id: 'uccx-standby', name: 'UCCX Interaction Processor (standby)', type: PROCESSOR_TYPE, status: 'OutOfService', domain: 'uccx-lab' },
    { id: 'uccx-primary', name: 'UCCX Interaction Processor', type: PROCESSOR_TYPE, status: 'InService', domain: 'uccx-lab' },
    { id: 'uccx-reports', name: 'UCCX Report Server', type: REPORT_TYPE, status: 'InService', domain: 'uccx-lab' },
  ];
  readonly clients = new Set<SimClient>();
  readonly requests: SimDcpRequest[] = [];
  readonly listeners = new Set<(request: SimDcpRequest) => void>();
  registrations = 0;
  bindings = 0;
  cleanStops = 0;
  frames = 0;
  silent = false;
  endNewSessions = false;
  /** Resource commands to refuse once, with their failure. */
  readonly refusals = new Map<string, SimRefusal>();
  /** Every agent by id, and the agent whose session a resource id is. */
  readonly agents = new Map<string, SimAgent>();
  readonly byResource = new Map<string, SimAgent>();
  /** The agent the scripting API speaks of. */
  readonly agent: SimAgent;
  private readonly capabilities: Record<string, unknown>;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly consultAnswerMs: number | null;

  constructor(private readonly options: OpenMethodsSimulatorOptions) {
    this.capabilities = options.capabilities ?? { ...DEFAULT_CAPABILITIES };
    this.consultAnswerMs = options.consultAnswerMs === undefined ? 300 : options.consultAnswerMs;
    this.agent = this.addAgent(
      {
        id: options.agent?.id ?? '1001',
        password: options.agent?.password ?? `uccx-${randomUUID().slice(0, 12)}`,
        name: options.agent?.name ?? 'Alex Agent',
        extension: options.agent?.extension ?? '7001',
      },
      options.teams ?? defaultTeams(),
    );
    for (const more of options.moreAgents ?? []) {
      this.addAgent({ id: more.id, password: more.password, name: more.name ?? `Agent ${more.id}`, extension: more.extension ?? more.id }, defaultTeams());
    }
  }

  private addAgent(spec: { id: string; password: string; name: string; extension: string }, teams: SimTeam[]): SimAgent {
    const added: SimAgent = { ...spec, passwords: new Set([spec.password]), sessionCounter: 0, center: undefined as unknown as ContactCenter };
    added.center = new ContactCenter(
      { id: spec.id, name: spec.name, extension: spec.extension },
      this.options.reasons ?? DEFAULT_REASONS,
      teams,
      this.options.wrapUp ?? true,
      (publication) => this.publish(added, publication),
      this.options.initialState ?? 'READY',
    );
    added.center.wrapUpReasons = this.options.wrapUpReasons ?? DEFAULT_WRAP_UP_REASONS;
    this.agents.set(spec.id, added);
    return added;
  }

  /** A new session resource of `owner` (the previous one, if any, is forgotten). */
  newSession(owner: SimAgent, holder: SimSession['holder']): SimSession {
    if (owner.session) this.byResource.delete(owner.session.resourceId);
    owner.sessionCounter += 1;
    owner.session = { resourceId: `session-${owner.id}-${owner.sessionCounter}`, holder };
    this.byResource.set(owner.session.resourceId, owner);
    owner.center.resourceId = owner.session.resourceId;
    return owner.session;
  }

  /** Forgets the agent's session resource and tells its client so. */
  forgetSessions(): void {
    const agent = this.agent;
    const holder = agent.session?.holder;
    const forgotten = agent.session?.resourceId;
    if (forgotten) this.byResource.delete(forgotten);
    agent.session = undefined;
    agent.center.resourceId = undefined;
    if (holder && holder !== 'other' && forgotten) {
      this.dcp(holder, { messageType: 'resourceError', resourceId: forgotten, failure: failure('resource.unknown', 'The server no longer knows this resource') });
      holder.resource = undefined;
    }
  }

  /** Another desktop takes the agent's session over: its present client is told, a phantom holds a new one. */
  takeOver(): void {
    const session = this.agent.session;
    if (session?.holder && session.holder !== 'other') {
      this.dcp(session.holder, { messageType: 'resourceError', resourceId: session.resourceId, failure: failure('resource.removed', 'Another desktop took this session over') });
      session.holder.resource = undefined;
    }
    this.newSession(this.agent, 'other');
  }

  write(client: SimClient, protocol: number, message: unknown): void {
    if (!client.socket.destroyed && client.socket.writable) client.socket.write(encodeJsonFrame(protocol, message));
  }

  /** A DCP message to a client, on the protocol it selected. */
  dcp(client: SimClient, message: Record<string, unknown>): void {
    this.write(client, client.dcpIndex ?? DCP_DEFAULT_INDEX, message);
  }

  /** Runs `action` on every connected client. */
  everyClient(action: (client: SimClient) => void): void {
    for (const client of [...this.clients]) action(client);
  }

  /** A transport `error`, then the socket closed. */
  refuse(client: SimClient, code: string, message: string): void {
    this.write(client, TRANSPORT_CONTROL, { messageType: 'error', code, message });
    client.socket.end();
  }

  /** Runs `run` after `ms`, unless the simulator closes first. */
  later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
  }

  /** Cancels what is pending (timers, listeners); the listener is closed by its owner. */
  stop(): void {
    this.listeners.clear();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private publish(owner: SimAgent, publication: Publication): void {
    if (publication.to === 'session') {
      const holder = owner.session?.holder;
      if (holder && holder !== 'other') {
        this.dcp(holder, { messageType: 'resourceEvent', resourceId: owner.session!.resourceId, name: publication.name, target: publication.target, data: publication.data });
      }
      return;
    }
    for (const client of this.clients) {
      if (client.teamReport === owner) this.dcp(client, { messageType: 'serviceEvent', serviceId: 'uccx-reports', name: publication.name, data: publication.data });
    }
  }

  // ---- sockets ----

  /** A new connection: frames decoded, transport control first, then the DCP. */
  accept(raw: Socket): void {
    const tls = this.options.tls;
    const socket: Socket = tls ? new TLSSocket(raw, { isServer: true, secureContext: createSecureContext(tls) }) : raw;
    const client: SimClient = { socket, raw, decoder: new FrameDecoder(), services: new Set() };
    this.clients.add(client);
    socket.on('data', (chunk: Buffer) => this.onData(client, chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.clients.delete(client);
      const session = client.resource ? this.byResource.get(client.resource)?.session : undefined;
      if (session && session.holder === client) session.holder = undefined;
    });
  }

  private onData(client: SimClient, chunk: Buffer): void {
    if (this.silent) return;
    const { frames: received, error } = client.decoder.push(chunk);
    this.frames += received.length;
    for (const frame of received) {
      const { value, problem } = readJsonBody(frame.body);
      if (problem !== undefined) {
        this.refuse(client, 'frame.invalid', 'a frame body is not JSON');
        return;
      }
      if (frame.protocol === TRANSPORT_CONTROL) this.onControl(client, value);
      else if (client.clientId && client.dcpIndex === frame.protocol) this.onDcp(client, value);
      else return this.refuse(client, 'transport.sequence', 'connect and selectProtocol before any DCP frame');
    }
    if (error) this.refuse(client, 'frame.boundary', error.message);
  }

  // ---- transport control ----

  private onControl(client: SimClient, value: unknown): void {
    const parsed = transportControlSchema.safeParse(value);
    if (!parsed.success) return this.refuse(client, 'transport.invalid', `invalid transport message (${problemOf(parsed.error)})`);
    const message = parsed.data;
    switch (message.messageType) {
      case 'connect':
        client.clientId = message.client.id;
        this.registrations += 1;
        this.write(client, TRANSPORT_CONTROL, { messageType: 'connected', client: { id: message.client.id } });
        return;
      case 'getProtocols':
        this.write(client, TRANSPORT_CONTROL, { messageType: 'protocols', protocols: [{ index: 1, name: 'direct', version: '1.0' }] });
        return;
      case 'selectProtocol':
        if (!client.clientId) return this.refuse(client, 'transport.sequence', 'connect before selectProtocol');
        if (message.index !== 1) return this.refuse(client, 'protocol.unknown', `no protocol ${message.index}`);
        client.dcpIndex = message.index;
        this.write(client, TRANSPORT_CONTROL, { messageType: 'protocolSelected', index: message.index });
        return;
      case 'ping':
        this.write(client, TRANSPORT_CONTROL, { messageType: 'pong' });
        return;
      case 'pong':
        return;
      case 'error':
        client.socket.end();
        return;
      default:
        return this.refuse(client, 'transport.unexpected', `unexpected ${message.messageType}`);
    }
  }

  // ---- DCP ----

  private record(client: SimClient, kind: SimDcpRequest['kind'], name: string, data: unknown, target?: string): void {
    const request: SimDcpRequest = { kind, name, data: (data && typeof data === 'object' ? data : {}) as Record<string, unknown>, clientId: client.clientId ?? '', ...(target !== undefined ? { target } : {}) };
    this.requests.push(request);
    for (const listener of this.listeners) listener(request);
  }

  private onDcp(client: SimClient, value: unknown): void {
    const parsed = dcpMessageSchema.safeParse(value);
    if (!parsed.success) {
      this.options.log?.warn({ problem: problemOf(parsed.error) }, 'simulator: malformed DCP message');
      return;
    }
    const message: DcpMessage = parsed.data;
    switch (message.messageType) {
      case 'coreRequest':
        this.record(client, 'core', message.requestType, message.data);
        return this.onCore(client, message.requestId, message.requestType, (message.data ?? {}) as Record<string, unknown>);
      case 'serviceRequest':
        this.record(client, 'service', message.command, message.data);
        return this.onService(client, message.requestId, message.serviceId, { command: message.command, data: message.data ?? {} });
      case 'resourceRequest':
        this.record(client, 'resource', message.command, message.data, message.target);
        return this.onResource(client, message.requestId, message.resourceId, message.command, message.target, (message.data ?? {}) as Record<string, unknown>);
      default:
        return;
    }
  }

  private coreAnswer(client: SimClient, requestId: string, requestType: string, data: Record<string, unknown> | undefined, fail?: [string, string]): void {
    this.dcp(client, {
      messageType: 'coreResponse',
      requestId,
      requestType,
      result: fail ? 'failure' : 'success',
      ...(fail ? { failure: failure(fail[0], fail[1]) } : { data: data ?? {} }),
    });
  }

  private onCore(client: SimClient, requestId: string, requestType: string, data: Record<string, unknown>): void {
    const answer = (result: Record<string, unknown> | undefined, fail?: [string, string]): void => this.coreAnswer(client, requestId, requestType, result, fail);
    switch (requestType) {
      case 'getNetworkServices': {
        const type = typeof data.serviceType === 'string' ? data.serviceType : undefined;
        const list = this.services
          .filter((s) => !type || s.type === type)
          .map((s) => ({ id: s.id, name: s.name, type: s.type, serviceStatus: { status: s.status }, properties: serviceProperties(s.domain) }));
        return answer({ services: list });
      }
      case 'bindService': {
        const service = this.services.find((s) => s.id === data.serviceId);
        if (!service) return answer(undefined, ['service.unknown', `No service ${String(data.serviceId)}`]);
        if (service.status !== 'InService') return answer(undefined, ['service.outOfService', `${service.name} is out of service`]);
        client.services.add(service.id);
        return answer({});
      }
      case 'unbindService':
        client.services.delete(String(data.serviceId));
        if (data.serviceId === 'uccx-reports') client.teamReport = undefined;
        return answer({});
      case 'bindResource':
        return answer(...this.bindResource(client, String(data.resourceId)));
      case 'unbindResource': {
        const session = this.byResource.get(String(data.resourceId))?.session;
        if (session && session.resourceId === data.resourceId && session.holder === client) {
          session.holder = undefined;
          client.resource = undefined;
          this.cleanStops += 1;
        }
        return answer({});
      }
      default:
        return answer(undefined, ['request.unknown', `Unknown request ${requestType}`]);
    }
  }

  /** `bindResource`: one client per session resource (`resource.bound`). */
  private bindResource(client: SimClient, resourceId: string): [Record<string, unknown> | undefined, [string, string]?] {
    const session = this.byResource.get(resourceId)?.session;
    if (!session || session.resourceId !== resourceId) return [undefined, ['resource.unknown', `No resource ${resourceId}`]];
    if (session.holder && session.holder !== client) return [undefined, ['resource.bound', 'Another client is bound to this resource']];
    session.holder = client;
    client.resource = resourceId;
    this.bindings += 1;
    return [{}];
  }

  private onService(client: SimClient, requestId: string, serviceId: string, body: { command: string; data: unknown }): void {
    const answer: ServiceAnswer = (response) => this.dcp(client, { messageType: 'serviceResponse', requestId, serviceId, ...response });
    if (!client.services.has(serviceId)) {
      return answer({ command: body.command, result: 'failure', failure: failure('service.notBound', `Not bound to service ${serviceId}`), original: body });
    }
    if (serviceId === 'uccx-reports') return this.onReport(client, body, answer);
    if (body.command === 'prepareSession') return this.prepareSession(body, answer);
    if (body.command === 'getCapabilities') {
      const request = getCapabilitiesRequestSchema.safeParse(body);
      if (!request.success) return answer({ command: ' getCapabilities ', result: 'failure', failure: failure('request.invalid', problemOf(request.error)), original: body });
      return answer(capabilitiesSuccess({ ...this.capabilities }));
    }
    return answer({ command: body.command, result: 'failure', failure: failure('command.unknown', `Unknown command ${body.command}`), original: body });
  }

  /** `prepareSession` (document): `confirm` while another session holds the agent, removed only on `override: true`. */
  private prepareSession(body: { command: string; data: unknown }, answer: ServiceAnswer): void {
    const request = prepareSessionRequestSchema.safeParse(body);
    if (!request.success) return answer(prepareSessionFailure('request.invalid', `Invalid prepareSession (${problemOf(request.error)})`, body));
    const { agent: who, override } = request.data.data;
    const owner = this.agents.get(who.id);
    if (!owner || !owner.passwords.has(who.password)) return answer(prepareSessionFailure('agent.authentication', 'Invalid agent id or password', body));
    const current = owner.session;
    if (current && !override) {
      return answer(prepareSessionConfirm(`Agent ${owner.id} (${owner.name}) is already signed in on another desktop. Do you want to end that session and continue here?`, body));
    }
    const previous = current?.holder;
    if (current && previous && previous !== 'other') {
      this.dcp(previous, { messageType: 'resourceError', resourceId: current.resourceId, failure: failure('resource.removed', 'Another desktop took this session over') });
      previous.resource = undefined;
    }
    const session = this.newSession(owner, undefined);
    owner.center.logIn();
    return answer(prepareSessionSuccess(session.resourceId, request.data.data));
  }

  private onReport(client: SimClient, body: { command: string; data: unknown }, answer: ServiceAnswer): void {
    const request = reportRequestSchema.safeParse(body);
    if (!request.success) return answer(reportFailure(body.command, 'request.invalid', `Invalid report request (${problemOf(request.error)})`, body));
    switch (request.data.command) {
      case 'report.calljourney': {
        const journey = (client.resource ? this.byResource.get(client.resource) : this.agent)?.center.journey(request.data.data.CallId);
        if (!journey) return answer(reportFailure('report.calljourney', 'report.notFound', `No journey is recorded for call ${request.data.data.CallId}`, body));
        return answer(reportSuccess('report.calljourney', { CallJourney: journey }));
      }
      case 'report.teamstatus.begin':
        return this.beginTeamStatus(client, request.data.data.agentId, body, answer);
      case 'report.teamstatus.end':
        client.teamReport = undefined;
        return answer(reportSuccess('report.teamstatus.end', {}));
    }
  }

  /** `report.teamstatus.begin` (document): the agent's teams as `teamadded`, after the answer (or before it, as the options say). */
  private beginTeamStatus(client: SimClient, agentId: string, body: { command: string; data: unknown }, answer: ServiceAnswer): void {
    const owner = this.agents.get(agentId);
    if (!owner) return answer(reportFailure('report.teamstatus.begin', 'agent.unknown', `No agent ${agentId}`, body));
    const list = (): void => {
      for (const team of owner.center.teams) {
        this.dcp(client, {
          messageType: 'serviceEvent',
          serviceId: 'uccx-reports',
          name: 'report.teamstatus.teamadded',
          data: { agentId: owner.id, team: { teamId: team.teamId, teamName: team.teamName, members: team.members.map((m) => ({ ...m })) } },
        });
      }
    };
    client.teamReport = owner;
    if (this.options.teamsBeforeAnswer) list();
    answer(reportSuccess('report.teamstatus.begin', {}));
    if (!this.options.teamsBeforeAnswer) list();
    // The desk's connection is complete: a server ending every session at once ends it now.
    if (this.endNewSessions) setImmediate(() => client.socket.end());
  }

  private onResource(client: SimClient, requestId: string, resourceId: string, command: string, target: string | undefined, data: Record<string, unknown>): void {
    const answer: ResourceAnswer = (result, fail) =>
      this.dcp(client, {
        messageType: 'resourceResponse',
        requestId,
        resourceId,
        command,
        result: fail ? 'failure' : 'success',
        ...(fail ? { failure: failure(fail.code, fail.message) } : { data: result ?? {} }),
      });
    const owner = this.byResource.get(resourceId);
    const session = owner?.session;
    if (!owner || !session || session.resourceId !== resourceId || session.holder !== client) return answer(undefined, { code: 'resource.notBound', message: `Not bound to resource ${resourceId}` });
    if (!target || target.split('.')[0] !== resourceId) return answer(undefined, { code: 'target.invalid', message: 'The target must start with the session id' });
    const refusal = this.refusals.get(command);
    if (refusal) {
      this.refusals.delete(command);
      return answer(undefined, refusal);
    }
    sessionCommand(owner.center, command, target, data, answer, { later: (ms, run) => this.later(ms, run), consultAnswerMs: this.consultAnswerMs });
  }
}
