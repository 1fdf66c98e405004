/**
 * The local automation API (issue 20; docs/automation-api.md): one documented, paired, audited
 * interface to every platform the desk connects to, for a CRM or any other app on this computer.
 * The core starts it in both hosts when `automation.enabled` is true; it listens on 127.0.0.1 only.
 *
 * - `GET /api/v1/desk` — a snapshot; `GET /api/v1/events` — a live stream of typed events
 *   (Server-Sent Events: see `streams.ts` and the docs for why SSE);
 * - commands: dial, answer/hang up/hold/retrieve, presence, chat messages — each checked against
 *   the scopes the agent granted, rate-limited, carried out by the desk, logged and listed on the
 *   desk ("Recent API actions"); a call an app placed shows on the desk as placed by that app;
 * - pairing: an app asks, the window shows the request, the agent allows or denies
 *   (`answerPairing`), and revokes later (`revokeApiClient`) — at once, open streams included.
 *
 * Nothing here knows a platform: it speaks the desk's vocabulary only.
 */
import type { CallAction, PresenceState } from '../../common/model.js';
import { chatOf } from '../../common/selectors.js';
import { API_ACTIONS_KEPT, type ApiAction, type ApiCommand, type AutomationView } from '../../common/automation.js';
import type { AppConfig } from '../config.js';
import { CommandError } from '../desk/port.js';
import type { Desk } from '../desk/desk.js';
import { parseDialLink } from '../desk/dial-link.js';
import type { Logger } from '../log.js';
import type { SecretRef } from '../vendors/kit/account.js';
import { ClientRegistry, type ClientDocument, type ClientRecord, type ManagedClient, type PairingRefusal } from './clients.js';
import { deskEvents, EventLog } from './events.js';
import { openApiDocument } from './openapi.js';
import { fail, type ProblemCode } from './problems.js';
import { refusalLog, type RefusalLog } from './refusals.js';
import { ApiServer, type Handlers, type HandlerResult, type RequestContext } from './server.js';
import { API_BASE } from './schemas.js';
import { MAX_STREAMS_PER_CLIENT, StreamHub } from './streams.js';
import { apiCallback, apiSnapshot } from './view.js';

/** How soon an app should poll a pairing request again, ms. */
export const PAIRING_POLL_MS = 1_000;
/** How long a dial from an app waits for its call to show on the desk, to mark it "placed by", ms [I]. */
export const PLACED_BY_WINDOW_MS = 30_000;

type AutomationConfig = AppConfig['automation'];

export interface AutomationOptions {
  desk: Desk;
  config: AutomationConfig;
  log: Logger;
  /** Where paired apps are kept (the host's store); in memory when absent. */
  store?: ClientDocument;
  /** Resolves an administrator's client token (`{"env": …}` and the like); `field` names it in the error. */
  secret: (ref: SecretRef, field: string) => string;
  /** ISO time now (tests pass a fixed one). */
  now?: () => string;
  /** Monotonic ms for the rate limits (tests pass a clock they move). */
  nowMs?: () => number;
}

/** A dial an app asked for, waiting for its call to show on the desk. */
interface PendingDial {
  accountId: string;
  digits: string;
  client: string;
  untilMs: number;
}

/** The digits of a number, for telling whether a new call is the one an app dialled. */
function digitsOf(number: string | undefined): string {
  return (number ?? '').replace(/\D/g, '');
}

/**
 * Whether a call's far end is the number dialled: the same digits, or one ends with the other's
 * last seven (a platform may add or drop a country or trunk prefix [I]); a call that names no
 * number matches too.
 */
function sameNumber(dialled: string, target: string | undefined): boolean {
  const shown = digitsOf(target);
  if (!shown) return true;
  if (shown === dialled) return true;
  const tail = Math.min(7, shown.length, dialled.length);
  return tail >= 7 && (shown.endsWith(dialled.slice(-tail)) || dialled.endsWith(shown.slice(-tail)));
}

export class Automation {
  readonly registry: ClientRegistry;
  readonly events = new EventLog();
  readonly server: ApiServer;
  private readonly streams: StreamHub;
  private readonly refusals: RefusalLog;
  private readonly now: () => string;
  private readonly unsubscribe: () => void;
  private readonly problems: string[] = [];
  private actions: ApiAction[] = [];
  private listening = false;
  private pendingDials: PendingDial[] = [];
  private publishQueued = false;
  private closed = false;
  private document: Record<string, unknown> | undefined;
  /** Callbacks already announced due, by key. */
  private readonly announcedDue = new Set<string>();
  private dueTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: AutomationOptions) {
    const { desk, config, log } = options;
    this.now = options.now ?? (() => new Date().toISOString());
    const managed: ManagedClient[] = [];
    config.clients.forEach((client, i) => {
      try {
        managed.push({ name: client.name, scopes: client.scopes, token: options.secret(client.token, `automation.clients[${i}].token`), ...(client.origin ? { origin: client.origin } : {}) });
      } catch (error) {
        this.problems.push((error as Error).message);
        managed.push({ name: client.name, scopes: client.scopes, token: '' });
      }
    });
    this.registry = new ClientRegistry({ store: options.store, managed, pairing: config.pairing, log });
    // A token that could not be resolved is not also "too short".
    this.problems.push(...this.registry.problems.filter((p) => !this.problems.some((q) => p.startsWith(q.split(':', 1)[0]!))));
    for (const line of this.problems) log.error({ problem: line }, 'an automation API client cannot be used');
    this.refusals = refusalLog(log);
    this.streams = new StreamHub(this.events, this.now);
    this.server = new ApiServer({
      port: config.port,
      registry: this.registry,
      handlers: this.handlers(),
      refusals: this.refusals,
      onCommandRefused: (client, command, refusal) => this.audit(client, command, undefined, 'refused', refusal.detail),
      onError: (error, where) => log.error({ err: error, where }, 'automation API: a request failed'),
      ...(options.nowMs ? { nowMs: options.nowMs } : {}),
    });
    this.registry.onRevoke((client) => this.streams.revoke(client.id));
    this.registry.onChange(() => this.publish());
    this.unsubscribe = desk.subscribe((state, previous) => {
      for (const draft of deskEvents(previous, state, (call) => this.placedBy(call))) this.events.append(draft, this.now());
      if (state.callbacks !== previous.callbacks) this.watchDue();
    });
    this.watchDue();
    this.publish();
  }

  /** Where apps reach the API (`http://127.0.0.1:<port>/api/v1`). */
  get url(): string {
    return `http://127.0.0.1:${this.server.port || this.options.config.port}${API_BASE}`;
  }

  /** The port it listens on (0 until it listens). */
  get port(): number {
    return this.server.port;
  }

  /**
   * Starts listening. A port another program holds does not stop the desk: the problem is logged
   * and shown in the settings.
   */
  async listen(): Promise<void> {
    try {
      await this.server.listen();
      this.listening = true;
      this.options.log.info({ url: this.url, clients: this.registry.clients().length }, 'the automation API is listening');
    } catch (error) {
      const line = `The automation API could not start: ${(error as Error).message}. Choose another port (automation.port).`;
      this.problems.push(line);
      this.options.log.error({ err: error, port: this.options.config.port }, 'the automation API could not start');
    }
    this.publish();
  }

  /**
   * The agent answered a pairing request in the window.
   * @throws {CommandError} when the request is no longer waiting.
   */
  answerPairing(id: string, allow: boolean): void {
    try {
      this.registry.answer(id, allow);
    } catch (error) {
      throw new CommandError((error as Error).message);
    }
  }

  /**
   * The agent revoked an app in the settings: its token fails from now on, its streams end.
   * @throws {CommandError} for an unknown app or an administrator's.
   */
  revoke(clientId: string): void {
    try {
      this.registry.revoke(clientId);
    } catch (error) {
      throw new CommandError((error as Error).message);
    }
  }

  /** Stops listening, ends every stream, keeps the last uses, and takes the API off the desk. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    clearTimeout(this.dueTimer);
    this.streams.close();
    this.registry.close();
    this.refusals.close();
    await this.server.close();
  }

  // ---- the desk's view ----------------------------------------------------------------------

  /** Puts the API's view on the desk, once per turn however many things changed. */
  private publish(): void {
    if (this.publishQueued || this.closed) return;
    this.publishQueued = true;
    queueMicrotask(() => {
      this.publishQueued = false;
      if (this.closed) return;
      const view: AutomationView = {
        url: this.url,
        listening: this.listening,
        problems: [...this.problems],
        pairing: this.registry.pairingAllowed,
        requests: this.registry.requests(),
        clients: this.registry.clients(),
        actions: [...this.actions],
      };
      this.options.desk.apply({ type: 'automation.set', automation: view });
    });
  }

  /** One command an app sent: logged (never the token) and put on the desk's list. */
  private audit(client: ClientRecord, command: ApiCommand, accountId: string | undefined, result: ApiAction['result'], detail?: string): void {
    const action: ApiAction = { at: this.now(), client: client.name, command, result };
    if (accountId) action.accountId = accountId;
    if (detail) action.detail = detail.slice(0, 300);
    this.options.log.info({ client: client.name, command, account: accountId, result, detail: action.detail }, 'automation API command');
    this.actions = [action, ...this.actions].slice(0, API_ACTIONS_KEPT);
    this.publish();
  }

  // ---- events -------------------------------------------------------------------------------

  /** The app that placed a new call, when a recent dial explains it; the desk is told too. */
  private placedBy(call: { key: string; accountId: string; direction: string; target?: string }): string | undefined {
    if (this.pendingDials.length === 0 || call.direction === 'inbound') return undefined;
    const nowMs = Date.now();
    this.pendingDials = this.pendingDials.filter((p) => p.untilMs > nowMs);
    const index = this.pendingDials.findIndex((p) => p.accountId === call.accountId && sameNumber(p.digits, call.target));
    if (index < 0) return undefined;
    const [match] = this.pendingDials.splice(index, 1);
    // After this change's listeners: the desk shows "Placed by …" on the call.
    queueMicrotask(() => this.options.desk.apply({ type: 'call.placed-by', callKey: call.key, placedBy: match!.client }));
    return match!.client;
  }

  /** Announces callbacks that became due, and sets one timer for the next. */
  private watchDue(): void {
    clearTimeout(this.dueTimer);
    this.dueTimer = undefined;
    const callbacks = this.options.desk.state.callbacks;
    for (const key of this.announcedDue) if (!callbacks[key]) this.announcedDue.delete(key);
    const nowMs = Date.now();
    let next = Number.POSITIVE_INFINITY;
    for (const key in callbacks) {
      const callback = callbacks[key]!;
      if (this.announcedDue.has(key) || !callback.dueAt) continue;
      const due = Date.parse(callback.dueAt);
      if (Number.isNaN(due)) continue;
      if (due > nowMs) {
        next = Math.min(next, due);
        continue;
      }
      this.announcedDue.add(key);
      this.events.append({ type: 'callback.due', data: { callback: apiCallback(callback) } }, this.now());
    }
    if (Number.isFinite(next)) {
      this.dueTimer = setTimeout(() => this.watchDue(), Math.min(2 ** 31 - 1, next - nowMs + 5));
      this.dueTimer.unref();
    }
  }

  // ---- handlers ------------------------------------------------------------------------------

  private handlers(): Handlers {
    const callAction = (action: CallAction) => (context: RequestContext) => this.callAction(context, action);
    return {
      getOpenApi: () => ({ status: 200, body: (this.document ??= openApiDocument()) }),
      requestPairing: (context) => this.requestPairing(context),
      getPairing: (context) => this.getPairing(context),
      getClient: ({ client }) => ({ status: 200, body: clientView(client!) }),
      deleteClient: ({ client }) => {
        this.registry.revoke(client!.id, 'self');
        return { status: 204 };
      },
      getDesk: () => ({ status: 200, body: apiSnapshot(this.options.desk.state, this.events.lastId, this.now()) }),
      getEvents: (context) => this.openStream(context),
      dial: (context) => this.dial(context),
      answerCall: callAction('answer'),
      hangupCall: callAction('hangup'),
      holdCall: callAction('hold'),
      retrieveCall: callAction('retrieve'),
      setPresence: (context) => this.setPresence(context),
      sendChatMessage: (context) => this.sendChatMessage(context),
    } satisfies Record<`${CallAction}Call`, unknown> & Partial<Handlers> as Handlers;
  }

  private requestPairing({ body, origin }: RequestContext): HandlerResult {
    const ask = body as { name: string; origin?: string; scopes: ClientRecord['scopes'] };
    if (ask.origin !== undefined && ask.origin !== origin) {
      fail(
        'origin-mismatch',
        origin === undefined
          ? 'Only a web page pairs for an origin, and its browser sends it as the Origin header; leave origin out.'
          : `The body says ${ask.origin.slice(0, 100)}, but the page is on ${origin}.`,
      );
    }
    const result = this.registry.requestPairing({ name: ask.name, scopes: ask.scopes, ...(origin ? { origin } : {}) });
    if ('refused' in result) refusePairing(result.refused, result.retryAfterMs);
    const { request } = result;
    return {
      status: 202,
      body: { pairingId: request.id, status: 'pending', pollAfterMs: PAIRING_POLL_MS, expiresAt: request.expiresAt },
      headers: { Location: `${API_BASE}/pairing/${request.id}` },
    };
  }

  private async getPairing({ params, query }: RequestContext): Promise<HandlerResult> {
    const id = params.pairingId as string;
    const wait = (query.wait as number | undefined) ?? 0;
    if (wait > 0) await this.registry.waitForAnswer(id, wait * 1000);
    const outcome = this.registry.pairingStatus(id);
    if (!outcome) fail('unknown-pairing', 'No pairing request has that id: it was never made, its token was already collected, or it is long gone. Ask again.');
    return { status: 200, body: outcome.status === 'pending' ? { ...outcome, pollAfterMs: PAIRING_POLL_MS } : outcome };
  }

  private openStream({ client, origin, headers, res }: RequestContext): HandlerResult {
    if (this.streams.count(client!.id) >= MAX_STREAMS_PER_CLIENT) {
      fail('too-many-streams', `An app may keep at most ${MAX_STREAMS_PER_CLIENT} event streams open; close one first.`);
    }
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      // Proxies that buffer (nginx) pass each event at once.
      'X-Accel-Buffering': 'no',
      ...(origin ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' } : {}),
    });
    res.socket?.setNoDelay(true);
    const last = headers['last-event-id'];
    this.streams.open(client!.id, res, typeof last === 'string' && last.trim() ? last.slice(0, 100) : undefined);
    return { stream: true };
  }

  /** Runs a command through the desk: audited, and a desk refusal becomes a problem in its words. */
  private async command<T>(client: ClientRecord, command: ApiCommand, accountId: string | undefined, run: () => Promise<T>): Promise<T> {
    try {
      const result = await run();
      this.audit(client, command, accountId, 'done');
      return result;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.audit(client, command, accountId, 'failed', message);
      if (error instanceof CommandError) fail('not-possible', message);
      throw error;
    }
  }

  /** Refuses a command before it reaches the desk: audited, then the problem `code`. */
  private refuseCommand(client: ClientRecord, command: ApiCommand, accountId: string | undefined, code: ProblemCode, detail: string): never {
    this.audit(client, command, accountId, 'refused', detail);
    return fail(code, detail);
  }

  private async dial({ client, body }: RequestContext): Promise<HandlerResult> {
    const ask = body as { number: string; account?: string };
    const text = ask.number.trim();
    const parsed = parseDialLink(/^(tel|callto):/i.test(text) ? text : `tel:${text}`);
    if (!parsed.ok) this.refuseCommand(client!, 'dial', ask.account, 'not-dialable', parsed.reason);
    const accountId = this.dialAccount(client!, ask.account);
    const pending: PendingDial = { accountId, digits: digitsOf(parsed.number), client: client!.name, untilMs: Date.now() + PLACED_BY_WINDOW_MS };
    this.pendingDials.push(pending);
    try {
      await this.command(client!, 'dial', accountId, () => this.options.desk.dial(accountId, parsed.number));
    } catch (error) {
      this.pendingDials = this.pendingDials.filter((p) => p !== pending);
      throw error;
    }
    const answer: Record<string, string> = { status: 'dialing', account: accountId, number: parsed.number };
    if (parsed.extension) answer.extension = parsed.extension;
    return { status: 202, body: answer };
  }

  /** The account an app's dial goes out on: the one it names, else the agent's choice for links, else the only one that can. */
  private dialAccount(client: ClientRecord, named: string | undefined): string {
    const accounts = this.options.desk.state.accounts;
    const usable = (id: string): boolean => accounts[id]?.canDial === true && accounts[id]?.connection === 'connected';
    if (named !== undefined) {
      const account = accounts[named];
      if (!account) this.refuseCommand(client, 'dial', named, 'no-account', `There is no account “${named.slice(0, 40)}”. The accounts are in GET /api/v1/desk.`);
      if (!account.canDial) this.refuseCommand(client, 'dial', named, 'no-account', `${account.label} does not place calls.`);
      if (account.connection !== 'connected') this.refuseCommand(client, 'dial', named, 'no-account', `${account.label} is not connected (${account.connection}).`);
      return named;
    }
    const remembered = this.options.desk.rememberedDialAccount();
    if (remembered && usable(remembered)) return remembered;
    const candidates = Object.keys(accounts).filter(usable);
    if (candidates.length === 1) return candidates[0]!;
    if (candidates.length === 0) this.refuseCommand(client, 'dial', undefined, 'no-account', 'No connected account places calls right now.');
    return this.refuseCommand(client, 'dial', undefined, 'no-account', `Several accounts place calls (${candidates.join(', ')}): name one in “account”.`);
  }

  private async callAction({ client, params }: RequestContext, action: CallAction): Promise<HandlerResult> {
    const key = params.callId as string;
    const call = this.options.desk.state.calls[key];
    if (!call) this.refuseCommand(client!, action, undefined, 'not-found', 'No live call has that id (it may have ended). The live calls are in GET /api/v1/desk.');
    await this.command(client!, action, call.accountId, () => this.options.desk.callAction(key, action));
    return { status: 200, body: { status: 'done', command: action, call: key } };
  }

  private async setPresence({ client, body }: RequestContext): Promise<HandlerResult> {
    const ask = body as { state: PresenceState; reason?: string; account?: string };
    const desk = this.options.desk;
    if (ask.account !== undefined) {
      if (!desk.state.accounts[ask.account]) this.refuseCommand(client!, 'presence', ask.account, 'no-account', `There is no account “${ask.account.slice(0, 40)}”.`);
      await this.command(client!, 'presence', ask.account, () => desk.setAccountPresence(ask.account!, ask.state, ask.reason));
      return { status: 200, body: { status: 'done', state: ask.state, accounts: [ask.account] } };
    }
    const targets = Object.values(desk.state.accounts)
      .filter((a) => a.connection === 'connected' && a.presenceOptions.includes(ask.state))
      .map((a) => a.id);
    await this.command(client!, 'presence', undefined, () => desk.setPresence(ask.state, ask.reason));
    return { status: 200, body: { status: 'done', state: ask.state, accounts: targets } };
  }

  private async sendChatMessage({ client, params, body }: RequestContext): Promise<HandlerResult> {
    const key = params.chatId as string;
    const chat = chatOf(this.options.desk.state, key);
    if (!chat) this.refuseCommand(client!, 'chat-message', undefined, 'not-found', 'No chat on the desk has that id. The chats are in GET /api/v1/desk.');
    await this.command(client!, 'chat-message', chat.accountId, () => this.options.desk.sendChatMessage(key, (body as { text: string }).text));
    return { status: 200, body: { status: 'sent', chat: key } };
  }
}

function clientView(client: ClientRecord): { id: string; name: string; origin?: string; scopes: ClientRecord['scopes'] } {
  return { id: client.id, name: client.name, scopes: [...client.scopes], ...(client.origin ? { origin: client.origin } : {}) };
}

/** A refused pairing request, as the problem the app receives. */
function refusePairing(refusal: PairingRefusal, retryAfterMs?: number): never {
  const retry: Record<string, string> = retryAfterMs === undefined ? {} : { 'Retry-After': String(Math.ceil(retryAfterMs / 1000)) };
  const extra = retryAfterMs === undefined ? {} : { retryAfterSec: Math.ceil(retryAfterMs / 1000) };
  switch (refusal) {
    case 'pairing-off':
      return fail('pairing-off', 'Pairing is turned off here (automation.pairing). Ask your administrator to list this app in automation.clients.');
    case 'already-pending':
      return fail('pairing-pending', 'This app already asked and the agent has not answered yet: poll that request.');
    case 'cooldown':
      return fail('pairing-cooldown', 'The agent denied this app a moment ago. Ask again later, and only when the agent expects it.', extra, retry);
    case 'too-many-pending':
      return fail('too-many-pending', 'Other apps are waiting for the agent’s answer. Ask again later.', extra, retry);
    case 'too-many-clients':
      return fail('too-many-clients', 'Too many apps are paired with this desk. The agent can revoke one in the settings.');
  }
}
