/**
 * The web host's call history: one JSON file in its state directory (`state-dir.ts`: beside the
 * config file, else the XDG state directory), written atomically (a temporary file in the same
 * folder, then a rename over the old one, so a crash mid-write leaves the previous history whole).
 * The desktop app keeps the same document in electron-store instead (`shell.ts`).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { HistoryDocument, HistoryStore } from './desk/history.js';
import { webStateDir } from './state-dir.js';

/** The history file's name in the web host's state directory. */
export const HISTORY_FILE_NAME = 'history.json';

/** A call history kept in one JSON file. */
export class JsonFileHistory implements HistoryStore {
  /** @param path the file (its folder is created on the first write). */
  constructor(readonly path: string) {}

  get where(): string {
    return this.path;
  }

  /**
   * The document in the file; `undefined` when there is none.
   * @throws when it cannot be read or is not JSON: the file is then moved aside to `<path>.corrupt`
   *   (kept for a look, and no longer in the way), and the error says so.
   */
  read(): unknown {
    if (!existsSync(this.path)) return undefined;
    const text = readFileSync(this.path, 'utf8');
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      const aside = `${this.path}.corrupt`;
      renameSync(this.path, aside);
      throw new Error(`${this.path} is not valid JSON (${(error as Error).message}); it was moved to ${aside}`, { cause: error });
    }
  }

  /** Writes the document atomically (temporary file, then rename). @throws on I/O failure. */
  write(document: HistoryDocument): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(document), { mode: 0o600 });
    renameSync(temporary, this.path);
  }
}

/**
 * The web host's history file for a configuration.
 * @param configPath the config file the settings came from, if any.
 */
export function webHistory(configPath: string | undefined, env: NodeJS.ProcessEnv = process.env): JsonFileHistory {
  return new JsonFileHistory(join(webStateDir(configPath, env), HISTORY_FILE_NAME));
}
