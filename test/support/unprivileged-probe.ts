/**
 * What `unprivileged.ts` runs as an ordinary user (never imported by tests):
 * - `history PATH`: reads the history file as the web host does, then tries one write; prints
 *   `{"read": …, "write": …}` (each `"ok"` or the error's message and details) as one JSON line;
 * - `web-host ARGS…`: starts the web host (`main/web.ts` `main`), prints
 *   `{"state": …, "key": …, "out": …}` as the last line, and stops it.
 */
import { HistoryReadError } from '../../main/desk/history.js';
import { JsonFileHistory } from '../../main/history-file.js';
import { main } from '../../main/web.js';

const [mode, ...args] = process.argv.slice(2);

function outcome(run: () => unknown): unknown {
  try {
    run();
    return 'ok';
  } catch (error) {
    return { message: (error as Error).message, ...(error instanceof HistoryReadError ? { details: error.details } : {}) };
  }
}

if (mode === 'history') {
  const file = new JsonFileHistory(args[0]!);
  const read = outcome(() => file.read());
  const write = outcome(() => file.write({ version: 1, calls: [], missedUnseen: 0 }));
  process.stdout.write(`${JSON.stringify({ read, write })}\n`);
} else if (mode === 'web-host') {
  let out = '';
  const running = await main(args, { signals: false, out: { write: (text: string) => (out += text) }, err: { write: (text: string) => (out += text) } });
  if (!running) {
    process.stdout.write(`${JSON.stringify({ out })}\n`);
  } else {
    const keyLine = /kept in (\S+); keep it to yourself/.exec(out);
    await running.stop();
    process.stdout.write(`${JSON.stringify({ state: running.stateDir, key: keyLine?.[1], out })}\n`);
  }
  process.exit(process.exitCode ?? 0);
} else {
  process.stderr.write(`unknown mode ${mode}\n`);
  process.exit(64);
}
