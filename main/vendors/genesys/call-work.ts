/**
 * Call work on Genesys (issue 18): consultations, transfers, conferences, DTMF and dispositions, as
 * the Workspace API v2 operations on a call (VENDOR-NOTES.md, "Call work beyond answer and
 * hang-up", Genesys: operation names [C], body fields [I]). Every request is
 * `POST /api/v2/me/calls/{callId}` with `{operationName, …}`; its result arrives over CometD as a
 * `CallStateChangeMessage` (a refusal either as a non-zero `statusCode` or an `Error` notification,
 * both shown on the call in Genesys' words).
 *
 * The request builders here are pure (the golden tests pin each body); {@link GenesysCallWork}
 * sends them and does the one two-step: cancelling a consultation (`Hangup` on the consult call,
 * then, once Genesys released it, `Retrieve` on the original).
 */
import type { CallWorkAction, ConsultPurpose, WrapUpReason } from '../../../common/model.js';
import type { ConnectorCommand } from '../../desk/port.js';

/** The call work a Genesys account offers: all of it; wrap-up reasons only with `dispositions` configured. */
export const GENESYS_CALL_WORK: readonly CallWorkAction[] = ['consult', 'blindTransfer', 'transfer', 'conference', 'cancelConsult', 'sendDtmf', 'setWrapUpReason'];

/** The call work one account offers: {@link GENESYS_CALL_WORK}, less wrap-up reasons when it lists none. */
export function callWorkOf(account: { dispositions: readonly WrapUpReason[] }): CallWorkAction[] {
  return GENESYS_CALL_WORK.filter((action) => action !== 'setWrapUpReason' || account.dispositions.length > 0);
}

/** One operation on a call: `POST /api/v2/me/calls/{callId}` with `body`. */
export interface CallOperation {
  callId: string;
  body: { operationName: string } & Record<string, unknown>;
}

/**
 * `InitiateTransfer` or `InitiateConference {destination: {phoneNumber}}` on the call: Genesys holds
 * it and opens a consult call (`callType: "Consult"`, `parentConnId` = this call) [C: names; I: body].
 */
export function consultOperation(callId: string, destination: string, purpose: ConsultPurpose): CallOperation {
  const operationName = purpose === 'transfer' ? 'InitiateTransfer' : 'InitiateConference';
  return { callId, body: { operationName, destination: { phoneNumber: destination } } };
}

/** `SingleStepTransfer {destination: {phoneNumber}}`: a blind transfer; the call ends for the agent [C: name; I: body]. */
export function blindTransferOperation(callId: string, destination: string): CallOperation {
  return { callId, body: { operationName: 'SingleStepTransfer', destination: { phoneNumber: destination } } };
}

/**
 * `CompleteTransfer` or `CompleteConference {parentConnId}`, sent on the **consult** call: a transfer
 * releases both of the agent's calls, a conference leaves one call listing every party [C: names; I: body].
 */
export function completeOperation(consultId: string, originalId: string, as: ConsultPurpose): CallOperation {
  const operationName = as === 'transfer' ? 'CompleteTransfer' : 'CompleteConference';
  return { callId: consultId, body: { operationName, parentConnId: originalId } };
}

/** `SendDTMF {dtmfDigits}`: 1–32 of `0-9 * # A-D` (checked by the desk) [C: name; I: body, limit]. */
export function dtmfOperation(callId: string, digits: string): CallOperation {
  return { callId, body: { operationName: 'SendDTMF', dtmfDigits: digits } };
}

/**
 * `AttachUserData {userData: [{key, type: "str", value}]}`: the disposition (wrap-up reason) as the
 * call's attached data, under the account's `dispositionKey` [C: VENDOR-NOTES, "Call work"; I: key default].
 */
export function dispositionOperation(callId: string, key: string, reason: WrapUpReason): CallOperation {
  return { callId, body: { operationName: 'AttachUserData', userData: [{ key, type: 'str', value: reason.code }] } };
}

/** The two operations that cancel a consultation: `Hangup` on the consult call, then `Retrieve` on the original [C]. */
export function cancelOperations(consultId: string, originalId: string): [CallOperation, CallOperation] {
  return [
    { callId: consultId, body: { operationName: 'Hangup' } },
    { callId: originalId, body: { operationName: 'Retrieve' } },
  ];
}

/** The call work commands, by type. */
type CallWorkCommand = Extract<
  ConnectorCommand,
  { type: 'call.consult' | 'call.blindTransfer' | 'call.completeConsult' | 'call.cancelConsult' | 'call.dtmf' | 'call.wrapUpReason' }
>;

/** How long a cancelled consult call may take to be released before the original is retrieved anyway, ms [I]. */
export const CONSULT_RELEASE_WAIT_MS = 5_000;

/** What {@link GenesysCallWork} needs of the connector. */
export interface CallWorkDeps<Live> {
  /** POSTs one operation; a refusal rejects with a `CommandError` in Genesys' words. */
  operate(live: Live, operation: CallOperation): Promise<void>;
  /** Resolves once Genesys released call `callId` (at once when it is not live), or after `withinMs`. */
  released(callId: string, withinMs: number): Promise<void>;
  /** The account's disposition key. */
  dispositionKey: string;
}

/** Carries out the desk's call work commands on one Genesys account. */
export class GenesysCallWork<Live> {
  constructor(private readonly deps: CallWorkDeps<Live>) {}

  /**
   * One call work command → its operation(s).
   * @throws {CommandError} when Genesys refuses (its words).
   */
  async execute(live: Live, command: CallWorkCommand): Promise<void> {
    switch (command.type) {
      case 'call.consult':
        return this.deps.operate(live, consultOperation(command.callId, command.destination, command.purpose));
      case 'call.blindTransfer':
        return this.deps.operate(live, blindTransferOperation(command.callId, command.destination));
      case 'call.completeConsult':
        return this.deps.operate(live, completeOperation(command.consultId, command.originalId, command.as));
      case 'call.cancelConsult': {
        const [hangup, retrieve] = cancelOperations(command.consultId, command.originalId);
        await this.deps.operate(live, hangup);
        await this.deps.released(command.consultId, CONSULT_RELEASE_WAIT_MS);
        return this.deps.operate(live, retrieve);
      }
      case 'call.dtmf':
        return this.deps.operate(live, dtmfOperation(command.callId, command.digits));
      case 'call.wrapUpReason':
        return this.deps.operate(live, dispositionOperation(command.callId, this.deps.dispositionKey, command.reason));
    }
  }
}
