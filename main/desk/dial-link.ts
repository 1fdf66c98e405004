/**
 * `tel:` and `callto:` links → a number the desk can dial (issue 11, point 4).
 *
 * Pure and total: {@link parseDialLink} never throws; it answers a dialable number (the bridge's
 * dial rule, {@link DIALABLE} in `common/dial.ts`: an optional `+`, then 2–32 of `0-9 * #`) or a reason in words the
 * agent can read.
 *
 * What it accepts, and where the rule comes from:
 * - `tel:` per RFC 3966 §3/§5.1: a global number (`+` and digits) or a local one; the visual
 *   separators `-` `.` `(` `)` and (seen in the wild, not in the RFC) spaces, `/` and no-break
 *   spaces are dropped; percent-encoding is decoded first (§5.1.1 allows `%20` etc.); `tel://…`
 *   (not RFC, written by many web pages) is read like `tel:…`.
 * - `;phone-context=` (§5.1.5): a local number with a global-number context (`+1-914-555`) gets the
 *   context's digits in front (`tel:863-1234;phone-context=+1-914-555` → `+19145558631234`); a
 *   domain-name context is the PBX's own: the local number is dialled as it is [I].
 * - `;ext=` (§5.1.4): the desk dials one number and cannot send post-dial digits on every platform,
 *   so the extension is given back on its own for the agent to key in once connected [I].
 * - `;isub=` and other parameters, and a `?query`, are ignored; a raw `#` is a digit (`tel:*100#`,
 *   as pages write service codes, though RFC 3966 wants `%23`) [I].
 * - `callto:` (Skype/NetMeeting, no RFC): `callto:+1234`, `callto://+1234`, with an optional
 *   `?call`-style query; anything that is not a number after separators are dropped (a Skype name
 *   such as `callto:echo123` or `callto://john.doe`) is refused: the desk has no Skype account.
 * - Letters are refused (old keypad words `1-800-FLOWERS`, RFC 3966's hex digits `A–F` and the
 *   dial-string pauses `p`/`w`): none of them is something every platform can dial [I].
 */
import { DIALABLE } from '../../common/dial.js';
import type { MessageKey } from '../../common/i18n.js';
import type { Said } from '../../common/model.js';
import { english } from '../i18n.js';

/** The longest link read, in characters; a longer one is refused (nobody types a 2 KB phone number). */
export const MAX_LINK_LENGTH = 2048;

/** What a link turned into. `link` is the link as shown to the agent (trimmed, at most 80 characters). */
export type DialLinkResult =
  | { ok: true; number: string; link: string; /** An `;ext=` to key in after the call connects (digits, `*`, `#`). */ extension?: string }
  | { ok: false; reason: string; said: Said; link: string };

/** A refusal: `reason` in English (the log, the API), `said` the same as a code for the agent's language (issue 19). */
function refuse(key: MessageKey, values: Readonly<Record<string, string>> | undefined, link: string): DialLinkResult {
  return { ok: false, reason: english.t(key, values), said: values ? { key, values } : { key }, link };
}

/** Visual separators (RFC 3966 §5.1.1) plus what pages write besides: spaces, `/`, no-break and thin spaces. */
const SEPARATORS = /[-.()\s/\u00a0\u2009\u202f]/g;

/** The link as the agent may see it: trimmed, control characters removed, at most 80 characters. */
function shown(raw: string): string {
  // eslint-disable-next-line no-control-regex -- dropping control characters is the point
  const clean = raw.trim().replace(/[\u0000-\u001f\u007f]/g, '');
  return clean.length > 80 ? `${clean.slice(0, 79)}…` : clean;
}

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** Separators dropped; `undefined` when anything but digits, `*`, `#` and one leading `+` is left. */
function digitsOf(text: string): string | undefined {
  const stripped = text.replace(SEPARATORS, '');
  return /^\+?[0-9*#]*$/.test(stripped) ? stripped : undefined;
}

function checked(number: string, link: string, extension?: string): DialLinkResult {
  if (number === '' || number === '+') return refuse('links.refused.empty', undefined, link);
  if (!DIALABLE.test(number)) {
    const digits = number.replace(/^\+/, '').length;
    return digits < 2 ? refuse('links.refused.short', { number }, link) : refuse('links.refused.long', { number }, link);
  }
  return extension ? { ok: true, number, link, extension } : { ok: true, number, link };
}

/**
 * Reads a `tel:` or `callto:` link (see the module's comment for the rules).
 * @param raw the link as the OS or the browser handed it over (any string; never throws).
 * @returns the dialable number (and an extension to key in), or why the link cannot be dialled.
 */
export function parseDialLink(raw: unknown): DialLinkResult {
  if (typeof raw !== 'string') return refuse('links.refused.not-link', undefined, '');
  const link = shown(raw);
  if (raw.length > MAX_LINK_LENGTH) return refuse('links.refused.too-long', undefined, link);
  const text = raw.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text)?.[1]?.toLowerCase();
  if (scheme !== 'tel' && scheme !== 'callto') return refuse('links.refused.scheme', undefined, link);
  let body = text.slice(scheme.length + 1).replace(/^\/\//, '');
  // A raw `#` stays: service codes are written `tel:*100#` far more often than with a fragment.
  body = body.split('?', 1)[0]!;
  return scheme === 'tel' ? telLink(body, link) : calltoLink(body, link);
}

function telLink(body: string, link: string): DialLinkResult {
  const [numberPart = '', ...params] = body.split(';');
  const number = decode(numberPart);
  if (number === undefined) return refuse('links.refused.encoding', undefined, link);
  let digits = digitsOf(number);
  if (digits === undefined) return refuse('links.refused.not-number', { number: number.trim() }, link);
  if (digits.indexOf('+') > 0) return refuse('links.refused.plus-inside', { number: number.trim() }, link);
  let extension: string | undefined;
  for (const param of params) {
    const eq = param.indexOf('=');
    const name = (eq < 0 ? param : param.slice(0, eq)).trim().toLowerCase();
    const value = decode(eq < 0 ? '' : param.slice(eq + 1));
    if (value === undefined) return refuse('links.refused.encoding', undefined, link);
    if (name === 'ext') {
      const ext = digitsOf(value);
      if (ext === undefined || ext === '' || ext.includes('+')) return refuse('links.refused.extension', { value }, link);
      extension = ext;
    } else if (name === 'phone-context' && !digits.startsWith('+') && value.trim().startsWith('+')) {
      const context = digitsOf(value.trim());
      if (context === undefined || context.indexOf('+', 1) >= 0) return refuse('links.refused.context', { value }, link);
      digits = context + digits;
    }
  }
  return checked(digits, link, extension);
}

function calltoLink(body: string, link: string): DialLinkResult {
  const target = decode(body);
  if (target === undefined) return refuse('links.refused.encoding', undefined, link);
  const digits = digitsOf(target);
  if (digits === undefined || digits.indexOf('+') > 0) {
    const name = target.trim();
    return name ? refuse('links.refused.name', { name: name.slice(0, 60) }, link) : refuse('links.refused.empty', undefined, link);
  }
  return checked(digits, link);
}
