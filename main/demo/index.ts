/**
 * Demo mode: every registered platform's simulator runs on loopback and plays a scripted day at the
 * desk, and the app connects to them through the real connectors and the real vendor protocols.
 * Accounts are marked `demo`, and the UI says so plainly.
 */
import type { AccountConfig } from '../config.js';
import { parseConfig } from '../config.js';
import type { Logger } from '../log.js';
import { platforms } from '../vendors/index.js';
import type { PlatformDemo } from '../vendors/kit/platform.js';

export interface DemoOptions {
  log: Logger;
  /** Mean time between scripted calls, ms (default: each script's own, about 30 s). */
  intervalMs?: number;
}

/** The running demo: one account per platform, pointing at its simulator. */
export interface Demo {
  /** Accounts to connect to, their secrets written inline (they are the simulators' own). */
  accounts: AccountConfig[];
  /** Stops the scripts and the simulators. */
  stop(): Promise<void>;
}

/**
 * Starts every platform's demo; if one cannot start, the ones already started are stopped.
 * @throws if a simulator cannot listen on loopback.
 */
export async function startDemo(options: DemoOptions): Promise<Demo> {
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
