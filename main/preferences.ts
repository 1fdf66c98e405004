/**
 * The agent's remembered choices ({@link DeskPreferences}), kept apart from the settings so that a
 * managed, read-only config (an administrator's file) leaves "Remember this choice" working: the
 * Electron app keeps them in their own electron-store file (`preferences.json` in `userData`), the
 * web host in `preferences.json` in its state directory (`main/state-dir.ts`).
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { readJsonOrSetAside, SIZE_CAPS } from './capped-file.js';
import type { DeskPreferences } from './desk/desk.js';
import type { Logger } from './log.js';

/** A JSON document that writes itself when assigned (electron-store's `store`, or {@link jsonFileDocument}). */
export interface PreferenceDocument {
  store: Record<string, unknown>;
}

/**
 * Preferences over a document: string values only; a write that fails is logged, never thrown
 * (a full disk must not stop a call from being placed).
 */
export function documentPreferences(document: PreferenceDocument, log: Logger): DeskPreferences {
  return {
    get(key) {
      try {
        const value = document.store[key];
        return typeof value === 'string' ? value : undefined;
      } catch (error) {
        log.warn({ err: error }, 'the preferences could not be read');
        return undefined;
      }
    },
    set(key, value) {
      try {
        const next = { ...document.store };
        if (value === undefined) delete next[key];
        else next[key] = value;
        document.store = next;
      } catch (error) {
        log.warn({ err: error, key }, 'a preference could not be saved');
      }
    },
  };
}

/**
 * A JSON file as a {@link PreferenceDocument}: read on each access (it is tiny: its size is checked
 * with `stat` first, cap {@link SIZE_CAPS}.preferences), written whole through a temporary file and
 * a rename; a missing file reads as `{}`. A file that cannot be used (too large, not a file, not
 * JSON) is moved aside (`preferences.json.<time>.corrupt`), said once in the log, and reads as `{}`.
 * @param log where a file set aside is reported.
 */
export function jsonFileDocument(path: string, log?: Logger): PreferenceDocument {
  let reported = false;
  return {
    get store(): Record<string, unknown> {
      let value: unknown;
      try {
        value = readJsonOrSetAside(path, SIZE_CAPS.preferences, 'The preferences file');
      } catch (error) {
        if (!reported) log?.warn({ path }, `${(error as Error).message} The preferences start empty.`);
        reported = true;
        return {};
      }
      return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
    },
    set store(value: Record<string, unknown>) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(`${path}.tmp`, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
      renameSync(`${path}.tmp`, path);
    },
  };
}
