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
import { z } from 'zod';
import { accountSchemaOf, secretField } from '../kit/platform.js';

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

/** The account's secrets, already resolved to their values by the caller. */
export interface HuaweiSecrets {
  /** The API Fabric app secret (AK/SK): obtains Bearer access tokens. */
  appSecret?: string;
  /** A ready Bearer access token (used when no app secret is given). */
  bearerToken?: string;
}
