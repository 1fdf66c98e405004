/**
 * The Huawei CEC connector's timings and limits, in one place. The defaults suit production; tests
 * shorten them through the platform module's `options.tuning` (opaque outside this folder).
 *
 * Sources: the 100 ms poll after each answer is Huawei's own web client's (VENDOR-NOTES [C]);
 * every other value is ours [I] and listed in its protocol-confidence page (`docs/platforms/huawei.md`).
 */
import { randomUUID } from 'node:crypto';
import type { Connector } from '../../desk/port.js';
import type { TokenSource } from './auth.js';

/** Connector tuning; every field optional. */
export interface HuaweiTuning {
  /** The fetch every request uses (default: the global one). */
  fetch?: typeof fetch;
  /** Replaces the one function that obtains a token (default: {@link TokenSource} from `auth.ts`). */
  tokenSource?: TokenSource;
  /** Timeout of each HTTP request, ms (default 10 000) [I]: a request that hangs ends the session. */
  requestTimeoutMs?: number;
  /** The largest answer read, bytes (default 1 MiB) [I]: a larger one is logged and dropped. */
  maxResponseBytes?: number;
  /** Delay before the next `getClickToCallEvents` after an answer, ms (default 100, Huawei's own client [C]). */
  pollIntervalMs?: number;
  /** The slower delay after many empty answers in a row, ms (default 1 000) [I]. */
  slowPollIntervalMs?: number;
  /** Empty answers in a row before polling slows down (default 50) [I]. */
  emptyAnswersBeforeSlowing?: number;
  /** First delay after a 5xx answer to a poll, ms; doubles with each one in a row (default 1 000) [I]. */
  serverErrorBackoffMs?: number;
  /** The longest delay after 5xx answers, ms (default 8 000) [I]. */
  maxServerErrorBackoffMs?: number;
  /** 5xx answers to polls in a row after which the session ends and reconnects (default 4) [I]. */
  serverErrorsBeforeReconnect?: number;
  /**
   * While no call is in progress nothing is polled; a `checkClickToCallSupport` this often proves
   * the server and the token alive, ms (default 30 000) [I].
   */
  heartbeatMs?: number;
  /** Names each call the connector places (default: a random UUID). Tests pass their own. */
  newCallId?: () => string;
  /**
   * Hands the built connector to a test driver (the conformance rig places calls through its
   * `call.dial` command, as the desk does). Never set in production.
   */
  onConnector?: (connector: Connector) => void;
}

/** {@link HuaweiTuning} with every default applied. */
export type ResolvedTuning = Required<Omit<HuaweiTuning, 'fetch' | 'tokenSource' | 'onConnector'>> &
  Pick<HuaweiTuning, 'fetch' | 'tokenSource' | 'onConnector'>;

/** The defaults; see {@link HuaweiTuning} for each one's source. */
export const DEFAULT_TUNING: Omit<ResolvedTuning, 'newCallId' | 'fetch' | 'tokenSource' | 'onConnector'> = {
  requestTimeoutMs: 10_000,
  maxResponseBytes: 1024 * 1024,
  pollIntervalMs: 100,
  slowPollIntervalMs: 1_000,
  emptyAnswersBeforeSlowing: 50,
  serverErrorBackoffMs: 1_000,
  maxServerErrorBackoffMs: 8_000,
  serverErrorsBeforeReconnect: 4,
  heartbeatMs: 30_000,
};

/** Applies the defaults to a (possibly absent) tuning. */
export function resolveTuning(tuning: HuaweiTuning | undefined): ResolvedTuning {
  const given = Object.fromEntries(Object.entries(tuning ?? {}).filter(([, value]) => value !== undefined)) as HuaweiTuning;
  return { ...DEFAULT_TUNING, newCallId: () => randomUUID(), ...given };
}
