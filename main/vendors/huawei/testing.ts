/**
 * What the tests and the bench need of Huawei CEC, and the app never does (ARCHITECTURE.md,
 * principle 10): its conformance rig and its bench stream. Only `test/` and `npm run bench` reach
 * this file (`test/support/platform-testing.ts` finds it by the platform's id).
 *
 * The Huawei CEC conformance rig (`test/conformance/`): the simulator, driven in the desk's words.
 *
 * What CEC's nature makes of the suite's notions — read this before the suite's results:
 * - **a session** is a token applied for plus a `checkClickToCallSupport` answered (authentication:
 *   `applyToken`; "subscription": the first support check of each new token);
 * - **the server ends the session**: `unknown-session` (every token refused with 401: the connector
 *   applies again), `http-5xx` (every request answers 503), `silence` (no request is answered: the
 *   request timeout notices), `tcp-reset` (every connection is cut, new ones too, until restored).
 *   CEC has no `close` (HTTP keep-alive closes mean nothing to it) and no end-of-session message;
 * - **raise()**: CEC tells the desk of no call it did not place (there is no "list calls", and
 *   events come per channel only after a create). So the rig places a real click-to-dial call the
 *   way the desk does — through the connector's own `call.dial` command (the connector hands itself
 *   to the rig through the tuning's `onConnector`) — and the simulator queues it. CEC holds **one
 *   call per channel session**: a `raise()` while the rig's call is still in progress does not
 *   create a second one (impossible on CEC) but moves that call on, on the server (an agent answers
 *   it; the event waits on the channel until the connector reads it) and returns the same call.
 *   In the suite's "ending" tests the entity raised while the session is down is therefore the
 *   call raised before it: what they prove for CEC is that the call in progress survives the
 *   ending, is followed again after the reconnect, and its progress made meanwhile arrives once.
 * - **a clean stop**: CEC has no operation that ends a session (tokens lapse after an hour), so
 *   the rig offers no `cleanStops` and the suite says so instead of testing it.
 * - **fleet faults**: accept-then-end — a token's first support check is answered, every later
 *   request with it answers 503 (the heartbeat ends the session); revoked credentials — the app
 *   secret, tokens and access tokens refused; a hang — no request answered; busy — every request
 *   answers 503 with `Retry-After`, its refused sign-ins the token requests (`tokenByAkSk` or
 *   `applyToken`, whichever a new session asks first). A takeover cannot be staged (below).
 *
 * The bench stream, for `npm run bench` and the fuzz tests (`PlatformBench` in `../kit/platform.ts`).
 *
 * The stream: the bodies of `getClickToCallEvents` answers as CEC writes them while the desk polls
 * a click-to-dial call — per ten polls one call: "Call in queue", two empty polls, "Call connected"
 * (eventId 168101, the WebRTC gateway, the access code, the caller), five empty polls, "Call
 * disconnected" with its CTI cause. CEC tells only of the call the desk placed, so a poll that
 * finds no call in progress places one first (the dial's own desk event), as the agent would.
 *
 * The parse path is the connector's: the answer's body parsed as JSON (`http.ts`), validated by
 * its schema (`cec.ts`), classified and folded into the call in progress (`foldEventsAnswer`).
 * The floor: one `JSON.parse` and the answer's schema.
 */
import { randomBytes } from 'node:crypto';
import type { ConnectorEvent } from '../../desk/events.js';
import type { Connector } from '../../desk/port.js';
import type { RawAccount } from '../kit/platform.js';
import type { ConformanceRig, PlatformBench, PlatformTesting, RaisedEntity } from '../kit/testing.js';
import { foldEventsAnswer } from './connector.js';
import { type PlacedCall, placedPatch } from './normalize.js';
import { eventsSchema } from './schema.js';
import { startHuaweiSimulator } from './simulator/index.js';
import type { HuaweiTuning } from './config.js';
import { startHuaweiFleet } from './fleet.js';

/** Starts the simulator and describes it to the suite. @throws if it cannot listen. */
export async function startHuaweiConformanceRig(): Promise<ConformanceRig> {
  const simulator = await startHuaweiSimulator({ plan: { outcome: 'answer', manual: true }, oversizedBytes: 256 * 1024 });
  const wrongSecret = `wrong-${randomBytes(18).toString('hex')}`;
  let connector: Connector | undefined;
  let closed = false;
  /** Ids the next calls take (the connector names its calls; the rig must know them now). */
  const nextIds: string[] = [];
  let raised = 0;
  /** The rig's call in progress, if any. */
  let current: string | undefined;

  const tuning: HuaweiTuning = {
    requestTimeoutMs: 500,
    heartbeatMs: 150,
    pollIntervalMs: 50,
    slowPollIntervalMs: 200,
    serverErrorBackoffMs: 50,
    maxServerErrorBackoffMs: 200,
    serverErrorsBeforeReconnect: 3,
    maxResponseBytes: 64 * 1024,
    newCallId: () => nextIds.shift() ?? `unplanned-${randomBytes(4).toString('hex')}`,
    onConnector: (built) => (connector = built),
  };

  /** Dials through the connector as the desk does, again while it is not connected yet. */
  async function dial(id: string, number: string): Promise<void> {
    nextIds.push(id);
    while (!closed) {
      try {
        await connector?.execute({ type: 'call.dial', number });
        if (connector) return;
      } catch (error) {
        if (!/not connected yet|not connected/i.test((error as Error).message)) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  const account = (appSecret: string): RawAccount => ({
    id: 'huawei-rig',
    vendor: 'huawei',
    clickToDialUrl: simulator.facadeUrl,
    appKey: simulator.credentials.appKey,
    appSecret,
    userId: 'rig-agent',
    channelId: 'web-channel-1',
  });

  return {
    account: account(simulator.credentials.appSecret),
    wrongAccount: account(wrongSecret),
    acceptWrongSecret: () => simulator.acceptAppSecret(wrongSecret),
    connectorOptions: { backoff: { initialMs: 50, maxMs: 300, jitter: 0 }, tuning },
    authentications: () => simulator.tokensIssued,
    subscriptions: () => simulator.checkedTokens,
    endings: {
      'unknown-session': () => simulator.expireTokens(),
      'http-5xx': () => simulator.failWith(503),
      silence: () => simulator.silence(true),
      'tcp-reset': () => simulator.cutConnections(true),
    },
    restore() {
      simulator.failWith(undefined);
      simulator.silence(false);
      simulator.cutConnections(false);
      simulator.endNewSessions(false);
    },
    faults: {
      acceptThenEnd: () => simulator.endNewSessions(true),
      takeOver: {
        unsupported:
          'a CEC click-to-dial session is a channel token, and nothing public says what CEC does when another client applies for one for the same user and channel [I]; a token refused again right after a fresh one stops at failed (the supervisor’s second-401 rule)',
      },
      revokeCredentials: () => simulator.revokeCredentials(),
      hang: () => simulator.silence(true),
      busy: (retryAfterS) => simulator.failWith(503, retryAfterS),
      busySignIns: () =>
        simulator.requests.filter((r) => r.status === 503 && /\/(tokenByAkSk|applyToken)$/.test(r.path.split('?')[0] ?? '')).map((r) => r.at ?? 0),
    },
    noticeWithinMs: 5_000,
    raise(): RaisedEntity {
      if (current && simulator.callsInProgress() > 0) {
        simulator.connectCall();
        return { slice: 'calls', id: current };
      }
      raised += 1;
      const id = `rig-call-${raised}`;
      current = id;
      void dial(id, `+35840000${String(raised).padStart(4, '0')}`).catch(() => undefined);
      return { slice: 'calls', id };
    },
    sendMalformedFrame: () => simulator.corruptNextAnswers('malformed'),
    sendOversizedFrame: () => simulator.corruptNextAnswers('oversized'),
    serverPresence: () => undefined,
    async close() {
      closed = true;
      await simulator.close();
    },
  };
}

/** The answer of poll `i`. */
export function huaweiAnswer(i: number): Record<string, unknown> {
  switch (i % 10) {
    case 0:
      return { resultCode: '0', resultDesc: 'Call in queue' };
    case 3:
      return {
        resultCode: '0',
        resultDesc: 'Call connected',
        eventId: 168101,
        content: { domain: 'webrtc.cec.example.com', gwAddresses: ['10.1.2.3:443', '10.1.2.4:443'], accessCode: '9001', clickToCallCaller: String(358401000000 + Math.floor(i / 10)) },
      };
    case 9:
      return { resultCode: '0', resultDesc: 'Call disconnected', content: { causeId: 0, causeDesc: 'Normal call clearing' } };
    default:
      return { resultCode: '0', resultDesc: 'ClickToCall polled without any events' };
  }
}

export const huaweiBench: PlatformBench = {
  frames: (n, start = 0) => Array.from({ length: n }, (_, k) => JSON.stringify(huaweiAnswer(start + k))),
  parser(log) {
    let call: PlacedCall | undefined;
    let placed = 0;
    let out: ConnectorEvent[] = [];
    // One context for every frame, as the account state's is (state.ts): no closure made per poll.
    const context = { emit: (event: ConnectorEvent): void => void out.push(event), log };
    const { emit } = context;
    return (frame) => {
      out = [];
      if (!call) {
        placed += 1;
        call = { id: `ctd-${placed}`, number: `+35840${String(placed).padStart(7, '0')}`, media: 'voice', userData: { Media: 'Voice' } };
        emit({ type: 'call', call: placedPatch(call) });
      }
      // The exchange's reading of a 2xx answer (http.ts), then the client's schema (cec.ts).
      const text = String(frame);
      let body: unknown;
      if (text.trim() !== '') {
        try {
          body = JSON.parse(text);
        } catch {
          log.warn({ bytes: text.length }, "CEC's answer to getClickToCallEvents is not JSON");
          return out;
        }
      }
      const answer = eventsSchema.safeParse(body);
      if (!answer.success) {
        log.warn({ problem: answer.error.issues.map((issue) => issue.path.join('.')) }, "CEC's answer to getClickToCallEvents has an unexpected shape");
        return out;
      }
      if (foldEventsAnswer(answer.data, call, context).ended) call = undefined;
      return out;
    };
  },
  floor: (frame) => eventsSchema.safeParse(JSON.parse(String(frame))),
};

/** Huawei CEC's rig and bench stream, as `test/support/platform-testing.ts` finds them. */
export const testing: PlatformTesting = { startConformanceRig: startHuaweiConformanceRig, bench: { ...huaweiBench, fleet: startHuaweiFleet } };
