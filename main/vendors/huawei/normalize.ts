/**
 * CEC click-to-dial events → the desk's call. Vendor words stop here.
 *
 * Sources: the document (`getClickToCallEvents`: `resultDesc`, `eventId`, `content` with `domain`,
 * `gwAddresses`, `accessCode`, `clickToCallCaller`, `causeId`, `causeDesc`); VENDOR-NOTES [C]: the
 * seven `resultDesc` strings with `resultCode` "0", 168101 = connected (the only documented
 * `eventId`), ids as numbers or strings; Huawei's API reference: `accessCode` is the click-to-dial
 * called party, `clickToCallCaller` the calling party.
 *
 * [I] (VENDOR-NOTES, "where sources are silent"; `docs/platforms/huawei.md`): the state is keyed on `resultDesc`,
 * matched case-insensitively and ignoring surrounding spaces and a final full stop; `eventId` is
 * advisory — it decides only when `resultDesc` is absent or unknown (168101 → connected).
 */
import type { CallPatch } from '../../desk/events.js';
import type { EventsAnswer } from './schema.js';

/** The documented `eventId` of "Call connected" (the document's example; VENDOR-NOTES [C]). */
export const CONNECTED_EVENT_ID = '168101';

/** What one `getClickToCallEvents` answer says, in the connector's terms. */
export type ClickToCallEvent =
  /** "Call in queue": the call waits for an agent. */
  | { kind: 'queued' }
  /** "Call connected" (168101): the agent is connected; the CEC client places the media to `accessCode` at `gateways`. */
  | { kind: 'connected'; accessCode?: string; caller?: string; domain?: string; gateways?: string[] }
  /** "Call disconnected": the call was released. */
  | { kind: 'disconnected'; reason: string }
  /** "Call queued timeout": no agent took it in time. */
  | { kind: 'queue-timeout'; reason: string }
  /** "Call failed": the CTI platform could not set the call up. */
  | { kind: 'failed'; reason: string }
  /** "ClickToCall polled without any events". */
  | { kind: 'none' }
  /** "Call continue to poll events with unknown events": something happened that CEC itself does not name. */
  | { kind: 'unknown-events' }
  /** A `resultDesc`/`eventId` no source names: logged and ignored. */
  | { kind: 'unrecognized'; resultDesc?: string; eventId?: string }
  /** `resultCode` other than "0": the poll itself failed. */
  | { kind: 'refused'; resultCode: string; resultDesc?: string };

/** `resultDesc` as compared: lower case, single spaces, no final full stop. */
function key(text: string | null | undefined): string {
  if (!text) return '';
  // CEC says the same few things over and over (every poll): each is made into a key once.
  let known = KEYS.get(text);
  if (known === undefined) {
    known = text.trim().replace(/\s+/g, ' ').replace(/\.$/, '').toLowerCase();
    if (KEYS.size >= KEYS_LIMIT) KEYS.clear();
    KEYS.set(text, known);
  }
  return known;
}

/** {@link key}'s answers by text, at most {@link KEYS_LIMIT} (then forgotten at once). */
const KEYS = new Map<string, string>();
const KEYS_LIMIT = 256;

/** A failure's reason in CEC's words: the event's own words, then the CTI cause (`causeDesc`, `causeId`). */
function reasonOf(words: string, answer: EventsAnswer): string {
  const { causeDesc, causeId } = answer.content ?? {};
  const cause = [causeDesc?.trim(), causeId ? `cause ${causeId}` : undefined].filter(Boolean).join(', ');
  return cause ? `${words}: ${cause}` : words;
}

/**
 * Classifies one answer (already validated by `eventsSchema`).
 * @returns the event; never throws.
 */
export function classifyEvents(answer: EventsAnswer): ClickToCallEvent {
  if (answer.resultCode !== '0') return { kind: 'refused', resultCode: answer.resultCode, resultDesc: answer.resultDesc ?? undefined };
  const said = answer.resultDesc?.trim() || undefined;
  switch (key(answer.resultDesc)) {
    case 'call in queue':
      return { kind: 'queued' };
    case 'call connected':
      return connected(answer);
    case 'call disconnected':
      return { kind: 'disconnected', reason: reasonOf(said ?? 'Call disconnected', answer) };
    case 'call queued timeout':
      return { kind: 'queue-timeout', reason: reasonOf(said ?? 'Call queued timeout', answer) };
    case 'call failed':
      return { kind: 'failed', reason: reasonOf(said ?? 'Call failed', answer) };
    case 'clicktocall polled without any events':
      return { kind: 'none' };
    case 'call continue to poll events with unknown events':
      return { kind: 'unknown-events' };
    case '':
      if (answer.eventId === CONNECTED_EVENT_ID) return connected(answer);
      if (!answer.eventId && !answer.content) return { kind: 'none' };
      return { kind: 'unrecognized', eventId: answer.eventId ?? undefined };
    default:
      if (answer.eventId === CONNECTED_EVENT_ID) return connected(answer);
      return { kind: 'unrecognized', resultDesc: said, eventId: answer.eventId ?? undefined };
  }
}

function connected(answer: EventsAnswer): ClickToCallEvent {
  const content = answer.content ?? {};
  return {
    kind: 'connected',
    accessCode: content.accessCode || undefined,
    caller: content.clickToCallCaller || undefined,
    domain: content.domain?.trim() || undefined,
    gateways: content.gwAddresses?.length ? content.gwAddresses : undefined,
  };
}

/** The call the connector placed, as it knows it. */
export interface PlacedCall {
  /** The desk's id for it (CEC names no call: one call per channel session). */
  id: string;
  /** The number the agent asked for (kept as the call's target; CEC takes no number, see `docs/configuration.md`). */
  number: string;
  media: 'voice' | 'video';
  /** What the desk shows as attached data; grows as events tell more. */
  userData: Record<string, string>;
}

/** Attached-data labels the desk shows on a CEC call. */
export const USER_DATA = { media: 'Media', accessCode: 'Access code', caller: 'Calling number' } as const;

/** The desk patch of a call just placed (`createClickToCall` answered "0"): dialing, hang-up allowed. */
export function placedPatch(call: PlacedCall): CallPatch {
  return { id: call.id, direction: 'outbound', state: 'dialing', target: call.number, actions: ['hangup'], userData: { ...call.userData } };
}

/**
 * The desk patch for an event about the call in progress, or `undefined` when the event changes
 * nothing on the desk. Updates `call.userData` with what a connected event tells.
 */
export function callPatchFor(event: ClickToCallEvent, call: PlacedCall): CallPatch | undefined {
  switch (event.kind) {
    case 'queued':
      return { id: call.id, state: 'queued', actions: ['hangup'] };
    case 'connected': {
      if (event.accessCode) call.userData[USER_DATA.accessCode] = event.accessCode;
      if (event.caller) call.userData[USER_DATA.caller] = event.caller;
      return {
        id: call.id,
        state: 'connected',
        actions: ['hangup'],
        ...(event.caller ? { caller: event.caller } : {}),
        userData: { ...call.userData },
      };
    }
    case 'disconnected':
    case 'queue-timeout':
    case 'failed':
      return { id: call.id, state: 'ended', endReason: event.reason, actions: [] };
    default:
      return undefined;
  }
}

/** Whether an event ends the call (polling stops). */
export function endsCall(event: ClickToCallEvent): boolean {
  return event.kind === 'disconnected' || event.kind === 'queue-timeout' || event.kind === 'failed';
}
