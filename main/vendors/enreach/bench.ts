/**
 * Enreach for `npm run bench` and the fuzz tests (`PlatformBench` in `../kit/platform.ts`).
 *
 * The stream: SignalR JSON hub messages as the RTE hub sends them (one `MessageReceived`
 * invocation per text message, camelCase payloads, `\x1e`-terminated) — per ten: one inbound
 * call's life (coming, connected, disconnected), a callback change, the agent's status and five
 * queue figures of eight queues.
 *
 * The parse path is the connector's: the screening of each hub message (`screenedReading`, which
 * parses every record to check it), the SignalR client's hub protocol reading what the screen
 * parsed, the `MessageReceived` handler (`rteMessageEvents`: key normalisation, the event's schema,
 * routing). The floor: one `JSON.parse` and the event's schema.
 */
import { LogLevel, type ILogger, type InvocationMessage } from '@microsoft/signalr';
import type { ConnectorEvent } from '../../desk/events.js';
import type { Logger } from '../../log.js';
import type { PlatformBench } from '../kit/platform.js';
import { rteMessageEvents } from './connector.js';
import { RECORD_SEPARATOR, RTE_MAX_MESSAGE_BYTES } from './frames.js';
import type { RouteContext } from './normalize.js';
import { screenedReading } from './rte.js';
import { EVENT_SCHEMAS, isKnownEvent } from './schema.js';

const ORG = '29f6e823-b484-e611-80c9-00505689257e';
const USER = 'aa9730c4-ce86-e611-80c9-00505689257e';
const QUEUES = Array.from({ length: 8 }, (_, i) => `c9eeb030-ff4b-ea11-ac9c-00155d4fdc${String(i).padStart(2, '0')}`);
const T0 = Date.parse('2026-11-20T08:00:00.000Z');

function guid(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/** The `MessageReceived` argument of frame `i`. */
export function enreachMessage(i: number): { subscription: { eventType: string }; data: Record<string, unknown> } {
  const base = { rootEntityType: 'Organization', rootEntityId: ORG, organizationId: ORG, id: guid(i), timestamp: new Date(T0 + i * 10).toISOString() };
  const call = guid(1_000_000 + Math.floor(i / 10));
  const message = (eventType: string, data: Record<string, unknown>) => ({ subscription: { eventType }, data: { ...base, eventType, ...data } });
  switch (i % 10) {
    case 0:
      return message('UserCallInComing', { entityType: 'User', entityId: USER, userId: USER, callId: call, legId: 'leg', callerNumber: '+358401234567', targetNumber: '+35810555' });
    case 3:
      return message('UserCallInUserConnected', { entityType: 'User', entityId: USER, userId: USER, callId: call, legId: 'leg', callerNumber: '+358401234567' });
    case 6:
      return message('UserCallInDisconnected', { entityType: 'User', entityId: USER, userId: USER, callId: call, legId: 'leg', reason: 'remote' });
    case 7:
      return message('CallbackChanged', {
        entityType: 'CallList',
        entityId: QUEUES[0],
        callBackId: guid(2_000_000 + (i % 200)),
        callListId: QUEUES[0],
        contactNumber: '+358409876543',
        creationTime: '2026-11-20T08:00:00',
        modified: '2026-11-20T08:00:00',
        isClosed: i % 3 === 0,
        created: false,
        typeId: 1,
      });
    case 8:
      return message('UserStatus', { entityType: 'User', entityId: USER, userId: USER, talking: i % 2 === 0, available: true, serving: true });
    default:
      return message('QueueStatus', {
        entityType: 'Queue',
        entityId: QUEUES[i % 8],
        queueId: QUEUES[i % 8],
        queueName: `Queue ${i % 8}`,
        nbrOfQueuingRequesters: i % 13,
        maxWaitTime: i % 300,
        nbrOfAgentsImmediatelyFree: i % 5,
        openStatus: 5,
      });
  }
}

/** One hub message carrying `argument` as a `MessageReceived` invocation, as the hub writes it. */
export function hubText(argument: unknown): string {
  return JSON.stringify({ type: 1, target: 'MessageReceived', arguments: [argument] }) + RECORD_SEPARATOR;
}

/** The SignalR client's log, on the connector's logger (as `rte.ts` wires it). */
function signalrLog(log: Logger): ILogger {
  return { log: (level, message) => (level >= LogLevel.Error ? log.warn({ signalr: true }, message) : undefined) };
}

export const enreachBench: PlatformBench = {
  frames: (n, start = 0) => Array.from({ length: n }, (_, k) => hubText(enreachMessage(start + k))),
  parser(log) {
    const reading = screenedReading(log, RTE_MAX_MESSAGE_BYTES);
    const clientLog = signalrLog(log);
    const route: RouteContext = { userId: USER, queuesByNumber: new Map([['+35810555', { id: QUEUES[0]!, name: 'Queue 0' }]]) };
    return (frame) => {
      const data = reading.screen(String(frame), false);
      const out: ConnectorEvent[] = [];
      // What the SignalR client does with what passed the screen: read it with the session's
      // protocol, and call the handler registered for each invocation's target (the connector's
      // only one is MessageReceived).
      for (const message of reading.protocol.parseMessages(data, clientLog)) {
        if (message.type !== 1) continue;
        const invocation = message as InvocationMessage;
        if (invocation.target.toLowerCase() !== 'messagereceived') continue;
        try {
          out.push(...rteMessageEvents(Array.isArray(invocation.arguments) ? invocation.arguments[0] : undefined, route, log));
        } catch (error) {
          log.warn({ err: error }, 'an Enreach RTE message could not be handled; dropped');
        }
      }
      return out;
    };
  },
  floor(frame) {
    const text = String(frame);
    const message = JSON.parse(text.slice(0, text.length - 1)) as { arguments: Array<{ data: { eventType: string } }> };
    const data = message.arguments[0]!.data;
    return isKnownEvent(data.eventType) ? EVENT_SCHEMAS[data.eventType].safeParse(data) : undefined;
  },
};
