/**
 * The fleet kit: many agents on one simulator, for `npm run bench -- --fleet` (`PlatformBench.fleet`
 * in `platform.ts`). A platform whose simulator serves one agent over HTTP mounts one simulator per
 * agent on one shared loopback host ({@link startMountedFleet}): agent `i` lives under
 * `/agents/<i>`, with its own world, credentials, sessions and tokens, and the host counts what the
 * desks send and who logs in. One port, one server to restart; what differs from a real contact
 * center's single URL is only the path prefix in each account's address.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startLoopbackHttpHost, type LoopbackHttpHost } from './simulator.js';
import type { FleetObserver } from './platform.js';

/** Where agent `desk`'s simulator is mounted: hand it to `startLoopbackHttp({ mount })`. */
export interface FleetMount {
  host: LoopbackHttpHost;
  prefix: string;
}

/** Options of {@link startMountedFleet}. */
export interface MountedFleetOptions<Sim> {
  desks: number;
  observer: FleetObserver;
  /**
   * Whether a request (its URL without the prefix) was a login: an authentication the server took.
   * Asked once its answer is sent (a request cut off by a stop is not counted).
   */
  isLogin(req: IncomingMessage, res: ServerResponse): boolean;
  /** Whether every WebSocket upgrade is a login too (a protocol that signs in on each connection). */
  upgradeIsLogin?: boolean;
  /** Starts agent `desk`'s simulator on `mount`, the same agent (credentials, ids) each time it is called. */
  startAgent(desk: number, mount: FleetMount): Promise<Sim>;
}

/** A running mounted fleet. */
export interface MountedFleet<Sim> {
  /** The simulators now, by desk (new ones after each {@link start}). */
  readonly sims: readonly Sim[];
  /** HTTP requests, upgrades and reads on upgraded sockets (WebSocket frames) so far, across restarts. */
  traffic(): number;
  /** Cuts every connection, closes the port and every agent's simulator. */
  stop(): Promise<void>;
  /** Starts every agent's simulator afresh, then listens again on the same port (resolves as it does). */
  start(): Promise<void>;
}

/**
 * Starts `desks` simulators on one loopback host.
 * @throws when the host cannot listen or a simulator cannot start.
 */
export async function startMountedFleet<Sim extends { close(): Promise<void> }>(options: MountedFleetOptions<Sim>): Promise<MountedFleet<Sim>> {
  const { observer } = options;
  let host: LoopbackHttpHost | undefined;
  let port = 0;
  let sims: Sim[] = [];
  let traffic = 0;
  const deskOf = (prefix: string): number => Number(prefix.slice(prefix.lastIndexOf('/') + 1));

  async function start(): Promise<void> {
    host = await startLoopbackHttpHost({
      port,
      observe: {
        request(prefix, req, res) {
          traffic += 1;
          res.once('finish', () => {
            if (options.isLogin(req, res)) observer.login(deskOf(prefix));
          });
        },
        upgrade(prefix, req, socket) {
          traffic += 1;
          if (options.upgradeIsLogin) observer.login(deskOf(prefix));
          socket.on('data', () => (traffic += 1));
        },
      },
      // On a restart the port opens only once every agent is mounted again.
      prepare: async (mounted) => {
        sims = await Promise.all(Array.from({ length: options.desks }, (_, desk) => options.startAgent(desk, { host: mounted, prefix: `/agents/${desk}` })));
      },
    });
    port = host.port;
  }

  async function stop(): Promise<void> {
    const closing = host;
    host = undefined;
    await closing?.close();
    await Promise.allSettled(sims.map((sim) => sim.close()));
  }

  await start();
  return {
    get sims() {
      return sims;
    },
    traffic: () => traffic,
    stop,
    start,
  };
}

/**
 * Plays calls on a timer and forgets them all at once (a restart, the end): each step runs after
 * its delay unless {@link CallTimers.clear} ran first; a step that throws (the call is gone) is skipped.
 */
export class CallTimers {
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();

  /** Runs `step` after `ms`. */
  after(ms: number, step: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      try {
        step();
      } catch {
        // the call ended otherwise (a restart forgot it)
      }
    }, ms);
    this.timers.add(timer);
  }

  /** Cancels every pending step. */
  clear(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
