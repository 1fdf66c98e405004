/**
 * Question 1 — throughput against a floor, for every platform's realistic stream (its `bench`):
 *
 * - full path: wire frame → the connector's own screening, parse, validation and routing → the
 *   desk (store, alert policy) → the bridge's JSON message to a subscribed window; once with a
 *   message per frame (the worst case) and once coalesced 100 frames to a message (a busy socket
 *   read, as the hub does per event-loop turn);
 * - floor: `JSON.parse` of the frame plus the same schema validation, nothing else;
 * - what no desk can go below, beside it: the connector's parse path alone (`parseRatio`), and the
 *   `JSON.stringify` of the very messages the full path sent a window (`textRatio`), each over the
 *   floor — a path whose desk and hub cost nothing would still be `parseRatio + textRatio` × the floor;
 * - measured in the same run, alternating, `repeats` times each; the medians are reported.
 *
 * One thread: "events/s on one core". A frame is one vendor event.
 */
import { performance } from 'node:perf_hooks';
import type { Logger } from '../../main/log.js';
import { benchCore, median, round, turn, type BenchedPlatform } from './core.js';

export interface ThroughputRow {
  platform: string;
  frames: number;
  /** Desk events the frames made, per frame. */
  deskEventsPerFrame: number;
  /** Full path, a bridge message per frame: frames per second (median). */
  perFrameEventsPerSec: number;
  /** Full path, coalesced 100 frames per message. */
  coalescedEventsPerSec: number;
  /** JSON.parse + schema validation alone. */
  floorEventsPerSec: number;
  /** Full path's time over the floor's (message per frame, coalesced). */
  ratio: number;
  ratioCoalesced: number;
  /** The connector's parse path alone (screening, parse, validation, routing) over the floor. */
  parseRatio: number;
  /** Writing the message-per-frame run's bridge messages (`JSON.stringify` of the same objects) over the floor. */
  textRatio: number;
  bridgeBytesPerFrame: number;
  /** Every run's figures, for the record. */
  runs: { perFrame: number[]; coalesced: number[]; floor: number[]; parse: number[]; text: number[] };
}

function fullPath(platform: BenchedPlatform, frames: readonly unknown[], coalesce: number, log: Logger, keep?: string[]): { seconds: number; bytes: number; events: number } {
  const { core, streams } = benchCore([platform], log);
  let bytes = 0;
  const window = core.hub.open(keep ? (text) => void keep.push(text) : (text) => void (bytes += text.length));
  window.receive(JSON.stringify({ type: 'subscribe' }));
  bytes = 0;
  if (keep) keep.length = 0;
  const stream = streams[0]!;
  let events = 0;
  const started = performance.now();
  for (let i = 0; i < frames.length; i++) {
    events += stream.push(frames[i]);
    if ((i + 1) % coalesce === 0) core.hub.flush();
  }
  core.hub.flush();
  const seconds = (performance.now() - started) / 1000;
  window.close();
  void core.stop();
  return { seconds, bytes, events };
}

/** The floor's last result, kept where the optimiser cannot drop the work. */
export let floorSink: unknown;

function floorPath(platform: BenchedPlatform, frames: readonly unknown[]): number {
  const started = performance.now();
  for (const frame of frames) floorSink = platform.bench.floor(frame);
  return (performance.now() - started) / 1000;
}

function parsePath(platform: BenchedPlatform, frames: readonly unknown[], log: Logger): number {
  const path = platform.bench.parser(log);
  const started = performance.now();
  for (const frame of frames) floorSink = path(frame);
  return (performance.now() - started) / 1000;
}

/** Seconds to write `messages` (the bridge's messages, as objects) as JSON text. */
function textPath(messages: readonly unknown[]): number {
  const started = performance.now();
  for (const message of messages) floorSink = JSON.stringify(message);
  return (performance.now() - started) / 1000;
}

/** Measures every platform. */
export async function measureThroughput(list: readonly BenchedPlatform[], options: { frames: number; repeats: number; log: Logger }): Promise<ThroughputRow[]> {
  const rows: ThroughputRow[] = [];
  for (const platform of list) {
    const frames = platform.bench.frames(options.frames);
    // Warm the JIT on every path first.
    const warm = frames.slice(0, Math.min(5_000, frames.length));
    fullPath(platform, warm, 1, options.log);
    fullPath(platform, warm, 100, options.log);
    floorPath(platform, warm);
    parsePath(platform, warm, options.log);
    // The messages a window gets from the message-per-frame run, as objects (kept out of the timed runs).
    const sent: string[] = [];
    fullPath(platform, frames, 1, options.log, sent);
    const messages = sent.map((text) => JSON.parse(text) as unknown);
    sent.length = 0;
    textPath(messages.slice(0, 5_000));
    await turn();
    const runs = { perFrame: [] as number[], coalesced: [] as number[], floor: [] as number[], parse: [] as number[], text: [] as number[] };
    let bytes = 0;
    let events = 0;
    for (let r = 0; r < options.repeats; r++) {
      runs.floor.push(frames.length / floorPath(platform, frames));
      runs.parse.push(frames.length / parsePath(platform, frames, options.log));
      runs.text.push(frames.length / textPath(messages));
      const one = fullPath(platform, frames, 1, options.log);
      runs.perFrame.push(frames.length / one.seconds);
      bytes = one.bytes;
      events = one.events;
      await turn();
      runs.coalesced.push(frames.length / fullPath(platform, frames, 100, options.log).seconds);
      await turn();
    }
    const perFrame = median(runs.perFrame);
    const coalesced = median(runs.coalesced);
    const floor = median(runs.floor);
    const parse = median(runs.parse);
    const text = median(runs.text);
    rows.push({
      platform: platform.name,
      frames: frames.length,
      deskEventsPerFrame: round(events / frames.length, 2),
      perFrameEventsPerSec: Math.round(perFrame),
      coalescedEventsPerSec: Math.round(coalesced),
      floorEventsPerSec: Math.round(floor),
      ratio: round(floor / perFrame, 2),
      ratioCoalesced: round(floor / coalesced, 2),
      parseRatio: round(floor / parse, 2),
      textRatio: round(floor / text, 2),
      bridgeBytesPerFrame: Math.round(bytes / frames.length),
      runs: { perFrame: runs.perFrame.map(Math.round), coalesced: runs.coalesced.map(Math.round), floor: runs.floor.map(Math.round), parse: runs.parse.map(Math.round), text: runs.text.map(Math.round) },
    });
  }
  return rows;
}
