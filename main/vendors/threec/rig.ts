/**
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
 */
import { randomBytes } from 'node:crypto';
import type { ConformanceRig, RawAccount } from '../kit/platform.js';
import type { ThreecTuning } from './config.js';
import { presenceState } from './normalize.js';
import { startThreecSimulator } from './simulator/index.js';

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
    sendMalformedFrame: () => simulator.sendRaw(JSON.stringify({ type: 'event', event: 'presenceChanged', timestamp: new Date().toISOString(), properties: { user: 42 } })),
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
