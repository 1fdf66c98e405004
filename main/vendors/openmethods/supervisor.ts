/**
 * The UCCX part of the supervisor's floor (`--demo supervisor`, the bench's supervisor desk): a
 * supervisor whose team-status report covers 500 members across 12 teams, their states changing
 * at a steady rate (`report.teamstatus.memberstatuschanged`, one per team per tick, several
 * members each), and now and then a call offered to the supervisor, who does not answer it: it
 * rings out after a few seconds (RNA), and the supervisor is made ready again.
 *
 * Scale from issue 21 ("a team of 500 is an ordinary floor") [I]; member types and statuses are the
 * document's (VENDOR-NOTES, OpenMethods — team status) [C].
 */
import type { SupervisorDemo, SupervisorDemoOptions } from '../kit/platform.js';
import { PacedStream } from '../kit/paced.js';
import { DemoSchedule } from '../kit/simulator.js';
import type { SimMember, SimTeam } from './simulator/contact-center.js';
import { startOpenMethodsSimulator } from './simulator/index.js';

/** Members of the report, and the teams they are in. */
export const SUPERVISOR_MEMBERS = 500;
export const SUPERVISOR_TEAMS = 12;

const FIRST = ['Aino', 'Ben', 'Chloe', 'Dev', 'Eva', 'Farid', 'Grace', 'Hugo', 'Iris', 'Jon', 'Kaisa', 'Leo', 'Mia', 'Noah', 'Olga', 'Pia', 'Quinn', 'Rami', 'Sara', 'Timo'];
const LAST = ['Hill', 'Park', 'Patel', 'Lind', 'Haddad', 'Okoro', 'Virtanen', 'Nguyen', 'Berg', 'Costa', 'Ahmed', 'Kowalski', 'Moreau', 'Santos', 'Keller', 'Rossi', 'Jensen', 'Ito', 'Silva', 'Novak', 'Brown', 'Meyer', 'Garcia', 'Laine', 'Dubois'];
const TEAM_NAMES = ['Billing', 'Orders', 'Returns', 'Technical support', 'Premium', 'Business', 'Retention', 'Onboarding', 'Claims', 'Field service', 'Partners', 'Night shift'];
const STATUSES: ReadonlyArray<SimMember['status']> = ['ready', 'not_ready', 'ACW'];
const CALLERS = ['+14155550123', '+12125550187', '+13125550142', '+16175550110'];

/** The 12 teams of 500 members: a supervisor and a team lead in each, the rest agents; names unique. */
export function supervisorTeams(): SimTeam[] {
  const teams: SimTeam[] = TEAM_NAMES.slice(0, SUPERVISOR_TEAMS).map((name, t) => ({ teamId: `team-${t + 1}`, teamName: name, members: [] }));
  for (let i = 0; i < SUPERVISOR_MEMBERS; i++) {
    const team = teams[i % SUPERVISOR_TEAMS]!;
    const seat = team.members.length;
    const memberName = `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]}`;
    team.members.push({
      memberId: `m${String(i + 1).padStart(4, '0')}`,
      memberType: seat === 0 ? 'Supervisor' : seat === 1 ? 'TeamLead' : 'Agent',
      memberName,
      status: STATUSES[i % 3]!,
      reason: i % 3 === 1 ? '2' : '',
    });
  }
  return teams;
}

/**
 * Starts the UCCX simulator with the supervisor's 500-member report and its steady changes.
 * @throws when the simulator cannot listen on loopback.
 */
export async function startOpenMethodsSupervisorDemo(options: SupervisorDemoOptions): Promise<SupervisorDemo> {
  const { log } = options;
  const simulator = await startOpenMethodsSimulator({ log: log.child({ simulator: 'openmethods' }), teams: supervisorTeams(), agent: { name: 'Sam Supervisor' } });
  const { center } = simulator;
  const schedule = new DemoSchedule(log, options.seed ?? 20261205);
  const random = schedule.random;
  const members = center.teams.flatMap((t) => t.members);
  // The first team's supervisor heads the Team (first group, first row): the bench's marker, which
  // the steady stream leaves alone.
  const marker = members[0]!;
  const changing = members.slice(1);
  const reasons = center.reasons.notReady.map((r) => String(r.code));
  const stream = new PacedStream(
    options.eventsPerSec,
    (n) => {
      const changes: Array<{ memberId: string; status: SimMember['status']; reason?: string }> = [];
      for (let i = 0; i < n; i++) {
        const member = changing[Math.floor(random() * changing.length)]!;
        const status = STATUSES[Math.floor(random() * STATUSES.length)]!;
        changes.push({ memberId: member.memberId, status, ...(status === 'not_ready' ? { reason: reasons[Math.floor(random() * reasons.length)]! } : {}) });
      }
      center.setMemberStatus(changes);
    },
    log,
  );
  const ringEvery = Math.max(1_000, options.ringEveryMs ?? 20_000);
  const ring = (): void => {
    if (center.interactions.size === 0) {
      if (center.agentState.state !== 'READY') center.setState('READY');
      const id = center.ring({ ani: schedule.pick(CALLERS), dnis: '8005550199', callVariables: { Topic: 'Escalation' } });
      schedule.after(4_000, () => center.hangUp(id, true));
    }
    schedule.after(schedule.jitter(ringEvery), ring);
  };
  schedule.after(schedule.jitter(ringEvery), ring);
  return {
    account: { id: 'openmethods-supervisor', vendor: 'openmethods', serverUrl: simulator.url, agentId: simulator.credentials.agentId, password: simulator.credentials.password },
    setRate: (eventsPerSec) => stream.setRate(eventsPerSec),
    get sent() {
      return stream.sent;
    },
    members: members.length,
    mark() {
      const status = marker.status === 'ready' ? 'not_ready' : 'ready';
      center.setMemberStatus([{ memberId: marker.memberId, status, ...(status === 'not_ready' ? { reason: reasons[0]! } : {}) }]);
      return { memberId: marker.memberId, state: status === 'ready' ? 'ready' : 'not-ready' };
    },
    async stop() {
      stream.stop();
      schedule.stop();
      await simulator.close();
    },
  };
}
