/**
 * Genesys for `npm run bench` and the fuzz tests (`PlatformBench` in `../kit/platform.ts`).
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
import type { ConnectorEvent } from '../../desk/events.js';
import type { PlatformBench } from '../kit/platform.js';
import { DEFAULT_MAX_MESSAGE_BYTES, GENESYS_TOPICS } from './cometd.js';
import { withoutOversized } from './cometd-runtime.js';
import type { GenesysAccount } from './config.js';
import { notificationHandler } from './connector.js';
import { notificationSchemas } from './schema.js';

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
    return (frame) => {
      out = [];
      const text = withoutOversized(String(frame), {
        bytes: DEFAULT_MAX_MESSAGE_BYTES,
        onOversized: ({ channel, bytes }) => log.warn({ topic: channel, bytes }, 'dropped an oversized Genesys notification'),
      });
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
