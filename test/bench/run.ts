/**
 * `npm run bench`: the questions a tray app's users and their IT ask, one table each, for every
 * registered platform (each platform's stream and parse path come from its module's `bench`), and
 * every figure written to `bench-results.json`:
 *
 * 1. throughput against a floor (`throughput.ts`);
 * 2. latency to the DOM under a flood, in Chromium through the web host (`latency.ts`);
 * 3. a shift in minutes: heap after GC and the state's collections (`shift.ts`, a child process);
 * 4. quiet when idle: CPU and wake-ups with every platform connected (`idle.ts`, a child process);
 * 5. ready fast: process start to the first full desk and to every account connected (`ready.ts`);
 * 6. the renderer's size, gzipped (`size.ts`);
 * 7. fuzzing: every parser's property tests, with their case counts (`fuzz.ts`).
 *
 * Flags: `--long` (100 000 fuzz cases per parser), `--quick` (smaller runs of everything, for a
 * look in a couple of minutes), `--idle-seconds=N` (default 60), `--only=a,b` (some questions:
 * throughput, latency, shift, idle, ready, size, fuzz). `BENCH_RATES` changes the latency rates.
 * Figures vary by machine and load; compare runs on the same machine only. Tests never assert them.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createLogger } from '../../main/log.js';
import { platforms } from '../../main/vendors/index.js';
import type { PlatformDemo } from '../../main/vendors/kit/platform.js';
import { benchedPlatforms, round, table } from './core.js';
import { runFuzz } from './fuzz.js';
import { measureLatency } from './latency.js';
import { measureReady } from './ready.js';
import type { ShiftSample } from './shift.js';
import { measureSize } from './size.js';
import { measureThroughput } from './throughput.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const QUESTIONS = ['throughput', 'latency', 'shift', 'idle', 'ready', 'size', 'fuzz'] as const;

const { values } = parseArgs({
  options: { long: { type: 'boolean' }, quick: { type: 'boolean' }, 'idle-seconds': { type: 'string' }, only: { type: 'string' } },
  strict: true,
});
const quick = values.quick === true;
const only = new Set(values.only ? values.only.split(',') : QUESTIONS);
const settings = {
  throughputFrames: quick ? 10_000 : 50_000,
  throughputRepeats: quick ? 3 : 5,
  latencyRates: (process.env.BENCH_RATES ?? '50,200,1000').split(',').map(Number),
  latencyMarkers: quick ? 60 : 320,
  shiftFrames: quick ? 200_000 : 1_000_000,
  idleSeconds: Number(values['idle-seconds'] ?? (quick ? 10 : 60)),
  readyRuns: quick ? 3 : 5,
  fuzzRuns: values.long ? 100_000 : undefined,
};

const log = createLogger('silent');
const results: Record<string, unknown> = { at: new Date().toISOString(), node: process.version, mode: values.long ? 'long' : quick ? 'quick' : 'standard', settings, platforms: platforms().map((p) => p.name) };
const targets: Array<{ question: string; target: string; figure: string; met: boolean }> = [];

/** Runs a child process and returns its stdout's JSON lines. */
function child(args: string[], env: NodeJS.ProcessEnv): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    proc.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    proc.on('close', (code) => {
      if (code !== 0) reject(new Error(`${args.join(' ')} exited with ${code}: ${err}`));
      else resolve(out.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as unknown));
    });
  });
}

async function throughput(): Promise<void> {
  const rows = await measureThroughput(benchedPlatforms(), { frames: settings.throughputFrames, repeats: settings.throughputRepeats, log });
  results.throughput = rows;
  table(
    `1. Throughput against a floor (frames of each platform's stream, one core; median of ${settings.throughputRepeats})`,
    rows.map((r) => ({
      platform: r.platform,
      'full path ev/s': r.perFrameEventsPerSec,
      'coalesced ev/s': r.coalescedEventsPerSec,
      'floor ev/s': r.floorEventsPerSec,
      'full/floor': r.ratio,
      'coalesced/floor': r.ratioCoalesced,
      'desk ev/frame': r.deskEventsPerFrame,
      'bridge B/frame': r.bridgeBytesPerFrame,
    })),
    'full path: frame → parse → route → store → a bridge message per frame; coalesced: a message per 100 frames; floor: JSON.parse + the same schema validation.',
  );
  for (const r of rows) {
    targets.push({ question: `1 ${r.platform}`, target: 'full path ≤ 2× the floor', figure: `${r.ratio}× (coalesced ${r.ratioCoalesced}×)`, met: r.ratio <= 2 });
    targets.push({ question: `1 ${r.platform}`, target: '≥ 50 000 events/s', figure: `${r.perFrameEventsPerSec} ev/s (coalesced ${r.coalescedEventsPerSec})`, met: r.perFrameEventsPerSec >= 50_000 });
  }
}

async function latency(): Promise<void> {
  const rows = await measureLatency(benchedPlatforms(), { rates: settings.latencyRates, markers: settings.latencyMarkers, log });
  results.latency = rows;
  table(
    '2. Latency to the DOM in Chromium through the web host (every platform’s stream flooding the desk; marker calls ten a second)',
    rows.map((r) => ({ 'flood frames/s': r.rate, 'sent/s': r.sentPerSec, markers: r.markers, 'p50 ms': r.p50, 'p99 ms': r.p99, 'max ms': r.max })),
  );
  const top = rows.find((r) => r.rate === 1000) ?? rows.at(-1);
  if (top) targets.push({ question: '2', target: 'p99 ≤ 20 ms at 1 000 events/s', figure: `p99 ${top.p99} ms at ${top.rate}/s (${top.markers} markers)`, met: top.p99 <= 20 && top.markers >= 300 });
}

async function shift(): Promise<void> {
  const lines = (await child(['--expose-gc', '--import', 'tsx', 'test/bench/shift.ts'], { SHIFT_FRAMES: String(settings.shiftFrames), SHIFT_SAMPLE_EVERY: String(settings.shiftFrames / 10) })) as Array<
    ({ type: 'sample' } & ShiftSample) | { type: 'done'; frames: number; chatLinesDriven: number; bridgeBytes: number; seconds: number }
  >;
  const samples = lines.filter((l): l is { type: 'sample' } & ShiftSample => l.type === 'sample');
  const done = lines.find((l) => l.type === 'done') as { frames: number; chatLinesDriven: number; seconds: number } | undefined;
  results.shift = { samples, ...done };
  table(
    `3. A shift in minutes: ${settings.shiftFrames.toLocaleString('en')} frames of every platform's stream (${(done?.chatLinesDriven ?? 0).toLocaleString('en')} chat lines among them) through the core, heap after GC`,
    samples.map((s) => ({
      frames: s.frames,
      's': s.seconds,
      'heap MB': s.heapUsedMB,
      'rss MB': s.rssMB,
      calls: s.calls,
      'recent calls': s.recentCalls,
      chats: s.chats,
      'ended chats': s.endedChats,
      'chat lines': s.chatLines,
      callbacks: s.callbacks,
      queues: s.queues,
      team: s.team,
    })),
  );
  const first = samples[0];
  const last = samples.at(-1);
  if (first && last) targets.push({ question: '3', target: 'heap at the end within 10 MB of the start', figure: `${first.heapUsedMB} → ${last.heapUsedMB} MB (+${round(last.heapUsedMB - first.heapUsedMB)})`, met: last.heapUsedMB - first.heapUsedMB <= 10 });
}

async function idle(): Promise<void> {
  const demos: PlatformDemo[] = [];
  try {
    for (const platform of platforms()) demos.push(await platform.startDemo({ log, silent: true }));
    const [line] = (await child(['--import', 'tsx', 'test/bench/idle.ts'], { IDLE_SECONDS: String(settings.idleSeconds), IDLE_SETTLE_MS: '16000', IDLE_ACCOUNTS: JSON.stringify(demos.map((d) => d.account)) })) as Array<{
      seconds: number;
      accounts: number;
      cpuPercent: number;
      wakeupsPerSec: number;
      byKind: Record<string, number>;
    }>;
    results.idle = line;
    table(
      `4. Quiet when idle: ${line!.accounts} accounts connected to silent demo simulators, ${line!.seconds} s`,
      [{ 'CPU % of one core': line!.cpuPercent, 'wake-ups/s': line!.wakeupsPerSec, 'by kind': Object.entries(line!.byKind).map(([k, n]) => `${k} ${n}`).join(', ') }],
      'wake-ups: every callback the event loop ran (timers, immediates, sockets), promise reactions excluded.',
    );
    targets.push({ question: '4', target: 'CPU ≤ 1 % of one core when idle', figure: `${line!.cpuPercent} % (${line!.wakeupsPerSec} wake-ups/s over ${line!.seconds} s)`, met: line!.cpuPercent <= 1 });
  } finally {
    await Promise.allSettled(demos.map((d) => d.stop()));
  }
}

async function ready(): Promise<void> {
  const result = await measureReady({ runs: settings.readyRuns });
  results.ready = result;
  table(
    `5. Ready fast: web host process start (demo mode) → (median of ${settings.readyRuns})`,
    [...result.runs.map((r, i) => ({ run: String(i + 1), ...r })), { run: 'median', ...result.median }].map((r) => ({ run: r.run, 'URL printed ms': r.urlMs, 'first full desk ms': r.firstDeskMs, 'every account connected ms': r.allConnectedMs })),
  );
  targets.push({ question: '5', target: 'first desk ≤ 1.5 s after process start', figure: `${result.median.firstDeskMs} ms (all connected ${result.median.allConnectedMs} ms)`, met: result.median.firstDeskMs <= 1_500 });
}

function size(): void {
  const result = measureSize();
  results.size = result;
  table(
    '6. Renderer size (dist/renderer, gzip -9)',
    [...result.files, { file: 'total', bytes: result.totalBytes, gzipBytes: result.totalGzipBytes }].map((f) => ({ file: f.file, 'KB': round(f.bytes / 1024), 'gzip KB': round(f.gzipBytes / 1024) })),
  );
  targets.push({ question: '6', target: 'renderer ≤ 150 KB gzipped', figure: `${round(result.totalGzipBytes / 1024)} KB`, met: result.totalGzipBytes <= 150 * 1024 });
}

async function fuzz(): Promise<void> {
  const result = await runFuzz({ runs: settings.fuzzRuns });
  results.fuzz = result;
  table(`7. Fuzzing: property tests per parser (${settings.fuzzRuns ? `${settings.fuzzRuns.toLocaleString('en')} cases each` : 'the npm test counts'})`, result.rows.map((r) => ({ parser: r.parser, cases: r.cases, 's': r.seconds })), result.failures.length ? `failed:\n${result.failures.join('\n')}` : 'every property held.');
  targets.push({ question: '7', target: settings.fuzzRuns ? '≥ 100 000 cases per parser, none failing' : 'every parser fuzzed, none failing (--long: 100 000 each)', figure: `${result.rows.length} parsers, ${Math.min(...result.rows.map((r) => r.cases))}+ cases each, ${result.failures.length} failures`, met: result.passed });
}

async function main(): Promise<void> {
  process.stdout.write(`Bench (${results.mode as string}) for ${platforms().map((p) => p.name).join(', ')}\n`);
  if (only.has('size')) size();
  if (only.has('throughput')) await throughput();
  if (only.has('shift')) await shift();
  if (only.has('idle')) await idle();
  if (only.has('latency')) await latency();
  if (only.has('ready')) await ready();
  if (only.has('fuzz')) await fuzz();
  results.targets = targets;
  table('Targets', targets.map((t) => ({ question: t.question, target: t.target, figure: t.figure, met: t.met ? 'yes' : 'NO' })));
  writeFileSync(new URL('bench-results.json', `file://${ROOT}`), `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write('\nWritten to bench-results.json\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
