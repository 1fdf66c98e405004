/**
 * The team, from the UCCX report service: `report.teamstatus.begin {agentId}` (document, "UCCX
 * Report Server Resource") re-syncs it; its `report.teamstatus.*` events are folded by fold.ts.
 * Begun on every connection (session.ts) and again when the report service comes back in service
 * (events.ts).
 */
import type { ConnectorContext } from '../../desk/port.js';
import { DcpClosed } from './dcp.js';
import { problemOf, reportResponseSchema } from './schema.js';
import type { Link } from './session.js';

/**
 * Begins the team-status report for `agentId`; the answer re-syncs the team (`team.sync`, and the
 * subscription issues cleared). Without a report service, or when the report is refused or fails,
 * the desk shows why as a `subscriptions` issue ("Team status").
 * Never throws: a closed connection ends it quietly (the reconnection begins it again).
 */
export async function beginTeam(agentId: string, link: Link, ctx: ConnectorContext): Promise<void> {
  const { emit, log } = ctx;
  const issue = (message: string): void => emit({ type: 'subscriptions', issues: [{ entity: 'Team status', topic: 'report.teamstatus', message }] });
  if (!link.reportId) {
    issue('No UCCX report service is in service: the team is not shown');
    return;
  }
  try {
    link.fold.team.clear();
    const answer = reportResponseSchema.safeParse(await link.dcp.service(link.reportId, 'report.teamstatus.begin', { agentId }));
    if (!answer.success) throw new Error(`an unexpected answer (${problemOf(answer.error)})`);
    if (answer.data.result === 'failure') {
      issue(answer.data.failure?.message?.trim() || 'UCCX refused the team-status report');
      return;
    }
    emit({ type: 'team.sync', members: link.fold.team.all() });
    emit({ type: 'subscriptions', issues: [] });
  } catch (error) {
    if (error instanceof DcpClosed) return;
    log.warn({ err: error }, 'could not begin the UCCX team-status report');
    issue(`The team-status report did not start: ${error instanceof Error ? error.message : String(error)}`);
  }
}
