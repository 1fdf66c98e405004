/**
 * One Enreach session: every (re)connection of an account's desk (VENDOR-NOTES [C]: the SignalR
 * client's own reconnect gives up, RTE restores no subscriptions, missed events are not replayed):
 * 1. the REST base: `apiUrl`, else service discovery (cached once found);
 * 2. the SecretKey: configured, else traded for the password once (`authuser`);
 * 3. `users/me` → user id; `queues/?OnlyForUser=` → queues; call lists [I];
 * 4. a **fresh** RTE token (`token/{userId}/rte/`) → a new HubConnection (WebSockets only, rte.ts);
 * 5. `Subscribe` (user events, `QueueStatus` per queue, `CallbackChanged` per call list); refused
 *    items become a `subscriptions` event;
 * 6. REST re-read: availability [I], queues, open callbacks [I].
 * Document: `vendor-docs/enreach-rte-websocket-api.txt`; REST: rest.ts.
 */
import type { Said } from '../../../common/model.js';
import type { DeskLogger as Logger } from '../../desk/port.js';
import { ConnectionError } from '../../desk/port.js';
import type { SessionContext } from '../kit/connector.js';
import type { Session } from '../kit/supervisor.js';
import type { EnreachAccount, EnreachSecrets, EnreachTuning } from './config.js';
import { rteMessageEvents } from './events.js';
import { presenceOf, subscriptionIssues, type RouteContext } from './normalize.js';
import {
  EnreachHttpError,
  EnreachNetworkError,
  EnreachRest,
  discoverApiUrl,
  secretKeyFromPassword,
  type EnreachCallList,
  type EnreachQueueInfo,
} from './rest.js';
import { RteAuthError, RteConnectError, openRteSession, type RteSession } from './rte.js';
import { normalizeKeys, resolveEventType, subscriptionResultsSchema, type EntitySubscription } from './schema.js';

/**
 * The User events the connector subscribes to on the agent's own user id (document, "User"):
 * availability, status, every inbound/outbound call event the desk folds, wrap-up, personal
 * callbacks.
 */
export const ENREACH_USER_EVENTS = [
  'UserAvailability',
  'UserStatus',
  'UserCallInComing',
  'UserCallInArrived',
  'UserCallInUserAllocated',
  'UserCallInUserConnected',
  'UserCallInUserCancelled',
  'UserCallInDisconnected',
  'UserCallInHoldStart',
  'UserCallInHoldEnd',
  'UserCallInOverflow',
  'UserCallInUserOverflow',
  'UserCallInTransferStarted',
  'UserCallInTransferConnected',
  'UserCallInTransferCancelled',
  'UserCallOutGoing',
  'UserCallOutConnected',
  'UserCallOutDisconnected',
  'UserCallOutHoldStart',
  'UserCallOutHoldEnd',
  'UserWrapUpEnabled',
  'UserWrapUpStarted',
  'UserWrapUpTerminated',
  'UserCallInCallbackCreated',
] as const;

/** What one connected session knows, for commands. */
export interface Live {
  rest: EnreachRest;
  userId: string;
}

/** The REST client's tuning: its fetch and each request's timeout (ms). */
type RestTuning = Pick<EnreachTuning, 'fetch' | 'requestTimeoutMs'>;

/**
 * What one account's connector keeps across connections: the REST base and the SecretKey once
 * derived (forgotten when a person must fix the settings), and the account's words for a refusal.
 */
export class EnreachAccountState {
  /** The REST base: the configured `apiUrl`, else the one service discovery found. */
  apiUrl: string | undefined;
  /** The SecretKey: the configured one, else the one traded for the password. */
  secretKey: string | undefined;
  readonly tuning: EnreachTuning;
  readonly restTuning: RestTuning;

  /**
   * @param secrets the account's secrets, already resolved; one of `secretKey` / `password` is
   *   needed (a missing one fails the connection with a reason, not this constructor).
   */
  constructor(
    readonly account: EnreachAccount,
    readonly secrets: EnreachSecrets,
    tuning: EnreachTuning = {},
  ) {
    this.tuning = tuning;
    this.restTuning = { fetch: tuning.fetch, requestTimeoutMs: tuning.requestTimeoutMs };
    this.apiUrl = account.apiUrl;
    this.secretKey = secrets.secretKey;
  }

  /** The account's user name. */
  get user(): string {
    return this.account.user;
  }

  /** The agent's message when Enreach rejects the account's credentials (names the kind of secret configured). */
  rejected(): string {
    return this.secrets.secretKey
      ? `Enreach rejected the user name or secret key for ${this.user} — check the account settings`
      : `Enreach rejected the user name or password for ${this.user} — check the account settings`;
  }

  /** {@link rejected} as a code for the agent's language (issue 19). */
  rejectedSaid(): Said {
    return { key: 'accounts.reason.credentials', values: { user: this.user } };
  }

  /** Forgets what was derived from the settings (a person will fix them). */
  forgetDerived(): void {
    this.apiUrl = this.account.apiUrl;
    this.secretKey = this.secrets.secretKey;
  }

  /**
   * The REST base: the configured or cached one, else found by service discovery (then cached).
   * @throws {ConnectionError} (fatal) when discovery knows no such account.
   */
  async resolveApiUrl(): Promise<string> {
    if (this.apiUrl) return this.apiUrl;
    const found = await discoverApiUrl(this.account.discoveryUrl, this.user, this.restTuning);
    if (!found) {
      throw new ConnectionError(`Enreach service discovery knows no account ${this.user} — check the user name, or set apiUrl`, true);
    }
    this.apiUrl = found;
    return found;
  }

  /**
   * The SecretKey: the configured or cached one, else traded for the password (then cached).
   * @throws {ConnectionError} (fatal) when neither is set or the password is rejected.
   */
  async resolveSecretKey(api: string): Promise<string> {
    if (this.secretKey) return this.secretKey;
    const { password } = this.secrets;
    if (!password) throw new ConnectionError(`No secret key or password is set for ${this.user} — check the account settings`, true, { said: { key: 'accounts.reason.no-secret', values: { user: this.user } } });
    try {
      this.secretKey = (await secretKeyFromPassword(api, this.user, password, this.restTuning)).secretKey;
    } catch (error) {
      if (error instanceof EnreachHttpError && (error.status === 400 || error.status === 401 || error.status === 403)) {
        throw new ConnectionError(this.rejected(), true, { cause: error, said: this.rejectedSaid() });
      }
      throw error;
    }
    return this.secretKey;
  }

  /** Maps any failure of a connection attempt to a {@link ConnectionError} (fatal when a person must act). */
  classify(error: unknown): ConnectionError {
    const { user } = this;
    if (error instanceof ConnectionError) return error;
    if (error instanceof RteAuthError) {
      return new ConnectionError(
        `Enreach's real-time service refused a freshly issued access token for ${user} — check that the user may use real-time events (RTE), then retry`,
        true,
        { cause: error },
      );
    }
    if (error instanceof EnreachHttpError) {
      if (error.status === 401) return new ConnectionError(this.rejected(), true, { cause: error, said: this.rejectedSaid() });
      if (error.status === 403) {
        return new ConnectionError(`Enreach refused ${user} access to ${error.path} (HTTP 403) — check the user's permissions`, true, {
          cause: error,
          said: { key: 'accounts.reason.forbidden', values: { user, detail: error.path } },
        });
      }
      if (error.status === 404 && /\/users\/me$/.test(error.path)) {
        return new ConnectionError(`The Enreach API at ${this.apiUrl} has no users/me — check the account's apiUrl`, true, { cause: error });
      }
      return new ConnectionError(`Enreach is not answering properly (HTTP ${error.status} on ${error.path}); retrying`, false, { cause: error, retryAfterMs: error.retryAfterMs });
    }
    if (error instanceof RteConnectError) return new ConnectionError(error.message, false, { cause: error, retryAfterMs: error.retryAfterMs });
    if (error instanceof EnreachNetworkError) return new ConnectionError(error.message, false, { cause: error });
    const message = error instanceof Error ? error.message : String(error);
    return new ConnectionError(message, false, { cause: error });
  }
}

/** What the REST reads before the hub told about the agent: the user id, the queues, the call lists. */
interface Directory {
  userId: string;
  queues: readonly EnreachQueueInfo[];
  callLists: readonly EnreachCallList[];
}

/**
 * Opens one connection (steps 1–6 in this file's header) and folds what the hub sends.
 * @returns the hub session for the supervisor and the REST client for the commands.
 * @throws {ConnectionError} classified by `EnreachAccountState.classify`; a fatal one first forgets
 *   what was derived from the settings.
 */
export async function openSession(state: EnreachAccountState, ctx: SessionContext): Promise<{ session: Session; live: Live }> {
  const { log, emit } = ctx;
  const { tuning } = state;
  try {
    const api = await state.resolveApiUrl();
    const key = await state.resolveSecretKey(api);
    const rest = new EnreachRest(api, state.user, key, state.restTuning);
    const { id: userId } = await rest.me();
    const queues = await rest.queues(userId);
    const callLists = (await optional(log, 'the call lists [I]', () => rest.callLists(userId))) ?? [];
    const route: RouteContext = {
      userId,
      queuesByNumber: new Map(queues.flatMap((q) => q.numbers.map((n) => [n, { id: q.id, name: q.name }] as const))),
    };
    const { url, token } = await rest.rteToken(userId); // fresh for every connection
    const session = await openRteSession({
      url,
      token,
      log,
      onMessage: (message) => {
        for (const event of rteMessageEvents(message, route, log)) emit(event);
      },
      onAlive: ctx.healthy,
      serverTimeoutMs: tuning.serverTimeoutMs,
      keepAliveMs: tuning.keepAliveMs,
      maxMessageBytes: tuning.maxMessageBytes,
    });
    try {
      const directory: Directory = { userId, queues, callLists };
      await subscribe(state, session, directory, ctx);
      await reread(rest, directory, ctx);
    } catch (error) {
      await session.close();
      throw error;
    }
    return { session, live: { rest, userId } };
  } catch (error) {
    const classified = state.classify(error);
    if (classified.fatal) state.forgetDerived();
    throw classified;
  }
}

/** A best-effort REST read: `undefined` (logged) when it fails, so [I] paths cannot break a connection. @throws a 401 all the same. */
async function optional<T>(log: Logger, what: string, read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof EnreachHttpError && error.status === 401) throw error;
    log.warn({ err: error }, `could not read ${what} from Enreach; continuing without it`);
    return undefined;
  }
}

/** The hub subscriptions of one connection: the user's events, each queue's status, each call list's callbacks. */
function subscriptionsFor({ userId, queues, callLists }: Directory): EntitySubscription[] {
  return [
    ...ENREACH_USER_EVENTS.map((EventName) => ({ EntityId: userId, EventName })),
    ...queues.map((q) => ({ EntityId: q.id, EventName: 'QueueStatus' })),
    ...callLists.map((l) => ({ EntityId: l.id, EventName: 'CallbackChanged' })),
  ];
}

/**
 * Step 5: `Subscribe`; the items refused become a `subscriptions` event naming each entity (user,
 * queue, call list). An answer of an unexpected shape is logged.
 */
async function subscribe(state: EnreachAccountState, session: RteSession, directory: Directory, ctx: SessionContext): Promise<void> {
  const { log, emit } = ctx;
  const { userId, queues, callLists } = directory;
  const names = new Map<string, string>([
    [userId.toLowerCase(), `user ${state.user}`],
    ...queues.map((q) => [q.id.toLowerCase(), `queue ${q.name}`] as [string, string]),
    ...callLists.map((l) => [l.id.toLowerCase(), `call list ${l.name}`] as [string, string]),
  ]);
  const answer = await session.invoke('Subscribe', subscriptionsFor(directory));
  const results = subscriptionResultsSchema.safeParse(normalizeKeys(answer));
  if (results.success) {
    const issues = subscriptionIssues(
      results.data.map((r) => ({ ...r, eventName: r.eventName ? String(resolveEventType(r.eventName)) : r.eventName })),
      (id) => names.get(id.toLowerCase()) ?? id,
    );
    if (issues.length > 0) log.warn({ issues }, 'Enreach refused some subscriptions');
    emit({ type: 'subscriptions', issues });
  } else {
    log.warn({ problem: results.error.message }, 'Enreach answered Subscribe with something unexpected');
  }
}

/** Step 6: missed events are not replayed, so re-read what REST can tell: availability [I], queues, open callbacks [I]. */
async function reread(rest: EnreachRest, { userId, queues, callLists }: Directory, ctx: SessionContext): Promise<void> {
  const { log, emit } = ctx;
  const availability = await optional(log, 'the availability [I]', async () => ({ record: await rest.availability(userId) }));
  if (availability) emit({ type: 'presence', presence: presenceOf(availability.record) });
  emit({ type: 'queues.sync', queues: queues.map((q) => q.figures) });
  if (callLists.length > 0) {
    const lists = await optional(log, 'the open callbacks [I]', () => Promise.all(callLists.map((l) => rest.openCallbacks(l.id, userId))));
    if (lists) emit({ type: 'callbacks.sync', callbacks: lists.flat() });
  }
}
