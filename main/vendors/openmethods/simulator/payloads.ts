/**
 * The simulator's message bodies, in the document's shapes where it gives them
 * (`vendor-docs/openmethods-interaction-processor.txt`: the service properties, `prepareSession`'s
 * confirm / success / failure answers, `getCapabilities`, the reports and the team-status events)
 * and in the wire contract's shapes [I] elsewhere (the session resource's interactions).
 */

/** One leg of a simulated interaction (a conversation [C]). */
export interface SimLeg {
  id: string;
  /** Participant state [C], plus INITIATED while dialing [I]. */
  state: 'INITIATED' | 'ALERTING' | 'ACTIVE' | 'HELD' | 'DROPPED' | 'FAILED';
  /** The consult leg's number. */
  destination?: string;
}

/** A simulated interaction (a call) [I]. */
export interface SimInteraction {
  id: string;
  direction: 'inbound' | 'outbound';
  /** `interaction-state` [I]. */
  state: 'ALERTING' | 'DIALING' | 'ACTIVE' | 'ENDED';
  ani: string;
  dnis: string;
  callVariables: Record<string, string>;
  primary: SimLeg;
  consult?: SimLeg;
  /** A conference's parties (after `conversation.conference`) [I: the contract names only `participants[]`]. */
  participants?: Array<{ id: string; number: string; name?: string; type: 'CUSTOMER' | 'AGENT'; 'agent-id'?: string }>;
  /** ms since epoch. */
  startedAt: number;
  connectedAt?: number;
}

/** The body of an interaction in `interaction.*` events and `session.getState` [I]. */
export function interactionBody(interaction: SimInteraction): Record<string, unknown> {
  return {
    'interaction-id': interaction.id,
    'interaction-state': interaction.state,
    'interaction-data': {
      ani: interaction.ani,
      dnis: interaction.dnis,
      callVariables: { ...interaction.callVariables },
      ...(interaction.participants ? { participants: interaction.participants.map((p) => ({ ...p })) } : {}),
    },
    conversations: {
      primary: { id: interaction.primary.id },
      ...(interaction.consult ? { consult: { id: interaction.consult.id } } : {}),
    },
  };
}

/** The properties every Interaction Processor service provides (document, "Service Overview"). */
export function serviceProperties(instanceDomain: string): Record<string, string> {
  return { vendor: 'OpenMethods', version: '5.2.0', 'cti-vendor': 'Cisco', 'cti-version': 'UCCX 12.5', 'instance-domain': instanceDomain };
}

/** The document's failure block. */
export function failure(code: string, message: string): { code: string; message: string; context: string } {
  return { code, message, context: '' };
}

/** `prepareSession`'s confirmation answer (document): the prompt text and the original request. */
export function prepareSessionConfirm(message: string, original: unknown): Record<string, unknown> {
  return { command: 'prepareSession', result: 'confirm', message, original };
}

/** `prepareSession`'s success answer (document): the resource, with the original `data`. */
export function prepareSessionSuccess(resourceId: string, data: unknown): Record<string, unknown> {
  return { command: 'prepareSession', result: 'success', resource: { id: resourceId, data } };
}

/** `prepareSession`'s failure answer (document). */
export function prepareSessionFailure(code: string, message: string, original: unknown): Record<string, unknown> {
  return { command: 'prepareSession', result: 'failure', failure: failure(code, message), original };
}

/** `getCapabilities`' success answer, padded command name as the document prints it. */
export function capabilitiesSuccess(data: Record<string, unknown>): Record<string, unknown> {
  return { command: ' getCapabilities ', result: 'success', data };
}

/**
 * The capabilities this simulator announces [I: the document gives only "key value pairs of
 * capabilities"; the keys are the session commands].
 */
export const DEFAULT_CAPABILITIES: Readonly<Record<string, unknown>> = {
  'session.changeState': true,
  'session.makeCall': true,
  'conversation.answer': true,
  'conversation.release': true,
  'conversation.hold': true,
  'conversation.retrieve': true,
  // Call work (VENDOR-NOTES, "Call work": these keys `true` offer the action [I]).
  consult: true,
  transfer: true,
  conference: true,
  singleStepTransfer: true,
  sendDtmf: true,
  wrapUpReasons: true,
};

/** A report's success answer (document). */
export function reportSuccess(command: string, data: Record<string, unknown>): Record<string, unknown> {
  return { command, result: 'success', data };
}

/** A report's failure answer (document). */
export function reportFailure(command: string, code: string, message: string, original: unknown): Record<string, unknown> {
  return { command, result: 'failure', failure: failure(code, message), original };
}

/** A duration as "<formatted time value>" [I: `HH:MM:SS`]. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

/** One step of a call journey (document: `CallId`, `Device`, `DeviceType`, `Description`, `Duration`). */
export function journeyStep(callId: string, device: string, deviceType: string, description: string, seconds: number): Record<string, string> {
  return { CallId: callId, Device: device, DeviceType: deviceType, Description: description, Duration: formatDuration(seconds) };
}
