/**
 * A protocol-faithful OpenMethods HIS simulator on loopback, for tests, the demo and the
 * conformance rig:
 * - ./server.ts — the agents and their session resources, the clients, the Socket Transport,
 *   transport control and the Direct Client Protocol (core, service, resource requests);
 * - ./session-commands.ts — the session resource's commands (`session.*`, `conversation.*`, call work);
 * - ./contact-center.ts — the UCCX agent, calls and team behind them;
 * - ./payloads.ts — the document's bodies.
 *
 * This file starts it and gives the scripting API: controls that let a test or the demo script act
 * as the caller, the far end, another desktop, a supervisor's team, or a failing server (the
 * conformance endings).
 */
import { startLoopbackTcp } from '../../kit/simulator.js';
import { DCP_DEFAULT_INDEX, MAX_FRAME_BODY_BYTES, encodeFrame } from '../transport.js';
import type { ContactCenter, SimAgentState, SimMember, SimReason, SimRefusal, SimTeam } from './contact-center.js';
import { OpenMethodsServer, REPORT_TYPE, type OpenMethodsSimulatorOptions, type SimDcpRequest } from './server.js';

export type { OpenMethodsSimulatorOptions, SimAgentState, SimDcpRequest, SimMember, SimReason, SimTeam };

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
  const server = new OpenMethodsServer(options);
  const listening = await startLoopbackTcp({ accept: (raw) => server.accept(raw), port: options.port });
  const url = options.tls ? `tls://localhost:${listening.port}` : `tcp://127.0.0.1:${listening.port}`;
  options.log?.info({ url }, 'OpenMethods simulator listening');
  return {
    url,
    ...controlsOf(server),
    async close() {
      server.stop();
      await listening.close();
    },
  };
}

/** The scripting API over a running server (all but its address and `close`). */
function controlsOf(server: OpenMethodsServer): Omit<OpenMethodsSimulator, 'url' | 'close'> {
  const { agent } = server;
  return {
    credentials: { agentId: agent.id, password: agent.password },
    center: agent.center,
    centerOf: (agentId) => server.agents.get(agentId)?.center,
    requests: server.requests,
    framesReceived: () => server.frames,
    registrations: () => server.registrations,
    bindings: () => server.bindings,
    cleanStops: () => server.cleanStops,
    openConnections: () => server.clients.size,
    session() {
      const session = agent.session;
      return session ? { resourceId: session.resourceId, holder: session.holder === 'other' ? 'other' : session.holder ? 'client' : 'none' } : undefined;
    },
    startOtherSession: () => server.takeOver(),
    acceptPassword: (password) => void agent.passwords.add(password),
    revokeCredentials() {
      agent.passwords.clear();
      server.forgetSessions();
    },
    endNewSessions: (on) => void (server.endNewSessions = on),
    overrides: () => server.requests.filter((r) => r.kind === 'service' && r.name === 'prepareSession' && r.data.override === true).length,
    setServiceStatus(which, status) {
      const service = server.services.find((s) => (which === 'report' ? s.type === REPORT_TYPE : s.id === 'uccx-primary'))!;
      service.status = status;
      server.everyClient((client) => {
        if (client.dcpIndex !== undefined) server.dcp(client, { messageType: 'coreEvent', name: 'serviceStatusChanged', data: { serviceId: service.id, status } });
      });
    },
    onRequest(listener) {
      server.listeners.add(listener);
      return () => server.listeners.delete(listener);
    },
    closeConnections: () => server.everyClient((client) => client.socket.end()),
    endSessions: () => server.everyClient((client) => server.refuse(client, 'session.ended', 'The server ended the session')),
    forgetSessions: () => server.forgetSessions(),
    refuseNext: (command, refusal) => void server.refusals.set(command, refusal),
    resetConnections: () => server.everyClient((client) => client.raw.resetAndDestroy()),
    setSilent: (value) => void (server.silent = value),
    sendMalformedFrame() {
      server.everyClient((client) => {
        if (client.dcpIndex !== undefined) {
          server.dcp(client, { messageType: 'resourceEvent', resourceId: client.resource ?? 'none', name: 'session.stateChanged', target: client.resource ?? 'none', data: { state: 42 } });
        }
      });
    },
    sendOversizedFrame() {
      const body = Buffer.alloc(MAX_FRAME_BODY_BYTES + 1, 0x20);
      server.everyClient((client) => client.socket.write(encodeFrame(client.dcpIndex ?? DCP_DEFAULT_INDEX, body, Number.POSITIVE_INFINITY)));
    },
    sendRaw: (bytes) => server.everyClient((client) => client.socket.write(bytes)),
  };
}
