/**
 * Question 4 — quiet when idle. Run as a child process (the parent, `run.ts`, starts every
 * platform's demo simulator silent — no scripted day — and hands the accounts over in
 * `IDLE_ACCOUNTS`): the core connects every account through the real connectors, and once all are
 * connected and settled, for `IDLE_SECONDS`, the process's CPU time (`process.cpuUsage`) and its
 * wake-ups: every callback the event loop runs (timers, immediates, sockets, …; promise reactions
 * are not wake-ups), counted with async_hooks by kind. Prints one JSON line.
 */
import { createHook } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { startCore } from '../../main/app.js';
import { parseConfig } from '../../main/config.js';
import { createLogger } from '../../main/log.js';

/** Resource kinds whose callbacks are not the event loop waking up. */
const NOT_WAKEUPS = new Set(['PROMISE', 'Microtask', 'TickObject']);

async function main(): Promise<void> {
  const seconds = Number(process.env.IDLE_SECONDS ?? 60);
  const settleMs = Number(process.env.IDLE_SETTLE_MS ?? 3_000);
  const accounts = JSON.parse(process.env.IDLE_ACCOUNTS ?? '[]') as unknown[];
  const kinds = new Map<number, string>();
  const counts = new Map<string, number>();
  let counting = false;
  createHook({
    init(asyncId, type) {
      if (!NOT_WAKEUPS.has(type)) kinds.set(asyncId, type);
    },
    before(asyncId) {
      if (!counting) return;
      const kind = kinds.get(asyncId);
      if (kind) counts.set(kind, (counts.get(kind) ?? 0) + 1);
    },
    destroy(asyncId) {
      kinds.delete(asyncId);
    },
  }).enable();

  const core = await startCore({ config: parseConfig({ accounts }), log: createLogger(process.env.AGENT_COMPANION_LOG ?? 'warn') });
  const deadline = Date.now() + 60_000;
  while (Object.values(core.desk.state.accounts).some((a) => a.connection !== 'connected')) {
    if (Date.now() > deadline) throw new Error(`not every account connected: ${JSON.stringify(Object.values(core.desk.state.accounts).map((a) => [a.id, a.connection, a.reason]))}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await new Promise((resolve) => setTimeout(resolve, settleMs));

  const cpu = process.cpuUsage();
  const started = performance.now();
  counting = true;
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  counting = false;
  const elapsed = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  // The measuring timer itself woke the loop once.
  const byKind = Object.fromEntries([...counts].map(([kind, n]) => [kind, kind === 'Timeout' ? n - 1 : n]));
  const wakeups = Object.values(byKind).reduce((a, b) => a + b, 0);
  process.stdout.write(
    `${JSON.stringify({
      seconds: Math.round(elapsed * 10) / 10,
      accounts: Object.keys(core.desk.state.accounts).length,
      cpuPercent: Math.round(((used.user + used.system) / 1e6 / elapsed) * 100 * 1000) / 1000,
      userMs: Math.round(used.user / 1000),
      systemMs: Math.round(used.system / 1000),
      wakeupsPerSec: Math.round((wakeups / elapsed) * 100) / 100,
      byKind,
    })}\n`,
  );
  await core.stop();
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`idle failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
