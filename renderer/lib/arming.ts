/**
 * A control that acts only once what it acts on has stood still for a moment.
 *
 * The confirm-dial dialog's Call places a call from the agent's phone, so it needs the agent's
 * deliberate yes (issue 16, point 4): a key pressed or a click made just as the dialog opens, or
 * just as a second link replaces the first, was aimed at something else. An {@link Arming} is
 * disarmed whenever the content changes ({@link Arming.reset}) and arms itself `delayMs` later;
 * until then the control ignores what it is given and shows that it is not ready yet
 * ({@link Arming.progress}).
 *
 * ~700 ms (issue 16): long enough to see that the content changed, short enough not to slow an
 * agent who did look; browsers do the same on their own security prompts (Firefox's
 * `security.dialog_enable_delay`, 1,000 ms) [I].
 */

/** How long a control stays inert after its content changed, ms. */
export const SETTLE_MS = 700;

/** The time an {@link Arming} reads and schedules on: the window's, or a test's. */
export interface ArmingClock {
  /** A monotonic time, ms. */
  now(): number;
  /** Calls `fn` once, about `ms` later; returns a handle for {@link ArmingClock.clearTimeout}. */
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The window's clock: `performance.now()` and its timers. */
export const windowClock: ArmingClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Inert for `delayMs` after each {@link Arming.reset}. Whether it is armed is read from the clock
 * at the moment of asking ({@link Arming.armed}), so a key that arrives a moment before the timer
 * fires is still ignored; the timer only tells the view when to show it ready (`onarmed`).
 */
export class Arming {
  readonly delayMs: number;
  readonly #clock: ArmingClock;
  readonly #onarmed: () => void;
  #since: number;
  #timer: unknown;

  /**
   * Disarmed from now (a control is inert when it first shows).
   * @param onarmed called once each time it arms (after the reset's `delayMs`).
   * @param delayMs how long it stays inert after a change, ms (default {@link SETTLE_MS}).
   */
  constructor(onarmed: () => void, clock: ArmingClock = windowClock, delayMs: number = SETTLE_MS) {
    this.#onarmed = onarmed;
    this.#clock = clock;
    this.delayMs = delayMs;
    this.#since = clock.now();
    this.#schedule();
  }

  /** The content changed: inert again for `delayMs` from now. */
  reset(): void {
    this.#since = this.#clock.now();
    this.#schedule();
  }

  /** Whether the control acts now: `delayMs` have passed since the last change. */
  armed(): boolean {
    return this.#clock.now() - this.#since >= this.delayMs;
  }

  /** How far it is towards armed, 0 (just changed) to 1 (armed). */
  progress(): number {
    return Math.min(1, Math.max(0, (this.#clock.now() - this.#since) / this.delayMs));
  }

  /** Stops its timer (the control is gone). */
  dispose(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(): void {
    this.dispose();
    const wait = this.delayMs - (this.#clock.now() - this.#since);
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      // A timer may fire early (a clock that rounds): wait for the rest rather than arm too soon.
      if (this.armed()) this.#onarmed();
      else this.#schedule();
    }, Math.max(0, wait));
  }
}
