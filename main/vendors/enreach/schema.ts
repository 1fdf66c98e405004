/**
 * zod schemas of every RTE (Real-Time Engine) payload in the Enreach Websocket API document
 * (`vendor-docs/enreach-rte-websocket-api.txt`, sections "User", "Queue", "CallList", "Misc",
 * "SubscriptionResult", "MessageReceived", "Subscription").
 *
 * What the wire really looks like (VENDOR-NOTES [C]): the hub's JSON is camelCase while the
 * document's tables and examples are PascalCase, and `eventType` has been seen as a number. So a
 * payload is parsed in two steps: {@link normalizeKeys} turns every key into the camelCase the
 * hub's serializer produces (PascalCase and camelCase input give the same object), then the
 * event's schema parses it. Unknown fields are kept (loose objects). Dates: a `DateTime` without a
 * zone is UTC; year 9999 (`DateTime.MaxValue`, open-ended) and year 0001 (`DateTime.MinValue`,
 * unset) become `undefined`.
 */
import { z } from 'zod';
import { canonicalIsoUtc } from '../kit/iso-date.js';

// ---- keys ----------------------------------------------------------------------------------------

const isUpper = (c: string | undefined): boolean => c !== undefined && c !== c.toLowerCase() && c === c.toUpperCase();

/**
 * One key in the camelCase the hub's .NET serializer writes (System.Text.Json's rule: lower the
 * leading run of capitals, keeping the last one when a lowercase letter follows):
 * `MessageTTLSeconds` → `messageTTLSeconds`, `CallBackId` → `callBackId`, `ID` → `id`.
 * Idempotent: a camelCase key comes back unchanged.
 */
export function camelKey(key: string): string {
  if (!isUpper(key[0])) return key;
  const chars = [...key];
  for (let i = 0; i < chars.length; i++) {
    if (i === 1 && !isUpper(chars[i])) break;
    const hasNext = i + 1 < chars.length;
    if (i > 0 && hasNext && !isUpper(chars[i + 1])) {
      if (chars[i + 1] === ' ') chars[i] = chars[i]!.toLowerCase();
      break;
    }
    chars[i] = chars[i]!.toLowerCase();
  }
  return chars.join('');
}

/** Keys whose values are dictionaries of user data: their own keys are kept as they are. */
const DICTIONARY_KEYS = new Set(['values', 'allowedValues']);

/**
 * A deep copy of `value` with every object key passed through {@link camelKey} (arrays and nested
 * objects included; the entries of dictionary-valued fields such as `Values` are left alone).
 *
 * It walks the value with a list of its own, not by recursion: a payload nested deeper than the
 * call stack (fuzzing found one of 5 000 arrays) is copied like any other instead of throwing a
 * RangeError out of the parser. A key `__proto__` stays a member, as `JSON.parse` made it.
 */
export function normalizeKeys(value: unknown): unknown {
  const root = emptyLike(value);
  if (root === value) return value;
  const pending: Array<[source: object, target: Record<string, unknown> | unknown[]]> = [[value as object, root as Record<string, unknown> | unknown[]]];
  for (let job = pending.pop(); job; job = pending.pop()) {
    const [source, target] = job;
    if (Array.isArray(source)) {
      for (const inner of source) {
        const out = emptyLike(inner);
        if (out !== inner) pending.push([inner as object, out as Record<string, unknown> | unknown[]]);
        (target as unknown[]).push(out);
      }
      continue;
    }
    for (const [key, inner] of Object.entries(source as Record<string, unknown>)) {
      const k = camelKey(key);
      let out = inner;
      if (!DICTIONARY_KEYS.has(k)) {
        out = emptyLike(inner);
        if (out !== inner) pending.push([inner as object, out as Record<string, unknown> | unknown[]]);
      }
      if (k === '__proto__') Object.defineProperty(target, k, { value: out, enumerable: true, writable: true, configurable: true });
      else (target as Record<string, unknown>)[k] = out;
    }
  }
  return root;
}

/**
 * `value` in the hub's camelCase: `value` itself when no key in it would change (what the hub
 * sends: VENDOR-NOTES [C], camelCase), else its {@link normalizeKeys} copy. For readers that do not
 * change what they are handed; a copy of every payload was a fifth of the connector's parse path
 * (the bench's profile).
 */
export function camelCased(value: unknown): unknown {
  return hasKeyToNormalize(value) ? normalizeKeys(value) : value;
}

/**
 * Whether {@link normalizeKeys} would change a key of `value`: a key beginning with a capital,
 * anywhere but inside a dictionary-valued field. Walks with a list of its own, as normalizeKeys does
 * (no recursion, however deep the payload).
 */
function hasKeyToNormalize(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  const pending: object[] = [value];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (Array.isArray(next)) {
      for (const inner of next) if (inner !== null && typeof inner === 'object') pending.push(inner as object);
      continue;
    }
    const record = next as Record<string, unknown>;
    for (const key in record) {
      if (!Object.hasOwn(record, key)) continue; // own members only, as `Object.entries` reads them
      if (startsWithCapital(key)) return true;
      if (DICTIONARY_KEYS.has(key)) continue;
      const inner = record[key];
      if (inner !== null && typeof inner === 'object') pending.push(inner);
    }
  }
  return false;
}

/** `isUpper(key[0])`, with the ASCII answer read off the code unit (no strings made for it). */
function startsWithCapital(key: string): boolean {
  const c = key.charCodeAt(0);
  if (c < 128) return c >= 65 && c <= 90;
  return isUpper(key[0]);
}

/** An empty array or object to copy `value` into; `value` itself when it holds no keys. */
function emptyLike(value: unknown): unknown {
  if (Array.isArray(value)) return [];
  return value !== null && typeof value === 'object' ? {} : value;
}

// ---- field types ---------------------------------------------------------------------------------

/** Optional text: `null` and absence both become `undefined`. */
const text = z
  .string()
  .nullish()
  .transform((v) => v ?? undefined);
/** Optional number (`int`, `long`, `float` in the document). */
const num = z
  .number()
  .nullish()
  .transform((v) => v ?? undefined);
/** Optional boolean. */
const bool = z
  .boolean()
  .nullish()
  .transform((v) => v ?? undefined);
/** An enum the document names but does not list (e.g. `WrapUpType`): text or its number. */
const enumLike = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => v ?? undefined);

/**
 * Turns an Enreach `DateTime` into an ISO-8601 UTC string, or `undefined` when it means "none".
 * - no zone designator → UTC (`2024-05-01T10:00:00` → `2024-05-01T10:00:00.000Z`) (VENDOR-NOTES [C]);
 * - year 9999 (`DateTime.MaxValue`, "continuous") and year 0001 (`DateTime.MinValue`) → `undefined`;
 * - fractional seconds beyond milliseconds (.NET writes 7 digits) are truncated.
 * @returns `null` when the text is not a date at all.
 */
export function enreachDate(value: string): string | undefined | null {
  // Already in the desk's form (and not year 9999 or 0001): nothing to convert.
  const canonical = value.startsWith('9999-') || value.startsWith('0001-') ? undefined : canonicalIsoUtc(value);
  if (canonical !== undefined) return canonical;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^9999-/.test(trimmed) || /^0001-/.test(trimmed)) return undefined;
  const hasZone = /(Z|[+-]\d\d:?\d\d)$/i.test(trimmed);
  const candidate = (hasZone ? trimmed : `${trimmed}Z`).replace(/(\.\d{3})\d+/, '$1').replace(' ', 'T');
  const ms = Date.parse(candidate);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** Optional `DateTime` → ISO UTC string or `undefined` (see {@link enreachDate}). */
const date = z
  .string()
  .nullish()
  .transform((v, ctx) => {
    if (v === null || v === undefined) return undefined;
    const iso = enreachDate(v);
    if (iso === null) {
      ctx.addIssue({ code: 'custom', message: `not a date: ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    return iso;
  });

// ---- envelope ------------------------------------------------------------------------------------

/** Fields every RTE event carries (document: every example payload; `Subscription` table). */
const envelope = {
  rootEntityType: text,
  rootEntityId: text,
  entityType: text,
  entityId: text,
  organizationId: text,
  /** Unique event id. */
  id: text,
  /** When the event happened (ISO UTC). */
  timestamp: date,
  /** Maximum time in seconds the event is allowed to live (-1: no limit). */
  messageTTLSeconds: num,
};

function event<const N extends string, S extends z.ZodRawShape>(name: N, shape: S) {
  return z.looseObject({ ...envelope, eventType: z.literal(name), ...shape });
}

/** Fields of the user call events (document: UserCallIn*, UserCallOut*). */
const callFields = {
  /** Id of the core call the event relates to. */
  callId: z.string(),
  legId: text,
  userId: text,
  callerNumber: text,
  targetNumber: text,
  /** `CallEventPublicityCategory`. */
  publicity: enumLike,
  userName: text,
  /** Some events spell it `Username` (document: UserCallInComing, UserCallInDisconnected, …). */
  username: text,
  /** Not in the document's call events; read when present (some payloads may carry them). */
  queueId: text,
  queueName: text,
};

const holdFields = { callId: z.string(), legId: text, userId: text };

const recordingFields = {
  callId: z.string(),
  userId: text,
  recordingId: text,
  conversionId: text,
  /** User audio channel id (`byte?`). */
  userChannel: num,
};

const wrapUpFields = {
  callId: text,
  legId: text,
  userId: text,
  queueId: text,
  callListId: text,
  callBackId: text,
  wrapUpType: enumLike,
  wrapUpId: text,
};

/** Misc: CallbackAttempt (document, CallList → Misc). */
export const callbackAttemptSchema = z.looseObject({
  id: text,
  userId: text,
  timestamp: date,
  callbackAttemptTypeId: num,
  note: text,
  recordingId: text,
  callId: text,
});
/** Misc: CallbackExtra. */
export const callbackExtraSchema = z.looseObject({ id: num, name: text, value: text });
/** Misc: CallbackRelatedItem. */
export const callbackRelatedItemSchema = z.looseObject({ id: text, listId: text, isClosed: bool, statusId: num });
/** Misc: QueueAttachedUser (document, Queue → Misc). */
export const queueAttachedUserSchema = z.looseObject({ userId: text, active: bool, priority: num });
/** Misc: QueueGroup. */
export const queueGroupSchema = z.looseObject({ id: text, name: text, description: text });

const list = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((v) => v ?? undefined);

// ---- events --------------------------------------------------------------------------------------

/** Every event of the document, by its name. */
export const EVENT_SCHEMAS = {
  // User
  UserAlert: event('UserAlert', {
    alertId: text,
    userId: text,
    conditionName: text,
    conditionValue: text,
    conditionExpression: text,
    value: text,
  }),
  UserAvailability: event('UserAvailability', {
    userId: text,
    userName: text,
    profileId: text,
    /** Available, Busy, DoNotDisturb, OffWork, BRB, Away. */
    availability: z.string(),
    startTime: date,
    /** `DateTime.MaxValue` when continuous → `undefined`. */
    endTime: date,
    note: text,
    eventSource: text,
    transferNumber: text,
  }),
  UserCallAvailableForMonitoring: event('UserCallAvailableForMonitoring', {
    targetUserId: text,
    targetUserName: text,
    supervisorUserId: text,
    supervisorUserName: text,
    queueName: text,
    queueId: text,
    callId: z.string(),
    legId: text,
    agentLegId: text,
    supervisorTerminalNumber: text,
    supervisionCallInNumber: text,
    callType: text,
    callerNumber: text,
    connectedToAgentTime: date,
  }),
  UserCallInArrived: event('UserCallInArrived', callFields),
  UserCallInCallbackCreated: event('UserCallInCallbackCreated', {
    userId: text,
    callBackId: z.string(),
    callListId: text,
    callId: text,
    legId: text,
    recordingId: text,
    contactNumber: text,
    targetNumber: text,
    contactMessage: text,
    creationTime: date,
  }),
  UserCallInComing: event('UserCallInComing', callFields),
  UserCallInDisconnected: event('UserCallInDisconnected', {
    ...callFields,
    /** 'remote' or 'local'. */
    reason: text,
    techQueueId: text,
    techReason: text,
  }),
  UserCallInHoldEnd: event('UserCallInHoldEnd', holdFields),
  UserCallInHoldStart: event('UserCallInHoldStart', holdFields),
  UserCallInOverflow: event('UserCallInOverflow', {
    ...callFields,
    connectedTarget: text,
    techSource: text,
    techQueueId: text,
    techQueueName: text,
    overflowApplet: text,
    techNumber: text,
    techEvent: text,
    overflowReason: text,
    overflowType: text,
  }),
  UserCallInRecordingConverted: event('UserCallInRecordingConverted', recordingFields),
  UserCallInTransferCancelled: event('UserCallInTransferCancelled', {
    ...callFields,
    techQueueId: text,
    techQueueName: text,
    transferApplet: text,
    techSource: text,
    reason: text,
    detailedReason: text,
  }),
  UserCallInTransferConnected: event('UserCallInTransferConnected', {
    ...callFields,
    connectedTarget: text,
    transferSource: text,
    techQueueId: text,
    techQueueName: text,
    transferApplet: text,
    techSource: text,
  }),
  UserCallInTransferStarted: event('UserCallInTransferStarted', {
    ...callFields,
    transferTarget: text,
    transferSource: text,
    techQueueId: text,
    techQueueName: text,
    transferApplet: text,
    techSource: text,
  }),
  UserCallInUserAllocated: event('UserCallInUserAllocated', { ...callFields, userNumber: text, detailedReason: text }),
  UserCallInUserCancelled: event('UserCallInUserCancelled', { ...callFields, reason: text, detailedReason: text }),
  UserCallInUserConnected: event('UserCallInUserConnected', { ...callFields, agentLegId: text, userNumber: text }),
  UserCallInUserOverflow: event('UserCallInUserOverflow', { ...callFields, reason: text, target: text }),
  UserCallOutConnected: event('UserCallOutConnected', callFields),
  UserCallOutDisconnected: event('UserCallOutDisconnected', { ...callFields, reason: text, techReason: text }),
  UserCallOutGoing: event('UserCallOutGoing', { ...callFields, callAsNumber: text }),
  UserCallOutHoldEnd: event('UserCallOutHoldEnd', holdFields),
  UserCallOutHoldStart: event('UserCallOutHoldStart', holdFields),
  UserCallOutRecordingConverted: event('UserCallOutRecordingConverted', recordingFields),
  UserRealTimeTranscriptPhrase: event('UserRealTimeTranscriptPhrase', {
    callId: z.string(),
    legId: text,
    userId: text,
    queueId: text,
    callListId: text,
    speakerRole: enumLike,
    phrase: text,
    confidence: num,
    /** ms. */
    duration: num,
    offsetMilliseconds: num,
    isIntermediate: bool,
    realtimeType: enumLike,
  }),
  UserSetting: event('UserSetting', {
    userId: text,
    keyword: text,
    value: text,
    values: z.record(z.string(), z.unknown()).nullish(),
    allowedValues: z.record(z.string(), z.unknown()).nullish(),
    deleted: bool,
    level: enumLike,
  }),
  UserStatus: event('UserStatus', {
    userId: text,
    canBeAllocatedTo: bool,
    /** True while the user has a call, connected or not yet. */
    talking: z.boolean(),
    talkingStatusChanged: date,
    activeQueueId: text,
    activeCallListId: text,
    available: bool,
    schedule: bool,
    serving: bool,
    serviceTerminals: num,
    activeQueues: num,
    parkedCalls: num,
    wrapUpStart: date,
    wrapUpEnd: date,
    servingCallback: bool,
    fetchMode: bool,
    note: text,
    availabilityStatus: enumLike,
  }),
  UserSupervisionStatus: event('UserSupervisionStatus', {
    targetUserId: text,
    targetUserName: text,
    supervisorUserId: text,
    supervisorUserName: text,
    queueName: text,
    queueId: text,
    callId: text,
    legId: text,
    supervisorLegId: text,
    state: enumLike,
  }),
  /** Document heading "UserTerminalStatusEvent"; its `EventType` is "UserTerminalStatus". */
  UserTerminalStatus: event('UserTerminalStatus', {
    userId: text,
    silo: text,
    session: text,
    expires: date,
    terminalType: enumLike,
    terminalStatus: enumLike,
  }),
  UserWrapUpEnabled: event('UserWrapUpEnabled', { ...wrapUpFields, maxWrapUpDurationSec: num }),
  UserWrapUpRequestInitiate: event('UserWrapUpRequestInitiate', {
    allowWithoutCall: num,
    callBackId: text,
    callBackListId: text,
    callId: text,
    legId: text,
    maxWrapUpTimeSec: num,
    queueId: text,
    userId: text,
    wrapUpId: text,
  }),
  UserWrapUpRequestTerminate: event('UserWrapUpRequestTerminate', { userId: text, reason: text, wrapUpId: text }),
  UserWrapUpStarted: event('UserWrapUpStarted', { ...wrapUpFields, maxWrapUpDurationSec: num }),
  UserWrapUpTerminated: event('UserWrapUpTerminated', { ...wrapUpFields, reason: text, elapsedTimeSec: num }),
  // Queue
  QueueStatus: event('QueueStatus', {
    queueId: z.string(),
    queueName: text,
    nbrOfProviders: num,
    nbrOfRequesters: num,
    nbrOfServingAgentsEstimate: num,
    nbrOfAllocated: num,
    nbrOfConnected: num,
    nbrOfQueuingRequesters: num,
    nbrOfNotServedRequesters: num,
    nbrOfAgentsLongTermAway: num,
    nbrOfAgentsShortTermAway: num,
    nbrOfAgentsImmediatelyFree: num,
    nbrOfAgentsCheckedInQueue: num,
    nbrOfAgentsOnWrapUp: num,
    nbrOfAgentsOnFetchMode: num,
    /** Maximum current wait time in the queue; seconds [I] (the document gives no unit). */
    maxWaitTime: num,
    /** 0 NA, 1–4 closed (with or without certainty), 5–6 open. */
    openStatus: num,
  }),
  // CallList
  CallbackChanged: event('CallbackChanged', {
    callBackId: z.string(),
    callListId: text,
    modified: date,
    assignedUserId: text,
    lastAttemptUserId: text,
    lastModifiedUserId: text,
    lastAttemptTypeId: num,
    contactName: text,
    contactNumber: text,
    contactMessage: text,
    note: text,
    queueId: text,
    channelIn: text,
    creationTime: date,
    created: bool,
    isClosed: bool,
    recordingId: text,
    /** 1 explicit callback request, 2 overflown call, 3 created manually. */
    typeId: num,
    dueDate: date,
    callId: text,
    transcriptId: text,
    classificationId: text,
    expiryDate: date,
    lastAttemptTimestamp: date,
    lastAttemptNote: text,
    calculatedPriority: enumLike,
    notBefore: date,
    callbackAttempts: list(callbackAttemptSchema),
    callbackExtras: list(callbackExtraSchema),
    callbackRelatedItems: list(callbackRelatedItemSchema),
  }),
};

/** The name of an event this connector knows. */
export type EnreachEventName = keyof typeof EVENT_SCHEMAS;
/** Every known event, as parsed: a union discriminated by `eventType`. */
export type EnreachKnownEvent = { [K in EnreachEventName]: z.output<(typeof EVENT_SCHEMAS)[K]> }[EnreachEventName];
/**
 * A well-formed payload of an event type this connector does not know (e.g. a Queue event such as
 * QueueCallInUserAllocated, or a number not in {@link EVENT_TYPE_NUMBERS}): kept, loosely typed.
 */
export interface EnreachUnknownEvent {
  eventType: '(unknown)';
  /** The `eventType` as it arrived (resolved to a name where possible). */
  type: string | number;
  /** The payload, keys normalised to camelCase. */
  data: Record<string, unknown>;
}
/** Any parsed event. */
export type EnreachEvent = EnreachKnownEvent | EnreachUnknownEvent;
/** One known event by name. */
export type EnreachEventOf<K extends EnreachEventName> = z.output<(typeof EVENT_SCHEMAS)[K]>;

/** All known event names, in the document's order. */
export const EVENT_NAMES = Object.keys(EVENT_SCHEMAS) as EnreachEventName[];

/**
 * Numeric `eventType` values seen on the wire (VENDOR-NOTES [C], one public client). Numbers not
 * listed here are kept as they are (an unknown event).
 */
export const EVENT_TYPE_NUMBERS: Readonly<Record<number, string>> = {
  1: 'UserAvailability',
  10: 'UserCallInComing',
  102: 'QueueCallInUserAllocated',
  140: 'QueueStatus',
  141: 'UserStatus',
};

const BY_LOWER_NAME = new Map<string, EnreachEventName>(EVENT_NAMES.map((n) => [n.toLowerCase(), n]));

/**
 * The canonical event name for an `eventType` as it arrives: text (matched case-insensitively, so
 * the document's "UserCallIncoming" finds "UserCallInComing") or a number
 * ({@link EVENT_TYPE_NUMBERS}). Returns the input unchanged when it names no known event.
 */
export function resolveEventType(eventType: string | number): string | number {
  if (typeof eventType === 'number') return EVENT_TYPE_NUMBERS[eventType] ?? eventType;
  if (isKnownEvent(eventType)) return eventType; // the hub's own spelling: no lowercased copy to look up
  return BY_LOWER_NAME.get(eventType.toLowerCase()) ?? eventType;
}

/** True when `name` is one of {@link EVENT_NAMES}. */
export function isKnownEvent(name: string | number): name is EnreachEventName {
  return typeof name === 'string' && Object.hasOwn(EVENT_SCHEMAS, name);
}

// ---- hub messages --------------------------------------------------------------------------------

/**
 * Subscription (document, "Subscription"): the subscription a MessageReceived belongs to. Its
 * fields are checked as the event's are (text, boolean, text or number; `null` allowed), without
 * a transform per field: {@link parseMessage} makes the `null` members `undefined` afterwards,
 * as the transforms did — nine transforms on every MessageReceived were most of what its envelope cost.
 */
export const subscriptionSchema = z.looseObject({
  id: z.string().nullish(),
  allRootEntities: z.boolean().nullish(),
  rootEntityId: z.string().nullish(),
  rootEntityType: z.string().nullish(),
  organizationId: z.string().nullish(),
  eventType: z.union([z.string(), z.number()]).nullish(),
  entityType: z.string().nullish(),
  entityId: z.string().nullish(),
  allEntities: z.boolean().nullish(),
});
/** The Subscription's own fields, whose `null` means "none" (see {@link subscriptionSchema}). */
const SUBSCRIPTION_FIELDS = Object.keys(subscriptionSchema.shape);
/** A parsed Subscription (document, "Subscription"), camelCase keys; `undefined` for a field not given. */
export type RteSubscription = { [K in keyof z.output<typeof subscriptionSchema>]: Exclude<z.output<typeof subscriptionSchema>[K], null> };

/** MessageReceived (document, "MessageReceived"): `{subscription, data}`. */
export const messageReceivedSchema = z.looseObject({
  subscription: subscriptionSchema.nullish(),
  data: z.unknown(),
});

/** SubscriptionResult (document, "SubscriptionResult"); `eventName` comes back lowercased. */
export const subscriptionResultSchema = z.looseObject({
  subscribed: z.boolean(),
  message: text,
  entityId: text,
  eventName: text,
});
/** A parsed SubscriptionResult: `{subscribed, message?, entityId?, eventName?}`. */
export type SubscriptionResult = z.output<typeof subscriptionResultSchema>;
/** The array `Subscribe` / `Unsubscribe` return. */
export const subscriptionResultsSchema = z.array(subscriptionResultSchema);

/** EntitySubscription (document, "EntitySubscription"): what `Subscribe` takes, PascalCase keys. */
export interface EntitySubscription {
  EntityId: string;
  EventName: string;
}

// ---- parsing -------------------------------------------------------------------------------------

/** What parsing one event payload gives: the event, or why the payload was dropped. */
export type ParsedEvent = { ok: true; event: EnreachEvent } | { ok: false; eventType?: string | number; error: string };

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

/**
 * Parses one event payload (a MessageReceived's `data`), PascalCase or camelCase, `eventType` as
 * text or number. `fallbackEventType` (the subscription's) is used when the payload has none.
 * Never throws.
 */
export function parseEvent(data: unknown, fallbackEventType?: string | number): ParsedEvent {
  let payload = data;
  if (typeof payload === 'string') {
    try {
      payload = JSON.parse(payload);
    } catch {
      return { ok: false, error: 'data is text but not JSON' };
    }
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    return { ok: false, error: 'data is not an object' };
  }
  // The payload itself when its keys are the hub's camelCase already (it is then only read, or
  // copied below before anything is set in it).
  let normalized = camelCased(payload) as Record<string, unknown>;
  const raw = normalized.eventType ?? fallbackEventType;
  if (typeof raw !== 'string' && typeof raw !== 'number') return { ok: false, error: 'no eventType' };
  const eventType = resolveEventType(raw);
  if (!isKnownEvent(eventType)) {
    const parsed = z.looseObject(envelope).safeParse(normalized);
    if (!parsed.success) return { ok: false, eventType, error: describeIssues(parsed.error) };
    return { ok: true, event: { eventType: '(unknown)', type: eventType, data: { ...normalized, ...parsed.data, eventType } } };
  }
  // The resolved event type goes into the payload the schema reads: into `normalized` when it is
  // this call's own copy, else into a shallow copy (the caller's payload is never changed).
  if (normalized.eventType !== eventType) {
    if (normalized === payload) normalized = withMember(normalized, 'eventType', eventType);
    else normalized.eventType = eventType;
  }
  const parsed = EVENT_SCHEMAS[eventType].safeParse(normalized);
  if (!parsed.success) return { ok: false, eventType, error: describeIssues(parsed.error) };
  return { ok: true, event: parsed.data as EnreachKnownEvent };
}

/** What parsing one MessageReceived argument gives: the event plus its subscription. */
export type ParsedMessage = ParsedEvent & { subscription?: RteSubscription };

/**
 * A MessageReceived argument with its own keys and its subscription's in camelCase; `data` is left
 * as it came, for {@link parseEvent} to normalise (once: it was copied twice per event).
 */
function envelopeKeys(message: unknown): unknown {
  if (message === null || typeof message !== 'object' || Array.isArray(message)) return normalizeKeys(message);
  if (isCamelEnvelope(message as Record<string, unknown>)) return message; // the hub's own form: read as it is
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(message as Record<string, unknown>)) {
    const k = camelKey(key);
    const v = k === 'data' ? value : normalizeKeys(value);
    if (k === '__proto__') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    else out[k] = v;
  }
  return out;
}

/** Whether a MessageReceived argument's own keys, and every key outside its `data`, are camelCase already. */
function isCamelEnvelope(message: Record<string, unknown>): boolean {
  for (const key in message) {
    if (!Object.hasOwn(message, key)) continue;
    if (startsWithCapital(key)) return false;
    if (key !== 'data' && hasKeyToNormalize(message[key])) return false;
  }
  return true;
}

/** A shallow copy of `record` with `key` set to `value` (a member `__proto__` stays a member). */
function withMember(record: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k in record) {
    if (!Object.hasOwn(record, k)) continue;
    if (k === '__proto__') Object.defineProperty(out, k, { value: record[k], enumerable: true, writable: true, configurable: true });
    else out[k] = record[k];
  }
  out[key] = value;
  return out;
}

/**
 * Parses a MessageReceived argument `{subscription, data}` (either casing). Never throws.
 */
export function parseMessage(message: unknown): ParsedMessage {
  const envelopeResult = messageReceivedSchema.safeParse(envelopeKeys(message));
  if (!envelopeResult.success) return { ok: false, error: `not a MessageReceived: ${describeIssues(envelopeResult.error)}` };
  const { subscription, data } = envelopeResult.data;
  if (data === undefined || data === null) return { ok: false, error: 'MessageReceived without data' };
  const sub = subscription ? withoutNullFields(subscription) : undefined;
  // parseEvent's result is this call's own: the subscription is set on it, not on a copy.
  const parsed: ParsedMessage = parseEvent(data, sub?.eventType);
  parsed.subscription = sub;
  return parsed;
}

/** A parsed Subscription (zod's own copy) with its `null` fields made `undefined` (`null` means none), as the transforms made them. */
function withoutNullFields(subscription: z.output<typeof subscriptionSchema>): RteSubscription {
  const fields = subscription as Record<string, unknown>;
  for (const key of SUBSCRIPTION_FIELDS) if (fields[key] === null) fields[key] = undefined;
  return subscription as RteSubscription;
}
