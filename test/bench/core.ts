/**
 * What the bench's questions share: the real core fed by platform streams without a network
 * (each platform's `bench` parse path in front of a feed connector), percentiles, tables.
 */
import { assembleCore, type Core } from '../../main/app.js';
import { parseConfig } from '../../main/config.js';
import type { DeskAccount } from '../../main/desk/desk.js';
import type { ConnectorEvent } from '../../main/desk/events.js';
import type { Connector, ConnectorContext } from '../../main/desk/port.js';
import type { Logger } from '../../main/log.js';
import { testedPlatforms, type TestedPlatform } from '../support/platform-testing.js';

/** A connector the bench drives: connected at once, it emits what it is handed. */
export class Feed implements Connector {
  private context: ConnectorContext | undefined;
  start(context: ConnectorContext): void {
    this.context = context;
    context.emit({ type: 'connection', state: 'connected' });
  }
  emit(event: ConnectorEvent): void {
    this.context!.emit(event);
  }
  retry(): void {}
  resume(): void {}
  async stop(): Promise<void> {}
  async execute(): Promise<void> {}
}

/** A registered platform with its bench stream (its folder's `testing.ts`). */
export type BenchedPlatform = TestedPlatform;

/** Every registered platform with its bench stream, in the registry's order. */
export function benchedPlatforms(): Promise<BenchedPlatform[]> {
  return testedPlatforms();
}

/** One platform's stream into the core: its account's feed and its parse path. */
export interface Stream {
  platform: BenchedPlatform;
  accountId: string;
  feed: Feed;
  parse: (frame: unknown) => ConnectorEvent[];
  /** Parses one frame and hands its events to the desk; returns how many. */
  push(frame: unknown): number;
}

/**
 * The app's core (desk, bridge hub, alert policy) with one feed account per platform, each behind
 * its platform's own parse path. Extra accounts (markers) may be added.
 */
export function benchCore(list: readonly BenchedPlatform[], log: Logger, extra: readonly DeskAccount[] = []): { core: Core; streams: Stream[] } {
  const streams: Stream[] = list.map((platform) => {
    const feed = new Feed();
    const parse = platform.bench.parser(log);
    return {
      platform,
      accountId: `bench-${platform.id}`,
      feed,
      parse,
      push(frame) {
        const events = parse(frame);
        for (const event of events) feed.emit(event);
        return events.length;
      },
    };
  });
  const accounts: DeskAccount[] = [
    ...streams.map((s) => ({
      seed: {
        id: s.accountId,
        vendor: s.platform.id,
        label: s.platform.name,
        demo: false,
        presenceOptions: [...s.platform.capabilities.presence],
        canDial: s.platform.capabilities.dial,
        callControl: s.platform.capabilities.callControl,
      },
      connector: s.feed,
    })),
    ...extra,
  ];
  const core = assembleCore({ accounts, config: parseConfig({}), log });
  return { core, streams };
}

/** The value at percentile `p` (0–100) of sorted samples (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** The median of samples. */
export function median(values: readonly number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}

/** Rounds to `digits` decimals (for tables and JSON). */
export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Prints a titled table (`console.table`, without its index column). */
export function table(title: string, rows: ReadonlyArray<Record<string, unknown>>, note?: string): void {
  process.stdout.write(`\n${title}\n`);
  if (rows.length === 0) process.stdout.write('  (no rows)\n');
  else console.table(rows.map((row) => ({ ...row })));
  if (note) process.stdout.write(`${note}\n`);
}

/** Waits a turn of the event loop (lets the hub flush, as production does between socket reads). */
export function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
