/**
 * The log on disk (issue 22, point 1): what support asks for when a call went wrong yesterday. The
 * same redacted JSON lines the app writes to standard error (`main/log.ts`) also go to rotating
 * files, `agent-companion.<yyyy-MM-dd>.<n>.log`, in the OS's log folder (Electron
 * `app.getPath('logs')`) or the web host's state folder (`<state>/logs`). A file is closed and a new
 * one begun at midnight and when it reaches its size limit; only the newest files are kept
 * (pino-roll does the rolling and the deleting).
 *
 * The lines reach the files through a {@link LogSink}: the logger is made before the app knows
 * where its log folder is (Electron tells after `ready`), so the sink writes to the terminal at once
 * and keeps the first lines until the files are attached, then writes them there first.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pinoRoll from 'pino-roll';
import { LOG_LEVELS, type LogLevel } from '../common/settings.js';

/** The base of every log file's name: `agent-companion.2026-12-05.1.log`. */
export const LOG_FILE_BASE = 'agent-companion';

/** The defaults of {@link LogFileOptions}: 10 MB a file, ten files kept (so at most about 100 MB) [I]. */
export const LOG_FILE_DEFAULTS = { maxBytes: 10 * 1024 * 1024, keep: 10 } as const;

/** Where and how the log files rotate. */
export interface LogFileOptions {
  /** The folder (created when missing). */
  dir: string;
  /** A file's size limit, bytes: the next line goes to a new file once a file holds this much. Default 10 MB. */
  maxBytes?: number;
  /** How many files are kept, the current one included; older ones are deleted at each roll. Default 10. */
  keep?: number;
}

/** Open log files: the stream lines are written to, and its end. */
export interface LogFiles {
  readonly dir: string;
  write(line: string): void;
  /** Writes what is buffered, then closes the current file (resolves once it is closed). */
  close(): Promise<void>;
}

/** The part of pino-roll's SonicBoom stream used here. */
interface RollStream {
  write(data: string): boolean;
  end(): void;
  once(event: 'close' | 'error', listener: (...args: unknown[]) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * Opens the rotating log files in `options.dir` (continuing today's newest file after a restart).
 * @throws when the folder cannot be created or written.
 */
export async function openLogFiles(options: LogFileOptions): Promise<LogFiles> {
  const maxBytes = options.maxBytes ?? LOG_FILE_DEFAULTS.maxBytes;
  const keep = Math.max(1, options.keep ?? LOG_FILE_DEFAULTS.keep);
  const stream = (await pinoRoll({
    file: join(options.dir, LOG_FILE_BASE),
    extension: '.log',
    dateFormat: 'yyyy-MM-dd',
    frequency: 'daily',
    // pino-roll reads a bare number as megabytes; 'k' says kilobytes.
    size: `${Math.max(1, Math.ceil(maxBytes / 1024))}k`,
    mkdir: true,
    // Each line reaches the disk as it is written: nothing is lost when the app exits, and
    // pino-roll sees every write (it rolls on the stream's 'write' and 'drain').
    sync: true,
    // The count includes the current file when older files of earlier runs are removed too.
    limit: { count: keep, removeOtherLogFiles: true },
  })) as RollStream;
  // A full disk or a deleted folder must not stop the app: the terminal still gets every line.
  stream.on('error', () => undefined);
  let closed: Promise<void> | undefined;
  return {
    dir: options.dir,
    write: (line) => void (closed || stream.write(line)),
    close: () =>
      (closed ??= new Promise<void>((resolve) => {
        stream.once('close', () => resolve());
        stream.once('error', () => resolve());
        stream.end();
      })),
  };
}

/** One log file as the diagnostics list it. */
export interface LogFileEntry {
  name: string;
  path: string;
  /** Size, bytes. */
  bytes: number;
  /** Last written, ISO 8601. */
  modified: string;
}

/** The log files in `dir`, newest first (none when the folder does not exist). */
export function listLogFiles(dir: string): LogFileEntry[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.startsWith(`${LOG_FILE_BASE}.`) && name.endsWith('.log'))
    .flatMap((name) => {
      try {
        const stat = statSync(join(dir, name));
        return stat.isFile() ? [{ name, path: join(dir, name), bytes: stat.size, modified: stat.mtime.toISOString(), ms: stat.mtimeMs }] : [];
      } catch {
        return [];
      }
    })
    .sort((a, b) => b.ms - a.ms || b.name.localeCompare(a.name, 'en', { numeric: true }))
    .map(({ ms: _ms, ...entry }) => entry);
}

/** How many lines the sink keeps until the files are attached. */
const EARLY_LINES = 1000;

/**
 * Where the app's logger writes: the terminal (standard error) at once, and the log files once
 * {@link LogSink.attach} gave them. Lines written before that are kept (the first 1000) and
 * written to the files first, so a file holds the start of the run.
 */
export class LogSink {
  private files: { write(line: string): unknown } | undefined;
  private early: string[] | undefined = [];

  /** @param terminal standard error's destination (pino's synchronous `pino.destination(2)` in the app). */
  constructor(private readonly terminal: { write(line: string): unknown }) {}

  /** Writes one line (pino calls this with each JSON line, redaction applied). */
  write(line: string): void {
    this.terminal.write(line);
    if (this.files) this.files.write(line);
    else if (this.early && this.early.length < EARLY_LINES) this.early.push(line);
  }

  /** Sends every line to `files` from now on, the kept early lines first. */
  attach(files: { write(line: string): unknown }): void {
    for (const line of this.early ?? []) files.write(line);
    this.early = undefined;
    this.files = files;
  }

  /** Stops writing to the files (the terminal keeps every line). */
  detach(): void {
    this.files = undefined;
  }
}

/**
 * The level the app logs at: `--log-level LEVEL` (or `--log-level=LEVEL`), else the
 * `AGENT_COMPANION_LOG` environment variable, else the configuration's `display.logLevel`, else `info`.
 * A value that is not a level is ignored (the next source decides).
 */
export function logLevelFrom(argv: readonly string[], env: NodeJS.ProcessEnv, configured?: LogLevel): LogLevel | 'silent' {
  let fromArgs: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--log-level') fromArgs = argv[i + 1];
    else if (argv[i]!.startsWith('--log-level=')) fromArgs = argv[i]!.slice('--log-level='.length);
  }
  const known = (value: string | undefined): value is LogLevel | 'silent' => value === 'silent' || (LOG_LEVELS as readonly string[]).includes(value ?? '');
  if (known(fromArgs)) return fromArgs;
  if (known(env.AGENT_COMPANION_LOG)) return env.AGENT_COMPANION_LOG;
  return configured ?? 'info';
}
