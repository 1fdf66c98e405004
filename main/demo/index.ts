/**
 * Demo mode: every registered platform's simulator runs on loopback and plays a scripted day at the
 * desk, and the app connects to them through the real connectors and the real vendor protocols.
 * Accounts are marked `demo`, and the UI says so plainly.
 */
import type { AccountConfig } from '../config.js';
import { parseConfig } from '../config.js';
import type { Logger } from '../log.js';
import { platforms } from '../vendors/index.js';
import type { PlatformDemo, SupervisorDemo } from '../vendors/kit/platform.js';

export interface DemoOptions {
  log: Logger;
  /** Mean time between scripted calls, ms (default: each script's own, about 30 s). */
  intervalMs?: number;
  /**
   * `day` (default): an agent's scripted day on every platform. `supervisor`: a supervisor's floor
   * on every platform that offers one (a team report of 500, 5 000 busy lamps),
   * {@link SUPERVISOR_EVENTS_PER_SEC} changes a second in all.
   */
  scenario?: DemoScenario;
  /** The supervisor scenario's changes per second in all (default {@link SUPERVISOR_EVENTS_PER_SEC}). */
  eventsPerSec?: number;
}

/** The demo's scenarios. */
export type DemoScenario = 'day' | 'supervisor';

/** The supervisor floor's changes per second, all platforms together (issue 21) [I]. */
export const SUPERVISOR_EVENTS_PER_SEC = 1_000;

/** The running demo: one account per platform, pointing at its simulator. */
export interface Demo {
  /** Accounts to connect to, their secrets written inline (they are the simulators' own). */
  accounts: AccountConfig[];
  /** The supervisor scenario's pace, changes per second in all (shared evenly); absent in the day scenario. */
  setRate?(eventsPerSec: number): void;
  /**
   * The supervisor scenario's marker for the bench: one member's change sent now at the server
   * (`SupervisorDemo.mark`), with the account it is on; absent in the day scenario or when no
   * platform gives one.
   */
  mark?(): { accountId: string; memberId: string; state: 'ready' | 'not-ready' };
  /** The supervisor scenario's changes sent so far, all platforms (the bench's actual rate). */
  sent?(): number;
  /** Stops the scripts and the simulators. */
  stop(): Promise<void>;
}

/**
 * Starts every platform's demo; if one cannot start, the ones already started are stopped.
 * @throws if a simulator cannot listen on loopback.
 */
export async function startDemo(options: DemoOptions): Promise<Demo> {
  if (options.scenario === 'supervisor') return startSupervisorFloor(options);
  const started: Array<{ name: string; demo: PlatformDemo }> = [];
  try {
    for (const platform of platforms()) {
      started.push({ name: platform.name, demo: await platform.startDemo({ log: options.log.child({ demo: platform.id }), intervalMs: options.intervalMs }) });
    }
  } catch (error) {
    await Promise.allSettled(started.map(({ demo }) => demo.stop()));
    throw error;
  }
  const raw = started.map(({ name, demo }) => ({ ...demo.account, label: `${name} (demo)` }));
  return {
    accounts: parseConfig({ accounts: raw }, 'the demo').accounts,
    async stop() {
      await Promise.allSettled(started.map(({ demo }) => demo.stop()));
    },
  };
}

/** The supervisor scenario: every platform that offers a supervisor's floor, the rate shared evenly. */
async function startSupervisorFloor(options: DemoOptions): Promise<Demo> {
  const offering = platforms().filter((p) => p.startSupervisorDemo !== undefined);
  const total = options.eventsPerSec ?? SUPERVISOR_EVENTS_PER_SEC;
  const share = (rate: number): number => rate / Math.max(1, offering.length);
  const started: Array<{ name: string; demo: SupervisorDemo }> = [];
  try {
    for (const platform of offering) {
      started.push({ name: platform.name, demo: await platform.startSupervisorDemo!({ log: options.log.child({ demo: platform.id }), eventsPerSec: share(total) }) });
    }
  } catch (error) {
    await Promise.allSettled(started.map(({ demo }) => demo.stop()));
    throw error;
  }
  const raw = started.map(({ name, demo }) => ({ ...demo.account, label: `${name} (demo supervisor)` }));
  const marking = started.find(({ demo }) => demo.mark !== undefined)?.demo;
  return {
    accounts: parseConfig({ accounts: raw }, 'the supervisor demo').accounts,
    setRate(eventsPerSec) {
      for (const { demo } of started) demo.setRate(share(eventsPerSec));
    },
    sent: () => started.reduce((n, { demo }) => n + demo.sent, 0),
    ...(marking
      ? {
          mark: () => ({ accountId: marking.account.id, ...marking.mark!() }),
        }
      : {}),
    async stop() {
      await Promise.allSettled(started.map(({ demo }) => demo.stop()));
    },
  };
}
