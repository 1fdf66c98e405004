/**
 * What one CEC account's connector keeps across sessions, and what its sessions report to it: the
 * call in progress (it outlives a session: polling resumes after a reconnect), the create on its
 * way, whether the next token must be renewed, the channel's issues last shown. Sources:
 * VENDOR-NOTES.md, Huawei [C] (403 = a timed-out click-to-dial request); the rest [I]
 * (`docs/platforms/huawei.md`).
 */
import type { ConnectorContext } from '../../desk/port.js';
import type { SessionContext } from '../kit/connector.js';
import { applyTokenSource, type TokenSource } from './auth.js';
import { urlFamilyOf, type HuaweiAccount, type HuaweiSecrets, type UrlFamily } from './config.js';
import { foldEventsAnswer } from './events.js';
import type { ExchangeLimits } from './http.js';
import type { PlacedCall } from './normalize.js';
import type { PollOutcome } from './poller.js';
import type { EventsAnswer } from './schema.js';
import type { ChannelSupport, SessionHost } from './session.js';
import type { ResolvedTuning } from './config.js';

/**
 * How long a hung-up call waits for CEC's release event ("Call disconnected") before the desk ends
 * it anyway, ms [I]. Polling goes on meanwhile, so the release event is read and not left on the
 * channel for the next call.
 */
export const HANGUP_GRACE_MS = 5_000;

/** The call reason when CEC times out a click-to-dial request (HTTP 403, VENDOR-NOTES [C]). */
export const TIMED_OUT_REASON = 'CEC timed out the click-to-dial request (HTTP 403)';

/** One CEC account's state, shared by its sessions and its commands. */
export class CecAccountState {
  /** The one call in progress (it outlives sessions: polling resumes after a reconnect). */
  call: (PlacedCall & { hangingUpSince?: number }) | undefined;
  /** A create is on its way: a second dial waits for its answer. */
  placing = false;
  /** CEC refused the last session's token: renew what lies upstream of it on the next connection. */
  renewNext = false;
  /** Which CEC URL family the account's `clickToDialUrl` belongs to. */
  readonly family: UrlFamily;
  /** Every HTTP request's fetch, timeout (ms) and largest answer (bytes). */
  readonly limits: ExchangeLimits;
  /** The one replaceable token function (`applyToken`, or the tuning's). */
  readonly obtainToken: TokenSource;
  /** The last issues shown on the account (to emit only changes). */
  private shownIssues = '';

  /**
   * @param secrets the account's secrets, resolved; one of `appSecret` / `bearerToken` is needed
   *   (a missing one fails the first token request, not this constructor).
   */
  constructor(
    readonly account: HuaweiAccount,
    secrets: HuaweiSecrets,
    readonly tuning: ResolvedTuning,
  ) {
    this.family = urlFamilyOf(account.clickToDialUrl) ?? 'facade';
    this.limits = { fetch: tuning.fetch, timeoutMs: tuning.requestTimeoutMs, maxBytes: tuning.maxResponseBytes };
    this.obtainToken = tuning.tokenSource ?? applyTokenSource(account, secrets, this.limits);
  }

  /** Shows on the account what the channel does not offer (a `subscriptions` event, only when it changed). */
  showIssues(ctx: ConnectorContext, support: ChannelSupport): void {
    const { account } = this;
    const issues = [];
    if (support.clickToCall === false) {
      issues.push({ entity: `channel ${account.channelId}`, topic: 'click-to-dial', message: 'CEC says click-to-dial is not available on this channel' });
    }
    if (account.callMedia === 'video' && support.webRTC === false) {
      issues.push({ entity: `channel ${account.channelId}`, topic: 'video', message: 'CEC says WebRTC is not available on this channel: video calls cannot be placed' });
    }
    const key = JSON.stringify(issues);
    if (key === this.shownIssues) return;
    this.shownIssues = key;
    if (issues.length) ctx.log.warn({ issues }, 'CEC does not offer everything this account needs');
    ctx.emit({ type: 'subscriptions', issues });
  }

  /** Ends the call in progress on the desk with `reason`, and forgets it. */
  endCall(ctx: ConnectorContext, reason: string): void {
    if (!this.call) return;
    ctx.emit({ type: 'call', call: { id: this.call.id, state: 'ended', endReason: reason, actions: [] } });
    this.call = undefined;
  }

  /** One answer to `getClickToCallEvents` → desk events (see events.ts); an ended call is forgotten. */
  handleEvents(ctx: ConnectorContext, answer: EventsAnswer): PollOutcome {
    const { outcome, ended } = foldEventsAnswer(answer, this.call, ctx);
    if (ended) this.call = undefined;
    return outcome;
  }

  /** What a session opened with `ctx` asks of the account (see `SessionHost`). */
  host(ctx: SessionContext): SessionHost {
    return {
      ctx,
      tuning: this.tuning,
      inProgress: () => this.call !== undefined,
      handleEvents: (answer) => this.handleEvents(ctx, answer),
      callTimedOut: () => this.endCall(ctx, TIMED_OUT_REASON),
      settleHangup: () => {
        if (!this.call?.hangingUpSince || Date.now() - this.call.hangingUpSince < HANGUP_GRACE_MS) return false;
        ctx.log.info('CEC sent no release event after the hang-up; the call is ended on the desk');
        this.endCall(ctx, 'Hung up');
        return true;
      },
      supportChanged: (next) => this.showIssues(ctx, next),
      obtainToken: (request) => this.obtainToken(request),
      tokenRefused: () => (this.renewNext = true),
    };
  }
}
