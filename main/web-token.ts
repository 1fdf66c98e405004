/**
 * The web host's session key (the launch token a tab must present), kept across restarts so that an
 * open tab finds the host again after it restarts on the same port (issue 11, point 8). It lives in
 * one file, `web-session.key` in the web host's state directory (`main/state-dir.ts`), readable
 * only by its owner (mode 0600, in a 0700 directory when the directory is created here), written
 * atomically (a temporary file renamed over it), so a crash never leaves half a key.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readCapped, SIZE_CAPS } from './capped-file.js';

/** The key file's name inside the state directory. */
export const WEB_TOKEN_FILE = 'web-session.key';

/** A key as this module writes it: 32 random bytes, base64url (43 characters). */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** What {@link loadWebToken} gives back. */
export interface WebToken {
  token: string;
  /** The file it is kept in. */
  path: string;
  /** Whether a new key was made (none yet, an unreadable one, or asked for with `renew`). */
  created: boolean;
  /** Why the kept file was not used, in one sentence (too large, not a file, not readable), when a new key replaced it for that reason. */
  replaced?: string;
}

/** A new random 256-bit key, base64url. */
export function newWebToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The key kept in `dir`, or a new one written there when there is none, it is not a key this module
 * wrote, or `renew` asks for a new one (`npm run start:web -- --new-key`: every open tab must then
 * be opened again from the new link). A file readable by others is narrowed to 0600.
 * @throws when the directory or the file cannot be written (the message names the path).
 */
export async function loadWebToken(dir: string, options: { renew?: boolean } = {}): Promise<WebToken> {
  const path = join(dir, WEB_TOKEN_FILE);
  let replaced: string | undefined;
  if (!options.renew) {
    // Its size is checked before it is read (SIZE_CAPS.sessionKey): a huge file there is not loaded.
    const existing = await readCapped(path, SIZE_CAPS.sessionKey, 'The session key file').catch((error: unknown) => {
      replaced = `${(error as Error).message} A new key replaces it.`;
      return undefined;
    });
    const token = existing?.trim();
    if (token && TOKEN_PATTERN.test(token)) {
      if (((await stat(path)).mode & 0o077) !== 0) await chmod(path, 0o600);
      return { token, path, created: false };
    }
  }
  const token = newWebToken();
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const file = await open(temporary, 'wx', 0o600);
    try {
      await file.writeFile(`${token}\n`, 'utf8');
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, path).catch(async (error: unknown) => {
      await rm(temporary, { force: true });
      throw error;
    });
  } catch (error) {
    throw new Error(`could not keep the web host's session key in ${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return { token, path, created: true, ...(replaced ? { replaced } : {}) };
}
