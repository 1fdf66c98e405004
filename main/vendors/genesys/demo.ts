/**
 * Demo mode for Genesys: the simulator on loopback plus a scripted working day — chats with
 * customers arrive (customers write several lines, some wait for the agent's reply, chats end),
 * calls ring now and then (the caller gives up if nobody answers, answered calls end after a
 * while, followed by a short after-call work), and the agent's state changes. Call work plays as on
 * the server: a colleague the agent consults answers at once (the simulator), so a consultation can
 * be completed as a transfer or a conference of three; a caller does not hang up while held for a
 * consultation; the account offers wrap-up reasons (dispositions) for the after-call work.
 *
 * The desk connects to it through the real connector and the real protocol; nothing here talks
 * to the desk directly.
 */
import type { DemoOptions } from '../kit/platform.js';
import { DemoSchedule } from '../kit/simulator.js';
import { genesysAccountSchema, type GenesysAccount } from './config.js';
import { startGenesysSimulator, type GenesysOperation, type GenesysSimulator } from './simulator/index.js';

/** Options of {@link startGenesysDemo}. Chats arrive a little more often than calls. */
export type GenesysDemoOptions = DemoOptions;

/** A running Genesys demo: the account to connect with, its password (the simulator's own), the simulator. */
export interface GenesysDemo {
  account: GenesysAccount;
  secrets: { password: string };
  simulator: GenesysSimulator;
  /** Clears every timer of the script and closes the simulator (idempotent). */
  stop(): Promise<void>;
}

const CUSTOMERS = ['Maija Meikäläinen', 'Jonas Berg', 'Priya Raman', 'Tom Fischer', 'Ana Souza', 'Kenji Sato', 'Lea Novak'];

/** Each conversation: the opening lines, then what the customer answers to each agent reply. */
const CONVERSATIONS: Array<{ opening: string[]; replies: string[]; waitsForReply: boolean }> = [
  {
    opening: ['Hello, my parcel is late', 'Order 4471, it was due on Monday'],
    replies: ['Thanks! Any idea when it will arrive?', 'Great, thank you for your help.'],
    waitsForReply: true,
  },
  {
    opening: ['Hi', 'I cannot log in to my account', 'It says my password expired'],
    replies: ['I did not get the reset e-mail yet', 'Got it now, it works. Thanks!'],
    waitsForReply: true,
  },
  {
    opening: ['Do you ship to Norway?'],
    replies: ['And how long does it take?', 'Perfect, thanks.'],
    waitsForReply: true,
  },
  {
    opening: ['Just wanted to say the new app is great', 'That is all, have a nice day!'],
    replies: ['😊'],
    waitsForReply: false,
  },
];

const CALLERS = ['+358401234567', '+4420794600', '+4930123456', '+15551234567', '+46701234567'];

/** The demo account's wrap-up reasons (a Genesys site configures its own). */
const DISPOSITIONS = [
  { code: 'SALE', label: 'Sale made' },
  { code: 'INFO', label: 'Information given' },
  { code: 'COMPLAINT', label: 'Complaint' },
  { code: 'CALLBACK', label: 'Callback booked' },
  { code: 'NOSALE', label: 'No sale' },
];

/**
 * Starts the simulator and its scripted day.
 * @throws if the simulator cannot listen on loopback.
 */
export async function startGenesysDemo(options: GenesysDemoOptions): Promise<GenesysDemo> {
  const { log } = options;
  const interval = Math.max(1_000, options.intervalMs ?? 30_000);
  const simulator = await startGenesysSimulator({ user: 'demo.agent', agentName: 'Alex', log });
  let round = 0;

  const schedule = new DemoSchedule(log, options.seed ?? 20261122, { silent: options.silent });
  const jitter = (ms: number): number => schedule.jitter(ms);
  const after = (ms: number, step: () => void): void => schedule.after(ms, step);

  /** Per chat: which conversation, and how many agent replies were answered. */
  const chats = new Map<string, { script: (typeof CONVERSATIONS)[number]; answered: number }>();
  /** Calls waiting to be answered. */
  const ringing = new Set<string>();

  function offerChat(): void {
    const script = CONVERSATIONS[round % CONVERSATIONS.length]!;
    const customer = CUSTOMERS[round % CUSTOMERS.length]!;
    round += 1;
    const [first, ...rest] = script.opening;
    const chatId = simulator.offerChat({ customer, text: first, userData: { Origin: 'Web shop', Language: 'en' } });
    chats.set(chatId, { script, answered: 0 });
    rest.forEach((line, i) => after(jitter(2_500) * (i + 1), () => simulator.openChats().includes(chatId) && simulator.customerWrites(chatId, line)));
    // Customers who do not wait leave by themselves; everybody gives up after a while.
    after(script.waitsForReply ? jitter(interval * 4) : jitter(interval), () => {
      if (simulator.openChats().includes(chatId)) simulator.endChat(chatId);
      chats.delete(chatId);
    });
    after(jitter(interval * 0.8), offerChat);
  }

  function ringCall(): void {
    // The ACD offers the agent one call at a time: the next one waits while one rings.
    if (ringing.size > 0) {
      after(jitter(interval), ringCall);
      return;
    }
    const ani = schedule.pick(CALLERS);
    const callId = simulator.ringCall({ ani, dnis: '800 100 200', userData: { Queue: 'Sales', CustomerTier: 'Gold' } });
    ringing.add(callId);
    after(jitter(20_000), () => {
      // Nobody answered: the caller gives up.
      if (ringing.delete(callId)) simulator.releaseCall(callId);
    });
    after(jitter(interval), ringCall);
  }

  const unsubscribe = simulator.onOperation((op: GenesysOperation) => {
    const chatMatch = /^\/api\/v2\/me\/chats\/([^/]+)$/.exec(op.path);
    if (chatMatch && op.operationName === 'SendMessage') {
      const chatId = decodeURIComponent(chatMatch[1]!);
      const chat = chats.get(chatId);
      if (!chat) return;
      const reply = chat.script.replies[chat.answered];
      chat.answered += 1;
      if (reply) after(jitter(3_000), () => simulator.openChats().includes(chatId) && simulator.customerWrites(chatId, reply));
      else after(jitter(4_000), () => simulator.endChat(chatId));
      return;
    }
    const callMatch = /^\/api\/v2\/me\/calls\/([^/]+)$/.exec(op.path);
    if (callMatch && op.operationName === 'Answer') {
      const callId = decodeURIComponent(callMatch[1]!);
      ringing.delete(callId);
      // The caller hangs up after a while (not while on hold for a consultation), then a short after-call work.
      after(jitter(25_000), function hangUp() {
        if (!simulator.openCalls().includes(callId)) return;
        if (simulator.call(callId)?.consulting) return after(jitter(10_000), hangUp);
        simulator.releaseCall(callId);
        after(500, () => simulator.setAgentState('AfterCallWork'));
        after(jitter(12_000), () => simulator.setAgentState('Ready'));
      });
    }
  });

  // The day begins: the supervisor makes the agent ready shortly after login, work arrives.
  after(3_000, () => {
    if (simulator.agentState.loggedIn) simulator.setAgentState('Ready');
  });
  after(jitter(Math.min(interval, 6_000)), offerChat);
  after(jitter(Math.min(interval, 12_000)), ringCall);
  after(jitter(interval * 5), function breakTime() {
    if (simulator.agentState.loggedIn && simulator.openCalls().length === 0) {
      simulator.setAgentState('NotReady', 'Coffee');
      after(jitter(15_000), () => simulator.setAgentState('Ready'));
    }
    after(jitter(interval * 5), breakTime);
  });

  const account = genesysAccountSchema.parse({
    id: 'genesys-demo',
    vendor: 'genesys',
    label: 'Genesys (demo)',
    baseUrl: simulator.baseUrl,
    user: simulator.credentials.user,
    password: simulator.credentials.password,
    channels: ['voice', 'chat'],
    dispositions: DISPOSITIONS,
  });

  return {
    account,
    secrets: { password: simulator.credentials.password },
    simulator,
    async stop() {
      if (!schedule.stop()) return;
      unsubscribe();
      await simulator.close();
    },
  };
}
