/**
 * The Genesys Workspace Web Edition API v2 payloads this connector reads, as zod schemas.
 *
 * Tolerant by design: every object is `looseObject` (unknown fields are kept, so a newer GWS adds
 * fields without breaking us), optional wherever the sources do not promise a field, and numbers
 * are accepted as numbers or numeric strings. A payload that still fails is reported to the caller
 * (the connector logs it with `ctx.log.warn` and drops it; the connection lives on).
 *
 * Sources:
 * - `ChatStateChangeMessage`, `MessageLogUpdated`: vendor-docs/genesys-wwe-api-v2-cometd-chats.txt
 *   ("CometD notifications", both tables and examples) [C].
 * - `CallStateChangeMessage`, `DeviceStateChangeMessage`, `ChannelStateChangeMessageV2`, operations,
 *   `statusCode`: VENDOR-NOTES.md, Genesys — "Messages", "Operations", "Sequence" [C].
 * - REST list shapes (`{statusCode, calls}`, `{statusCode, chats}`, `{statusCode, messages}`,
 *   `{statusCode, user: {devices, channels}}`): [I] — the GWS envelope pattern (`statusCode` plus a
 *   resource-named member) applied to each resource.
 */
import { z } from 'zod';

/** A number, or a string holding one (GWS serialisers differ). */
const numeric = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/).transform(Number)]);

/** Free-form attached data: `{ key: any }`. */
const userDataSchema = z.record(z.string(), z.unknown());

/** A chat participant: `{ participantId, nickname, type: Customer | Agent | Supervisor | … }` [C]. */
export const participantSchema = z.looseObject({
  participantId: z.string().optional(),
  nickname: z.string().optional(),
  type: z.string().optional(),
});
export type GenesysParticipant = z.infer<typeof participantSchema>;

/**
 * A chat resource (document, `ChatStateChangeMessage` example): `{ id, state, capabilities[],
 * participants[], userData, uri }` [C].
 */
export const chatResourceSchema = z.looseObject({
  id: z.string().min(1),
  state: z.string().optional(),
  capabilities: z.array(z.string()).optional(),
  participants: z.array(participantSchema).optional(),
  userData: userDataSchema.optional(),
  uri: z.string().optional(),
});
export type GenesysChatResource = z.infer<typeof chatResourceSchema>;

/**
 * One transcript entry (document, `MessageLogUpdated` example): `{ index, from, text, visibility,
 * timestamp: "2014-01-09 11:58:12.035+0200", type: "Text", timestampSeconds }`. Despite its name
 * `timestampSeconds` holds **milliseconds** since the epoch (1389261492035 = the `timestamp`) [C].
 */
export const chatMessageSchema = z.looseObject({
  index: numeric,
  from: participantSchema.optional(),
  text: z.string().optional(),
  visibility: z.string().optional(),
  timestamp: z.string().optional(),
  timestampSeconds: numeric.optional(),
  type: z.string().optional(),
});
export type GenesysChatMessage = z.infer<typeof chatMessageSchema>;

/**
 * `ChatStateChangeMessage` on `/v2/me/chats`: `notificationType` StatusChange | ParticipantsUpdated |
 * PropertiesUpdated | Error, `chat`, `referenceId` [C]. The error text of an `Error` notification is
 * not shown in the document; we read the first of `errorMessage`, `message`, `statusMessage`,
 * `error` [I].
 */
export const chatStateChangeSchema = z.looseObject({
  messageType: z.literal('ChatStateChangeMessage'),
  notificationType: z.string(),
  chat: chatResourceSchema,
  referenceId: numeric.optional(),
  errorMessage: z.string().optional(),
  message: z.string().optional(),
  statusMessage: z.string().optional(),
  error: z.string().optional(),
});
export type ChatStateChangeMessage = z.infer<typeof chatStateChangeSchema>;

/**
 * `MessageLogUpdated` on `/v2/me/chats`: `notificationType` NewMessages, `messages[]`, `chatUri` —
 * and **no chat id**: it is the last path segment of `chatUri` [C]. A `chatId` or `chat.id`, when a
 * server sends one, is preferred [I].
 */
export const messageLogUpdatedSchema = z
  .looseObject({
    messageType: z.literal('MessageLogUpdated'),
    notificationType: z.string(),
    messages: z.array(chatMessageSchema),
    chatUri: z.string().optional(),
    chatId: z.string().optional(),
    chat: z.looseObject({ id: z.string() }).optional(),
  })
  .refine((m) => Boolean(m.chatId ?? m.chat?.id ?? lastPathSegment(m.chatUri)), {
    message: 'no chat id: neither chatUri, chatId nor chat.id',
  });
export type MessageLogUpdated = z.infer<typeof messageLogUpdatedSchema>;

/**
 * A call participant (`{ number?, phoneNumber?, … }`), kept loosely; the public Workspace API
 * client's `CallParticipants` is `{ number, role }` [C].
 */
const callParticipantSchema = z.looseObject({
  number: z.string().optional(),
  phoneNumber: z.string().optional(),
  formattedPhoneNumber: z.string().optional(),
  role: z.string().optional(),
});

/**
 * A call resource: `{ id, state: Dialing | Ringing | Established | Held | Released, callType:
 * Inbound | Outbound | Internal | Consult, participants[], ani, dnis, capabilities[], userData }` [C].
 */
export const callResourceSchema = z.looseObject({
  id: z.string().min(1),
  state: z.string(),
  callType: z.string().optional(),
  /**
   * On a consult call, the call it was initiated from (VENDOR-NOTES, "Call work beyond answer and
   * hang-up"; the public Workspace API client's call model: "present on consult calls") [C].
   */
  parentConnId: z.string().optional(),
  ani: z.string().optional(),
  dnis: z.string().optional(),
  participants: z.array(callParticipantSchema).optional(),
  capabilities: z.array(z.string()).optional(),
  userData: userDataSchema.optional(),
  uri: z.string().optional(),
});
export type GenesysCallResource = z.infer<typeof callResourceSchema>;

/**
 * `CallStateChangeMessage` on `/v2/me/calls` [C]. An `Error` notification (a refused operation on
 * the call) carries its text in the first of `errorMessage`, `message`, `statusMessage`, `error`
 * [I: as on chats].
 */
export const callStateChangeSchema = z.looseObject({
  messageType: z.literal('CallStateChangeMessage'),
  notificationType: z.string().optional(),
  call: callResourceSchema,
  errorMessage: z.string().optional(),
  message: z.string().optional(),
  statusMessage: z.string().optional(),
  error: z.string().optional(),
});
export type CallStateChangeMessage = z.infer<typeof callStateChangeSchema>;

/**
 * An agent state: `{ state: Ready | NotReady (| LoggedOut [I]), workMode?: AfterCallWork | AuxWork,
 * reason?, displayName? [I] }` [C].
 */
export const userStateSchema = z.looseObject({
  state: z.string(),
  workMode: z.string().optional(),
  reason: z.string().optional(),
  displayName: z.string().optional(),
});
export type GenesysUserState = z.infer<typeof userStateSchema>;

/** A device (the agent's phone): `{ id, userState, doNotDisturb: On | Off, phoneNumber? }` [C]. */
export const deviceSchema = z.looseObject({
  id: z.string().min(1),
  deviceState: z.string().optional(),
  userState: userStateSchema.optional(),
  doNotDisturb: z.string().optional(),
  phoneNumber: z.string().optional(),
});
export type GenesysDevice = z.infer<typeof deviceSchema>;

/** `DeviceStateChangeMessage` on `/v2/me/devices`: `devices[]` [C]. */
export const deviceStateChangeSchema = z.looseObject({
  messageType: z.literal('DeviceStateChangeMessage'),
  notificationType: z.string().optional(),
  devices: z.array(deviceSchema),
});
export type DeviceStateChangeMessage = z.infer<typeof deviceStateChangeSchema>;

/** A media channel's state: `{ channel: voice | chat | …, userState }` [C]. */
export const channelSchema = z.looseObject({
  channel: z.string(),
  userState: userStateSchema.optional(),
});
export type GenesysChannelState = z.infer<typeof channelSchema>;

/** `ChannelStateChangeMessageV2` on `/v2/me/channels`: `channels[]` [C]. */
export const channelStateChangeSchema = z.looseObject({
  messageType: z.literal('ChannelStateChangeMessageV2'),
  notificationType: z.string().optional(),
  channels: z.array(channelSchema),
});
export type ChannelStateChangeMessage = z.infer<typeof channelStateChangeSchema>;

/** Every notification this connector understands, by `messageType`. */
export const notificationSchemas = {
  ChatStateChangeMessage: chatStateChangeSchema,
  MessageLogUpdated: messageLogUpdatedSchema,
  CallStateChangeMessage: callStateChangeSchema,
  DeviceStateChangeMessage: deviceStateChangeSchema,
  ChannelStateChangeMessageV2: channelStateChangeSchema,
} as const;

/** A parsed notification. */
export type GenesysNotification =
  | ChatStateChangeMessage
  | MessageLogUpdated
  | CallStateChangeMessage
  | DeviceStateChangeMessage
  | ChannelStateChangeMessage;

/** The outcome of {@link parseNotification}. */
export type ParseResult =
  | { ok: true; notification: GenesysNotification }
  /** A `messageType` this connector does not handle (e.g. e-mail): not an error. */
  | { ok: false; ignored: true; messageType: string | undefined }
  /** A known `messageType` whose payload does not validate: log and drop. */
  | { ok: false; ignored: false; messageType: string; issues: string };

/**
 * Validates the `data` element of a CometD message (the document: "The data element is present in
 * all CometD notifications and is the root JSON element … use data.messageType to identify the
 * message") [C]. Never throws.
 */
export function parseNotification(data: unknown): ParseResult {
  const messageType =
    typeof data === 'object' && data !== null && typeof (data as { messageType?: unknown }).messageType === 'string'
      ? (data as { messageType: string }).messageType
      : undefined;
  // Own members only: `in` also finds Object.prototype's, and a messageType "__proto__" or
  // "toString" (found by fuzzing) made a schema of them, whose safeParse threw a TypeError.
  if (!messageType || !Object.hasOwn(notificationSchemas, messageType)) return { ok: false, ignored: true, messageType };
  const schema = notificationSchemas[messageType as keyof typeof notificationSchemas];
  const result = schema.safeParse(data);
  if (result.success) return { ok: true, notification: result.data as GenesysNotification };
  return { ok: false, ignored: false, messageType, issues: z.prettifyError(result.error) };
}

// ---- REST responses [I: shapes], statusCode [C] --------------------------------------------------

/** Every GWS response carries `statusCode` (0 = ok, 7 = partial success for session start) [C]. */
export const operationResponseSchema = z.looseObject({
  statusCode: numeric.optional(),
  statusMessage: z.string().optional(),
  referenceId: numeric.optional(),
});
export type OperationResponse = z.infer<typeof operationResponseSchema>;

/** `GET /api/v2/me?subresources=*` → `{ statusCode, user: { id, userName, firstName, lastName, devices[], channels[] } }`. */
export const meResponseSchema = z.looseObject({
  statusCode: numeric.optional(),
  user: z.looseObject({
    id: z.string().optional(),
    userName: z.string().optional(),
    firstName: z.string().optional(),
    lastName: z.string().optional(),
    devices: z.array(z.unknown()).optional(),
    channels: z.array(z.unknown()).optional(),
  }),
});
export type MeResponse = z.infer<typeof meResponseSchema>;

/** `GET /api/v2/me/calls` → `{ statusCode, calls[] }` (items validated one by one). */
export const callsResponseSchema = z.looseObject({ statusCode: numeric.optional(), calls: z.array(z.unknown()).default([]) });
/** `GET /api/v2/me/chats` → `{ statusCode, chats[] }` (items validated one by one). */
export const chatsResponseSchema = z.looseObject({ statusCode: numeric.optional(), chats: z.array(z.unknown()).default([]) });
/** `GET /api/v2/me/chats/{id}/messages` → `{ statusCode, messages[] }` (items validated one by one). */
export const messagesResponseSchema = z.looseObject({
  statusCode: numeric.optional(),
  messages: z.array(z.unknown()).default([]),
});

/**
 * Validates each item of a list on its own: good items are kept, bad ones are reported, so one odd
 * call does not hide the others.
 */
export function parseEach<T>(schema: z.ZodType<T>, items: readonly unknown[]): { items: T[]; rejected: string[] } {
  const out: T[] = [];
  const rejected: string[] = [];
  for (const item of items) {
    const result = schema.safeParse(item);
    if (result.success) out.push(result.data);
    else rejected.push(z.prettifyError(result.error));
  }
  return { items: out, rejected };
}

/** The last non-empty path segment of a URI (`…/api/v2/chats/0000Wa9CAM6W00FN` → `0000Wa9CAM6W00FN`). */
export function lastPathSegment(uri: string | undefined): string | undefined {
  if (!uri) return undefined;
  // The schema's check and the routing both ask, one after the other, for every chat notification.
  if (uri === segmentOf.uri) return segmentOf.segment;
  const segment = readLastPathSegment(uri);
  segmentOf.uri = uri;
  segmentOf.segment = segment;
  return segment;
}

/** {@link lastPathSegment}'s last answer. */
const segmentOf: { uri: string | undefined; segment: string | undefined } = { uri: undefined, segment: undefined };

function readLastPathSegment(uri: string): string | undefined {
  // Read from the end, without splitting the whole URI (it runs for every chat notification).
  const query = uri.indexOf('?');
  const fragment = uri.indexOf('#');
  let end = query < 0 ? fragment : fragment < 0 ? query : Math.min(query, fragment);
  if (end < 0) end = uri.length;
  while (end > 0 && uri.charCodeAt(end - 1) === 0x2f) end -= 1;
  const last = uri.slice(uri.lastIndexOf('/', end - 1) + 1, end);
  if (!last) return undefined;
  if (!last.includes('%')) return last; // nothing to decode
  try {
    return decodeURIComponent(last);
  } catch {
    // Not valid percent-encoding (fuzzing sent "%E0%A4%A", and decodeURIComponent threw a URIError
    // out of the schema's refinement): the segment as it stands is the id.
    return last;
  }
}
