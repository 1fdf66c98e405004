/**
 * One worker thread of the fleet simulation (`fleet.ts`): its share of the desks, each a whole
 * headless core (`startCore`: desk, bridge hub, alert policy, one account's connector under the
 * shared supervisor) with its own agent's account. It reports every change of each desk's
 * connection (state, attempt, next attempt) in batches, dials when asked, and measures its heap.
 *
 * Messages in: `start` (create the cores, `rampPerSec` a second), `dial` (every desk dials
 * `number` once, at a random moment within `spreadMs`), `memory` (heap after GC), `stop` (stop every core). Out: `ready` (modules loaded, with
 * the heap before any core), `changes`, `started`, `dialled`, `memory`, `stopped`.
 */
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { startCore, type Core } from '../../main/app.js';
import { parseConfig } from '../../main/config.js';
import { createLogger } from '../../main/log.js';
import type { BackoffPolicy } from '../../main/vendors/kit/supervisor.js';
import type { ConnectionChange } from './fleet-stats.js';

/** What the parent hands each worker. */
export interface FleetWorkerData {
  /** The desks' accounts (raw, secrets inline), desk numbers `first`, `first + 1`, … */
  accounts: Array<Record<string, unknown> & { id: string; vendor: string }>;
  first: number;
  tuning?: unknown;
  /** An explicit reconnect policy (absent: the product's default). */
  backoff?: BackoffPolicy;
  rampPerSec: number;
}

/** A batch of connection changes: [desk, change]. */
export type ChangeBatch = Array<[number, ConnectionChange]>;

const data = workerData as FleetWorkerData;
const port = parentPort!;
const log = createLogger('silent');
const cores: Core[] = [];
let pending: ChangeBatch = [];

/** The heap of this thread after a full GC, bytes. */
function heapAfterGc(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return getHeapStatistics().used_heap_size;
}

const flusher = setInterval(() => {
  if (pending.length === 0) return;
  port.postMessage({ type: 'changes', changes: pending });
  pending = [];
}, 100);

/** Starts desk `desk`'s core and follows its account's connection. */
async function startDesk(desk: number, account: FleetWorkerData['accounts'][number]): Promise<void> {
  const core = await startCore({
    config: parseConfig({ accounts: [account] }),
    log,
    ...(data.backoff ? { backoff: data.backoff } : {}),
    ...(data.tuning !== undefined ? { tuning: { [account.vendor]: data.tuning } } : {}),
  });
  cores[desk - data.first] = core;
  let last = '';
  const follow = (): void => {
    const a = core.desk.state.accounts[account.id];
    if (!a) return;
    const key = `${a.connection}|${a.attempt ?? ''}|${a.nextAttemptAt ?? ''}`;
    if (key === last) return;
    last = key;
    const change: ConnectionChange = { at: Date.now(), state: a.connection };
    if (a.attempt !== undefined) change.attempt = a.attempt;
    if (a.nextAttemptAt !== undefined) change.nextAttemptAt = Date.parse(a.nextAttemptAt);
    pending.push([desk, change]);
  };
  core.desk.subscribe((state, previous) => {
    if (state.accounts !== previous.accounts) follow();
  });
  follow();
}

port.on('message', (message: { type: string; number?: string; spreadMs?: number }) => {
  void (async () => {
    switch (message.type) {
      case 'start': {
        const batch = Math.max(1, Math.round(data.rampPerSec / 20));
        for (let i = 0; i < data.accounts.length; i += batch) {
          await Promise.all(data.accounts.slice(i, i + batch).map((account, k) => startDesk(data.first + i + k, account)));
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        port.postMessage({ type: 'started' });
        return;
      }
      case 'dial': {
        // Each desk dials once, at a random moment within `spreadMs` (agents do not dial in step).
        const results = await Promise.allSettled(
          cores.map(async (core, i) => {
            await new Promise((resolve) => setTimeout(resolve, Math.random() * (message.spreadMs ?? 0)));
            await core.desk.dial(data.accounts[i]!.id, message.number!);
          }),
        );
        const reasons = [...new Set(results.flatMap((r) => (r.status === 'rejected' ? [String((r.reason as Error).message)] : [])))].slice(0, 3);
        port.postMessage({ type: 'dialled', failures: results.filter((r) => r.status === 'rejected').length, reasons });
        return;
      }
      case 'memory':
        port.postMessage({ type: 'memory', heap: heapAfterGc() });
        return;
      case 'stop':
        await Promise.allSettled(cores.map((core) => core.stop()));
        clearInterval(flusher);
        if (pending.length) port.postMessage({ type: 'changes', changes: pending });
        port.postMessage({ type: 'stopped' });
        return;
    }
  })().catch((error: unknown) => port.postMessage({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }));
});

port.postMessage({ type: 'ready', heap: heapAfterGc() });
