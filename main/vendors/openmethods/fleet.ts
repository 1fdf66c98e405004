/**
 * The OpenMethods fleet rig (`kit/platform.ts`, `FleetRig`; `npm run bench -- --fleet`): one HIS
 * simulator that knows every desk's agent (`moreAgents`), each with its own id, password, contact
 * centre state, teams and session, on one socket port, as a UCCX cluster serves its agents.
 *
 * - a login = a `prepareSession` (the agent signing in with id and password);
 * - traffic = every frame the desks send (transport control and pings included, DCP requests);
 * - a call = an inbound call offered to the agent, answered at the phone a moment later, and
 *   hung up by the caller (after-call work follows, as configured by default);
 * - the desks run production's timings (no tuning: a ping every 15 s).
 */
import { randomBytes } from 'node:crypto';
import { fleetRig, serverPlacedCalls, restartableFleet } from '../kit/fleet.js';
import type { RawAccount } from '../kit/platform.js';
import type { FleetOptions, FleetRig } from '../kit/testing.js';
import { startOpenMethodsSimulator } from './simulator/index.js';

/**
 * Starts the fleet's simulator with `options.desks` agents.
 * @throws when it cannot listen on loopback.
 */
export async function startOpenMethodsFleet(options: FleetOptions): Promise<FleetRig> {
  const agents = Array.from({ length: options.desks }, (_, i) => ({ id: String(20_000 + i), password: `uccx-${randomBytes(12).toString('hex')}`, extension: String(70_000 + i) }));
  const deskOf = new Map(agents.map((a, i) => [a.id, i]));
  const fleet = await restartableFleet(async (port) => {
    const [first, ...more] = agents;
    const sim = await startOpenMethodsSimulator({ agent: first, moreAgents: more, port });
    sim.onRequest((request) => {
      if (request.kind !== 'service' || request.name !== 'prepareSession') return;
      const desk = deskOf.get(String((request.data.agent as { id?: unknown } | undefined)?.id));
      if (desk !== undefined) options.observer.login(desk);
    });
    return { port: Number(/:(\d+)$/.exec(sim.url)![1]), sim, traffic: () => sim.framesReceived(), close: () => sim.close() };
  });
  const url = fleet.server!.sim.url;
  const accounts: RawAccount[] = agents.map((a, i) => ({ id: `fleet-${i}`, vendor: 'openmethods', serverUrl: url, agentId: a.id, password: a.password }));
  return fleetRig(fleet, {
    accounts,
    calls: serverPlacedCalls(fleet.timers, (desk) => {
      const center = fleet.server?.sim.centerOf(agents[desk]!.id);
      if (!center) return undefined;
      const id = center.ring({ ani: `+1415555${String(1_000_000 + desk)}` });
      return {
        answer() {
          const conversation = center.interactions.get(id)?.primary.id;
          if (conversation) center.answer(conversation);
        },
        hangUp: () => center.hangUp(id),
      };
    }),
  });
}
