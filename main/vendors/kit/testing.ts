/**
 * What the tests and the bench need of a platform, beside its module (ARCHITECTURE.md, principle
 * 10): each platform folder's `testing.ts` exports `testing`, a {@link PlatformTesting} — its
 * conformance rig and its bench stream. Only `test/` and `npm run bench` import them (through
 * `test/support/platform-testing.ts`, which finds them by the registered platforms' ids); the app
 * never does, so its bundle holds neither.
 */
import type { PresenceState } from '../../../common/model.js';
import type { ConnectorEvent } from '../../desk/events.js';
import type { Logger } from '../../log.js';
import type { ConnectorOptions, RawAccount } from './platform.js';

/**
 * What a platform's `testing.ts` exports as `testing`: the conformance suite's rig and the bench's
 * stream. A registered platform without one fails `test/unit/platform-layout.test.ts`.
 */
export interface PlatformTesting {
  /** Starts the platform's simulator for the conformance suite (`test/conformance/`) and the canary test. */
  startConformanceRig(): Promise<ConformanceRig>;
  /** A realistic stream and the connector's own parse path, for `npm run bench` and the fuzz tests. */
  bench: PlatformBench;
}

/**
 * The ways a server can end a client's session, for the conformance suite. A platform offers the
 * ones its protocol allows.
 * - `close`: a clean close of the transport (a WebSocket close frame, a FIN on a socket);
 * - `end-of-session`: the protocol's own end-of-session message (SignalR close, Bayeux disconnect);
 * - `unknown-session`: the server forgets the session and refuses it as unknown;
 * - `http-5xx`: the server answers 5xx for a while;
 * - `tcp-reset`: the connection is cut with no goodbye;
 * - `silence`: the server stops answering (no heartbeat, no long-poll answer) without closing.
 */
export type SessionEnding = 'close' | 'end-of-session' | 'unknown-session' | 'http-5xx' | 'tcp-reset' | 'silence';

/** Every session ending, in the order the suite tries them. */
export const SESSION_ENDINGS: readonly SessionEnding[] = ['close', 'end-of-session', 'unknown-session', 'http-5xx', 'tcp-reset', 'silence'];

/** A fault a rig cannot stage, and why its protocol does not allow it (the suite prints it as the skip's reason). */
export interface Unsupported {
  unsupported: string;
}

/** What a takeover left behind for the suite to check. */
export interface TakeOver {
  /**
   * Whether the desk has taken the agent's session back since (a sign-in that overrides the other
   * desk's): what must happen only after the agent's yes.
   */
  takenBack(): boolean;
}

/**
 * The ways servers really fail a fleet of desks (issue 16), staged by a platform's rig in the
 * desk's words. Each is the platform's own way of doing it, or {@link Unsupported} with the reason.
 * `ConformanceRig.restore()` ends the lasting ones.
 */
export interface FleetFaults {
  /**
   * From now on the server accepts every new session and ends it at once (an overloaded server, a
   * licence pool that is exhausted, a load balancer draining), until `restore()`.
   */
  acceptThenEnd: (() => void) | Unsupported;
  /** Another desk signs in as this agent and takes the session over. */
  takeOver: (() => TakeOver) | Unsupported;
  /** The agent's credentials are revoked on the server: the live session ends, and they are refused from now on. */
  revokeCredentials: (() => void) | Unsupported;
  /** The server hangs: connections stay open but nothing is answered, new ones included, until `restore()`. */
  hang: (() => void) | Unsupported;
  /**
   * The server is overloaded: it ends the live sessions and answers every request with 503 and
   * `Retry-After: retryAfterS` (seconds), until `restore()`.
   */
  busy: ((retryAfterS: number) => void) | Unsupported;
  /**
   * When (ms since epoch) the server refused a sign-in (the first request of a new session) with
   * 503 and `Retry-After`, oldest first.
   */
  busySignIns(): number[];
}

/** Whether a rig can stage a fault. */
export function supported<T>(fault: T | Unsupported): fault is T {
  return !(typeof fault === 'object' && fault !== null && 'unsupported' in fault);
}

/** A desk entity the rig raised on the server, to check it arrives exactly once. */
export interface RaisedEntity {
  slice: 'calls' | 'chats' | 'callbacks';
  /** The platform's id (the desk key is `<accountId>/<id>`). */
  id: string;
}

/**
 * Call work on a platform's simulator (issue 18), for the conformance suite, in the desk's words:
 * what a platform whose capabilities offer call work must give (the suite fails without it, and
 * skips a platform that offers none, saying so).
 */
export interface CallWorkRig {
  /** A customer call rings at the agent (answerable from the desk): its platform id. */
  ring(): string;
  /** A number a colleague answers at when consulted (the simulator answers it by itself). */
  colleague: string;
  /** The digits (DTMF) the server received on a live call (platform id), in order; '' when none. */
  digitsReceived(callId: string): string;
  /** The call (platform id) ended: puts the agent in wrap-up for it where the platform does not do so by itself. */
  wrapUp(callId: string): void;
  /** The code of the wrap-up reason the server holds for an ended call (platform id); undefined when none. */
  wrapUpReasonOf(callId: string): string | undefined;
}

/**
 * A platform's simulator, driven by the conformance suite (`test/conformance/`). Everything here is
 * in the desk's words; the platform's folder maps it to its simulator's controls.
 */
export interface ConformanceRig {
  /** A working account, secrets inline. */
  account: RawAccount;
  /** The same account with a wrong secret. */
  wrongAccount: RawAccount;
  /** The wrong secret works from now on (an admin fixed it on the server). */
  acceptWrongSecret(): void;
  /** Connector options for the suite (short heartbeats and long-poll timeouts). */
  connectorOptions: ConnectorOptions;
  /** Fresh authentications so far (logins, tokens issued). */
  authentications(): number;
  /** Subscriptions made so far (each complete set after a connection counts once). */
  subscriptions(): number;
  /** The session endings this protocol allows; each ends every live session and returns. */
  endings: Partial<Record<SessionEnding, () => void | Promise<void>>>;
  /** Undoes a lasting ending (`http-5xx`, `silence`) or fault (`faults`): the server answers again. */
  restore(): void;
  /** The ways servers fail a fleet, staged on this platform's simulator. */
  faults: FleetFaults;
  /** How long, ms, the connector may take to notice each ending (its heartbeat or poll timeout, plus margin). */
  noticeWithinMs: number;
  /** Creates something on the server that the desk must show (a ringing call, a callback, a chat). */
  raise(): RaisedEntity;
  /** Sends a frame that fails validation to every live session. */
  sendMalformedFrame(): void;
  /** Sends a frame larger than the platform accepts (or a protocol's maximum) to every live session. */
  sendOversizedFrame(): void;
  /**
   * What the connector does with an oversized frame: `dropped` (default) — logged and dropped, the
   * connection lives on; `reconnects` — on a length-framed stream the frame's end cannot be trusted,
   * so it is a protocol error: logged, the connection closed and made again, nothing lost or doubled.
   */
  oversizedFrame?: 'dropped' | 'reconnects';
  /** The agent's presence as the server holds it, in desk terms (undefined when unknown). */
  serverPresence(): PresenceState | undefined;
  /** Call work (consult, transfers, conference, DTMF, wrap-up reasons): required where the platform's capabilities offer it. */
  callWork?: CallWorkRig;
  /**
   * Sessions the client ended cleanly (logout, end-of-session) so far; absent when the protocol has
   * no operation that ends a session (a token that simply expires).
   */
  cleanStops?(): number;
  close(): Promise<void>;
}

/**
 * What `npm run bench` (and `test/fuzz/`) needs of a platform, kept in its folder (`testing.ts`): a
 * realistic stream of wire frames, the connector's own path from one frame to desk events, and the
 * floor that path is measured against. A registered platform with one is benched and fuzzed with
 * no change outside its folder.
 */
export interface PlatformBench {
  /**
   * `n` wire frames of a realistic stream from frame `start` (default 0), as the connector receives
   * them (text, or bytes on a framed socket), in order; frame `i` is always the same frame, so a
   * long stream can be drawn in pieces.
   */
  frames(n: number, start?: number): unknown[];
  /**
   * A fresh parse path, with whatever the connector keeps between frames (a decoder, what the
   * platform told so far): frame → the connector's own screening, parsing, validation and routing
   * → the desk events the connector emits. Bad input is logged on `log` and dropped, as the
   * connector does; it never throws.
   */
  parser(log: Logger): (frame: unknown) => ConnectorEvent[];
  /**
   * The least work a frame needs: `JSON.parse` of its text plus the same schema validation the
   * parse path applies (no screening, key normalisation, routing or state). Returns the validated
   * value, so that nothing is optimised away.
   */
  floor(frame: unknown): unknown;
  /**
   * A fleet of agents on one simulator, for `npm run bench -- --fleet` (`test/bench/fleet.ts`):
   * absent, the platform is left out of the fleet table (which says so).
   */
  fleet?(options: FleetOptions): Promise<FleetRig>;
}

/** What a fleet rig reports as it happens; the bench stamps the time. */
export interface FleetObserver {
  /**
   * Desk `desk`'s agent tried to log in: an authentication reached the server (a token or session
   * asked for, a sign-in), answered or not. Called synchronously as the server takes it.
   */
  login(desk: number): void;
}

/** Options of {@link PlatformBench.fleet}. */
export interface FleetOptions {
  /** How many desks, each with its own agent on the one simulator. */
  desks: number;
  observer: FleetObserver;
  log: Logger;
}

/**
 * One simulator on loopback serving `desks` agents, in the desk's words: each desk's account, what
 * the desks sent, a call at a desk, and a restart (stop, then start on the same port).
 */
export interface FleetRig {
  /** Desk `i`'s account (its own agent), secrets inline (the simulator's own); ids unique. */
  accounts: RawAccount[];
  /** The connector options the desks use: tuning only (none: production's); never a backoff. */
  tuning?: unknown;
  /**
   * Everything the desks have sent the server so far, across restarts: HTTP requests and frames on
   * long-lived connections (WebSocket messages, socket frames, pings), each counted once.
   */
  traffic(): number;
  /**
   * How a desk gets a call. `server`: `play` plays one at desk `desk`'s agent for about
   * `durationMs` (it rings, is answered where the server can answer, ends). `desk` (click-to-dial):
   * `prepare` readies the server to play each call the desks place next for about `durationMs`
   * and returns the number they dial.
   */
  calls: { placedBy: 'server'; play(desk: number, durationMs: number): void } | { placedBy: 'desk'; prepare(durationMs: number): string };
  /** Stops the server as a crash or restart does: every connection cut, the port closed, every session and token forgotten. */
  stop(): Promise<void>;
  /** Starts it again on the same port, with the same agents and credentials. @throws when it cannot listen. */
  start(): Promise<void>;
  /** Stops it for good (idempotent). */
  close(): Promise<void>;
}
