/**
 * The session's events, routed: a DCP event (dcp.ts) of this desk's session resource or report
 * service goes to the fold (fold.ts), which turns it into desk events; a service going out of
 * service or the server ending the session resource reconnects; anything else is logged and
 * dropped. Sources: VENDOR-NOTES.md, OpenMethods wire contract [I] (`serviceStatusChanged`,
 * `*Error`); the report's events: document, "UCCX Report Server Resource".
 */
import type { ConnectorContext } from '../../desk/port.js';
import type { DcpEvent } from './dcp.js';
import { inService, problemOf, serviceStatusChangedSchema } from './schema.js';
import type { Link, UccxAccountState } from './session.js';
import { beginTeam } from './team.js';
import { TransportError } from './transport.js';
import { isoNow } from '../kit/iso-date.js';

/**
 * Routes one unsolicited DCP message of the connection `link` (events may arrive before the
 * connection is complete: those of a resource or service not yet bound are dropped).
 * Never throws: a malformed body is logged with the platform and dropped.
 */
export function routeEvent(state: UccxAccountState, link: Link, event: DcpEvent, ctx: ConnectorContext): void {
  const { log, emit } = ctx;
  switch (event.kind) {
    case 'resource':
      if (event.resourceId !== link.resourceId) log.debug({ resourceId: event.resourceId, name: event.name }, 'OpenMethods event of another resource; dropped');
      else for (const e of link.fold.resourceEvent(event.name, event.target, event.data, isoNow())) emit(e);
      return;
    case 'service':
      if (event.serviceId !== link.reportId) log.debug({ serviceId: event.serviceId, name: event.name }, 'OpenMethods service event the desk does not show');
      else for (const e of link.fold.reportEvent(event.name, event.data, isoNow())) emit(e);
      return;
    case 'core':
      onCoreEvent(state, link, event, ctx);
      return;
    case 'error': {
      const text = event.failure.message ?? event.failure.code ?? 'no reason given';
      if (event.scope === 'resource' && event.resourceId === link.resourceId) {
        log.warn({ code: event.failure.code }, `OpenMethods ended the agent's session resource: ${text}`);
        state.previousResourceId = undefined;
        link.transport?.abort(new TransportError(`OpenMethods ended this desk's UCCX session (${text}); reconnecting`));
      } else {
        log.warn({ scope: event.scope, code: event.failure.code }, `OpenMethods reported an error: ${text}`);
      }
      return;
    }
  }
}

/**
 * `serviceStatusChanged` [I]: the processor out of service reconnects; the report out of service
 * leaves the team stale (a `subscriptions` issue says so); the report back in service is bound
 * again and the team report begun afresh. Other core events are dropped.
 */
function onCoreEvent(state: UccxAccountState, link: Link, event: Extract<DcpEvent, { kind: 'core' }>, ctx: ConnectorContext): void {
  const { log, emit } = ctx;
  if (event.name !== 'serviceStatusChanged') {
    log.debug({ name: event.name }, 'OpenMethods core event the desk does not show');
    return;
  }
  const parsed = serviceStatusChangedSchema.safeParse(event.data);
  if (!parsed.success) {
    log.warn({ name: event.name, problem: problemOf(parsed.error) }, 'OpenMethods: dropped a malformed serviceStatusChanged event');
    return;
  }
  const { serviceId, status } = parsed.data;
  if (serviceId === link.processorId && !inService(status)) {
    log.warn({ serviceId, status }, 'the UCCX processor service went out of service; reconnecting');
    link.transport?.abort(new TransportError(`the UCCX processor service went out of service (${status}); reconnecting`));
  } else if (serviceId === link.reportId && !inService(status)) {
    log.warn({ serviceId, status }, 'the UCCX report service went out of service; the team is not updated');
    emit({ type: 'subscriptions', issues: [{ entity: 'Team status', topic: 'report.teamstatus', message: `The UCCX report service is ${status}: the team is not updated` }] });
  } else if (serviceId === link.reportId && inService(status) && link.resourceId) {
    // Back in service: bind it again (a binding may not outlive the outage) and begin the report afresh.
    void link.dcp
      .core('bindService', { serviceId })
      .then(() => beginTeam(state.account.agentId, link, ctx))
      .catch((error: unknown) => log.warn({ err: error }, 'could not bind the UCCX report service again'));
  }
}
