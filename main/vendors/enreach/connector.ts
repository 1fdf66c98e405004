/**
 * The Enreach Voice connector: REST (BeneAPI) for identity, queues, tokens and commands; the RTE
 * SignalR hub for live events. Document: `vendor-docs/enreach-rte-websocket-api.txt`; facts beyond
 * it: VENDOR-NOTES.md, Enreach section.
 *
 * Built on the kit's {@link defineConnector}: the lifecycle, the supervisor that heals the
 * connection, the presence options and the "not available" / "not connected yet" refusals come
 * from there. This file says how to open one connection and how to carry out the two commands
 * Enreach supports (`presence.set`, `callback.close`).
 *
 * Every (re)connection (VENDOR-NOTES [C]: the SignalR client's own reconnect gives up, RTE restores
 * no subscriptions, missed events are not replayed):
 * 1. the REST base: `apiUrl`, else service discovery (cached once found);
 * 2. the SecretKey: configured, else traded for the password once (`authuser`);
 * 3. `users/me` → user id; `queues/?OnlyForUser=` → queues; call lists [I];
 * 4. a **fresh** RTE token (`token/{userId}/rte/`) → a new HubConnection (WebSockets only);
 * 5. `Subscribe` (user events, `QueueStatus` per queue, `CallbackChanged` per call list); refused
 *    items become a `subscriptions` event;
 * 6. REST re-read: availability [I], queues, open callbacks [I].
 */
import type { ConnectorEvent } from '../../desk/events.js';
import type { DeskLogger as Logger } from '../../desk/port.js';
import { CommandError, ConnectionError, type Connector } from '../../desk/port.js';
import { defineConnector, type SessionContext } from '../kit/connector.js';
import type { BackoffPolicy, Session } from '../kit/supervisor.js';
import { ENREACH_CAPABILITIES, ENREACH_NAME } from './capabilities.js';
import type { EnreachAccount, EnreachSecrets, EnreachTuning } from './config.js';
import { availabilityFor, presenceOf, routeEvent, subscriptionIssues, type RouteContext } from './normalize.js';
import {
  EnreachHttpError,
  EnreachNetworkError,
  EnreachRest,
  discoverApiUrl,
  secretKeyFromPassword,
  type EnreachCallList,
  type EnreachQueueInfo,
} from './rest.js';
import { RteAuthError, RteConnectError, openRteSession } from './rte.js';
import { normalizeKeys, parseMessage, resolveEventType, subscriptionResultsSchema, type EntitySubscription } from './schema.js';

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

/**
 * One MessageReceived argument → the desk events it means; a malformed one is logged and dropped
 * (the bench's parse path is this one too).
 */
export function rteMessageEvents(message: unknown, route: RouteContext, log: Logger): ConnectorEvent[] {
  const parsed = parseMessage(message);
  if (!parsed.ok) {
    log.warn({ eventType: parsed.eventType, problem: parsed.error }, 'dropped a malformed Enreach RTE frame');
    return [];
  }
  if (parsed.event.eventType === '(unknown)') {
    log.debug({ eventType: parsed.event.type, event: parsed.event.data }, 'Enreach event of a type the connector does not know');
    return [];
  }
  // The clock is read only for an event without a timestamp (the only time routing uses it).
  const events = routeEvent(parsed.event, parsed.event.timestamp ? route : { ...route, now: new Date().toISOString() });
  if (events.length === 0) log.debug({ eventType: parsed.event.eventType, event: parsed.event }, 'Enreach event not shown on the desk');
  return events;
}

/** Options of {@link createEnreachConnector}: the kit's `ConnectorOptions`, with Enreach's tuning typed. */
export interface EnreachConnectorOptions {
  /** Reconnect delays (default: the kit's `DEFAULT_BACKOFF`); tests pass a fast one. */
  backoff?: BackoffPolicy;
  /** Timeouts and transports (see {@link EnreachTuning}). */
  tuning?: EnreachTuning;
}

/** What one connected session knows, for commands. */
interface Live {
  rest: EnreachRest;
  userId: string;
}

/**
 * Creates the connector for one Enreach account.
 * @param account the parsed account (see `enreachAccountSchema`).
 * @param secrets the account's secrets, already resolved; one of `secretKey` / `password` is needed
 *   (a missing one makes the connection `failed` with a reason, it does not throw here).
 */
export function createEnreachConnector(account: EnreachAccount, secrets: EnreachSecrets, options: EnreachConnectorOptions = {}): Connector {
  const user = account.user;
  const tuning: EnreachTuning = options.tuning ?? {};
  const restTuning = { fetch: tuning.fetch, requestTimeoutMs: tuning.requestTimeoutMs };
  let apiUrl = account.apiUrl;
  let secretKey = secrets.secretKey;

  const rejected = (): string =>
    secrets.secretKey
      ? `Enreach rejected the user name or secret key for ${user} — check the account settings`
      : `Enreach rejected the user name or password for ${user} — check the account settings`;

  /** Maps any failure of a connection attempt to a {@link ConnectionError} (fatal when a person must act). */
  function classify(error: unknown): ConnectionError {
    if (error instanceof ConnectionError) return error;
    if (error instanceof RteAuthError) {
      return new ConnectionError(
        `Enreach's real-time service refused a freshly issued access token for ${user} — check that the user may use real-time events (RTE), then retry`,
        true,
        { cause: error },
      );
    }
    if (error instanceof EnreachHttpError) {
      if (error.status === 401) return new ConnectionError(rejected(), true, { cause: error });
      if (error.status === 403) {
        return new ConnectionError(`Enreach refused ${user} access to ${error.path} (HTTP 403) — check the user's permissions`, true, { cause: error });
      }
      if (error.status === 404 && /\/users\/me$/.test(error.path)) {
        return new ConnectionError(`The Enreach API at ${apiUrl} has no users/me — check the account's apiUrl`, true, { cause: error });
      }
      return new ConnectionError(`Enreach is not answering properly (HTTP ${error.status} on ${error.path}); retrying`, false, { cause: error, retryAfterMs: error.retryAfterMs });
    }
    if (error instanceof RteConnectError) return new ConnectionError(error.message, false, { cause: error, retryAfterMs: error.retryAfterMs });
    if (error instanceof EnreachNetworkError) return new ConnectionError(error.message, false, { cause: error });
    const message = error instanceof Error ? error.message : String(error);
    return new ConnectionError(message, false, { cause: error });
  }

  async function resolveApiUrl(): Promise<string> {
    if (apiUrl) return apiUrl;
    const found = await discoverApiUrl(account.discoveryUrl, user, restTuning);
    if (!found) {
      throw new ConnectionError(`Enreach service discovery knows no account ${user} — check the user name, or set apiUrl`, true);
    }
    apiUrl = found;
    return found;
  }

  async function resolveSecretKey(api: string): Promise<string> {
    if (secretKey) return secretKey;
    if (!secrets.password) throw new ConnectionError(`No secret key or password is set for ${user} — check the account settings`, true);
    try {
      secretKey = (await secretKeyFromPassword(api, user, secrets.password, restTuning)).secretKey;
    } catch (error) {
      if (error instanceof EnreachHttpError && (error.status === 400 || error.status === 401 || error.status === 403)) {
        throw new ConnectionError(rejected(), true, { cause: error });
      }
      throw error;
    }
    return secretKey;
  }

  /** A best-effort REST read: `undefined` (logged) when it fails, so [I] paths cannot break a connection. */
  async function optional<T>(log: Logger, what: string, read: () => Promise<T>): Promise<T | undefined> {
    try {
      return await read();
    } catch (error) {
      if (error instanceof EnreachHttpError && error.status === 401) throw error;
      log.warn({ err: error }, `could not read ${what} from Enreach; continuing without it`);
      return undefined;
    }
  }

  function subscriptionsFor(userId: string, queues: readonly EnreachQueueInfo[], callLists: readonly EnreachCallList[]): EntitySubscription[] {
    return [
      ...ENREACH_USER_EVENTS.map((EventName) => ({ EntityId: userId, EventName })),
      ...queues.map((q) => ({ EntityId: q.id, EventName: 'QueueStatus' })),
      ...callLists.map((l) => ({ EntityId: l.id, EventName: 'CallbackChanged' })),
    ];
  }

  /** Opens one connection (steps 1–6 above). @throws {ConnectionError} classified by {@link classify}. */
  async function connect(ctx: SessionContext): Promise<{ session: Session; live: Live }> {
    const { log, emit } = ctx;
    try {
      const api = await resolveApiUrl();
      const key = await resolveSecretKey(api);
      const rest = new EnreachRest(api, user, key, restTuning);
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
        const names = new Map<string, string>([
          [userId.toLowerCase(), `user ${user}`],
          ...queues.map((q) => [q.id.toLowerCase(), `queue ${q.name}`] as [string, string]),
          ...callLists.map((l) => [l.id.toLowerCase(), `call list ${l.name}`] as [string, string]),
        ]);
        const answer = await session.invoke('Subscribe', subscriptionsFor(userId, queues, callLists));
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
        // Missed events are not replayed: re-read what REST can tell.
        const availability = await optional(log, 'the availability [I]', async () => ({ record: await rest.availability(userId) }));
        if (availability) emit({ type: 'presence', presence: presenceOf(availability.record) });
        emit({ type: 'queues.sync', queues: queues.map((q) => q.figures) });
        if (callLists.length > 0) {
          const lists = await optional(log, 'the open callbacks [I]', () => Promise.all(callLists.map((l) => rest.openCallbacks(l.id, userId))));
          if (lists) emit({ type: 'callbacks.sync', callbacks: lists.flat() });
        }
      } catch (error) {
        await session.close();
        throw error;
      }
      return { session, live: { rest, userId } };
    } catch (error) {
      const classified = classify(error);
      if (classified.fatal) {
        // A person will fix the settings: forget what was derived from them.
        apiUrl = account.apiUrl;
        secretKey = secrets.secretKey;
      }
      throw classified;
    }
  }

  /** A command's failure in words for the agent. */
  function commandFailure(what: string, error: unknown): CommandError {
    if (error instanceof CommandError) return error;
    if (error instanceof EnreachHttpError) {
      if (error.status === 401) return new CommandError(`${what}: ${rejected()}`);
      if (error.status === 403) return new CommandError(`${what}: Enreach does not allow this for ${user}`);
      if (error.status === 404) return new CommandError(`${what}: Enreach does not know it (HTTP 404)`);
      return new CommandError(`${what}: Enreach answered HTTP ${error.status}`);
    }
    return new CommandError(`${what}: Enreach could not be reached — try again`);
  }

  return defineConnector<Live>({
    platform: ENREACH_NAME,
    capabilities: ENREACH_CAPABILITIES,
    backoff: options.backoff,
    connect: (ctx) => connect(ctx),
    commands: {
      /** Sets the availability over REST [I]; the change comes back as a UserAvailability event. */
      'presence.set': async (live, command) => {
        const availability = availabilityFor(command.state);
        if (!availability) throw new CommandError(`Wrap-up cannot be chosen on ${ENREACH_NAME}: it starts by itself after a call`);
        try {
          await live.rest.setAvailability(live.userId, availability);
        } catch (error) {
          throw commandFailure('Could not change the availability', error);
        }
      },
      /** Closes a callback request over REST [I]; the change comes back as a CallbackChanged event. */
      'callback.close': async (live, command) => {
        try {
          await live.rest.closeCallback(command.callbackId);
        } catch (error) {
          throw commandFailure('Could not close the callback', error);
        }
      },
    },
  });
}
