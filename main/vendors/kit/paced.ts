/**
 * A steady stream of changes for a demo or the bench: `step` runs every {@link PACE_TICK_MS} with
 * the number of changes owed at the current rate, so 1 000 changes a second arrive as ten every
 * 10 ms rather than in bursts. Used by the platforms' supervisor scenarios.
 */
import type { Logger } from '../../log.js';

/** How often a paced stream sends what it owes, ms. */
export const PACE_TICK_MS = 10;

/** A paced stream: call {@link stop} to end it. */
export class PacedStream {
  private timer: ReturnType<typeof setInterval> | undefined;
  private owed = 0;
  private rate: number;
  /** When the last tick ran (`performance.now()`, ms): a late timer owes for the time that passed. */
  private last = performance.now();
  /** Changes sent so far. */
  sent = 0;

  /**
   * @param eventsPerSec changes per second at the start (0: none until {@link setRate}).
   * @param step sends `n` changes; a throw is logged at debug and the stream goes on.
   */
  constructor(
    eventsPerSec: number,
    private readonly step: (n: number) => void,
    private readonly log: Logger,
  ) {
    this.rate = Math.max(0, eventsPerSec);
    this.timer = setInterval(() => this.tick(), PACE_TICK_MS);
    this.timer.unref();
  }

  /** Changes per second from now on. */
  setRate(eventsPerSec: number): void {
    this.rate = Math.max(0, eventsPerSec);
    this.owed = 0;
    this.last = performance.now();
  }

  /** Ends the stream. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    const now = performance.now();
    // A busy machine runs timers late: what the elapsed time owes, at most a second's worth.
    this.owed = Math.min(this.owed + (this.rate * (now - this.last)) / 1000, this.rate);
    this.last = now;
    const n = Math.floor(this.owed);
    if (n === 0) return;
    this.owed -= n;
    this.sent += n;
    try {
      this.step(n);
    } catch (error) {
      this.log.debug({ err: error }, 'a paced step failed');
    }
  }
}
