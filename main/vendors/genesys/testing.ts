/**
 * What the tests and the bench need of Genesys, and the app never does (ARCHITECTURE.md,
 * principle 10): its conformance rig and its bench stream. Only `test/` and `npm run bench` reach
 * this file (`test/support/platform-testing.ts` finds it by the platform's id).
 *
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
 *
 * The bench stream, for `npm run bench` and the fuzz tests (`PlatformBench` in `../kit/platform.ts`).
 *
 * The stream: CometD long-poll answers (a JSON array of Bayeux messages, one notification each) as
 * GWS sends them on `/v2/me/*` — chat traffic (four chats at a time, each offered, written in,
 * then completed), with, per twenty notifications, one call's life (ringing, established,
 * released) and a channel-state change of the agent.
 *
 * The parse path is the connector's: the size screen of the answer (`withoutOversized`), the JSON
 * parse CometD does, and each notification through the connector's own handler
 * (`notificationHandler`: validation, routing, the agent's presence and call tracking). The
 * floor: one `JSON.parse` and the notification's schema.
 */
import { randomBytes } from 'node:crypto';
import type { PresenceState } from '../../../common/model.js';
import type { ConnectorEvent } from '../../desk/events.js';
import type { RawAccount } from '../kit/platform.js';
import type { ConformanceRig, PlatformBench, PlatformTesting } from '../kit/testing.js';
import { withoutOversized } from './cometd-runtime.js';
import { DEFAULT_MAX_MESSAGE_BYTES, GENESYS_TOPICS } from './cometd.js';
import { DEFAULT_DISPOSITION_KEY, type GenesysAccount, type GenesysTuning } from './config.js';
import { notificationHandler } from './connector.js';
import { notificationSchemas } from './schema.js';
import { type GenesysAgentState, startGenesysSimulator } from './simulator/index.js';
import { startGenesysFleet } from './fleet.js';

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
  const account: RawAccount = {
    id: 'genesys-conformance',
    vendor: 'genesys',
    baseUrl: sim.baseUrl,
    user,
    password,
    channels: ['voice', 'chat'],
    dispositions: [{ code: 'SALE', label: 'Sale made' }],
  };
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
    callWork: {
      ring: () => sim.ringCall({ ani: `+35840${String(1_000_000 + ++raised)}`, dnis: '800' }),
      colleague: '5002',
      digitsReceived: (callId) => sim.call(callId)?.dtmf ?? '',
      // The simulator leaves the voice channel's AfterCallWork to the test.
      wrapUp: () => sim.setAgentState('AfterCallWork'),
      wrapUpReasonOf: (callId) => sim.call(callId)?.userData[DEFAULT_DISPOSITION_KEY],
    },
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

const T0 = 1_763_628_000_000;
/** Chats open at once, and how many frames a chat lives. */
const SLOTS = 4;
const CHAT_LIFE = 400;
/** The frames of every twenty that are not chat traffic: a call's life and the agent's channel state. */
const NOT_CHAT = new Set([1, 4, 9, 14]);

const customer = { nickname: 'Customer', type: 'Customer', participantId: 'C1' };
const agent = { nickname: 'Agent', type: 'Agent', participantId: 'A1' };

const isChatFrame = (i: number, slot: number): boolean => i % SLOTS === slot && !NOT_CHAT.has(i % 20);

/** The first and last chat frames of a slot's chat in a generation (a chat opens, then ends). */
function chatSpan(slot: number, generation: number): { first: number; last: number } {
  let first = generation * CHAT_LIFE;
  while (!isChatFrame(first, slot)) first += 1;
  let last = (generation + 1) * CHAT_LIFE - 1;
  while (!isChatFrame(last, slot)) last -= 1;
  return { first, last };
}

/**
 * The `{channel, data}` of notification `i`: per twenty, one call's life (ringing, established,
 * released) and the agent's channel state; the rest is chat traffic in four chats at a time, each
 * offered, written in by the customer for a while (about eighty lines), then completed.
 */
export function genesysNotification(i: number): { channel: string; data: Record<string, unknown> } {
  const call = `call-${Math.floor(i / 20)}`;
  const callResource = (state: string) => ({
    id: call,
    state,
    callType: 'Inbound',
    ani: '+14155550142',
    dnis: '8005550199',
    capabilities: state === 'Ringing' ? ['Answer'] : state === 'Established' ? ['Hangup', 'Hold'] : [],
    userData: { Account: `ACC-${i}` },
  });
  switch (i % 20) {
    case 1:
      return { channel: '/v2/me/calls', data: { messageType: 'CallStateChangeMessage', notificationType: 'StatusChange', call: callResource('Ringing') } };
    case 4:
      return { channel: '/v2/me/calls', data: { messageType: 'CallStateChangeMessage', notificationType: 'StatusChange', call: callResource('Established') } };
    case 9:
      return { channel: '/v2/me/calls', data: { messageType: 'CallStateChangeMessage', notificationType: 'StatusChange', call: callResource('Released') } };
    case 14:
      return {
        channel: '/v2/me/channels',
        data: { messageType: 'ChannelStateChangeMessageV2', notificationType: 'StateChange', channels: [{ channel: 'chat', userState: { state: i % 40 === 14 ? 'Ready' : 'NotReady', reason: 'Lunch' } }] },
      };
    default:
      break;
  }
  const slot = i % SLOTS;
  const generation = Math.floor(i / CHAT_LIFE);
  const chat = `0000Wa9CAM6W${String(generation).padStart(5, '0')}${slot}`;
  const { first, last } = chatSpan(slot, generation);
  if (i === first || i === last) {
    const state = i === first ? 'Chatting' : 'Completed';
    const capabilities = i === first ? ['SendMessage', 'Complete'] : [];
    return {
      channel: '/v2/me/chats',
      data: { messageType: 'ChatStateChangeMessage', notificationType: 'StatusChange', chat: { id: chat, state, capabilities, participants: [customer, agent], userData: { Topic: 'Billing' } } },
    };
  }
  return {
    channel: '/v2/me/chats',
    data: {
      messageType: 'MessageLogUpdated',
      notificationType: 'NewMessages',
      chatUri: `http://gws.example.com/api/v2/chats/${chat}`,
      messages: [{ index: Math.floor((i - first) / SLOTS) + 1, from: customer, text: `line ${i}`, visibility: 'All', type: 'Text', timestampSeconds: T0 + i }],
    },
  };
}

/** A long-poll answer carrying `messages`, as GWS writes it. */
export function longPollText(messages: unknown[]): string {
  return JSON.stringify(messages);
}

const ACCOUNT = { id: 'bench', vendor: 'genesys', enabled: true, baseUrl: 'http://127.0.0.1:1', user: 'agent', channels: ['voice', 'chat'] } as unknown as GenesysAccount;
const TOPICS = new Set<string>(GENESYS_TOPICS);

export const genesysBench: PlatformBench = {
  frames: (n, start = 0) => Array.from({ length: n }, (_, k) => longPollText([{ ...genesysNotification(start + k), id: String(start + k + 10) }])),
  parser(log) {
    let out: ConnectorEvent[] = [];
    const notify = notificationHandler(ACCOUNT, { emit: (event) => out.push(event), log });
    // One limit for the client's life, as the connector's CometD transport holds it (`this.limit`).
    const limit = {
      bytes: DEFAULT_MAX_MESSAGE_BYTES,
      onOversized: ({ channel, bytes }: { channel: string; bytes: number }) => log.warn({ topic: channel, bytes }, 'dropped an oversized Genesys notification'),
    };
    return (frame) => {
      out = [];
      const text = withoutOversized(String(frame), limit);
      // What CometD does with an answer: parse it, and hand each message to its channel's listeners.
      let messages: unknown;
      try {
        messages = JSON.parse(text);
      } catch {
        log.warn({ bytes: text.length }, 'a Genesys long-poll answer is not JSON');
        return out;
      }
      for (const message of Array.isArray(messages) ? messages : [messages]) {
        const channel = typeof message === 'object' && message !== null ? (message as { channel?: unknown }).channel : undefined;
        if (typeof channel === 'string' && TOPICS.has(channel)) notify(channel, (message as { data?: unknown }).data);
      }
      return out;
    };
  },
  floor(frame) {
    const [message] = JSON.parse(String(frame)) as Array<{ data: { messageType: keyof typeof notificationSchemas } }>;
    return notificationSchemas[message!.data.messageType].safeParse(message!.data);
  },
};

/** Genesys's rig and bench stream, as `test/support/platform-testing.ts` finds them. */
export const testing: PlatformTesting = { startConformanceRig: startGenesysConformanceRig, bench: { ...genesysBench, fleet: startGenesysFleet } };
