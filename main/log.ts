/**
 * Logging: pino, JSON lines on stderr, with every secret redacted wherever it sits in a logged
 * object (ARCHITECTURE.md, principle 6). Connectors log through a child logger that carries their
 * account id and vendor, so a malformed frame names the connector it came from.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

/** Names whose values never reach a log line, whatever the platform: credentials on the wire. */
const ALWAYS_SECRET = ['password', 'token', 'accessToken', 'authorization', 'Authorization', 'cookie', 'Cookie'];

/** The object paths redacted for these field names, at the top level and one level down. */
export function redactedPaths(secretFields: readonly string[]): string[] {
  const names = [...new Set([...ALWAYS_SECRET, ...secretFields])];
  return [...names, ...names.map((name) => `*.${name}`), 'headers.authorization', 'headers.cookie', '*.headers.authorization', '*.headers.cookie'];
}

/**
 * A logger. The app's own come from `appLogger` (main/app.ts), which adds every platform's secret
 * fields (from the registry) to what is redacted.
 * Writes JSON lines to stderr, or to `destination` (tests capture every line).
 * Level from `AGENT_COMPANION_LOG` (`trace`…`fatal`, `silent`); default `info`, and `warn` under a
 * test runner (`NODE_TEST_CONTEXT`) so test output stays readable.
 */
export function createLogger(level?: string, destination: { write(line: string): unknown } = pino.destination(2), secretFields: readonly string[] = []): Logger {
  const chosen = level ?? process.env.AGENT_COMPANION_LOG ?? (process.env.NODE_TEST_CONTEXT ? 'warn' : 'info');
  return pino({ level: chosen, redact: { paths: redactedPaths(secretFields), censor: '[redacted]' } }, destination);
}
