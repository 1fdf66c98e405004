/**
 * The simulator's payloads in the document's shapes (`enreach-rte-websocket-api.txt`, sections
 * "User", "Queue", "CallList" and "MessageReceived"), PascalCase as the document prints them;
 * {@link toWire} turns them into what the real hub sends (camelCase, VENDOR-NOTES [C]). Also the
 * REST answers' items that share those shapes, and the deliberately broken frames tests send.
 */
import { randomUUID } from 'node:crypto';
import { EVENT_TYPE_NUMBERS, normalizeKeys } from '../schema.js';
import { OPEN_ENDED, availabilityName, dotnetLocal, talking, type SimCall, type SimCallback, type SimQueue, type World } from './world.js';

/** A document-shaped payload. */
export type Payload = Record<string, unknown>;

/** How payloads go on the wire: key casing and whether `eventType` is sent as a number. */
export interface WireForm {
  /** `camel` (the real hub) or `pascal` (the document's tables). */
  casing: 'camel' | 'pascal';
  /** Send `EventType` as a number where one is known (VENDOR-NOTES [C]). */
  numericEventType: boolean;
}

const NUMBER_OF_EVENT = new Map(Object.entries(EVENT_TYPE_NUMBERS).map(([n, name]) => [name, Number(n)]));

/** The common envelope of every event (document: RootEntityType … MessageTTLSeconds) around `fields`. */
export function eventPayload(world: World, eventType: string, entityType: string, entityId: string, fields: Payload, ttl = -1): Payload {
  return {
    RootEntityType: 'Organization',
    RootEntityId: world.organizationId,
    EventType: eventType,
    EntityType: entityType,
    EntityId: entityId,
    ...fields,
    OrganizationId: world.organizationId,
    Id: randomUUID(),
    Timestamp: new Date().toISOString(),
    MessageTTLSeconds: ttl,
  };
}

/** A payload as the hub sends it, in the given {@link WireForm}. */
export function toWire(data: Payload, form: WireForm): unknown {
  let out = data;
  if (form.numericEventType) {
    const n = NUMBER_OF_EVENT.get(String(data.EventType));
    if (n !== undefined) out = { ...out, EventType: n };
  }
  return form.casing === 'camel' ? normalizeKeys(out) : out;
}

/** A subscription, as `MessageReceived.subscription` and `ActiveSubscriptions` show it (document, "Subscription"). */
export function subscriptionObject(world: World, sub: { id: string; entityId: string; eventName: string; entityType: string }): Payload {
  return {
    id: sub.id,
    allRootEntities: false,
    rootEntityId: world.organizationId,
    rootEntityType: 'Organization',
    organizationId: world.organizationId,
    eventType: sub.eventName,
    entityType: sub.entityType,
    entityId: sub.entityId,
    allEntities: false,
  };
}

/** UserStatus fields (document, "Event: UserStatus") from the world. */
export function userStatusFields(world: World): Payload {
  const a = availabilityName(world);
  const busy = talking(world);
  const wrapUp = world.wrapUp;
  return {
    UserId: world.userId,
    CanBeAllocatedTo: !busy && !wrapUp && a !== 'DoNotDisturb' && a !== 'OffWork',
    Talking: busy,
    TalkingStatusChanged: dotnetLocal(),
    ActiveQueueId: null,
    ActiveCallListId: null,
    Available: a !== 'DoNotDisturb',
    Schedule: a !== 'OffWork',
    Serving: true,
    ServiceTerminals: 1,
    ActiveQueues: world.queues.length,
    ParkedCalls: 0,
    WrapUpStart: wrapUp ? dotnetLocal(wrapUp.start) : null,
    WrapUpEnd: wrapUp ? dotnetLocal(wrapUp.end) : null,
    ServingCallback: false,
    FetchMode: false,
    Note: world.availability?.note ?? '',
    AvailabilityStatus: a,
  };
}

/** UserAvailability fields (document, "Event: UserAvailability") for a change to `name`. */
export function userAvailabilityFields(world: World, name: string, note: string | undefined): Payload {
  return {
    UserId: world.userId,
    OrganizationId: world.organizationId,
    UserName: world.user,
    ProfileId: randomUUID(),
    Availability: name,
    StartTime: world.availability?.start ?? dotnetLocal(),
    EndTime: world.availability?.end ?? OPEN_ENDED,
    Note: note ?? '',
    EventSource: 'API',
    TransferNumber: '',
  };
}

/** The availability record the REST API returns [I] (the UserAvailability fields), or undefined when none is active. */
export function availabilityRecord(world: World): Payload | undefined {
  const a = world.availability;
  if (!a) return undefined;
  return { UserId: world.userId, UserName: world.user, Availability: a.name, StartTime: a.start, EndTime: a.end, Note: a.note ?? '' };
}

/** The fields every UserCallIn… and UserCallOut… event carries, plus `extra`. */
export function callFields(world: World, call: SimCall, extra: Payload = {}): Payload {
  return {
    CallId: call.id,
    LegId: call.legId,
    UserId: world.userId,
    OrganizationId: world.organizationId,
    ...extra,
    CallerNumber: call.caller,
    TargetNumber: call.target,
    Publicity: 0,
  };
}

/** Hold start/end fields (document, "UserCallInHoldStart" …). */
export function holdFields(world: World, call: SimCall): Payload {
  return { CallId: call.id, LegId: call.legId, UserId: world.userId, OrganizationId: world.organizationId };
}

/** QueueStatus fields (document, "Event: QueueStatus") from a queue's figures. */
export function queueStatusFields(world: World, queue: SimQueue): Payload {
  const f = world.figures.get(queue.id)!;
  return {
    QueueId: queue.id,
    OrganizationId: world.organizationId,
    QueueName: queue.name,
    NbrOfProviders: f.agentsServing,
    NbrOfRequesters: f.waiting,
    NbrOfServingAgentsEstimate: Math.max(0, f.agentsServing - f.agentsFree),
    NbrOfAllocated: 0,
    NbrOfConnected: 0,
    NbrOfQueuingRequesters: f.waiting,
    NbrOfNotServedRequesters: f.waiting,
    NbrOfAgentsLongTermAway: 0,
    NbrOfAgentsShortTermAway: 0,
    NbrOfAgentsImmediatelyFree: f.agentsFree,
    NbrOfAgentsCheckedInQueue: f.agentsServing,
    NbrOfAgentsOnWrapUp: f.agentsWrapUp,
    NbrOfAgentsOnFetchMode: 0,
    MaxWaitTime: f.longestWaitSec,
    OpenStatus: f.openStatus,
  };
}

/** The REST `queues/` item [C]: id, name, numbers, type 4 (ServiceQueue) and the status figures. */
export function queueItem(world: World, queue: SimQueue): Payload {
  const f = world.figures.get(queue.id)!;
  return {
    Id: queue.id,
    Name: queue.name,
    Numbers: queue.numbers,
    TypeId: 4,
    Status: { OpenStatus: f.openStatus, MaxWaitTime: f.longestWaitSec, QueueLength: f.waiting, FreeAgents: f.agentsFree },
  };
}

/** A callback request as CallbackChanged carries it (document, "Event: CallbackChanged"); also the REST item [I]. */
export function callbackItem(world: World, cb: SimCallback, created: boolean): Payload {
  return {
    CallBackId: cb.id,
    CallListId: cb.listId,
    OrganizationId: world.organizationId,
    Modified: dotnetLocal(),
    AssignedUserId: world.userId,
    LastAttemptUserId: null,
    LastModifiedUserId: null,
    LastAttemptTypeId: null,
    ContactName: cb.contactName ?? '',
    ContactNumber: cb.contactNumber,
    ContactMessage: cb.message ?? '',
    Note: '',
    QueueId: null,
    ChannelIn: 'Callback request',
    CreationTime: cb.created,
    Created: created,
    IsClosed: cb.closed,
    RecordingId: null,
    TypeId: 1,
    DueDate: cb.dueAt ? dotnetLocal(Date.parse(cb.dueAt)) : null,
    CallId: null,
    TranscriptId: null,
    ClassificationId: null,
    ExpiryDate: null,
    LastAttemptTimestamp: null,
    LastAttemptNote: '',
    CalculatedPriority: 'Normal',
    NotBefore: null,
    CallbackAttempts: [],
    CallbackExtras: [],
    CallbackRelatedItems: [],
  };
}

/** UserCallInCallbackCreated fields (document, "Event: UserCallInCallbackCreated"). */
export function callbackCreatedFields(world: World, cb: SimCallback): Payload {
  return {
    UserId: world.userId,
    CallBackId: cb.id,
    CallListId: cb.listId,
    OrganizationId: world.organizationId,
    CallId: null,
    LegId: '',
    RecordingId: null,
    ContactNumber: cb.contactNumber,
    TargetNumber: world.userNumber,
    ContactMessage: cb.message ?? '',
    CreationTime: cb.created,
  };
}

/** UserWrapUpStarted fields (document, "Event: UserWrapUpStarted"). */
export function wrapUpStartedFields(world: World, wrapUpId: string, callId: string | undefined, maxSec: number): Payload {
  return {
    OrganizationId: world.organizationId,
    CallId: callId ?? null,
    LegId: '',
    UserId: world.userId,
    QueueId: null,
    CallListId: null,
    CallBackId: null,
    MaxWrapUpDurationSec: maxSec,
    WrapUpType: 'Unavailable',
    WrapUpId: wrapUpId,
  };
}

/** UserWrapUpTerminated fields (document, "Event: UserWrapUpTerminated"). */
export function wrapUpTerminatedFields(world: World, ended: { id: string; callId?: string; start: number }, reason: string): Payload {
  return {
    OrganizationId: world.organizationId,
    CallId: ended.callId ?? null,
    LegId: '',
    UserId: world.userId,
    QueueId: null,
    CallListId: null,
    CallBackId: null,
    Reason: reason,
    ElapsedTimeSec: Math.round((Date.now() - ended.start) / 1000),
    WrapUpType: 'Unavailable',
    WrapUpId: ended.id,
  };
}

/**
 * A MessageReceived argument that fails the connector's validation: `payload` an event whose
 * fields have the wrong types, `envelope` something that is not `{subscription, data}`.
 */
export function malformedMessage(world: World, kind: 'payload' | 'envelope'): unknown {
  if (kind === 'envelope') return 'not a MessageReceived';
  return {
    subscription: { eventType: 'UserCallInComing', entityType: 'User', entityId: world.userId },
    data: { eventType: 'UserCallInComing', entityType: 'User', entityId: world.userId, callId: 12345, callerNumber: { not: 'a number' } },
  };
}

/**
 * A valid-looking MessageReceived (a UserAlert for the user) padded to about `bytes` bytes of JSON
 * with a long `Value`: what an oversized frame looks like on the wire.
 */
export function oversizedMessage(world: World, bytes: number, form: WireForm): unknown {
  const data = eventPayload(world, 'UserAlert', 'User', world.userId, {
    AlertId: randomUUID(),
    UserId: world.userId,
    ConditionName: 'Oversized',
    ConditionValue: '',
    ConditionExpression: '',
    Value: 'x'.repeat(Math.max(0, bytes)),
  });
  return { subscription: { eventType: 'UserAlert', entityType: 'User', entityId: world.userId }, data: toWire(data, form) };
}
