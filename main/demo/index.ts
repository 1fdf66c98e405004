/**
 * Demo mode, the default when no account is configured: every platform simulator runs on loopback
 * and plays a scripted day at the desk, and the app connects to them through the real connectors
 * and the real vendor protocols. Accounts are marked `demo`, and the UI says so plainly.
 */
import type { AccountConfig } from '../config.js';
import type { Logger } from '../log.js';
import { startEnreachDemo } from '../vendors/enreach/demo.js';
import { startGenesysDemo } from '../vendors/genesys/demo.js';
import type { EnreachSimulator } from '../vendors/enreach/simulator.js';
import type { GenesysSimulator } from '../vendors/genesys/simulator.js';

export interface DemoOptions {
  log: Logger;
  /** Mean time between scripted calls, ms (default: each script's own, about 30 s). */
  intervalMs?: number;
}

/** The running demo: accounts pointing at the simulators, and the simulators themselves. */
export interface Demo {
  /** Accounts to connect to, their secrets written inline (they are the simulators' own). */
  accounts: AccountConfig[];
  simulators: { enreach: EnreachSimulator; genesys: GenesysSimulator };
  /** Stops the scripts and the simulators. */
  stop(): Promise<void>;
}

/** Starts every simulator and its scripted day. @throws if a simulator cannot listen on loopback. */
export async function startDemo(options: DemoOptions): Promise<Demo> {
  const enreach = await startEnreachDemo({ log: options.log.child({ demo: 'enreach' }), intervalMs: options.intervalMs });
  let genesys;
  try {
    genesys = await startGenesysDemo({ log: options.log.child({ demo: 'genesys' }), intervalMs: options.intervalMs });
  } catch (error) {
    await enreach.stop();
    throw error;
  }
  return {
    accounts: [
      { ...enreach.account, secretKey: enreach.secrets.secretKey, label: 'Enreach Voice (demo)' },
      { ...genesys.account, password: genesys.secrets.password, label: 'Genesys (demo)' },
    ],
    simulators: { enreach: enreach.simulator, genesys: genesys.simulator },
    async stop() {
      await Promise.allSettled([enreach.stop(), genesys.stop()]);
    },
  };
}
