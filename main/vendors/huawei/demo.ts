/**
 * The Huawei CEC demo: the simulator on loopback (the document's NSLB facade family) and the script
 * of what happens to the calls the agent places from the desk — CEC calls start only from the
 * agent's dial. About one call in five finds no agent ("No agent available"); the others wait a few
 * seconds in the queue, and most are answered and hang up after a while; now and then one fails in
 * the CTI platform or times out in the queue. Randomness is seeded (the kit's `DemoSchedule`), so a
 * demo day is repeatable.
 */
import { DemoSchedule } from '../kit/simulator.js';
import type { DemoOptions, RawAccount } from '../kit/platform.js';
import { startHuaweiSimulator, type HuaweiSimulator } from './simulator/index.js';

/** A running demo: the account to connect with (its secret inline: the simulator's own) and a stop. */
export interface HuaweiDemo {
  account: RawAccount;
  simulator: HuaweiSimulator;
  stop(): Promise<void>;
}

/** The demo's channel configuration id. */
const CHANNEL = 'demo-web-channel';

/**
 * Starts the demo.
 * @param options `intervalMs` (the mean time between scripted events elsewhere, default 30 000)
 *   scales queue and talk times; `seed` (default 20261124) makes the day repeatable.
 * @throws if the simulator cannot listen on loopback.
 */
export async function startHuaweiDemo(options: DemoOptions): Promise<HuaweiDemo> {
  const schedule = new DemoSchedule(options.log, options.seed ?? 20261124, { silent: options.silent });
  const scale = Math.max(0.02, (options.intervalMs ?? 30_000) / 30_000);
  const simulator = await startHuaweiSimulator({
    log: options.log,
    channels: [CHANNEL],
    // Decided when the call is created: no agent, or a call the script below moves on.
    plan: () => (schedule.random() < 0.2 ? { outcome: 'no-agents' } : { outcome: 'answer', manual: true }),
  });
  simulator.onCallPlaced((seq) => {
    const roll = schedule.random();
    /** Whether this call is still in progress (the agent may have hung up, a later call may be on). */
    const still = (): boolean => simulator.callNumbersInProgress().includes(seq);
    schedule.after(schedule.jitter(3_000 * scale), () => {
      if (!still()) return;
      if (roll < 0.1) simulator.failCall({ causeId: 486, causeDesc: 'User busy' });
      else if (roll < 0.18) simulator.timeOutQueue();
      else if (simulator.connectCall()) schedule.after(schedule.jitter(25_000 * scale), () => still() && simulator.disconnectCall());
    });
  });
  return {
    account: {
      id: 'huawei-demo',
      vendor: 'huawei',
      clickToDialUrl: simulator.facadeUrl,
      appKey: simulator.credentials.appKey,
      appSecret: simulator.credentials.appSecret,
      userId: 'demo-agent',
      userName: 'Demo Agent',
      channelId: CHANNEL,
    },
    simulator,
    async stop() {
      schedule.stop();
      await simulator.close();
    },
  };
}
