/**
 * The Genesys fleet rig (`kit/platform.ts`, `FleetRig`; `npm run bench -- --fleet`): one WWE API v2
 * simulator per agent, mounted on one loopback host (`kit/fleet.ts`), every agent with its own user
 * and password; the long poll held 25 s, as production's.
 *
 * - a login = an answer that opens an HTTP session (`Set-Cookie: JSESSIONID`): a Basic-auth login
 *   (VENDOR-NOTES, Genesys "Auth" [C]), the rig's `authentications` too;
 * - traffic = REST requests and CometD requests (handshakes, subscriptions, long polls), as the host counts them;
 * - a call = an inbound call that rings at the agent and is released by the far end (answering is
 *   the agent's operation; the desks here do not answer);
 * - a restart is the API server's: the contact center behind it kept its agents logged in, so each
 *   restarted simulator starts with its agent logged in. (A fresh one has the agent logged out, as
 *   after a restart of the whole contact center; the connector then takes it for a log-out
 *   elsewhere and waits for the agent's Retry — by design — and the fleet would stay `failed`.)
 */
import { randomBytes } from 'node:crypto';
import { fleetRig, serverPlacedCalls, startMountedFleet } from '../kit/fleet.js';
import type { RawAccount } from '../kit/platform.js';
import type { FleetOptions, FleetRig } from '../kit/testing.js';
import { startGenesysSimulator, type GenesysSimulator } from './simulator/index.js';

/**
 * Starts the fleet's simulator with `options.desks` agents.
 * @throws when it cannot listen on loopback.
 */
export async function startGenesysFleet(options: FleetOptions): Promise<FleetRig> {
  const agents = Array.from({ length: options.desks }, (_, i) => ({ user: `agent-${i}`, password: randomBytes(18).toString('base64url') }));
  // Every start after the first is a restart (startMountedFleet starts every agent at each).
  let restarts = 0;
  const fleet = await startMountedFleet<GenesysSimulator>({
    desks: options.desks,
    observer: options.observer,
    isLogin: (_req, res) => /(^|,)\s*JSESSIONID=/.test(String(res.getHeader('set-cookie') ?? '')),
    startAgent: (desk, mount) => startGenesysSimulator({ ...agents[desk]!, mount, agentLoggedIn: restarts > 0 }),
  });
  const accounts: RawAccount[] = (fleet.server?.sims ?? []).map((sim, i) => ({ id: `fleet-${i}`, vendor: 'genesys', baseUrl: sim.baseUrl, user: agents[i]!.user, password: agents[i]!.password, channels: ['voice', 'chat'] }));
  return fleetRig(fleet, {
    accounts,
    async start() {
      restarts += 1;
      await fleet.start();
    },
    calls: serverPlacedCalls(fleet.timers, (desk) => {
      const sim = fleet.server?.sims[desk];
      if (!sim) return undefined;
      const id = sim.ringCall({ ani: `+35840${String(1_000_000 + desk)}` });
      return { hangUp: () => sim.releaseCall(id) };
    }),
  });
}
