/**
 * The Huawei CEC connector: CC-Messaging click-to-dial over HTTP polling. Document:
 * `vendor-docs/huawei-cec-click-to-dial-events.txt`; facts beyond it: VENDOR-NOTES.md, Huawei.
 *
 * Built on the kit's {@link defineConnector}: lifecycle, supervisor, refusals come from there. This
 * file says how to open one session and how to carry out the two commands CEC supports.
 *
 * Every (re)connection:
 * 1. a **fresh** `ccmessaging-token` from the one replaceable {@link TokenSource} (`applyToken`);
 * 2. `checkClickToCallSupport`: whether click-to-dial (and WebRTC, for video) is on; what is not is
 *    shown on the account as an issue;
 * 3. the call in progress, if any, is followed again: its events wait on the channel while the desk
 *    is away, and the poll reads them (CEC has no "list calls": what the desk re-reads is the
 *    progress of the call it placed) [I].
 *
 * Commands: `call.dial` → `createClickToCall` ("13" → "No agent available"); `call.action` hang up →
 * `dropClickToCall`. CEC holds one click-to-dial call per channel session (create, poll and drop
 * name no call), so the connector places one at a time and names it itself [I].
 */
import type { ConnectorEvent } from '../../desk/events.js';
import { CommandError, ConnectionError, type Connector, type ConnectorContext } from '../../desk/port.js';
import { defineConnector, type SessionContext } from '../kit/connector.js';
import type { BackoffPolicy } from '../kit/supervisor.js';
import { applyTokenSource, CecAuthError, type CecCredentials, type TokenSource } from './auth.js';
import { HUAWEI_CAPABILITIES, HUAWEI_NAME } from './capabilities.js';
import { CecClient } from './cec.js';
import { urlFamilyOf, type HuaweiAccount, type HuaweiSecrets } from './config.js';
import { CecHttpError, CecNetworkError, CecUnreadableError } from './http.js';
import { callPatchFor, classifyEvents, endsCall, placedPatch, USER_DATA, type PlacedCall } from './normalize.js';
import type { PollOutcome } from './poller.js';
import type { EventsAnswer } from './schema.js';
import { CecSession, supportOf, TOKEN_REFUSED, type ChannelSupport, type SessionHost } from './session.js';
import { resolveTuning, type HuaweiTuning } from './tuning.js';

/**
 * One answer to `getClickToCallEvents`, validated, for the call in progress (if any): its desk
 * events go to `ctx.emit`, what it does not show is logged. Shared by the connector and the bench.
 * @returns the poll's outcome, and whether the call ended (the caller forgets it).
 */
export function foldEventsAnswer(answer: EventsAnswer, call: PlacedCall | undefined, ctx: Pick<ConnectorContext, 'emit' | 'log'>): { outcome: PollOutcome; ended: boolean } {
  const { log, emit } = ctx;
  const event = classifyEvents(answer);
  switch (event.kind) {
    case 'none':
      return { outcome: 'empty', ended: false };
    case 'unknown-events':
      log.debug('CEC reports click-to-dial events it does not name; polling on');
      return { outcome: 'event', ended: false };
    case 'unrecognized':
      log.info({ resultDesc: event.resultDesc, eventId: event.eventId }, 'CEC sent a click-to-dial event the connector does not know; ignored');
      return { outcome: 'empty', ended: false };
    case 'refused':
      log.warn({ resultCode: event.resultCode, resultDesc: event.resultDesc }, 'CEC refused the event poll (resultCode other than "0")');
      return { outcome: 'empty', ended: false };
    default:
      break;
  }
  if (!call) {
    log.debug({ event: event.kind }, 'a click-to-dial event with no call in progress; ignored');
    return { outcome: endsCall(event) ? 'stop' : 'empty', ended: false };
  }
  const patch = callPatchFor(event, call);
  if (patch) emit({ type: 'call', call: patch } satisfies ConnectorEvent);
  return endsCall(event) ? { outcome: 'stop', ended: true } : { outcome: 'event', ended: false };
}

/** Options of {@link createHuaweiConnector}: the kit's `ConnectorOptions`, with CEC's tuning typed. */
export interface HuaweiConnectorOptions {
  /** Reconnect delays (default: the kit's `DEFAULT_BACKOFF`); tests pass a fast one. */
  backoff?: BackoffPolicy;
  tuning?: HuaweiTuning;
}

/**
 * How long a hung-up call waits for CEC's release event ("Call disconnected") before the desk ends
 * it anyway, ms [I]. Polling goes on meanwhile, so the release event is read and not left on the
 * channel for the next call.
 */
export const HANGUP_GRACE_MS = 5_000;

/** The call reason when CEC times out a click-to-dial request (HTTP 403, VENDOR-NOTES [C]). */
export const TIMED_OUT_REASON = 'CEC timed out the click-to-dial request (HTTP 403)';

/** The agent's message when CEC has no agent for the call (`createClickToCall` resultCode "13"). */
export function noAgentMessage(resultDesc: string | null | undefined): string {
  const said = resultDesc?.trim();
  return said && !/\bno agents?\b.*\bavailable\b/i.test(said) ? `No agent available (CEC: ${said})` : 'No agent available';
}

/**
 * Creates the connector for one Huawei CEC account.
 * @param account the parsed account (see `huaweiAccountSchema`).
 * @param secrets its secrets, resolved; one of `appSecret` / `bearerToken` is needed (a missing one
 *   makes the connection `failed` with a reason, it does not throw here).
 */
export function createHuaweiConnector(account: HuaweiAccount, secrets: HuaweiSecrets, options: HuaweiConnectorOptions = {}): Connector {
  const tuning = resolveTuning(options.tuning);
  const family = urlFamilyOf(account.clickToDialUrl) ?? 'facade';
  const limits = { fetch: tuning.fetch, timeoutMs: tuning.requestTimeoutMs, maxBytes: tuning.maxResponseBytes };
  const obtainToken: TokenSource = tuning.tokenSource ?? applyTokenSource(account, secrets, limits);

  /** The one call in progress (it outlives sessions: polling resumes after a reconnect). */
  let call: (PlacedCall & { hangingUpSince?: number }) | undefined;
  /** A create is on its way: a second dial waits for its answer. */
  let placing = false;
  /** CEC refused the last session's token: renew what lies upstream of it on the next connection. */
  let renewNext = false;
  /** The last issues shown on the account (to emit only changes). */
  let shownIssues = '';

  function emitIssues(ctx: ConnectorContext, support: ChannelSupport): void {
    const issues = [];
    if (support.clickToCall === false) {
      issues.push({ entity: `channel ${account.channelId}`, topic: 'click-to-dial', message: 'CEC says click-to-dial is not available on this channel' });
    }
    if (account.callMedia === 'video' && support.webRTC === false) {
      issues.push({ entity: `channel ${account.channelId}`, topic: 'video', message: 'CEC says WebRTC is not available on this channel: video calls cannot be placed' });
    }
    const key = JSON.stringify(issues);
    if (key === shownIssues) return;
    shownIssues = key;
    if (issues.length) ctx.log.warn({ issues }, 'CEC does not offer everything this account needs');
    ctx.emit({ type: 'subscriptions', issues });
  }

  function endCall(ctx: ConnectorContext, reason: string): void {
    if (!call) return;
    ctx.emit({ type: 'call', call: { id: call.id, state: 'ended', endReason: reason, actions: [] } });
    call = undefined;
  }

  function host(ctx: SessionContext): SessionHost {
    return {
      ctx,
      tuning,
      inProgress: () => call !== undefined,
      handleEvents: (answer) => handleEvents(ctx, answer),
      callTimedOut: () => endCall(ctx, TIMED_OUT_REASON),
      settleHangup() {
        if (!call?.hangingUpSince || Date.now() - call.hangingUpSince < HANGUP_GRACE_MS) return false;
        ctx.log.info('CEC sent no release event after the hang-up; the call is ended on the desk');
        endCall(ctx, 'Hung up');
        return true;
      },
      supportChanged: (next) => emitIssues(ctx, next),
      obtainToken: (request) => obtainToken(request),
      tokenRefused: () => (renewNext = true),
    };
  }

  /** One answer to `getClickToCallEvents` → desk events (see `normalize.ts`). */
  function handleEvents(ctx: ConnectorContext, answer: EventsAnswer): PollOutcome {
    const { outcome, ended } = foldEventsAnswer(answer, call, ctx);
    if (ended) call = undefined;
    return outcome;
  }

  /** Maps a failure of a connection attempt to a {@link ConnectionError} (fatal when a person must act). */
  function connectionFailure(error: unknown): ConnectionError {
    if (error instanceof ConnectionError) return error;
    if (error instanceof CecAuthError) return new ConnectionError(error.message, error.fatal, { cause: error });
    if (error instanceof CecHttpError) {
      if (error.status === 401) {
        renewNext = true;
        return new ConnectionError(TOKEN_REFUSED, true, { cause: error });
      }
      if (error.status === 404) {
        return new ConnectionError(`CEC has no ${error.operation} at ${account.clickToDialUrl} (HTTP 404) — check clickToDialUrl`, true, { cause: error });
      }
      return new ConnectionError(`CEC is not answering properly (HTTP ${error.status} to ${error.operation}); retrying`, false, { cause: error, retryAfterMs: error.retryAfterMs });
    }
    if (error instanceof CecNetworkError) return new ConnectionError(error.message, false, { cause: error });
    if (error instanceof CecUnreadableError) return new ConnectionError(`${error.message}; retrying`, false, { cause: error });
    return new ConnectionError(error instanceof Error ? error.message : String(error), false, { cause: error });
  }

  /** Opens one session (steps 1–3 above). @throws {ConnectionError}. */
  async function connect(ctx: SessionContext): Promise<{ session: CecSession; live: CecSession }> {
    let credentials: CecCredentials;
    try {
      credentials = await obtainToken({ renew: renewNext });
    } catch (error) {
      throw connectionFailure(error);
    }
    renewNext = false;
    const client = new CecClient({
      family,
      baseUrl: account.clickToDialUrl,
      appKey: account.appKey,
      credentials,
      limits,
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
        throw connectionFailure(error);
      }
    }
    emitIssues(ctx, support);
    const session = new CecSession(client, host(ctx), support);
    if (call) {
      ctx.log.info('following the click-to-dial call in progress again');
      session.follow();
    }
    return { session, live: session };
  }

  /** A command's failure in words for the agent. */
  function commandFailure(what: string, error: unknown, session: CecSession, ctx: ConnectorContext): CommandError {
    if (error instanceof CommandError) return error;
    if (error instanceof CecAuthError) {
      if (error.fatal) session.end(new ConnectionError(error.message, true, { cause: error }));
      return new CommandError(`${what}: ${error.message}`);
    }
    if (error instanceof CecHttpError) {
      if (error.status === 403) return new CommandError(`${what}: CEC timed out the request (HTTP 403) — try again`);
      if (error.status >= 500) return new CommandError(`${what}: CEC is not answering properly (HTTP ${error.status}) — try again`);
      return new CommandError(`${what}: CEC refused the request (HTTP ${error.status})`);
    }
    if (error instanceof CecUnreadableError) {
      ctx.log.warn({ operation: error.operation, problem: error.problem, detail: error.message }, 'dropped a malformed answer from CEC (command)');
      return new CommandError(`${what}: CEC's answer could not be read — check the CEC client before trying again`);
    }
    if (error instanceof CecNetworkError) return new CommandError(`${what}: CEC could not be reached — try again`);
    return new CommandError(`${what}: ${error instanceof Error ? error.message : String(error)}`);
  }

  const connector = defineConnector<CecSession>({
    platform: HUAWEI_NAME,
    capabilities: HUAWEI_CAPABILITIES,
    backoff: options.backoff,
    connect: (ctx) => connect(ctx),
    commands: {
      /**
       * `createClickToCall` with the account's media. "0" → the call is on the desk (`dialing`, then
       * what the events say); "13" → "No agent available" (or CEC's words).
       */
      'call.dial': async (session, command, ctx) => {
        if (call) throw new CommandError('A CEC call is already in progress on this account — hang it up first');
        if (placing) throw new CommandError('A CEC call is being placed on this account — wait for it');
        if (session.support.clickToCall === false) throw new CommandError('Click-to-dial is not available on this CEC channel');
        if (account.callMedia === 'video' && session.support.webRTC === false) throw new CommandError('Video calls are not available on this CEC channel');
        placing = true;
        let answer;
        try {
          answer = await session.request(() => session.client.create(account.callMedia));
        } catch (error) {
          throw commandFailure('Could not place the call', error, session, ctx);
        } finally {
          placing = false;
        }
        if (answer.resultCode === '13') throw new CommandError(noAgentMessage(answer.resultDesc));
        if (answer.resultCode !== '0') {
          throw new CommandError(`CEC did not place the call (resultCode ${answer.resultCode}${answer.resultDesc ? `: ${answer.resultDesc}` : ''})`);
        }
        call = {
          id: tuning.newCallId(),
          number: command.number,
          media: account.callMedia,
          userData: { [USER_DATA.media]: account.callMedia === 'video' ? 'Video' : 'Voice' },
        };
        ctx.emit({ type: 'call', call: placedPatch(call) });
        session.follow();
      },
      /** Hang up → `dropClickToCall`; the call ends with CEC's release event (or after a grace period). */
      'call.action': async (session, command, ctx) => {
        if (command.action !== 'hangup') throw new CommandError(`CEC calls can only be hung up from here (not “${command.action}”)`);
        if (!call || call.id !== command.callId) throw new CommandError('That CEC call is no longer in progress');
        let answer;
        try {
          answer = await session.request(() => session.client.drop());
        } catch (error) {
          if (error instanceof CecHttpError && error.status === 403) {
            endCall(ctx, TIMED_OUT_REASON);
            return;
          }
          throw commandFailure('Could not hang up', error, session, ctx);
        }
        if (answer.resultCode !== '0') {
          throw new CommandError(`CEC could not hang up the call${answer.resultDesc ? ` (${answer.resultDesc})` : ''}`);
        }
        if (call) call.hangingUpSince = Date.now();
        session.follow();
      },
    },
  });
  tuning.onConnector?.(connector);
  return connector;
}
