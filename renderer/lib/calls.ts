/** Pure helpers for calls as the window shows them: the far end, missed calls, talk time, history search. */
import type { Call, CallOutcome, PastCall } from '../../preload/bridge.js';
import { labels } from './i18n.js';

export { farEnd } from '../../common/selectors.js';

/** A call of the history the agent missed (inbound, never connected; classified by the core). */
export function isMissed(call: Call | PastCall): boolean {
  if ('outcome' in call) return call.outcome === 'missed';
  return call.state === 'ended' && call.direction === 'inbound' && !call.connectedAt;
}

/** How each outcome reads in the history. */
export const OUTCOME_LABELS: Readonly<Record<CallOutcome, string>> = labels({
  missed: 'history.outcome.missed',
  answered: 'history.outcome.answered',
  placed: 'history.outcome.placed',
});

function seconds(from: string | undefined, to: string | undefined): number | undefined {
  const a = from ? Date.parse(from) : NaN;
  const b = to ? Date.parse(to) : NaN;
  return Number.isNaN(a) || Number.isNaN(b) ? undefined : Math.max(0, (b - a) / 1000);
}

/** Talk time of an ended call (connected to ended), seconds; undefined when it never connected. */
export function talkSeconds(call: Call): number | undefined {
  return call.connectedAt ? seconds(call.connectedAt, call.endedAt) : undefined;
}

/** How long an ended call rang or waited before it connected or ended, seconds. */
export function waitSeconds(call: Call): number | undefined {
  return seconds(call.startedAt, call.connectedAt ?? call.endedAt);
}

/** Attached data in the platform's order, empty values left out. */
export function callData(call: Call): Array<[string, string]> {
  return Object.entries(call.userData ?? {}).filter(([name, value]) => name.trim() && value.trim());
}

/**
 * The keys of the missed calls the agent has not seen: the newest `unseen` missed ones (the core
 * counts them as they end, and a look at the history clears the count).
 */
export function unseenMissedKeys(calls: readonly PastCall[], unseen: number): Set<string> {
  const keys = new Set<string>();
  for (const call of calls) {
    if (keys.size >= unseen) break;
    if (call.outcome === 'missed') keys.add(call.key);
  }
  return keys;
}

/** Separators people type in numbers and platforms write (spaces, dashes, dots, brackets, slashes). */
const SEPARATORS = /[\s().\-/]/g;

/**
 * Whether a history entry matches what the agent typed (case-insensitive):
 * - a number (digits, with or without `+` and separators) matches the entry's numbers and attached
 *   data written with or without separators ("40 123" finds "+358 40 1234567");
 * - other text matches when every word appears in the entry's numbers, queue, account, outcome,
 *   end reason, wrap-up reason or attached data (names and values).
 */
export function matchesSearch(call: PastCall, query: string): boolean {
  const typed = query.trim().toLowerCase();
  if (!typed) return true;
  const parts = searchParts(call);
  const number = typed.replace(SEPARATORS, '').replace(/^\+/, '');
  if (/^\d+$/.test(number)) return parts.some((part) => part.replace(SEPARATORS, '').includes(number));
  const haystack = parts.join('\n');
  return typed.split(/\s+/).every((word) => haystack.includes(word));
}

function searchParts(call: PastCall): string[] {
  const parts = [
    call.caller,
    call.target,
    call.queue?.name,
    call.queue?.id,
    call.account.label,
    call.account.vendor,
    OUTCOME_LABELS[call.outcome],
    call.endReason,
    call.wrapUpReason?.label,
    ...Object.entries(call.userData ?? {}).flat(),
  ];
  return parts.filter((part): part is string => Boolean(part)).map((part) => part.toLowerCase());
}
