/**
 * What every platform connector is, and the connection supervisor they share.
 *
 * A connector owns one account's connection to one platform. It turns the vendor's frames into
 * {@link ConnectorEvent}s (the desk vocabulary) and the desk's {@link ConnectorCommand}s into the
 * vendor's requests. Vendor words never leave it.
 *
 * Connections heal themselves (ARCHITECTURE.md, principle 4): {@link ConnectionSupervisor} runs the
 * state machine `connecting → connected → reconnecting → connected …`, with capped exponential
 * backoff and jitter, and stops at `failed` only for errors a person must fix (wrong credentials,
 * refused licence, bad configuration), with a reason they can act on.
 */
import type { Logger } from '../log.js';
import type { ConnectorEvent } from '../desk/events.js';
import type { CallAction, ChatAction, PresenceState } from '../desk/model.js';

/** A command the desk routes to the connector that owns the entity. Ids are the platform's own. */
export type ConnectorCommand =
  | { type: 'presence.set'; state: PresenceState }
  | { type: 'call.action'; callId: string; action: CallAction }
  /** Click-to-dial: place an outbound call to `number` (E.164 or a dialable extension). */
  | { type: 'call.dial'; number: string }
  | { type: 'chat.action'; chatId: string; action: Exclude<ChatAction, 'send'> }
  | { type: 'chat.send'; chatId: string; text: string }
  | { type: 'callback.close'; callbackId: string };

/** Where a connector sends what it learns. */
export interface ConnectorContext {
  /** Hands an event to the desk. Safe to call at any rate; never throws. */
  emit(event: ConnectorEvent): void;
  /** A logger already bound to this account and vendor. */
  log: Logger;
}

/** One account's connection to one platform. */
export interface Connector {
  /** Begins connecting and keeps the connection alive until {@link stop}. Returns at once. */
  start(context: ConnectorContext): void;
  /** Closes the connection cleanly (e.g. ends the contact-center session) and stops retrying. */
  stop(): Promise<void>;
  /** Asks a `failed` connection to try again now (after a person fixed the cause). */
  retry(): void;
  /**
   * Carries out a desk command on the platform.
   * @throws {CommandError} when the platform refuses, the command is not supported here, or the
   *   connection is down; its message is meant for the agent.
   */
  execute(command: ConnectorCommand): Promise<void>;
}

/** Options of a vendor's demo script (`main/vendors/<vendor>/demo.ts`). */
export interface DemoOptions {
  log: Logger;
  /** Mean time between scripted calls, ms (default: about 30 000). */
  intervalMs?: number;
}

/** A running vendor demo: an account pointing at the vendor's simulator on loopback. */
export interface VendorDemo<Account, Secrets, Simulator> {
  /** The account to connect with (its secrets in `secrets`, to be written inline). */
  account: Account;
  secrets: Secrets;
  simulator: Simulator;
  /** Clears every timer of the script and closes the simulator. */
  stop(): Promise<void>;
}

/**
 * The timers of a demo script: steps run after a delay unless the script stopped; a failing step
 * is logged and skipped, never thrown (a demo must not take the app down).
 */
export class DemoSchedule {
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private stopped = false;

  constructor(private readonly log: Logger) {}

  /** Runs `step` after `ms` milliseconds, unless {@link stop} ran first. */
  after(ms: number, step: () => void): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.stopped) return;
      try {
        step();
      } catch (error) {
        this.log.debug({ err: error }, 'demo step skipped');
      }
    }, ms);
    this.timers.add(timer);
  }

  /** Cancels every pending step. Returns false when it had already stopped. */
  stop(): boolean {
    if (this.stopped) return false;
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    return true;
  }
}

/** A command could not be carried out; `message` is written for the agent. */
export class CommandError extends Error {
  override name = 'CommandError';
}

/**
 * A connection attempt or session failed. `fatal` errors need a person (credentials, licence,
 * configuration): the supervisor goes to `failed` and stops retrying until {@link Connector.retry}.
 */
export class ConnectionError extends Error {
  override name = 'ConnectionError';
  constructor(
    message: string,
    readonly fatal: boolean = false,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

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
        cause ??= new Error('the server closed the connection');
      } catch (error) {
        cause = error instanceof Error ? error : new Error(String(error));
      }
      if (!this.running) break;
      if (cause instanceof ConnectionError && cause.fatal) {
        log.error({ err: cause }, 'connection failed; waiting for a person to fix it');
        emit({ type: 'connection', state: 'failed', reason: cause.message });
        await this.sleep(Number.POSITIVE_INFINITY);
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
