/**
 * Every way the automation API says no, as RFC 9457 problem documents: a stable `type` an app can
 * match on (`urn:agent-companion:problem:<code>`), the status, a title, and a `detail` written for
 * the developer reading it (docs/automation-api.md lists them all).
 */
import type { Problem } from './schemas.js';

/** Each problem's status and title. */
export const PROBLEMS = {
  'wrong-host': { status: 421, title: 'Wrong host' },
  'not-found': { status: 404, title: 'Not found' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  'token-in-url': { status: 400, title: 'Token in the address' },
  unauthorized: { status: 401, title: 'Token missing or not valid' },
  'wrong-origin': { status: 403, title: 'Wrong origin' },
  'null-origin': { status: 403, title: 'Page without an origin' },
  'missing-scope': { status: 403, title: 'Not allowed' },
  'rate-limited': { status: 429, title: 'Too many requests' },
  'too-large': { status: 413, title: 'Request too large' },
  'unsupported-media-type': { status: 415, title: 'Not JSON' },
  'invalid-json': { status: 400, title: 'Body is not JSON' },
  'invalid-request': { status: 400, title: 'Request not valid' },
  'origin-mismatch': { status: 400, title: 'Origin does not match' },
  'pairing-off': { status: 403, title: 'Pairing is turned off' },
  'pairing-pending': { status: 409, title: 'Already asked' },
  'pairing-cooldown': { status: 429, title: 'Denied a moment ago' },
  'too-many-pending': { status: 429, title: 'Too many requests waiting' },
  'too-many-clients': { status: 409, title: 'Too many paired apps' },
  'unknown-pairing': { status: 404, title: 'Unknown pairing request' },
  'not-dialable': { status: 422, title: 'Not a number to dial' },
  'no-account': { status: 409, title: 'No account to use' },
  'not-possible': { status: 409, title: 'Not possible now' },
  'too-many-streams': { status: 429, title: 'Too many event streams' },
  internal: { status: 500, title: 'Something went wrong' },
} as const;
export type ProblemCode = keyof typeof PROBLEMS;

/** The `type` of a problem. */
export function problemType(code: ProblemCode): string {
  return `urn:agent-companion:problem:${code}`;
}

/** A problem document. */
export function problem(code: ProblemCode, detail: string, extra: Partial<Pick<Problem, 'errors' | 'retryAfterSec'>> = {}): Problem {
  const { status, title } = PROBLEMS[code];
  return { type: problemType(code), title, status, detail, ...extra };
}

/** A problem raised inside a handler: the server answers with its document. */
export class ProblemError extends Error {
  override name = 'ProblemError';
  constructor(
    readonly problem: Problem,
    /** Extra response headers (`Retry-After`, `WWW-Authenticate`, `Allow`). */
    readonly headers: Record<string, string> = {},
  ) {
    super(problem.detail);
  }
}

/** Throws the problem `code` with `detail`. */
export function fail(code: ProblemCode, detail: string, extra: Partial<Pick<Problem, 'errors' | 'retryAfterSec'>> = {}, headers: Record<string, string> = {}): never {
  throw new ProblemError(problem(code, detail, extra), headers);
}
