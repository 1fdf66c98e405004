/**
 * Question 8 — the fleet (`npm run bench -- --fleet`): a thousand desks against one server, per
 * platform, one platform after another. Run as a child process with `--expose-gc` (`run.ts` starts
 * it, settings in `FLEET_SETTINGS`); progress on stderr, one JSON line per platform on stdout.
 *
 * For each registered platform whose bench offers a fleet rig (`PlatformBench.fleet`):
 * 1. its simulator with one agent per desk, on loopback, in this thread;
 * 2. `desks` headless cores (`startCore`, each its own agent's account) in `workers` worker threads,
 *    started `rampPerSec` a second; the heap of the workers and the process's RSS before and after
 *    (after GC, settled) give the memory per desk core;
 * 3. idle: what the desks send the server (requests and frames, counted by the rig) over
 *    `windowSeconds`; then the same while every desk has a call;
 * 4. a restart: the simulator stops (every connection cut, every session forgotten), stays down
 *    `downSeconds`, and starts again on the same port. From the moment it listens: when each desk is
 *    back (logged in again and connected, `fleet-stats.ts`), logins per second, desks that failed,
 *    and desks that logged in more than once in one backoff step.
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { createLogger } from '../../main/log.js';
import type { FleetRig } from '../../main/vendors/kit/testing.js';
import type { BackoffPolicy } from '../../main/vendors/kit/supervisor.js';
import { benchedPlatforms, round, type BenchedPlatform } from './core.js';
import { backAtOf, loginBuckets, mostLoginsInOneStep, secondsUntilShare, type ConnectionChange } from './fleet-stats.js';
import type { ChangeBatch, FleetWorkerData } from './fleet-worker.js';

/** What `run.ts` asks for. */
export interface FleetSettings {
  desks: number;
  workers: number;
  /** Length of the idle window and of the calls window, s. */
  windowSeconds: number;
  /** How long the server stays down in the restart, s. */
  downSeconds: number;
  /** The least age of every desk's session when the server restarts, s. */
  sessionAgeSeconds: number;
  /** Desks started per second at the beginning (all threads together). */
  rampPerSec: number;
  /** Longest wait for every desk to connect at the start, and to be back after the restart, s. */
  connectTimeoutSeconds: number;
  backTimeoutSeconds: number;
  /** Platform ids to run (default: every one with a fleet rig). */
  platforms?: string[];
  /** An explicit reconnect policy for every desk (default: the product's; the output says which). */
  backoff?: BackoffPolicy;
}

/** One platform's figures. */
export interface FleetRow {
  platform: string;
  desks: number;
  /** Desks connected before the idle window, and how long that took, s. */
  connectedAtStart: number;
  startSeconds: number;
  idleRequestsPerDeskSec: number;
  callRequestsPerDeskSec: number;
  /** Calls the desks could not place (desk-placed calls only). */
  dialFailures: number;
  downSeconds: number;
  /** s from the server listening again until 50 %, 99 %, 100 % of desks were back (null: never within the wait). */
  back50: number | null;
  back99: number | null;
  back100: number | null;
  /** Desks back when the wait ended. */
  backDesks: number;
  /** Logins per second after the restart (1 s buckets over the window until 100 % were back, or the wait's end). */
  peakLoginsPerSec: number;
  meanLoginsPerSec: number;
  /** The peak over the mean (from the unrounded mean; 0 when no login). */
  peakOverMean: number;
  loginsAfterRestart: number;
  /** Desks whose connection showed `failed` at any moment. */
  failedDesks: number;
  /** Desks that logged in more than once in one backoff step after the server stopped. */
  desksOverOneLoginPerStep: number;
  /**
   * How busy the simulator's thread and the busiest desks' worker were, % of their time, in the
   * calls window and from the restart until every desk was back: near 100 %, the machine, not the
   * desks, set the pace of what was measured then.
   */
  busy: { callsServerPct: number; callsDesksPct: number; restartServerPct: number; restartDesksPct: number };
  /** The machine's 1-minute load average at the restart (other work on it slows everything). */
  loadAverage: number;
  /** Worker heap (after GC) and process RSS growth per desk core, KB. */
  heapKBPerDesk: number;
  rssKBPerDesk: number;
  seconds: number;
}

const settings = JSON.parse(process.env.FLEET_SETTINGS ?? '{}') as FleetSettings;
const log = createLogger('silent');
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const say = (line: string): void => void process.stderr.write(`[fleet] ${line}\n`);
const WORKER = new URL('./fleet-worker.ts', import.meta.url).href;

/** A worker thread running TypeScript (tsx's loader registered in it first). */
function startWorker(data: FleetWorkerData): Worker {
  return new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(WORKER)}); })`, { eval: true, workerData: data });
}

/** Waits for one message of `type` from each worker. */
function fromEach<T>(workers: readonly Worker[], type: string, send?: unknown, timeoutMs = 600_000): Promise<T[]> {
  return Promise.all(
    workers.map(
      (worker) =>
        new Promise<T>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`a fleet worker sent no ${type} within ${timeoutMs / 1000} s`)), timeoutMs);
          const listener = (message: { type: string }): void => {
            if (message.type !== type) return;
            clearTimeout(timer);
            worker.off('message', listener);
            resolve(message as T);
          };
          worker.on('message', listener);
          if (send !== undefined) worker.postMessage(send);
        }),
    ),
  );
}

/** Busy-ness of this thread and of each worker, to compare with a later one. */
function busyNow(workers: readonly Worker[]): EventLoopUtilization[] {
  return [performance.eventLoopUtilization(), ...workers.map((w) => w.performance.eventLoopUtilization())];
}

/** This thread's (the simulator's) and the busiest worker's share of time busy since `since`, %. */
function busySince(workers: readonly Worker[], since: EventLoopUtilization[]): { server: number; desks: number } {
  const server = performance.eventLoopUtilization(since[0]).utilization;
  const desks = Math.max(0, ...workers.map((w, i) => w.performance.eventLoopUtilization(since[i + 1]).utilization));
  return { server: round(server * 100), desks: round(desks * 100) };
}

async function runPlatform(platform: BenchedPlatform): Promise<FleetRow> {
  const { desks } = settings;
  const started = performance.now();
  const changes: ConnectionChange[][] = Array.from({ length: desks }, () => []);
  const logins: number[][] = Array.from({ length: desks }, () => []);
  const allLogins: number[] = [];
  const rig: FleetRig = await platform.bench.fleet!({
    desks,
    log,
    observer: {
      login(desk) {
        const at = Date.now();
        logins[desk]?.push(at);
        allLogins.push(at);
      },
    },
  });
  const workers: Worker[] = [];
  const callTimers: Array<ReturnType<typeof setTimeout>> = [];
  try {
    const per = Math.ceil(desks / settings.workers);
    for (let w = 0; w * per < desks; w++) {
      const first = w * per;
      const worker = startWorker({
        accounts: rig.accounts.slice(first, first + per),
        first,
        tuning: rig.tuning,
        ...(settings.backoff ? { backoff: settings.backoff } : {}),
        rampPerSec: settings.rampPerSec / settings.workers,
      });
      worker.on('message', (message: { type: string; changes?: ChangeBatch; message?: string }) => {
        if (message.type === 'changes') for (const [desk, change] of message.changes!) changes[desk]!.push(change);
        if (message.type === 'error') say(`worker error: ${message.message}`);
      });
      worker.on('error', (error) => say(`worker failed: ${error.stack ?? error.message}`));
      workers.push(worker);
    }
    const heapBefore = (await fromEach<{ heap: number }>(workers, 'ready')).reduce((a, r) => a + r.heap, 0);
    const rssBefore = process.memoryUsage().rss;
    const last = (desk: number): ConnectionChange['state'] | undefined => changes[desk]!.at(-1)?.state;
    const connectedNow = (): number => changes.filter((_, d) => last(d) === 'connected').length;

    // 1. Every desk starts and connects.
    const startAt = Date.now();
    await fromEach(workers, 'started', { type: 'start' });
    while (connectedNow() < desks && Date.now() - startAt < settings.connectTimeoutSeconds * 1000) await sleep(200);
    const startSeconds = round((Date.now() - startAt) / 1000);
    const connectedAtStart = connectedNow();
    const allConnectedAt = Date.now();
    say(`${platform.name}: ${connectedAtStart}/${desks} desks connected in ${startSeconds} s`);
    await sleep(3_000);
    const heapAfter = (await fromEach<{ heap: number }>(workers, 'memory', { type: 'memory' })).reduce((a, r) => a + r.heap, 0);
    const rssAfter = process.memoryUsage().rss;

    // 2. Idle, then every desk on a call.
    const windowMs = settings.windowSeconds * 1000;
    let before = rig.traffic();
    await sleep(windowMs);
    const idle = (rig.traffic() - before) / desks / settings.windowSeconds;
    let dialFailures = 0;
    before = rig.traffic();
    const callsAt = performance.now();
    const callsBusy = busyNow(workers);
    // Every desk gets one call, starting within the window's first quarter and over before its end
    // (calls that start and end in step would line up the desks' timers, as no real day does).
    if (rig.calls.placedBy === 'server') {
      const { play } = rig.calls;
      for (let desk = 0; desk < desks; desk++) {
        const duration = windowMs * (0.5 + Math.random() * 0.25);
        callTimers.push(setTimeout(() => play(desk, duration), Math.random() * windowMs * 0.25));
      }
    } else {
      const number = rig.calls.prepare(windowMs * 0.6);
      const dialled = await fromEach<{ failures: number; reasons: string[] }>(workers, 'dialled', { type: 'dial', number, spreadMs: windowMs * 0.25 });
      dialFailures = dialled.reduce((a, r) => a + r.failures, 0);
      if (dialFailures) say(`${platform.name}: ${dialFailures} desks could not dial: ${[...new Set(dialled.flatMap((r) => r.reasons))].join('; ')}`);
    }
    await sleep(Math.max(0, windowMs - (performance.now() - callsAt)));
    const calls = (rig.traffic() - before) / desks / settings.windowSeconds;
    const callsBusyPct = busySince(workers, callsBusy);
    say(`${platform.name}: ${round(idle, 3)} requests/s per desk idle, ${round(calls, 3)} during calls (busy: server ${callsBusyPct.server} %, desks ${callsBusyPct.desks} %)`);
    await sleep(3_000);
    // A fleet's sessions are hours old when its server restarts: the youngest is given at least
    // `sessionAgeSeconds` (longer than the supervisor's healthy spell) before the restart.
    await sleep(Math.max(0, allConnectedAt + settings.sessionAgeSeconds * 1000 - Date.now()));

    // 3. The server restarts.
    const stopAt = Date.now();
    await rig.stop();
    await sleep(settings.downSeconds * 1000);
    await rig.start();
    const backAt = Date.now();
    const restartBusy = busyNow(workers);
    const loadAverage = round(loadavg()[0]!);
    const backTimes = (): Array<number | undefined> => changes.map((c, d) => backAtOf({ changes: c, logins: logins[d]! }, backAt));
    let times = backTimes();
    while (times.some((t) => t === undefined) && Date.now() - backAt < settings.backTimeoutSeconds * 1000) {
      await sleep(250);
      times = backTimes();
    }
    const restartBusyPct = busySince(workers, restartBusy);
    const back100 = secondsUntilShare(times, desks, backAt, 1);
    const windowSeconds = back100 ?? (Date.now() - backAt) / 1000;
    const buckets = loginBuckets(allLogins, backAt, windowSeconds);
    const row: FleetRow = {
      platform: platform.name,
      desks,
      connectedAtStart,
      startSeconds,
      idleRequestsPerDeskSec: round(idle, 3),
      callRequestsPerDeskSec: round(calls, 3),
      dialFailures,
      downSeconds: settings.downSeconds,
      back50: nullable(secondsUntilShare(times, desks, backAt, 0.5)),
      back99: nullable(secondsUntilShare(times, desks, backAt, 0.99)),
      back100: nullable(back100),
      backDesks: times.filter((t) => t !== undefined).length,
      peakLoginsPerSec: buckets.peak,
      meanLoginsPerSec: round(buckets.mean),
      peakOverMean: buckets.mean > 0 ? round(buckets.peak / buckets.mean, 2) : 0,
      loginsAfterRestart: allLogins.filter((t) => t >= backAt).length,
      failedDesks: changes.filter((c) => c.some((change) => change.state === 'failed')).length,
      desksOverOneLoginPerStep: changes.filter((c, d) => mostLoginsInOneStep({ changes: c, logins: logins[d]! }, stopAt) > 1).length,
      busy: { callsServerPct: callsBusyPct.server, callsDesksPct: callsBusyPct.desks, restartServerPct: restartBusyPct.server, restartDesksPct: restartBusyPct.desks },
      loadAverage,
      heapKBPerDesk: round((heapAfter - heapBefore) / 1024 / desks),
      rssKBPerDesk: round((rssAfter - rssBefore) / 1024 / desks),
      seconds: 0,
    };
    if (process.env.FLEET_TRACE) {
      // For a closer look: every desk's connection changes and logins, ms from the stop.
      const rel = (t: number): number => t - stopAt;
      const trace = { platform: platform.id, stopAt, backAt: rel(backAt), desks: changes.map((c, d) => ({ changes: c.map((x) => ({ ...x, at: rel(x.at), ...(x.nextAttemptAt ? { nextAttemptAt: rel(x.nextAttemptAt) } : {}) })), logins: logins[d]!.map(rel) })) };
      writeFileSync(`${process.env.FLEET_TRACE}.${platform.id}.json`, JSON.stringify(trace));
    }
    say(`${platform.name}: back 50 % ${row.back50} s, 99 % ${row.back99} s, 100 % ${row.back100} s (${row.backDesks}/${desks}); logins/s peak ${row.peakLoginsPerSec}, mean ${row.meanLoginsPerSec}; busy: server ${restartBusyPct.server} %, desks ${restartBusyPct.desks} %; load ${loadAverage}`);
    await fromEach(workers, 'stopped', { type: 'stop' }, 60_000).catch((error: unknown) => say(`${platform.name}: ${(error as Error).message}`));
    row.seconds = round((performance.now() - started) / 1000);
    return row;
  } finally {
    for (const timer of callTimers) clearTimeout(timer);
    await Promise.allSettled(workers.map((worker) => worker.terminate()));
    await rig.close();
  }
}

function nullable(value: number | undefined): number | null {
  return value === undefined ? null : round(value);
}

async function main(): Promise<void> {
  const wanted = settings.platforms;
  const benched = await benchedPlatforms();
  const list = benched.filter((p) => p.bench.fleet !== undefined && (!wanted || wanted.includes(p.id)));
  const skipped = benched.filter((p) => p.bench.fleet === undefined).map((p) => p.name);
  if (skipped.length) say(`no fleet rig (left out): ${skipped.join(', ')}`);
  for (const platform of list) {
    const row = await runPlatform(platform);
    process.stdout.write(`${JSON.stringify(row)}\n`);
  }
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`fleet failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
