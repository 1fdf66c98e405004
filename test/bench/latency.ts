/// <reference lib="dom" />
/**
 * Question 2 — latency to the DOM, in Chromium through the web host, while the desk is flooded.
 *
 * The core runs every registered platform's stream: at each rate, frames of every platform in
 * turn go through the platform's own parse path into the desk (round robin, `rate` frames a
 * second in all). Markers are ringing calls on an account of their own (ten a second, each ended
 * 150 ms later), handed to the desk where a connector hands its events; the page stamps the moment
 * each marker's row is in the DOM (a MutationObserver on added rows). Latency = DOM time − the
 * moment the marker was handed over, on the same clock. At least `markers` markers per rate.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Logger } from '../../main/log.js';
import { startWebHost } from '../../main/web.js';
import { launchChromium } from '../e2e/browser.js';
import { eventually } from '../support/eventually.js';
import { benchCore, Feed, percentile, round, type BenchedPlatform } from './core.js';
import { cpuProfileWindow, profileWindow, type CpuProfileSummary, type ThreadProfile } from './profile.js';
import { attributeTail, startTailTrace, tapSocketSends, wireTapScript, type TailReport } from './tail.js';

export interface LatencyRow {
  /** Frames per second flooding the desk (every platform's stream in turn). */
  rate: number;
  /** Frames actually sent per second (the timer's granularity rounds). */
  sentPerSec: number;
  markers: number;
  p50: number;
  p99: number;
  max: number;
  /**
   * The window's main thread over the rate: CPU ms it used per second (Chromium's `ThreadTime`, CPU
   * time, so steadier than wall-clock figures on a busy machine), and its style recalculations and
   * layouts per second.
   */
  windowCpuMsPerSec: number;
  stylesPerSec: number;
  layoutsPerSec: number;
  /** 1-minute load average of the machine at the end of the rate. */
  loadAverage: number;
}

/** The agent's desk's figures: a row per rate, and the window's main thread at the top rate. */
export interface LatencyResult {
  rows: LatencyRow[];
  /** The window's main thread at the top rate, self time by category (`profile.ts`), and its JS CPU profile's top functions. */
  profile?: ThreadProfile & { rate: number; loadAverage: number; js: CpuProfileSummary & { loadAverage: number } };
  /** With `tail`: per rate, where its slow markers spent their time (`tail.ts`). */
  tails?: Array<{ rate: number; loadAverage: number } & TailReport>;
}

const MARKERS_PER_SEC = 10;
const MARKER_ACCOUNT = 'bench-markers';

/**
 * Runs the flood at each rate and measures; `markers` markers per rate at least. With
 * `profileSeconds`, then traces the window at the top rate for that long (self time by category)
 * and takes a JS CPU profile as long (`saveCpuProfile`: where to write the raw `.cpuprofile`).
 */
export async function measureLatency(
  list: readonly BenchedPlatform[],
  options: { rates: number[]; markers: number; profileSeconds?: number; saveCpuProfile?: string; tail?: boolean; log: Logger },
): Promise<LatencyResult> {
  const markers = new Feed();
  const { core, streams } = benchCore(list, options.log, [
    { seed: { id: MARKER_ACCOUNT, vendor: 'bench', label: 'Markers', demo: false, presenceOptions: [] }, connector: markers },
  ]);
  // BENCH_RENDERER_DIR: another build of the renderer (an A/B of two builds, alternated run by run).
  const host = await startWebHost({ core, log: options.log, ...(process.env.BENCH_RENDERER_DIR ? { rendererDir: process.env.BENCH_RENDERER_DIR } : {}) });
  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext({ viewport: { width: 440, height: 900 } })).newPage();
    if (options.tail) await page.addInitScript({ content: wireTapScript(`${MARKER_ACCOUNT}/m\\d+`) });
    await page.addInitScript({
      content: `(() => {
        const seen = new Map();
        window.__seen = seen;
        const stamp = (el) => {
          const key = el.getAttribute && el.getAttribute('data-key');
          if (key && key.startsWith('${MARKER_ACCOUNT}/') && !seen.has(key)) seen.set(key, performance.timeOrigin + performance.now());
        };
        new MutationObserver((records) => {
          for (const record of records) {
            if (record.type === 'attributes') { stamp(record.target); continue; }
            for (const node of record.addedNodes) {
              if (node.nodeType !== 1) continue;
              stamp(node);
              for (const el of node.querySelectorAll('[data-key^="${MARKER_ACCOUNT}/"]')) stamp(el);
            }
          }
        }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-key'] });
      })();`,
    });
    await page.goto(host.url);
    await page.locator('[data-testid="account-status"][data-state="connected"]').nth(streams.length).waitFor({ timeout: 30_000 });

    const next = streams.map(() => 0);
    let marker = 0;
    /** Floods the desk at `rate` frames/s with markers ten a second until stopped; `frames` counts what was sent. */
    const load = (rate: number, sent: Map<string, number>): { frames: () => number; stop: () => void } => {
      const tickMs = 10;
      let owed = 0;
      let frames = 0;
      let turn = 0;
      const flood = setInterval(() => {
        owed += (rate * tickMs) / 1000;
        for (; owed >= 1; owed -= 1, frames++, turn++) {
          const s = turn % streams.length;
          const stream = streams[s]!;
          stream.push(stream.platform.bench.frames(1, next[s]!++)[0]);
        }
      }, tickMs);
      const ring = setInterval(() => {
        const id = `m${++marker}`;
        sent.set(`${MARKER_ACCOUNT}/${id}`, performance.timeOrigin + performance.now());
        markers.emit({ type: 'call', call: { id, state: 'ringing', direction: 'inbound', caller: `+35840${String(marker).padStart(7, '0')}`, actions: [] } });
        setTimeout(() => markers.emit({ type: 'call', call: { id, state: 'ended' } }), 150);
      }, 1000 / MARKERS_PER_SEC);
      return { frames: () => frames, stop: () => (clearInterval(flood), clearInterval(ring)) };
    };
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const metrics = async (): Promise<Record<string, number>> => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
    const rows: LatencyRow[] = [];
    const tails: NonNullable<LatencyResult['tails']> = [];
    for (const rate of options.rates) {
      const sent = new Map<string, number>();
      const stopTrace = options.tail ? await startTailTrace(browser, page) : undefined;
      const socketTap = options.tail ? tapSocketSends(() => new RegExp(`${MARKER_ACCOUNT}/m\\d+`, 'g')) : undefined;
      const started = performance.now();
      const was = await metrics();
      const running = load(rate, sent);
      await eventually(() => sent.size >= options.markers, `${options.markers} markers sent`, options.markers * 1000);
      running.stop();
      const frames = running.frames();
      const seconds = (performance.now() - started) / 1000;
      const now = await metrics();
      const perSec = (name: string, scale = 1): number => round((((now[name] ?? 0) - (was[name] ?? 0)) * scale) / seconds);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const seen = new Map(await page.evaluate(() => [...(window as unknown as { __seen: Map<string, number> }).__seen.entries()]));
      const samples = [...sent].flatMap(([key, at]) => (seen.has(key) ? [seen.get(key)! - at] : [])).sort((a, b) => a - b);
      if (stopTrace) {
        const wire = new Map<string, number>();
        for (const [at, keys] of await page.evaluate(() => (window as unknown as { __wire: Array<[number, string[]]> }).__wire.splice(0))) for (const k of keys) if (!wire.has(k)) wire.set(k, at);
        const socket = new Map<string, number>();
        for (const [at, keys] of socketTap!.sends) for (const k of keys) if (!socket.has(k)) socket.set(k, at);
        socketTap!.restore();
        const marks = [...sent].flatMap(([key, at]) =>
          seen.has(key) ? [{ key, sent: at, seen: seen.get(key)!, ...(wire.has(key) ? { wire: wire.get(key)! } : {}), ...(socket.has(key) ? { socket: socket.get(key)! } : {}) }] : [],
        );
        tails.push({ rate, loadAverage: round(loadavg()[0]!), ...attributeTail(await stopTrace(), marks) });
      }
      rows.push({
        rate,
        sentPerSec: Math.round(frames / seconds),
        markers: samples.length,
        p50: round(percentile(samples, 50)),
        p99: round(percentile(samples, 99)),
        max: round(samples.at(-1) ?? Number.NaN),
        windowCpuMsPerSec: perSec('ThreadTime', 1000),
        stylesPerSec: perSec('RecalcStyleCount'),
        layoutsPerSec: perSec('LayoutCount'),
        loadAverage: round(loadavg()[0]!),
      });
    }
    if (!options.profileSeconds) return { rows, ...(options.tail ? { tails } : {}) };
    const rate = Math.max(...options.rates);
    const running = load(rate, new Map());
    try {
      await new Promise((resolve) => setTimeout(resolve, 1_000)); // the pace settles
      const trace = await profileWindow(browser, page, options.profileSeconds);
      const traceLoad = round(loadavg()[0]!);
      const js = await cpuProfileWindow(page, options.profileSeconds, options.saveCpuProfile ? { save: options.saveCpuProfile } : {});
      return { rows, profile: { rate, ...trace, loadAverage: traceLoad, js: { ...js, loadAverage: round(loadavg()[0]!) } } };
    } finally {
      running.stop();
    }
  } finally {
    await browser.close().catch(() => undefined);
    await host.close();
    await core.stop();
  }
}
