/**
 * What the tests and the bench need of Enreach, and the app never does (ARCHITECTURE.md,
 * principle 10): its conformance rig and its bench stream. Only `test/` and `npm run bench` reach
 * this file (`test/support/platform-testing.ts` finds it by the platform's id).
 *
 * Enreach's conformance rig (`kit/platform.ts`, `ConformanceRig`): the simulator with random,
 * long, unique secrets, and each of the suite's controls mapped to it (`test/conformance/`).
 *
 * - authentications = RTE tokens issued (every connection fetches a fresh one, VENDOR-NOTES [C]);
 *   subscriptions = `Subscribe` invocations the hub answered (one complete set per connection);
 * - the endings a SignalR session over a WebSocket can have: a close frame (1000), the SignalR
 *   Close message, a forgotten connection (its token refused, socket closed), a TCP reset, silence
 *   (noticed by the client's server timeout), and `http-5xx`: a restart behind the load balancer
 *   closes the sockets (1012) and REST and negotiate answer 503 until `restore()` [I];
 * - raise = a callback request: the desk must show it, and RTE does not replay events, so after a
 *   reconnect only the connector's REST re-read brings one raised while it was away;
 * - a malformed frame = a MessageReceived whose event fails validation; an oversized one = a 2 MiB
 *   MessageReceived, twice the connector's 1 MiB limit (`frames.ts`);
 * - server presence = the simulator's availability in desk terms (`normalize.ts`);
 * - clean stops = hub sessions the client ended with the SignalR Close message;
 * - fleet faults: accept-then-end = the hub closes every session (1013, Try Again Later) as soon as
 *   its `Subscribe` was answered; revoked credentials = SecretKeys and tokens refused, the hub forgets
 *   its connections; a hang = no HTTP request or upgrade answered, open connections silent; busy =
 *   the `http-5xx` unavailability with `Retry-After`, its refused sign-ins the `users/me` requests
 *   answered 503 (the first request of every connection). A takeover has no meaning here (below).
 *
 * The bench stream, for `npm run bench` and the fuzz tests (`PlatformBench` in `../kit/platform.ts`).
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
import { randomBytes } from 'node:crypto';
import { type ILogger, type InvocationMessage, LogLevel } from '@microsoft/signalr';
import type { ConnectorEvent } from '../../desk/events.js';
import type { Logger } from '../../log.js';
import type { RawAccount } from '../kit/platform.js';
import type { ConformanceRig, PlatformBench, PlatformTesting } from '../kit/testing.js';
import type { EnreachTuning } from './config.js';
import { rteMessageEvents } from './connector.js';
import { RECORD_SEPARATOR, RTE_MAX_MESSAGE_BYTES } from './frames.js';
import { type RouteContext, presenceStateOf } from './normalize.js';
import { screenedReading } from './rte.js';
import { EVENT_SCHEMAS, isKnownEvent } from './schema.js';
import { startEnreachSimulator } from './simulator/index.js';
import { startEnreachFleet } from './fleet.js';

/** The client's SignalR server timeout in the rig, ms: silence is noticed within this. */
const SERVER_TIMEOUT_MS = 1_500;
/** The hub's and the client's ping intervals in the rig, ms (well inside the timeout). */
const PING_MS = 500;

/**
 * Starts the simulator on loopback and returns the rig around it.
 * @throws when the simulator cannot listen.
 */
export async function startEnreachConformanceRig(): Promise<ConformanceRig> {
  const secret = (what: string): string => `${what}-${randomBytes(24).toString('hex')}`;
  const secretKey = secret('enreach-conformance-key');
  const wrongKey = secret('enreach-conformance-wrong-key');
  const sim = await startEnreachSimulator({
    user: 'conformance.agent@example.com',
    secretKey,
    password: secret('enreach-conformance-password'),
    pingIntervalMs: PING_MS,
  });
  const account: RawAccount = { id: 'enreach-conformance', vendor: 'enreach', user: sim.credentials.user, apiUrl: sim.apiUrl, secretKey };
  const tuning: EnreachTuning = { serverTimeoutMs: SERVER_TIMEOUT_MS, keepAliveMs: PING_MS, requestTimeoutMs: 5_000 };
  let raised = 0;

  return {
    account,
    wrongAccount: { ...account, secretKey: wrongKey },
    acceptWrongSecret: () => sim.acceptSecretKey(wrongKey),
    connectorOptions: { backoff: { initialMs: 50, maxMs: 300, jitter: 0 }, tuning },
    authentications: () => sim.tokensIssued,
    subscriptions: () => sim.subscribeCalls,
    endings: {
      close: () => sim.closeConnections(),
      'end-of-session': () => sim.endSessions(),
      'unknown-session': () => sim.forgetSessions(),
      'http-5xx': () => sim.unavailable(),
      'tcp-reset': () => sim.resetConnections(),
      silence: () => sim.silence(),
    },
    restore: () => sim.restore(),
    faults: {
      acceptThenEnd: () => sim.endNewSessions(),
      takeOver: {
        unsupported:
          'Enreach has no agent session to take over: a user has no logged-in state and may hold several RTE connections at once (VENDOR-NOTES, Enreach — availability semantics)',
      },
      revokeCredentials: () => sim.revokeCredentials(),
      hang: () => sim.hang(),
      busy: (retryAfterS) => sim.unavailable(retryAfterS),
      busySignIns: () => sim.requests.filter((r) => r.status === 503 && r.path.startsWith('/api/users/me')).map((r) => r.at ?? 0),
    },
    // A closed socket is noticed at once; silence after the server timeout. Plus a margin.
    noticeWithinMs: SERVER_TIMEOUT_MS + 1_500,
    raise() {
      raised += 1;
      const id = sim.createCallback({ contactNumber: `+35840${String(1_000_000 + raised)}`, contactName: `Conformance ${raised}`, message: 'Please call back' });
      return { slice: 'callbacks', id };
    },
    sendMalformedFrame: () => sim.sendMalformedFrame('payload'),
    sendOversizedFrame: () => sim.sendOversizedFrame(),
    serverPresence: () => presenceStateOf(sim.availability),
    cleanStops: () => sim.cleanStops,
    close: () => sim.close(),
  };
}

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

/** Enreach's rig and bench stream, as `test/support/platform-testing.ts` finds them. */
export const testing: PlatformTesting = { startConformanceRig: startEnreachConformanceRig, bench: { ...enreachBench, fleet: startEnreachFleet } };
