/**
 * The simulator's REST API: what the connector calls, answered as Enreach answers it.
 *
 * Confirmed (VENDOR-NOTES, Enreach section, [C]): discovery `GET /discover/api/user?user=`,
 * `POST authuser/{email}/` (password → SecretKey, no auth), then with Basic auth `GET users/me`,
 * `GET queues/?OnlyForUser=`, `GET token/{userId}/rte/` (a fresh JWT each time; the endpoint key
 * configurable). Inferred [I] (the connector's guesses, `../rest.ts`): availability read and set,
 * call lists, a list's callbacks, closing a callback.
 */
import { ENREACH_AVAILABILITIES } from '../normalize.js';
import { normalizeKeys } from '../schema.js';
import type { HttpExchange } from '../../kit/simulator.js';
import type { SimAuth } from './auth.js';
import { availabilityRecord, callbackItem, queueItem } from './payloads.js';
import type { SimScript } from './script.js';
import type { World } from './world.js';

/** Where the simulator listens (known once it does). */
export interface SimUrls {
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  /** `{origin}/api`. */
  apiUrl: string;
  /** `{origin}/rte`. */
  hubUrl: string;
}

/** What the REST routes read and change. */
export interface RestRoutesOptions {
  world: World;
  auth: SimAuth;
  script: SimScript;
  urls: () => SimUrls;
  /** The endpoint key of the token answer (document `WssEndpoint`, a public client `WSSEndpoint`). */
  tokenEndpointKey: 'WssEndpoint' | 'WSSEndpoint';
}

const DENIED = { Message: 'Authorization has been denied for this request.' };
const FORBIDDEN = { Message: 'Forbidden' };

/** The REST handler: answers every request (404 for unknown paths). */
export function createRestRoutes(options: RestRoutesOptions): (exchange: HttpExchange) => Promise<void> {
  const { world, auth, script } = options;
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

  return async function handle(exchange) {
    const { req, url, json } = exchange;
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = req.method ?? 'GET';

    // discovery [C]
    if (method === 'GET' && path === '/discover/api/user') {
      const who = url.searchParams.get('user') ?? '';
      const { apiUrl, origin } = options.urls();
      return json(200, same(who, world.user) ? [{ siloName: 'sim', username: world.user, apiEndpoint: `${apiUrl}/`, uiEndpoint: `${origin}/ui/` }] : []);
    }

    if (!path.startsWith('/api/')) return json(404);
    const rest = path.slice('/api/'.length);

    // password → SecretKey [C]
    const authuser = /^authuser\/([^/]+)$/i.exec(rest);
    if (authuser) {
      if (method !== 'POST') return json(405);
      const body = normalizeKeys(await exchange.body()) as { password?: unknown } | undefined;
      if (!auth.passwordOk(decodeURIComponent(authuser[1]!), body?.password)) return json(401, DENIED);
      return json(200, { SecretKey: auth.secretKey, UserID: world.userId, UserName: world.user });
    }

    if (!auth.basicOk(req)) return json(401, DENIED);

    if (method === 'GET' && rest === 'users/me') {
      return json(200, { Id: world.userId, OrganizationID: world.organizationId, Email: world.user, FirstName: 'Alex', LastName: 'Agent' });
    }
    if (method === 'GET' && rest === 'queues') {
      const only = url.searchParams.get('OnlyForUser');
      const list = only && !same(only, world.userId) ? [] : world.queues;
      return json(200, list.map((q) => queueItem(world, q)));
    }
    const token = /^token\/([^/]+)\/rte$/i.exec(rest);
    if (token) {
      if (method !== 'GET') return json(405);
      const who = decodeURIComponent(token[1]!);
      if (!same(who, world.userId) && !same(who, 'me')) return json(403, FORBIDDEN);
      return json(200, { [options.tokenEndpointKey]: options.urls().hubUrl.replace(/^http/, 'ws'), Token: auth.issueToken(world.userId) });
    }

    // [I] inferred availability
    const availability = /^users\/([^/]+)\/features\/availability$/i.exec(rest);
    if (availability) {
      if (!same(decodeURIComponent(availability[1]!), world.userId)) return json(403, FORBIDDEN);
      if (method === 'GET') {
        const record = availabilityRecord(world);
        return json(200, record ? [record] : []);
      }
      if (method === 'POST') {
        const body = normalizeKeys(await exchange.body()) as { availability?: unknown; note?: unknown } | undefined;
        const name = typeof body?.availability === 'string' ? body.availability : '';
        const known = ENREACH_AVAILABILITIES.find((a) => same(a, name));
        if (!known) return json(400, { Message: 'Invalid availability' });
        script.setAvailability(known, { note: typeof body?.note === 'string' ? body.note : undefined });
        return json(200, availabilityRecord(world));
      }
      return json(405);
    }

    // [I] inferred call lists and callbacks
    const lists = /^users\/([^/]+)\/calllists$/i.exec(rest);
    if (lists && method === 'GET') {
      if (!same(decodeURIComponent(lists[1]!), world.userId)) return json(403, FORBIDDEN);
      return json(200, world.callLists.map((l) => ({ Id: l.id, Name: l.name })));
    }
    if (rest === 'callbacks' && method === 'GET') {
      const listId = url.searchParams.get('CallListId');
      const items = [...world.callbacks.values()].filter((cb) => !listId || same(cb.listId, listId)).map((cb) => callbackItem(world, cb, false));
      return json(200, items);
    }
    const close = /^callbacks\/([^/]+)\/close$/i.exec(rest);
    if (close && method === 'POST') {
      const id = decodeURIComponent(close[1]!);
      const cb = [...world.callbacks.values()].find((c) => same(c.id, id));
      if (!cb) return json(404, { Message: 'Not found' });
      script.closeCallback(cb.id);
      return json(200, {});
    }
    return json(404, { Message: 'No HTTP resource was found that matches the request URI.' });
  };
}
