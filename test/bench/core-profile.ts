/**
 * One platform's core path, alone, for a CPU profile (not part of `npm run bench`):
 *
 *   node --import tsx test/bench/core-profile.ts <platform-id> [frames] [full|parse|floor] [profile.cpuprofile]
 *
 * Prints CPU µs per frame of each stage measured alone (the floor: JSON.parse plus the schema; the
 * connector's parse path; question 1's full path with a bridge message per frame and coalesced
 * 100 to a message), so that a profile's share can be read against the floor. With a file name,
 * it then writes a CPU profile (a `.cpuprofile`, Chrome's format) of one stage alone — `full`
 * (default), `parse` or `floor` — after the JIT is warm: no module loading in it; a file name ending
 * in `.heapprofile` gets a sampling heap profile instead (where the stage allocates).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createLogger } from '../../main/log.js';
import { benchCore, benchedPlatforms } from './core.js';

const [id = 'enreach', count = '50000', mode = 'full', out] = process.argv.slice(2);
const log = createLogger('silent');
const platform = (await benchedPlatforms()).find((p) => p.id === id);
if (!platform) throw new Error(`no platform ${id}`);
const frames = platform.bench.frames(Number(count));

let sink: unknown;
/** The process's CPU time, ms (steadier than the wall clock on a shared machine). */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
function floor(): number {
  const t = cpuMs();
  for (const frame of frames) sink = platform!.bench.floor(frame);
  return cpuMs() - t;
}
function parse(): number {
  const path = platform!.bench.parser(log);
  const t = cpuMs();
  for (const frame of frames) sink = path(frame);
  return cpuMs() - t;
}
function full(coalesce = 1): number {
  const { core, streams } = benchCore([platform!], log);
  const window = core.hub.open(() => undefined);
  window.receive(JSON.stringify({ type: 'subscribe' }));
  const t = cpuMs();
  for (let i = 0; i < frames.length; i++) {
    streams[0]!.push(frames[i]);
    if ((i + 1) % coalesce === 0) core.hub.flush();
  }
  core.hub.flush();
  const ms = cpuMs() - t;
  window.close();
  void core.stop();
  return ms;
}
const us = (ms: number): string => ((ms * 1000) / frames.length).toFixed(2);
const stage = { full, parse, floor }[mode as 'full'] ?? full;
for (let r = 0; r < 3; r++) stage();
if (!out) {
  const median = (xs: number[]): number => xs.sort((a, b) => a - b)[xs.length >> 1]!;
  const times = { f: [] as number[], p: [] as number[], m: [] as number[], c: [] as number[] };
  for (let r = 0; r < 5; r++) {
    times.f.push(floor());
    times.p.push(parse());
    times.m.push(full());
    times.c.push(full(100));
  }
  const [f, p, m, c] = [median(times.f), median(times.p), median(times.m), median(times.c)];
  process.stdout.write(`${id} CPU µs/frame (median of 5): floor ${us(f)} parse ${us(p)} full ${us(m)} coalesced ${us(c)} · ratios parse ${(p / f).toFixed(2)} full ${(m / f).toFixed(2)} coalesced ${(c / f).toFixed(2)}\n`);
}
if (out?.endsWith('.heapprofile')) {
  // Where the stage allocates: a sampling heap profile (bytes allocated per function, GC'd or not).
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  for (let r = 0; r < 3; r++) stage();
  const { profile } = await session.post('HeapProfiler.stopSampling');
  writeFileSync(out, JSON.stringify(profile));
  session.disconnect();
} else if (out) {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  for (let r = 0; r < 3; r++) stage();
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(out, JSON.stringify(profile));
  session.disconnect();
}
void sink;
