/**
 * Time arithmetic for the agent window. Pure; no DOM. Formatting for the agent (times, durations,
 * numbers) is the language layer's: `fmt` in `lib/i18n.ts`.
 */

/** Seconds from `iso` to `now` (ms), or 0 when `iso` is not a time. */
export function secondsSince(iso: string | undefined, now: number): number {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(t) ? 0 : Math.max(0, (now - t) / 1000);
}

/** Seconds from `now` (ms) to `iso`, or 0 when past or not a time. */
export function secondsUntil(iso: string | undefined, now: number): number {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(t) ? 0 : Math.max(0, (t - now) / 1000);
}

/**
 * `seconds` rounded to its largest unit (seconds under a minute, minutes under an hour, hours under
 * a day, else days), for a duration said in words (`fmt.duration(coarseSeconds(s), 'short')`: "5 min").
 */
export function coarseSeconds(seconds: number): number {
  const abs = Math.max(0, seconds);
  if (abs < 60) return Math.round(abs);
  if (abs < 3600) return Math.round(abs / 60) * 60;
  if (abs < 86_400) return Math.round(abs / 3600) * 3600;
  return Math.round(abs / 86_400) * 86_400;
}
