/**
 * The configuration of one Enreach Voice account (formerly Benemen).
 *
 * Sources: VENDOR-NOTES.md, Enreach section — discovery [C], REST Basic auth with the API
 * SecretKey [C], a SecretKey obtained from a password with `POST {api}/authuser/{email}/` [C].
 */
import { z } from 'zod';
import { accountSchemaOf, secretField, type SecretsOf } from '../kit/platform.js';

/** Enreach's public service discovery (VENDOR-NOTES [C]): `GET …?user={email}` → silos. */
export const ENREACH_DISCOVERY_URL = 'https://discover.enreachvoice.com/api/user';

/**
 * An Enreach account in the config file.
 *
 * - `user`: the login email; also the Basic-auth user name on every REST call.
 * - `apiUrl`: the silo's REST base (e.g. `https://api-silo1.enreachvoice.com`); when absent the
 *   connector asks `discoveryUrl` for it.
 * - `discoveryUrl`: defaults to {@link ENREACH_DISCOVERY_URL}.
 * - `secretKey` / `password`: at least one; the SecretKey is preferred, a password is traded for a
 *   SecretKey once per run.
 *
 * Parsing fails (zod issue on `secretKey`) when neither secret is given.
 */
export const enreachShape = {
  user: z.email('must be the Enreach login email'),
  apiUrl: z.url().optional(),
  discoveryUrl: z.url().default(ENREACH_DISCOVERY_URL),
  secretKey: secretField('optional'),
  password: secretField('optional'),
};

export const enreachAccountSchema = accountSchemaOf('enreach', enreachShape, {
  check: (account) => account.secretKey !== undefined || account.password !== undefined,
  message: 'give the Enreach API secretKey (preferred) or the password',
  path: 'secretKey',
});

/** A parsed Enreach account (defaults applied). */
export type EnreachAccount = z.infer<typeof enreachAccountSchema>;

/**
 * The account's secrets resolved to their values, derived from the shape's `secretField()`s:
 * `secretKey` (the REST API SecretKey, the Basic-auth password) and `password` (traded for a
 * SecretKey when no `secretKey` is given), each optional.
 */
export type EnreachSecrets = SecretsOf<typeof enreachShape>;

/**
 * Connector tuning: the defaults suit production; tests shorten the timeouts. The platform module's
 * `createConnector` receives it as `options.tuning` (opaque outside this folder).
 */
export interface EnreachTuning {
  /** The fetch REST calls and discovery use (default: the global one). */
  fetch?: typeof fetch;
  /** Timeout of each REST request, ms (default 15 000). */
  requestTimeoutMs?: number;
  /**
   * SignalR server timeout, ms (default 30 000, the client library's): a hub that sends nothing,
   * not even a ping, for this long has lost the session, which then ends and is reopened.
   */
  serverTimeoutMs?: number;
  /** SignalR keep-alive: the client pings the hub after this long without sending, ms (default 15 000). */
  keepAliveMs?: number;
  /**
   * The largest hub message the connector reads, bytes of UTF-8 (default 1 MiB, `RTE_MAX_MESSAGE_BYTES`);
   * a larger one is logged and dropped, the session lives on [I] (the document states no limit).
   */
  maxMessageBytes?: number;
}
