/**
 * The OpenMethods connector: a UCCX agent's desk through an OpenMethods Harmony Integration Server
 * (HIS) Interaction Processor, over the Socket Transport and the Direct Client Protocol.
 * Document: `vendor-docs/openmethods-interaction-processor.txt`; facts and the wire contract:
 * VENDOR-NOTES.md, OpenMethods section.
 *
 * Built on the kit's {@link defineConnector}. Every (re)connection:
 * 1. the socket (TLS for `tls://`), `connect`, `getProtocols`, `selectProtocol` (transport.ts, [I]);
 * 2. `getNetworkServices` for the UCCX processor type [I] and the report type (document): the first
 *    service in service of each; `bindService` both;
 * 3. the session resource: `bindResource` with the previous resource id, and only if that fails
 *    `prepareSession` with `override: false` (document); on `result: "confirm"` the document's
 *    `message` goes to the agent as a prompt, and `override: true` is sent **only** when the agent
 *    chooses Take over (the document's recommendation; never silently); a `failure` shows its
 *    `failure.message` and waits for a person; then `bindResource`;
 * 4. `getCapabilities` (document) decides which actions the desk offers; `session.getReasonCodes`,
 *    `session.getState` (presence, calls re-synced) [I];
 * 5. `report.teamstatus.begin {agentId}` (document): the team.
 * Stop ends the report (`report.teamstatus.end`), unbinds the resource and the services, and closes.
 */
import { randomUUID } from 'node:crypto';
import type { PresenceState } from '../../../common/model.js';
import { CommandError, ConnectionError, type Capabilities, type Connector, type ConnectorContext } from '../../desk/port.js';
import { defineConnector, type SessionContext } from '../kit/connector.js';
import type { BackoffPolicy, Session } from '../kit/supervisor.js';
import type { OpenMethodsAccount, OpenMethodsTuning } from './config.js';
import { DcpClient, DcpClosed, DcpFailure, DcpTimeout, type DcpEvent } from './dcp.js';
import {
  ALL_CAPABILITIES,
  capabilitiesOf,
  journeyOf,
  legOfCallId,
  uccxStateFor,
  type UccxCapabilities,
  type UccxReason,
} from './normalize.js';
import {
  callJourneyDataSchema,
  getCapabilitiesResponseSchema,
  inService,
  networkServicesDataSchema,
  prepareSessionResponseSchema,
  problemOf,
  reasonCodesSchema,
  reportResponseSchema,
  serviceStatusChangedSchema,
  sessionStateSchema,
  type NetworkService,
} from './schema.js';
import { UccxFold } from './fold.js';
import { openTransport, TransportError, type TransportConnection } from './transport.js';

/** The platform's display name. */
export const OPENMETHODS_NAME = 'OpenMethods UCCX';
/** The service type of the UCCX Interaction Processor [I]. */
export const PROCESSOR_SERVICE_TYPE = 'com.openmethods.iserver.processor.uccx';
/** The service type of the UCCX Report Server (document, "UCCX Report Server Resource"). */
export const REPORT_SERVICE_TYPE = 'com.openmethods.iserver.processor.reporting.uccx';
/** The client name announced in the transport's `connect` [I]. */
export const CLIENT_NAME = 'Agent Companion';
/** The presence states the desk may set on UCCX (through `session.changeState`, [I]). */
export const OPENMETHODS_PRESENCE: readonly PresenceState[] = ['ready', 'not-ready', 'wrap-up', 'offline'];
/** What the platform can do for the desk (the actions themselves are then narrowed by `getCapabilities`). */
export const OPENMETHODS_CAPABILITIES: Capabilities = { presence: OPENMETHODS_PRESENCE, dial: true, callControl: true, chats: false, callbacks: false, queues: false, team: true, callJourneys: true };
/** The prompt's answers: take the other session over, or leave it. */
export const TAKE_OVER = 'take-over';
export const CANCEL = 'cancel';
/** What the agent is asked when the server gives no text of its own. */
export const DEFAULT_TAKE_OVER_MESSAGE = 'Another session exists for this agent: take it over?';

const DEFAULT_PING_MS = 15_000;
const DEFAULT_REQUEST_MS = 10_000;
/** How long each clean-stop request may take, ms: a stop must not hang on a silent server. */
const STOP_REQUEST_MS = 2_000;

/** Options of {@link createOpenMethodsConnector}. */
export interface OpenMethodsConnectorOptions {
  backoff?: BackoffPolicy;
  tuning?: OpenMethodsTuning;
}

/** One live connection, for commands. */
interface Live {
  fold: UccxFold;
  transport: TransportConnection;
  dcp: DcpClient;
  processorId: string;
  reportId: string | undefined;
  /** The session resource; also the session id that heads every `target` [I]. */
  resourceId: string;
  capabilities: UccxCapabilities;
}

/** What a connection in progress knows so far (events may arrive before it is complete). */
interface Link {
  fold: UccxFold;
  transport?: TransportConnection;
  dcp: DcpClient;
  processorId?: string;
  reportId?: string;
  resourceId?: string;
}

/**
 * Creates the connector for one OpenMethods account.
 * @param account the parsed account (`openmethodsAccountSchema`).
 * @param password the agent's password, resolved (an empty one makes the connection `failed`).
 */
export function createOpenMethodsConnector(account: OpenMethodsAccount, password: string, options: OpenMethodsConnectorOptions = {}): Connector {
  const tuning = options.tuning ?? {};
  const pingIntervalMs = tuning.pingIntervalMs ?? DEFAULT_PING_MS;
  const requestTimeoutMs = tuning.requestTimeoutMs ?? DEFAULT_REQUEST_MS;
  const agent = account.agentId;

  // Kept across connections.
  let previousResourceId: string | undefined;
  let fold: UccxFold | undefined;
  let pendingPrompt: { id: string; resolve(choice: string): void; reject(error: Error): void } | undefined;
  let connecting: { abort(error: Error): void } | undefined;

  // ---- events ----

  function onEvent(link: Link, event: DcpEvent, ctx: ConnectorContext): void {
    const { log, emit } = ctx;
    switch (event.kind) {
      case 'resource':
        if (event.resourceId !== link.resourceId) log.debug({ resourceId: event.resourceId, name: event.name }, 'OpenMethods event of another resource; dropped');
        else for (const e of link.fold.resourceEvent(event.name, event.target, event.data, new Date().toISOString())) emit(e);
        return;
      case 'service':
        if (event.serviceId !== link.reportId) log.debug({ serviceId: event.serviceId, name: event.name }, 'OpenMethods service event the desk does not show');
        else for (const e of link.fold.reportEvent(event.name, event.data, new Date().toISOString())) emit(e);
        return;
      case 'core': {
        if (event.name !== 'serviceStatusChanged') {
          log.debug({ name: event.name }, 'OpenMethods core event the desk does not show');
          return;
        }
        const parsed = serviceStatusChangedSchema.safeParse(event.data);
        if (!parsed.success) {
          log.warn({ name: event.name, problem: problemOf(parsed.error) }, 'OpenMethods: dropped a malformed serviceStatusChanged event');
          return;
        }
        const { serviceId, status } = parsed.data;
        if (serviceId === link.processorId && !inService(status)) {
          log.warn({ serviceId, status }, 'the UCCX processor service went out of service; reconnecting');
          link.transport?.abort(new TransportError(`the UCCX processor service went out of service (${status}); reconnecting`));
        } else if (serviceId === link.reportId && !inService(status)) {
          log.warn({ serviceId, status }, 'the UCCX report service went out of service; the team is not updated');
          emit({ type: 'subscriptions', issues: [{ entity: 'Team status', topic: 'report.teamstatus', message: `The UCCX report service is ${status}: the team is not updated` }] });
        } else if (serviceId === link.reportId && inService(status) && link.resourceId) {
          // Back in service: bind it again (a binding may not outlive the outage) and begin the report afresh.
          void link.dcp
            .core('bindService', { serviceId })
            .then(() => beginTeam(link, ctx))
            .catch((error: unknown) => log.warn({ err: error }, 'could not bind the UCCX report service again'));
        }
        return;
      }
      case 'error': {
        const text = event.failure.message ?? event.failure.code ?? 'no reason given';
        if (event.scope === 'resource' && event.resourceId === link.resourceId) {
          log.warn({ code: event.failure.code }, `OpenMethods ended the agent's session resource: ${text}`);
          previousResourceId = undefined;
          link.transport?.abort(new TransportError(`OpenMethods ended this desk's UCCX session (${text}); reconnecting`));
        } else {
          log.warn({ scope: event.scope, code: event.failure.code }, `OpenMethods reported an error: ${text}`);
        }
        return;
      }
    }
  }

  // ---- connecting ----

  /** The first service of a type that is in service. */
  async function pickService(dcp: DcpClient, serviceType: string): Promise<NetworkService | undefined> {
    const data = networkServicesDataSchema.safeParse(await dcp.core('getNetworkServices', { serviceType }));
    if (!data.success) throw new ConnectionError(`OpenMethods answered getNetworkServices with something unexpected (${problemOf(data.error)})`);
    return data.data.services.find((s) => s.type === serviceType && inService(s.serviceStatus?.status));
  }

  /** Asks the agent whether to take the other session over; resolves with the choice. */
  function askTakeOver(message: string, link: Link, ctx: ConnectorContext): Promise<string> {
    const id = randomUUID();
    ctx.emit({
      type: 'prompt',
      prompt: {
        id,
        message,
        choices: [
          { id: TAKE_OVER, label: 'Take over', primary: true },
          { id: CANCEL, label: 'Cancel' },
        ],
      },
    });
    return new Promise<string>((resolve, reject) => {
      pendingPrompt = { id, resolve, reject };
      void link.transport?.closed.then((cause) => reject(cause ?? new TransportError('the connection closed while waiting for your answer')));
    }).finally(() => {
      pendingPrompt = undefined;
      ctx.emit({ type: 'prompt', prompt: null });
    });
  }

  /** Binds the previous session resource, else prepares one (the confirm rule); sets `link.resourceId`. @returns the resource id. */
  async function sessionResource(link: Link & { processorId: string }, ctx: ConnectorContext): Promise<string> {
    const { dcp } = link;
    if (previousResourceId) {
      try {
        link.resourceId = previousResourceId; // its events may follow the bind's answer at once
        await dcp.core('bindResource', { resourceId: previousResourceId });
        ctx.log.info('bound the previous UCCX session again');
        return previousResourceId;
      } catch (error) {
        if (!(error instanceof DcpFailure)) throw error;
        ctx.log.info({ code: error.code }, 'the previous UCCX session cannot be bound again; preparing a new one');
        previousResourceId = undefined;
        link.resourceId = undefined;
      }
    }
    let override = false;
    for (;;) {
      const answer = prepareSessionResponseSchema.safeParse(
        await link.dcp.service(link.processorId, 'prepareSession', { model: account.callModel, override, agent: { id: agent, password } }),
      );
      if (!answer.success) throw new ConnectionError(`OpenMethods answered prepareSession with something unexpected (${problemOf(answer.error)})`);
      const response = answer.data;
      if (response.result === 'failure') {
        const why = response.failure?.message?.trim() || response.failure?.code || 'no reason given';
        throw new ConnectionError(`OpenMethods refused to sign in agent ${agent}: ${why} — check the agent id and password`, true);
      }
      if (response.result === 'confirm') {
        const choice = await askTakeOver(response.message?.trim() || DEFAULT_TAKE_OVER_MESSAGE, link, ctx);
        if (choice !== TAKE_OVER) {
          throw new ConnectionError(`Another session holds agent ${agent} and you chose not to take it over — Retry to be asked again`, true);
        }
        override = true;
        continue;
      }
      const resourceId = response.resource.id;
      link.resourceId = resourceId;
      await dcp.core('bindResource', { resourceId });
      previousResourceId = resourceId;
      return resourceId;
    }
  }

  /** Begins the team-status report; the answer re-syncs the team. */
  async function beginTeam(link: Link, ctx: ConnectorContext): Promise<void> {
    const { emit, log } = ctx;
    const issue = (message: string): void => emit({ type: 'subscriptions', issues: [{ entity: 'Team status', topic: 'report.teamstatus', message }] });
    if (!link.reportId) {
      issue('No UCCX report service is in service: the team is not shown');
      return;
    }
    try {
      link.fold.team.clear();
      const answer = reportResponseSchema.safeParse(await link.dcp.service(link.reportId, 'report.teamstatus.begin', { agentId: agent }));
      if (!answer.success) throw new Error(`an unexpected answer (${problemOf(answer.error)})`);
      if (answer.data.result === 'failure') {
        issue(answer.data.failure?.message?.trim() || 'UCCX refused the team-status report');
        return;
      }
      emit({ type: 'team.sync', members: link.fold.team.all() });
      emit({ type: 'subscriptions', issues: [] });
    } catch (error) {
      if (error instanceof DcpClosed) return;
      log.warn({ err: error }, 'could not begin the UCCX team-status report');
      issue(`The team-status report did not start: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Maps a failure of a connection attempt to a {@link ConnectionError}. */
  function classify(error: unknown): ConnectionError {
    if (error instanceof ConnectionError) return error;
    if (error instanceof DcpFailure) return new ConnectionError(`OpenMethods refused ${error.what}: ${error.message}`, false, { cause: error });
    const message = error instanceof Error ? error.message : String(error);
    return new ConnectionError(message, false, { cause: error });
  }

  async function connect(ctx: SessionContext): Promise<{ session: Session; live: Live }> {
    const { log, emit } = ctx;
    if (!password) throw new ConnectionError(`No password is set for UCCX agent ${agent} — check the account settings`, true);
    let cancelled: Error | undefined;
    const cancel = new AbortController();
    fold ??= new UccxFold(log);
    const link: Link = {
      fold,
      dcp: new DcpClient({
        send: (message) => link.transport?.send(message),
        log,
        timeoutMs: requestTimeoutMs,
        onEvent: (event) => onEvent(link, event, ctx),
      }),
    };
    connecting = {
      abort(error) {
        cancelled = error;
        cancel.abort(error);
        pendingPrompt?.reject(error);
        link.transport?.abort(error);
        link.dcp.close(error);
      },
    };
    try {
      const transport = await openTransport({
        url: account.serverUrl,
        clientId: randomUUID(),
        clientName: CLIENT_NAME,
        log,
        pingIntervalMs,
        stepTimeoutMs: requestTimeoutMs,
        tls: tuning.tls,
        signal: cancel.signal,
        onMessage: (message) => link.dcp.receive(message),
        onAlive: ctx.healthy,
      });
      link.transport = transport;
      if (cancelled) throw cancelled;
      void transport.closed.then((cause) => link.dcp.close(cause ?? new DcpClosed('the connection to OpenMethods closed')));
      try {
        const processor = await pickService(link.dcp, PROCESSOR_SERVICE_TYPE);
        if (!processor) throw new ConnectionError('No UCCX processor service of OpenMethods is in service; retrying');
        await link.dcp.core('bindService', { serviceId: processor.id });
        link.processorId = processor.id;
        const report = await pickService(link.dcp, REPORT_SERVICE_TYPE).catch((error: unknown) => {
          if (error instanceof DcpClosed) throw error;
          log.warn({ err: error }, 'could not look up the UCCX report service');
          return undefined;
        });
        if (report) {
          try {
            await link.dcp.core('bindService', { serviceId: report.id });
            link.reportId = report.id;
          } catch (error) {
            if (!(error instanceof DcpFailure)) throw error;
            log.warn({ code: error.code }, 'could not bind the UCCX report service; continuing without the team and journeys');
          }
        } else {
          log.warn('no UCCX report service is in service; continuing without the team and journeys');
        }

        const resourceId = await sessionResource(link as Link & { processorId: string }, ctx);

        let capabilities: UccxCapabilities = { ...ALL_CAPABILITIES };
        const caps = getCapabilitiesResponseSchema.safeParse(await link.dcp.service(processor.id, 'getCapabilities', {}));
        if (!caps.success) log.warn({ problem: problemOf(caps.error) }, 'OpenMethods answered getCapabilities with something unexpected; offering every action');
        else if (caps.data.result === 'failure') log.warn({ code: caps.data.failure?.code }, 'OpenMethods refused getCapabilities; offering every action');
        else capabilities = capabilitiesOf(caps.data.data);
        emit({ type: 'presence.options', options: capabilities.changeState ? [...OPENMETHODS_PRESENCE] : [] });
        emit({ type: 'account.capabilities', canDial: capabilities.makeCall, callControl: capabilities.answer || capabilities.release || capabilities.hold || capabilities.retrieve });
        for (const event of fold.setCapabilities(capabilities)) emit(event);

        try {
          const codes = reasonCodesSchema.safeParse(await link.dcp.resource(resourceId, 'session.getReasonCodes', resourceId));
          if (!codes.success) throw new Error(`an unexpected answer (${problemOf(codes.error)})`);
          for (const event of fold.setReasons(codes.data)) emit(event);
        } catch (error) {
          if (error instanceof DcpClosed || error instanceof DcpTimeout) throw error;
          log.warn({ err: error }, 'could not read the UCCX reason codes; presence goes without reasons');
        }

        // The snapshot is folded where it stands in the stream, before any event the server sent after it.
        await link.dcp.resource(resourceId, 'session.getState', resourceId, {}, {
          inOrder(data) {
            const state = sessionStateSchema.safeParse(data);
            if (!state.success) throw new ConnectionError(`OpenMethods answered session.getState with something unexpected (${problemOf(state.error)})`);
            for (const event of link.fold.sync(state.data, state.data.interactions ?? [], new Date().toISOString())) emit(event);
          },
        });

        await beginTeam(link, ctx);
        const live: Live = { fold, transport, dcp: link.dcp, processorId: processor.id, reportId: link.reportId, resourceId, capabilities };
        const session: Session = {
          closed: transport.closed,
          close: () => transport.close(),
        };
        return { session, live };
      } catch (error) {
        await transport.close().catch(() => undefined);
        throw error;
      }
    } catch (error) {
      if (cancelled) throw new ConnectionError('stopped', false, { cause: cancelled });
      throw classify(error);
    } finally {
      connecting = undefined;
    }
  }

  // ---- commands ----

  /** A command's failure in words for the agent. */
  function commandFailure(what: string, error: unknown): CommandError {
    if (error instanceof CommandError) return error;
    if (error instanceof DcpFailure) return new CommandError(`${what}: ${error.message}`);
    if (error instanceof DcpTimeout) return new CommandError(`${what}: OpenMethods did not answer in time — try again`);
    if (error instanceof DcpClosed) return new CommandError(`${what}: the connection to OpenMethods was lost — try again in a moment`);
    return new CommandError(`${what}: ${error instanceof Error ? error.message : String(error)}`);
  }

  async function changeState(live: Live, state: 'READY' | 'NOT_READY' | 'WORK' | 'LOGOUT', reasonCode?: string | number): Promise<void> {
    await live.dcp.resource(live.resourceId, 'session.changeState', live.resourceId, reasonCode === undefined ? { state } : { state, reasonCode });
  }

  const inner = defineConnector<Live>({
    platform: OPENMETHODS_NAME,
    capabilities: OPENMETHODS_CAPABILITIES,
    backoff: options.backoff,
    connect: (ctx) => connect(ctx),
    answerPrompt(promptId, choice) {
      if (pendingPrompt?.id === promptId) pendingPrompt.resolve(choice);
    },
    commands: {
      /**
       * `session.changeState` [I]. UCCX logs an agent out only from NOT_READY [C]: a logout from
       * another state goes through NOT_READY first, and is refused during a call.
       */
      'presence.set': async (live, command) => {
        const target = uccxStateFor(command.state);
        if (!target) throw new CommandError('UCCX has no do-not-disturb state: choose Not ready instead');
        if (!live.capabilities.changeState) throw new CommandError('This UCCX server does not let the desk change the agent state');
        let reason: UccxReason | undefined;
        if (command.reason !== undefined) {
          reason = live.fold.reasons.find((r) => r.code === command.reason && r.state === command.state);
          if (!reason) throw new CommandError('UCCX does not offer that reason');
        }
        const now = live.fold.agentState?.state;
        try {
          if (target === 'LOGOUT') {
            if (now === 'LOGOUT') return;
            if (now === 'TALKING' || now === 'RESERVED' || now === 'HOLD') {
              throw new CommandError('UCCX logs an agent out only from Not ready: finish the call first, then log out');
            }
            if (now !== 'NOT_READY') await changeState(live, 'NOT_READY');
          }
          await changeState(live, target, reason?.wire);
        } catch (error) {
          throw commandFailure('The agent state was not changed', error);
        }
      },
      /** `conversation.answer|release|hold|retrieve` on the leg's conversation [I]. */
      'call.action': async (live, command) => {
        const allowed = { answer: live.capabilities.answer, hangup: live.capabilities.release, hold: live.capabilities.hold, retrieve: live.capabilities.retrieve };
        if (!allowed[command.action]) throw new CommandError(`This UCCX server does not allow “${command.action}” from the desk`);
        const leg = live.fold.calls.conversationOf(command.callId);
        if (!leg) throw new CommandError('UCCX no longer knows that call');
        const verb = { answer: 'conversation.answer', hangup: 'conversation.release', hold: 'conversation.hold', retrieve: 'conversation.retrieve' }[command.action];
        try {
          await live.dcp.resource(live.resourceId, verb, `${live.resourceId}.${leg.interactionId}.${leg.conversationId}`);
        } catch (error) {
          throw commandFailure('The call was not changed', error);
        }
      },
      /** `session.makeCall {destination}` [I]. */
      'call.dial': async (live, command) => {
        if (!live.capabilities.makeCall) throw new CommandError('This UCCX server does not place calls for the desk');
        try {
          await live.dcp.resource(live.resourceId, 'session.makeCall', live.resourceId, { destination: command.number });
        } catch (error) {
          throw commandFailure('The call was not placed', error);
        }
      },
      /** `report.calljourney {CallId}` on the report service (document); the CallId is the interaction id [I]. */
      'call.journey': async (live, command) => {
        if (!live.reportId) throw new CommandError('Call journeys need the UCCX report service, which is not in service');
        const interactionId = legOfCallId(command.callId).interactionId;
        try {
          const answer = reportResponseSchema.safeParse(await live.dcp.service(live.reportId, 'report.calljourney', { CallId: interactionId }));
          if (!answer.success) throw new CommandError(`The call journey could not be read (${problemOf(answer.error)})`);
          if (answer.data.result === 'failure') throw new CommandError(`No journey for this call: ${answer.data.failure?.message?.trim() || 'UCCX gave none'}`);
          const data = callJourneyDataSchema.safeParse(answer.data.data ?? {});
          if (!data.success) throw new CommandError(`The call journey could not be read (${problemOf(data.error)})`);
          return journeyOf(command.callId, data.data);
        } catch (error) {
          throw commandFailure('The call journey', error);
        }
      },
    },
    /**
     * Ends the team report, unbinds the session resource and the services, each bounded by
     * {@link STOP_REQUEST_MS} (a silent server gets no further request); then the kit closes the socket.
     */
    async endSession(live, ctx) {
      const timeoutMs = Math.min(STOP_REQUEST_MS, requestTimeoutMs);
      const steps: Array<[string, () => Promise<unknown>]> = [
        ...(live.reportId ? [['report.teamstatus.end', () => live.dcp.service(live.reportId!, 'report.teamstatus.end', { agentId: agent }, { timeoutMs })] as [string, () => Promise<unknown>]] : []),
        ['unbindResource', () => live.dcp.core('unbindResource', { resourceId: live.resourceId }, { timeoutMs })],
        ...(live.reportId ? [['unbindService', () => live.dcp.core('unbindService', { serviceId: live.reportId }, { timeoutMs })] as [string, () => Promise<unknown>]] : []),
        ['unbindService', () => live.dcp.core('unbindService', { serviceId: live.processorId }, { timeoutMs })],
      ];
      for (const [what, step] of steps) {
        try {
          await step();
        } catch (error) {
          ctx.log.warn({ err: error }, `OpenMethods: ${what} did not complete on stop`);
          if (error instanceof DcpTimeout || error instanceof DcpClosed) return;
        }
      }
    },
  });

  let context: ConnectorContext | undefined;
  return {
    ...inner,
    start(ctx) {
      context = ctx;
      inner.start(ctx);
    },
    /** Stops; a connection waiting for the agent's answer (or a server) is abandoned at once. */
    async stop() {
      const stopping = inner.stop();
      connecting?.abort(new ConnectionError('the account was stopped'));
      await stopping;
      if (context) {
        context.emit({ type: 'team.sync', members: [] });
        context.emit({ type: 'prompt', prompt: null });
      }
    },
  };
}
