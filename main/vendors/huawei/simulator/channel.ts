/**
 * The simulator's click-to-dial calls: one channel session per (user id, channel id), holding at
 * most one call and the queue of its events, read one per `getClickToCallEvents` (VENDOR-NOTES
 * [C]: events by channel; create, poll and drop name no call).
 *
 * A call follows its {@link CallPlan}: queued at once; then, after `queueMs`, connected (then
 * disconnected after `talkMs`), failed, or timed out in the queue — or it waits for the test to
 * move it (`manual`). [I]: a second create while a call is in progress answers "13"; a drop with no
 * call answers "13" "disconnect failed"; after a drop the release event ("Call disconnected") waits
 * on the channel like any other.
 */
import {
  connectedEvent,
  disconnectedEvent,
  failedEvent,
  queuedEvent,
  queueTimeoutEvent,
  type EventBody,
} from './payloads.js';

/** How a call goes. */
export type CallOutcome = 'answer' | 'no-agents' | 'fail' | 'queue-timeout' | 'request-timeout';

/** The script of one call. */
export interface CallPlan {
  outcome: CallOutcome;
  /** Time in the queue before the outcome, ms (default 1 500). */
  queueMs?: number;
  /** Talk time before the far end hangs up, ms (answered calls; default 20 000). */
  talkMs?: number;
  /** True: the call stays queued until the test moves it (connect, fail, …). */
  manual?: boolean;
  /** Send `eventId` and `accessCode` as strings (default: numbers). */
  idsAsStrings?: boolean;
}

/** A call on a channel. */
export interface SimCall {
  /** The simulator's own number for the call (CEC exposes none). */
  seq: number;
  media: 'voice' | 'video';
  state: 'queued' | 'connected';
  plan: CallPlan;
}

/** One channel session's state. */
export class ChannelSession {
  call: SimCall | undefined;
  readonly events: EventBody[] = [];
  /** The next poll answers HTTP 403 (a timed-out request). */
  forbidNextPoll = false;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(
    readonly key: string,
    private readonly details: { accessCode: string; caller: string; domain: string; gateways: string[] },
  ) {}

  /** Places a call per `plan`. @returns the create answer's code. */
  create(seq: number, media: 'voice' | 'video', plan: CallPlan): '0' | '13' {
    if (this.call || plan.outcome === 'no-agents') return '13';
    this.cancelTimers();
    const call: SimCall = { seq, media, state: 'queued', plan };
    this.call = call;
    this.events.push(queuedEvent());
    if (!plan.manual) {
      this.after(plan.queueMs ?? 1_500, () => {
        if (this.call !== call) return;
        switch (plan.outcome) {
          case 'answer':
            this.connect();
            this.after(plan.talkMs ?? 20_000, () => this.call === call && this.disconnect());
            break;
          case 'fail':
            this.fail();
            break;
          case 'queue-timeout':
            this.queueTimeout();
            break;
          case 'request-timeout':
            this.requestTimeout();
            break;
          default:
            break;
        }
      });
    }
    return '0';
  }

  /** An agent took the call: "Call connected". @returns false when no call is queued. */
  connect(): boolean {
    if (this.call?.state !== 'queued') return false;
    this.call.state = 'connected';
    this.events.push(connectedEvent(this.details, this.call.plan.idsAsStrings ?? false));
    return true;
  }

  /** The call is released: "Call disconnected". @returns false when there is no call. */
  disconnect(): boolean {
    if (!this.call) return false;
    this.call = undefined;
    this.cancelTimers();
    this.events.push(disconnectedEvent());
    return true;
  }

  /** The CTI platform fails the call: "Call failed". */
  fail(cause: { causeId: number | string; causeDesc: string } = { causeId: 403, causeDesc: 'Callee busy' }): boolean {
    if (!this.call) return false;
    this.call = undefined;
    this.cancelTimers();
    this.events.push(failedEvent(cause));
    return true;
  }

  /** Nobody took the call in time: "Call queued timeout". */
  queueTimeout(cause: { causeId: number; causeDesc: string } = { causeId: 17, causeDesc: 'Queue time exceeded' }): boolean {
    if (this.call?.state !== 'queued') return false;
    this.call = undefined;
    this.cancelTimers();
    this.events.push(queueTimeoutEvent(cause));
    return true;
  }

  /** The click-to-dial request times out: the next poll answers 403 and the call is gone. */
  requestTimeout(): boolean {
    if (!this.call) return false;
    this.call = undefined;
    this.cancelTimers();
    this.forbidNextPoll = true;
    return true;
  }

  /** The next event, if any. */
  nextEvent(): EventBody | undefined {
    return this.events.shift();
  }

  close(): void {
    this.cancelTimers();
  }

  private after(ms: number, step: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      step();
    }, ms);
    this.timers.add(timer);
  }

  private cancelTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
