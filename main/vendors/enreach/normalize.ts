/**
 * Vendor event → desk events. Pure: the same event and context always give the same result, so
 * every routing rule is unit-testable without a connection.
 *
 * Rules (document sections named per rule; VENDOR-NOTES [C] for availability semantics):
 * - UserAvailability → `presence`; UserStatus → `talking` and `wrapup`;
 * - UserCallIn* / UserCallOut* → `call` patches keyed by CallId;
 * - UserWrapUpStarted / UserWrapUpTerminated → `wrapup`;
 * - UserCallInCallbackCreated / CallbackChanged → `callback`;
 * - QueueStatus → `queue`;
 * - everything else → nothing (the connector logs it at debug).
 */
import type { CallbackData, CallPatch, ConnectorEvent, QueuePatch } from '../../desk/events.js';
import type { Presence, PresenceState, QueueOpenState, SubscriptionIssue } from '../../../common/model.js';
import type { EnreachEvent, EnreachEventOf, SubscriptionResult } from './schema.js';

/** What routing needs to know about the account (from REST at connect time). */
export interface RouteContext {
  /** The agent's own Enreach user id (`GET users/me` → `Id`). */
  userId?: string;
  /** The agent's queues by phone number (REST `queues/` → `Numbers[]`), to name a call's queue [I]. */
  queuesByNumber?: ReadonlyMap<string, { id: string; name: string }>;
  /** ISO time used when an event carries no timestamp. */
  now?: string;
}

/** The availabilities of the document (UserAvailability → `Availability`). */
export const ENREACH_AVAILABILITIES = ['Available', 'Busy', 'DoNotDisturb', 'OffWork', 'BRB', 'Away'] as const;
/** One of the document's availability values (UserAvailability → `Availability`). */
export type EnreachAvailability = (typeof ENREACH_AVAILABILITIES)[number];

/**
 * The desk state of an Enreach availability: Available → ready; Busy, Away, BRB → not-ready;
 * DoNotDisturb → do-not-disturb; OffWork → offline. Unknown (custom profile) names → not-ready.
 * Matching ignores case.
 */
export function presenceStateOf(availability: string): PresenceState {
  switch (availability.toLowerCase()) {
    case 'available':
      return 'ready';
    case 'donotdisturb':
      return 'do-not-disturb';
    case 'offwork':
      return 'offline';
    default:
      return 'not-ready';
  }
}

/**
 * The availability to set for a desk state (the reverse of {@link presenceStateOf}); `wrap-up` has
 * none (wrap-up is started by the platform after a call, not chosen).
 */
export function availabilityFor(state: PresenceState): EnreachAvailability | undefined {
  switch (state) {
    case 'ready':
      return 'Available';
    case 'not-ready':
      return 'Busy';
    case 'do-not-disturb':
      return 'DoNotDisturb';
    case 'offline':
      return 'OffWork';
    case 'wrap-up':
      return undefined;
  }
}

/**
 * A presence from an availability record (event or REST read). `undefined`/empty availability
 * means none is active, which Enreach treats as Available (VENDOR-NOTES [C]).
 * @param record `since`/`until` ISO strings or `undefined` (open-ended / unset).
 */
export function presenceOf(record: { availability?: string; startTime?: string; endTime?: string; note?: string } | undefined): Presence {
  const label = record?.availability?.trim() || 'Available';
  const presence: Presence = { state: presenceStateOf(label), label };
  if (record?.note) presence.reason = record.note;
  if (record?.startTime) presence.since = record.startTime;
  if (record?.endTime) presence.until = record.endTime;
  return presence;
}

/**
 * QueueStatus `OpenStatus` → open state: 5 Open and 6 OpenUncertain → open; 1–4 (no active
 * handler, closed, with or without certainty) → closed; 0 NA and anything else → unknown.
 */
export function queueOpenState(openStatus: number | undefined): QueueOpenState {
  if (openStatus === 5 || openStatus === 6) return 'open';
  if (openStatus !== undefined && openStatus >= 1 && openStatus <= 4) return 'closed';
  return 'unknown';
}

/**
 * ISO time + seconds → ISO time; `undefined` past the range of a date (the fuzzer's
 * MaxWrapUpDurationSec of 1e20 made toISOString throw a RangeError out of the routing).
 */
function addSeconds(iso: string, seconds: number): string | undefined {
  const ms = Date.parse(iso) + seconds * 1000;
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : undefined;
}

/** The user call events that carry numbers (document: UserCallIn*, UserCallOut*). */
type CallEvent = EnreachEventOf<
  | 'UserCallInComing'
  | 'UserCallInArrived'
  | 'UserCallInUserAllocated'
  | 'UserCallInUserConnected'
  | 'UserCallInDisconnected'
  | 'UserCallInUserCancelled'
  | 'UserCallInOverflow'
  | 'UserCallInUserOverflow'
  | 'UserCallInTransferConnected'
  | 'UserCallOutGoing'
  | 'UserCallOutConnected'
  | 'UserCallOutDisconnected'
>;

function callBase(event: CallEvent, ctx: RouteContext, direction: 'inbound' | 'outbound'): CallPatch {
  const patch: CallPatch = { id: event.callId, direction };
  if (event.callerNumber) patch.caller = event.callerNumber;
  if (event.targetNumber) patch.target = event.targetNumber;
  if (event.legId) patch.legId = event.legId;
  const byNumber = direction === 'inbound' && event.targetNumber ? ctx.queuesByNumber?.get(event.targetNumber) : undefined;
  if (event.queueId || event.queueName) {
    patch.queue = { id: event.queueId, name: event.queueName ?? byNumber?.name };
  } else if (byNumber) {
    patch.queue = { id: byNumber.id, name: byNumber.name };
  }
  patch.actions = []; // Enreach has no call-control REST API in scope
  return patch;
}

function call(patch: CallPatch): ConnectorEvent[] {
  return [{ type: 'call', call: patch }];
}

function ended(patch: CallPatch, at: string | undefined, reason: string | undefined): ConnectorEvent[] {
  return call({ ...patch, state: 'ended', endedAt: at, endReason: reason });
}

/** `a: b` when both are given, else whichever is. */
function because(kind: string, detail: string | undefined): string {
  return detail ? `${kind}: ${detail}` : kind;
}

/** The desk's callback from a CallbackChanged. */
export function callbackFromChanged(event: EnreachEventOf<'CallbackChanged'>, ctx: RouteContext): CallbackData {
  const data: CallbackData = {
    id: event.callBackId,
    contactNumber: event.contactNumber ?? '',
    createdAt: event.creationTime ?? event.timestamp ?? ctx.now ?? new Date(0).toISOString(),
    assignedToMe: ctx.userId !== undefined && event.assignedUserId?.toLowerCase() === ctx.userId.toLowerCase(),
    attempts: event.callbackAttempts?.length ?? 0,
  };
  if (event.callListId) data.listId = event.callListId;
  if (event.contactName) data.contactName = event.contactName;
  if (event.contactMessage) data.message = event.contactMessage;
  if (event.note) data.note = event.note;
  if (event.queueId) data.queueId = event.queueId;
  if (event.dueDate) data.dueAt = event.dueDate;
  if (event.expiryDate) data.expiresAt = event.expiryDate;
  if (event.notBefore) data.notBefore = event.notBefore;
  return data;
}

/** The desk's queue figures from a QueueStatus. */
export function queueFromStatus(event: EnreachEventOf<'QueueStatus'>): QueuePatch {
  const patch: QueuePatch = {
    id: event.queueId,
    waiting: event.nbrOfQueuingRequesters ?? 0,
    longestWaitSec: event.maxWaitTime ?? 0,
    agentsFree: event.nbrOfAgentsImmediatelyFree ?? 0,
    agentsServing: event.nbrOfAgentsCheckedInQueue ?? 0,
    agentsWrapUp: event.nbrOfAgentsOnWrapUp ?? 0,
    open: queueOpenState(event.openStatus),
  };
  if (event.queueName) patch.name = event.queueName;
  if (event.timestamp) patch.updatedAt = event.timestamp;
  return patch;
}

/**
 * Routes one parsed event to the desk events it means. Returns `[]` for events the desk does not
 * show (alerts, settings, recordings, transcripts, supervision, terminal status, transfer
 * started/cancelled, wrap-up enabled/requests).
 */
export function routeEvent(event: EnreachEvent, ctx: RouteContext = {}): ConnectorEvent[] {
  if (event.eventType === '(unknown)') return [];
  const at = event.timestamp ?? ctx.now;
  switch (event.eventType) {
    case 'UserAvailability':
      return [{ type: 'presence', presence: presenceOf(event) }];

    case 'UserStatus': {
      const out: ConnectorEvent[] = [{ type: 'talking', talking: event.talking }];
      if (event.wrapUpStart) {
        out.push({ type: 'wrapup', wrapUp: { startedAt: event.wrapUpStart, ...(event.wrapUpEnd ? { endsAt: event.wrapUpEnd } : {}) } });
      } else if (!event.wrapUpEnd) {
        out.push({ type: 'wrapup', wrapUp: null });
      }
      return out;
    }

    // inbound calls
    case 'UserCallInComing':
    case 'UserCallInArrived':
    case 'UserCallInUserAllocated':
      return call({ ...callBase(event, ctx, 'inbound'), state: 'ringing', startedAt: at });
    case 'UserCallInUserConnected': {
      const patch = callBase(event, ctx, 'inbound');
      if (event.agentLegId) patch.legId = event.agentLegId;
      return call({ ...patch, state: 'connected', connectedAt: at });
    }
    case 'UserCallInHoldStart':
      return call({ id: event.callId, direction: 'inbound', state: 'held' });
    case 'UserCallInHoldEnd':
      return call({ id: event.callId, direction: 'inbound', state: 'connected' });
    case 'UserCallInDisconnected':
      return ended(callBase(event, ctx, 'inbound'), at, event.reason ?? undefined);
    case 'UserCallInUserCancelled':
      return ended(callBase(event, ctx, 'inbound'), at, because('cancelled', event.reason));
    case 'UserCallInOverflow':
      return ended(callBase(event, ctx, 'inbound'), at, because('overflow', event.overflowReason));
    case 'UserCallInUserOverflow':
      return ended(callBase(event, ctx, 'inbound'), at, because('overflow', event.reason));
    case 'UserCallInTransferConnected':
      return ended(callBase(event, ctx, 'inbound'), at, because('transferred', event.connectedTarget));

    // outbound calls
    case 'UserCallOutGoing':
      return call({ ...callBase(event, ctx, 'outbound'), state: 'dialing', startedAt: at });
    case 'UserCallOutConnected':
      return call({ ...callBase(event, ctx, 'outbound'), state: 'connected', connectedAt: at });
    case 'UserCallOutHoldStart':
      return call({ id: event.callId, direction: 'outbound', state: 'held' });
    case 'UserCallOutHoldEnd':
      return call({ id: event.callId, direction: 'outbound', state: 'connected' });
    case 'UserCallOutDisconnected':
      return ended(callBase(event, ctx, 'outbound'), at, event.reason ?? undefined);

    // wrap-up
    case 'UserWrapUpStarted': {
      const startedAt = at ?? new Date(0).toISOString();
      const max = event.maxWrapUpDurationSec ?? 0;
      const endsAt = max > 0 ? addSeconds(startedAt, max) : undefined;
      return [
        {
          type: 'wrapup',
          wrapUp: {
            startedAt,
            ...(endsAt ? { endsAt } : {}),
            ...(event.callId ? { callId: event.callId } : {}),
          },
        },
      ];
    }
    case 'UserWrapUpTerminated':
      return [{ type: 'wrapup', wrapUp: null }];

    // callbacks
    case 'UserCallInCallbackCreated': {
      const data: CallbackData = {
        id: event.callBackId,
        contactNumber: event.contactNumber ?? '',
        createdAt: event.creationTime ?? at ?? new Date(0).toISOString(),
        assignedToMe: true, // "a callback request targeted for the user"
        attempts: 0,
      };
      if (event.callListId) data.listId = event.callListId;
      if (event.contactMessage) data.message = event.contactMessage;
      return [{ type: 'callback', callback: data, closed: false }];
    }
    case 'CallbackChanged':
      return [{ type: 'callback', callback: callbackFromChanged(event, ctx), closed: event.isClosed === true }];

    // queues
    case 'QueueStatus':
      return [{ type: 'queue', queue: queueFromStatus(event) }];

    default:
      return [];
  }
}

/**
 * The refused subscriptions of a `Subscribe` result, for the desk (`subscriptions` event).
 * @param describe names an entity id for a person (e.g. "queue Sales"); defaults to the id.
 */
export function subscriptionIssues(results: readonly SubscriptionResult[], describe: (entityId: string) => string = (id) => id): SubscriptionIssue[] {
  return results
    .filter((r) => !r.subscribed)
    .map((r) => ({
      entity: describe(r.entityId ?? ''),
      topic: r.eventName ?? '',
      message: r.message ?? 'refused',
    }));
}
