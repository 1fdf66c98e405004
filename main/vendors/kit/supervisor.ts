/**
 * The connection supervisor every connector runs under (through `kit/connector.ts`).
 *
 * Connections heal themselves (ARCHITECTURE.md, principle 4), and every desk is one of a thousand
 * (principle 12). {@link ConnectionSupervisor} runs the state machine `connecting → connected →
 * reconnecting → connected …` and:
 * - waits before each new attempt with **exponential backoff and jitter** (AWS Architecture Blog,
 *   "Exponential Backoff and Jitter"), see {@link backoffDelayMs}: 1 s doubling to a 60 s cap by
 *   default, each outage on its own random phase of the doubling, so a fleet that lost its server
 *   at once comes back evenly spread instead of in step (see {@link DEFAULT_BACKOFF} for why a
 *   phase, not a fresh full-jitter draw per attempt);
 * - counts a session that ends before it stayed **healthy** for {@link BackoffPolicy.healthyMs}
 *   (60 s by default, proven by a sign of life the connector reports with {@link
 *   ConnectionSupervisor.healthy} — an event, an answered heartbeat or request — not by the
 *   handshake alone) as one more failed attempt: a server that accepts every session and ends it at
 *   once sees the delays grow, not a login every second;
 * - waits at least what the server asked (`ConnectionError.retryAfterMs`: `Retry-After`, a
 *   platform's "try later");
 * - stops at `failed` for errors only a person can fix (`ConnectionError.fatal`: wrong credentials,
 *   a refused licence, a session taken over elsewhere) and for a second refused sign-in in a row
 *   (`ConnectionError.unauthorized` twice with no healthy spell between: the credentials were
 *   revoked), with a reason the person can act on, until Retry — in English (`reason`, as logged)
 *   and as a code with parameters the window says in the agent's language (`said`, `kit/reasons.ts`);
 * - stops within a deadline ({@link STOP_WITHIN_MS}) even when the server hangs.
 */
import type { ConnectorEvent } from '../../desk/events.js';
import { ConnectionError } from '../../desk/port.js';
import type { DeskLogger as Logger } from '../../desk/port.js';
import { connectionReason } from './reasons.js';

/** A live connection, as the supervisor sees it. */
export interface Session {
  /** Settles when the connection is lost or closed: with the cause, or `undefined` for a clean close. */
  readonly closed: Promise<Error | undefined>;
  /** Closes it on purpose; `closed` then settles. */
  close(): Promise<void>;
}

/**
 * Reconnect delays and when they start over. Each outage draws a phase `φ` uniform in [0, 1) at its
 * first failed attempt (0 when not {@link BackoffPolicy.phased}); the step of attempt `n` (1-based)
 * is `min(maxMs, initialMs·2^(n−1+φ))`, and the delay is drawn uniformly from the step's last
 * `jitter` share: `[step·(1−jitter), step)`. See {@link DEFAULT_BACKOFF}.
 */
export interface BackoffPolicy {
  /** The first step before the phase (AWS's `base`), ms. */
  initialMs: number;
  /** The largest step (AWS's `cap`), ms. */
  maxMs: number;
  /**
   * Whether each outage doubles on its own random phase (`φ` above; default false: the steps are
   * `initialMs·2^(n−1)` exactly, as the tests want). The default policy sets it.
   */
  phased?: boolean;
  /**
   * The share of each step that is random per attempt, 0…1: 1 is AWS's full jitter (`[0, step)`), 0
   * none (tests). The default, 0.15, only keeps desks on the same phase from meeting.
   */
  jitter: number;
  /**
   * How long a session must stay up, with a sign of life from the server, before the backoff starts
   * over from the first step, ms (default 60 000).
   */
  healthyMs?: number;
  /** The random source, uniform in [0, 1) (default `Math.random`); tests inject a fixed one. */
  random?: () => number;
}

/**
 * The default policy: base 1 s, cap 60 s, reset after 60 s healthy (issue 16; ARCHITECTURE.md
 * principle 12), a random phase per outage and 15 % jitter per attempt [I]:
 * - **Why a phase.** AWS's full jitter draws every delay afresh from `[0, step)`. Over an outage
 *   the draws mix the desks' steps, so when the server returns some are early in a short step and
 *   others late in a long one: the logins come front-loaded, then a long tail (a simulation of
 *   1 000 desks and a 10 s outage: peak 5× the mean over the recovery, 100 % back after 31 s; the
 *   fleet bench measured 4–10× on the five platforms). With a phase drawn once per outage, each
 *   desk's attempts still double, but the fleet's attempts are spread evenly in log-time, so
 *   whenever the server returns, the next attempts of all desks fall evenly over one step: the
 *   same simulation gives a peak 1.7–2.7× the mean for outages of 1 s to 2 min, and 100 % back
 *   after 13 s (`npm run bench -- --fleet` measures it for each platform).
 * - **A floor.** Every delay is at least 85 % of `initialMs·2^(n−1)`, so no desk loops tightly:
 *   against a server that ends every session at once, at most 6 logins in the first 30 s (at 0 s,
 *   then no sooner than 0.85, 2.55, 5.95, 12.75 and 26.35 s — {@link maxAttemptsWithin}), and at
 *   the cap no more than one per 51 s.
 * - The first reconnect after a blip comes 0.85–2 s later (1.3 s on average).
 */
export const DEFAULT_BACKOFF: Readonly<Required<Omit<BackoffPolicy, 'random'>>> = {
  initialMs: 1_000,
  maxMs: 60_000,
  phased: true,
  jitter: 0.15,
  healthyMs: 60_000,
};

/** The longest `Retry-After` honoured, ms (1 h) [I]: a mistaken header must not park a desk for days. */
export const MAX_RETRY_AFTER_MS = 3_600_000;

/** How long {@link ConnectionSupervisor.stop} may take, ms: closing a session to a hung server is cut short. */
export const STOP_WITHIN_MS = 1_500;

/**
 * The delay before reconnect attempt `attempt` (1-based), ms: the step
 * `min(maxMs, initialMs·2^(attempt−1+phase))` scaled by a draw from `[1 − jitter, 1)` (see {@link BackoffPolicy}).
 * @param random uniform in [0, 1); 0 gives the shortest delay (the floor).
 * @param phase the outage's phase, in [0, 1) (0: the plain doubling).
 */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = policy.random ?? Math.random, phase = 0): number {
  const exponent = Math.max(0, attempt - 1) + Math.min(1, Math.max(0, phase));
  const step = Math.min(policy.maxMs, policy.initialMs * 2 ** exponent);
  const jitter = Math.min(1, Math.max(0, policy.jitter));
  const draw = Math.min(1, Math.max(0, random()));
  return Math.round(step * (1 - jitter + jitter * draw));
}

/**
 * The most connection attempts (logins), the first one included, that a supervisor under `policy`
 * can make within `windowMs` of sessions that all fail at once, whatever the random draws: phase 0
 * and every delay at its floor. `Infinity` when the policy has no floor (jitter 1) — a tight loop is possible.
 */
export function maxAttemptsWithin(windowMs: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  let at = 0;
  let attempts = 1;
  for (let n = 1; n <= 10_000; n++) {
    const floor = backoffDelayMs(n, policy, () => 0);
    if (floor <= 0) return Number.POSITIVE_INFINITY;
    at += floor;
    if (at > windowMs) return attempts;
    attempts += 1;
  }
  return attempts;
}

/**
 * Waits for `promise` at most `ms`.
 * @returns true when it settled in time (its rejection is swallowed), false when the time ran out.
 */
export async function settleWithin(promise: Promise<unknown> | undefined, ms: number): Promise<boolean> {
  if (!promise) return true;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const settled = await Promise.race([
    promise.then(
      () => true,
      () => true,
    ),
    new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, ms)))),
  ]);
  clearTimeout(timer);
  return settled;
}

export interface SupervisorOptions {
  /**
   * Opens one connection: authenticate (a fresh token each time), connect, subscribe, re-sync.
   * Resolves with the live session; rejects with a {@link ConnectionError} (or any error, treated
   * as transient).
   * @param attempt 0 for the first connection (and after a healthy spell or a Retry), then the
   *   number of failed attempts in a row.
   */
  connect(attempt: number): Promise<Session>;
  emit(event: ConnectorEvent): void;
  log: Logger;
  /** Fields not given take {@link DEFAULT_BACKOFF}'s. */
  backoff?: BackoffPolicy;
}

/** The healthy spell of the session now open. */
interface Spell {
  timer: ReturnType<typeof setTimeout>;
  /** `healthyMs` has passed since the session opened. */
  elapsed: boolean;
  /** The server gave a sign of life since the session opened. */
  proven: boolean;
}

/**
 * Keeps one connection alive. Emits `connection` events as its state changes; never gives up on a
 * transient error (the SignalR and CometD clients' own retries do, see VENDOR-NOTES.md).
 */
export class ConnectionSupervisor {
  private running = false;
  private session: Session | undefined;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  /** A session was closed on purpose by {@link resume}: reconnect at once, without backoff. */
  private resumed = false;
  /** Waiting for a person (a fatal error). */
  private failed = false;
  /** Failed attempts in a row since the last healthy spell (the backoff's `n`). */
  private failures = 0;
  /** This outage's phase of the doubling, drawn at its first failed attempt ({@link BackoffPolicy}). */
  private phase = 0;
  /** The last attempt ended with a refused sign-in (`unauthorized`), and no healthy spell since. */
  private refusedBefore = false;
  /** No attempt before this time, ms since epoch: what the server asked (`Retry-After`). */
  private notBefore = 0;
  private spell: Spell | undefined;
  private readonly policy: Required<Omit<BackoffPolicy, 'random'>> & Pick<BackoffPolicy, 'random'>;

  constructor(private readonly options: SupervisorOptions) {
    // A given policy doubles plainly unless it says `phased` (tests want their exact steps).
    this.policy = options.backoff ? { ...DEFAULT_BACKOFF, phased: false, ...options.backoff } : { ...DEFAULT_BACKOFF };
  }

  /** Starts the connect loop (idempotent). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Wakes a `failed` or waiting supervisor to try again now (a person asked: `Retry-After` too gives way). */
  retry(): void {
    if (!this.running) this.start();
    else this.wake?.();
  }

  /**
   * A sign of life from the server on the open session: an event, an answered heartbeat or long
   * poll, a request that succeeded. Once the session has also been open `healthyMs`, the backoff
   * starts over. Cheap; call it as often as anything arrives. Ignored when no session is open.
   */
  healthy(): void {
    const spell = this.spell;
    if (!spell || spell.proven) return;
    spell.proven = true;
    if (spell.elapsed) this.healthySpellPassed();
  }

  /**
   * Stops retrying and closes the live session, if any, within `withinMs` (default
   * {@link STOP_WITHIN_MS}): a session whose close hangs (a silent server) is left to its own
   * timeouts, and a connection attempt still on its way is closed when it settles.
   */
  async stop(withinMs: number = STOP_WITHIN_MS): Promise<void> {
    const deadline = Date.now() + withinMs;
    this.running = false;
    this.endSpell();
    this.wake?.();
    if (!(await settleWithin(this.session?.close(), withinMs))) {
      this.options.log.warn({ withinMs }, 'the connection did not close in time; leaving it behind');
    }
    await settleWithin(this.loop, deadline - Date.now());
    this.options.emit({ type: 'connection', state: 'stopped' });
  }

  /**
   * The machine woke from sleep: a session opened before the sleep cannot be trusted (its socket
   * may look open while the server dropped it), so it is closed and a fresh one opened now, with
   * authentication, subscriptions and a re-read of state; a supervisor waiting to retry tries now,
   * unless the server asked to wait longer (`Retry-After`). A `failed` one waits for a person.
   */
  resume(): void {
    if (!this.running) return;
    if (this.session) {
      this.options.log.info('machine resumed: reconnecting to prove the connection');
      this.resumed = true;
      void this.session.close().catch(() => undefined);
    } else if (!this.failed && Date.now() >= this.notBefore) {
      this.wake?.();
    }
  }

  /** True while a session is open. */
  get connected(): boolean {
    return this.session !== undefined;
  }

  private healthySpellPassed(): void {
    this.endSpell();
    if (this.failures > 0 || this.refusedBefore) this.options.log.debug({ failures: this.failures }, 'the session stayed healthy; the backoff starts over');
    this.failures = 0;
    this.refusedBefore = false;
  }

  private beginSpell(): void {
    this.endSpell();
    const spell: Spell = {
      elapsed: false,
      proven: false,
      timer: setTimeout(() => {
        spell.elapsed = true;
        if (spell.proven && this.spell === spell) this.healthySpellPassed();
      }, this.policy.healthyMs),
    };
    this.spell = spell;
  }

  private endSpell(): void {
    if (this.spell) clearTimeout(this.spell.timer);
    this.spell = undefined;
  }

  private async run(): Promise<void> {
    const { emit, log } = this.options;
    emit({ type: 'connection', state: 'connecting' });
    while (this.running) {
      let cause: Error | undefined;
      try {
        const session = await this.options.connect(this.failures);
        if (!this.running) {
          await settleWithin(session.close(), STOP_WITHIN_MS);
          break;
        }
        this.session = session;
        this.beginSpell();
        emit({ type: 'connection', state: 'connected' });
        cause = await session.closed;
        this.endSpell();
        this.session = undefined;
        if (!this.running) break;
        if (this.resumed) {
          this.resumed = false;
          emit({ type: 'connection', state: 'reconnecting', reason: 'the computer woke from sleep', said: { key: 'accounts.reason.woke' }, attempt: 1 });
          continue;
        }
        cause ??= new ConnectionError('the server closed the connection', false, { said: { key: 'accounts.reason.closed' } });
      } catch (error) {
        cause = error instanceof Error ? error : new Error(String(error));
      }
      if (!this.running) break;
      const refused = cause instanceof ConnectionError && cause.unauthorized;
      if (refused && this.refusedBefore && !(cause instanceof ConnectionError && cause.fatal)) {
        cause = new ConnectionError(
          `The server refused this account's sign-in again right after a fresh one (${cause.message}) — the credentials may have been revoked or changed: check the account settings, then Retry`,
          true,
          { cause, said: { key: 'accounts.reason.revoked', values: { detail: cause.message } } },
        );
      }
      this.refusedBefore = refused;
      if (cause instanceof ConnectionError && cause.fatal) {
        log.error({ err: cause }, 'connection failed; waiting for a person to fix it');
        emit({ type: 'connection', state: 'failed', reason: cause.message, said: connectionReason(cause) });
        this.failed = true;
        await this.sleep(Number.POSITIVE_INFINITY);
        this.failed = false;
        this.failures = 0;
        this.refusedBefore = false;
        this.notBefore = 0;
        if (this.running) emit({ type: 'connection', state: 'connecting' });
        continue;
      }
      this.failures += 1;
      if (this.failures === 1) this.phase = this.policy.phased ? (this.policy.random ?? Math.random)() : 0;
      const backoff = backoffDelayMs(this.failures, this.policy, this.policy.random, this.phase);
      const asked = cause instanceof ConnectionError && cause.retryAfterMs !== undefined ? Math.min(MAX_RETRY_AFTER_MS, Math.max(0, cause.retryAfterMs)) : 0;
      const delay = Math.max(backoff, asked);
      this.notBefore = asked > 0 ? Date.now() + asked : 0;
      log.warn({ err: cause, attempt: this.failures, delayMs: delay, retryAfterMs: asked || undefined }, 'connection lost; reconnecting');
      emit({
        type: 'connection',
        state: 'reconnecting',
        reason: cause.message,
        said: connectionReason(cause),
        attempt: this.failures,
        nextAttemptAt: new Date(Date.now() + delay).toISOString(),
      });
      await this.sleep(delay);
    }
    this.endSpell();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = Number.isFinite(ms) ? setTimeout(done, ms) : undefined;
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }
}
