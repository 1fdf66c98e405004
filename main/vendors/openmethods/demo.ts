/**
 * The OpenMethods part of demo mode: the simulator on loopback and a scripted UCCX day played
 * through it, so the app speaks the real Socket Transport and DCP to something lively.
 *
 * The day, one tick about every `intervalMs` (default 30 s, ±30 %):
 * - one to three colleagues change status (ready, not ready with a reason, after-call work), sent
 *   as one `memberstatuschanged` per team; now and then a team is renamed back and forth;
 * - a call is offered when the agent is READY and free, with ANI, DNIS and call variables; if the
 *   desk does not answer it within ~25 % of a tick the agent answers at the phone (4 in 5) or it
 *   rings out (UCCX then makes the agent NOT_READY, reason 32763, and the script has them ready
 *   again a tick later); a call sometimes goes through a consult leg; the caller hangs up after
 *   ~75 % of a tick; after-call work (WORK_READY) ends ~20 % of a tick later;
 * - a call the desk dials is answered by the far end after ~10 % of a tick and ends after ~50 %.
 * Randomness is seeded, so a demo day is repeatable.
 */
import type { DemoOptions } from '../kit/platform.js';
import { DemoSchedule, seededRandom } from '../kit/simulator.js';
import { startOpenMethodsSimulator, type OpenMethodsSimulator } from './simulator/index.js';

/** Options of {@link startOpenMethodsDemo}: the shared ones plus a PRNG seed. */
export interface OpenMethodsDemoOptions extends DemoOptions {
  seed?: number;
}

/** A running OpenMethods demo. */
export interface OpenMethodsDemo {
  /** The account to connect with, the password inline (the simulator's own). */
  account: { id: string; vendor: 'openmethods'; serverUrl: string; agentId: string; password: string };
  simulator: OpenMethodsSimulator;
  stop(): Promise<void>;
}

const CALLERS = ['+14155550123', '+12125550187', '+13125550142', '+16175550110', '+442079460321', '+61291230456'];
const TOPICS = ['Billing', 'Order status', 'Technical support', 'Returns'];
const STATUSES = ['ready', 'not_ready', 'ACW'] as const;

/**
 * Starts the simulator and its scripted day.
 * @throws when the simulator cannot listen on loopback.
 */
export async function startOpenMethodsDemo(options: OpenMethodsDemoOptions): Promise<OpenMethodsDemo> {
  const { log } = options;
  const interval = Math.max(50, options.intervalMs ?? 30_000);
  const random = seededRandom(options.seed ?? 20261121);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const simulator = await startOpenMethodsSimulator({ log: log.child({ simulator: 'openmethods' }) });
  const { center } = simulator;
  const schedule = new DemoSchedule(log, undefined, { silent: options.silent });
  const later = (fraction: number, step: () => void): void => schedule.after(interval * fraction, step);
  let tick = 0;
  let rnaTick: number | undefined;

  function afterCall(): void {
    later(0.2, () => center.endWork());
  }

  function playTeam(): void {
    const members = center.teams.flatMap((t) => t.members);
    const count = 1 + Math.floor(random() * 3);
    const chosen = new Set<string>();
    for (let i = 0; i < count && members.length > 0; i++) chosen.add(pick(members).memberId);
    center.setMemberStatus(
      [...chosen].map((memberId) => {
        const status = pick(STATUSES);
        return { memberId, status, ...(status === 'not_ready' ? { reason: String(pick(center.reasons.notReady).code) } : {}) };
      }),
    );
    if (tick % 9 === 8) {
      const team = center.teams[0];
      if (team) center.renameTeam(team.teamId, team.teamName.endsWith(' (late shift)') ? team.teamName.replace(' (late shift)', '') : `${team.teamName} (late shift)`);
    }
  }

  function playCall(): void {
    if (center.agentState.state !== 'READY' || center.interactions.size > 0) return;
    const id = center.ring({
      ani: pick(CALLERS),
      dnis: '8005550199',
      callVariables: { Account: `ACC-${10_000 + Math.floor(random() * 90_000)}`, Topic: pick(TOPICS), Language: random() < 0.7 ? 'English' : 'Spanish' },
    });
    later(0.25, () => {
      const interaction = center.interactions.get(id);
      if (!interaction || interaction.primary.state !== 'ALERTING') return;
      if (random() < 0.2) {
        center.hangUp(id, true);
        rnaTick = tick;
        return;
      }
      center.answer(interaction.primary.id);
    });
    if (random() < 0.3) {
      later(0.35, () => {
        const interaction = center.interactions.get(id);
        if (interaction?.primary.state === 'ACTIVE') center.consult(id, '7002');
      });
      later(0.42, () => center.farEndAnswers(id));
      later(0.55, () => {
        const interaction = center.interactions.get(id);
        if (interaction?.consult) {
          center.release(interaction.consult.id);
          if (interaction.primary.state === 'HELD') center.retrieve(interaction.primary.id);
        }
      });
    }
    later(0.75, () => {
      if (!center.interactions.has(id)) return;
      center.hangUp(id);
      afterCall();
    });
  }

  const unsubscribe = simulator.onRequest((request) => {
    if (request.kind === 'resource' && request.name === 'conversation.release') afterCall();
    if (request.kind !== 'resource' || request.name !== 'session.makeCall') return;
    later(0.1, () => {
      const dialed = [...center.interactions.values()].find((i) => i.direction === 'outbound' && i.primary.state !== 'ACTIVE');
      if (!dialed) return;
      center.farEndAnswers(dialed.id);
      later(0.5, () => {
        if (!center.interactions.has(dialed.id)) return;
        center.hangUp(dialed.id);
        afterCall();
      });
    });
  });

  function onTick(): void {
    tick += 1;
    playTeam();
    if (center.interactions.size === 0 && (center.agentState.state === 'WORK' || center.agentState.state === 'WORK_READY')) center.endWork();
    if (rnaTick !== undefined && tick > rnaTick && center.agentState.state === 'NOT_READY') {
      rnaTick = undefined;
      center.setState('READY');
    }
    playCall();
    schedule.after(interval * (0.7 + random() * 0.6), onTick);
  }
  schedule.after(Math.min(interval * 0.3, 5_000), onTick);

  return {
    account: { id: 'openmethods-demo', vendor: 'openmethods', serverUrl: simulator.url, agentId: simulator.credentials.agentId, password: simulator.credentials.password },
    simulator,
    async stop() {
      schedule.stop();
      unsubscribe();
      await simulator.close();
    },
  };
}
