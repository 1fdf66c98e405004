/**
 * Screen pop (issue 11, point 5): an account's URL template, set by the admin, expanded with a
 * call's values and opened in the system browser when the call rings or is answered.
 *
 * Pure: {@link expandScreenPop} never throws and opens nothing; it answers the URL to open or why
 * not, for the host to act on. The rules, all of them [I] security choices:
 * - every value is `encodeURIComponent`-encoded, so a caller id or an attached-data value can never
 *   add a path, a query, a fragment or a host (`{caller}` = `1&admin=1` stays one value);
 * - a placeholder the template names but the call lacks (or a name not in {@link PLACEHOLDERS}) is
 *   empty, and reported in `unknown` for the caller to log (once per template);
 * - the result must be an absolute `https:` URL with no user name or password, whose host is on
 *   the admin's allow-list ({@link hostAllowed}); anything else is refused with a reason.
 */
import type { Call, Said } from '../../common/model.js';

/** When an account's screen pop opens: when the call starts ringing, or when the agent is connected. */
export type ScreenPopMoment = 'ringing' | 'answered';

/** The placeholders a template may use, besides `{userData.<Key>}` (a call's attached data). */
export const PLACEHOLDERS = ['caller', 'target', 'queue', 'queueId', 'callId', 'account'] as const;

/** What a template expanded to: the URL to open, or why it may not be opened. */
export type ScreenPopOutcome = { ok: true; url: string; unknown: string[] } | { ok: false; reason: string; said: Said; unknown: string[] };

/** Longest URL opened, characters (browsers and CRMs cut longer ones anyway). */
export const MAX_POP_URL = 4096;

/**
 * The host (and port, when not 443) of an allow-list entry, or `undefined` when the entry is not a
 * host name pattern. Entries: `crm.example.com`, `crm.example.com:8443`, `*.example.com`; IDN
 * names are compared in their ASCII (punycode) form, as `URL` gives them.
 */
export function normaliseAllowedHost(entry: string): { wildcard: boolean; host: string; port: string } | undefined {
  const text = entry.trim().toLowerCase();
  const wildcard = text.startsWith('*.');
  const rest = wildcard ? text.slice(2) : text;
  if (!rest || /[/?#@\\*\s]/.test(rest)) return undefined;
  let url: URL;
  try {
    url = new URL(`https://${rest}`);
  } catch {
    return undefined;
  }
  if (!url.hostname || url.pathname !== '/') return undefined;
  return { wildcard, host: url.hostname, port: url.port };
}

/**
 * Whether a URL's host may be opened: an exact entry (`crm.example.com`) matches that host only;
 * a wildcard (`*.example.com`) matches its subdomains (`a.example.com`, `a.b.example.com`), not
 * `example.com` itself; `crm.example.com.evil.com` matches neither. The port must be the default
 * one (443) unless the entry names it.
 * @param hostname `URL.hostname` (lowercase, punycode); @param port `URL.port` ('' for 443).
 */
export function hostAllowed(hostname: string, port: string, allowedHosts: readonly string[]): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return allowedHosts.some((entry) => {
    const allowed = normaliseAllowedHost(entry);
    if (!allowed || allowed.port !== port) return false;
    return allowed.wildcard ? host.endsWith(`.${allowed.host}`) : host === allowed.host;
  });
}

/** A placeholder's value for a call ('' when the call has none); `undefined` for an unknown name. */
function valueOf(name: string, call: Call): string | undefined {
  if (name.startsWith('userData.')) return call.userData?.[name.slice('userData.'.length)];
  switch (name) {
    case 'caller':
      return call.caller ?? '';
    case 'target':
      return call.target ?? '';
    case 'queue':
      return call.queue?.name ?? call.queue?.id ?? '';
    case 'queueId':
      return call.queue?.id ?? '';
    case 'callId':
      return call.id;
    case 'account':
      return call.accountId;
    default:
      return undefined;
  }
}

/**
 * Expands a template for a call and checks the result.
 * @param template e.g. `https://crm.example.com/search?phone={caller}&id={userData.CaseId}`.
 * @param allowedHosts the config's `screenPop.allowedHosts`.
 * @returns the URL, or the reason it is refused: `reason` in English for the log, `said` the same as a
 *   code with its parameters as written (issue 19), for the agent in their language;
 *   `unknown` lists the placeholders that were neither known nor in the call's attached data.
 */
export function expandScreenPop(template: string, call: Call, allowedHosts: readonly string[]): ScreenPopOutcome {
  const unknown: string[] = [];
  const expanded = template.replace(/\{([^{}]{1,100})\}/g, (_match, name: string) => {
    const value = valueOf(name.trim(), call);
    if (value === undefined) {
      unknown.push(name);
      return '';
    }
    return encodeURIComponent(value);
  });
  if (expanded.length > MAX_POP_URL) return { ok: false, reason: `the screen pop address is longer than ${MAX_POP_URL} characters`, said: { key: 'calls.pop-refused.too-long', values: { max: MAX_POP_URL } }, unknown };
  let url: URL;
  try {
    url = new URL(expanded);
  } catch {
    return { ok: false, reason: 'the screen pop address is not an absolute URL', said: { key: 'calls.pop-refused.not-url' }, unknown };
  }
  if (url.protocol !== 'https:') return { ok: false, reason: `the screen pop address uses ${url.protocol} (only https: is opened)`, said: { key: 'calls.pop-refused.scheme', values: { scheme: url.protocol } }, unknown };
  // A user name or password (`https://crm.example.com@evil.com/`) puts text before the host.
  if (!url.href.startsWith(`${url.protocol}//${url.host}`)) return { ok: false, reason: 'the screen pop address carries a user name or password', said: { key: 'calls.pop-refused.credentials' }, unknown };
  if (!hostAllowed(url.hostname, url.port, allowedHosts)) {
    const host = url.port ? `${url.hostname}:${url.port}` : url.hostname;
    return { ok: false, reason: `${host} is not on the list of screen pop hosts (screenPop.allowedHosts)`, said: { key: 'calls.pop-refused.host', values: { host } }, unknown };
  }
  return { ok: true, url: url.href, unknown };
}

/**
 * Whether a call has reached the moment its account pops on: `ringing` while it rings (an offered
 * call); `answered` once the agent is connected (connected or held). A stale call (not confirmed
 * after a reconnect) never pops.
 */
export function popMomentReached(call: Call, on: ScreenPopMoment): boolean {
  if (call.stale) return false;
  if (on === 'ringing') return call.state === 'ringing';
  return call.state === 'connected' || call.state === 'held';
}

/** An account's screen pop, as the admin configured it. */
export type ScreenPopRule = { accountId: string; url: string; on: ScreenPopMoment };

/**
 * Decides, call by call, when each account's screen pop fires: once per call, at its moment, never
 * again for the same call (a reconnect's re-read, a later state change). It remembers only the live
 * calls it decided (an ended call never comes back under its key), so memory stays bounded.
 *
 * An `answered` pop also needs to have seen the call before it was answered, or an answer stamped
 * after `startedAt`: a call already connected when the app starts (a restart mid-call) does not
 * pop again [I].
 */
export class ScreenPopper {
  private readonly rules = new Map<string, ScreenPopRule>();
  private decided = new Set<string>();
  private unanswered = new Set<string>();
  private readonly warned = new Set<string>();

  /**
   * @param rules one per account that has a template.
   * @param allowedHosts the config's `screenPop.allowedHosts`.
   * @param startedAt ISO time the app started.
   * @param warn told once per template about placeholders it names that a call did not have.
   */
  constructor(
    rules: readonly ScreenPopRule[],
    private readonly allowedHosts: readonly string[],
    private readonly startedAt: string,
    private readonly warn: (accountId: string, unknown: string[]) => void = () => {},
  ) {
    for (const rule of rules) this.rules.set(rule.accountId, rule);
  }

  /** Whether any account pops at all. */
  get active(): boolean {
    return this.rules.size > 0;
  }

  /**
   * The pops the calls of `calls` reached since the last call (each call at most once).
   * @param calls the desk's live calls (`DeskState.calls`).
   */
  decide(calls: Readonly<Record<string, Call>>): Array<{ call: Call; outcome: ScreenPopOutcome }> {
    const out: Array<{ call: Call; outcome: ScreenPopOutcome }> = [];
    const decided = new Set<string>();
    const unanswered = new Set<string>();
    for (const key in calls) {
      const call = calls[key]!;
      const rule = this.rules.get(call.accountId);
      if (!rule) continue;
      if (this.decided.has(key)) {
        decided.add(key);
        continue;
      }
      const answeredNow = call.state === 'connected' || call.state === 'held';
      if (!answeredNow) unanswered.add(key);
      const fresh = rule.on === 'ringing' || this.unanswered.has(key) || (call.connectedAt ?? '') >= this.startedAt;
      if (!popMomentReached(call, rule.on) || !fresh) continue;
      decided.add(key);
      const outcome = expandScreenPop(rule.url, call, this.allowedHosts);
      if (outcome.unknown.length && !this.warned.has(call.accountId)) {
        this.warned.add(call.accountId);
        this.warn(call.accountId, outcome.unknown);
      }
      out.push({ call, outcome });
    }
    this.decided = decided;
    this.unanswered = unanswered;
    return out;
  }
}
