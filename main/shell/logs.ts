/**
 * The desktop app's log files (issue 22, point 1): the JSON lines the app writes to standard error
 * also go to rotating files in the OS's log folder (`app.getPath('logs')`: `~/Library/Logs/Agent
 * Companion` on macOS, `%APPDATA%\Agent Companion\logs` on Windows, `~/.config/Agent Companion/logs`
 * on Linux), through the sink the entry point's logger writes to (`main/log-files.ts`). The level
 * becomes `--log-level`, else `AGENT_COMPANION_LOG`, else the settings' `display.logLevel`.
 */
import { join } from 'node:path';
import type { AppConfig } from '../config.js';
import type { ShellElectron } from '../electron-api.js';
import { logLevelFrom, openLogFiles, type LogFileOptions, type LogSink } from '../log-files.js';
import type { ShellEnv, Stop } from './env.js';

/** The log files' folder: Electron's `logs` path, else `logs` in `userData` (where Electron puts it on Windows and Linux). */
export function logsDir(electron: ShellElectron): string {
  try {
    return electron.app.getPath('logs');
  } catch {
    return join(electron.app.getPath('userData'), 'logs');
  }
}

/** What {@link startLogFiles} needs besides Electron. */
export interface LogFilesEnv extends Pick<ShellEnv, 'log'> {
  sink: LogSink;
  argv: readonly string[];
  env?: NodeJS.ProcessEnv | undefined;
  config: AppConfig;
  /** Size limit and count kept (tests make them small). */
  rotation?: Omit<LogFileOptions, 'dir'> | undefined;
}

/**
 * Opens the log files and sends the sink's lines there; sets the log level.
 * @returns the folder (the diagnostics read it) and the stop, or no folder when it cannot be written
 *   (logged; the terminal keeps every line).
 */
export async function startLogFiles(electron: ShellElectron, options: LogFilesEnv): Promise<{ dir?: string; stop: Stop }> {
  const { log, sink } = options;
  log.level = logLevelFrom(options.argv, options.env ?? {}, options.config.display.logLevel);
  const dir = logsDir(electron);
  try {
    const files = await openLogFiles({ dir, ...options.rotation });
    sink.attach(files);
    log.info({ dir, level: log.level }, 'writing the log files in this folder');
    return {
      dir,
      stop: () => {
        sink.detach();
        void files.close();
      },
    };
  } catch (error) {
    log.warn({ dir, reason: (error as Error).message }, 'the log files cannot be written; the log goes to standard error only');
    return { stop: () => undefined };
  }
}
