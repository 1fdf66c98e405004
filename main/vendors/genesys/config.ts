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

/** The user data key a disposition is attached under when the account names none [I: VENDOR-NOTES, "Call work"]. */
export const DEFAULT_DISPOSITION_KEY = 'DispositionCode';

/**
 * One wrap-up reason (disposition) the agent may give a call: `{code, label}`. Genesys keeps the
 * codes in its configuration server, which the Workspace API does not expose (VENDOR-NOTES, "Call
 * work beyond answer and hang-up"), so the account lists them.
 */
const dispositionSchema = z.strictObject({
  code: z.string().trim().min(1, 'must not be empty').max(64, 'at most 64 characters'),
  label: z.string().trim().min(1, 'must not be empty').max(80, 'at most 80 characters'),
});

/**
 * `{ id, label?, enabled, vendor: 'genesys', baseUrl, user, password, channels, dispositions,
 * dispositionKey, wrapUpRequired }`.
 * - `baseUrl`: the GWS host root (`https://gws.example.com`, optionally with a path prefix); the API
 *   is at `{baseUrl}/api/v2`. A trailing `/` and a trailing `/api/v2` are tolerated and removed.
 * - `user`: the agent's GWS user name; `password`: a {@link secretSchema} reference.
 * - `channels`: defaults to both `voice` and `chat`.
 * - `dispositions`: the wrap-up reasons `[{code, label}]` the agent may give a call (default none:
 *   no wrap-up reasons on this account); codes unique.
 * - `dispositionKey`: the user data key the chosen code is attached under (default
 *   {@link DEFAULT_DISPOSITION_KEY}).
 * - `wrapUpRequired`: whether the agent must give a reason before leaving wrap-up (default false;
 *   true needs `dispositions`).
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
  dispositions: z
    .array(dispositionSchema)
    .max(500, 'at most 500 wrap-up reasons')
    .default([])
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((d, i) => {
        if (seen.has(d.code)) ctx.addIssue({ code: 'custom', message: `the code "${d.code}" is listed twice`, path: [i, 'code'] });
        seen.add(d.code);
      });
    })
    .describe('The wrap-up reasons (dispositions) the agent may give a call, as `[{"code": "…", "label": "…"}]`; Genesys keeps them in its configuration server, which the Workspace API does not expose, so the account lists them. None: no wrap-up reasons.'),
  dispositionKey: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(64, 'at most 64 characters')
    .default(DEFAULT_DISPOSITION_KEY)
    .describe('The attached-data key the chosen wrap-up reason’s code is attached to the call under (`AttachUserData`) [I].'),
  wrapUpRequired: z
    .boolean()
    .default(false)
    .describe('Whether the agent must choose a wrap-up reason before leaving wrap-up; needs `dispositions`.'),
};

export const genesysAccountSchema = accountSchemaOf('genesys', genesysShape, {
  check: (account) => !account.wrapUpRequired || account.dispositions.length > 0,
  message: 'a wrap-up reason cannot be required without dispositions to choose from',
  path: 'wrapUpRequired',
});

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
