/**
 * The files both hosts read at start (the config, the call history, the preferences, the web host's
 * session key), read safely (issue 16, findings 4 and 7):
 *
 * - the size is checked with `stat` **before** reading, so a 600 MB file is refused in a moment,
 *   with one sentence naming the file and the cap, instead of blocking start-up and filling memory;
 * - a file that cannot be used is moved aside under a timestamped name
 *   (`history.json.2026-12-05T10-00-00Z.corrupt`) that never replaces an older one, so the next
 *   write cannot overwrite what a person may still want back.
 */
import { existsSync, readFileSync, renameSync, statSync, type Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';

/**
 * The largest file of each kind read at start, bytes. History: 500 entries of at most a few KB
 * each fit many times over [I]; config: an administrator's file with many accounts is a few KB [I];
 * preferences: a handful of short strings [I]; the session key: 44 bytes as written.
 */
export const SIZE_CAPS = {
  history: 20 * 1024 * 1024,
  config: 1024 * 1024,
  preferences: 256 * 1024,
  sessionKey: 1024,
} as const;

/** A file that is not read: too large, not a regular file, or unreadable. `message` is one sentence naming the file. */
export class UnreadableFileError extends Error {
  override name = 'UnreadableFileError';
  constructor(
    message: string,
    /** The file. */
    readonly path: string,
    /** Why, in a few words for the agent ("larger than 20 MB", "not a file", "not readable"). */
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A size in words: `20 MB`, `1 MB`, `256 KB`, `1 KB`, `612.4 MB` (binary units, as the caps are set). */
export function sizeInWords(bytes: number): string {
  const units: Array<[number, string]> = [
    [1024 * 1024 * 1024, 'GB'],
    [1024 * 1024, 'MB'],
    [1024, 'KB'],
  ];
  for (const [size, unit] of units) {
    if (bytes >= size) {
      const value = bytes / size;
      return `${Number.isInteger(value) ? value : value.toFixed(1)} ${unit}`;
    }
  }
  return `${bytes} bytes`;
}

/** Checks what `stat` said: a regular file within `cap`, else the one-sentence refusal. */
function checkStats(path: string, stats: Stats, cap: number, what: string): void {
  if (!stats.isFile()) throw new UnreadableFileError(`${what} ${path} is not a file, so it was not read.`, path, 'not a file');
  if (stats.size > cap) {
    throw new UnreadableFileError(`${what} ${path} is ${sizeInWords(stats.size)}, larger than the ${sizeInWords(cap)} it may be, so it was not read.`, path, `larger than ${sizeInWords(cap)}`);
  }
}

function unreadable(path: string, what: string, error: unknown): UnreadableFileError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code === 'EISDIR' ? 'not a file' : 'not readable';
  return new UnreadableFileError(`${what} ${path} cannot be read (${code ?? (error as Error).message}).`, path, reason, { cause: error });
}

/**
 * A file's text, its size checked with `stat` first; `undefined` when there is no file.
 * @param cap the largest size read, bytes ({@link SIZE_CAPS}).
 * @param what the file in words, for the sentence ("the call history file").
 * @throws {UnreadableFileError} when it is larger than `cap`, not a regular file, or cannot be read.
 */
export function readCappedSync(path: string, cap: number, what: string): string | undefined {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw unreadable(path, what, error);
  }
  checkStats(path, stats, cap, what);
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw unreadable(path, what, error);
  }
}

/** {@link readCappedSync}, without blocking the event loop. */
export async function readCapped(path: string, cap: number, what: string): Promise<string | undefined> {
  let stats: Stats;
  try {
    stats = await stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw unreadable(path, what, error);
  }
  checkStats(path, stats, cap, what);
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw unreadable(path, what, error);
  }
}

/** `2026-12-05T10-00-00Z`: an ISO-8601 UTC time to the second, with no character a file name on Windows refuses. */
export function fileTimestamp(now: Date): string {
  return now.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
}

/**
 * Moves a file (or whatever sits at `path`: a directory too) aside to
 * `<path>.<timestamp>.corrupt`, or `<path>.<timestamp>-2.corrupt` … when that name is taken, so an
 * older copy is never replaced.
 * @returns the new path.
 * @throws when it cannot be renamed (a read-only folder): the caller must then not write over it.
 */
export function setAside(path: string, now: Date = new Date()): string {
  const stamp = fileTimestamp(now);
  let aside = `${path}.${stamp}.corrupt`;
  for (let n = 2; existsSync(aside); n++) aside = `${path}.${stamp}-${n}.corrupt`;
  renameSync(path, aside);
  return aside;
}

/**
 * A file set aside by {@link readJsonOrSetAside}, or one that could not even be moved (`movedTo`
 * absent: it is still in the way, and must not be written over).
 */
export class SetAsideError extends Error {
  override name = 'SetAsideError';
  constructor(
    /** One or two sentences for the log: what was wrong with the file, and where it went. */
    message: string,
    /** Why, in a few words for the agent ("not valid JSON", "larger than 20 MB"). */
    readonly reason: string,
    /** Where the file went. */
    readonly movedTo: string | undefined,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * Reads and parses a JSON file the app keeps (the call history, the preferences); `undefined` when
 * there is none. A file that cannot be used (larger than `cap`, not a file, not readable, not JSON)
 * is moved aside with {@link setAside} first.
 * @param what the file in words, starting a sentence ("The call history file").
 * @param now the time that names the file set aside.
 * @throws {SetAsideError} naming the file, why, and where it went.
 */
export function readJsonOrSetAside(path: string, cap: number, what: string, now: Date = new Date()): unknown {
  let reason: string;
  let sentence: string;
  let cause: unknown;
  try {
    const text = readCappedSync(path, cap, what);
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      reason = 'not valid JSON';
      sentence = `${what} ${path} is not valid JSON (${(error as Error).message}).`;
      cause = error;
    }
  } catch (error) {
    if (!(error instanceof UnreadableFileError)) throw error;
    reason = error.reason;
    sentence = error.message;
    cause = error;
  }
  let movedTo: string;
  try {
    movedTo = setAside(path, now);
  } catch (error) {
    throw new SetAsideError(`${sentence} It could not be moved aside either (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`, reason, undefined, { cause });
  }
  throw new SetAsideError(`${sentence} It was moved to ${movedTo}.`, reason, movedTo, { cause });
}
