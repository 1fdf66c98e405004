/**
 * One CEC session, as the supervisor sees it: a token applied for and a `checkClickToCallSupport`
 * answered. It lives until the server shows the token is gone (401), the server fails (5xx on the
 * heartbeat, or on several polls in a row), a request hangs past the request timeout (silence) or
 * the connection cannot be made (reset, refused) — then `closed` settles with the reason and the
 * supervisor opens a new one (a fresh token, a new check, polling resumed for the call in progress).
 *
 * While a call is in progress the session polls `getClickToCallEvents` (see `poller.ts`); while
 * none is, nothing is polled and a `checkClickToCallSupport` heartbeat proves the server and the
 * token alive every `heartbeatMs` [I].
 *
 * Sources: VENDOR-NOTES [C] — a 401 means the token expired (apply again); a click-to-dial request
 * that times out answers 403. [I] (`docs/platforms/huawei.md`): a 401 from the session's own background requests ends
 * the session (the reconnect applies again and resumes the poll); a 401 on a command the agent is
 * waiting for is healed in place (apply again, retry once); a 401 right after a fresh token is a
 * credentials failure.
 */
import { CommandError, ConnectionError } from '../../desk/port.js';
import type { SessionContext } from '../kit/connector.js';
import type { Session } from '../kit/supervisor.js';
import { CecAuthError, type CecCredentials, type TokenRequest } from './auth.js';
import { CecClient } from './cec.js';
import { CecHttpError, CecNetworkError, CecUnreadableError } from './http.js';
import { EventPoller, type PollOutcome } from './poller.js';
import type { EventsAnswer, SupportAnswer } from './schema.js';
import type { CecAccountState } from './state.js';
import type { ResolvedTuning } from './config.js';

/** What the channel offers, from `checkClickToCallSupport` (`undefined`: not said). */
export interface ChannelSupport {
  clickToCall?: boolean;
  webRTC?: boolean;
}

/** Reads a support answer. */
export function supportOf(answer: SupportAnswer): ChannelSupport {
  return { clickToCall: answer.clickToCallSupported ?? undefined, webRTC: answer.webRTCSupported ?? undefined };
}

/** What the session asks of its connector. */
export interface SessionHost {
  /** The connector's context; `healthy()` hears of every answered poll and heartbeat. */
  ctx: SessionContext;
  tuning: ResolvedTuning;
  /** Whether a click-to-dial call is in progress (the session polls while one is). */
  inProgress(): boolean;
  /** Handles one answer to a poll; says what it came to (`stop`: the call ended). */
  handleEvents(answer: EventsAnswer): PollOutcome;
  /** A poll met HTTP 403 (a timed-out click-to-dial request): the call in progress ends with that reason. */
  callTimedOut(): void;
  /** After each poll: ends a hung-up call whose release event never came; true when it did. */
  settleHangup(): boolean;
  /** A heartbeat told what the channel offers now. */
  supportChanged(support: ChannelSupport): void;
  /** The one replaceable token function (for a command that met a 401). */
  obtainToken(request: TokenRequest): Promise<CecCredentials>;
  /** CEC refused the session's token: the next connection renews everything upstream of it. */
  tokenRefused(): void;
}

/** The reason a session ends when CEC no longer accepts its token. */
export const TOKEN_GONE = 'CEC no longer accepts the session token (HTTP 401); applying for a new one';

/** The message of a credentials failure: a freshly applied token refused. */
export const TOKEN_REFUSED =
  'CEC refused the token it had just issued (HTTP 401 twice in a row) — check the app key, the app secret or bearer token, the user id and the channel id';

/** A live CEC session (see the file's description). */
export class CecSession implements Session {
  readonly closed: Promise<Error | undefined>;
  private settle!: (cause: Error | undefined) => void;
  private over = false;
  private poller: EventPoller | undefined;
  private readonly heartbeat: ReturnType<typeof setInterval>;
  private beating = false;

  constructor(
    readonly client: CecClient,
    private readonly host: SessionHost,
    /** What the channel offers, from the last `checkClickToCallSupport`. */
    public support: ChannelSupport,
  ) {
    this.closed = new Promise((resolve) => (this.settle = resolve));
    this.heartbeat = setInterval(() => void this.beat(), host.tuning.heartbeatMs);
  }

  /** True once the session has ended. */
  get ended(): boolean {
    return this.over;
  }

  /** Starts polling for the call in progress (idempotent). */
  follow(): void {
    if (this.over || this.poller?.active) return;
    this.poller = new EventPoller({
      poll: () => this.pollOnce(),
      timing: this.host.tuning,
      onGiveUp: () => this.end(new ConnectionError('CEC keeps answering the event poll with server errors; reconnecting')),
    });
    this.poller.start();
  }

  /** Ends the session (idempotent): polling and the heartbeat stop, `closed` settles with `cause`. */
  end(cause: Error | undefined): void {
    if (this.over) return;
    this.over = true;
    this.poller?.stop();
    clearInterval(this.heartbeat);
    this.settle(cause);
  }

  async close(): Promise<void> {
    this.end(undefined);
  }

  /**
   * Runs a request the agent is waiting for; on a 401, applies for a new token and retries once.
   * @throws what the request throws; {CommandError} when the retry meets a 401 too (the session
   *   then ends as a credentials failure).
   */
  async request<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof CecHttpError && error.status === 401)) throw error;
      this.host.ctx.log.info('CEC refused the token on a command (HTTP 401); applying for a new one');
      this.client.useCredentials(await this.host.obtainToken({ renew: true }));
    }
    try {
      return await run();
    } catch (error) {
      if (error instanceof CecHttpError && error.status === 401) {
        this.host.tokenRefused();
        this.end(new ConnectionError(TOKEN_REFUSED, true));
        throw new CommandError(TOKEN_REFUSED);
      }
      throw error;
    }
  }

  /**
   * One `getClickToCallEvents`, handled. Never throws. An answer that arrives after the session
   * ended is still handled: CEC handed the event over once, and it must not be lost.
   */
  private async pollOnce(): Promise<PollOutcome> {
    const { log } = this.host.ctx;
    let outcome: PollOutcome;
    try {
      const answer = await this.client.events();
      if (!this.over) this.host.ctx.healthy();
      outcome = this.host.handleEvents(answer);
    } catch (error) {
      if (this.over) return 'stop';
      outcome = this.failed(error, 'event poll');
      if (outcome === 'stop' && error instanceof CecHttpError && error.status === 403) {
        log.warn({ err: error }, 'CEC timed out the click-to-dial request (HTTP 403); the call ends');
        this.host.callTimedOut();
      }
    }
    if (this.over) return 'stop';
    if (outcome !== 'stop' && this.host.settleHangup()) outcome = 'stop';
    // A call placed while this poll was out must go on being followed.
    if (outcome === 'stop' && this.host.inProgress()) return 'event';
    return outcome;
  }

  /** The heartbeat: only while no call is in progress (the poll proves the session then). */
  private async beat(): Promise<void> {
    if (this.over || this.beating || this.poller?.active || this.host.inProgress()) return;
    this.beating = true;
    try {
      const answer = await this.client.checkSupport();
      if (!this.over) this.host.ctx.healthy();
      if (answer.resultCode === '0') {
        this.support = supportOf(answer);
        this.host.supportChanged(this.support);
      }
    } catch (error) {
      if (!this.over) this.failed(error, 'heartbeat');
    } finally {
      this.beating = false;
    }
  }

  /**
   * What a failed background request means: an unreadable answer is logged and dropped; a 401 ends
   * the session as a refused sign-in (the reconnect applies again; a second one in a row is fatal,
   * see the supervisor); a 403 on a poll ends the call; a 5xx on a poll backs off, unless it says
   * `Retry-After` (then the session ends and the supervisor waits at least that long); anything else
   * (5xx on the heartbeat, other statuses, network, timeout) ends the session.
   */
  private failed(error: unknown, what: 'event poll' | 'heartbeat'): PollOutcome {
    const { log } = this.host.ctx;
    if (error instanceof CecUnreadableError) {
      log.warn({ operation: error.operation, problem: error.problem, detail: error.message }, `dropped a malformed answer from CEC (${what})`);
      return 'empty';
    }
    if (error instanceof CecHttpError) {
      if (error.status === 401) {
        this.host.tokenRefused();
        this.end(new ConnectionError(TOKEN_GONE, false, { unauthorized: true }));
        return 'stop';
      }
      if (what === 'event poll' && error.status === 403) return 'stop';
      if (what === 'event poll' && error.retryAfterMs === undefined) {
        log.warn({ status: error.status, operation: error.operation }, 'CEC answered the event poll with an error; backing off');
        return 'server-error';
      }
      this.end(new ConnectionError(`CEC answered HTTP ${error.status} to ${error.operation}; reconnecting`, false, { retryAfterMs: error.retryAfterMs }));
      return 'stop';
    }
    if (error instanceof CecNetworkError) {
      this.end(new ConnectionError(error.timedOut ? `CEC stopped answering (${what} timed out); reconnecting` : error.message, false, { cause: error }));
      return 'stop';
    }
    log.error({ err: error }, `unexpected failure of the CEC ${what}`);
    this.end(new ConnectionError(`unexpected failure of the CEC ${what}; reconnecting`, false, { cause: error }));
    return 'stop';
  }
}

/**
 * Opens one session for the account (every (re)connection): a **fresh** `ccmessaging-token` from the
 * account's one replaceable token source (`applyToken`; renewed upstream after a refused one),
 * `checkClickToCallSupport` (what the channel does not offer is shown as an issue; an unreadable
 * answer is logged and offers everything), and the call in progress, if any, followed again: its
 * events wait on the channel while the desk is away [I].
 * @returns the session, for the supervisor and for the commands.
 * @throws {ConnectionError} for every failure (see {@link connectionFailure}).
 */
export async function openSession(state: CecAccountState, ctx: SessionContext): Promise<{ session: CecSession; live: CecSession }> {
  const { account } = state;
  let credentials: CecCredentials;
  try {
    credentials = await state.obtainToken({ renew: state.renewNext });
  } catch (error) {
    throw connectionFailure(state, error);
  }
  state.renewNext = false;
  const client = new CecClient({
    family: state.family,
    baseUrl: account.clickToDialUrl,
    appKey: account.appKey,
    credentials,
    limits: state.limits,
    onTokenRefreshed: (via) => ctx.log.debug({ via }, 'CEC handed over a refreshed token; using it from now on'),
  });
  let support: ChannelSupport = {};
  try {
    const answer = await client.checkSupport();
    if (answer.resultCode !== '0') ctx.log.warn({ resultCode: answer.resultCode, resultDesc: answer.resultDesc }, 'CEC refused checkClickToCallSupport');
    else support = supportOf(answer);
  } catch (error) {
    if (error instanceof CecUnreadableError) {
      ctx.log.warn({ operation: error.operation, problem: error.problem, detail: error.message }, 'dropped a malformed answer from CEC (support check)');
    } else {
      throw connectionFailure(state, error);
    }
  }
  state.showIssues(ctx, support);
  const session = new CecSession(client, state.host(ctx), support);
  if (state.call) {
    ctx.log.info('following the click-to-dial call in progress again');
    session.follow();
  }
  return { session, live: session };
}

/**
 * Maps a failure of a connection attempt to a {@link ConnectionError}: fatal when a person must act
 * (refused credentials, a token refused right after it was issued, no such operation at the URL);
 * otherwise retried, honouring the server's `Retry-After`. A 401 renews the next token upstream.
 */
function connectionFailure(state: CecAccountState, error: unknown): ConnectionError {
  if (error instanceof ConnectionError) return error;
  if (error instanceof CecAuthError) return new ConnectionError(error.message, error.fatal, { cause: error });
  if (error instanceof CecHttpError) {
    if (error.status === 401) {
      state.renewNext = true;
      return new ConnectionError(TOKEN_REFUSED, true, { cause: error });
    }
    if (error.status === 404) {
      return new ConnectionError(`CEC has no ${error.operation} at ${state.account.clickToDialUrl} (HTTP 404) — check clickToDialUrl`, true, { cause: error });
    }
    return new ConnectionError(`CEC is not answering properly (HTTP ${error.status} to ${error.operation}); retrying`, false, { cause: error, retryAfterMs: error.retryAfterMs });
  }
  if (error instanceof CecNetworkError) return new ConnectionError(error.message, false, { cause: error });
  if (error instanceof CecUnreadableError) return new ConnectionError(`${error.message}; retrying`, false, { cause: error });
  return new ConnectionError(error instanceof Error ? error.message : String(error), false, { cause: error });
}
