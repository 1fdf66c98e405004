/**
 * Call work on UCCX (issue 18): consultations, transfers, conferences, DTMF and wrap-up reasons, as
 * session resource commands of the Direct Client Protocol. Sources: VENDOR-NOTES.md, "Call work
 * beyond answer and hang-up", OpenMethods — the public wiki names transfer, conference and DTMF
 * among conversation actions [C]; every command, body and target here is the pinned contract [I]:
 * - `conversation.consult {destination}` on the primary conversation (it goes HELD, a `consult`
 *   conversation appears); `conversation.singleStepTransfer {destination}` on the primary (blind);
 * - `conversation.transfer` / `conversation.conference` on the consult conversation;
 * - `conversation.release` on the consult conversation cancels it, then `conversation.retrieve` on the primary;
 * - `conversation.sendDtmf {digits}` on an ACTIVE conversation;
 * - `interaction.setWrapUpReason {reasonCode}` with `target` `<session>.<interaction>`, during the
 *   after-call work of that interaction (else the failure `wrapup.notAllowed`).
 *
 * The request builders are pure (the golden tests pin each); {@link UCCX_CALL_WORK} sends them on
 * the live session and turns a failure into a {@link CommandError} carrying UCCX's own `message`,
 * which the desk shows on the call.
 */
import { CommandError } from '../../desk/port.js';
import type { ConnectorSpec } from '../kit/connector.js';
import { commandFailure, conversationTarget } from './commands.js';
import { legOfCallId } from './normalize.js';
import type { Live } from './session.js';

/** One session resource request: its command, its `target` and its `data` [I]. */
export interface UccxRequest {
  command: string;
  target: string;
  data: Record<string, unknown>;
}

/** `conversation.consult {destination}` on the primary conversation (`target` `<session>.<interaction>.<conversation>`). */
export function consultRequest(primaryTarget: string, destination: string): UccxRequest {
  return { command: 'conversation.consult', target: primaryTarget, data: { destination } };
}

/** `conversation.singleStepTransfer {destination}` on the primary conversation: a blind transfer. */
export function singleStepTransferRequest(primaryTarget: string, destination: string): UccxRequest {
  return { command: 'conversation.singleStepTransfer', target: primaryTarget, data: { destination } };
}

/** `conversation.transfer` (a consultative transfer) or `conversation.conference`, on the consult conversation. */
export function completeRequest(consultTarget: string, as: 'transfer' | 'conference'): UccxRequest {
  return { command: as === 'transfer' ? 'conversation.transfer' : 'conversation.conference', target: consultTarget, data: {} };
}

/** The two requests that cancel a consultation: `conversation.release` on the consult conversation, then `conversation.retrieve` on the primary. */
export function cancelRequests(consultTarget: string, primaryTarget: string): [UccxRequest, UccxRequest] {
  return [
    { command: 'conversation.release', target: consultTarget, data: {} },
    { command: 'conversation.retrieve', target: primaryTarget, data: {} },
  ];
}

/** `conversation.sendDtmf {digits}`: 1–32 of `0-9 * # A-D` (checked by the desk). */
export function dtmfRequest(target: string, digits: string): UccxRequest {
  return { command: 'conversation.sendDtmf', target, data: { digits } };
}

/**
 * `interaction.setWrapUpReason {reasonCode}` with `target` `<session>.<interaction>`.
 * @param reasonCode the code as `session.getWrapUpReasons` gave it (a number stays a number).
 */
export function wrapUpReasonRequest(sessionId: string, interactionId: string, reasonCode: string | number): UccxRequest {
  return { command: 'interaction.setWrapUpReason', target: `${sessionId}.${interactionId}`, data: { reasonCode } };
}

/** How long a cancelled consult conversation may take to be dropped before the primary is retrieved anyway, ms [I]. */
export const CONSULT_RELEASE_WAIT_MS = 5_000;

/** Sends one request on the session resource. @throws {DcpFailure | DcpTimeout | DcpClosed} */
async function send(live: Live, request: UccxRequest): Promise<void> {
  await live.dcp.resource(live.resourceId, request.command, request.target, request.data);
}

/** Refuses what this server's `getCapabilities` does not offer. @throws {CommandError} */
function offered(allowed: boolean, what: string): void {
  if (!allowed) throw new CommandError(`This UCCX server does not offer ${what} from the desk`);
}

/** The call work commands UCCX carries out, each given the live connection. */
export const UCCX_CALL_WORK: ConnectorSpec<Live>['commands'] = {
  /**
   * `conversation.consult` on the primary; what the consultation is for is decided when it
   * completes. The destination becomes the consult leg's far end (UCCX names only its conversation).
   */
  'call.consult': async (live, command) => {
    offered(live.capabilities.consult, 'consultations');
    try {
      const target = conversationTarget(live, command.callId);
      // Before the request: UCCX may report the consult leg before it answers.
      live.fold.calls.consultTo(command.callId, command.destination);
      await send(live, consultRequest(target, command.destination));
    } catch (error) {
      live.fold.calls.consultTo(command.callId, undefined);
      throw commandFailure('The consultation did not start', error);
    }
  },
  /** `conversation.singleStepTransfer` on the primary. */
  'call.blindTransfer': async (live, command) => {
    offered(live.capabilities.singleStepTransfer, 'blind transfers');
    try {
      await send(live, singleStepTransferRequest(conversationTarget(live, command.callId), command.destination));
    } catch (error) {
      throw commandFailure('The call was not transferred', error);
    }
  },
  /** `conversation.transfer` or `conversation.conference` on the consult conversation. */
  'call.completeConsult': async (live, command) => {
    offered(command.as === 'transfer' ? live.capabilities.transfer : live.capabilities.conference, command.as === 'transfer' ? 'transfers' : 'conferences');
    try {
      await send(live, completeRequest(conversationTarget(live, command.consultId), command.as));
    } catch (error) {
      throw commandFailure(command.as === 'transfer' ? 'The call was not transferred' : 'The conference was not made', error);
    }
  },
  /**
   * `conversation.release` on the consult conversation, then — once UCCX dropped it, and only while
   * the primary is still held — `conversation.retrieve` on the primary.
   */
  'call.cancelConsult': async (live, command) => {
    try {
      const primary = conversationTarget(live, command.originalId);
      const [release, retrieve] = cancelRequests(conversationTarget(live, command.consultId), primary);
      await send(live, release);
      await live.fold.legEnded(command.consultId, CONSULT_RELEASE_WAIT_MS);
      if (live.fold.calls.stateOf(command.originalId) === 'held') await send(live, retrieve);
    } catch (error) {
      throw commandFailure('The caller was not taken back', error);
    }
  },
  /** `conversation.sendDtmf` on the leg's conversation. */
  'call.dtmf': async (live, command) => {
    offered(live.capabilities.sendDtmf, 'touch-tone digits');
    try {
      await send(live, dtmfRequest(conversationTarget(live, command.callId), command.digits));
    } catch (error) {
      throw commandFailure('The digits were not sent', error);
    }
  },
  /** `interaction.setWrapUpReason` on the ended call's interaction, with the code as UCCX gave it. */
  'call.wrapUpReason': async (live, command) => {
    offered(live.capabilities.wrapUpReasons, 'wrap-up reasons');
    const reason = live.fold.wrapUpReasons.find((r) => r.code === command.reason.code);
    if (!reason) throw new CommandError('UCCX does not offer that wrap-up reason');
    try {
      await send(live, wrapUpReasonRequest(live.resourceId, legOfCallId(command.callId).interactionId, reason.wire));
    } catch (error) {
      throw commandFailure('The wrap-up reason was not saved', error);
    }
  },
};
