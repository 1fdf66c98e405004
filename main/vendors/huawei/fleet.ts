/**
 * The Huawei CEC fleet rig (`kit/platform.ts`, `FleetRig`; `npm run bench -- --fleet`): one
 * simulator whose channel sessions are per user already (CEC keys them by `userId` and channel), so
 * every desk is its own user id on the same app key and channel, as a contact center's web agents are.
 *
 * - a login = an `applyToken` (the rig's `authentications` too); the access token (`tokenByAkSk`)
 *   is the app's, not the agent's;
 * - traffic = every HTTP request answered (support checks, polls, token requests);
 * - a call = placed by the desk (click-to-dial, CEC tells of no other): queued 1.5 s, then answered,
 *   and the far end hangs up after the window; the desks poll its events meanwhile;
 * - the desks run production's timings (no tuning).
 */
import { randomBytes } from 'node:crypto';
import { fleetRig, restartableFleet } from '../kit/fleet.js';
import type { RawAccount } from '../kit/platform.js';
import type { FleetOptions, FleetRig } from '../kit/testing.js';
import { startHuaweiSimulator, type CallPlan } from './simulator/index.js';

/**
 * Starts the fleet's simulator with `options.desks` users.
 * @throws when it cannot listen on loopback.
 */
export async function startHuaweiFleet(options: FleetOptions): Promise<FleetRig> {
  const appSecret = randomBytes(24).toString('base64url');
  let plan: CallPlan = { outcome: 'answer' };
  const fleet = await restartableFleet(async (port) => {
    const sim = await startHuaweiSimulator({
      appSecret,
      port,
      plan: () => plan,
      onApplyToken(userId) {
        const desk = /^fleet-(\d+)$/.exec(userId);
        if (desk) options.observer.login(Number(desk[1]));
      },
    });
    return { port: Number(new URL(sim.origin).port), sim, traffic: () => sim.requests.length, close: () => sim.close() };
  });
  const { sim } = fleet.server!;
  const accounts: RawAccount[] = Array.from({ length: options.desks }, (_, i) => ({
    id: `fleet-${i}`,
    vendor: 'huawei',
    clickToDialUrl: sim.facadeUrl,
    appKey: sim.credentials.appKey,
    appSecret,
    userId: `fleet-${i}`,
    channelId: 'web-channel-1',
  }));
  return fleetRig(fleet, {
    accounts,
    calls: {
      placedBy: 'desk',
      prepare(durationMs) {
        plan = { outcome: 'answer', queueMs: 1_500, talkMs: Math.max(1_000, durationMs - 1_500) };
        return '+358401234567';
      },
    },
  });
}
