/**
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
 */
import { randomBytes } from 'node:crypto';
import type { ConformanceRig, RawAccount } from '../kit/platform.js';
import type { EnreachTuning } from './config.js';
import { presenceStateOf } from './normalize.js';
import { startEnreachSimulator } from './simulator/index.js';

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
