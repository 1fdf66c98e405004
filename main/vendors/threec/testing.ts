/**
 * What the tests and the bench need of NEC UNIVERGE 3C, and the app never does (ARCHITECTURE.md,
 * principle 10): its conformance rig and its bench stream. Only `test/` and `npm run bench` reach
 * this file (`test/support/platform-testing.ts` finds it by the platform's id).
 *
 * The 3C conformance rig: the simulator (`simulator/`) driven by the conformance suite
 * (`test/conformance/`) in the desk's words. The session endings the wire contract allows
 * (`contract.ts`, [I]):
 * - `close`: a close frame 1001 (going away);
 * - `end-of-session`: the link's own end — an `error` frame, then close 1011;
 * - `unknown-session`: the link forgets its clients — close 4404;
 * - `http-5xx`: live sessions close with 1013 and upgrades are answered 503 until restored (a link
 *   behind a proxy that cannot reach it);
 * - `tcp-reset`: sockets cut with no goodbye;
 * - `silence`: no pong, no response, no event, until restored (found by the ping timeout).
 *
 * Fleet faults: accept-then-end — every session closed (1013) as soon as it monitored; revoked
 * credentials — the password refused, live sessions closed with 4401; a hang — upgrades never
 * answered, sessions silent; busy — the `http-5xx` ending with `Retry-After` on the refused
 * upgrades (each upgrade is a sign-in: the connect frame follows it). The contract names no owner
 * of a session, so there is nothing to take over (below).
 *
 * The bench stream, for `npm run bench` and the fuzz tests (`PlatformBench` in `../kit/platform.ts`).
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
import { randomBytes } from 'node:crypto';
import type { ConnectorEvent } from '../../desk/events.js';
import type { RawAccount } from '../kit/platform.js';
import type { ConformanceRig, PlatformBench, PlatformTesting } from '../kit/testing.js';
import type { ThreecTuning } from './config.js';
import { REPEAT_WINDOW_MS } from './connector.js';
import { eventTime, linkFrameSchema, parseLinkFrame } from './contract.js';
import { ThreecDesk, presenceState, watchOf } from './normalize.js';
import { imReceivedSchema, monitoredTerminalEventSchema, parseAdapterEvent, presenceChangedSchema } from './schema.js';
import { startThreecSimulator } from './simulator/index.js';
import { startThreecFleet } from './fleet.js';
import { isoNow } from '../kit/iso-date.js';

/** Short timings, so every ending is noticed within a second or two. */
const RIG_TUNING: ThreecTuning = { pingIntervalMs: 150, pongTimeoutMs: 400, connectTimeoutMs: 1_500, commandTimeoutMs: 2_000 };

/** Starts the simulator and returns the rig. @throws when it cannot listen on loopback. */
export async function startThreecConformanceRig(): Promise<ConformanceRig> {
  const simulator = await startThreecSimulator({
    username: 'rig.agent@conformance.example',
    password: `threec-rig-${randomBytes(12).toString('hex')}`,
    colleagues: [
      { username: 'bob.builder@conformance.example', terminal: { addressvalue: '2001', addresstype: 'ext' } },
      { username: 'carol.chen@conformance.example', terminal: { addressvalue: '2002', addresstype: 'ext' }, presence: 'Busy' },
    ],
  });
  const { serveruri, username, password } = simulator.credentials;
  const wrong = `wrong-${randomBytes(6).toString('hex')}`;
  const account: RawAccount = {
    id: 'threec-rig',
    vendor: 'threec',
    linkUrl: simulator.linkUrl,
    serveruri,
    username,
    password,
    terminals: simulator.terminals.map((t) => `${t.addressvalue} (${t.addresstype})`).join(', '),
    colleagues: simulator.colleagues.map((c) => c.username),
    colleagueTerminals: simulator.colleagues.map((c) => ({ username: c.username, addressvalue: c.terminal.addressvalue, addresstype: c.terminal.addresstype })),
  };
  let caller = 100;
  return {
    account,
    wrongAccount: { ...account, password: wrong },
    acceptWrongSecret: () => simulator.acceptPassword(wrong),
    connectorOptions: { backoff: { initialMs: 50, maxMs: 300, jitter: 0 }, tuning: RIG_TUNING },
    authentications: () => simulator.connects,
    subscriptions: () => simulator.monitoredSessions,
    endings: {
      close: () => simulator.closeSessions(1001),
      'end-of-session': () => simulator.endSessions('the 3C session ended'),
      'unknown-session': () => simulator.forgetSessions(),
      'http-5xx': () => simulator.failUpgrades(503),
      'tcp-reset': () => simulator.resetSessions(),
      silence: () => simulator.silence(true),
    },
    restore() {
      simulator.silence(false);
      simulator.failUpgrades(undefined);
      simulator.endNewSessions(false);
      simulator.hang(false);
    },
    faults: {
      acceptThenEnd: () => simulator.endNewSessions(true),
      takeOver: {
        unsupported: 'the adapter link’s contract [I] names no owner of a session: several desks may monitor the same users, and the link says nothing of another (VENDOR-NOTES, 3C)',
      },
      revokeCredentials: () => simulator.revokeCredentials(),
      hang: () => simulator.hang(true),
      busy: (retryAfterS) => simulator.failUpgrades(503, retryAfterS),
      busySignIns: () => simulator.upgrades.filter((u) => u.status === 503).map((u) => u.at),
    },
    noticeWithinMs: 3_000,
    raise: () => ({ slice: 'calls', id: simulator.ringCall({ caller: `+35840555${String(caller++).padStart(4, '0')}` }) }),
    sendMalformedFrame: () => simulator.sendRaw(JSON.stringify({ type: 'event', event: 'presenceChanged', timestamp: isoNow(), properties: { user: 42 } })),
    sendOversizedFrame: () =>
      simulator.sendRaw(
        JSON.stringify({
          type: 'event',
          event: 'imReceived',
          timestamp: new Date().toISOString(),
          properties: { receivingUser: username, sendingUser: simulator.colleagues[0]!.username, message: 'x'.repeat(1_200_000) },
        }),
      ),
    serverPresence: () => {
      const held = simulator.presenceOf(username);
      return held ? presenceState(held.presence) : undefined;
    },
    cleanStops: () => simulator.cleanStops,
    close: () => simulator.close(),
  };
}

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
      const at = eventTime(parsed.frame.timestamp, isoNow());
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

/** NEC UNIVERGE 3C's rig and bench stream, as `test/support/platform-testing.ts` finds them. */
export const testing: PlatformTesting = { startConformanceRig: startThreecConformanceRig, bench: { ...threecBench, fleet: startThreecFleet } };
