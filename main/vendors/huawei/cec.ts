/**
 * The click-to-dial REST client: CC-Messaging's four operations, on either URL family.
 *
 * Sources:
 * - the document: `GET {facade}getClickToCallEvents` with `Content-Type: application/json;
 *   charset=UTF-8` and `Cookie: ccmessaging-token=…` (its example request also carries a
 *   `ccmessaging-token` header: both are sent);
 * - VENDOR-NOTES [C]: the API Fabric family `{fabric}{operation}` with headers `ccmessaging-token`,
 *   `x-app-key`, `Authorization: Bearer …`; its GETs take `?channel=WEB`, create sends
 *   `{"channel":"WEB","mediaAbility":"0"}`, drop `{"channel":"WEB"}`; the facade's create sends
 *   `{"mediaAbility":"0"}` (Huawei's facade reference); "0" voice, "1" video;
 * - VENDOR-NOTES [C]: CEC may hand a new token in any answer, to be used from then on.
 *
 * [I] (`docs/platforms/huawei.md`): the refreshed token is taken from a `ccmessaging-token`
 * response header or a `Set-Cookie: ccmessaging-token=…`, whichever comes; other cookies the server
 * sets are kept and sent back, as a browser would; the facade's drop sends `{}`.
 */
import { z } from 'zod';
import type { CecCredentials } from './auth.js';
import type { UrlFamily } from './config.js';
import { CecUnreadableError, exchange, type ExchangeLimits } from './http.js';
import { eventsSchema, resultSchema, supportSchema, type EventsAnswer, type ResultAnswer, type SupportAnswer } from './schema.js';

/** The name of the token, as a header and as a cookie. */
export const TOKEN_NAME = 'ccmessaging-token';

/** The click-to-dial operations (the last path segment of each URL). */
export type CecOperation = 'checkClickToCallSupport' | 'createClickToCall' | 'getClickToCallEvents' | 'dropClickToCall';

/** What a {@link CecClient} needs. */
export interface CecClientOptions {
  family: UrlFamily;
  /** The click-to-dial base URL (with or without the trailing slash). */
  baseUrl: string;
  /** The API Fabric app key (`x-app-key`, API Fabric family only). */
  appKey: string;
  credentials: CecCredentials;
  limits: ExchangeLimits;
  /** Called (without the value) when an answer handed over a new token. */
  onTokenRefreshed?: (via: 'header' | 'cookie') => void;
}

/**
 * One session's client: it holds the current token (replaced whenever an answer carries a new one)
 * and the cookies the server set. Every method throws what {@link exchange} throws, plus
 * {@link CecUnreadableError} (`unexpected`) when a 2xx answer does not fit its schema.
 */
export class CecClient {
  private credentials: CecCredentials;
  private readonly cookies = new Map<string, string>();
  private readonly base: string;

  constructor(private readonly options: CecClientOptions) {
    this.credentials = { ...options.credentials };
    this.base = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
  }

  /** Replaces the credentials (after applying for a new token). */
  useCredentials(credentials: CecCredentials): void {
    this.credentials = { ...credentials };
  }

  /** `checkClickToCallSupport`: whether click-to-dial (and WebRTC) is available on the channel. */
  checkSupport(): Promise<SupportAnswer> {
    return this.call('checkClickToCallSupport', 'GET', supportSchema);
  }

  /** `createClickToCall`: places the call; `resultCode` "13" when no agent is available. */
  create(media: 'voice' | 'video'): Promise<ResultAnswer> {
    const mediaAbility = media === 'video' ? '1' : '0';
    return this.call('createClickToCall', 'POST', resultSchema, this.options.family === 'fabric' ? { channel: 'WEB', mediaAbility } : { mediaAbility });
  }

  /** `getClickToCallEvents`: the next event of the channel's call (or "polled without any events"). */
  events(): Promise<EventsAnswer> {
    return this.call('getClickToCallEvents', 'GET', eventsSchema);
  }

  /** `dropClickToCall`: releases the channel's call; `resultCode` "13" when it could not. */
  drop(): Promise<ResultAnswer> {
    return this.call('dropClickToCall', 'POST', resultSchema, this.options.family === 'fabric' ? { channel: 'WEB' } : {});
  }

  private async call<S extends z.ZodType>(operation: CecOperation, method: 'GET' | 'POST', schema: S, body?: unknown): Promise<z.output<S>> {
    const fabric = this.options.family === 'fabric';
    const url = `${this.base}${operation}${fabric && method === 'GET' ? '?channel=WEB' : ''}`;
    const answer = await exchange(url, { method, headers: this.headers(), body }, this.options.limits, operation);
    this.takeRefreshedToken(answer.headers);
    const parsed = schema.safeParse(answer.body);
    if (!parsed.success) throw new CecUnreadableError(operation, 'unexpected', z.prettifyError(parsed.error).replace(/\s+/g, ' ').slice(0, 300));
    return parsed.data;
  }

  private headers(): Record<string, string> {
    const { token, bearer } = this.credentials;
    const jar = [...this.cookies].filter(([name]) => name !== TOKEN_NAME).map(([name, value]) => `${name}=${value}`);
    if (this.options.family === 'facade') {
      return {
        'Content-Type': 'application/json; charset=UTF-8',
        Cookie: [`${TOKEN_NAME}=${token}`, ...jar].join('; '),
        [TOKEN_NAME]: token,
      };
    }
    return {
      'Content-Type': 'application/json',
      [TOKEN_NAME]: token,
      'x-app-key': this.options.appKey,
      ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}),
      ...(jar.length ? { Cookie: jar.join('; ') } : {}),
    };
  }

  /** Takes a new token from a `ccmessaging-token` header or cookie, and keeps the other cookies. */
  private takeRefreshedToken(headers: Headers): void {
    let fresh: { token: string; via: 'header' | 'cookie' } | undefined;
    for (const line of headers.getSetCookie()) {
      const cookie = parseSetCookie(line);
      if (!cookie) continue;
      if (cookie.name === TOKEN_NAME) {
        if (cookie.value && !cookie.expired) fresh = { token: cookie.value, via: 'cookie' };
      } else if (cookie.expired || cookie.value === '') {
        this.cookies.delete(cookie.name);
      } else {
        this.cookies.set(cookie.name, cookie.value);
      }
    }
    const header = headers.get(TOKEN_NAME)?.trim();
    if (header) fresh = { token: header, via: 'header' };
    if (fresh && fresh.token !== this.credentials.token) {
      this.credentials = { ...this.credentials, token: fresh.token };
      this.options.onTokenRefreshed?.(fresh.via);
    }
  }
}

/** A `Set-Cookie` line's name and value, and whether it deletes the cookie (`Max-Age<=0` or a past `Expires`). */
export function parseSetCookie(line: string): { name: string; value: string; expired: boolean } | undefined {
  const [pair, ...attributes] = line.split(';');
  const equals = pair?.indexOf('=') ?? -1;
  if (!pair || equals <= 0) return undefined;
  const name = pair.slice(0, equals).trim();
  let value = pair.slice(equals + 1).trim();
  if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
  let expired = false;
  for (const attribute of attributes) {
    const [key = '', raw = ''] = attribute.split('=', 2).map((part) => part.trim());
    if (/^max-age$/i.test(key) && Number(raw) <= 0) expired = true;
    if (/^expires$/i.test(key)) {
      const at = Date.parse(raw);
      if (Number.isFinite(at) && at <= Date.now()) expired = true;
    }
  }
  return name ? { name, value, expired } : undefined;
}
