/**
 * The 3C fleet rig (`kit/platform.ts`, `FleetRig`; `npm run bench -- --fleet`): one adapter-link
 * simulator per agent, mounted on one loopback host (`kit/fleet.ts`), every agent with its own
 * user name, password and terminal.
 *
 * - a login = a link connection (the WebSocket upgrade): the link signs in with `connect` as the
 *   first frame of every connection (`contract.ts` [I]), the rig's `authentications` too;
 * - traffic = upgrades and the frames the desks send (connect, commands, pings), as the host counts them;
 * - a call = an external call that rings on the agent's terminal, is answered a moment later and
 *   hung up; the desk follows it (3C offers no call control here);
 * - the desks run production's timings (no tuning).
 */
import { randomBytes } from 'node:crypto';
import { fleetRig, serverPlacedCalls, startMountedFleet } from '../kit/fleet.js';
import type { RawAccount } from '../kit/platform.js';
import type { FleetOptions, FleetRig } from '../kit/testing.js';
import { startThreecSimulator, type ThreecSimulator } from './simulator/index.js';

/**
 * Starts the fleet's link with `options.desks` agents.
 * @throws when it cannot listen on loopback.
 */
export async function startThreecFleet(options: FleetOptions): Promise<FleetRig> {
  const agents = Array.from({ length: options.desks }, (_, i) => ({
    username: `agent-${i}@fleet.example`,
    password: `fleet-${randomBytes(12).toString('hex')}`,
    terminals: [{ addressvalue: String(10_000 + i), addresstype: 'ext' }],
  }));
  const fleet = await startMountedFleet<ThreecSimulator>({
    desks: options.desks,
    observer: options.observer,
    isLogin: () => false,
    upgradeIsLogin: true,
    startAgent: (desk, mount) => startThreecSimulator({ ...agents[desk]!, mount }),
  });
  const accounts: RawAccount[] = (fleet.server?.sims ?? []).map((sim, i) => ({
    id: `fleet-${i}`,
    vendor: 'threec',
    linkUrl: sim.linkUrl,
    serveruri: sim.credentials.serveruri,
    username: agents[i]!.username,
    password: agents[i]!.password,
    terminals: `${agents[i]!.terminals[0]!.addressvalue} (ext)`,
  }));
  return fleetRig(fleet, {
    accounts,
    calls: serverPlacedCalls(fleet.timers, (desk) => {
      const sim = fleet.server?.sims[desk];
      if (!sim) return undefined;
      const id = sim.ringCall({ caller: `+35840${String(1_000_000 + desk)}` });
      return { answer: () => sim.answerCall(id), hangUp: () => sim.hangupCall(id) };
    }),
  });
}
