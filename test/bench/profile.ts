/**
 * Where the window's main thread spends its time (`docs/benchmarks.md`, "Where the frame goes"):
 * a Chromium trace of a few seconds, summed as self time by category — scripting, style, layout,
 * paint and compositing, garbage collection, other — on the renderer's main thread.
 *
 * Self time: a trace event's duration less that of the events nested in it, so each millisecond
 * counts once, under the innermost event that names what the thread was doing [I].
 */
import type { Browser, Page } from 'playwright-core';
import { round } from './core.js';

/** Milliseconds of main-thread self time per category, and the trace's length. */
export interface ThreadProfile {
  seconds: number;
  /** Per category, ms of self time; `busy` is their sum. */
  ms: Record<ProfileCategory | 'busy', number>;
  /** Per category, % of the traced time. */
  percent: Record<ProfileCategory | 'busy', number>;
}

export type ProfileCategory = 'scripting' | 'style' | 'layout' | 'paint' | 'gc' | 'other';
const CATEGORIES: readonly ProfileCategory[] = ['scripting', 'style', 'layout', 'paint', 'gc', 'other'];

/** The category of a trace event's name (Chromium's DevTools timeline names). */
function categoryOf(name: string): ProfileCategory {
  if (/GC|Garbage|BlinkGC/i.test(name)) return 'gc';
  if (/^(UpdateLayoutTree|RecalculateStyles|ParseAuthorStyleSheet|ScheduleStyleRecalculation|StyleRecalc|Document::updateStyle)/.test(name)) return 'style';
  if (/^(Layout|UpdateLayout|LayoutShift|IntersectionObserver|ResizeObserver|LocalFrameView::layout|InvalidateLayout|ScrollLayer)/.test(name)) return 'layout';
  if (/^(Paint|PrePaint|PaintImage|Layerize|CompositeLayers|Commit|UpdateLayer|UpdateLayerTree|RasterTask|Decode|ProxyMain|Animation)/.test(name)) return 'paint';
  if (/^(FunctionCall|EvaluateScript|v8\.|V8\.|TimerFire|EventDispatch|FireAnimationFrame|RunMicrotasks|ParseHTML|XHR|WebSocket|HandlePostMessage|MessagePort|RunTask|ThreadControllerImpl|v8|Script)/.test(name)) return name.startsWith('V8.GC') ? 'gc' : 'scripting';
  return 'other';
}

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string };
}

/**
 * Traces the page for `seconds` and sums its main thread's self time by category.
 * @throws when the trace holds no renderer main thread.
 */
export async function profileWindow(browser: Browser, page: Page, seconds: number): Promise<ThreadProfile> {
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'blink.user_timing', 'toplevel'] });
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const buffer = await browser.stopTracing();
  const { traceEvents } = JSON.parse(buffer.toString('utf8')) as { traceEvents: TraceEvent[] };
  const main = traceEvents.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  if (!main) throw new Error('the trace has no renderer main thread');
  const events = traceEvents.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && (e.dur ?? 0) > 0).sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const ms = Object.fromEntries([...CATEGORIES, 'busy'].map((c) => [c, 0])) as ThreadProfile['ms'];
  // A stack of open events: each one's self time is its duration less its children's.
  const stack: Array<{ end: number; category: ProfileCategory; self: number }> = [];
  const close = (until: number): void => {
    while (stack.length && stack.at(-1)!.end <= until) {
      const done = stack.pop()!;
      ms[done.category] += done.self / 1000;
    }
  };
  for (const event of events) {
    close(event.ts);
    const parent = stack.at(-1);
    if (parent) parent.self -= event.dur!;
    // A task-runner wrapper names nothing: its own time is "other", its children say what ran.
    stack.push({ end: event.ts + event.dur!, category: event.name === 'RunTask' || event.name.startsWith('ThreadController') ? 'other' : categoryOf(event.name), self: event.dur! });
  }
  close(Number.POSITIVE_INFINITY);
  for (const c of CATEGORIES) ms.busy += ms[c];
  const total = seconds * 1000;
  const percent = Object.fromEntries(Object.entries(ms).map(([c, v]) => [c, round((v / total) * 100)])) as ThreadProfile['percent'];
  return { seconds, ms: Object.fromEntries(Object.entries(ms).map(([c, v]) => [c, round(v)])) as ThreadProfile['ms'], percent };
}

/** One function of a JS CPU profile: its self time, and where it is defined. */
export interface ProfiledFunction {
  /** The function's name (`(anonymous)`, `(program)`, `(garbage collector)` as V8 names them). */
  name: string;
  /** The script's file name (no origin) and 1-based line:column, or '' for V8's own entries. */
  at: string;
  /** ms of self time over the profile. */
  ms: number;
  /** % of the profile's time. */
  percent: number;
}

/** A JS CPU profile of the window: the functions with most self time, and the profile's length. */
export interface CpuProfileSummary {
  seconds: number;
  /** The `top` functions by self time, most first (the same name and place summed). */
  top: ProfiledFunction[];
  /** % of the time in V8's "(idle)", "(program)" (the browser's own work: style, layout, paint) and "(garbage collector)". */
  idle: number;
  program: number;
  gc: number;
  /** % of the time in every other function (our JS, Svelte, the browser's JS APIs). */
  js: number;
}

interface CdpProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}

/**
 * A JS CPU profile of the page (CDP `Profiler.start`/`stop`, 100 µs sampling) over `seconds`,
 * summed as self time per function. `save` writes the raw `.cpuprofile` (DevTools opens it).
 * @throws when the page has no CDP session (not Chromium).
 */
export async function cpuProfileWindow(page: Page, seconds: number, options: { top?: number; save?: string } = {}): Promise<CpuProfileSummary> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: { nodes: CdpProfileNode[]; samples: number[]; timeDeltas: number[] } };
    if (options.save) (await import('node:fs')).writeFileSync(options.save, JSON.stringify(profile));
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map<string, ProfiledFunction>();
    let totalUs = 0;
    profile.samples.forEach((id, i) => {
      const us = profile.timeDeltas[i + 1] ?? 0; // a sample's time is the delta to the next one
      totalUs += us;
      const frame = nodes.get(id)!.callFrame;
      const file = frame.url.replace(/^.*\//, '');
      const at = file ? `${file}:${frame.lineNumber + 1}:${frame.columnNumber + 1}` : '';
      const key = `${frame.functionName}@${at}`;
      const entry = self.get(key) ?? { name: frame.functionName || '(anonymous)', at, ms: 0, percent: 0 };
      entry.ms += us / 1000;
      self.set(key, entry);
    });
    const all = [...self.values()].map((f) => ({ ...f, ms: round(f.ms), percent: round((f.ms * 100_000) / totalUs) })).sort((a, b) => b.ms - a.ms);
    const share = (name: string): number => round(all.filter((f) => f.name === name).reduce((sum, f) => sum + f.percent, 0));
    const idle = share('(idle)');
    const program = share('(program)');
    const gc = share('(garbage collector)');
    return {
      seconds,
      top: all.filter((f) => !['(idle)', '(program)', '(garbage collector)'].includes(f.name)).slice(0, options.top ?? 15),
      idle,
      program,
      gc,
      js: round(100 - idle - program - gc),
    };
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}
