/**
 * The configuration of one Huawei CEC account: a CC-Messaging web channel that places click-to-dial
 * calls for the agent.
 *
 * Sources: the document (`vendor-docs/huawei-cec-click-to-dial-events.txt`: the facade URL and its
 * `Cookie: ccmessaging-token=…`); VENDOR-NOTES.md, Huawei section [C]: the two URL families,
 * `applyToken` (`x-app-key`, `Authorization: Bearer <AccessToken>`, body `{userId, userName,
 * channelId, locale}`), `tokenByAkSk` (`{app_key, app_secret}` → `AccessToken`), `mediaAbility`
 * "0" voice / "1" video. [I]: the account takes the click-to-dial base URL and infers its family
 * from the path; tokens come from the API Fabric at the same origin unless `apiFabricUrl` says
 * otherwise.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Connector } from '../../desk/port.js';
import { accountSchemaOf, secretField, type SecretsOf } from '../kit/platform.js';
import type { TokenSource } from './auth.js';

/** The path of the NSLB facade family (the document): `…/service-cloud/rest/webadapter/v1/webadapterfacade/`. */
export const FACADE_PATH = '/service-cloud/rest/webadapter/v1/webadapterfacade/';
/** The path of the API Fabric family (VENDOR-NOTES [C]): `…/apiaccess/ccmessaging/v1/`. */
export const FABRIC_PATH = '/apiaccess/ccmessaging/v1/';

/**
 * The two URL families of the same four click-to-dial operations (VENDOR-NOTES [C]):
 * - `facade`: the NSLB's `webadapterfacade`, token in `Cookie: ccmessaging-token=…` (the document);
 * - `fabric`: the API Fabric's `apiaccess/ccmessaging/v1`, headers `ccmessaging-token`,
 *   `x-app-key`, `Authorization: Bearer …`, `channel=WEB` on every request.
 */
export type UrlFamily = 'facade' | 'fabric';

/**
 * The family of a click-to-dial base URL, from its path [I]; `undefined` when the path is neither.
 * @param url e.g. `https://10.10.10.2:18446/service-cloud/rest/webadapter/v1/webadapterfacade/`.
 */
export function urlFamilyOf(url: string): UrlFamily | undefined {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return undefined;
  }
  const withSlash = path.endsWith('/') ? path : `${path}/`;
  if (withSlash.endsWith(FACADE_PATH)) return 'facade';
  if (withSlash.endsWith(FABRIC_PATH)) return 'fabric';
  return undefined;
}

/**
 * A Huawei CEC account in the config file.
 *
 * - `clickToDialUrl`: the base of the four click-to-dial operations, ending in
 *   {@link FACADE_PATH} (the NSLB facade) or {@link FABRIC_PATH} (the API Fabric); its path says
 *   which family it is.
 * - `apiFabricUrl`: where tokens come from (`/apiaccess/ccmessaging/applyToken`,
 *   `/apigovernance/api/oauth/tokenByAkSk`); default: the origin of `clickToDialUrl` [I].
 * - `appKey`: the API Fabric app key (`x-app-key`; not a secret: it names the app).
 * - `appSecret` / `bearerToken`: at least one. The app secret (AK/SK) obtains Bearer access tokens
 *   as needed (preferred); a ready Bearer access token works until it expires (at most an hour).
 * - `userId` (1–32 characters), `userName` (default: the user id), `channelId` (the channel's
 *   configuration id), `locale` (ISO 639 code without a country, default `en`): `applyToken`'s body.
 * - `callMedia`: `voice` (`mediaAbility` "0", default) or `video` ("1").
 *
 * Parsing fails (zod issue on `appSecret`) when neither secret is given, and on `clickToDialUrl`
 * when its path is neither family's.
 */
export const huaweiShape = {
  clickToDialUrl: z
    .url('must be a URL')
    .refine((url) => urlFamilyOf(url) !== undefined, `must end with ${FACADE_PATH} (NSLB facade) or ${FABRIC_PATH} (API Fabric)`),
  apiFabricUrl: z.url('must be a URL').optional(),
  appKey: z.string().min(1, 'must not be empty'),
  appSecret: secretField('optional'),
  bearerToken: secretField('optional'),
  userId: z.string().min(1, 'must not be empty').max(32, 'at most 32 characters'),
  userName: z.string().min(1).max(64).optional(),
  channelId: z.string().min(1, 'must not be empty'),
  locale: z.string().regex(/^[a-z]{2,3}$/, 'a language code without country, e.g. "en"').default('en'),
  callMedia: z.enum(['voice', 'video']).default('voice'),
};

export const huaweiAccountSchema = accountSchemaOf('huawei', huaweiShape, {
  check: (account) => account.appSecret !== undefined || account.bearerToken !== undefined,
  message: 'give the API Fabric appSecret (preferred) or a bearerToken',
  path: 'appSecret',
});

/** A parsed Huawei CEC account (defaults applied). */
export type HuaweiAccount = z.infer<typeof huaweiAccountSchema>;

/**
 * The account's secrets resolved to their values, derived from the shape's `secretField()`s:
 * `appSecret` (the API Fabric app secret, AK/SK: obtains Bearer access tokens) and `bearerToken`
 * (a ready Bearer access token, used when no app secret is given), each optional.
 */
export type HuaweiSecrets = SecretsOf<typeof huaweiShape>;

/*
 * The connector's timings and limits, in one place. The defaults suit production; tests
 * shorten them through the platform module's `options.tuning` (opaque outside this folder).
 *
 * Sources: the 100 ms poll after each answer is Huawei's own web client's (VENDOR-NOTES [C]);
 * every other value is ours [I] and listed in its protocol-confidence page (`docs/platforms/huawei.md`).
 */
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
