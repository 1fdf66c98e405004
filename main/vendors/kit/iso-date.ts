/**
 * Event times on the hot path. Platforms often stamp their events in the very form the desk keeps
 * (`Date.prototype.toISOString`'s `YYYY-MM-DDTHH:mm:ss.sssZ`, UTC), so turning one into the desk's
 * form need not go through `Date.parse` and a new `Date` (issue 12: a date converted the long way
 * cost some 0.5–0.8 µs, several per event).
 */

/**
 * A date and time the desk would keep exactly as written: UTC (`Z`), seconds, optional
 * milliseconds (three digits), and every field in range — a day that exists in every year of its
 * month (29 February goes the long way), hours 00–23, no leap second — so that `Date.parse` would
 * read it to the same instant without rolling anything over [I: V8 rolls `02-30` over to March].
 */
const CANONICAL =
  /^\d{4}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{3})?Z$/;

/**
 * The desk's form (ISO-8601 UTC with milliseconds, as `toISOString` writes it) of a time that is
 * already canonical, or `undefined` when it is not and must take the platform's full conversion.
 * Gives exactly what `new Date(Date.parse(value)).toISOString()` gives for every value it accepts:
 * `2026-11-20T08:00:00.010Z` → itself, `2026-11-20T08:00:00Z` → `2026-11-20T08:00:00.000Z`.
 */
export function canonicalIsoUtc(value: string): string | undefined {
  if (!CANONICAL.test(value)) return undefined;
  return value.length === 24 ? value : `${value.slice(0, 19)}.000Z`;
}

/** The millisecond {@link isoNow} last formatted, and its text. */
let nowMs = Number.NaN;
let nowIso = '';

/**
 * The time now in the desk's form (`new Date().toISOString()`: ISO-8601 UTC, milliseconds),
 * formatted once per millisecond of the clock: a connector stamps every event it routes, and a
 * stream brings many in the same millisecond (a new `Date` and its text cost some 0.3 µs each, a
 * tenth of a fast platform's parse+validate floor in the bench) [I].
 */
export function isoNow(): string {
  const ms = Date.now();
  if (ms !== nowMs) {
    nowMs = ms;
    nowIso = new Date(ms).toISOString();
  }
  return nowIso;
}

/** The minute {@link isoAt} last formatted (ms since the epoch at its start), and its text up to the seconds. */
let minuteMs = Number.NaN;
let minuteIso = '';

/**
 * `new Date(ms).toISOString()` (ISO-8601 UTC, milliseconds), with the text up to the minute
 * formatted once per minute: a platform's stream stamps line after line within the same minute
 * (a chat transcript), and a new `Date` and its text cost some 0.3 µs each [I]. The seconds and
 * milliseconds are written from the offset into the minute (a day holds no leap second in
 * ECMAScript time, so every minute is 60 000 ms).
 * @param ms ms since the epoch, within ±8.64e15 (`Date`'s range).
 * @throws RangeError outside that range or for a value that is not a finite number, as `toISOString` does.
 */
export function isoAt(ms: number): string {
  // A fraction of a ms (Date truncates it, maybe into the minute before), or no time at all.
  if (!Number.isInteger(ms) || Math.abs(ms) > 8.64e15) return new Date(ms).toISOString();
  const minute = Math.floor(ms / 60_000) * 60_000;
  if (minute !== minuteMs) {
    const text = new Date(ms).toISOString();
    minuteMs = minute;
    minuteIso = text.slice(0, text.length - 7); // all but `ss.sssZ`
    return text;
  }
  const offset = ms - minute;
  const seconds = Math.floor(offset / 1000);
  const millis = offset - seconds * 1000;
  return `${minuteIso}${seconds < 10 ? '0' : ''}${seconds}.${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
}
