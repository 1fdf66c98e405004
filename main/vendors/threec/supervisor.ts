/**
 * The 3C part of the supervisor's floor (`--demo supervisor`, the bench's supervisor desk): an
 * account watching 5 000 colleagues' terminals for busy lamps — ten `startMonitoringTerminals`
 * requests of 500, the document's limit per request ("Start Monitoring Terminals") [C] — and their
 * presence. At a steady rate a colleague's call starts or ends on their terminal (a busy lamp
 * lights or goes out) or their presence changes; now and then a call rings on the supervisor's own
 * terminal and rings out after a few seconds.
 *
 * Scale from issue 21 ("busy lamps on 5,000 terminals is an ordinary floor") [I].
 */
import type { SupervisorDemo, SupervisorDemoOptions } from '../kit/platform.js';
import { PacedStream } from '../kit/paced.js';
import { DemoSchedule } from '../kit/simulator.js';
import { startThreecSimulator, type SimColleague } from './simulator/index.js';

/** Colleagues watched, each with one terminal. */
export const SUPERVISOR_TERMINALS = 5_000;

const PRESENCES: ReadonlyArray<[string, string]> = [
  ['Available', ''],
  ['Busy', 'In a meeting'],
  ['Away', 'Lunch'],
  ['DoNotDisturb', ''],
];
const CALLERS = ['+358401234501', '+358407654302', '+358501112203', '+46701234505'];

/** The 5 000 watched colleagues: `colleague.0001@floor.example` … at extensions 30001 …. */
export function supervisorColleagues(): SimColleague[] {
  return Array.from({ length: SUPERVISOR_TERMINALS }, (_, i) => ({
    username: `colleague.${String(i + 1).padStart(4, '0')}@floor.example`,
    terminal: { addressvalue: String(30_001 + i), addresstype: 'ext' },
    presence: i % 5 === 4 ? 'Busy' : 'Available',
  }));
}

/**
 * Starts the 3C simulator with the 5 000 watched colleagues and their steady changes.
 * @throws when the simulator cannot listen on loopback.
 */
export async function startThreecSupervisorDemo(options: SupervisorDemoOptions): Promise<SupervisorDemo> {
  const { log } = options;
  const colleagues = supervisorColleagues();
  const simulator = await startThreecSimulator({ username: 'sam.supervisor@floor.example', colleagues, log: log.child({ simulator: 'threec' }) });
  const schedule = new DemoSchedule(log, options.seed ?? 20261205);
  const random = schedule.random;
  /** The live call on each colleague's terminal, by colleague index. */
  const calls = new Map<number, string>();
  const stream = new PacedStream(
    options.eventsPerSec,
    (n) => {
      for (let i = 0; i < n; i++) {
        const index = Math.floor(random() * colleagues.length);
        const colleague = colleagues[index]!;
        const call = calls.get(index);
        if (call !== undefined) {
          calls.delete(index);
          simulator.hangupCall(call);
        } else if (random() < 0.6) {
          calls.set(index, simulator.colleagueCall(colleague.username, { caller: schedule.pick(CALLERS) }));
        } else {
          const [presence, note] = schedule.pick(PRESENCES);
          simulator.setPresence(colleague.username, presence, note);
        }
      }
    },
    log,
  );
  const ringEvery = Math.max(1_000, options.ringEveryMs ?? 20_000);
  const ring = (): void => {
    const id = simulator.ringCall({ caller: schedule.pick(CALLERS) });
    schedule.after(4_000, () => simulator.hangupCall(id));
    schedule.after(schedule.jitter(ringEvery), ring);
  };
  schedule.after(schedule.jitter(ringEvery), ring);
  simulator.setPresence(simulator.credentials.username, 'Available');
  const { serveruri, username, password } = simulator.credentials;
  return {
    account: {
      id: 'threec-supervisor',
      vendor: 'threec',
      linkUrl: simulator.linkUrl,
      serveruri,
      username,
      password,
      terminals: simulator.terminals.map((t) => t.addressvalue).join(', '),
      colleagueTerminals: colleagues.map((c) => ({ username: c.username, ...c.terminal })),
    },
    setRate: (eventsPerSec) => stream.setRate(eventsPerSec),
    get sent() {
      return stream.sent;
    },
    members: colleagues.length,
    async stop() {
      stream.stop();
      schedule.stop();
      await simulator.close();
    },
  };
}
