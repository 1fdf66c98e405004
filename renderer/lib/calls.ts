/** Pure helpers for calls as the window shows them: the far end, missed calls, talk time. */
import type { Call } from '../../preload/bridge.js';

/** The far end: who called in, or whom the agent called; undefined when the platform names no one. */
export function farEnd(call: Call): string | undefined {
  return (call.direction === 'outbound' ? (call.target ?? call.caller) : (call.caller ?? call.target)) || undefined;
}

/** An inbound call that ended without the agent ever being connected. */
export function isMissed(call: Call): boolean {
  return call.state === 'ended' && call.direction === 'inbound' && !call.connectedAt;
}

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
