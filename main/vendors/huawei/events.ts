/**
 * The fold of CEC's click-to-dial events: one answer to `getClickToCallEvents` (document,
 * "getClickToCallEvents"; VENDOR-NOTES.md, Huawei) becomes the desk events of the call in progress.
 * Shared by the connector (state.ts) and the bench.
 */
import type { ConnectorEvent } from '../../desk/events.js';
import type { ConnectorContext } from '../../desk/port.js';
import { callPatchFor, classifyEvents, endsCall, type PlacedCall } from './normalize.js';
import type { PollOutcome } from './poller.js';
import type { EventsAnswer } from './schema.js';

/**
 * One answer to `getClickToCallEvents`, validated, for the call in progress (if any): its desk
 * events go to `ctx.emit`, what it does not show is logged. Never throws.
 * @returns the poll's outcome, and whether the call ended (the caller forgets it).
 */
export function foldEventsAnswer(answer: EventsAnswer, call: PlacedCall | undefined, ctx: Pick<ConnectorContext, 'emit' | 'log'>): { outcome: PollOutcome; ended: boolean } {
  const { log, emit } = ctx;
  const event = classifyEvents(answer);
  switch (event.kind) {
    case 'none':
      return { outcome: 'empty', ended: false };
    case 'unknown-events':
      log.debug('CEC reports click-to-dial events it does not name; polling on');
      return { outcome: 'event', ended: false };
    case 'unrecognized':
      log.info({ resultDesc: event.resultDesc, eventId: event.eventId }, 'CEC sent a click-to-dial event the connector does not know; ignored');
      return { outcome: 'empty', ended: false };
    case 'refused':
      log.warn({ resultCode: event.resultCode, resultDesc: event.resultDesc }, 'CEC refused the event poll (resultCode other than "0")');
      return { outcome: 'empty', ended: false };
    default:
      break;
  }
  if (!call) {
    log.debug({ event: event.kind }, 'a click-to-dial event with no call in progress; ignored');
    return { outcome: endsCall(event) ? 'stop' : 'empty', ended: false };
  }
  const patch = callPatchFor(event, call);
  if (patch) emit({ type: 'call', call: patch } satisfies ConnectorEvent);
  return endsCall(event) ? { outcome: 'stop', ended: true } : { outcome: 'event', ended: false };
}
