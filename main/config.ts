/**
 * Settings: one schema for the managed-deployment config file and for what the Electron settings
 * store keeps. Validated with zod; every error names the field it is about.
 *
 * Where it comes from: `--config PATH`, else the `AGENT_COMPANION_CONFIG` environment variable,
 * else (Electron) the settings store; with no account configured the app runs in demo mode.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { SecretRef } from './vendors/account.js';
import { enreachAccountSchema } from './vendors/enreach/config.js';
import { genesysAccountSchema } from './vendors/genesys/config.js';

/** One account of any supported platform, told apart by `vendor`. */
export const accountSchema = z.discriminatedUnion('vendor', [enreachAccountSchema, genesysAccountSchema]);
export type AccountConfig = z.infer<typeof accountSchema>;

/** Display preferences. */
export const displaySchema = z
  .object({
    /** Window theme. */
    theme: z.enum(['system', 'light', 'dark']).default('system'),
    /** Which OS toasts to raise. */
    toasts: z.object({ calls: z.boolean().default(true), chats: z.boolean().default(true) }).strict().default({ calls: true, chats: true }),
  })
  .strict();

/** The whole config file. */
export const configSchema = z
  .object({
    accounts: z.array(accountSchema).default([]),
    display: displaySchema.default({ theme: 'system', toasts: { calls: true, chats: true } }),
    webHost: z
      .object({
        /** TCP port on 127.0.0.1; 0 picks a free one. */
        port: z.number().int().min(0).max(65535).default(0),
      })
      .strict()
      .default({ port: 0 }),
  })
  .strict()
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.accounts.forEach((account, i) => {
      if (seen.has(account.id)) ctx.addIssue({ code: 'custom', path: ['accounts', i, 'id'], message: `"${account.id}" is used by another account` });
      seen.add(account.id);
    });
  });
export type AppConfig = z.infer<typeof configSchema>;

/** A config that could not be used; `message` lists every problem, each with its field path. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)), '') || '(root)';
}

/**
 * Validates a parsed config object.
 * @throws {ConfigError} naming each bad field, e.g. `accounts[0].user: Invalid email address`.
 */
export function parseConfig(raw: unknown, source = 'config'): AppConfig {
  const result = configSchema.safeParse(raw);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${fieldPath(issue.path)}: ${issue.message}`);
  throw new ConfigError(`${source} is not valid:\n${lines.join('\n')}`);
}

/**
 * Reads and validates a JSON config file.
 * @throws {ConfigError} when the file cannot be read, is not JSON, or does not match the schema.
 */
export async function loadConfigFile(path: string): Promise<AppConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read the config file ${path}: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  return parseConfig(raw, path);
}

/** The config file path from `--config PATH` / `--config=PATH`, else `AGENT_COMPANION_CONFIG`. */
export function configPathFrom(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--config') return argv[i + 1];
    if (arg.startsWith('--config=')) return arg.slice('--config='.length);
  }
  return env.AGENT_COMPANION_CONFIG || undefined;
}

/** The accounts that should connect. None means demo mode. */
export function enabledAccounts(config: AppConfig): AccountConfig[] {
  return config.accounts.filter((a) => a.enabled);
}

/**
 * Resolves a secret reference.
 * @param decrypt decrypts `{encrypted}` values (Electron `safeStorage`); absent in the web host.
 * @throws {ConfigError} naming the variable when `{env}` is unset, or when an encrypted secret
 *   cannot be decrypted here.
 */
export function resolveSecret(ref: SecretRef, env: NodeJS.ProcessEnv = process.env, decrypt?: (base64: string) => string): string {
  if (typeof ref === 'string') return ref;
  if ('env' in ref) {
    const value = env[ref.env];
    if (!value) throw new ConfigError(`the environment variable ${ref.env} is not set (a secret in the config points at it)`);
    return value;
  }
  if (!decrypt) throw new ConfigError('an encrypted secret can only be read by the desktop app that stored it; use {"env": "NAME"} here');
  try {
    return decrypt(ref.encrypted);
  } catch (error) {
    throw new ConfigError(`an encrypted secret could not be decrypted on this machine: ${(error as Error).message}`);
  }
}
