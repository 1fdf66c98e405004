/**
 * The Enreach REST client (BeneAPI) — only what the connector needs.
 *
 * Confirmed from public material (VENDOR-NOTES, Enreach section, [C]):
 * - discovery `GET https://discover.enreachvoice.com/api/user?user={email}` → `[{apiEndpoint, …}]`,
 *   `apiEndpoint` with or without a trailing `/`;
 * - HTTP Basic on every call: login email + API SecretKey; `Accept: application/json`;
 * - `POST {api}/authuser/{email}/` `{UserName, Password}` (no auth) → `{SecretKey, UserID}`;
 * - `GET {api}/users/me` → `{Id, OrganizationID}`;
 * - `GET {api}/queues/?OnlyForUser={userId}` → `[{Id, Name, Numbers[], TypeId, Status?}]`;
 * - `GET {api}/token/{userId}/rte/` → `{WssEndpoint | WSSEndpoint, Token}` (keys read
 *   case-insensitively; the endpoint may lack a scheme).
 *
 * **[I] inferred** (not confirmed from public material; all in the "INFERRED" section below, and
 * listed in its protocol-confidence page, `docs/platforms/enreach.md`): reading and setting the
 * availability, listing the user's call lists and their callbacks, closing a callback.
 */
import { z } from 'zod';
import type { CallbackData, QueuePatch } from '../../desk/events.js';
import { callbackFromChanged, queueOpenState, type EnreachAvailability } from './normalize.js';
import type { EnreachTuning } from './config.js';
import { EVENT_SCHEMAS, enreachDate, normalizeKeys } from './schema.js';
import { retryAfterMs } from '../kit/retry-after.js';

/**
 * An HTTP answer other than 2xx. `status` is the HTTP status; `path` the request path (no host);
 * `retryAfterMs` what its `Retry-After` asked (RFC 9110 §10.2.3), when it carried one.
 */
export class EnreachHttpError extends Error {
  override name = 'EnreachHttpError';
  constructor(
    readonly status: number,
    readonly method: string,
    readonly path: string,
    readonly retryAfterMs?: number,
  ) {
    super(`Enreach answered HTTP ${status} to ${method} ${path}`);
  }
}

/** The server could not be reached, or did not answer in time, or answered something unreadable. */
export class EnreachNetworkError extends Error {
  override name = 'EnreachNetworkError';
}

/** The tuning the REST calls read: `fetch` (default the global one), `requestTimeoutMs` (default 15 000). */
export type RestTuning = Pick<EnreachTuning, 'fetch' | 'requestTimeoutMs'>;

/** Drops trailing slashes: `https://api-silo1.enreachvoice.com/` → `https://api-silo1.enreachvoice.com`. */
export function normalizeApiUrl(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

/**
 * The URL to hand the SignalR client, from the token response's endpoint: `https://` is added only
 * when the scheme is missing (VENDOR-NOTES [C]); `wss://`/`ws://` become `https://`/`http://`
 * because the SignalR client negotiates over HTTP first and, outside a browser, only accepts
 * http(s) URLs (it switches to ws(s) for the WebSocket itself).
 */
export function rteEndpointUrl(raw: string): string {
  const value = raw.trim();
  if (/^wss:\/\//i.test(value)) return `https://${value.slice(6)}`;
  if (/^ws:\/\//i.test(value)) return `http://${value.slice(5)}`;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return value;
  return `https://${value.replace(/^\/+/, '')}`;
}

/** The value of `key` in `record`, matching the key case-insensitively. */
function pick(record: Record<string, unknown>, ...keys: string[]): unknown {
  const wanted = new Set(keys.map((k) => k.toLowerCase()));
  for (const [k, v] of Object.entries(record)) if (wanted.has(k.toLowerCase())) return v;
  return undefined;
}

/**
 * Reads `GET token/{userId}/rte/`'s answer: `{WssEndpoint|WSSEndpoint|wssEndpoint, Token}` in any
 * casing (document, "Establishing a connection"; VENDOR-NOTES [C]).
 * @returns `url` ready for the SignalR client (see {@link rteEndpointUrl}) and the JWT.
 * @throws {EnreachNetworkError} when either is missing.
 */
export function readRteToken(body: unknown): { url: string; token: string } {
  if (body === null || typeof body !== 'object') throw new EnreachNetworkError('the RTE token answer is not an object');
  const endpoint = pick(body as Record<string, unknown>, 'WssEndpoint', 'WSSEndpoint', 'RteEndpoint');
  const token = pick(body as Record<string, unknown>, 'Token', 'AccessToken');
  if (typeof endpoint !== 'string' || endpoint.trim() === '') throw new EnreachNetworkError('the RTE token answer has no WssEndpoint');
  if (typeof token !== 'string' || token === '') throw new EnreachNetworkError('the RTE token answer has no Token');
  return { url: rteEndpointUrl(endpoint), token };
}

async function request(
  url: string,
  init: { method: string; headers?: Record<string, string>; body?: unknown },
  options: RestTuning,
): Promise<unknown> {
  const doFetch = options.fetch ?? fetch;
  const path = new URL(url).pathname;
  let response: Response;
  try {
    response = await doFetch(url, {
      method: init.method,
      headers: {
        Accept: 'application/json',
        ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(options.requestTimeoutMs ?? 15_000),
    });
  } catch (error) {
    throw new EnreachNetworkError(`could not reach Enreach (${init.method} ${path}): ${(error as Error).message}`, { cause: error });
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new EnreachHttpError(response.status, init.method, path, retryAfterMs(response.headers.get('retry-after')));
  }
  const text = await response.text();
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new EnreachNetworkError(`Enreach answered ${init.method} ${path} with something that is not JSON`, { cause: error });
  }
}

/**
 * Service discovery (VENDOR-NOTES [C]): the REST base of the user's silo.
 * @param discoveryUrl e.g. `https://discover.enreachvoice.com/api/user`.
 * @returns the first silo's `apiEndpoint` without a trailing `/`, or `undefined` when the service
 *   knows no silo for this user.
 * @throws {EnreachHttpError} / {EnreachNetworkError}.
 */
export async function discoverApiUrl(discoveryUrl: string, user: string, options: RestTuning = {}): Promise<string | undefined> {
  const url = new URL(discoveryUrl);
  url.searchParams.set('user', user);
  const body = await request(url.toString(), { method: 'GET' }, options);
  const silos = Array.isArray(body) ? body : body ? [body] : [];
  for (const silo of silos) {
    if (silo && typeof silo === 'object') {
      const endpoint = pick(silo as Record<string, unknown>, 'apiEndpoint');
      if (typeof endpoint === 'string' && endpoint.trim() !== '') return normalizeApiUrl(endpoint);
    }
  }
  return undefined;
}

/**
 * Trades a password for the API SecretKey: `POST {api}/authuser/{email}/` with
 * `{UserName, Password}` and no auth header (VENDOR-NOTES [C]).
 * @throws {EnreachHttpError} (401/403: wrong password) / {EnreachNetworkError}.
 */
export async function secretKeyFromPassword(
  apiUrl: string,
  user: string,
  password: string,
  options: RestTuning = {},
): Promise<{ secretKey: string; userId?: string }> {
  const body = await request(
    `${normalizeApiUrl(apiUrl)}/authuser/${encodeURIComponent(user)}/`,
    { method: 'POST', body: { UserName: user, Password: password } },
    options,
  );
  const record = (body ?? {}) as Record<string, unknown>;
  const secretKey = pick(record, 'SecretKey');
  if (typeof secretKey !== 'string' || secretKey === '') throw new EnreachNetworkError('the authuser answer has no SecretKey');
  const userId = pick(record, 'UserID', 'UserId');
  return { secretKey, userId: typeof userId === 'string' ? userId : undefined };
}

/** One of the user's queues, from `GET queues/?OnlyForUser=` (VENDOR-NOTES [C]). */
export interface EnreachQueueInfo {
  id: string;
  name: string;
  /** The queue's phone numbers (used to tell which queue a call came through [I]). */
  numbers: string[];
  /** 1 UserDirect, 2 PersonalWork, 4 ServiceQueue, 5 IvrQueue, 6 ShortNumber, 7 Technical. */
  typeId?: number;
  /** The figures the REST answer carries, as a desk queue patch. */
  figures: QueuePatch;
}

const queueSchema = z.looseObject({
  id: z.string(),
  name: z.string().nullish(),
  numbers: z.array(z.union([z.string(), z.number()])).nullish(),
  typeId: z.number().nullish(),
  status: z
    .looseObject({
      openStatus: z.number().nullish(),
      maxWaitTime: z.number().nullish(),
      queueLength: z.number().nullish(),
      freeAgents: z.number().nullish(),
    })
    .nullish(),
});

/** One of the user's call lists (callback lists) [I]. */
export interface EnreachCallList {
  id: string;
  name: string;
}

const callListSchema = z.looseObject({ id: z.string(), name: z.string().nullish() });

/** An availability record as the REST API returns it [I] (same fields as the UserAvailability event). */
export interface AvailabilityRecord {
  availability?: string;
  /** ISO UTC, or absent when unset. */
  startTime?: string;
  /** ISO UTC, or absent when open-ended. */
  endTime?: string;
  note?: string;
}

const availabilitySchema = z.looseObject({
  availability: z.string().nullish(),
  startTime: z.string().nullish(),
  endTime: z.string().nullish(),
  note: z.string().nullish(),
});

/** A REST session for one user: Basic auth with the login email and the SecretKey. */
export class EnreachRest {
  readonly apiUrl: string;
  private readonly authorization: string;

  /**
   * @param apiUrl the silo's REST base (trailing `/` allowed).
   * @param user the login email (Basic-auth user name).
   * @param secretKey the API SecretKey (Basic-auth password).
   */
  constructor(
    apiUrl: string,
    readonly user: string,
    secretKey: string,
    private readonly options: RestTuning = {},
  ) {
    this.apiUrl = normalizeApiUrl(apiUrl);
    this.authorization = `Basic ${Buffer.from(`${user}:${secretKey}`, 'utf8').toString('base64')}`;
  }

  /** @throws {EnreachHttpError} / {EnreachNetworkError} */
  private call(method: string, path: string, body?: unknown): Promise<unknown> {
    return request(`${this.apiUrl}/${path}`, { method, headers: { Authorization: this.authorization }, body }, this.options);
  }

  /** `GET users/me` → the user's id and organization id [C]. */
  async me(): Promise<{ id: string; organizationId?: string }> {
    const body = (await this.call('GET', 'users/me')) as Record<string, unknown> | undefined;
    const id = body ? pick(body, 'Id') : undefined;
    if (typeof id !== 'string' || id === '') throw new EnreachNetworkError('users/me answered without an Id');
    const org = pick(body!, 'OrganizationID', 'OrganizationId');
    return { id, organizationId: typeof org === 'string' ? org : undefined };
  }

  /** `GET queues/?OnlyForUser={userId}` → the user's queues [C]. Malformed items are skipped. */
  async queues(userId: string): Promise<EnreachQueueInfo[]> {
    const body = await this.call('GET', `queues/?OnlyForUser=${encodeURIComponent(userId)}`);
    const out: EnreachQueueInfo[] = [];
    for (const item of Array.isArray(body) ? body : []) {
      const parsed = queueSchema.safeParse(normalizeKeys(item));
      if (!parsed.success) continue;
      const q = parsed.data;
      const name = q.name ?? q.id;
      const figures: QueuePatch = { id: q.id, name };
      if (q.status) {
        if (q.status.queueLength != null) figures.waiting = q.status.queueLength;
        if (q.status.maxWaitTime != null) figures.longestWaitSec = q.status.maxWaitTime;
        if (q.status.freeAgents != null) figures.agentsFree = q.status.freeAgents;
        figures.open = queueOpenState(q.status.openStatus ?? undefined);
      }
      out.push({ id: q.id, name, numbers: (q.numbers ?? []).map(String), typeId: q.typeId ?? undefined, figures });
    }
    return out;
  }

  /** `GET token/{userId}/rte/` → the hub URL and a fresh JWT [C] (see {@link readRteToken}). */
  async rteToken(userId: string): Promise<{ url: string; token: string }> {
    return readRteToken(await this.call('GET', `token/${encodeURIComponent(userId)}/rte/`));
  }

  // ---- INFERRED [I] ------------------------------------------------------------------------------
  // The paths and bodies below are NOT confirmed from public material (VENDOR-NOTES: "not
  // confirmed … implement one clearly marked call"). They mirror the naming of the confirmed paths
  // and the field names of the RTE events. The connector treats failures of the reads as
  // non-fatal, so a wrong guess degrades to "no REST re-sync" rather than a broken connection.

  /**
   * [I] inferred: `GET users/{userId}/features/availability/` → the user's availability records
   * (an object or an array), fields as in the UserAvailability event. Returns the active record,
   * or `undefined` when none is active (which means Available).
   */
  async availability(userId: string, now = Date.now()): Promise<AvailabilityRecord | undefined> {
    const body = await this.call('GET', `users/${encodeURIComponent(userId)}/features/availability/`);
    const items = Array.isArray(body) ? body : body ? [body] : [];
    for (const item of items) {
      const parsed = availabilitySchema.safeParse(normalizeKeys(item));
      if (!parsed.success || !parsed.data.availability) continue;
      const record: AvailabilityRecord = { availability: parsed.data.availability };
      const start = parsed.data.startTime ? enreachDate(parsed.data.startTime) : undefined;
      const end = parsed.data.endTime ? enreachDate(parsed.data.endTime) : undefined;
      if (start && Date.parse(start) > now) continue; // not begun yet
      if (end && Date.parse(end) <= now) continue; // over
      if (start) record.startTime = start;
      if (end) record.endTime = end;
      if (parsed.data.note) record.note = parsed.data.note;
      return record;
    }
    return undefined;
  }

  /**
   * [I] inferred: `POST users/{userId}/features/availability/` with `{Availability}` (the value
   * names of the UserAvailability event). The change comes back as a UserAvailability event.
   */
  async setAvailability(userId: string, availability: EnreachAvailability): Promise<void> {
    await this.call('POST', `users/${encodeURIComponent(userId)}/features/availability/`, { Availability: availability });
  }

  /** [I] inferred: `GET users/{userId}/calllists/` → `[{Id, Name}]`, the user's callback lists. */
  async callLists(userId: string): Promise<EnreachCallList[]> {
    const body = await this.call('GET', `users/${encodeURIComponent(userId)}/calllists/`);
    const out: EnreachCallList[] = [];
    for (const item of Array.isArray(body) ? body : []) {
      const parsed = callListSchema.safeParse(normalizeKeys(item));
      if (parsed.success) out.push({ id: parsed.data.id, name: parsed.data.name ?? parsed.data.id });
    }
    return out;
  }

  /**
   * [I] inferred: `GET callbacks/?CallListId={listId}` → the list's callback requests, each shaped
   * like a CallbackChanged payload. Closed and malformed items are left out.
   */
  async openCallbacks(listId: string, userId: string): Promise<CallbackData[]> {
    const body = await this.call('GET', `callbacks/?CallListId=${encodeURIComponent(listId)}`);
    const out: CallbackData[] = [];
    for (const item of Array.isArray(body) ? body : []) {
      const parsed = EVENT_SCHEMAS.CallbackChanged.safeParse({ ...(normalizeKeys(item) as object), eventType: 'CallbackChanged' });
      if (!parsed.success || parsed.data.isClosed) continue;
      out.push(callbackFromChanged(parsed.data, { userId }));
    }
    return out;
  }

  /** [I] inferred: `POST callbacks/{callbackId}/close/` (no body) closes a callback request. */
  async closeCallback(callbackId: string): Promise<void> {
    await this.call('POST', `callbacks/${encodeURIComponent(callbackId)}/close/`, {});
  }
}
