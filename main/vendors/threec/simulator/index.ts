/**
 * A simulator of the 3C adapter link on loopback, for tests, the demo and the conformance rig: the
 * wire contract (`../contract.ts`, [I]) over a `ws` WebSocketServer on the kit's loopback HTTP
 * server, and the document's commands, responses and events (`../schema.ts`) from a simulated 3C
 * system (`./world.ts`).
 *
 * What it does, contract first:
 * - the first frame must be `connect` with the document's properties; good credentials (and the
 *   configured `serveruri`) → the event `connected3C`; a wrong user name or password → an `error`
 *   frame and close 4401; another server URI → an `error` frame and close 1011;
 * - a command before `connected3C` is refused (`status: "failure"`);
 * - `startMonitoringTerminals` with more than 500 terminals is refused whole (document); a terminal
 *   it was told to refuse fails alone (`status: "failure"`, an `errorMessage` naming it) while the
 *   others are monitored (document: partial success);
 * - events go to the sessions that monitor what they are about (`presenceChanged` by user,
 *   `monitoredTerminalEventReceived` by terminal); `imReceived` to every session of the link's user;
 * - it remembers nothing of a session once it is gone.
 * Habits of this simulator that the connector must not rely on (an independent link may not have
 * them) [I]: it reports the current presence of users and the live calls of terminals right after
 * they are monitored.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Logger } from '../../../log.js';
import type { FleetMount } from '../../kit/fleet.js';
import { startLoopbackHttp, type LoopbackHttp } from '../../kit/simulator.js';
import type { ThreecTerminal } from '../config.js';
import { CLOSE_BAD_CREDENTIALS, CLOSE_SESSION_UNKNOWN, clientFrameSchema } from '../contract.js';
import { COMMANDS, MAX_TERMINALS_PER_REQUEST, commandPropertiesSchemas, type CommandName } from '../schema.js';
import { World, terminalKey, type SimCall, type SimCallState, type WorldEvent } from './world.js';

export { World, type SimCall, type SimCallState };

/** The path of the link's WebSocket. */
export const LINK_PATH = '/3c-event';

/** A colleague the simulated 3C system knows, with a terminal. */
export interface SimColleague {
  username: string;
  terminal: ThreecTerminal;
  presence?: string;
  presenceNote?: string;
}

/** The simulator's options, all optional. */
export interface ThreecSimulatorOptions {
  /** The link's user, UPN (default `alex.agent@demo.example`). */
  username?: string;
  /** Default random. */
  password?: string;
  /** Default `https://3c.demo.example/SphericallService`. */
  serveruri?: string;
  /** The agent's terminals (default `1001 (ext)`). */
  terminals?: ThreecTerminal[];
  /** Colleagues (default: none). */
  colleagues?: SimColleague[];
  log?: Logger;
  /** Serve under a prefix of a shared loopback host (one agent of a fleet) instead of listening alone. */
  mount?: FleetMount;
}

/** One command a session sent, and how the simulator answered it. */
export interface SimCommand {
  session: number;
  command: string;
  properties: unknown;
  status: 'success' | 'failure';
  errorMessage?: string;
}

/** The scripting and inspection API of a running simulator. */
export interface ThreecSimulator {
  /** `ws://127.0.0.1:<port>/3c-event`. */
  readonly linkUrl: string;
  readonly credentials: { serveruri: string; username: string; password: string };
  /** The agent's terminals. */
  readonly terminals: readonly ThreecTerminal[];
  readonly colleagues: readonly SimColleague[];
  /** Connect frames accepted (each a fresh login). */
  readonly connects: number;
  /** Connect frames refused for bad credentials. */
  readonly refusedConnects: number;
  /** Sessions that monitored users and terminals (each counts once). */
  readonly monitoredSessions: number;
  /** Sessions the client closed with 1000 (a clean stop). */
  readonly cleanStops: number;
  /** Every command received, oldest first. */
  readonly commands: readonly SimCommand[];
  /** Every `sendText` accepted, oldest first. */
  readonly texts: ReadonlyArray<{ destuser: string; message: string }>;
  /** Sessions open now (connected to 3C or not). */
  openSessions(): number;
  /** A user's presence, as 3C holds it. */
  presenceOf(user: string): { presence: string; presenceNote: string } | undefined;
  setPresence(user: string, presence: string, presenceNote?: string): void;
  /** A colleague writes to the agent (`imReceived`). */
  sendIm(from: string, message: string): void;
  /** Sends the last event again, as it was (a link that repeats itself). */
  repeatLastEvent(): void;
  /** An incoming call rings on the agent's terminal (default the first). @returns the call id. */
  ringCall(options: { caller: string; terminal?: ThreecTerminal; callType?: 'Internal' | 'External' }): string;
  /** The agent calls out from their terminal. @returns the call id. */
  dialOut(options: { target: string; terminal?: ThreecTerminal }): string;
  /** A call on a colleague's terminal, connected at once. @returns the call id. */
  colleagueCall(username: string, options?: { caller?: string }): string;
  /** Changes a call's state (`Disconnected` ends it). @throws {Error} for an unknown call. */
  setCallState(callId: string, state: SimCallState): void;
  answerCall(callId: string): void;
  holdCall(callId: string): void;
  hangupCall(callId: string): void;
  /** Live calls. */
  liveCalls(): SimCall[];
  /** Monitoring this terminal fails from now on, with `message` (default names the terminal). */
  refuseTerminal(addressvalue: string, message?: string): void;
  /** Monitoring this user fails from now on. */
  refuseUser(username: string, message?: string): void;
  /** Accepts this password too (an administrator changed it). */
  acceptPassword(password: string): void;
  /** Closes every session with `code` (default 1001, going away). */
  closeSessions(code?: number, reason?: string): void;
  /** Sends an `error` frame, then closes every session with 1011 (the link's own end of a session). */
  endSessions(errorMessage: string): void;
  /** Forgets every session: closes them with 4404 (session unknown) [I]. */
  forgetSessions(): void;
  /** Cuts every socket with no goodbye. */
  resetSessions(): void;
  /** While on, sessions (and new ones) answer nothing: no pong, no response, no event. */
  silence(on: boolean): void;
  /**
   * While set, WebSocket upgrades are answered with this HTTP status (and `Retry-After:
   * retryAfterS`, when given); live sessions close with 1013.
   */
  failUpgrades(status: number | undefined, retryAfterS?: number): void;
  /** While on, the link accepts every session and ends it (1013, try again later) as soon as it monitored what it asked for. */
  endNewSessions(on: boolean): void;
  /** The user's credentials are revoked: every password is refused, live sessions close with 4401. */
  revokeCredentials(): void;
  /** The link hangs while on: upgrades are never answered, live sessions fall silent. */
  hang(on: boolean): void;
  /** Every WebSocket upgrade answered so far, with its status and time, oldest first. */
  readonly upgrades: ReadonlyArray<{ status: number; at: number }>;
  /** Sends a text frame as-is to every connected session (malformed and oversized frames). */
  sendRaw(text: string): void;
  close(): Promise<void>;
}

/** One WebSocket session of the link, as the simulator sees it. */
interface SimSession {
  no: number;
  ws: WebSocket;
  /** The first frame (which must be `connect`) has not arrived yet. */
  first: boolean;
  connected: boolean;
  silenced: boolean;
  users: Set<string>;
  terminals: Set<string>;
  counted: boolean;
}

/**
 * Starts a simulator on 127.0.0.1 (a free port).
 * @throws when it cannot listen.
 */
export async function startThreecSimulator(options: ThreecSimulatorOptions = {}): Promise<ThreecSimulator> {
  const simulator = new LinkSimulator(options);
  await simulator.listen(options.mount);
  return simulator;
}

/** The WebSocket upgrade refused with `status` (raw HTTP on the socket). */
function refuseUpgrade(socket: Duplex, status: number, reason: string, retryAfter?: string): void {
  const header = retryAfter !== undefined ? `Retry-After: ${retryAfter}\r\n` : '';
  socket.end(`HTTP/1.1 ${status} ${reason}\r\n${header}Connection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** The simulated link: its sessions, the simulated 3C system behind it, and the scripting API ({@link ThreecSimulator}). */
class LinkSimulator implements ThreecSimulator {
  linkUrl = '';
  readonly credentials: { serveruri: string; username: string; password: string };
  readonly terminals: readonly ThreecTerminal[];
  readonly colleagues: readonly SimColleague[];
  readonly commands: SimCommand[] = [];
  readonly texts: Array<{ destuser: string; message: string }> = [];
  private readonly log: Logger | undefined;
  private readonly passwords: Set<string>;
  private readonly sessions = new Set<SimSession>();
  private readonly refusedTerminals = new Map<string, string>();
  private readonly refusedUsers = new Map<string, string>();
  private readonly world: World;
  private readonly wss = new WebSocketServer({ noServer: true, autoPong: false });
  private http!: LoopbackHttp;
  private connectCount = 0;
  private refusedConnectCount = 0;
  private monitoredCount = 0;
  private cleanStopCount = 0;
  private sessionNo = 0;
  private silent = false;
  private upgradeStatus: number | undefined;
  private upgradeRetryAfter: string | undefined;
  private endingNewSessions = false;
  private lastEvent: string | undefined;

  constructor(options: ThreecSimulatorOptions) {
    this.log = options.log;
    const username = options.username ?? 'alex.agent@demo.example';
    const serveruri = options.serveruri ?? 'https://3c.demo.example/SphericallService';
    this.passwords = new Set([options.password ?? randomBytes(9).toString('base64url')]);
    this.credentials = { serveruri, username, password: [...this.passwords][0]! };
    this.terminals = options.terminals ?? [{ addressvalue: '1001', addresstype: 'ext' }];
    this.colleagues = options.colleagues ?? [];
    this.world = new World(username, (event) => this.deliver(event));
    this.world.addUser(username);
    for (const c of this.colleagues) this.world.addUser(c.username, c.presence ?? 'Available', c.presenceNote ?? '');
  }

  /** Listens on loopback (or under `mount`); sets {@link linkUrl}. @throws when it cannot listen. */
  async listen(mount: FleetMount | undefined): Promise<void> {
    this.http = await startLoopbackHttp({
      log: this.log,
      mount,
      handle: (exchange) => exchange.json(404, { message: 'the 3C adapter link speaks WebSocket only' }),
      upgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(req, socket, head),
    });
    this.linkUrl = `${this.http.origin.replace('http://', 'ws://')}${LINK_PATH}`;
  }

  // ---- the link ----

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const { http } = this;
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (this.upgradeStatus !== undefined) {
      http.record({ method: 'GET', path, status: this.upgradeStatus });
      refuseUpgrade(socket, this.upgradeStatus, 'Service Unavailable', this.upgradeRetryAfter);
      return;
    }
    if (path !== LINK_PATH) {
      http.record({ method: 'GET', path, status: 404 });
      refuseUpgrade(socket, 404, 'Not Found');
      return;
    }
    http.record({ method: 'GET', path, status: 101 });
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  private accept(ws: WebSocket): void {
    const session: SimSession = { no: ++this.sessionNo, ws, first: true, connected: false, silenced: this.silent, users: new Set(), terminals: new Set(), counted: false };
    this.sessions.add(session);
    ws.on('ping', (data: Buffer) => {
      if (!session.silenced) ws.pong(data);
    });
    ws.on('message', (data, isBinary) => this.onMessage(session, data, isBinary));
    ws.on('close', (code) => {
      if (code === 1000) this.cleanStopCount += 1;
      this.sessions.delete(session);
    });
    ws.on('error', () => undefined);
  }

  private onMessage(session: SimSession, data: RawData, isBinary: boolean): void {
    const { ws } = session;
    if (session.silenced) return;
    let json: unknown;
    try {
      json = isBinary ? undefined : JSON.parse(data.toString());
    } catch {
      json = undefined;
    }
    const parsed = clientFrameSchema.safeParse(json);
    if (!parsed.success) {
      this.log?.debug('3C simulator: a frame that is not the contract’s');
      if (session.first) ws.close(1008, 'the first frame must be connect');
      return;
    }
    const message = parsed.data;
    if (session.first) {
      session.first = false;
      if (message.type !== 'connect') {
        this.send(session, JSON.stringify({ type: 'error', errorMessage: 'the first frame must be connect' }));
        ws.close(1008, 'connect first');
        return;
      }
      this.onConnect(session, message.properties);
      return;
    }
    if (message.type === 'connect') {
      this.send(session, JSON.stringify({ type: 'error', errorMessage: 'already connected' }));
      return;
    }
    this.handleCommand(session, message.id, message.command, message.properties);
  }

  /** The connect frame: the credentials and the server URI checked, then `connected3C`. */
  private onConnect(session: SimSession, p: { username: string; password: string; serveruri: string }): void {
    const { ws } = session;
    const { username, serveruri } = this.credentials;
    if (p.username.toLowerCase() !== username.toLowerCase() || !this.passwords.has(p.password)) {
      this.refusedConnectCount += 1;
      this.send(session, JSON.stringify({ type: 'error', errorMessage: 'invalid user name or password' }));
      ws.close(CLOSE_BAD_CREDENTIALS, 'bad credentials');
      return;
    }
    if (p.serveruri !== serveruri) {
      this.send(session, JSON.stringify({ type: 'error', errorMessage: `no 3C server answers at ${p.serveruri}` }));
      ws.close(1011, '3C server unreachable');
      return;
    }
    this.connectCount += 1;
    session.connected = true;
    this.send(session, this.frame('connected3C'));
  }

  private frame(event: string, properties?: Record<string, unknown>): string {
    return JSON.stringify({ type: 'event', event, timestamp: new Date().toISOString(), ...(properties ? { properties } : {}) });
  }

  private send(session: SimSession, text: string): void {
    if (session.silenced || session.ws.readyState !== session.ws.OPEN) return;
    session.ws.send(text);
  }

  private deliver(event: WorldEvent): void {
    const text = this.frame(event.event, event.properties);
    this.lastEvent = JSON.stringify({ audience: event.audience, text });
    this.route(event.audience, text);
  }

  private route(audience: WorldEvent['audience'], text: string): void {
    for (const session of this.sessions) {
      if (!session.connected) continue;
      if ('im' in audience || ('user' in audience && session.users.has(audience.user.toLowerCase())) || ('terminal' in audience && session.terminals.has(audience.terminal))) {
        this.send(session, text);
      }
    }
  }

  private respond(session: SimSession, id: string, command: string, properties: unknown, status: 'success' | 'failure', errorMessage?: string): void {
    this.commands.push({ session: session.no, command, properties, status, ...(errorMessage ? { errorMessage } : {}) });
    this.send(session, JSON.stringify({ type: 'response', id, status, ...(errorMessage ? { errorMessage } : {}) }));
  }

  private handleCommand(session: SimSession, id: string, command: string, properties: unknown): void {
    if (!session.connected) return this.respond(session, id, command, properties, 'failure', 'not connected to 3C yet');
    if (!(COMMANDS as readonly string[]).includes(command)) return this.respond(session, id, command, properties, 'failure', `unknown command ${command}`);
    const name = command as CommandName;
    const parsed = commandPropertiesSchemas[name].safeParse(properties);
    if (!parsed.success) return this.respond(session, id, command, properties, 'failure', `invalid properties for ${command}`);
    const reply = (status: 'success' | 'failure', errorMessage?: string): void => this.respond(session, id, command, properties, status, errorMessage);
    switch (name) {
      case 'startMonitoringUsers':
        return this.monitorUsers(session, (parsed.data as { users: Array<{ username: string }> }).users.map((u) => u.username), reply);
      case 'stopMonitoringUsers':
        for (const u of (parsed.data as { users: Array<{ username: string }> }).users) session.users.delete(u.username.toLowerCase());
        return reply('success');
      case 'startMonitoringTerminals':
        return this.monitorTerminals(session, (parsed.data as { terminals: ThreecTerminal[] }).terminals, reply);
      case 'stopMonitoringTerminals':
        for (const t of (parsed.data as { terminals: ThreecTerminal[] }).terminals) session.terminals.delete(terminalKey(t));
        return reply('success');
      case 'sendText': {
        const text = parsed.data as { destuser: string; message: string };
        this.texts.push({ destuser: text.destuser, message: text.message });
        return reply('success');
      }
    }
  }

  private monitorUsers(session: SimSession, users: string[], reply: (status: 'success' | 'failure', errorMessage?: string) => void): void {
    const { refusedUsers } = this;
    const refused = users.find((u) => refusedUsers.has(u.toLowerCase()));
    for (const user of users) if (!refusedUsers.has(user.toLowerCase())) session.users.add(user.toLowerCase());
    reply(refused ? 'failure' : 'success', refused ? refusedUsers.get(refused.toLowerCase()) : undefined);
    this.count(session);
    // Habit [I]: tell the current presence of each user now monitored.
    for (const user of users) if (session.users.has(user.toLowerCase()) && this.world.knows(user)) this.send(session, this.frame('presenceChanged', this.world.presenceProperties(user)));
  }

  private monitorTerminals(session: SimSession, list: ThreecTerminal[], reply: (status: 'success' | 'failure', errorMessage?: string) => void): void {
    const { refusedTerminals } = this;
    if (list.length > MAX_TERMINALS_PER_REQUEST) {
      return reply('failure', `at most ${MAX_TERMINALS_PER_REQUEST} terminals per request; got ${list.length}`);
    }
    const refused = list.find((t) => refusedTerminals.has(t.addressvalue));
    const added: string[] = [];
    for (const t of list) {
      if (refusedTerminals.has(t.addressvalue)) continue;
      session.terminals.add(terminalKey(t));
      added.push(terminalKey(t));
    }
    reply(refused ? 'failure' : 'success', refused ? refusedTerminals.get(refused.addressvalue) : undefined);
    this.count(session);
    // Habit [I]: report the live calls of each terminal now monitored.
    for (const key of added) for (const call of this.world.callsOn(key)) this.send(session, this.frame('monitoredTerminalEventReceived', World.callProperties(call)));
  }

  private count(session: SimSession): void {
    if (session.counted) return;
    const didUsers = this.commands.some((c) => c.session === session.no && c.command === 'startMonitoringUsers');
    const didTerminals = this.commands.some((c) => c.session === session.no && c.command === 'startMonitoringTerminals');
    if (didUsers && (didTerminals || this.terminals.length + this.colleagues.length === 0)) {
      session.counted = true;
      this.monitoredCount += 1;
      if (this.endingNewSessions) setImmediate(() => session.ws.close(1013, 'try again later'));
    }
  }

  private forEachSession(act: (session: SimSession) => void): void {
    for (const session of [...this.sessions]) act(session);
  }

  private terminalOf(t?: ThreecTerminal): ThreecTerminal {
    return t ?? this.terminals[0] ?? { addressvalue: '1001', addresstype: 'ext' };
  }

  // ---- the scripting and inspection API (see ThreecSimulator) ----

  get connects(): number {
    return this.connectCount;
  }
  get refusedConnects(): number {
    return this.refusedConnectCount;
  }
  get monitoredSessions(): number {
    return this.monitoredCount;
  }
  get cleanStops(): number {
    return this.cleanStopCount;
  }
  openSessions(): number {
    return this.sessions.size;
  }
  presenceOf(user: string): { presence: string; presenceNote: string } | undefined {
    return this.world.presenceOf(user);
  }
  setPresence(user: string, presence: string, note?: string): void {
    this.world.setPresence(user, presence, note);
  }
  sendIm(from: string, message: string): void {
    this.world.im(from, message);
  }
  repeatLastEvent(): void {
    if (!this.lastEvent) return;
    const { audience, text } = JSON.parse(this.lastEvent) as { audience: WorldEvent['audience']; text: string };
    this.route(audience, text);
  }
  ringCall({ caller, terminal, callType }: { caller: string; terminal?: ThreecTerminal; callType?: 'Internal' | 'External' }): string {
    const t = this.terminalOf(terminal);
    return this.world.startCall({ terminal: t, caller, calledAddressValue: t.addressvalue, calledAddressType: t.addresstype, callType: callType ?? 'External', isIncoming: true, callState: 'Ringing' });
  }
  dialOut({ target, terminal }: { target: string; terminal?: ThreecTerminal }): string {
    const t = this.terminalOf(terminal);
    return this.world.startCall({ terminal: t, caller: t.addressvalue, calledAddressValue: target, calledAddressType: 'ext', callType: 'External', isIncoming: false, callState: 'Dialing' });
  }
  colleagueCall(user: string, callOptions: { caller?: string } = {}): string {
    const colleague = this.colleagues.find((c) => c.username.toLowerCase() === user.toLowerCase());
    if (!colleague) throw new Error(`no colleague ${user}`);
    const t = colleague.terminal;
    return this.world.startCall({
      terminal: t,
      caller: callOptions.caller ?? '+358401234567',
      calledAddressValue: t.addressvalue,
      calledAddressType: t.addresstype,
      callType: 'External',
      isIncoming: true,
      callState: 'Connected',
    });
  }
  setCallState(id: string, state: SimCallState): void {
    this.world.setCallState(id, state);
  }
  answerCall(id: string): void {
    this.world.setCallState(id, 'Connected');
  }
  holdCall(id: string): void {
    this.world.setCallState(id, 'Held');
  }
  hangupCall(id: string): void {
    this.world.setCallState(id, 'Disconnected');
  }
  liveCalls(): SimCall[] {
    return this.world.liveCalls();
  }
  refuseTerminal(addressvalue: string, message?: string): void {
    this.refusedTerminals.set(addressvalue, message ?? `Failed to monitor terminal ${addressvalue}: address not found`);
  }
  refuseUser(user: string, message?: string): void {
    this.refusedUsers.set(user.toLowerCase(), message ?? `Failed to monitor user ${user}: user not found`);
  }
  acceptPassword(pw: string): void {
    this.passwords.add(pw);
  }
  closeSessions(code = 1001, reason = 'going away'): void {
    this.forEachSession((s) => s.ws.close(code, reason));
  }
  endSessions(errorMessage: string): void {
    this.forEachSession((s) => {
      this.send(s, JSON.stringify({ type: 'error', errorMessage }));
      s.ws.close(1011, 'session ended');
    });
  }
  forgetSessions(): void {
    this.forEachSession((s) => s.ws.close(CLOSE_SESSION_UNKNOWN, 'session unknown'));
  }
  resetSessions(): void {
    this.forEachSession((s) => s.ws.terminate());
  }
  silence(on: boolean): void {
    this.silent = on;
    this.forEachSession((s) => (s.silenced = on));
  }
  failUpgrades(status: number | undefined, retryAfterS?: number): void {
    this.upgradeStatus = status;
    this.upgradeRetryAfter = status !== undefined && retryAfterS !== undefined ? String(retryAfterS) : undefined;
    if (status !== undefined) this.forEachSession((s) => s.ws.close(1013, 'try again later'));
  }
  endNewSessions(on: boolean): void {
    this.endingNewSessions = on;
  }
  revokeCredentials(): void {
    this.passwords.clear();
    this.forEachSession((s) => {
      this.send(s, JSON.stringify({ type: 'error', errorMessage: 'the credentials are no longer valid' }));
      s.ws.close(CLOSE_BAD_CREDENTIALS, 'bad credentials');
    });
  }
  hang(on: boolean): void {
    this.http.hang(on);
    this.silent = on;
    this.forEachSession((s) => (s.silenced = on));
  }
  get upgrades(): ReadonlyArray<{ status: number; at: number }> {
    return this.http.requests.filter((r) => r.path === LINK_PATH || r.status !== 404).map((r) => ({ status: r.status, at: r.at ?? 0 }));
  }
  sendRaw(text: string): void {
    this.forEachSession((s) => {
      if (s.connected) this.send(s, text);
    });
  }
  async close(): Promise<void> {
    this.forEachSession((s) => s.ws.terminate());
    this.wss.close();
    await this.http.close();
  }
}
