/**
 * How the connector obtains a `ccmessaging-token`: ONE replaceable function, {@link TokenSource}.
 * The default, {@link applyTokenSource}, is CC-Messaging's `applyToken` on the API Fabric
 * (VENDOR-NOTES [C]):
 *
 * 1. a Bearer access token: the configured `bearerToken`, or `POST {fabric}/apigovernance/api/oauth/
 *    tokenByAkSk` `{"app_key", "app_secret"}` → `{"AccessToken", "Expires" (seconds, as a string)}`,
 *    kept until shortly before it expires;
 * 2. `POST {fabric}/apiaccess/ccmessaging/applyToken` with `x-app-key` and `Authorization: Bearer …`,
 *    body `{userId, userName, channelId, locale}` → `{resultCode: "0", token}` (valid one hour);
 * 3. a 401 or 403 from `applyToken` means the access token is bad or expired (`exceptionInfo`
 *    "auth fail! illegal or expired token info…"): with an app secret, a new access token is
 *    obtained and `applyToken` asked once more; with a configured `bearerToken` a person must act.
 *
 * A deployment that obtains tokens another way (a single sign-on proxy, a pre-issued token) passes
 * its own {@link TokenSource} in the tuning. No token ever reaches a log line or an error text.
 */
import type { HuaweiAccount, HuaweiSecrets } from './config.js';
import { CecHttpError, exchange, type ExchangeLimits } from './http.js';
import { applyTokenSchema, tokenByAkSkSchema } from './schema.js';

/** What the click-to-dial requests carry: the `ccmessaging-token`, and the Bearer access token the API Fabric family also needs. */
export interface CecCredentials {
  token: string;
  /** The API Fabric access token (`Authorization: Bearer …`), when the source has one. */
  bearer?: string;
}

/** What the connector asks of a {@link TokenSource}. */
export interface TokenRequest {
  /**
   * True after CEC refused the previous token (a 401): anything cached upstream of the token (the
   * Bearer access token) is obtained afresh too.
   */
  renew: boolean;
}

/**
 * The one function that obtains a token. Called on every connection (a fresh token each time) and
 * when a command meets a 401.
 * @throws {CecAuthError} when credentials are refused (`fatal`: a person must act) or the answer
 *   cannot be used; {CecHttpError} (5xx, 429 — with its `Retry-After`) / {CecNetworkError} when the
 *   token service is unwell or busy (the connection is retried).
 */
export type TokenSource = (request: TokenRequest) => Promise<CecCredentials>;

/** Obtaining a token failed for a reason a person must (when `fatal`) fix; `message` says what to check. */
export class CecAuthError extends Error {
  override name = 'CecAuthError';
  constructor(
    message: string,
    readonly fatal: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The API Fabric origin that issues tokens: `apiFabricUrl`, else the click-to-dial URL's origin [I]. */
export function fabricOrigin(account: Pick<HuaweiAccount, 'apiFabricUrl' | 'clickToDialUrl'>): string {
  return new URL(account.apiFabricUrl ?? account.clickToDialUrl).origin;
}

/** Renew an access token this long before it expires, ms [I]. */
const ACCESS_TOKEN_MARGIN_MS = 60_000;

/**
 * The default {@link TokenSource}: `tokenByAkSk` (when an app secret is given) then `applyToken`.
 * @param limits timeout and size cap of each request.
 * @param now the clock for the access token's lifetime (tests pass their own).
 */
export function applyTokenSource(
  account: HuaweiAccount,
  secrets: HuaweiSecrets,
  limits: ExchangeLimits,
  now: () => number = Date.now,
): TokenSource {
  const origin = fabricOrigin(account);
  let cached: { value: string; until: number } | undefined;

  async function accessToken(renew: boolean): Promise<string> {
    if (!secrets.appSecret) {
      if (secrets.bearerToken) return secrets.bearerToken;
      throw new CecAuthError(`No app secret or bearer token is set for the CEC account of ${account.userId} — check the account settings`, true);
    }
    if (!renew && cached && now() < cached.until) return cached.value;
    cached = undefined;
    let answer;
    try {
      answer = await exchange(
        `${origin}/apigovernance/api/oauth/tokenByAkSk`,
        { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: { app_key: account.appKey, app_secret: secrets.appSecret } },
        limits,
        'tokenByAkSk',
      );
    } catch (error) {
      // 429 Too Many Requests is the server's "try later", not a verdict on the credentials.
      if (error instanceof CecHttpError && error.status >= 400 && error.status < 500 && error.status !== 429) {
        throw new CecAuthError(
          `CEC's API Fabric rejected the app key or app secret (HTTP ${error.status} on tokenByAkSk) — check them in the account settings`,
          true,
          { cause: error },
        );
      }
      throw error;
    }
    const parsed = tokenByAkSkSchema.safeParse(answer.body);
    if (!parsed.success) throw new CecAuthError('CEC\'s API Fabric answered tokenByAkSk without an AccessToken; retrying', false);
    const lifetimeSec = Number(parsed.data.Expires ?? 3600);
    const lifetimeMs = (Number.isFinite(lifetimeSec) && lifetimeSec > 0 ? lifetimeSec : 3600) * 1000;
    cached = { value: parsed.data.AccessToken, until: now() + Math.max(0, lifetimeMs - ACCESS_TOKEN_MARGIN_MS) };
    return parsed.data.AccessToken;
  }

  async function apply(bearer: string): Promise<string> {
    const answer = await exchange(
      `${origin}/apiaccess/ccmessaging/applyToken`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json; charset=UTF-8', 'x-app-key': account.appKey, Authorization: `Bearer ${bearer}` },
        body: { userId: account.userId, userName: account.userName ?? account.userId, channelId: account.channelId, locale: account.locale },
      },
      limits,
      'applyToken',
    );
    const parsed = applyTokenSchema.safeParse(answer.body);
    if (!parsed.success) throw new CecAuthError('CEC answered applyToken with something unexpected; retrying', false);
    const { resultCode, resultDesc, token } = parsed.data;
    if ((resultCode !== undefined && resultCode !== '0') || !token) {
      throw new CecAuthError(
        `CEC did not issue a token for user ${account.userId} on channel ${account.channelId} (resultCode ${resultCode ?? 'none'}${resultDesc ? `: ${resultDesc}` : ''}) — check the user id and channel id`,
        true,
      );
    }
    return token;
  }

  function refused(error: CecHttpError, configured: boolean): CecAuthError {
    if (error.status === 401 || error.status === 403) {
      return new CecAuthError(
        configured
          ? `CEC refused the bearer token (HTTP ${error.status} on applyToken): it may have expired — put a fresh one in the account settings, or give the app secret instead`
          : `CEC refused a freshly obtained access token (HTTP ${error.status} on applyToken) — check the app key and the app's access to CC-Messaging`,
        true,
        { cause: error },
      );
    }
    if (error.status === 404) {
      return new CecAuthError(`CEC has no applyToken at ${origin} (HTTP 404) — check apiFabricUrl`, true, { cause: error });
    }
    return new CecAuthError(`CEC refused applyToken (HTTP ${error.status}) — check the user id, channel id and locale`, true, { cause: error });
  }

  return async ({ renew }) => {
    const configured = !secrets.appSecret;
    let bearer = await accessToken(renew);
    try {
      return { token: await apply(bearer), bearer };
    } catch (error) {
      if (!(error instanceof CecHttpError) || error.status >= 500 || error.status === 429) throw error;
      // The access token is bad or expired: obtain a new one and apply again, once.
      if ((error.status === 401 || error.status === 403) && !configured && !renew) {
        bearer = await accessToken(true);
        try {
          return { token: await apply(bearer), bearer };
        } catch (again) {
          if (again instanceof CecHttpError && again.status < 500 && again.status !== 429) throw refused(again, false);
          throw again;
        }
      }
      throw refused(error, configured);
    }
  };
}
