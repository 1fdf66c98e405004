/**
 * The conformance rig (`test/conformance/`): the simulator, and its controls in the desk's words.
 * Session endings this protocol allows: `close` (FIN), `end-of-session` (the transport's own `error`
 * then close [I]), `unknown-session` (the server forgets the session resource and says so with a
 * `resourceError`; binding it again fails, so a new one is prepared), `tcp-reset`, `silence` (no
 * pong: two missed pongs end the connection). `http-5xx` does not apply to a socket.
 *
 * Fleet faults: accept-then-end — the socket closed as soon as the desk's connection is complete; a
 * takeover — another desktop prepares the agent's session (`override`), the desk's resource gets a
 * `resourceError`; taken back = a `prepareSession` with `override: true` since; revoked credentials —
 * the password refused and the session resource forgotten; a hang — nothing answered, new
 * connections included. A busy server has no way to say "try later" on this protocol (below).
 */
import { randomBytes } from 'node:crypto';
import type { PresenceState } from '../../../common/model.js';
import type { ConformanceRig } from '../kit/platform.js';
import type { OpenMethodsTuning } from './config.js';
import { startOpenMethodsSimulator } from './simulator/index.js';

/** The rig's heartbeat: a ping every 100 ms (two missed pongs = 200–300 ms to notice silence). */
const TUNING: OpenMethodsTuning = { pingIntervalMs: 100, requestTimeoutMs: 1_500 };

/** The desk presence of the simulated agent's UCCX state (RESERVED: the agent was ready). */
function presenceOf(state: string): PresenceState | undefined {
  switch (state) {
    case 'READY':
    case 'RESERVED':
      return 'ready';
    case 'NOT_READY':
      return 'not-ready';
    case 'WORK':
    case 'WORK_READY':
      return 'wrap-up';
    case 'LOGOUT':
      return 'offline';
    default:
      return undefined;
  }
}

/** Starts the simulator for the conformance suite. @throws when it cannot listen. */
export async function startOpenMethodsRig(): Promise<ConformanceRig> {
  const sim = await startOpenMethodsSimulator({ agent: { password: `uccx-ok-${randomBytes(18).toString('hex')}` } });
  const wrongPassword = `uccx-wrong-${randomBytes(18).toString('hex')}`;
  const account = { id: 'openmethods-rig', vendor: 'openmethods', serverUrl: sim.url, agentId: sim.credentials.agentId, password: sim.credentials.password };
  let calls = 0;
  return {
    account,
    wrongAccount: { ...account, password: wrongPassword },
    acceptWrongSecret: () => sim.acceptPassword(wrongPassword),
    connectorOptions: { backoff: { initialMs: 50, maxMs: 500, jitter: 0 }, tuning: TUNING },
    authentications: () => sim.registrations(),
    subscriptions: () => sim.bindings(),
    endings: {
      close: () => sim.closeConnections(),
      'end-of-session': () => sim.endSessions(),
      'unknown-session': () => sim.forgetSessions(),
      'tcp-reset': () => sim.resetConnections(),
      silence: () => sim.setSilent(true),
    },
    restore() {
      sim.setSilent(false);
      sim.endNewSessions(false);
    },
    faults: {
      acceptThenEnd: () => sim.endNewSessions(true),
      takeOver() {
        const before = sim.overrides();
        sim.startOtherSession();
        return { takenBack: () => sim.overrides() > before };
      },
      revokeCredentials: () => sim.revokeCredentials(),
      hang: () => sim.setSilent(true),
      busy: {
        unsupported:
          'the Socket Transport has no HTTP status or Retry-After, and no public source gives HIS a "try later" error (VENDOR-NOTES, OpenMethods — wire contract [I])',
      },
      busySignIns: () => [],
    },
    noticeWithinMs: 3 * TUNING.pingIntervalMs! + 2_000,
    raise() {
      calls += 1;
      const id = sim.center.ring({ ani: `+1415555${String(1000 + calls)}`, dnis: '8005550199', callVariables: { Account: `ACC-${calls}` } });
      return { slice: 'calls', id };
    },
    sendMalformedFrame: () => sim.sendMalformedFrame(),
    sendOversizedFrame: () => sim.sendOversizedFrame(),
    // A body over 1 MiB is a protocol error on the framed socket (VENDOR-NOTES, wire contract [I]).
    oversizedFrame: 'reconnects',
    serverPresence: () => presenceOf(sim.center.agentState.state),
    cleanStops: () => sim.cleanStops(),
    close: () => sim.close(),
  };
}
