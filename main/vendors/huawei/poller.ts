/**
 * The `getClickToCallEvents` poll schedule, while a click-to-dial call is in progress.
 *
 * - the next poll goes out {@link PollTiming.pollIntervalMs} (100 ms) after each answer — Huawei's
 *   own web client does so (VENDOR-NOTES [C]);
 * - after {@link PollTiming.emptyAnswersBeforeSlowing} (50) empty answers in a row, every
 *   {@link PollTiming.slowPollIntervalMs} (1 s) until an event comes [I];
 * - a 5xx answer waits {@link PollTiming.serverErrorBackoffMs} (1 s), doubling with each one in a
 *   row up to {@link PollTiming.maxServerErrorBackoffMs} (8 s); after
 *   {@link PollTiming.serverErrorsBeforeReconnect} (4) in a row the poller gives up and the session
 *   is reconnected [I];
 * - it stops when the call ends (or when the session stops it).
 *
 * One poll at a time: the next is scheduled only once the previous answered (no overlap).
 */
import type { ResolvedTuning } from './config.js';

/** The timings the schedule reads (see {@link ResolvedTuning}). */
export type PollTiming = Pick<
  ResolvedTuning,
  'pollIntervalMs' | 'slowPollIntervalMs' | 'emptyAnswersBeforeSlowing' | 'serverErrorBackoffMs' | 'maxServerErrorBackoffMs' | 'serverErrorsBeforeReconnect'
>;

/**
 * What one poll came to:
 * - `event`: an answer that moved the call on (queued, connected…);
 * - `empty`: an answer with nothing new ("polled without any events", an unreadable answer…);
 * - `server-error`: a 5xx answer;
 * - `stop`: the call ended, or the session is ending: no next poll.
 */
export type PollOutcome = 'event' | 'empty' | 'server-error' | 'stop';

/** The delay before the next poll (ms), `stop`, or `give-up` (too many 5xx in a row). */
export type PollDecision = number | 'stop' | 'give-up';

/** The schedule's memory: empty answers and 5xx answers in a row. Pure apart from its counters. */
export class PollCadence {
  private empties = 0;
  private serverErrors = 0;

  constructor(private readonly timing: PollTiming) {}

  /** Decides what follows an outcome. */
  next(outcome: PollOutcome): PollDecision {
    const t = this.timing;
    switch (outcome) {
      case 'stop':
        return 'stop';
      case 'event':
        this.empties = 0;
        this.serverErrors = 0;
        return t.pollIntervalMs;
      case 'empty':
        this.serverErrors = 0;
        this.empties += 1;
        return this.empties >= t.emptyAnswersBeforeSlowing ? t.slowPollIntervalMs : t.pollIntervalMs;
      case 'server-error': {
        this.serverErrors += 1;
        if (this.serverErrors >= t.serverErrorsBeforeReconnect) return 'give-up';
        return Math.min(t.maxServerErrorBackoffMs, t.serverErrorBackoffMs * 2 ** (this.serverErrors - 1));
      }
    }
  }
}

/** What an {@link EventPoller} runs. */
export interface PollerOptions {
  /** One poll: the request and its handling. Must not throw; says what it came to. */
  poll(): Promise<PollOutcome>;
  timing: PollTiming;
  /** Too many 5xx answers in a row: the poller has stopped. */
  onGiveUp(): void;
}

/**
 * Polls until told to stop, the call ends, or the server keeps failing. The first poll goes out at
 * once on {@link start}; each next one after the delay {@link PollCadence} decides.
 */
export class EventPoller {
  private running = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly options: PollerOptions) {}

  /** True from {@link start} until it stopped. */
  get active(): boolean {
    return this.running;
  }

  /** Starts polling (idempotent); the first poll goes out now. */
  start(): void {
    if (this.running) return;
    this.running = true;
    void this.run();
  }

  /** Stops: no poll goes out after this (one in flight is answered and ignored). */
  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.wake?.();
  }

  private async run(): Promise<void> {
    const cadence = new PollCadence(this.options.timing);
    while (this.running) {
      const outcome = await this.options.poll();
      if (!this.running) return;
      const next = cadence.next(outcome);
      if (next === 'stop') {
        this.running = false;
        return;
      }
      if (next === 'give-up') {
        this.running = false;
        this.options.onGiveUp();
        return;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.timer = setTimeout(resolve, next);
      });
      this.wake = undefined;
    }
  }
}
