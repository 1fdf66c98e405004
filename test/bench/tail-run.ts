/**
 * Where the latency tail lives (issue 21), one desk and one rate at a time: the window traced over
 * the rate and each slow marker attributed to what the window's main thread ran (`tail.ts`).
 *
 *     flock /tmp/bench.lock npx tsx test/bench/tail-run.ts agent|supervisor <rate> [markers] [out.json]
 *
 * `TAIL_TRACE=0` measures without the trace (for an A/B of two builds with `BENCH_RENDERER_DIR`).
 *
 * Prints the split (sent → the page, the page → the row), what the slow markers waited behind,
 * the long tasks, and the ten slowest markers' tasks; `out.json` keeps the whole report.
 */
import { writeFileSync } from 'node:fs';
import { createLogger } from '../../main/log.js';
import { benchedPlatforms } from './core.js';
import { measureLatency } from './latency.js';
import { measureSupervisor } from './supervisor.js';

const [desk = 'agent', rateText = '50', markersText = '300', out] = process.argv.slice(2);
if (desk !== 'agent' && desk !== 'supervisor') throw new Error(`the desk is agent or supervisor (got ${desk})`);
const rates = [Number(rateText)];
const markers = Number(markersText);
const log = createLogger('silent');
const tail = process.env.TAIL_TRACE !== '0';
const result = desk === 'agent' ? await measureLatency(await benchedPlatforms(), { rates, markers, tail, log }) : await measureSupervisor({ rates, markers, tail, log });
for (const r of result.rows) console.log(`${desk} at ${r.rate}/s: p50/p99/max ${r.p50}/${r.p99}/${r.max} ms over ${r.markers} markers, window CPU ${r.windowCpuMsPerSec} ms/s, load ${r.loadAverage}`);
for (const t of result.tails ?? []) {
  console.log(`${desk} at ${t.rate}/s (load ${t.loadAverage}): ${t.samples} markers, ${t.slow} over 16.7 ms (${t.slowMostlyBeforeWindow} of them mostly before the page; found in the socket's sends ${t.found.socket}, in the page's messages ${t.found.page})`);
  console.log(`  p50/p99/max ms — whole ${t.total.join('/')} · sent → socket ${t.toSocket.join('/')} · socket → page ${t.socketToPage.join('/')} · page → row ${t.inWindow.join('/')}`);
  console.log(`  the main thread's CPU ms/s (self thread time): ${t.cpuMsPerSec.map((c) => `${c.what} ${c.ms}`).join(' · ')}`);
  console.log('  the slow markers, socket → row, self ms by what ran (trace):');
  for (const b of t.slowBlame.slice(0, 15)) console.log(`    ${b.ms}\t${b.what}`);
  console.log('  the same spans, JS profile self ms:');
  for (const b of t.slowJs.slice(0, 15)) console.log(`    ${b.ms}\t${b.what}`);
  console.log('  the same spans, innermost named frames:');
  for (const b of t.slowStacks.slice(0, 12)) console.log(`    ${b.ms}\t${b.what}`);
  console.log('  the whole rate, JS profile self ms:');
  for (const b of t.allJs.slice(0, 20)) console.log(`    ${b.ms}\t${b.what}`);
  console.log('  the whole rate, innermost named frames:');
  for (const b of t.allStacks.slice(0, 15)) console.log(`    ${b.ms}\t${b.what}`);
  console.log('  tasks over 16.7 ms in the trace, by what took most of each:');
  for (const l of t.longTasks.slice(0, 10)) console.log(`    ${l.count}× ${l.ms} ms\t${l.what}`);
  console.log('  the slowest markers:');
  for (const w of t.worst) {
    console.log(`    ${w.key}: ${w.totalMs} ms (to the socket ${w.toSocketMs ?? '?'}, to the page ${w.socketToPageMs ?? '?'}, in the page ${w.inWindowMs ?? '?'})`);
    for (const task of w.tasks.slice(0, 6)) console.log(`      +${task.startMs} ms ${task.durMs} ms: ${task.top}`);
  }
}
if (out) writeFileSync(out, JSON.stringify(result, null, 2));
