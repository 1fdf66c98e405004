/** Formatting helpers for the agent window. Pure; no DOM. */

/** `mm:ss` (or `h:mm:ss` past an hour) for a number of seconds; negatives count as zero. */
export function clockDuration(totalSec: number): string {
  const sec = Math.max(0, Math.floor(totalSec));
  const h = Math.floor(sec / 3600);
  const m = Math.floor((sec % 3600) / 60);
  const s = sec % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

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

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hour12: false });
const timeSecFormat = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});
const dayFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });

/** Local `HH:MM` of an ISO time ('' when not a time). */
export function hhmm(iso: string | undefined): string {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(t) ? '' : timeFormat.format(t);
}

/** Local `HH:MM:SS` of an ISO time ('' when not a time). */
export function hhmmss(iso: string | undefined): string {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(t) ? '' : timeSecFormat.format(t);
}

/** `HH:MM` today, `12 Mar HH:MM` on another day. */
export function dayTime(iso: string | undefined, now: number): string {
  const t = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(t)) return '';
  const sameDay = new Date(t).toDateString() === new Date(now).toDateString();
  return sameDay ? timeFormat.format(t) : `${dayFormat.format(t)} ${timeFormat.format(t)}`;
}

/** "in 12 s", "in 3 min", "5 min ago" — coarse, for banners and due times. */
export function relative(iso: string | undefined, now: number): string {
  const t = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(t)) return '';
  const diffSec = Math.round((t - now) / 1000);
  const abs = Math.abs(diffSec);
  let text: string;
  if (abs < 60) text = `${abs} s`;
  else if (abs < 3600) text = `${Math.round(abs / 60)} min`;
  else if (abs < 86400) text = `${Math.round(abs / 3600)} h`;
  else text = `${Math.round(abs / 86400)} d`;
  if (abs < 1) return 'now';
  return diffSec >= 0 ? `in ${text}` : `${text} ago`;
}
