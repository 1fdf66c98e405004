/**
 * The RTE hub's methods and who receives which event (document, "Hub Methods", "Managing
 * Subscriptions", "Subscription validation and authorization", "Receiving events"):
 *
 * - Subscribe / Unsubscribe take an array of EntitySubscription and answer one SubscriptionResult
 *   per item, validated in the document's order: "Invalid EntityId" (not a GUID), "Invalid event
 *   name", "Unauthorized" (not this user's entity, an event of another entity type, or a forbidden
 *   event); the result's `eventName` is lowercased, as in the document's example;
 * - UnsubscribeAll, AvailableSubscriptions (event names), ActiveSubscriptions (Subscriptions);
 * - `MessageReceived` `{subscription, data}` goes only to connections subscribed to that entity and
 *   event. RTE stores no subscriptions: a connection's die with it.
 */
import { randomUUID } from 'node:crypto';
import { EVENT_NAMES, normalizeKeys } from '../schema.js';
import type { HubClient, SignalrHub } from './hub.js';
import { eventPayload, subscriptionObject, toWire, type Payload, type WireForm } from './payloads.js';
import { entityTypeOf, type World } from './world.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One active subscription of a connection. */
interface Subscription {
  id: string;
  entityId: string;
  eventName: string;
  entityType: string;
}

/** What the RTE methods need: the world, the hub, the wire form, and the events refused or hidden. */
export interface RteMethodsOptions {
  world: World;
  /** The hub the events go out through (read when an event is published). */
  hub: () => SignalrHub;
  form: WireForm;
  /** Event names Subscribe refuses with "Unauthorized". */
  forbiddenEvents?: readonly string[];
  /** Event names the hub does not offer ("Invalid event name"). */
  hiddenEvents?: readonly string[];
}

/** The RTE side of the hub. */
export interface RteMethods {
  /** Runs a hub method for a connection. @throws for an unknown method (an error completion). */
  invoke(client: HubClient, target: string, args: unknown[]): unknown;
  /** Forgets a closed connection's subscriptions. */
  closed(client: HubClient): void;
  /** Sends an event, built from `fields` in the document's envelope, to its subscribers. */
  publish(eventType: string, entityType: string, entityId: string, fields: Payload, ttl?: number): void;
  /** Sends a MessageReceived with `data` verbatim to the connections subscribed to `eventName` on `entityId`. */
  deliver(eventName: string, entityId: string, data: unknown): void;
  /** Active subscriptions per open connection. */
  subscriptions(): Array<{ connectionId: string; items: Array<{ entityId: string; eventName: string }> }>;
  /** Subscribe invocations answered so far. */
  readonly subscribeCalls: number;
}

/** The entity type an event belongs to (document: User, Queue and CallList sections). */
function eventEntityType(eventName: string): 'User' | 'Queue' | 'CallList' {
  if (eventName.startsWith('Queue')) return 'Queue';
  if (eventName === 'CallbackChanged') return 'CallList';
  return 'User';
}

/** The RTE methods over `options.world`; no subscription exists until a connection makes one. */
export function createRteMethods(options: RteMethodsOptions): RteMethods {
  const { world } = options;
  const forbidden = new Set((options.forbiddenEvents ?? []).map((e) => e.toLowerCase()));
  const hidden = new Set((options.hiddenEvents ?? []).map((e) => e.toLowerCase()));
  const offered = EVENT_NAMES.filter((n) => !hidden.has(n.toLowerCase()));
  const offeredLower = new Map(offered.map((n) => [n.toLowerCase(), n]));
  const subs = new Map<HubClient, Map<string, Subscription>>();
  let subscribeCalls = 0;

  const key = (entityId: string, eventName: string) => `${entityId.toLowerCase()}|${eventName.toLowerCase()}`;
  const subsOf = (client: HubClient): Map<string, Subscription> => {
    let found = subs.get(client);
    if (!found) subs.set(client, (found = new Map()));
    return found;
  };

  function subscribe(client: HubClient, args: unknown[], on: boolean): unknown[] {
    const items = Array.isArray(args[0]) ? (normalizeKeys(args[0]) as Array<{ entityId?: unknown; eventName?: unknown }>) : [];
    const mine = subsOf(client);
    return items.map((item) => {
      const entityId = typeof item?.entityId === 'string' ? item.entityId : '';
      const rawName = typeof item?.eventName === 'string' ? item.eventName : '';
      const result = (subscribed: boolean, message: string | null) => ({ subscribed, message, entityId, eventName: rawName.toLowerCase() });
      if (!GUID.test(entityId)) return result(false, 'Invalid EntityId');
      const eventName = offeredLower.get(rawName.toLowerCase());
      if (!eventName) return result(false, 'Invalid event name');
      if (!on) {
        mine.delete(key(entityId, eventName));
        return result(false, null);
      }
      const entityType = entityTypeOf(world, entityId);
      if (!entityType || entityType !== eventEntityType(eventName) || forbidden.has(eventName.toLowerCase())) return result(false, 'Unauthorized');
      if (!mine.has(key(entityId, eventName))) mine.set(key(entityId, eventName), { id: randomUUID(), entityId, eventName, entityType });
      return result(true, null);
    });
  }

  function deliver(eventName: string, entityId: string, data: unknown): void {
    const hub = options.hub();
    for (const client of hub.clients()) {
      const sub = subs.get(client)?.get(key(entityId, eventName));
      if (sub) hub.invokeClient(client, 'MessageReceived', [{ subscription: subscriptionObject(world, sub), data }]);
    }
  }

  return {
    invoke(client, target, args) {
      switch (target.toLowerCase()) {
        case 'subscribe': {
          const results = subscribe(client, args, true);
          subscribeCalls += 1;
          return results;
        }
        case 'unsubscribe':
          return subscribe(client, args, false);
        case 'unsubscribeall':
          subs.delete(client);
          return true;
        case 'availablesubscriptions':
          return [...offered];
        case 'activesubscriptions':
          return [...(subs.get(client)?.values() ?? [])].map((s) => subscriptionObject(world, s));
        default:
          throw new Error('HubException: Method does not exist.');
      }
    },

    closed(client) {
      subs.delete(client);
    },

    publish(eventType, entityType, entityId, fields, ttl) {
      deliver(eventType, entityId, toWire(eventPayload(world, eventType, entityType, entityId, fields, ttl), options.form));
    },

    deliver,

    subscriptions() {
      return options
        .hub()
        .clients()
        .map((client) => ({
          connectionId: client.id,
          items: [...(subs.get(client)?.values() ?? [])].map((s) => ({ entityId: s.entityId, eventName: s.eventName })),
        }));
    },

    get subscribeCalls() {
      return subscribeCalls;
    },
  };
}
