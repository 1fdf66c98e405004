/**
 * NEC UNIVERGE 3C for `npm run bench` and the fuzz tests (`PlatformBench` in `../kit/platform.ts`).
 *
 * The stream: the adapter link's event frames (`{"type":"event","event","timestamp","properties"}`,
 * the wire contract in `contract.ts`) — per ten: one call's life on the agent's terminal (ringing,
 * connected, disconnected), a colleague's busy lamp lit and put out, colleagues' presence, the
 * agent's own presence; and every fifty, an instant message each way with a colleague.
 *
 * The parse path is the connector's: the frame parsed and checked against the contract's
 * envelopes (`parseLinkFrame`), the event's time, its properties checked against the document
 * (`parseAdapterEvent`), and the account's picture (`ThreecDesk`: watched users and terminals,
 * calls, lamps, conversations). The floor: one `JSON.parse`, the envelope's schema and the
 * properties' schema.
 */
import type { ConnectorEvent } from '../../desk/events.js';
import type { PlatformBench } from '../kit/platform.js';
import { REPEAT_WINDOW_MS } from './connector.js';
import { eventTime, linkFrameSchema, parseLinkFrame } from './contract.js';
import { ThreecDesk, watchOf } from './normalize.js';
import { imReceivedSchema, monitoredTerminalEventSchema, parseAdapterEvent, presenceChangedSchema } from './schema.js';

const ME = 'agent@bench.example';
const COLLEAGUES = Array.from({ length: 8 }, (_, k) => `colleague${k}@bench.example`);
const T0 = Date.parse('2026-11-20T08:00:00.000Z');

/** The event frame `i` as an object. */
export function threecEvent(i: number): { type: 'event'; event: string; timestamp: string; properties: Record<string, unknown> } {
  const timestamp = new Date(T0 + i * 10).toISOString();
  const event = (name: string, properties: Record<string, unknown>) => ({ type: 'event' as const, event: name, timestamp, properties });
  const colleague = COLLEAGUES[Math.floor(i / 10) % COLLEAGUES.length]!;
  const own = { address: '1001', addressType: 'ext', calledAddressValue: '1001', calledAddressType: 'ext', caller: '+358401234567', callType: 'External', isIncoming: true, call: String(1000 + Math.floor(i / 10)) };
  const lamp = { address: `20${String(Math.floor(i / 10) % COLLEAGUES.length).padStart(2, '0')}`, addressType: 'ext', caller: '+358409876543', callType: 'External', isIncoming: true, call: String(500_000 + Math.floor(i / 10)) };
  switch (i % 10) {
    case 0:
      return event('monitoredTerminalEventReceived', { ...own, callState: 'Ringing' });
    case 1:
      return event('presenceChanged', { user: colleague, presence: i % 20 === 1 ? 'Busy' : 'Available', presenceNote: null });
    case 2:
      return event('monitoredTerminalEventReceived', { ...own, callState: 'Connected' });
    case 3:
      return event('monitoredTerminalEventReceived', { ...lamp, callState: 'Ringing' });
    case 4:
      // An instant message each way every fifty frames; a colleague's presence otherwise.
      if (Math.floor(i / 10) % 5 !== 0) return event('presenceChanged', { user: COLLEAGUES[(Math.floor(i / 10) + 5) % COLLEAGUES.length], presence: 'Busy', presenceNote: `meeting ${i % 7}` });
      return event('imReceived', { receivingUser: ME, sendingUser: colleague, message: `Can you take line ${i}?` });
    case 5:
      return event('presenceChanged', { user: ME, presence: i % 20 === 5 ? 'Busy' : 'Available', presenceNote: 'On a call' });
    case 6:
      return event('monitoredTerminalEventReceived', { ...own, callState: 'Disconnected' });
    case 7:
      return event('monitoredTerminalEventReceived', { ...lamp, callState: 'Disconnected' });
    case 8:
      return event('presenceChanged', { user: COLLEAGUES[(Math.floor(i / 10) + 3) % COLLEAGUES.length], presence: 'Away', presenceNote: `back at ${i % 24}:00` });
    default:
      if (Math.floor(i / 10) % 5 !== 0) return event('monitoredTerminalEventReceived', { ...lamp, call: String(900_000 + Math.floor(i / 10)), callState: 'Disconnected' });
      return event('imReceived', { receivingUser: colleague, sendingUser: ME, message: `Taking it (${i})` });
  }
}

const WATCH = watchOf({
  username: ME,
  terminals: '1001',
  colleagues: COLLEAGUES,
  colleagueTerminals: COLLEAGUES.map((username, k) => ({ username, addressvalue: `20${String(k).padStart(2, '0')}`, addresstype: 'ext' })),
});

const PROPERTIES = { presenceChanged: presenceChangedSchema, imReceived: imReceivedSchema, monitoredTerminalEventReceived: monitoredTerminalEventSchema } as const;

export const threecBench: PlatformBench = {
  frames: (n, start = 0) => Array.from({ length: n }, (_, k) => JSON.stringify(threecEvent(start + k))),
  parser(log) {
    const desk = new ThreecDesk(WATCH, { repeatWindowMs: REPEAT_WINDOW_MS, log });
    // The link's reading of a text frame (link.ts, `message`), for events: responses and errors
    // belong to commands, which the bench sends none of.
    return (frame) => {
      const parsed = parseLinkFrame(String(frame));
      if (!parsed.ok) {
        log.warn({ problem: parsed.error }, 'dropped a malformed 3C link frame');
        return [];
      }
      if (parsed.frame.type !== 'event') return [];
      const at = eventTime(parsed.frame.timestamp, new Date().toISOString());
      const event = parseAdapterEvent(parsed.frame.event, parsed.frame.properties);
      if (!event.ok) {
        log.warn({ event: parsed.frame.event, problem: event.error }, 'dropped a 3C event whose properties do not fit the document');
        return [];
      }
      if (!event.event || event.event.event === 'connected3C') return [];
      return desk.handle(event.event, at) satisfies ConnectorEvent[];
    };
  },
  floor(frame) {
    const envelope = linkFrameSchema.safeParse(JSON.parse(String(frame)));
    if (!envelope.success || envelope.data.type !== 'event') return envelope;
    return PROPERTIES[envelope.data.event as keyof typeof PROPERTIES]?.safeParse(envelope.data.properties);
  },
};
