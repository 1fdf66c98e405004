/// <reference lib="dom" />
/**
 * Question 10 — the supervisor's desk (issue 21): latency from the server to the row on screen,
 * and memory, in Chromium through the web host, with the supervisor's floor of demo mode (`--demo
 * supervisor`: a team report of 500 and 5 000 watched busy lamps, 5 500 members) changing at each
 * rate.
 *
 * Markers: ten times a second the scenario's marker member (first group, first row: always in
 * view) changes at the server, between ready and not ready in turn (`Demo.mark`, sent on the
 * simulator's socket when it returns); the page stamps each change of that row's words (a
 * MutationObserver on its `aria-label`). Latency = the first stamp showing the marker's state at
 * or after the send − the send, on the same clock. A marker whose state the row did not show
 * within two markers' spacing is not a sample; the row counts sent and seen.
 *
 * Memory: the window's JS heap and the core's heap, each after a full GC, at the end of each
 * rate, and with `heapSeconds` a run at the top rate sampled every `heapEverySeconds` (`--long`:
 * ten minutes).
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Page } from 'playwright-core';
import { startCore, type Core } from '../../main/app.js';
import { parseConfig } from '../../main/config.js';
import type { Logger } from '../../main/log.js';
import { startWebHost } from '../../main/web.js';
import { launchChromium } from '../e2e/browser.js';
import { eventually } from '../support/eventually.js';
import { percentile, round } from './core.js';
import { profileWindow, type ThreadProfile } from './profile.js';
import { attributeTail, startTailTrace, tapSocketSends, wireTapScript, type TailReport } from './tail.js';

/** The target of issue 21: one frame at 60 Hz. */
export const FRAME_MS = 16.7;

export interface SupervisorLatencyRow {
  /** Member changes per second at the server (the floor's steady stream, all platforms). */
  rate: number;
  /** Changes the servers actually sent per second (a busy machine runs timers late). */
  sentPerSec: number;
  /** Markers sent, and those seen (samples). */
  sent: number;
  markers: number;
  p50: number;
  p99: number;
  max: number;
  /**
   * The window's main thread over the rate: CPU ms it used per second (Chromium's `ThreadTime`, CPU
   * time, steadier than the wall-clock figures on a busy machine).
   */
  windowCpuMsPerSec: number;
  /** The window's JS heap after a full GC at the end of the rate, MB. */
  windowHeapMB: number;
  /** The core's heap after a full GC at the end of the rate, MB. */
  coreHeapMB: number;
  /** 1-minute load average of the machine at the end of the rate. */
  loadAverage: number;
  target: string;
  met: boolean;
}

export interface SupervisorHeapSample {
  seconds: number;
  windowHeapMB: number;
  coreHeapMB: number;
  loadAverage: number;
}

export interface SupervisorResult {
  members: number;
  rows: SupervisorLatencyRow[];
  /** The heap run at the top rate (empty without `heapSeconds`). */
  heap: SupervisorHeapSample[];
  heapRate: number;
  /** The window's main thread at the top rate, self time by category (`profile.ts`). */
  profile?: ThreadProfile & { rate: number; loadAverage: number };
  /** With `tail`: per rate, where its slow markers spent their time (`tail.ts`). */
  tails?: Array<{ rate: number; loadAverage: number } & TailReport>;
}

const MARKERS_PER_SEC = 10;

/** A full GC of this process (the bench runs without `--expose-gc`). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

const mb = (bytes: number): number => round(bytes / 1024 / 1024);

async function heaps(page: Page): Promise<{ windowHeapMB: number; coreHeapMB: number }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  collectGarbage();
  return { windowHeapMB: mb(usedSize), coreHeapMB: mb(process.memoryUsage().heapUsed) };
}

/** The desk key of the marker member (the first `mark()` has been sent). */
async function markerKey(core: Core, mark: { accountId: string; memberId: string }): Promise<string> {
  let key: string | undefined;
  await eventually(() => {
    key = Object.values(core.desk.state.team).find((m) => m.accountId === mark.accountId && m.id === mark.memberId)?.key;
    return key !== undefined;
  }, 'the marker member on the desk', 60_000);
  return key!;
}

/** Runs the floor at each rate and measures; `markers` markers per rate at least. */
export async function measureSupervisor(options: {
  rates: number[];
  markers: number;
  heapSeconds?: number;
  heapEverySeconds?: number;
  /** Seconds of the window's trace at the top rate (0: none). */
  profileSeconds?: number;
  /** Trace each rate and attribute its slow markers (`tail.ts`). */
  tail?: boolean;
  log: Logger;
}): Promise<SupervisorResult> {
  const core = await startCore({ config: parseConfig({}), demo: true, demoScenario: 'supervisor', demoEventsPerSec: 0, log: options.log });
  const demo = core.demo!;
  if (!demo.setRate || !demo.mark) throw new Error('the supervisor scenario gives no rate or marker');
  // BENCH_RENDERER_DIR: another build of the renderer (an A/B of two builds, alternated run by run).
  const host = await startWebHost({ core, log: options.log, ...(process.env.BENCH_RENDERER_DIR ? { rendererDir: process.env.BENCH_RENDERER_DIR } : {}) });
  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext({ viewport: { width: 440, height: 900 } })).newPage();
    if (options.tail) await page.addInitScript({ content: wireTapScript('') });
    await page.addInitScript({
      content: `(() => {
        const seen = [];
        window.__seen = seen;
        new MutationObserver((records) => {
          const key = window.__marker;
          if (!key) return;
          for (const record of records) {
            const el = record.type === 'attributes' ? record.target : null;
            if (el && el.getAttribute('data-key') === key) seen.push([performance.timeOrigin + performance.now(), el.getAttribute('aria-label') || '']);
            if (record.type === 'childList') for (const node of record.addedNodes) {
              if (node.nodeType === 1 && node.getAttribute('data-key') === key) seen.push([performance.timeOrigin + performance.now(), node.getAttribute('aria-label') || '']);
            }
          }
        }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-label'] });
      })();`,
    });
    await page.goto(host.url);
    const first = demo.mark();
    const key = await markerKey(core, first);
    await page.evaluate((k) => void ((window as unknown as { __marker: string }).__marker = k), key);
    // The marker's record in a message, up to its presence's state.
    if (options.tail) await page.evaluate((k) => void ((window as unknown as { __wirePattern: string }).__wirePattern = `"${k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}".{0,300}?"state":"[a-z-]+"`), key);
    const members = Object.keys(core.desk.state.team).length;
    // The count as the desk says it in English (thousands grouped: 5,500).
    await page.getByRole('heading', { name: /^Team\b/ }).getByText(new RegExp(`^${members.toLocaleString('en')}$`)).waitFor({ timeout: 60_000 });

    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const threadTime = async (): Promise<number> => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ThreadTime')?.value ?? 0;
    const rows: SupervisorLatencyRow[] = [];
    const tails: NonNullable<SupervisorResult['tails']> = [];
    for (const rate of options.rates) {
      demo.setRate(rate);
      await new Promise((resolve) => setTimeout(resolve, 1_000)); // the pace settles
      const stopTrace = options.tail ? await startTailTrace(browser, page) : undefined;
      const wirePattern = options.tail ? await page.evaluate(() => (window as unknown as { __wirePattern: string }).__wirePattern) : undefined;
      const socketTap = wirePattern ? tapSocketSends(() => new RegExp(wirePattern, 'g')) : undefined;
      const sentBefore = sentSoFar(core);
      const cpuBefore = await threadTime();
      const started = performance.now();
      const marks: Array<{ at: number; state: 'ready' | 'not-ready' }> = [];
      const timer = setInterval(() => {
        const at = performance.timeOrigin + performance.now();
        marks.push({ at, state: demo.mark!().state });
      }, 1000 / MARKERS_PER_SEC);
      await eventually(() => marks.length >= options.markers, `${options.markers} markers sent`, options.markers * 1000);
      clearInterval(timer);
      const seconds = (performance.now() - started) / 1000;
      const sentPerSec = Math.round((sentSoFar(core) - sentBefore) / seconds);
      const windowCpuMsPerSec = round(((await threadTime()) - cpuBefore) * 1000 / seconds);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const seen = await page.evaluate(() => (window as unknown as { __seen: Array<[number, string]> }).__seen.splice(0));
      const matched = match(marks, seen);
      const samples = matched.map((m) => m.seen - m.sent).sort((a, b) => a - b);
      if (stopTrace) {
        const wire = await page.evaluate(() => (window as unknown as { __wire: Array<[number, string[]]> }).__wire.splice(0));
        const marked = matched.map((m) => {
          const carries = ([at, found]: [number, string[]]): boolean => at >= m.sent && at <= m.seen && found.some((f) => f.endsWith(`"${m.state}"`));
          const arrived = wire.find(carries);
          const handed = socketTap!.sends.find(carries);
          return { key: `${m.state}@${round(m.sent)}`, sent: m.sent, seen: m.seen, ...(arrived ? { wire: arrived[0] } : {}), ...(handed ? { socket: handed[0] } : {}) };
        });
        socketTap!.restore();
        tails.push({ rate, loadAverage: round(loadavg()[0]!), ...attributeTail(await stopTrace(), marked) });
      }
      const p99 = round(percentile(samples, 99));
      rows.push({
        rate,
        sentPerSec,
        sent: marks.length,
        markers: samples.length,
        p50: round(percentile(samples, 50)),
        p99,
        max: round(samples.at(-1) ?? Number.NaN),
        windowCpuMsPerSec,
        ...(await heaps(page)),
        loadAverage: round(loadavg()[0]!),
        target: `p99 ≤ ${FRAME_MS} ms, ≥ 95 % of markers seen`,
        met: p99 <= FRAME_MS && samples.length >= 0.95 * marks.length,
      });
    }

    const heapRate = Math.max(...options.rates);
    let profile: SupervisorResult['profile'];
    if (options.profileSeconds) {
      demo.setRate(heapRate);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      profile = { rate: heapRate, ...(await profileWindow(browser, page, options.profileSeconds)), loadAverage: round(loadavg()[0]!) };
    }
    const heap: SupervisorHeapSample[] = [];
    if (options.heapSeconds) {
      demo.setRate(heapRate);
      const started = performance.now();
      const every = (options.heapEverySeconds ?? 30) * 1000;
      for (;;) {
        heap.push({ seconds: Math.round((performance.now() - started) / 1000), ...(await heaps(page)), loadAverage: round(loadavg()[0]!) });
        if (performance.now() - started >= options.heapSeconds * 1000) break;
        await new Promise((resolve) => setTimeout(resolve, every));
      }
    }
    demo.setRate(0);
    return { members, rows, heap, heapRate, ...(profile ? { profile } : {}), ...(options.tail ? { tails } : {}) };
  } finally {
    await browser.close().catch(() => undefined);
    await host.close();
    await core.stop();
  }
}

/** Changes the floor's servers have sent so far. */
function sentSoFar(core: Core): number {
  return core.demo?.sent?.() ?? 0;
}

/**
 * Each marker seen, with its send and its stamp: the first stamp whose words show its state at or after its send
 * and before the send of the next marker with the same state (the marker alternates, so that
 * stamp is this marker's; one slower than two markers' spacing, 200 ms, is not a sample).
 */
function match(
  marks: ReadonlyArray<{ at: number; state: 'ready' | 'not-ready' }>,
  seen: ReadonlyArray<[number, string]>,
): Array<{ sent: number; seen: number; state: 'ready' | 'not-ready' }> {
  const shows = (label: string, state: 'ready' | 'not-ready'): boolean => (state === 'ready' ? /^[^,]+, Ready\b/ : /^[^,]+, Not ready\b/).test(label);
  const samples: Array<{ sent: number; seen: number; state: 'ready' | 'not-ready' }> = [];
  marks.forEach((mark, i) => {
    const until = marks[i + 2]?.at ?? Number.POSITIVE_INFINITY;
    const stamp = seen.find(([at, label]) => at >= mark.at && at < until && shows(label, mark.state));
    if (stamp) samples.push({ sent: mark.at, seen: stamp[0], state: mark.state });
  });
  return samples;
}
