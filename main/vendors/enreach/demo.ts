/**
 * The Enreach part of demo mode: the simulator on loopback, plus a scripted contact-center day
 * played through it, so the app talks the real Enreach protocols to something lively.
 *
 * The day, one "tick" about every `intervalMs` (default 30 s, ±30 %):
 * - a call rings (mostly through a service queue, sometimes direct) unless the agent is on a call
 *   or in DoNotDisturb/OffWork; after ~15 % of a tick it is answered (3 in 4) or missed;
 *   an answered call is sometimes held and retrieved, hangs up after ~60 % of a tick, and is
 *   followed by wrap-up every other time;
 * - queue figures drift; callback requests are created and, later, closed;
 * - now and then the availability changes "elsewhere" (BRB for a while, then Available again).
 * Randomness is seeded, so a demo day is repeatable.
 */
import type { DemoOptions } from '../kit/platform.js';
import { DemoSchedule } from '../kit/simulator.js';
import { enreachAccountSchema, type EnreachAccount } from './config.js';
import { startEnreachSimulator, type EnreachSimulator } from './simulator/index.js';

/** Options of {@link startEnreachDemo} (seed default 20261120). */
export type EnreachDemoOptions = DemoOptions;

/** A running Enreach demo: the account to connect with, its secret (written inline), the simulator. */
export interface EnreachDemo {
  account: EnreachAccount;
  secrets: { secretKey: string };
  simulator: EnreachSimulator;
  /** Clears every timer of the script and closes the simulator. */
  stop(): Promise<void>;
}

const CALLERS = ['+358401234501', '+358407654302', '+358501112203', '+358442223304', '+46701234505', '+358453334406', '+4915112345607'];
const CONTACTS: Array<{ name: string; number: string; message: string }> = [
  { name: 'Liisa Lahti', number: '+358409998877', message: 'About my invoice' },
  { name: 'Matti Mäkinen', number: '+358405556644', message: 'Delivery is late' },
  { name: 'Anna Berg', number: '+46705551122', message: 'Please call after 2 pm' },
  { name: '', number: '+358442221100', message: '' },
];

/**
 * Starts the simulator and its scripted day.
 * @throws when the simulator cannot listen on loopback.
 */
export async function startEnreachDemo(options: EnreachDemoOptions): Promise<EnreachDemo> {
  const { log } = options;
  const interval = Math.max(50, options.intervalMs ?? 30_000);
  const schedule = new DemoSchedule(log, options.seed ?? 20261120, { silent: options.silent });
  const random = schedule.random;
  const simulator = await startEnreachSimulator({ user: 'alex.agent@demo.example', log: log.child({ simulator: 'enreach' }) });
  let activeCall: string | undefined;
  let tick = 0;
  let brbUntilTick: number | undefined;
  const callbackAges = new Map<string, number>();

  const later = (ms: number, step: () => void): void => schedule.after(ms, step);

  function driftQueues(): void {
    for (const queue of simulator.queues) {
      const f = simulator.queueFigures(queue.id);
      const waiting = Math.max(0, Math.min(8, f.waiting + Math.round(random() * 4 - 2)));
      simulator.setQueueFigures(queue.id, {
        waiting,
        longestWaitSec: waiting === 0 ? 0 : Math.round(20 + random() * 200),
        agentsFree: Math.floor(random() * 3),
        agentsServing: 3 + Math.floor(random() * 3),
        agentsWrapUp: Math.floor(random() * 2),
      });
    }
  }

  function playCall(): void {
    const blocked = ['DoNotDisturb', 'OffWork'].includes(simulator.availability);
    if (activeCall || blocked) return;
    const viaQueue = random() < 0.7;
    const callId = simulator.ringCall({ caller: schedule.pick(CALLERS), queueId: viaQueue ? schedule.pick(simulator.queues).id : undefined });
    activeCall = callId;
    later(interval * 0.15, () => {
      if (random() < 0.25) {
        simulator.missCall(callId);
        activeCall = undefined;
        return;
      }
      simulator.answerCall(callId);
      if (random() < 0.35) {
        later(interval * 0.15, () => simulator.holdCall(callId));
        later(interval * 0.27, () => simulator.retrieveCall(callId));
      }
      later(interval * 0.45, () => {
        simulator.hangupCall(callId, random() < 0.5 ? 'remote' : 'local');
        activeCall = undefined;
        if (random() < 0.5) simulator.startWrapUp({ callId, maxSec: Math.max(2, Math.round((interval * 0.25) / 1000)) });
      });
    });
  }

  function playCallbacks(): void {
    for (const [id, age] of callbackAges) {
      if (tick - age >= 3 && random() < 0.5) {
        callbackAges.delete(id);
        if (simulator.openCallbacks().includes(id)) simulator.closeCallback(id);
      }
    }
    if (tick % 3 === 1) {
      const contact = schedule.pick(CONTACTS);
      const id = simulator.createCallback({
        contactNumber: contact.number,
        contactName: contact.name || undefined,
        message: contact.message || undefined,
        dueAt: new Date(Date.now() + 2 * 3600_000).toISOString(),
        personal: random() < 0.3,
      });
      callbackAges.set(id, tick);
    }
  }

  function playAvailability(): void {
    if (brbUntilTick !== undefined && tick >= brbUntilTick) {
      brbUntilTick = undefined;
      if (simulator.availability === 'BRB') simulator.setAvailability('Available');
    } else if (tick % 7 === 5 && simulator.availability === 'Available' && !activeCall) {
      simulator.setAvailability('BRB', { note: 'Coffee', endTime: new Date(Date.now() + 2 * interval).toISOString() });
      brbUntilTick = tick + 2;
    }
  }

  function onTick(): void {
    tick += 1;
    driftQueues();
    playCallbacks();
    playAvailability();
    playCall();
    later(interval * (0.7 + random() * 0.6), onTick);
  }

  // The morning: figures on the board and a callback waiting, then the day begins.
  driftQueues();
  const first = CONTACTS[0]!;
  callbackAges.set(
    simulator.createCallback({ contactNumber: first.number, contactName: first.name, message: first.message, dueAt: new Date(Date.now() + 3600_000).toISOString() }),
    0,
  );
  later(Math.min(interval * 0.3, 5_000), onTick);

  const account = enreachAccountSchema.parse({
    id: 'enreach-demo',
    vendor: 'enreach',
    label: 'Enreach Voice (demo)',
    user: simulator.credentials.user,
    apiUrl: simulator.apiUrl,
    secretKey: simulator.credentials.secretKey,
  });
  return {
    account,
    secrets: { secretKey: simulator.credentials.secretKey },
    simulator,
    async stop() {
      schedule.stop();
      await simulator.close();
    },
  };
}
