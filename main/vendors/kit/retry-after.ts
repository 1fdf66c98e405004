/**
 * `Retry-After` (RFC 9110 §10.2.3): how long a server asks a client to wait before its next request,
 * as `delay-seconds` (`120`) or an HTTP-date (`Wed, 21 Oct 2026 07:28:00 GMT`). Every platform's HTTP
 * answer 429 or 503 is read with {@link retryAfterMs}, and the delay becomes the floor of the
 * supervisor's next reconnect delay (`ConnectionError.retryAfterMs`, ARCHITECTURE.md principle 12).
 *
 * Written here rather than taken from a library: the npm registry has no maintained parser of the
 * header alone (checked), and `Date.parse` is too lenient (it reads `"2"` as the year 2001 and the
 * asctime form in local time). The three date forms a recipient must accept (RFC 9110 §5.6.7:
 * IMF-fixdate, the obsolete RFC 850 form and asctime) are parsed strictly, in GMT.
 */

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY = '(?:mon|tue|wed|thu|fri|sat|sun)';
const LONG_DAY = '(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)';
const MONTH = '(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)';
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
/** `Sun, 06 Nov 1994 08:49:37 GMT` */
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`, 'i');
/** `Sunday, 06-Nov-94 08:49:37 GMT` */
const RFC_850 = new RegExp(`^${LONG_DAY}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`, 'i');
/** `Sun Nov  6 08:49:37 1994` */
const ASCTIME = new RegExp(`^${DAY} ${MONTH} ( \\d|\\d{2}) ${TIME} (\\d{4})$`, 'i');

/**
 * Parses an HTTP-date (RFC 9110 §5.6.7) in any of its three forms.
 * @param now ms since epoch, to place an RFC 850 two-digit year (one more than 50 years ahead is in
 *   the past, RFC 9110 §5.6.7).
 * @returns ms since epoch, or `undefined` when `value` is not an HTTP-date (or names no real day).
 */
export function parseHttpDate(value: string, now: number = Date.now()): number | undefined {
  const text = value.trim();
  let day: string, month: string, year: number, hh: string, mm: string, ss: string;
  let match = IMF_FIXDATE.exec(text);
  if (match) {
    [, day = '', month = '', , hh = '', mm = '', ss = ''] = match;
    year = Number(match[3]);
  } else if ((match = RFC_850.exec(text))) {
    [, day = '', month = '', , hh = '', mm = '', ss = ''] = match;
    const thisYear = new Date(now).getUTCFullYear();
    year = Math.floor(thisYear / 100) * 100 + Number(match[3]);
    if (year > thisYear + 50) year -= 100;
  } else if ((match = ASCTIME.exec(text))) {
    [, month = '', day = '', hh = '', mm = '', ss = ''] = match;
    year = Number(match[6]);
  } else {
    return undefined;
  }
  const m = MONTHS.indexOf(month.toLowerCase());
  const d = Number(day.trim());
  const at = Date.UTC(year, m, d, Number(hh), Number(mm), Number(ss));
  const check = new Date(at);
  // Reject what Date.UTC would roll over (31 Feb, 25:00).
  if (check.getUTCDate() !== d || check.getUTCMonth() !== m || check.getUTCHours() !== Number(hh) || check.getUTCMinutes() !== Number(mm) || check.getUTCSeconds() !== Number(ss)) {
    return undefined;
  }
  return at;
}

/**
 * How long a `Retry-After` header asks to wait, ms (RFC 9110 §10.2.3).
 * @param value the header's value (`null`/`undefined` when absent): `delay-seconds` or an HTTP-date.
 * @param now ms since epoch, for an HTTP-date.
 * @returns the wait in ms (0 for a date already past), or `undefined` when the header is absent or
 *   not valid (an invalid one is ignored, as the RFC lets a recipient do).
 */
export function retryAfterMs(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = parseHttpDate(text, now);
  return at === undefined ? undefined : Math.max(0, at - now);
}
