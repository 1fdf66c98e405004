/**
 * The Genesys conformance rig: the simulator (./simulator/) driven in the desk's words for the
 * conformance suite (`test/conformance/`), see `ConformanceRig` in `../kit/platform.ts`.
 *
 * How each control maps (VENDOR-NOTES.md, Genesys — "Auth", "Server-ended sessions" [C]):
 * - authentications: Basic-auth logins that created an HTTP session (`JSESSIONID`);
 * - subscriptions: CometD sessions that subscribed to all four `/v2/me/*` topics;
 * - endings: `close` — a `/meta/connect` answered with `advice.reconnect: "none"`; `end-of-session`
 *   — a server-side `/meta/disconnect`; `unknown-session` — the server forgets the Bayeux client and
 *   the HTTP session (`402::Unknown client`); `http-5xx` — the notifications endpoint answers 503;
 *   `tcp-reset` — the long-poll sockets are destroyed; `silence` — long polls are held, never
 *   answered; the last two lasting ones until `restore()`;
 * - raise: a chat offered to the agent (the connector re-reads chats and transcripts after a reconnect);
 * - malformed frame: a `CallStateChangeMessage` whose call has no id and a numeric state;
 * - oversized frame: a `MessageLogUpdated` of 2 MiB, twice the connector's default cap (1 MiB, [I]);
 * - server presence: the agent's channel states, mapped here on their own (not with the
 *   connector's mapping, which the suite checks);
 * - clean stops: `EndContactCenterSession` operations received;
 * - fleet faults: accept-then-end — a `/meta/disconnect` to every CometD session as soon as it
 *   subscribed; a takeover — the agent logged out of the contact center (as when another place logs
 *   in as this agent [I]) and the notification session ended; taken back = a
 *   `StartContactCenterSession` since; revoked credentials — every password refused, HTTP and CometD
 *   sessions forgotten; a hang — no request answered; busy — every request answered 503 with
 *   `Retry-After`, its refused sign-ins the `GET /api/v2/me?subresources=*` that opens each connection.
 */
import { randomBytes } from 'node:crypto';
import type { PresenceState } from '../../../common/model.js';
import type { ConformanceRig, RawAccount } from '../kit/platform.js';
import type { GenesysTuning } from './connector.js';
import { startGenesysSimulator, type GenesysAgentState } from './simulator/index.js';

/** The simulator's long-poll hold time in the rig, ms. */
const LONG_POLL_MS = 1_000;
/** How late a long-poll reply may be before the connector gives the session up, ms. */
const MAX_NETWORK_DELAY_MS = 1_000;
/** Size of the oversized frame's chat line: 2 MiB. */
const OVERSIZED_BYTES = 2 * 1_048_576;

/**
 * Starts the simulator with random, long, unique credentials, and maps the suite's controls to it.
 * @throws if the simulator cannot listen on loopback.
 */
export async function startGenesysConformanceRig(): Promise<ConformanceRig> {
  const user = `agent-${randomBytes(4).toString('hex')}`;
  const password = randomBytes(24).toString('base64url');
  const wrongPassword = randomBytes(24).toString('base64url');
  const sim = await startGenesysSimulator({ user, password, longPollTimeoutMs: LONG_POLL_MS, operationDelayMs: 5 });
  const tuning: GenesysTuning = { requestTimeoutMs: 5_000, cometd: { maxNetworkDelayMs: MAX_NETWORK_DELAY_MS, openTimeoutMs: 5_000 } };
  const account: RawAccount = { id: 'genesys-conformance', vendor: 'genesys', baseUrl: sim.baseUrl, user, password, channels: ['voice', 'chat'] };
  let raised = 0;

  return {
    account,
    wrongAccount: { ...account, id: 'genesys-conformance-wrong', password: wrongPassword },
    acceptWrongSecret: () => sim.acceptPassword(wrongPassword),
    connectorOptions: { backoff: { initialMs: 50, maxMs: 300, jitter: 0 }, tuning },
    authentications: () => sim.authentications,
    subscriptions: () => sim.subscriptions,
    endings: {
      close: () => sim.refuseReconnect(),
      'end-of-session': () => sim.disconnectClients(),
      'unknown-session': () => sim.expireHttpSessions(),
      'http-5xx': () => sim.failNotifications(503),
      'tcp-reset': () => sim.resetNotificationSockets(),
      silence: () => sim.silenceNotifications(true),
    },
    restore() {
      sim.failNotifications(undefined);
      sim.silenceNotifications(false);
      sim.endSessionsOnceSubscribed(false);
      sim.busy(undefined);
      sim.hang(false);
    },
    faults: {
      acceptThenEnd: () => sim.endSessionsOnceSubscribed(true),
      takeOver() {
        const started = sim.contactCenterSessions;
        sim.logAgentOut();
        sim.disconnectClients();
        return { takenBack: () => sim.contactCenterSessions > started };
      },
      revokeCredentials: () => sim.revokeCredentials(),
      hang: () => sim.hang(true),
      busy: (retryAfterS) => sim.busy(retryAfterS),
      busySignIns: () => sim.requests.filter((r) => r.status === 503 && r.method === 'GET' && r.path.startsWith('/api/v2/me?')).map((r) => r.at ?? 0),
    },
    // The slowest ending to notice is silence: a poll held for the long-poll timeout, then the
    // client's maxNetworkDelay; plus a margin for a loaded machine.
    noticeWithinMs: LONG_POLL_MS + MAX_NETWORK_DELAY_MS + 2_000,
    raise() {
      raised += 1;
      return { slice: 'chats', id: sim.offerChat({ customer: `Conformance customer ${raised}`, text: `Hello (${raised})` }) };
    },
    sendMalformedFrame() {
      sim.publishRaw('/v2/me/calls', { messageType: 'CallStateChangeMessage', notificationType: 'StatusChange', call: { state: 42 } });
    },
    sendOversizedFrame() {
      sim.publishRaw('/v2/me/chats', {
        messageType: 'MessageLogUpdated',
        notificationType: 'NewMessages',
        messages: [{ index: 1, type: 'Text', visibility: 'All', text: 'x'.repeat(OVERSIZED_BYTES), timestampSeconds: Date.now() }],
        chatUri: `${sim.baseUrl}/api/v2/chats/oversized-${randomBytes(4).toString('hex')}`,
      });
    },
    serverPresence: () => presenceOfAgent(sim.agentState),
    cleanStops: () => sim.operations.filter((o) => o.operationName === 'EndContactCenterSession').length,
    close: () => sim.close(),
  };
}

/** The simulator's agent state in desk terms: logged out → offline; least available channel wins. */
function presenceOfAgent(agent: GenesysAgentState): PresenceState | undefined {
  if (!agent.loggedIn) return 'offline';
  if (agent.doNotDisturb) return 'do-not-disturb';
  const states = Object.values(agent.channels).map((c) => c.state);
  if (states.includes('AfterCallWork')) return 'wrap-up';
  if (states.includes('NotReady')) return 'not-ready';
  if (states.length > 0 && states.every((s) => s === 'Ready')) return 'ready';
  return undefined;
}
