/**
 * What the desk asks of UCCX, one handler per command, on the live session resource (session.ts).
 * Each handler checks what `getCapabilities` allows, sends its DCP request and turns a refusal, a
 * timeout or a lost connection into a {@link CommandError} written for the agent. A new command is
 * one more entry in {@link UCCX_COMMANDS}. Sources: the resource commands `session.changeState`,
 * `session.makeCall`, `conversation.*` [I] (VENDOR-NOTES.md, OpenMethods wire contract);
 * `report.calljourney` (document, "UCCX Report Server Resource").
 */
import { CommandError } from '../../desk/port.js';
import type { ConnectorSpec } from '../kit/connector.js';
import { DcpClosed, DcpFailure, DcpTimeout } from './dcp.js';
import { journeyOf, legOfCallId, uccxStateFor, type UccxReason } from './normalize.js';
import { callJourneyDataSchema, problemOf, reportResponseSchema } from './schema.js';
import type { Live } from './session.js';

/** The UCCX agent states the desk sets [I]. */
export type UccxTargetState = 'READY' | 'NOT_READY' | 'WORK' | 'LOGOUT';

/**
 * A command's failure in words for the agent: `what` (e.g. "The call was not placed") and why.
 * A {@link CommandError} passes through unchanged.
 */
export function commandFailure(what: string, error: unknown): CommandError {
  if (error instanceof CommandError) return error;
  if (error instanceof DcpFailure) return new CommandError(`${what}: ${error.message}`);
  if (error instanceof DcpTimeout) return new CommandError(`${what}: OpenMethods did not answer in time — try again`);
  if (error instanceof DcpClosed) return new CommandError(`${what}: the connection to OpenMethods was lost — try again in a moment`);
  return new CommandError(`${what}: ${error instanceof Error ? error.message : String(error)}`);
}

/**
 * `session.changeState {state, reasonCode?}` on the session resource [I].
 * @param reasonCode the reason's code as the server sent it (`UccxReason.wire`).
 * @throws {DcpFailure | DcpTimeout | DcpClosed} as the request.
 */
export async function changeState(live: Live, state: UccxTargetState, reasonCode?: string | number): Promise<void> {
  await live.dcp.resource(live.resourceId, 'session.changeState', live.resourceId, reasonCode === undefined ? { state } : { state, reasonCode });
}

/**
 * The DCP target of one call leg: `<session>.<interaction>.<conversation>` [I].
 * @throws {CommandError} when UCCX no longer knows the call.
 */
export function conversationTarget(live: Live, callId: string): string {
  const leg = live.fold.calls.conversationOf(callId);
  if (!leg) throw new CommandError('UCCX no longer knows that call');
  return `${live.resourceId}.${leg.interactionId}.${leg.conversationId}`;
}

/** The commands UCCX carries out for the desk, each given the live connection. */
export const UCCX_COMMANDS: ConnectorSpec<Live>['commands'] = {
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
    const target = conversationTarget(live, command.callId);
    const verb = { answer: 'conversation.answer', hangup: 'conversation.release', hold: 'conversation.hold', retrieve: 'conversation.retrieve' }[command.action];
    try {
      await live.dcp.resource(live.resourceId, verb, target);
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
};
