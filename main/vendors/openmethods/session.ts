/**
 * The OpenMethods session: one (re)connection of an account's desk, and its clean end. Document:
 * `vendor-docs/openmethods-interaction-processor.txt`; facts and the wire contract: VENDOR-NOTES.md,
 * OpenMethods section.
 *
 * Every (re)connection ({@link openSession}):
 * 1. the socket (TLS for `tls://`), `connect`, `getProtocols`, `selectProtocol` (transport.ts, [I]);
 * 2. `getNetworkServices` for the UCCX processor type [I] and the report type (document): the first
 *    service in service of each; `bindService` both;
 * 3. the session resource: `bindResource` with the previous resource id, and only if that fails
 *    `prepareSession` with `override: false` (document); on `result: "confirm"` the document's
 *    `message` goes to the agent as a prompt, and `override: true` is sent **only** when the agent
 *    chooses Take over (the document's recommendation; never silently); a `failure` shows its
 *    `failure.message` and waits for a person; then `bindResource`;
 * 4. `getCapabilities` (document) decides which actions the desk offers, call work included
 *    (VENDOR-NOTES, "Call work" [I]); `session.getReasonCodes`, `session.getWrapUpReasons` (where
 *    offered), `session.getState` (presence, calls re-synced) [I];
 * 5. `report.teamstatus.begin {agentId}` (document): the team (team.ts).
 * {@link endSession} ends the report (`report.teamstatus.end`), unbinds the resource and the services;
 * the kit then closes the socket.
 */
import { randomUUID } from 'node:crypto';
import { ConnectionError, type ConnectorContext, type DeskLogger as Logger } from '../../desk/port.js';
import type { SessionContext } from '../kit/connector.js';
import type { Session } from '../kit/supervisor.js';
import { OPENMETHODS_PRESENCE } from './capabilities.js';
import type { OpenMethodsAccount, OpenMethodsTuning } from './config.js';
import { DcpClient, DcpClosed, DcpFailure, DcpTimeout } from './dcp.js';
import { routeEvent } from './events.js';
import { UccxFold } from './fold.js';
import { ALL_CAPABILITIES, callWorkOf, capabilitiesOf, type UccxCapabilities } from './normalize.js';
import {
  getCapabilitiesResponseSchema,
  inService,
  networkServicesDataSchema,
  prepareSessionResponseSchema,
  problemOf,
  reasonCodesSchema,
  sessionStateSchema,
  wrapUpReasonsSchema,
  type NetworkService,
} from './schema.js';
import { beginTeam } from './team.js';
import { openTransport, TransportError, type TransportConnection } from './transport.js';

/** The service type of the UCCX Interaction Processor [I]. */
export const PROCESSOR_SERVICE_TYPE = 'com.openmethods.iserver.processor.uccx';
/** The service type of the UCCX Report Server (document, "UCCX Report Server Resource"). */
export const REPORT_SERVICE_TYPE = 'com.openmethods.iserver.processor.reporting.uccx';
/** The client name announced in the transport's `connect` [I]. */
export const CLIENT_NAME = 'Agent Companion';
/** The prompt's answers: take the other session over, or leave it. */
export const TAKE_OVER = 'take-over';
export const CANCEL = 'cancel';
/** What the agent is asked when the server gives no text of its own. */
export const DEFAULT_TAKE_OVER_MESSAGE = 'Another session exists for this agent: take it over?';

/** The ping interval when the tuning sets none, ms [I: 15 000]. */
const DEFAULT_PING_MS = 15_000;
/** How long each request may take when the tuning sets no limit, ms. */
const DEFAULT_REQUEST_MS = 10_000;
/** How long each clean-stop request may take, ms: a stop must not hang on a silent server. */
const STOP_REQUEST_MS = 2_000;

/** One live connection: what the commands act on. */
export interface Live {
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
export interface Link {
  fold: UccxFold;
  transport?: TransportConnection;
  dcp: DcpClient;
  processorId?: string;
  reportId?: string;
  resourceId?: string;
}

/** The agent's answer awaited by the take-over prompt (its `id` is the prompt's). */
export interface PendingPrompt {
  id: string;
  resolve(choice: string): void;
  reject(error: Error): void;
}

/** What one account's connector keeps across connections, shared by its session and its events. */
export interface UccxAccountState {
  readonly account: OpenMethodsAccount;
  /** The agent's password, resolved (an empty one makes the connection `failed`). */
  readonly password: string;
  readonly tuning: OpenMethodsTuning;
  /** The ping interval, ms. */
  readonly pingIntervalMs: number;
  /** How long each request and each handshake step may take, ms. */
  readonly requestTimeoutMs: number;
  /** The session resource of the last connection, bound again on the next one. */
  previousResourceId: string | undefined;
  /** The account's picture, kept across reconnections (made on the first connection). */
  fold: UccxFold | undefined;
  /** The take-over prompt awaiting the agent's answer. */
  pendingPrompt: PendingPrompt | undefined;
  /** The connection being opened: {@link openSession} abandons it at once on `abort`. */
  connecting: { abort(error: Error): void } | undefined;
}

/**
 * The state of a fresh account, its tuning's defaults applied.
 * @param password the agent's password, resolved.
 */
export function newAccountState(account: OpenMethodsAccount, password: string, tuning: OpenMethodsTuning = {}): UccxAccountState {
  return {
    account,
    password,
    tuning,
    pingIntervalMs: tuning.pingIntervalMs ?? DEFAULT_PING_MS,
    requestTimeoutMs: tuning.requestTimeoutMs ?? DEFAULT_REQUEST_MS,
    previousResourceId: undefined,
    fold: undefined,
    pendingPrompt: undefined,
    connecting: undefined,
  };
}

/**
 * Opens one connection (steps 1–5 in this file's header) and folds what the server reports.
 * `state.connecting` holds it meanwhile, so a stop abandons it at once (a prompt waiting too).
 * @returns the session for the supervisor and the live connection for the commands.
 * @throws {ConnectionError} for every failure: fatal (`true`) when a person must act (no password,
 *   refused sign-in, take-over declined), else retried; `stopped` when abandoned.
 */
export async function openSession(state: UccxAccountState, ctx: SessionContext): Promise<{ session: Session; live: Live }> {
  const { log } = ctx;
  if (!state.password) {
    throw new ConnectionError(`No password is set for UCCX agent ${state.account.agentId} — check the account settings`, true, {
      said: { key: 'accounts.reason.no-secret', values: { user: state.account.agentId } },
    });
  }
  let cancelled: Error | undefined;
  const cancel = new AbortController();
  state.fold ??= new UccxFold(log, state.account.agentId);
  const link: Link = {
    fold: state.fold,
    dcp: new DcpClient({
      send: (message) => link.transport?.send(message),
      log,
      timeoutMs: state.requestTimeoutMs,
      onEvent: (event) => routeEvent(state, link, event, ctx),
    }),
  };
  state.connecting = {
    abort(error) {
      cancelled = error;
      cancel.abort(error);
      state.pendingPrompt?.reject(error);
      link.transport?.abort(error);
      link.dcp.close(error);
    },
  };
  try {
    const transport = await openTransport({
      url: state.account.serverUrl,
      clientId: randomUUID(),
      clientName: CLIENT_NAME,
      log,
      pingIntervalMs: state.pingIntervalMs,
      stepTimeoutMs: state.requestTimeoutMs,
      tls: state.tuning.tls,
      signal: cancel.signal,
      onMessage: (message) => link.dcp.receive(message),
      onAlive: ctx.healthy,
    });
    link.transport = transport;
    if (cancelled) throw cancelled;
    void transport.closed.then((cause) => link.dcp.close(cause ?? new DcpClosed('the connection to OpenMethods closed')));
    try {
      const live = await bindAndSync(state, link, transport, ctx);
      return { session: { closed: transport.closed, close: () => transport.close() }, live };
    } catch (error) {
      await transport.close().catch(() => undefined);
      throw error;
    }
  } catch (error) {
    if (cancelled) throw new ConnectionError('stopped', false, { cause: cancelled });
    throw classify(error);
  } finally {
    state.connecting = undefined;
  }
}

/** Steps 2–5 on an open transport: the services, the session resource, capabilities, reasons, state, team. */
async function bindAndSync(state: UccxAccountState, link: Link, transport: TransportConnection, ctx: SessionContext): Promise<Live> {
  const processorId = await bindServices(link, ctx.log);
  const resourceId = await sessionResource(state, link as Link & { processorId: string }, ctx);
  const capabilities = await readCapabilities(link, processorId, ctx);
  await readReasons(link, resourceId, ctx);
  await readWrapUpReasons(state, link, resourceId, capabilities, ctx);
  await syncState(link, resourceId, ctx);
  await beginTeam(state.account.agentId, link, ctx);
  return { fold: link.fold, transport, dcp: link.dcp, processorId, reportId: link.reportId, resourceId, capabilities };
}

/**
 * Binds the processor service (required) and the report service (optional: without it, no team and
 * no journeys); sets `link.processorId` and `link.reportId`.
 * @returns the processor service's id.
 * @throws {ConnectionError} when no processor service is in service (retried).
 */
async function bindServices(link: Link, log: Logger): Promise<string> {
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
  return processor.id;
}

/** The first service of a type that is in service. @throws {ConnectionError} on an unexpected answer. */
async function pickService(dcp: DcpClient, serviceType: string): Promise<NetworkService | undefined> {
  const data = networkServicesDataSchema.safeParse(await dcp.core('getNetworkServices', { serviceType }));
  if (!data.success) throw new ConnectionError(`OpenMethods answered getNetworkServices with something unexpected (${problemOf(data.error)})`);
  return data.data.services.find((s) => s.type === serviceType && inService(s.serviceStatus?.status));
}

/**
 * Binds the previous session resource, else prepares one (the confirm rule); sets `link.resourceId`
 * and remembers it in `state.previousResourceId`.
 * @returns the resource id.
 * @throws {ConnectionError} (fatal) when the sign-in is refused or the agent declines the take-over.
 */
async function sessionResource(state: UccxAccountState, link: Link & { processorId: string }, ctx: ConnectorContext): Promise<string> {
  const { dcp } = link;
  const agent = state.account.agentId;
  if (state.previousResourceId) {
    const bound = await bindPrevious(state, link, ctx);
    if (bound) return bound;
  }
  let override = false;
  for (;;) {
    const answer = prepareSessionResponseSchema.safeParse(
      await dcp.service(link.processorId, 'prepareSession', { model: state.account.callModel, override, agent: { id: agent, password: state.password } }),
    );
    if (!answer.success) throw new ConnectionError(`OpenMethods answered prepareSession with something unexpected (${problemOf(answer.error)})`);
    const response = answer.data;
    if (response.result === 'failure') {
      const why = response.failure?.message?.trim() || response.failure?.code || 'no reason given';
      throw new ConnectionError(`OpenMethods refused to sign in agent ${agent}: ${why} — check the agent id and password`, true, {
        said: { key: 'accounts.reason.sign-in-refused', values: { user: agent, detail: why } },
      });
    }
    if (response.result === 'confirm') {
      const choice = await askTakeOver(state, response.message?.trim(), link, ctx);
      if (choice !== TAKE_OVER) {
        throw new ConnectionError(`Another session holds agent ${agent} and you chose not to take it over — Retry to be asked again`, true, {
          said: { key: 'accounts.reason.takeover-declined', values: { user: agent } },
        });
      }
      override = true;
      continue;
    }
    const resourceId = response.resource.id;
    link.resourceId = resourceId;
    await dcp.core('bindResource', { resourceId });
    state.previousResourceId = resourceId;
    return resourceId;
  }
}

/**
 * Binds `state.previousResourceId` again.
 * @returns its id, or `undefined` when the server refused (the previous id is then forgotten).
 * @throws whatever else the request threw (a timeout, a closed connection).
 */
async function bindPrevious(state: UccxAccountState, link: Link, ctx: ConnectorContext): Promise<string | undefined> {
  const previous = state.previousResourceId!;
  try {
    link.resourceId = previous; // its events may follow the bind's answer at once
    await link.dcp.core('bindResource', { resourceId: previous });
    ctx.log.info('bound the previous UCCX session again');
    return previous;
  } catch (error) {
    if (!(error instanceof DcpFailure)) throw error;
    ctx.log.info({ code: error.code }, 'the previous UCCX session cannot be bound again; preparing a new one');
    state.previousResourceId = undefined;
    link.resourceId = undefined;
    return undefined;
  }
}

/**
 * Asks the agent whether to take the other session over (a `prompt` event, cleared once settled):
 * the server's question as sent (`serverMessage`), else ours; the answers as codes (issue 19).
 * @returns the chosen answer's id ({@link TAKE_OVER} or {@link CANCEL}).
 * @throws the connection's cause when it closes (or is abandoned) before the agent answers.
 */
function askTakeOver(state: UccxAccountState, serverMessage: string | undefined, link: Link, ctx: ConnectorContext): Promise<string> {
  const id = randomUUID();
  ctx.emit({
    type: 'prompt',
    prompt: {
      id,
      // The server's question as it sent it; our own, in the agent's language, when it sent none.
      ...(serverMessage ? { message: serverMessage } : { message: DEFAULT_TAKE_OVER_MESSAGE, said: { key: 'prompt.take-over.question' } }),
      choices: [
        { id: TAKE_OVER, label: 'Take over', primary: true, said: { key: 'prompt.take-over' } },
        { id: CANCEL, label: 'Cancel', said: { key: 'common.cancel' } },
      ],
    },
  });
  return new Promise<string>((resolve, reject) => {
    state.pendingPrompt = { id, resolve, reject };
    void link.transport?.closed.then((cause) => reject(cause ?? new TransportError('the connection closed while waiting for your answer')));
  }).finally(() => {
    state.pendingPrompt = undefined;
    ctx.emit({ type: 'prompt', prompt: null });
  });
}

/**
 * `getCapabilities` (document): the presence options, the account's dial and call control, and the
 * calls' actions follow it; an unexpected or refused answer offers every action.
 */
async function readCapabilities(link: Link, processorId: string, ctx: ConnectorContext): Promise<UccxCapabilities> {
  const { log, emit } = ctx;
  let capabilities: UccxCapabilities = { ...ALL_CAPABILITIES };
  const caps = getCapabilitiesResponseSchema.safeParse(await link.dcp.service(processorId, 'getCapabilities', {}));
  if (!caps.success) log.warn({ problem: problemOf(caps.error) }, 'OpenMethods answered getCapabilities with something unexpected; offering every action');
  else if (caps.data.result === 'failure') log.warn({ code: caps.data.failure?.code }, 'OpenMethods refused getCapabilities; offering every action');
  else capabilities = capabilitiesOf(caps.data.data);
  emit({ type: 'presence.options', options: capabilities.changeState ? [...OPENMETHODS_PRESENCE] : [] });
  emit({ type: 'account.capabilities', canDial: capabilities.makeCall, callControl: capabilities.answer || capabilities.release || capabilities.hold || capabilities.retrieve });
  for (const event of link.fold.setCapabilities(capabilities)) emit(event);
  return capabilities;
}

/**
 * `session.getReasonCodes` [I]: the reasons the agent may give. Without them presence goes on
 * without reasons. @throws only when the connection closed or the server did not answer in time.
 */
async function readReasons(link: Link, resourceId: string, ctx: ConnectorContext): Promise<void> {
  try {
    const codes = reasonCodesSchema.safeParse(await link.dcp.resource(resourceId, 'session.getReasonCodes', resourceId));
    if (!codes.success) throw new Error(`an unexpected answer (${problemOf(codes.error)})`);
    for (const event of link.fold.setReasons(codes.data)) ctx.emit(event);
  } catch (error) {
    if (error instanceof DcpClosed || error instanceof DcpTimeout) throw error;
    ctx.log.warn({ err: error }, 'could not read the UCCX reason codes; presence goes without reasons');
  }
}

/**
 * `session.getWrapUpReasons` [I] where the capabilities offer wrap-up reasons: the `wrapup.reasons`
 * event (required as the account says), then the account's call work (`setWrapUpReason` only with
 * reasons to choose from). A refused or unexpected answer leaves the agent without reasons (logged).
 * @throws only when the connection closed or the server did not answer in time.
 */
async function readWrapUpReasons(state: UccxAccountState, link: Link, resourceId: string, capabilities: UccxCapabilities, ctx: ConnectorContext): Promise<void> {
  let data = {};
  if (capabilities.wrapUpReasons) {
    try {
      const answer = wrapUpReasonsSchema.safeParse(await link.dcp.resource(resourceId, 'session.getWrapUpReasons', resourceId));
      if (!answer.success) throw new Error(`an unexpected answer (${problemOf(answer.error)})`);
      data = answer.data;
    } catch (error) {
      if (error instanceof DcpClosed || error instanceof DcpTimeout) throw error;
      ctx.log.warn({ err: error }, 'could not read the UCCX wrap-up reasons; calls go without them');
    }
  }
  for (const event of link.fold.setWrapUpReasons(data, state.account.wrapUpRequired)) ctx.emit(event);
  ctx.emit({ type: 'account.capabilities', callWork: callWorkOf(capabilities, link.fold.wrapUpReasons.length > 0) });
}

/**
 * `session.getState` [I]: presence and every call re-synced. The snapshot is folded where it stands
 * in the stream, before any event the server sent after it.
 * @throws {ConnectionError} on an unexpected answer.
 */
async function syncState(link: Link, resourceId: string, ctx: ConnectorContext): Promise<void> {
  await link.dcp.resource(resourceId, 'session.getState', resourceId, {}, {
    inOrder(data) {
      const state = sessionStateSchema.safeParse(data);
      if (!state.success) throw new ConnectionError(`OpenMethods answered session.getState with something unexpected (${problemOf(state.error)})`);
      for (const event of link.fold.sync(state.data, state.data.interactions ?? [], new Date().toISOString())) ctx.emit(event);
    },
  });
}

/** Maps a failure of a connection attempt to a {@link ConnectionError} (a refusal names what was refused). */
function classify(error: unknown): ConnectionError {
  if (error instanceof ConnectionError) return error;
  if (error instanceof DcpFailure) return new ConnectionError(`OpenMethods refused ${error.what}: ${error.message}`, false, { cause: error });
  const message = error instanceof Error ? error.message : String(error);
  return new ConnectionError(message, false, { cause: error });
}

/**
 * Ends the team report, unbinds the session resource and the services, each bounded by
 * {@link STOP_REQUEST_MS} (a silent server gets no further request); then the kit closes the socket.
 * Never throws: a step that fails is logged.
 */
export async function endSession(state: UccxAccountState, live: Live, ctx: ConnectorContext): Promise<void> {
  const timeoutMs = Math.min(STOP_REQUEST_MS, state.requestTimeoutMs);
  const agentId = state.account.agentId;
  const steps: Array<[string, () => Promise<unknown>]> = [
    ...(live.reportId ? [['report.teamstatus.end', () => live.dcp.service(live.reportId!, 'report.teamstatus.end', { agentId }, { timeoutMs })] as [string, () => Promise<unknown>]] : []),
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
}
