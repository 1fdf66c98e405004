/**
 * A protocol-faithful Enreach Voice simulator on loopback: the REST API the connector uses and a
 * real ASP.NET-Core-style SignalR hub (RTE), so the real `@microsoft/signalr` client connects to it
 * exactly as to Enreach. It is the engine of the demo, the integration tests, the conformance rig
 * and the benchmarks.
 *
 * One concern per file:
 * - `world.ts`: the simulated contact centre (user, queues, call lists, calls, callbacks, …);
 * - `script.ts`: what happens in it, each change publishing the document's events;
 * - `payloads.ts`: those events and REST items in the document's shapes, and how they go on the wire;
 * - `methods.ts`: the RTE hub methods (Subscribe …) and who receives which event;
 * - `hub.ts`: the SignalR protocol (negotiate, handshake, records, pings, close) and the endings;
 * - `auth.ts`: SecretKeys, the password and RTE tokens;
 * - `rest.ts`: the REST routes.
 * The HTTP plumbing is the kit's (`kit/simulator.ts`).
 */
import type { Logger } from '../../../log.js';
import type { FleetMount } from '../../kit/fleet.js';
import { startLoopbackHttp, type HttpExchange, type LoopbackHttp, type SimRequest } from '../../kit/simulator.js';
import { createAuth } from './auth.js';
import { createSignalrHub, refuseUpgrade, type SignalrHub } from './hub.js';
import { createRteMethods } from './methods.js';
import { malformedMessage, oversizedMessage, type WireForm } from './payloads.js';
import { createRestRoutes, type SimUrls } from './rest.js';
import { createScript, type SimScript } from './script.js';
import { createWorld, type SimCallList, type SimQueue } from './world.js';

export type { SimRequest } from '../../kit/simulator.js';
export type { SimCallList, SimQueue, SimQueueFigures } from './world.js';

/** The default size of {@link EnreachSimulator.sendOversizedFrame}'s frame: 2 MiB. */
export const OVERSIZED_FRAME_BYTES = 2 * 1024 * 1024;

/** Options of {@link startEnreachSimulator}; every one has a default. */
export interface EnreachSimulatorOptions {
  /** Listening port (default 0: any free port). Always on 127.0.0.1. */
  port?: number;
  /** Login email (default `agent@example.com`). */
  user?: string;
  /** API SecretKey (default a random one). */
  secretKey?: string;
  /** Password accepted by `authuser` (default a random one). */
  password?: string;
  /** The user's id (default a random GUID). */
  userId?: string;
  /** The user's queues (default: Sales and Support). Ids that are not GUIDs are refused at Subscribe. */
  queues?: SimQueue[];
  /** The user's call lists (default: one, "Callbacks"). */
  callLists?: SimCallList[];
  /** Key casing of event payloads on the wire: `camel` (the real hub, default) or `pascal` (the document). */
  casing?: 'camel' | 'pascal';
  /** Send `eventType` as a number where one is known (VENDOR-NOTES [C]). Default false. */
  numericEventType?: boolean;
  /** Name of the endpoint key in the token answer (default `WSSEndpoint`, as a public client reads). */
  tokenEndpointKey?: 'WssEndpoint' | 'WSSEndpoint';
  /** Event names Subscribe refuses with "Unauthorized". */
  forbiddenEvents?: string[];
  /** Event names the hub does not offer ("Invalid event name"). */
  hiddenEvents?: string[];
  /** Server ping interval, ms (default 10 000; the client times out after 30 s of silence). */
  pingIntervalMs?: number;
  /** Debug log of what the simulator does. */
  log?: Logger;
  /** Serve under a prefix of a shared loopback host (one agent of a fleet) instead of listening alone. */
  mount?: FleetMount;
}

/** The running simulator, scriptable. All methods that emit events return at once. */
export interface EnreachSimulator extends Omit<SimScript, 'stop'> {
  /** The REST base to configure as `apiUrl` (no trailing slash). */
  readonly apiUrl: string;
  /** The discovery URL to configure as `discoveryUrl`. */
  readonly discoveryUrl: string;
  /** The hub URL the token answer points at. */
  readonly hubUrl: string;
  readonly credentials: { user: string; secretKey: string; password: string };
  readonly userId: string;
  readonly organizationId: string;
  readonly queues: readonly SimQueue[];
  readonly callLists: readonly SimCallList[];
  /** Sends a MessageReceived with `data` verbatim to the sessions subscribed to `eventName` on `entityId`. */
  emitRaw(eventName: string, entityId: string, data: unknown): void;
  /**
   * Sends a broken frame to every connected session: `payload` (default) a MessageReceived whose
   * event fails validation; `envelope` a MessageReceived that is not `{subscription, data}`;
   * `record` a record that is not JSON; `message` a JSON record that is no hub message (an
   * invocation without a target).
   */
  sendMalformedFrame(kind?: 'payload' | 'envelope' | 'record' | 'message'): void;
  /**
   * Sends every connected session one valid-looking MessageReceived (a UserAlert) of about `bytes`
   * bytes (default {@link OVERSIZED_FRAME_BYTES}), whether it subscribed or not.
   */
  sendOversizedFrame(bytes?: number): void;
  /** Cuts every hub connection abruptly (socket destroyed, no close frame). */
  dropConnections(): void;
  /** Closes every hub connection with a WebSocket close frame, code 1000. */
  closeConnections(): void;
  /** Ends every hub session with the SignalR Close message `{"type":7}` (no `allowReconnect`), then closes. */
  endSessions(): void;
  /** The hub forgets every connection: their connection ids and access tokens are refused from now on; sockets close (1008). */
  forgetSessions(): void;
  /** Resets every hub connection's TCP socket (RST). */
  resetConnections(): void;
  /** Every open hub connection falls silent (no pings, no messages; the client's frames ignored) until {@link restore}. */
  silence(): void;
  /**
   * The service is unavailable (a restart behind the load balancer, an overload) until
   * {@link restore}: every hub connection is closed (1012, Service Restart) and REST, negotiate and
   * upgrades answer 503 with `Retry-After: retryAfterS` (seconds, default 1).
   */
  unavailable(retryAfterS?: number): void;
  /**
   * The real-time hub alone is overloaded until {@link restore}: its connections close (1013, Try
   * Again Later) and negotiate and upgrades answer 503 with `Retry-After: retryAfterS`; REST answers.
   */
  hubUnavailable(retryAfterS: number): void;
  /**
   * From now on every hub session is ended by the server (a close frame, 1013 Try Again Later) as
   * soon as its `Subscribe` was answered, until {@link restore}.
   */
  endNewSessions(): void;
  /** The server hangs until {@link restore}: HTTP requests and upgrades are never answered, open connections fall silent. */
  hang(): void;
  /** The user's credentials are revoked: SecretKeys, the password and every token are refused, and the hub forgets its connections. */
  revokeCredentials(): void;
  /** Ends a silence, an unavailability, a hang and {@link endNewSessions}. */
  restore(): void;
  /** While on, every token is refused at connect time (negotiate and upgrade answer 401). */
  rejectTokens(on: boolean): void;
  /** Every token issued so far stops being accepted at connect time (live connections stay). */
  expireTokens(): void;
  /** Accepts `key` as a SecretKey too, from now on. */
  acceptSecretKey(key: string): void;
  /** How many RTE tokens `token/{userId}/rte/` has issued. */
  readonly tokensIssued: number;
  /** Subscribe invocations the hub has answered. */
  readonly subscribeCalls: number;
  /** Hub sessions the client ended cleanly (its SignalR Close message, from `HubConnection.stop()`). */
  readonly cleanStops: number;
  /** Open hub connections. */
  readonly connections: number;
  /** Active subscriptions per open hub connection. */
  subscriptions(): Array<{ connectionId: string; items: Array<{ entityId: string; eventName: string }> }>;
  /** Every HTTP request so far (negotiate and upgrades included), oldest first. */
  readonly requests: readonly SimRequest[];
  /** Stops timers, closes every connection and the server. */
  close(): Promise<void>;
}

/** The server-wide faults the scripting API turns on and the server obeys. */
interface Faults {
  /** Every request answers 503 with this Retry-After. */
  unavailable: string | undefined;
  /** The hub alone answers 503 with this Retry-After. */
  hubBusy: string | undefined;
  /** Every new hub session ends (1013) right after its Subscribe. */
  endNewSessions: boolean;
}

/**
 * Starts the simulator on 127.0.0.1.
 * @throws when it cannot listen.
 */
export async function startEnreachSimulator(options: EnreachSimulatorOptions = {}): Promise<EnreachSimulator> {
  const log = options.log;
  const world = createWorld(options);
  const auth = createAuth(world.user, options.secretKey, options.password);
  const form: WireForm = { casing: options.casing ?? 'camel', numericEventType: options.numericEventType ?? false };
  const faults: Faults = { unavailable: undefined, hubBusy: undefined, endNewSessions: false };
  let urls: SimUrls = { origin: '', apiUrl: '', hubUrl: '' };

  const methods = createRteMethods({ world, hub: () => hub, form, forbiddenEvents: options.forbiddenEvents, hiddenEvents: options.hiddenEvents });
  const hub: SignalrHub = createSignalrHub({
    path: '/rte',
    accepts: (token) => auth.tokenAccepted(token),
    invoke(client, target, args) {
      const result = methods.invoke(client, target, args);
      if (faults.endNewSessions && target === 'Subscribe') setTimeout(() => hub.closeAll(1013, 'Try Again Later'), 10);
      return result;
    },
    closed: (client) => methods.closed(client),
    pingIntervalMs: options.pingIntervalMs ?? 10_000,
    log,
    record: (request) => http.record(request),
  });
  const script: SimScript = createScript(world, methods);
  const rest = createRestRoutes({ world, auth, script, urls: () => urls, tokenEndpointKey: options.tokenEndpointKey ?? 'WSSEndpoint' });

  const http = await startLoopbackHttp({
    port: options.port,
    mount: options.mount,
    log,
    async handle(exchange: HttpExchange) {
      if (faults.unavailable !== undefined) return exchange.json(503, { Message: 'Service Unavailable' }, { 'Retry-After': faults.unavailable });
      if (faults.hubBusy !== undefined && exchange.url.pathname.startsWith('/rte')) return exchange.json(503, { Message: 'Service Unavailable' }, { 'Retry-After': faults.hubBusy });
      if (hub.negotiate(exchange)) return;
      await rest(exchange);
    },
    upgrade(req, socket, head) {
      if (faults.unavailable === undefined && faults.hubBusy === undefined) return hub.upgrade(req, socket, head);
      http.record({ method: 'GET', path: req.url ?? '/', status: 503 });
      refuseUpgrade(socket, 503, 'Service Unavailable');
    },
  });
  urls = { origin: http.origin, apiUrl: `${http.origin}/api`, hubUrl: `${http.origin}/rte` };
  return simulatorApi({ world, auth, form, faults, urls, methods, hub, script, http });
}

/** The parts of a running simulator its scripting API drives. */
interface SimParts {
  world: ReturnType<typeof createWorld>;
  auth: ReturnType<typeof createAuth>;
  form: WireForm;
  faults: Faults;
  urls: SimUrls;
  methods: ReturnType<typeof createRteMethods>;
  hub: SignalrHub;
  script: SimScript;
  http: LoopbackHttp;
}

/** The scripting and inspection API ({@link EnreachSimulator}) over the running parts. */
function simulatorApi({ world, auth, form, faults, urls, methods, hub, script, http }: SimParts): EnreachSimulator {
  return {
    apiUrl: urls.apiUrl,
    discoveryUrl: `${http.origin}/discover/api/user`,
    hubUrl: urls.hubUrl,
    credentials: { user: world.user, secretKey: auth.secretKey, password: auth.password },
    userId: world.userId,
    organizationId: world.organizationId,
    queues: world.queues,
    callLists: world.callLists,
    ringCall: script.ringCall,
    dialCall: script.dialCall,
    answerCall: script.answerCall,
    holdCall: script.holdCall,
    retrieveCall: script.retrieveCall,
    hangupCall: script.hangupCall,
    missCall: script.missCall,
    startWrapUp: script.startWrapUp,
    endWrapUp: script.endWrapUp,
    setQueueFigures: script.setQueueFigures,
    queueFigures: script.queueFigures,
    createCallback: script.createCallback,
    closeCallback: script.closeCallback,
    openCallbacks: script.openCallbacks,
    setAvailability: script.setAvailability,
    get availability() {
      return script.availability;
    },
    emitRaw: methods.deliver,

    sendMalformedFrame(kind = 'payload') {
      if (kind === 'record') return hub.sendText('{"type":1,"target":"MessageReceived","arguments":[\x1e');
      if (kind === 'message') return hub.sendText(`${JSON.stringify({ type: 1, arguments: [malformedMessage(world, 'payload')] })}\x1e`);
      for (const client of hub.clients()) hub.invokeClient(client, 'MessageReceived', [malformedMessage(world, kind)]);
    },

    sendOversizedFrame(bytes = OVERSIZED_FRAME_BYTES) {
      const message = oversizedMessage(world, bytes, form);
      for (const client of hub.clients()) hub.invokeClient(client, 'MessageReceived', [message]);
    },

    dropConnections: () => hub.dropAll(),
    closeConnections: () => hub.closeAll(1000, ''),
    endSessions: () => hub.endAll(),
    forgetSessions: () => hub.forgetAll(),
    resetConnections: () => hub.resetAll(),
    silence: () => hub.silenceAll(),
    unavailable(retryAfterS = 1) {
      faults.unavailable = String(retryAfterS);
      hub.closeAll(1012, 'Service Restart');
    },
    hubUnavailable(retryAfterS) {
      faults.hubBusy = String(retryAfterS);
      hub.closeAll(1013, 'Try Again Later');
    },
    endNewSessions() {
      faults.endNewSessions = true;
    },
    hang() {
      http.hang(true);
      hub.silenceAll();
    },
    revokeCredentials() {
      auth.revoke();
      hub.forgetAll();
    },
    restore() {
      faults.unavailable = undefined;
      faults.hubBusy = undefined;
      faults.endNewSessions = false;
      http.hang(false);
      hub.restore();
    },
    rejectTokens: (on) => auth.rejectTokens(on),
    expireTokens: () => auth.expireTokens(),
    acceptSecretKey: (key) => auth.acceptSecretKey(key),
    get tokensIssued() {
      return auth.tokensIssued;
    },
    get subscribeCalls() {
      return methods.subscribeCalls;
    },
    get cleanStops() {
      return hub.cleanStops;
    },
    get connections() {
      return hub.size;
    },
    subscriptions: () => methods.subscriptions(),
    requests: http.requests,

    async close() {
      script.stop();
      hub.shutdown();
      await http.close();
    },
  };
}
