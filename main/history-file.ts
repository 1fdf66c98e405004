/**
 * The web host's call history: one JSON file in its state directory (`state-dir.ts`), written
 * atomically (a temporary file in the same folder, then a rename over the old one, so a crash
 * mid-write leaves the previous history whole). The desktop app keeps the same document in
 * electron-store instead (`shell/stores.ts`), behind the same check ({@link checkHistoryFile}).
 *
 * A file that cannot be used — larger than {@link SIZE_CAPS}.history (checked with `stat` before
 * reading), not a file, not readable, not JSON — is moved aside under a timestamped name that never
 * replaces an older one, and never overwritten by the next write (issue 16, finding 4).
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readJsonOrSetAside, SetAsideError, SIZE_CAPS } from './capped-file.js';
import { HistoryReadError, type HistoryDocument, type HistoryStore } from './desk/history.js';

/** The history file's name in the web host's state directory. */
export const HISTORY_FILE_NAME = 'history.json';

/**
 * Reads a kept history file and parses it; `undefined` when there is none. A file that cannot be
 * used is moved aside first (both hosts run this before reading their history).
 * @param now the time that names the file set aside.
 * @throws {HistoryReadError} naming the file, why, and where it went (`keep: false` when it could
 *   not be moved: it must then not be written over).
 */
export function checkHistoryFile(path: string, now: () => Date = () => new Date()): unknown {
  try {
    return readJsonOrSetAside(path, SIZE_CAPS.history, 'The call history file', now());
  } catch (error) {
    if (!(error instanceof SetAsideError)) throw error;
    const message = error.movedTo ? error.message : `${error.message} No history is written over it.`;
    throw new HistoryReadError(message, { reason: error.reason, movedTo: error.movedTo, keep: error.movedTo !== undefined }, { cause: error });
  }
}

/** A call history kept in one JSON file. */
export class JsonFileHistory implements HistoryStore {
  /** Set when the file could not be read nor moved aside: writing would replace it, so nothing is written. */
  private blocked = false;

  /**
   * @param path the file (its folder is created on the first write).
   * @param now the clock that names a file set aside.
   */
  constructor(
    readonly path: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get where(): string {
    return this.path;
  }

  /**
   * The document in the file; `undefined` when there is none.
   * @throws {HistoryReadError} when it cannot be used (see {@link checkHistoryFile}).
   */
  read(): unknown {
    try {
      return checkHistoryFile(this.path, this.now);
    } catch (error) {
      if (error instanceof HistoryReadError && !error.details.keep) this.blocked = true;
      throw error;
    }
  }

  /**
   * Writes the document atomically (temporary file, then rename).
   * @throws on I/O failure, or when the unreadable file could not be moved aside (it is never written over).
   */
  write(document: HistoryDocument): void {
    if (this.blocked) throw new Error(`the call history is not written: ${this.path} could not be read nor moved aside`);
    mkdirSync(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    try {
      writeFileSync(temporary, JSON.stringify(document), { mode: 0o600 });
      renameSync(temporary, this.path);
    } catch (error) {
      rmSync(temporary, { force: true });
      throw error;
    }
  }
}

/**
 * The web host's history file in its state directory (`state-dir.ts` `webStateDir`).
 * @param stateDir the folder.
 */
export function webHistory(stateDir: string): JsonFileHistory {
  return new JsonFileHistory(join(stateDir, HISTORY_FILE_NAME));
}
