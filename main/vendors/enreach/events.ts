/**
 * The fold of Enreach's RTE events: each `MessageReceived` argument of the SignalR hub (document,
 * "MessageReceived"; VENDOR-NOTES.md, Enreach) read, screened and routed (normalize.ts) into desk
 * events. Shared by the connector's session (session.ts) and the bench.
 */
import type { ConnectorEvent } from '../../desk/events.js';
import type { DeskLogger as Logger } from '../../desk/port.js';
import { routeEvent, type RouteContext } from './normalize.js';
import { parseMessage } from './schema.js';
import { isoNow } from '../kit/iso-date.js';

/**
 * One MessageReceived argument → the desk events it means; a malformed one is logged and dropped
 * (the bench's parse path is this one too).
 */
export function rteMessageEvents(message: unknown, route: RouteContext, log: Logger): ConnectorEvent[] {
  const parsed = parseMessage(message);
  if (!parsed.ok) {
    log.warn({ eventType: parsed.eventType, problem: parsed.error }, 'dropped a malformed Enreach RTE frame');
    return [];
  }
  if (parsed.event.eventType === '(unknown)') {
    log.debug({ eventType: parsed.event.type, event: parsed.event.data }, 'Enreach event of a type the connector does not know');
    return [];
  }
  // The clock is read only for an event without a timestamp (the only time routing uses it).
  const events = routeEvent(parsed.event, parsed.event.timestamp ? route : { ...route, now: isoNow() });
  if (events.length === 0) log.debug({ eventType: parsed.event.eventType, event: parsed.event }, 'Enreach event not shown on the desk');
  return events;
}
