/**
 * Enreach's fleet rig (`kit/platform.ts`, `FleetRig`; `npm run bench -- --fleet`): one simulator
 * per agent, mounted on one loopback host (`kit/fleet.ts`), every agent with its own user, SecretKey
 * and user id, the queues and call list shared as a contact center's are.
 *
 * - a login = a request for an RTE token (`GET token/{userId}/rte/`): every connection asks for a
 *   fresh one (VENDOR-NOTES [C]), the rig's `authentications` too;
 * - traffic = REST requests, negotiations, upgrades and the SignalR frames the desks send (pings,
 *   invocations), as the host counts them;
 * - a call = a queue call that rings, is answered a moment later and hung up by the caller;
 * - the hub pings every 10 s, as production's (no tuning: the desks run production's timings).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { fleetRig, serverPlacedCalls, startMountedFleet } from '../kit/fleet.js';
import type { RawAccount } from '../kit/platform.js';
import type { FleetOptions, FleetRig } from '../kit/testing.js';
import { startEnreachSimulator, type EnreachSimulator, type SimCallList, type SimQueue } from './simulator/index.js';

/** A token request: `GET …/token/{userId}/rte/`. */
const TOKEN_PATH = /\/api\/token\/[^/]+\/rte\/?(\?|$)/i;

/**
 * Starts the fleet's simulator with `options.desks` agents.
 * @throws when it cannot listen on loopback.
 */
export async function startEnreachFleet(options: FleetOptions): Promise<FleetRig> {
  const queues: SimQueue[] = [
    { id: randomUUID(), name: 'Sales', numbers: ['+358101001000'] },
    { id: randomUUID(), name: 'Support', numbers: ['+358101002000'] },
  ];
  const callLists: SimCallList[] = [{ id: randomUUID(), name: 'Callbacks' }];
  const agents = Array.from({ length: options.desks }, (_, i) => ({ user: `agent-${i}@fleet.example`, userId: randomUUID(), secretKey: `fleet-${randomBytes(16).toString('hex')}` }));
  const fleet = await startMountedFleet<EnreachSimulator>({
    desks: options.desks,
    observer: options.observer,
    isLogin: (req) => req.method === 'GET' && TOKEN_PATH.test(req.url ?? ''),
    startAgent: (desk, mount) => startEnreachSimulator({ ...agents[desk]!, queues, callLists, mount }),
  });
  const accounts: RawAccount[] = (fleet.server?.sims ?? []).map((sim, i) => ({ id: `fleet-${i}`, vendor: 'enreach', user: agents[i]!.user, apiUrl: sim.apiUrl, secretKey: agents[i]!.secretKey }));
  return fleetRig(fleet, {
    accounts,
    calls: serverPlacedCalls(fleet.timers, (desk) => {
      const sim = fleet.server?.sims[desk];
      if (!sim) return undefined;
      const id = sim.ringCall({ caller: `+35840${String(1_000_000 + desk)}`, queueId: queues[desk % queues.length]!.id });
      return { answer: () => sim.answerCall(id), hangUp: () => sim.hangupCall(id, 'remote') };
    }),
  });
}
