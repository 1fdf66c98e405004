/**
 * The fleet kit: many agents on one simulator, for `npm run bench -- --fleet` (`PlatformBench.fleet`
 * in `platform.ts`).
 *
 * - {@link restartableFleet}: a simulator the fleet stops and starts again on the same port, its
 *   traffic counted across restarts, its scripted calls forgotten at a stop;
 * - {@link startMountedFleet}: for a platform whose simulator serves one agent over HTTP, one
 *   simulator per agent mounted on one shared loopback host: agent `i` lives under `/agents/<i>`,
 *   with its own world, credentials, sessions and tokens, and the host counts what the desks send
 *   and who logs in. One port, one server to restart; what differs from a real contact center's
 *   single URL is only the path prefix in each account's address.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startLoopbackHttpHost, type LoopbackHttpHost } from './simulator.js';
import type { FleetObserver, FleetRig } from './testing.js';

/** Where agent `desk`'s simulator is mounted: hand it to `startLoopbackHttp({ mount })`. */
export interface FleetMount {
  host: LoopbackHttpHost;
  prefix: string;
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

/** One start of a fleet's simulator: where it listens, what it has counted, how to end it. */
export interface FleetServer {
  readonly port: number;
  /** Requests and frames the desks sent this server so far. */
  traffic(): number;
  /** Cuts every connection and stops listening. */
  close(): Promise<void>;
}

/** A fleet's simulator across restarts: the lifecycle half of a {@link FleetRig}. */
export interface RestartableFleet<Server extends FleetServer> extends Pick<FleetRig, 'traffic' | 'stop' | 'start' | 'close'> {
  /** The server now (undefined while stopped). */
  readonly server: Server | undefined;
  /** The calls played on it, forgotten at each stop. */
  readonly timers: CallTimers;
}

/**
 * Starts a fleet's simulator with `start(0)`; each restart calls `start` with the port it had.
 * @throws what `start` throws (it cannot listen).
 */
export async function restartableFleet<Server extends FleetServer>(start: (port: number) => Promise<Server>): Promise<RestartableFleet<Server>> {
  const timers = new CallTimers();
  let server: Server | undefined = await start(0);
  const port = server.port;
  let counted = 0;
  let closed = false;
  const stop = async (): Promise<void> => {
    timers.clear();
    const running = server;
    server = undefined;
    if (!running) return;
    counted += running.traffic();
    await running.close();
  };
  return {
    get server() {
      return server;
    },
    timers,
    traffic: () => counted + (server?.traffic() ?? 0),
    stop,
    async start() {
      if (!closed && !server) server = await start(port);
    },
    async close() {
      closed = true;
      await stop();
    },
  };
}

/** A call a rig has started ringing at one desk's agent, as the rig ends it. */
export interface PlayedCall {
  /** Answers it at the agent's phone; none where only the agent can answer. */
  answer?(): void;
  /** Ends it from the far end. */
  hangUp(): void;
}

/**
 * The {@link FleetRig} of a restartable fleet: its lifecycle and traffic, the desks' `accounts`,
 * and `calls` (usually {@link serverPlacedCalls}); `start` replaces the fleet's own where a rig
 * counts its restarts.
 */
export function fleetRig<Server extends FleetServer>(
  fleet: RestartableFleet<Server>,
  rig: Pick<FleetRig, 'accounts' | 'calls'> & Partial<Pick<FleetRig, 'start' | 'tuning'>>,
): FleetRig {
  return { traffic: fleet.traffic, stop: fleet.stop, start: fleet.start, close: fleet.close, ...rig };
}

/**
 * Calls the server places: `ring(desk)` starts one ringing at desk `desk`'s agent (undefined while
 * the server is stopped); it is answered after a quarter of its length, at most 1 s (where the
 * server can answer), and ended by the far end after `durationMs`. Steps still pending at a
 * restart are forgotten with `timers` [I].
 */
export function serverPlacedCalls(timers: CallTimers, ring: (desk: number) => PlayedCall | undefined): FleetRig['calls'] {
  return {
    placedBy: 'server',
    play(desk, durationMs) {
      const call = ring(desk);
      if (!call) return;
      if (call.answer) timers.after(Math.min(1_000, durationMs / 4), call.answer);
      timers.after(durationMs, call.hangUp);
    },
  };
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

/** The mounted simulators of one start, by desk. */
export interface MountedServer<Sim> extends FleetServer {
  readonly sims: readonly Sim[];
}

/**
 * Starts `desks` simulators on one loopback host, restartable ({@link restartableFleet}); at a
 * restart the port opens only once every agent is mounted again.
 * @throws when the host cannot listen or a simulator cannot start.
 */
export function startMountedFleet<Sim extends { close(): Promise<void> }>(options: MountedFleetOptions<Sim>): Promise<RestartableFleet<MountedServer<Sim>>> {
  const { observer } = options;
  const deskOf = (prefix: string): number => Number(prefix.slice(prefix.lastIndexOf('/') + 1));
  return restartableFleet(async (port) => {
    let traffic = 0;
    let sims: Sim[] = [];
    const host = await startLoopbackHttpHost({
      port,
      observe: {
        request(prefix, req, res) {
          traffic += 1;
          res.once('finish', () => {
            if (options.isLogin(req, res)) observer.login(deskOf(prefix));
          });
        },
        upgrade(prefix, _req, socket) {
          traffic += 1;
          if (options.upgradeIsLogin) observer.login(deskOf(prefix));
          socket.on('data', () => (traffic += 1));
        },
      },
      prepare: async (mounted) => {
        sims = await Promise.all(Array.from({ length: options.desks }, (_, desk) => options.startAgent(desk, { host: mounted, prefix: `/agents/${desk}` })));
      },
    });
    return {
      port: host.port,
      sims,
      traffic: () => traffic,
      async close() {
        await host.close();
        await Promise.allSettled(sims.map((sim) => sim.close()));
      },
    };
  });
}
