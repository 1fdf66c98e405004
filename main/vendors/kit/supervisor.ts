/**
 * The connection supervisor every connector runs under (through `kit/connector.ts`).
 *
 * Connections heal themselves (ARCHITECTURE.md, principle 4): {@link ConnectionSupervisor} runs the
 * state machine `connecting → connected → reconnecting → connected …`, with capped exponential
 * backoff and jitter, and stops at `failed` only for errors a person must fix (wrong credentials,
 * refused licence, bad configuration), with a reason they can act on.
 */
import type { ConnectorEvent } from '../../desk/events.js';
import { ConnectionError } from '../../desk/port.js';
import type { Logger } from '../../log.js';

/** A live connection, as the supervisor sees it. */
export interface Session {
  /** Settles when the connection is lost or closed: with the cause, or `undefined` for a clean close. */
  readonly closed: Promise<Error | undefined>;
  /** Closes it on purpose; `closed` then settles. */
  close(): Promise<void>;
}

/** Reconnect delays. Defaults: 1 s, doubling, capped at 30 s, each scaled by a random 50–100 %. */
export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  /** 0 = no jitter; 0.5 = delays between 50 % and 100 % of the nominal value. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 1_000, maxMs: 30_000, jitter: 0.5 };

/**
 * The delay before reconnect attempt `attempt` (1-based), in ms: capped exponential backoff with
 * jitter, so a fleet of desks does not hammer a recovering server in step.
 */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random = Math.random): number {
  const nominal = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(nominal * (1 - policy.jitter * random()));
}

export interface SupervisorOptions {
  /**
   * Opens one connection: authenticate (a fresh token each time), connect, subscribe, re-sync.
   * Resolves with the live session; rejects with a {@link ConnectionError} (or any error, treated
   * as transient).
   * @param attempt 0 for the first connection, then the reconnect attempt number.
   */
  connect(attempt: number): Promise<Session>;
  emit(event: ConnectorEvent): void;
  log: Logger;
  backoff?: BackoffPolicy;
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

  constructor(private readonly options: SupervisorOptions) {}

  /** Starts the connect loop (idempotent). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Wakes a `failed` or waiting supervisor to try again now. */
  retry(): void {
    if (!this.running) this.start();
    else this.wake?.();
  }

  /** Stops retrying and closes the live session, if any. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.session?.close().catch(() => undefined);
    await this.loop;
    this.options.emit({ type: 'connection', state: 'stopped' });
  }

  /**
   * The machine woke from sleep: a session opened before the sleep cannot be trusted (its socket
   * may look open while the server dropped it), so it is closed and a fresh one opened now, with
   * authentication, subscriptions and a re-read of state; a supervisor waiting to retry tries now.
   * A `failed` one waits for a person.
   */
  resume(): void {
    if (!this.running) return;
    if (this.session) {
      this.options.log.info('machine resumed: reconnecting to prove the connection');
      this.resumed = true;
      void this.session.close().catch(() => undefined);
    } else if (!this.failed) {
      this.wake?.();
    }
  }

  /** True while a session is open. */
  get connected(): boolean {
    return this.session !== undefined;
  }

  private async run(): Promise<void> {
    const { emit, log } = this.options;
    let attempt = 0;
    emit({ type: 'connection', state: 'connecting' });
    while (this.running) {
      let cause: Error | undefined;
      try {
        const session = await this.options.connect(attempt);
        if (!this.running) {
          await session.close().catch(() => undefined);
          break;
        }
        this.session = session;
        attempt = 0;
        emit({ type: 'connection', state: 'connected' });
        cause = await session.closed;
        this.session = undefined;
        if (!this.running) break;
        if (this.resumed) {
          this.resumed = false;
          emit({ type: 'connection', state: 'reconnecting', reason: 'the computer woke from sleep', attempt: 1 });
          continue;
        }
        cause ??= new Error('the server closed the connection');
      } catch (error) {
        cause = error instanceof Error ? error : new Error(String(error));
      }
      if (!this.running) break;
      if (cause instanceof ConnectionError && cause.fatal) {
        log.error({ err: cause }, 'connection failed; waiting for a person to fix it');
        emit({ type: 'connection', state: 'failed', reason: cause.message });
        this.failed = true;
        await this.sleep(Number.POSITIVE_INFINITY);
        this.failed = false;
        attempt = 0;
        if (this.running) emit({ type: 'connection', state: 'connecting' });
        continue;
      }
      attempt += 1;
      const delay = backoffDelayMs(attempt, this.options.backoff);
      log.warn({ err: cause, attempt, delayMs: delay }, 'connection lost; reconnecting');
      emit({
        type: 'connection',
        state: 'reconnecting',
        reason: cause.message,
        attempt,
        nextAttemptAt: new Date(Date.now() + delay).toISOString(),
      });
      await this.sleep(delay);
    }
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
