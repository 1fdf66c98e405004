/**
 * zod schemas of every message the OpenMethods connector reads or its simulator takes, in four parts:
 *
 * 1. **Transport control** (protocol index 0) — the wire contract, [I] (VENDOR-NOTES.md,
 *    OpenMethods: "Transport control"). Public sources [C] only say a handshake, a protocol
 *    negotiation, a teardown and an error exist.
 * 2. **DCP envelopes** (protocol index 1) — the twelve `messageType`s are [C] (Direct Client
 *    Protocol); their fields (`requestId`, `requestType`, `serviceId`, `resourceId`, `target`) are [I].
 * 3. **The document's bodies** — `prepareSession`, `getCapabilities`, the UCCX Report Server
 *    resource's reports and events, the service properties: as the document prints them
 *    (`vendor-docs/openmethods-interaction-processor.txt`), padded command names included
 *    (`" getCapabilities "`: compared trimmed).
 * 4. **The session resource** — its commands' data and events, [I] (VENDOR-NOTES.md: `session.*`,
 *    `interaction.*`, `conversation.*`; UCCX agent and participant states are [C]).
 *
 * Tolerant where the wild is: unknown fields are kept (loose objects), ids may be numbers or
 * strings, optional fields may be `null`. Vendor words stay in this folder.
 */
import { z } from 'zod';

// ---- shared pieces ---------------------------------------------------------------------------------

/** An id on the wire: a string or a number, read as a string [I]. */
export const wireId = z.union([z.string(), z.number()]).transform(String);

/** A command name as the document prints it, trimmed (the document pads `" getCapabilities "`). */
export const commandName = z.string().transform((name) => name.trim());

/** `result` of a response, trimmed and lower-cased: `success`, `failure` or (prepareSession) `confirm` (document). */
export const resultWord = z.string().transform((word) => word.trim().toLowerCase());

/**
 * The document's failure block: `{code, message, context}` ("<error-code-for-failure>",
 * "<error-message>", "<stack-trace-if-applicable>"). Each part tolerated absent.
 */
export const failureSchema = z.looseObject({
  code: wireId.nullish(),
  message: z.string().nullish(),
  context: z.unknown().optional(),
});
export type Failure = z.infer<typeof failureSchema>;

const optionalText = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((value) => (value === null || value === undefined ? undefined : String(value)));

// ---- 1. transport control [I] ------------------------------------------------------------------------

/** One protocol the transport offers: `{index, name, version}` [I]. */
export const protocolInfoSchema = z.looseObject({
  index: z.number().int().min(0).max(255),
  name: z.string(),
  version: z.union([z.string(), z.number()]).transform(String).optional(),
});
export type ProtocolInfo = z.infer<typeof protocolInfoSchema>;

/** What travels on protocol index 0, either way [I]. */
export const transportControlSchema = z.discriminatedUnion('messageType', [
  z.looseObject({ messageType: z.literal('connect'), client: z.looseObject({ id: z.string().min(1), name: z.string().optional() }) }),
  z.looseObject({ messageType: z.literal('connected'), client: z.looseObject({ id: wireId }).optional() }),
  z.looseObject({ messageType: z.literal('getProtocols') }),
  z.looseObject({ messageType: z.literal('protocols'), protocols: z.array(protocolInfoSchema) }),
  z.looseObject({ messageType: z.literal('selectProtocol'), index: z.number().int().min(0).max(255) }),
  z.looseObject({ messageType: z.literal('protocolSelected'), index: z.number().int().min(0).max(255) }),
  z.looseObject({ messageType: z.literal('ping') }),
  z.looseObject({ messageType: z.literal('pong') }),
  z.looseObject({ messageType: z.literal('error'), code: optionalText, message: optionalText }),
]);
export type TransportControl = z.infer<typeof transportControlSchema>;

// ---- 2. DCP envelopes ([C] names, [I] fields) ---------------------------------------------------------

const responseFields = {
  requestId: wireId,
  result: resultWord,
  data: z.unknown().optional(),
  failure: failureSchema.nullish(),
};

/** `coreRequest {requestId, requestType, data}` [I]. */
export const coreRequestSchema = z.looseObject({ messageType: z.literal('coreRequest'), requestId: wireId, requestType: commandName, data: z.unknown().optional() });
/** `serviceRequest {requestId, serviceId, command, data}` [I]. */
export const serviceRequestSchema = z.looseObject({
  messageType: z.literal('serviceRequest'),
  requestId: wireId,
  serviceId: wireId,
  command: commandName,
  data: z.unknown().optional(),
});
/** `resourceRequest {requestId, resourceId, command, target, data}` [I]. */
export const resourceRequestSchema = z.looseObject({
  messageType: z.literal('resourceRequest'),
  requestId: wireId,
  resourceId: wireId,
  command: commandName,
  target: z.string().optional(),
  data: z.unknown().optional(),
});

/** A DCP message as the client receives it (or the simulator, for requests). */
export const dcpMessageSchema = z.discriminatedUnion('messageType', [
  coreRequestSchema,
  serviceRequestSchema,
  resourceRequestSchema,
  z.looseObject({ messageType: z.literal('coreResponse'), requestType: commandName.optional(), ...responseFields }),
  z.looseObject({
    messageType: z.literal('serviceResponse'),
    serviceId: wireId.optional(),
    command: commandName.optional(),
    message: z.string().nullish(),
    original: z.unknown().optional(),
    resource: z.unknown().optional(),
    ...responseFields,
  }),
  z.looseObject({ messageType: z.literal('resourceResponse'), resourceId: wireId.optional(), command: commandName.optional(), ...responseFields }),
  z.looseObject({ messageType: z.literal('coreEvent'), name: commandName, data: z.unknown().optional() }),
  z.looseObject({ messageType: z.literal('serviceEvent'), serviceId: wireId, name: commandName, data: z.unknown().optional() }),
  z.looseObject({ messageType: z.literal('resourceEvent'), resourceId: wireId, name: commandName, target: z.string().optional(), data: z.unknown().optional() }),
  ...(['coreError', 'serviceError', 'resourceError'] as const).map((messageType) =>
    z.looseObject({
      messageType: z.literal(messageType),
      requestId: wireId.optional(),
      serviceId: wireId.optional(),
      resourceId: wireId.optional(),
      code: optionalText,
      message: optionalText,
      failure: failureSchema.nullish(),
    }),
  ),
]);
export type DcpMessage = z.infer<typeof dcpMessageSchema>;
export type DcpResponse = Extract<DcpMessage, { messageType: 'coreResponse' | 'serviceResponse' | 'resourceResponse' }>;
export type DcpErrorMessage = Extract<DcpMessage, { messageType: 'coreError' | 'serviceError' | 'resourceError' }>;

/**
 * The properties every Interaction Processor service provides (document, "Service Overview"):
 * `vendor`, `version`, `cti-vendor`, `cti-version`, `instance-domain`.
 */
export const serviceProperties = z.looseObject({
  vendor: optionalText,
  version: optionalText,
  'cti-vendor': optionalText,
  'cti-version': optionalText,
  'instance-domain': optionalText,
});

/** `InService` / `OutOfService` [I], compared case-insensitively. */
const serviceStatusWord = z.string().transform((status) => status.trim());

/** One network service in `getNetworkServices`' answer [I]. */
export const networkServiceSchema = z.looseObject({
  id: wireId,
  name: z.string().nullish(),
  type: z.string(),
  serviceStatus: z.looseObject({ status: serviceStatusWord }).nullish(),
  properties: serviceProperties.nullish(),
});
export type NetworkService = z.infer<typeof networkServiceSchema>;

/** `getNetworkServices` → `data: {services: [...]}` [I]. */
export const networkServicesDataSchema = z.looseObject({ services: z.array(networkServiceSchema) });

/** `coreEvent serviceStatusChanged {serviceId, status}` [I]. */
export const serviceStatusChangedSchema = z.looseObject({ serviceId: wireId, status: serviceStatusWord });

/** Whether a service status means "in service" [I]. */
export function inService(status: string | undefined): boolean {
  return status?.toLowerCase() === 'inservice';
}

// ---- 3. the document's bodies -----------------------------------------------------------------------

/** `prepareSession`'s request (document): `{command, data: {model, override, agent: {id, password}}}`. */
export const prepareSessionRequestSchema = z.looseObject({
  command: commandName.pipe(z.literal('prepareSession')),
  data: z.looseObject({
    model: z.string(),
    override: z.boolean(),
    agent: z.looseObject({ id: wireId, password: z.string() }),
  }),
});
export type PrepareSessionRequest = z.infer<typeof prepareSessionRequestSchema>;

/**
 * `prepareSession`'s three answers (document): `confirm` with `message` (the prompt for the agent)
 * and `original`; `success` with `resource: {id, data}`; `failure` with `failure` and `original`.
 */
export const prepareSessionResponseSchema = z.discriminatedUnion('result', [
  z.looseObject({ command: commandName.optional(), result: z.literal('confirm'), message: z.string().nullish(), original: z.unknown().optional() }),
  z.looseObject({ command: commandName.optional(), result: z.literal('success'), resource: z.looseObject({ id: wireId, data: z.unknown().optional() }) }),
  z.looseObject({ command: commandName.optional(), result: z.literal('failure'), failure: failureSchema.nullish(), original: z.unknown().optional() }),
]);
export type PrepareSessionResponse = z.infer<typeof prepareSessionResponseSchema>;

/** `getCapabilities`' request (document): `{command, data: {}}`. */
export const getCapabilitiesRequestSchema = z.looseObject({ command: commandName.pipe(z.literal('getCapabilities')), data: z.looseObject({}).optional() });

/** `getCapabilities`' answer (document): `data` holds "key value pairs of capabilities". */
export const getCapabilitiesResponseSchema = z.discriminatedUnion('result', [
  z.looseObject({ command: commandName.optional(), result: z.literal('success'), data: z.record(z.string(), z.unknown()).nullish() }),
  z.looseObject({ command: commandName.optional(), result: z.literal('failure'), failure: failureSchema.nullish(), original: z.unknown().optional() }),
]);

/** A report request (document, "UCCX Report Server Resource"): `report.calljourney {CallId}`, `report.teamstatus.begin|end {agentId}`. */
export const reportRequestSchema = z.discriminatedUnion('command', [
  z.looseObject({ command: z.literal('report.calljourney'), data: z.looseObject({ CallId: wireId }) }),
  z.looseObject({ command: z.literal('report.teamstatus.begin'), data: z.looseObject({ agentId: wireId }) }),
  z.looseObject({ command: z.literal('report.teamstatus.end'), data: z.looseObject({ agentId: wireId }) }),
]);

/** One step of a call journey (document): `{CallId, Device, DeviceType, Description, Duration}`. */
export const journeyStepSchema = z.looseObject({
  CallId: optionalText,
  Device: optionalText,
  DeviceType: optionalText,
  Description: optionalText,
  /** "<formatted time value>" (document); see `normalize.ts` for the forms read. */
  Duration: optionalText,
});

/** `report.calljourney`'s success `data` (document): `{CallJourney: [steps]}`. */
export const callJourneyDataSchema = z.looseObject({ CallJourney: z.array(journeyStepSchema).nullish() });

/** Any report's answer (document): success with `data`, or failure with `failure` and `original`. */
export const reportResponseSchema = z.discriminatedUnion('result', [
  z.looseObject({ command: commandName.optional(), result: z.literal('success'), data: z.unknown().optional() }),
  z.looseObject({ command: commandName.optional(), result: z.literal('failure'), failure: failureSchema.nullish(), original: z.unknown().optional() }),
]);

/** Member types (document): `"Agent" | "Supervisor" | "TeamLead"`. */
export const memberTypeSchema = z.string();

/**
 * A team member in a team-status event (document): `{memberId, memberType, memberName, status,
 * reason}`; `status` is `"ready" | "not_ready" | "ACW"` (ACW = WORK / WORK_READY, VENDOR-NOTES [C]).
 * `memberremoved` carries only `memberId`.
 */
export const teamMemberSchema = z.looseObject({
  memberId: wireId,
  memberType: memberTypeSchema.nullish(),
  memberName: z.string().nullish(),
  status: z.string().nullish(),
  reason: optionalText,
});
export type UccxTeamMember = z.infer<typeof teamMemberSchema>;

/** The team-status events (document, "Report Events"). */
export const TEAM_STATUS_EVENTS = [
  'report.teamstatus.teamchanged',
  'report.teamstatus.teamremoved',
  'report.teamstatus.teamadded',
  'report.teamstatus.memberadded',
  'report.teamstatus.memberstatuschanged',
  'report.teamstatus.memberremoved',
] as const;
export type TeamStatusEventName = (typeof TEAM_STATUS_EVENTS)[number];

/** A team-status event's `data` (document): `{agentId, team: {teamId, teamName, members?}}`. */
export const teamStatusDataSchema = z.looseObject({
  agentId: wireId.nullish(),
  team: z.looseObject({
    teamId: wireId,
    teamName: z.string().nullish(),
    members: z.array(teamMemberSchema).nullish(),
  }),
});
export type TeamStatusData = z.infer<typeof teamStatusDataSchema>;

/** A team-status event as the document prints it: `{name, data}`. */
export const teamStatusEventSchema = z.looseObject({
  name: commandName.pipe(z.enum(TEAM_STATUS_EVENTS)),
  data: teamStatusDataSchema,
});

// ---- 4. the session resource [I] ----------------------------------------------------------------------

/** A reason code: a number or a string on the wire; `null` when none [I]. */
const reasonCode = z.union([z.number(), z.string()]).nullish();

/** `session.stateChanged` (and the head of `session.getState`) [I]: UCCX agent states are [C]. */
export const agentStateSchema = z.looseObject({
  state: z.string().transform((state) => state.trim().toUpperCase()),
  reasonCode,
  reasonLabel: z.string().nullish(),
  /** ISO time the state began. */
  since: z.string().nullish(),
});
export type AgentState = z.infer<typeof agentStateSchema>;

/** A conversation reference in an interaction: `{id}` (a `state` tolerated, [I]). */
const conversationRef = z.looseObject({ id: wireId, state: z.string().nullish() });

/**
 * One party of a conference [I: the contract names `interaction-data.participants[]` only]: a number
 * alone, or `{id?, number? | address?, name?, type?: "CUSTOMER" | "AGENT", "agent-id"?}`.
 */
export const participantSchema = z.union([
  z.string(),
  z.looseObject({
    id: z.union([z.string(), z.number()]).nullish(),
    number: optionalText,
    address: optionalText,
    name: optionalText,
    type: optionalText,
    'agent-id': z.union([z.string(), z.number()]).nullish(),
  }),
]);
export type UccxParticipant = z.infer<typeof participantSchema>;

/**
 * An interaction, in `interaction.*` events and in `session.getState`'s `interactions` [I]:
 * `{"interaction-id", "interaction-state", "interaction-data": {ani, dnis, callVariables},
 * conversations: {primary: {id}, consult?: {id}}}`.
 */
export const interactionSchema = z.looseObject({
  'interaction-id': wireId,
  'interaction-state': z.string().nullish(),
  'interaction-data': z
    .looseObject({
      ani: optionalText,
      dnis: optionalText,
      callVariables: z.record(z.string(), z.unknown()).nullish(),
      /** A conference's parties (VENDOR-NOTES, "Call work": `interaction-data.participants[]`; their shape [I]). */
      participants: z.array(participantSchema).nullish(),
    })
    .nullish(),
  conversations: z.looseObject({ primary: conversationRef.nullish(), consult: conversationRef.nullish() }).nullish(),
});
export type Interaction = z.infer<typeof interactionSchema>;

/** `session.getState`'s data [I]: the agent state plus the interactions in progress. */
export const sessionStateSchema = agentStateSchema.extend({ interactions: z.array(interactionSchema).nullish() });

/** `session.getReasonCodes`' data [I]: `{notReady: [{code, label}], logout: [{code, label}]}`. */
export const reasonCodesSchema = z.looseObject({
  notReady: z.array(z.looseObject({ code: z.union([z.number(), z.string()]), label: z.string() })).nullish(),
  logout: z.array(z.looseObject({ code: z.union([z.number(), z.string()]), label: z.string() })).nullish(),
});
export type ReasonCodes = z.infer<typeof reasonCodesSchema>;

/** `conversation.stateChanged` [I]: participant states ALERTING, ACTIVE, HELD, DROPPED, FAILED (also WRAP_UP, [C]). */
export const conversationStateSchema = z.looseObject({
  'conversation-id': wireId,
  state: z.string().transform((state) => state.trim().toUpperCase()),
});

/** The session resource's events the connector folds [I]. */
export const SESSION_EVENTS = [
  'session.stateChanged',
  'interaction.alerting',
  'interaction.dialing',
  'interaction.started',
  'interaction.ended',
  'conversation.stateChanged',
] as const;

/** `session.changeState` [I]: the states an agent may ask for. */
export const changeStateSchema = z.looseObject({ state: z.enum(['READY', 'NOT_READY', 'WORK', 'LOGOUT']), reasonCode: reasonCode.optional() });
/** `session.makeCall` [I]. */
export const makeCallSchema = z.looseObject({ destination: z.string().min(1) });

/** The first problem of a failed parse, as one line (path and message; never the input's values). */
export function problemOf(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  return `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`;
}

// ---- call work (VENDOR-NOTES.md, "Call work beyond answer and hang-up": the wire contract [I]) ----

/** `conversation.consult` and `conversation.singleStepTransfer`: `{destination}` [I]. */
export const destinationSchema = z.looseObject({ destination: z.string().min(1) });
/** `conversation.sendDtmf`: `{digits}`, 1–32 of `0-9 * # A-D` [I]. */
export const sendDtmfSchema = z.looseObject({ digits: z.string().regex(/^[0-9*#A-D]{1,32}$/) });
/** `interaction.setWrapUpReason`: `{reasonCode}`, as `session.getWrapUpReasons` gave it [I]. */
export const setWrapUpReasonSchema = z.looseObject({ reasonCode: z.union([z.number(), z.string().min(1)]) });
/** `session.getWrapUpReasons`' data: `{wrapUp: [{code, label}]}` (Finesse's labels are up to 40 characters [C]) [I]. */
export const wrapUpReasonsSchema = z.looseObject({
  wrapUp: z.array(z.looseObject({ code: z.union([z.number(), z.string()]), label: z.string() })).nullish(),
});
export type WrapUpReasons = z.infer<typeof wrapUpReasonsSchema>;
