/// <reference lib="dom" />
/**
 * Where the latency tail lives (issue 21): the window traced in Chromium over a whole rate, each
 * marker split into its way to the window (sent → the WebSocket message that carried it arrived in
 * the page) and the window's own part (arrival → its row in the DOM), and for each slow marker
 * (over one frame, 16.7 ms) the window's main-thread tasks that ran between its arrival and its
 * row: what each task was (self time by trace event name, the JS functions it called), so that a
 * periodic task, GC, a timer or a wait for the animation frame shows by name.
 *
 * Used by `latency.ts` and `supervisor.ts` with their `tail` option; run it with
 * `npx tsx test/bench/tail-run.ts agent|supervisor <rate> <markers>`.
 *
 * Clocks: the page's stamps are `performance.timeOrigin + performance.now()` (epoch ms, as the
 * bench's sends); a `performance.mark` made once tracing runs gives the trace's clock (µs) the
 * same instant, so every trace event is placed on the epoch clock [I: Chromium's user-timing
 * trace events carry the mark's monotonic time].
 */
import { performance } from 'node:perf_hooks';
import type { Browser, CDPSession, Page } from 'playwright-core';
import WebSocket from 'ws';
import { percentile, round } from './core.js';

/** How a change message begins on the wire (`main/bridge.ts` `encodePatch`; a full state too): the taps count only these. */
const CHANGE_PREFIX = '{"type":"change"';

/**
 * Notes, in this process, when a WebSocket text frame matching `pattern` is handed to a socket (the
 * web host's send of a change to the window): [epoch ms, the matches]. `restore` undoes the tap.
 */
export function tapSocketSends(pattern: () => RegExp | undefined): { sends: Array<[number, string[]]>; restore(): void } {
  const proto = WebSocket.prototype as unknown as { send: (data: unknown, ...rest: unknown[]) => void };
  const original = proto.send;
  const sends: Array<[number, string[]]> = [];
  proto.send = function (this: unknown, data: unknown, ...rest: unknown[]) {
    const re = pattern();
    // Only the desk's changes: a marker's toast goes out first, on its own (`broadcast`), and is no row.
    if (re && typeof data === 'string' && data.startsWith(CHANGE_PREFIX)) {
      const found = data.match(re);
      if (found) sends.push([performance.timeOrigin + performance.now(), [...found]]);
    }
    return original.call(this, data, ...rest);
  };
  return { sends, restore: () => void (proto.send = original) };
}

/** The init script that records, per WebSocket message, when it arrived and what of `pattern` it carried. */
export function wireTapScript(pattern: string): string {
  return `(() => {
    const Native = window.WebSocket;
    const wire = [];
    window.__wire = wire;
    window.__wirePattern = ${JSON.stringify(pattern)};
    class Tapped extends Native {
      constructor(...args) {
        super(...args);
        this.addEventListener('message', (event) => {
          if (typeof event.data !== 'string' || !window.__wirePattern || !event.data.startsWith(${JSON.stringify(CHANGE_PREFIX)})) return;
          const at = performance.timeOrigin + performance.now();
          const re = new RegExp(window.__wirePattern, 'g');
          const found = [];
          for (let m; (m = re.exec(event.data)); ) found.push(m[0]);
          if (found.length) wire.push([at, found, event.data.length]);
        });
      }
    }
    window.WebSocket = Tapped;
  })();`;
}

/** One marker as the bench saw it: when it was sent, when its message reached the page, when its row changed. */
export interface TailSample {
  key: string;
  sent: number;
  /** When the core handed its message to the socket. */
  socket?: number;
  wire?: number;
  seen: number;
}

interface TraceEvent {
  name: string;
  cat?: string;
  ph: string;
  ts: number;
  dur?: number;
  /** The event's thread (CPU) time, µs. */
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { functionName?: string; url?: string; lineNumber?: number; type?: string; timerId?: number; stackTrace?: unknown } };
}

/** A main-thread task that ran while a slow marker was on its way through the window. */
export interface TailTask {
  /** Epoch ms relative to the marker's arrival in the page. */
  startMs: number;
  durMs: number;
  /** The largest self times in it, by trace event name (and JS function). */
  top: string;
}

export interface TailReport {
  samples: number;
  /** Of the samples, how many were found in the core's socket sends and in the page's messages. */
  found: { socket: number; page: number };
  /** p50 / p99 / max of the whole, of sent → arrival, and of arrival → row, ms. */
  total: [number, number, number];
  toWire: [number, number, number];
  /** Of `toWire`: sent → the core's socket send, and that send → the page's message event. */
  toSocket: [number, number, number];
  socketToPage: [number, number, number];
  inWindow: [number, number, number];
  slow: number;
  /** For the slow markers, the share whose larger part was before arrival (the core and the socket). */
  slowMostlyBeforeWindow: number;
  /** Over the slow markers' spans from the socket send to the row: self ms by what ran (trace event name or JS function), most first. */
  slowBlame: Array<{ what: string; ms: number }>;
  /** Over the same spans, JS CPU profile samples: self ms by function, and by the stack's three innermost named frames. */
  slowJs: Array<{ what: string; ms: number }>;
  slowStacks: Array<{ what: string; ms: number }>;
  /** Over the whole rate, JS CPU profile samples: self ms by function, and by the three innermost named frames. */
  allJs: Array<{ what: string; ms: number }>;
  allStacks: Array<{ what: string; ms: number }>;
  /**
   * Over the whole rate: the main thread's CPU time (trace events' thread time, self), ms per
   * second, by event name: steadier than wall-clock figures on a shared machine.
   */
  cpuMsPerSec: Array<{ what: string; ms: number }>;
  /** Over the whole trace: main-thread tasks over 16.7 ms, by what took most of each. */
  longTasks: Array<{ what: string; count: number; ms: number }>;
  /** The ten slowest markers, each with its split and the tasks in its window span. */
  worst: Array<{ key: string; totalMs: number; toSocketMs?: number; socketToPageMs?: number; inWindowMs?: number; tasks: TailTask[] }>;
}

/** Starts tracing the page's renderer; the returned function stops and gives the events on the epoch clock. */
export async function startTailTrace(browser: Browser, page: Page): Promise<() => Promise<TailTrace>> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  await browser.startTracing(page, {
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'blink.user_timing', 'toplevel', 'disabled-by-default-v8.gc'],
  });
  const markAt = await page.evaluate(() => {
    performance.mark('tail-sync');
    return performance.timeOrigin + performance.getEntriesByName('tail-sync').at(-1)!.startTime;
  });
  return async () => {
    const { traceEvents } = JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] };
    const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
    await cdp.detach().catch(() => undefined);
    // TAIL_SAVE=<prefix>: the raw JS profile (DevTools opens <prefix>.cpuprofile) and the trace (<prefix>.trace.json).
    const save = process.env.TAIL_SAVE;
    if (save) {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(`${save}.cpuprofile`, JSON.stringify(profile));
      writeFileSync(`${save}.trace.json`, JSON.stringify({ traceEvents }));
    }
    const sync = traceEvents.find((e) => e.name === 'tail-sync');
    if (!sync) throw new Error('the trace holds no tail-sync mark');
    const main = traceEvents.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
    if (!main) throw new Error('the trace has no renderer main thread');
    const events = traceEvents.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && (e.dur ?? 0) > 0).sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
    return { events, offsetMs: markAt - sync.ts / 1000, profile };
  };
}

interface CpuProfile {
  nodes: Array<{ id: number; parent?: number; children?: number[]; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  /** µs on the trace's clock. */
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** A trace of the window's main thread and a JS CPU profile beside it; `offsetMs` puts the trace's µs on the epoch clock. */
export interface TailTrace {
  events: TraceEvent[];
  offsetMs: number;
  profile: CpuProfile;
}

/** The profile's samples as [epoch ms, self frame, the three innermost named frames]. */
function samplesOf(profile: CpuProfile, offsetMs: number): Array<[number, number, string, string]> {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const name = (id: number): string => {
    const f = byId.get(id)!.callFrame;
    return `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\//, '')}:${f.lineNumber + 1}`;
  };
  const stackOf = (id: number): string => {
    const names: string[] = [];
    for (let at: number | undefined = id; at !== undefined && names.length < 3; at = parent.get(at)) {
      const f = byId.get(at)!.callFrame;
      if (f.functionName && !f.functionName.startsWith('(')) names.push(name(at));
    }
    return names.join(' < ');
  };
  const out: Array<[number, number, string, string]> = [];
  let t = profile.startTime;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i] ?? 0;
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    out.push([t / 1000 + offsetMs, dt, name(id), stackOf(id)]);
  });
  return out;
}

/** What a trace event says it was: its name, and for JS its function and script. */
function what(e: TraceEvent): string {
  const d = e.args?.data;
  if (e.name === 'FunctionCall' && d) return `js ${d.functionName || '(anonymous)'} ${(d.url ?? '').replace(/^.*\//, '')}:${(d.lineNumber ?? 0) + 1}`;
  if (e.name === 'EventDispatch' && d?.type) return `EventDispatch ${d.type}`;
  return e.name;
}

interface Node {
  e: TraceEvent;
  start: number;
  end: number;
  self: number;
  children: Node[];
}

/** The main thread's events as a forest of top-level tasks, each node with its self time (ms, epoch clock). */
function forest(events: TraceEvent[], offsetMs: number): Node[] {
  const roots: Node[] = [];
  const stack: Node[] = [];
  for (const e of events) {
    const start = e.ts / 1000 + offsetMs;
    const node: Node = { e, start, end: start + e.dur! / 1000, self: e.dur! / 1000, children: [] };
    while (stack.length && stack.at(-1)!.end <= start) stack.pop();
    const parent = stack.at(-1);
    if (parent) {
      parent.self -= node.end - node.start;
      parent.children.push(node);
    } else roots.push(node);
    stack.push(node);
  }
  return roots;
}

/** Self ms by what, within [from, to] (a node's self time prorated by its overlap; JS self time is named by the nearest function). */
function blame(roots: Node[], from: number, to: number, into: Map<string, number>): void {
  const visit = (n: Node, fn: string | undefined): void => {
    if (n.end <= from || n.start >= to) return;
    const name = what(n.e);
    const here = n.e.name === 'FunctionCall' ? name : fn && /^(v8|V8|RunMicrotasks|FunctionCall)/.test(n.e.name) ? fn : name;
    const overlap = (Math.min(n.end, to) - Math.max(n.start, from)) / (n.end - n.start || 1);
    into.set(here, (into.get(here) ?? 0) + Math.max(0, n.self) * overlap);
    for (const c of n.children) visit(c, n.e.name === 'FunctionCall' ? name : fn);
  };
  for (const r of roots) visit(r, undefined);
}

function topOf(map: Map<string, number>, n: number): string {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([w, ms]) => `${w} ${round(ms)}`)
    .join(' · ');
}

const spread = (xs: number[]): [number, number, number] => {
  const s = [...xs].sort((a, b) => a - b);
  return [round(percentile(s, 50)), round(percentile(s, 99)), round(s.at(-1) ?? Number.NaN)];
};

/** Attributes each slow marker (over `slowMs`) to what the window's main thread did meanwhile. */
export function attributeTail(trace: TailTrace, samples: readonly TailSample[], slowMs = 16.7): TailReport {
  const roots = forest(trace.events, trace.offsetMs);
  const traced = samples.filter((s) => s.sent >= (roots[0]?.start ?? 0));
  const slow = traced.filter((s) => s.seen - s.sent > slowMs);
  const slowBlame = new Map<string, number>();
  const tasksIn = (from: number, to: number): TailTask[] =>
    roots
      .filter((r) => r.end > from && r.start < to && r.end - r.start >= 0.5)
      .map((r) => {
        const m = new Map<string, number>();
        blame([r], r.start, r.end, m);
        return { startMs: round(r.start - from), durMs: round(r.end - r.start), top: topOf(m, 4) };
      });
  for (const s of slow) blame(roots, s.socket ?? s.wire ?? s.sent, s.seen, slowBlame);
  const js = samplesOf(trace.profile, trace.offsetMs);
  const slowJs = new Map<string, number>();
  const slowStacks = new Map<string, number>();
  for (const s of slow) {
    const from = s.socket ?? s.wire ?? s.sent;
    for (const [at, dt, self, stack] of js) {
      if (at < from || at > s.seen) continue;
      slowJs.set(self, (slowJs.get(self) ?? 0) + dt);
      if (stack) slowStacks.set(stack, (slowStacks.get(stack) ?? 0) + dt);
    }
  }
  const allJs = new Map<string, number>();
  const allStacks = new Map<string, number>();
  for (const [, dt, self, stack] of js) {
    allJs.set(self, (allJs.get(self) ?? 0) + dt);
    if (stack) allStacks.set(stack, (allStacks.get(stack) ?? 0) + dt);
  }
  const ranked = (m: Map<string, number>): Array<{ what: string; ms: number }> => [...m].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([w, ms]) => ({ what: w, ms: round(ms) }));
  const longTasks = new Map<string, { count: number; ms: number }>();
  for (const r of roots) {
    if (r.end - r.start < slowMs) continue;
    const m = new Map<string, number>();
    blame([r], r.start, r.end, m);
    const top = [...m].sort((a, b) => b[1] - a[1])[0]?.[0] ?? r.e.name;
    const entry = longTasks.get(top) ?? { count: 0, ms: 0 };
    entry.count += 1;
    entry.ms += r.end - r.start;
    longTasks.set(top, entry);
  }
  const withWire = traced.filter((s) => s.wire !== undefined);
  const cpu = new Map<string, number>();
  const cpuSelf = (n: Node): number => {
    let children = 0;
    for (const c of n.children) children += cpuSelf(c);
    const own = (n.e.tdur ?? 0) / 1000;
    const name = n.e.name === 'FunctionCall' ? 'FunctionCall' : n.e.name;
    cpu.set(name, (cpu.get(name) ?? 0) + Math.max(0, own - children));
    return own;
  };
  for (const r of roots) cpuSelf(r);
  const tracedSeconds = roots.length ? (roots.at(-1)!.end - roots[0]!.start) / 1000 : 1;
  cpu.set('(all)', [...cpu.values()].reduce((a, b) => a + b, 0));
  return {
    samples: traced.length,
    found: { socket: traced.filter((s) => s.socket !== undefined).length, page: withWire.length },
    total: spread(traced.map((s) => s.seen - s.sent)),
    toWire: spread(withWire.map((s) => s.wire! - s.sent)),
    toSocket: spread(traced.filter((s) => s.socket !== undefined).map((s) => s.socket! - s.sent)),
    socketToPage: spread(withWire.filter((s) => s.socket !== undefined).map((s) => s.wire! - s.socket!)),
    inWindow: spread(withWire.map((s) => s.seen - s.wire!)),
    slow: slow.length,
    slowMostlyBeforeWindow: slow.filter((s) => s.wire !== undefined && s.wire - s.sent > s.seen - s.wire).length,
    slowBlame: ranked(slowBlame),
    slowJs: ranked(slowJs),
    slowStacks: ranked(slowStacks),
    allJs: ranked(allJs),
    allStacks: ranked(allStacks),
    cpuMsPerSec: [...cpu].sort((a, b) => b[1] - a[1]).slice(0, 14).map(([w, ms]) => ({ what: w, ms: round(ms / tracedSeconds) })),
    longTasks: [...longTasks].sort((a, b) => b[1].ms - a[1].ms).map(([w, v]) => ({ what: w, count: v.count, ms: round(v.ms) })),
    worst: [...slow]
      .sort((a, b) => b.seen - b.sent - (a.seen - a.sent))
      .slice(0, 10)
      .map((s) => ({
        key: s.key,
        totalMs: round(s.seen - s.sent),
        ...(s.socket !== undefined ? { toSocketMs: round(s.socket - s.sent) } : {}),
        ...(s.wire !== undefined && s.socket !== undefined ? { socketToPageMs: round(s.wire - s.socket) } : {}),
        ...(s.wire !== undefined ? { inWindowMs: round(s.seen - s.wire) } : {}),
        tasks: tasksIn(s.socket ?? s.wire ?? s.sent, s.seen),
      })),
  };
}
