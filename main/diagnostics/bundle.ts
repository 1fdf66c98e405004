/**
 * "Save diagnostics…" (issue 22, point 2): one `.zip` of what support needs after a call went
 * wrong, which the agent sees listed before saving and which the app never sends anywhere:
 *
 * | file | what it holds |
 * |---|---|
 * | `README.txt` | what is inside, when and where it was made |
 * | `versions.json` | the app, Electron, Chromium and Node versions, the OS |
 * | `configuration.json` | the settings in effect, every secret masked, where they came from and which fields a policy set |
 * | `connections.json` | each account's connection changes of the last 24 h (state, reason, time) |
 * | `alerts.json` | the alert decisions of the last hour (which call rang, whether its toast was shown, when it closed) |
 * | `crash-dumps.json` | the crash reports kept on this computer (names, sizes, times; not their content) |
 * | `logs/…` | the newest log files (at most 5, 20 MB) |
 *
 * Zipped with fflate in memory (the whole bundle is at most about 20 MB).
 */
import type { ManagedBy } from '../../common/settings.js';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import type { DiagnosticsFile, DiagnosticsListing } from '../../common/diagnostics.js';
import type { AppConfig } from '../config.js';
import { listLogFiles } from '../log-files.js';
import { maskSecrets } from '../settings.js';
import type { DiagnosticsRecorder } from './record.js';

/** At most this many log files go into a bundle, newest first [I]. */
export const BUNDLE_LOG_FILES = 5;
/** …and at most this many bytes of them [I]. */
export const BUNDLE_LOG_BYTES = 20 * 1024 * 1024;

/** What a bundle is made from; the hosts give what they know. */
export interface DiagnosticsSources {
  recorder: DiagnosticsRecorder;
  config: AppConfig;
  /** Where the settings came from, in words. */
  source: string;
  /** Versions by name (`app`, `electron`, `chrome`, `node`…). */
  versions: Readonly<Record<string, string>>;
  /** The log files' folder, when the host writes them. */
  logDir?: string | undefined;
  /** The crash reports' folder (Electron's `crashDumps` path), when the host has one. */
  crashDir?: string | undefined;
  /** The fields a policy of the OS sets, and by what (`main/policy.ts`). */
  managed?: Readonly<Record<string, ManagedBy>> | undefined;
  /** The time, ms since the epoch (tests pass a fixed one). */
  clock?: () => number;
}

/** One file of a bundle: its name in the zip, what it holds in words, its bytes. */
export interface DiagnosticsEntry {
  name: string;
  what: string;
  /** The same as a message code for the window (`DiagnosticsFile.said`). */
  said: DiagnosticsFile['said'];
  data: Uint8Array;
}

/** A crash report on this computer. */
export interface CrashDumpEntry {
  /** Its path under the crash reports' folder (`completed/…dmp`). */
  name: string;
  bytes: number;
  /** ISO 8601. */
  modified: string;
}

/** The crash reports (`.dmp` files, at any depth) under `dir`, newest first; none when it does not exist. */
export function listCrashDumps(dir: string | undefined): CrashDumpEntry[] {
  if (!dir) return [];
  const out: CrashDumpEntry[] = [];
  const walk = (folder: string, depth: number): void => {
    let names: string[];
    try {
      names = readdirSync(folder);
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(folder, name);
      try {
        const stat = statSync(path);
        if (stat.isDirectory() && depth < 4) walk(path, depth + 1);
        else if (stat.isFile() && name.endsWith('.dmp')) out.push({ name: relative(dir, path), bytes: stat.size, modified: stat.mtime.toISOString() });
      } catch {
        // Gone meanwhile.
      }
    }
  };
  walk(dir, 0);
  return out.sort((a, b) => b.modified.localeCompare(a.modified));
}

function json(value: unknown): Uint8Array {
  return strToU8(`${JSON.stringify(value, (_key, item: unknown) => (isKept(item) ? '[secret, masked]' : item), 2)}\n`);
}

function isKept(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { kept?: unknown }).kept === true && Object.keys(value).length === 1;
}

/** The file name a bundle is saved under: `agent-companion-diagnostics-2026-12-05-0712.zip` (local time). */
export function diagnosticsFileName(now: number): string {
  const d = new Date(now);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `agent-companion-diagnostics-${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}.zip`;
}

/** The files of a bundle made now, README.txt first. */
export function diagnosticsEntries(sources: DiagnosticsSources): DiagnosticsEntry[] {
  const now = (sources.clock ?? Date.now)();
  const entries: DiagnosticsEntry[] = [
    { name: 'versions.json', said: { key: 'diagnostics.file.versions' }, what: 'the app, Electron, Chromium and Node versions, and the OS', data: json(sources.versions) },
    {
      name: 'configuration.json',
      said: { key: 'diagnostics.file.configuration' },
      what: 'the settings in effect, every secret masked, where they came from and which fields a policy sets',
      data: json({ source: sources.source, managedByPolicy: sources.managed ?? {}, settings: maskSecrets(sources.config) }),
    },
    { name: 'connections.json', said: { key: 'diagnostics.file.connections' }, what: "each account's connection changes of the last 24 hours (state, reason, time)", data: json(sources.recorder.timeline()) },
    { name: 'alerts.json', said: { key: 'diagnostics.file.alerts' }, what: 'the alert decisions of the last hour: which call rang or chat invited, whether its toast was shown, when it closed', data: json(sources.recorder.alertDecisions()) },
    { name: 'crash-dumps.json', said: { key: 'diagnostics.file.crash-dumps' }, what: 'the crash reports kept on this computer (names, sizes and times, not their content)', data: json(listCrashDumps(sources.crashDir)) },
  ];
  let budget = BUNDLE_LOG_BYTES;
  for (const file of listLogFiles(sources.logDir ?? '').slice(0, BUNDLE_LOG_FILES)) {
    if (file.bytes > budget) break;
    try {
      const data = readFileSync(file.path);
      budget -= data.length;
      entries.push({ name: `logs/${file.name}`, said: { key: 'diagnostics.file.log', values: { modified: Date.parse(file.modified) } }, what: `a log file (last written ${file.modified})`, data });
    } catch {
      // Deleted by the rotation meanwhile.
    }
  }
  const readme = [
    'Agent Companion diagnostics',
    `Made ${new Date(now).toISOString()} on this computer, for support. Agent Companion sent it nowhere: you choose whom to give it to.`,
    'Passwords, keys and tokens are not in it: the configuration shows "[secret, masked]" in their place, and the log files hold them redacted.',
    '',
    'Inside:',
    ...entries.map((entry) => `- ${entry.name}: ${entry.what}`),
    '',
  ].join('\n');
  return [{ name: 'README.txt', said: { key: 'diagnostics.file.readme' }, what: 'what is inside, and when it was made', data: strToU8(readme) }, ...entries];
}

/** What the agent sees before saving: each file, its size and what it holds. */
export function diagnosticsListing(entries: readonly DiagnosticsEntry[], now: number): DiagnosticsListing {
  const files: DiagnosticsFile[] = entries.map((entry) => ({ name: entry.name, bytes: entry.data.length, what: entry.what, said: entry.said }));
  return { fileName: diagnosticsFileName(now), files };
}

/** The bundle as one zip (deflated; each file's time is `now`). */
export function zipDiagnostics(entries: readonly DiagnosticsEntry[], now: number): Uint8Array {
  const mtime = new Date(now);
  return zipSync(Object.fromEntries(entries.map((entry) => [entry.name, [entry.data, { mtime }]])), { level: 6 });
}
