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
