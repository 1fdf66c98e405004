/**
 * Logging: pino, JSON lines on stderr, with every secret redacted wherever it sits in a logged
 * object (ARCHITECTURE.md, principle 6). Connectors log through a child logger that carries their
 * account id and vendor, so a malformed frame names the connector it came from.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

/** Object paths whose values never reach a log line. */
export const REDACTED_PATHS = [
  'password',
  'secretKey',
  'token',
  'accessToken',
  'authorization',
  '*.password',
  '*.secretKey',
  '*.token',
  '*.accessToken',
  '*.authorization',
  '*.Authorization',
  'headers.authorization',
  'headers.cookie',
  '*.headers.authorization',
  '*.headers.cookie',
];

/**
 * The process's root logger.
 * Writes JSON lines to stderr, or to `destination` (tests capture every line).
 * Level from `AGENT_COMPANION_LOG` (`trace`…`fatal`, `silent`); default `info`, and `warn` under a
 * test runner (`NODE_TEST_CONTEXT`) so test output stays readable.
 */
export function createLogger(level?: string, destination: { write(line: string): unknown } = pino.destination(2)): Logger {
  const chosen = level ?? process.env.AGENT_COMPANION_LOG ?? (process.env.NODE_TEST_CONTEXT ? 'warn' : 'info');
  return pino({ level: chosen, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, destination);
}

let root: Logger | undefined;

/** The shared root logger, created on first use. */
export function rootLogger(): Logger {
  root ??= createLogger();
  return root;
}
