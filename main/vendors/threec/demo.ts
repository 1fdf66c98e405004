/**
 * The 3C part of demo mode: the adapter-link simulator on loopback and a scripted day through it,
 * so the app speaks the real wire contract to something lively.
 *
 * The day, one "tick" about every `intervalMs` (default 30 s, 60–140 %):
 * - two or three of the twelve watched colleagues change presence (with a note now and then);
 * - a colleague's phone rings and is busy for a while (their busy lamp);
 * - a call rings on the agent's terminal unless one is on; after ~15 % of a tick it is answered
 *   (3 in 4) or missed; answered calls are sometimes held, and hang up after ~60 % of a tick;
 * - every other tick a colleague writes an IM, sometimes with a follow-up line;
 * - now and then the agent's own presence changes in 3C (Away for a coffee, then Available).
 * Randomness comes from the kit's seeded {@link DemoSchedule}, so a demo day is repeatable.
 */
import { DemoSchedule } from '../kit/simulator.js';
import type { DemoOptions, PlatformDemo } from '../kit/platform.js';
import { startThreecSimulator, type SimColleague, type ThreecSimulator } from './simulator/index.js';

/** A running demo: the platform demo plus its simulator (tests drive it). */
export interface ThreecDemo extends PlatformDemo {
  simulator: ThreecSimulator;
}

const NAMES = [
  'maria.virtanen',
  'juha.korhonen',
  'sofia.lindqvist',
  'olli.nieminen',
  'emma.berg',
  'antti.makela',
  'laura.hamalainen',
  'mikko.laine',
  'aino.heikkinen',
  'pekka.koskinen',
  'sara.jarvinen',
  'ville.lehtonen',
];
const PRESENCES: Array<[string, string]> = [
  ['Available', ''],
  ['Available', ''],
  ['Busy', 'In a meeting'],
  ['Busy', ''],
  ['Away', 'Lunch'],
  ['Away', ''],
  ['DoNotDisturb', 'Focus time'],
  ['Offline', ''],
];
const LINES = [
  'Can you take the Virtanen call when it comes in?',
  'Quick one: is the queue busy on your side?',
  'Thanks for covering earlier!',
  'Do you have the new price list?',
  'Team meeting moved to 14:30.',
  'Could you call me back when you are free?',
];
const FOLLOW_UPS = ['No rush.', 'It is about the invoice.', 'Thanks!'];
const CALLERS = ['+358401234501', '+358407654302', '+358501112203', '+46701234505', '+358453334406'];

/**
 * Starts the simulator and its scripted day.
 * @throws when the simulator cannot listen on loopback.
 */
export async function startThreecDemo(options: DemoOptions): Promise<ThreecDemo> {
  const { log } = options;
  const interval = Math.max(50, options.intervalMs ?? 30_000);
  const schedule = new DemoSchedule(log, options.seed ?? 20261121, { silent: options.silent });
  const random = schedule.random;
  const pick = <T>(items: readonly T[]): T => schedule.pick(items);
  const colleagues: SimColleague[] = NAMES.map((name, i) => ({
    username: `${name}@demo.example`,
    terminal: { addressvalue: String(2001 + i), addresstype: 'ext' },
    presence: i % 4 === 3 ? 'Busy' : i % 5 === 4 ? 'Away' : 'Available',
  }));
  const simulator = await startThreecSimulator({ username: 'alex.agent@demo.example', colleagues, log: log.child({ simulator: 'threec' }) });
  const me = simulator.credentials.username;
  const later = (ms: number, step: () => void): void => schedule.after(ms, step);
  let activeCall: string | undefined;
  const busyColleagues = new Set<string>();
  let tick = 0;

  function playPresence(): void {
    const count = 2 + Math.floor(random() * 2);
    for (let i = 0; i < count; i++) {
      const [presence, note] = pick(PRESENCES);
      simulator.setPresence(pick(colleagues).username, presence, note);
    }
  }

  function playColleagueCall(): void {
    const free = colleagues.filter((c) => !busyColleagues.has(c.username) && simulator.presenceOf(c.username)?.presence !== 'Offline');
    if (free.length === 0) return;
    const colleague = pick(free);
    const callId = simulator.colleagueCall(colleague.username, { caller: pick(CALLERS) });
    busyColleagues.add(colleague.username);
    later(interval * (0.4 + random() * 0.8), () => {
      busyColleagues.delete(colleague.username);
      simulator.hangupCall(callId);
    });
  }

  function playCall(): void {
    if (activeCall || random() < 0.3) return;
    const callId = simulator.ringCall({ caller: pick(CALLERS) });
    activeCall = callId;
    later(interval * 0.15, () => {
      if (random() < 0.25) {
        simulator.hangupCall(callId);
        activeCall = undefined;
        return;
      }
      simulator.answerCall(callId);
      if (random() < 0.35) {
        later(interval * 0.15, () => simulator.holdCall(callId));
        later(interval * 0.27, () => simulator.answerCall(callId));
      }
      later(interval * 0.45, () => {
        simulator.hangupCall(callId);
        activeCall = undefined;
      });
    });
  }

  function playIm(): void {
    if (tick % 2 !== 1) return;
    const from = pick(colleagues).username;
    simulator.sendIm(from, pick(LINES));
    if (random() < 0.4) later(interval * 0.1, () => simulator.sendIm(from, pick(FOLLOW_UPS)));
  }

  function playOwnPresence(): void {
    if (tick % 6 === 4 && !activeCall) {
      simulator.setPresence(me, 'Away', 'Coffee');
      later(interval * 0.8, () => simulator.setPresence(me, 'Available'));
    }
  }

  function onTick(): void {
    tick += 1;
    playPresence();
    playColleagueCall();
    playCall();
    playIm();
    playOwnPresence();
    later(schedule.jitter(interval), onTick);
  }

  // The morning: the agent is available; a colleague says hello; then the day begins.
  simulator.setPresence(me, 'Available');
  later(Math.min(interval * 0.2, 4_000), () => simulator.sendIm(colleagues[0]!.username, 'Good morning! Busy day ahead.'));
  later(Math.min(interval * 0.3, 5_000), onTick);

  const { serveruri, username, password } = simulator.credentials;
  return {
    simulator,
    account: {
      id: 'threec-demo',
      vendor: 'threec',
      linkUrl: simulator.linkUrl,
      serveruri,
      username,
      password,
      terminals: simulator.terminals.map((t) => t.addressvalue).join(', '),
      colleagues: colleagues.map((c) => c.username).join(', '),
      colleagueTerminals: colleagues.map((c) => `${c.username} = ${c.terminal.addressvalue}`).join(', '),
    },
    async stop() {
      schedule.stop();
      await simulator.close();
    },
  };
}
