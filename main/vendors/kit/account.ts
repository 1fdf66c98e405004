/**
 * The parts of an account's configuration every platform shares. Each vendor extends
 * {@link accountBase} with its own fields in `main/vendors/<vendor>/config.ts`; `main/config.ts`
 * joins them into one discriminated union on `vendor`.
 */
import { z } from 'zod';

/**
 * A secret in the config: written inline (managed deployments that protect the file), read from an
 * environment variable (`{"env": "NAME"}`), or encrypted by the OS keychain through Electron
 * `safeStorage` (`{"encrypted": "<base64>"}`, written by the settings screen).
 */
export const secretSchema = z.union(
  [
    z.string().min(1, 'must not be empty'),
    z.object({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name') }).strict(),
    z.object({ encrypted: z.base64().min(1) }).strict(),
  ],
  { error: (issue) => (issue.input === undefined ? 'is required' : 'must be the secret itself, {"env": "VARIABLE"} or {"encrypted": "…"}') },
);
export type SecretRef = z.infer<typeof secretSchema>;

/** Fields every account has. Strict: an unknown field (a typo such as `pasword`) is an error that names it. */
export const accountBase = z.strictObject({
  /** Stable id, used in desk keys and logs: lowercase letters, digits and dashes. */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'use 1–40 lowercase letters, digits or dashes'),
  /** Display name; defaults to the vendor's name. */
  label: z.string().min(1).max(60).optional(),
  /** A disabled account stays in the config but does not connect. */
  enabled: z.boolean().default(true),
  /**
   * The account's screen pop (issue 11, point 5): a URL template such as
   * `https://crm.example.com/search?phone={caller}&id={userData.CaseId}` (placeholders: `caller`,
   * `target`, `queue`, `queueId`, `callId`, `account`, `userData.<Key>`; values URL-encoded), opened
   * when a call rings or is answered. Only `https:`, only hosts on `screenPop.allowedHosts`.
   */
  screenPop: z
    .strictObject({
      url: z.string().max(2000).regex(/^https:\/\/[^/?#]/i, 'must be an https:// address'),
      on: z.enum(['ringing', 'answered']).default('ringing'),
    })
    .optional(),
});

/** Turns a {@link SecretRef} into its value. */
export interface SecretResolver {
  /**
   * @throws {Error} naming the variable when `{env}` is unset, or when `{encrypted}` cannot be
   *   decrypted on this machine (another user or machine encrypted it).
   */
  (ref: SecretRef): string;
}
