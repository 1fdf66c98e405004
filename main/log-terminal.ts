/**
 * The web host's log for a person at a terminal: on a TTY each log line is printed readable
 * (`12:04:31 INFO: connected {"account":"voice"}`, by pino-pretty), elsewhere — a pipe, a file, a
 * service manager — and with `--log-json` it stays pino's JSON lines. The readable form is made from
 * the JSON line pino has already written, redaction applied (`main/log.ts`), so it can hold no more
 * than the JSON does (the canary test checks both forms).
 *
 * Only the web host imports this (the Electron app logs JSON to its own stderr), so pino-pretty
 * stays out of the desktop bundle; the web host runs from the source tree, where it is installed.
 */
import { pino } from 'pino';
import { prettyFactory } from 'pino-pretty';

/** The terminal the log goes to: a writable stream that may be a TTY. */
export interface Terminal {
  isTTY?: boolean;
  write(text: string): unknown;
  /** Whether it shows colours (Node's `tty.WriteStream.hasColors`, which honours `NO_COLOR` and `FORCE_COLOR`). */
  hasColors?(): boolean;
}

/**
 * One JSON log line, readable: local time, level, message, then the other fields on the same line
 * as JSON (no pid or host name). A line that is not pino's JSON comes back unchanged.
 * @param colours ANSI colours for the level (default none).
 */
export function readableLine(line: string, colours = false): string {
  return readable(colours)(line);
}

const formatters = new Map<boolean, (line: string) => string>();

function readable(colours: boolean): (line: string) => string {
  let format = formatters.get(colours);
  if (!format) {
    format = prettyFactory({ colorize: colours, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname', singleLine: true });
    formatters.set(colours, format);
  }
  return format;
}

/**
 * Where the web host's logger writes: readable lines on a TTY, else pino's JSON lines.
 * @param options.json `--log-json`: JSON lines even on a TTY.
 * @param options.terminal the stream (default stderr; JSON goes there through pino's own
 *   synchronous `pino.destination(2)`, so no line is lost when the process exits).
 */
export function logDestination(options: { json?: boolean; terminal?: Terminal } = {}): { write(line: string): unknown } {
  const terminal = options.terminal ?? process.stderr;
  if (options.json || !terminal.isTTY) return options.terminal ?? pino.destination(2);
  const format = readable(terminal.hasColors?.() ?? false);
  return { write: (line: string) => terminal.write(format(line)) };
}
