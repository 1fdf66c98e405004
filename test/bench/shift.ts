/**
 * Question 3 — a shift in minutes. Run in a child process of its own with `--expose-gc` (the parent,
 * `run.ts`, starts it): 1 000 000 frames of every platform's stream in turn through the core (each
 * platform's parse path, the desk, the alert policy, the bridge to a subscribed window), a
 * thousand frames per event-loop turn so the hub coalesces as it does under load. Heap used after
 * a full GC at the start, every 100 000 frames and at the end, with the sizes of the state's
 * collections. Prints one JSON line per sample and a last `done` line.
 */
import { performance } from 'node:perf_hooks';
import { createLogger } from '../../main/log.js';
import { benchCore, benchedPlatforms, turn } from './core.js';

export interface ShiftSample {
  frames: number;
  seconds: number;
  heapUsedMB: number;
  externalMB: number;
  rssMB: number;
  calls: number;
  recentCalls: number;
  chats: number;
  endedChats: number;
  chatLines: number;
  callbacks: number;
  queues: number;
  team: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

async function main(): Promise<void> {
  if (!gc) throw new Error('run with node --expose-gc');
  const total = Number(process.env.SHIFT_FRAMES ?? 1_000_000);
  const every = Number(process.env.SHIFT_SAMPLE_EVERY ?? 100_000);
  const chunk = 1_000;
  const list = await benchedPlatforms();
  const { core, streams } = benchCore(list, createLogger('silent'));
  let bytes = 0;
  // A window that takes every change at once: it acknowledges each, so the hub sends one per turn.
  const window = core.hub.open((text) => {
    bytes += text.length;
    const seq = /^\{"type":"change","change":\{"seq":(\d+)/.exec(text)?.[1];
    if (seq) queueMicrotask(() => window.receive(`{"type":"ack","seq":${seq}}`));
  });
  window.receive(JSON.stringify({ type: 'subscribe' }));
  let chatLinesDriven = 0;
  const unsubscribe = core.desk.subscribe(() => undefined);
  const started = performance.now();

  const sample = async (frames: number): Promise<ShiftSample> => {
    await turn();
    gc();
    gc();
    const memory = process.memoryUsage();
    const state = core.desk.state;
    const chats = [...Object.values(state.chats), ...Object.values(state.endedChats)];
    return {
      frames,
      seconds: Math.round((performance.now() - started) / 100) / 10,
      heapUsedMB: Math.round((memory.heapUsed / 1048576) * 10) / 10,
      externalMB: Math.round((memory.external / 1048576) * 10) / 10,
      rssMB: Math.round((memory.rss / 1048576) * 10) / 10,
      calls: Object.keys(state.calls).length,
      recentCalls: state.recentCalls.length,
      chats: chats.length,
      endedChats: Object.keys(state.endedChats).length,
      chatLines: chats.reduce((n, c) => n + c.messages.length, 0),
      callbacks: Object.keys(state.callbacks).length,
      queues: Object.keys(state.queues).length,
      team: Object.keys(state.team).length,
    };
  };

  const emit = (line: object): void => void process.stdout.write(`${JSON.stringify(line)}\n`);
  emit({ type: 'sample', ...(await sample(0)) });
  const next = streams.map(() => 0);
  for (let done = 0; done < total; ) {
    const n = Math.min(chunk, total - done);
    for (let k = 0; k < n; k++) {
      // Round robin over the platforms; each platform's stream goes on where it was.
      const s = (done + k) % streams.length;
      const stream = streams[s]!;
      const [frame] = stream.platform.bench.frames(1, next[s]!++);
      for (const event of stream.parse(frame)) {
        if (event.type === 'chat.messages') chatLinesDriven += event.messages.length;
        stream.feed.emit(event);
      }
    }
    done += n;
    await turn(); // the hub flushes: one coalesced message for the chunk
    if (done % every === 0 || done === total) emit({ type: 'sample', ...(await sample(done)) });
  }
  unsubscribe();
  emit({ type: 'done', frames: total, chatLinesDriven, bridgeBytes: bytes, seconds: Math.round((performance.now() - started) / 100) / 10, platforms: list.map((p) => p.name) });
  await core.stop();
}

main().catch((error: unknown) => {
  process.stderr.write(`shift failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
