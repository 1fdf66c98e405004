/**
 * A Genesys Workspace Web Edition (GWS) API v2 account in the config file.
 *
 * Source: VENDOR-NOTES.md, Genesys — "Base" and "Auth" [C]: the API lives at `{host}/api/v2`,
 * every REST call uses HTTP Basic auth, and the agent logs in to the channels named in
 * `StartContactCenterSession`.
 */
import { z } from 'zod';
import { accountSchemaOf, secretField, type SecretsOf } from '../kit/platform.js';
import type { CometdTuning } from './cometd.js';

/** The contact-center channels the agent logs in to (`StartContactCenterSession.channels`). */
export const GENESYS_CHANNELS = ['voice', 'chat'] as const;
export type GenesysChannel = (typeof GENESYS_CHANNELS)[number];

/**
 * `{ id, label?, enabled, vendor: 'genesys', baseUrl, user, password, channels }`.
 * - `baseUrl`: the GWS host root (`https://gws.example.com`, optionally with a path prefix); the API
 *   is at `{baseUrl}/api/v2`. A trailing `/` and a trailing `/api/v2` are tolerated and removed.
 * - `user`: the agent's GWS user name; `password`: a {@link secretSchema} reference.
 * - `channels`: defaults to both `voice` and `chat`.
 */
export const genesysShape = {
  baseUrl: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. https://gws.example.com' })
    .transform((url) => normalizeBaseUrl(url)),
  user: z.string().min(1, 'must not be empty'),
  password: secretField(),
  channels: z
    .array(z.enum(GENESYS_CHANNELS))
    .min(1, 'name at least one channel')
    .default([...GENESYS_CHANNELS])
    .transform((list) => [...new Set(list)]),
};

export const genesysAccountSchema = accountSchemaOf('genesys', genesysShape);

/** A parsed Genesys account (after defaults). */
export type GenesysAccount = z.output<typeof genesysAccountSchema>;
/** The account's secrets resolved to their values, derived from the shape's `secretField()`s: `{ password }`. */
export type GenesysSecrets = SecretsOf<typeof genesysShape>;

/** A Genesys account as written in the config file. */
export type GenesysAccountInput = z.input<typeof genesysAccountSchema>;

/** `https://h/x/` → `https://h/x`; `https://h/api/v2` → `https://h`. Pure. */
export function normalizeBaseUrl(url: string): string {
  let out = url.trim().replace(/\/+$/, '');
  out = out.replace(/\/api\/v2$/i, '');
  return out;
}

/** `{baseUrl}/api/v2` — the REST root. */
export function apiRoot(baseUrl: string): string {
  return `${normalizeBaseUrl(baseUrl)}/api/v2`;
}

/** `{baseUrl}/api/v2/notifications` — the CometD (Bayeux) endpoint [C]. */
export function notificationsUrl(baseUrl: string): string {
  return `${apiRoot(baseUrl)}/notifications`;
}

/** Platform tuning of a Genesys connector (`ConnectorOptions.tuning`); every field optional. */
export interface GenesysTuning {
  /** The `fetch` REST requests use (default: the global one); a seam for tests and proxies. */
  fetch?: typeof fetch;
  /** Per REST request timeout, ms (default 15 000). */
  requestTimeoutMs?: number;
  /** CometD client tuning: long-poll lateness, open timeout, message size cap. */
  cometd?: CometdTuning;
}
