/**
 * Question 9 — the automation API's event stream (issue 20): how many desk changes a second reach
 * every open SSE stream (events/s, with 1 and 10 streams), and how long one change takes from the
 * desk to an app's socket (p50/p99 ms, one event at a time). The real `Automation` over loopback
 * HTTP, apps paired as the agent would pair them; the changes are presence changes of one account
 * (each one `presence.changed` event). Changes are handed over in batches that stay under a
 * stream's send buffer ({@link MAX_BUFFERED_BYTES}), as a busy desk would, never all at once.
 */
import { request, type ClientRequest } from 'node:http';
import { parseConfig } from '../../main/config.js';
import { Desk, memoryPreferences } from '../../main/desk/desk.js';
import type { Logger } from '../../main/log.js';
import { Automation } from '../../main/api/index.js';
import { EVENT_LOG_CAPACITY } from '../../main/api/events.js';
import { MAX_BUFFERED_BYTES } from '../../main/api/streams.js';
import { apiRequest } from '../support/api-client.js';
import { Feed, round } from './core.js';

export interface ApiStreamRow {
  streams: number;
  events: number;
  eventsPerSec: number;
  /** CPU time per event (this process: the API and its readers), µs; steadier than events/s on a busy machine. */
  cpuMicrosPerEvent: number;
  /** Bytes one event takes on the wire, on average. */
  frameBytes: number;
}

export interface ApiResult {
  throughput: ApiStreamRow[];
  latency: { events: number; p50Ms: number; p99Ms: number; maxMs: number };
  replayBuffer: number;
}

/** An SSE reader that counts events and calls `onEvent` with each one's `seq`. */
function reader(port: number, token: string, onEvent: (seq: number, bytes: number) => void): Promise<ClientRequest> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/api/v1/events', headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`the stream answered ${res.statusCode}`));
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const seq = /"seq":(\d+)/.exec(frame);
          if (seq) onEvent(Number(seq[1]), frame.length + 2);
        }
      });
      resolve(req);
    });
    req.on('error', (error) => {
      if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(error);
    });
    req.end();
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Measures the stream. @param options `events` per throughput run, `latencyEvents` one at a time. */
export async function measureApi(options: { events: number; latencyEvents: number; log: Logger }): Promise<ApiResult> {
  const feed = new Feed();
  const desk = new Desk({
    accounts: [{ seed: { id: 'voice', vendor: 'bench', label: 'Voice', demo: false, presenceOptions: ['ready', 'not-ready'], canDial: true, callControl: true }, connector: feed }],
    log: options.log,
    preferences: memoryPreferences(),
  });
  const automation = new Automation({ desk, config: parseConfig({ automation: { enabled: true, port: 0 } }).automation, log: options.log, secret: () => '' });
  desk.start();
  await automation.listen();
  const port = automation.port;
  let flip = false;
  const change = (): void => {
    flip = !flip;
    feed.emit({ type: 'presence', presence: flip ? { state: 'not-ready', label: 'Busy' } : { state: 'ready', label: 'Available' } });
  };
  const pairApp = async (name: string): Promise<string> => {
    const asked = await apiRequest(port, '/api/v1/pairing', { body: { name, scopes: ['read'] } });
    while (!desk.state.automation?.requests.some((r) => r.id === asked.json.pairingId)) await new Promise((resolve) => setImmediate(resolve));
    automation.answerPairing(asked.json.pairingId, true);
    return (await apiRequest(port, `/api/v1/pairing/${asked.json.pairingId}`)).json.token as string;
  };
  const tokens: string[] = [];
  for (let i = 0; i < 3; i++) tokens.push(await pairApp(`Bench app ${i + 1}`));
  const throughput: ApiStreamRow[] = [];
  try {
    for (const streams of [1, 10]) {
      const first = automation.events.lastSeq + 1;
      const last = first + options.events - 1;
      let done = 0;
      let bytes = 0;
      let finished!: () => void;
      const all = new Promise<void>((resolve) => (finished = resolve));
      const readers: ClientRequest[] = [];
      for (let i = 0; i < streams; i++) {
        readers.push(
          await reader(port, tokens[i % tokens.length]!, (seq, size) => {
            bytes += size;
            if (seq === last && ++done === streams) finished();
          }),
        );
      }
      // A batch of changes at a time, small enough that no stream's send buffer overflows.
      const batch = Math.max(1, Math.floor(MAX_BUFFERED_BYTES / 4 / 400));
      const started = performance.now();
      const cpu = process.cpuUsage();
      for (let sent = 0; sent < options.events; sent += batch) {
        for (let i = 0; i < Math.min(batch, options.events - sent); i++) change();
        await new Promise((resolve) => setImmediate(resolve));
      }
      await all;
      const seconds = (performance.now() - started) / 1000;
      const used = process.cpuUsage(cpu);
      throughput.push({
        streams,
        events: options.events,
        eventsPerSec: Math.round(options.events / seconds),
        cpuMicrosPerEvent: round((used.user + used.system) / options.events, 1),
        frameBytes: Math.round(bytes / streams / options.events),
      });
      for (const r of readers) r.destroy();
    }

    const samples: number[] = [];
    let sentAt = 0;
    let waiting: ((value: void) => void) | undefined;
    const one = await reader(port, tokens[0]!, () => {
      samples.push(performance.now() - sentAt);
      waiting?.();
    });
    for (let i = 0; i < options.latencyEvents; i++) {
      const arrived = new Promise<void>((resolve) => (waiting = resolve));
      sentAt = performance.now();
      change();
      await arrived;
    }
    one.destroy();
    const sorted = [...samples].sort((a, b) => a - b);
    return {
      throughput,
      latency: { events: samples.length, p50Ms: round(percentile(sorted, 50), 2), p99Ms: round(percentile(sorted, 99), 2), maxMs: round(sorted.at(-1)!, 2) },
      replayBuffer: EVENT_LOG_CAPACITY,
    };
  } finally {
    await automation.close();
    await desk.stop();
  }
}
