/**
 * Who may use the automation API: the apps the agent paired and the ones an administrator listed
 * (`automation.clients`), their tokens, and the pairing requests waiting for the agent's answer.
 *
 * - A token is 256 random bits (`aca_` + 43 base64url characters; the prefix lets secret scanners
 *   find a leaked one). Only its SHA-256 is kept, in memory and in the host's store, with the app's
 *   name, origin, scopes, creation and last use. The token itself exists once: in the answer to the
 *   poll that collects it.
 * - Pairing (ARCHITECTURE.md, principle 13: nothing acts on the agent's phone without a yes): an app
 *   asks with its name, its origin when it is a web page, and the scopes it wants; the desk shows
 *   the request until the agent allows or denies it, or it expires ({@link PAIRING_TTL_MS}). To keep
 *   a page from pestering the agent, at most {@link MAX_PENDING} requests wait at once, one per app,
 *   and an app the agent denied waits {@link DENIED_COOLDOWN_MS} before it may ask again.
 * - Revoking takes effect at once: the next request with the token is refused, and listeners
 *   ({@link ClientRegistry.onRevoke}) close the app's open event streams.
 */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { API_SCOPES, type ApiClientInfo, type ApiScope, type PairingRequest } from '../../common/automation.js';

/** How long a pairing request waits for the agent, ms. */
export const PAIRING_TTL_MS = 120_000;
/** How long an answered request waits for its app to collect the answer, ms. */
export const PAIRING_COLLECT_MS = 120_000;
/** How many pairing requests may wait for the agent at once. */
export const MAX_PENDING = 3;
/** How long an app the agent denied must wait before it asks again, ms. */
export const DENIED_COOLDOWN_MS = 60_000;
/** How many paired apps (not counting the administrator's) the desk keeps. */
export const MAX_CLIENTS = 20;
/** How often an app's last use is recorded at most, ms (the view and the store change no more often). */
export const LAST_USE_STEP_MS = 5_000;
/** How long a changed last use waits before it is written, ms. */
export const STORE_WRITE_DELAY_MS = 10_000;
/** The shortest token an administrator may configure (characters). */
export const MIN_MANAGED_TOKEN_LENGTH = 32;

/** A token as this module makes them. */
export const TOKEN_PATTERN = /aca_[A-Za-z0-9_-]{43}/;

/** A JSON document that writes itself when assigned: electron-store's `store`, or the web host's file (`main/preferences.ts`). */
export interface ClientDocument {
  store: Record<string, unknown>;
}

/** A client as the registry holds it. */
export interface ClientRecord {
  id: string;
  name: string;
  origin?: string;
  scopes: ApiScope[];
  /** SHA-256 of the token, hex. */
  tokenSha256: string;
  createdAt: string;
  lastUsedAt?: string;
  managed: boolean;
}

/** A pairing request and, once answered, its outcome. */
interface Pending {
  request: PairingRequest;
  state: 'pending' | 'allowed' | 'denied' | 'expired';
  /** Set when allowed, until collected. */
  token?: string;
  clientId?: string;
  /** When the request leaves the registry (ms since epoch). */
  dropAt: number;
  waiters: Set<() => void>;
}

/** Why a pairing request was refused. */
export type PairingRefusal = 'pairing-off' | 'too-many-pending' | 'already-pending' | 'cooldown' | 'too-many-clients';

/** What a poll answers. */
export type PairingOutcome =
  | { status: 'pending'; expiresAt: string }
  | { status: 'allowed'; token: string; clientId: string; scopes: ApiScope[] }
  | { status: 'denied' }
  | { status: 'expired' };

/** The stored document, checked on read; a bad entry is dropped on its own. */
const storedClientSchema = z.object({
  id: z.string().min(1).max(100),
  name: z.string().min(1).max(60),
  origin: z.string().max(200).optional(),
  scopes: z.array(z.enum(API_SCOPES)).min(1),
  tokenSha256: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.string().max(40),
  lastUsedAt: z.string().max(40).optional(),
});
const DOCUMENT_VERSION = 1;

/** SHA-256 of a token, hex. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A new token: `aca_` and 256 random bits, base64url. */
export function newToken(): string {
  return `aca_${randomBytes(32).toString('base64url')}`;
}

/** An administrator's client, its token resolved. */
export interface ManagedClient {
  name: string;
  origin?: string;
  scopes: ApiScope[];
  token: string;
}

export interface ClientRegistryOptions {
  /** Where paired apps are kept; in memory when absent. */
  store?: ClientDocument;
  /** The administrator's apps (`automation.clients`), tokens resolved. */
  managed?: readonly ManagedClient[];
  /** Whether apps may ask to pair (`automation.pairing`). */
  pairing: boolean;
  log: { info(fields: object, message: string): void; warn(fields: object, message: string): void; error(fields: object, message: string): void };
  /** The time now, ms since epoch (tests pass a fake clock). */
  nowMs?: () => number;
  /** Timers for expiry and delayed writes; tests pass fake ones. */
  timers?: { setTimeout(run: () => void, ms: number): unknown; clearTimeout(handle: unknown): void };
}

const iso = (ms: number): string => new Date(ms).toISOString();

export class ClientRegistry {
  private readonly byHash = new Map<string, ClientRecord>();
  private readonly byId = new Map<string, ClientRecord>();
  private readonly pending = new Map<string, Pending>();
  /** Apps the agent denied, by pairing identity, until when they must wait (ms). */
  private readonly denied = new Map<string, number>();
  private readonly changeListeners = new Set<() => void>();
  private readonly revokeListeners = new Set<(client: ClientRecord) => void>();
  private readonly nowMs: () => number;
  private readonly timers: NonNullable<ClientRegistryOptions['timers']>;
  private writeTimer: unknown;
  private sweepTimer: unknown;
  /** Problems with the administrator's clients, in words. */
  readonly problems: string[] = [];
  readonly pairingAllowed: boolean;

  constructor(private readonly options: ClientRegistryOptions) {
    this.nowMs = options.nowMs ?? Date.now;
    this.timers = options.timers ?? {
      setTimeout: (run, ms) => setTimeout(run, ms).unref(),
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    };
    this.pairingAllowed = options.pairing;
    this.load();
    const started = iso(this.nowMs());
    (options.managed ?? []).forEach((client, i) => {
      if (client.token.length < MIN_MANAGED_TOKEN_LENGTH) {
        this.problems.push(`automation.clients[${i}].token: is shorter than ${MIN_MANAGED_TOKEN_LENGTH} characters, so "${client.name}" cannot use the API`);
        return;
      }
      const record: ClientRecord = { id: `managed-${i + 1}`, name: client.name, scopes: [...client.scopes], tokenSha256: tokenHash(client.token), createdAt: started, managed: true };
      if (client.origin) record.origin = client.origin;
      if (this.byHash.has(record.tokenSha256)) {
        this.problems.push(`automation.clients[${i}].token: is the token of another client, so "${client.name}" cannot use the API`);
        return;
      }
      this.add(record);
    });
  }

  /** The client a token belongs to; `undefined` for a token never issued or revoked. */
  authenticate(token: string): ClientRecord | undefined {
    if (token.length > 512 || (!TOKEN_PATTERN.test(token) && token.length < MIN_MANAGED_TOKEN_LENGTH)) return undefined;
    return this.byHash.get(tokenHash(token));
  }

  /** A client by id. */
  client(id: string): ClientRecord | undefined {
    return this.byId.get(id);
  }

  /** Any client (paired or managed) for this web origin. */
  hasOrigin(origin: string): boolean {
    for (const client of this.byId.values()) if (client.origin === origin) return true;
    return false;
  }

  /** The client made a request: its last use moves on (at most every {@link LAST_USE_STEP_MS}). */
  touch(client: ClientRecord): void {
    const now = this.nowMs();
    if (client.lastUsedAt && now - Date.parse(client.lastUsedAt) < LAST_USE_STEP_MS) return;
    client.lastUsedAt = iso(now);
    if (!client.managed) this.scheduleWrite();
    this.changed();
  }

  /**
   * An app asks to pair.
   * @returns the request shown to the agent, or why it is refused (and, for a wait, how long in ms).
   */
  requestPairing(ask: { name: string; origin?: string; scopes: ApiScope[] }): { request: PairingRequest } | { refused: PairingRefusal; retryAfterMs?: number } {
    this.sweep();
    if (!this.pairingAllowed) return { refused: 'pairing-off' };
    const identity = pairingIdentity(ask);
    const now = this.nowMs();
    const until = this.denied.get(identity);
    if (until !== undefined && until > now) return { refused: 'cooldown', retryAfterMs: until - now };
    const waiting = [...this.pending.values()].filter((p) => p.state === 'pending');
    if (waiting.some((p) => pairingIdentity(p.request) === identity)) return { refused: 'already-pending' };
    if (waiting.length >= MAX_PENDING) return { refused: 'too-many-pending', retryAfterMs: Math.max(1000, Math.min(...waiting.map((p) => p.dropAt - now))) };
    const replaces = [...this.byId.values()].some((c) => !c.managed && c.name === ask.name && c.origin === ask.origin);
    if (!replaces && this.pairedCount() >= MAX_CLIENTS) return { refused: 'too-many-clients' };
    const request: PairingRequest = { id: randomBytes(16).toString('base64url'), name: ask.name, scopes: API_SCOPES.filter((s) => ask.scopes.includes(s)), at: iso(now), expiresAt: iso(now + PAIRING_TTL_MS) };
    if (ask.origin) request.origin = ask.origin;
    if (replaces) request.replaces = true;
    this.pending.set(request.id, { request, state: 'pending', dropAt: now + PAIRING_TTL_MS, waiters: new Set() });
    this.options.log.info({ client: ask.name, origin: ask.origin, scopes: request.scopes }, 'an app asks to use the automation API');
    this.scheduleSweep();
    this.changed();
    return { request };
  }

  /**
   * What a poll of a pairing request answers. An `allowed` answer carries the token exactly once:
   * the request is gone after it.
   * @returns `undefined` for an unknown request (never made, already collected, or long gone).
   */
  pairingStatus(id: string): PairingOutcome | undefined {
    this.sweep();
    const entry = this.pending.get(id);
    if (!entry) return undefined;
    switch (entry.state) {
      case 'pending':
        return { status: 'pending', expiresAt: entry.request.expiresAt };
      case 'allowed': {
        this.pending.delete(id);
        return { status: 'allowed', token: entry.token!, clientId: entry.clientId!, scopes: [...entry.request.scopes] };
      }
      case 'denied':
        return { status: 'denied' };
      case 'expired':
        return { status: 'expired' };
    }
  }

  /** Resolves when the request is answered, expires or is gone, or after `ms`. */
  waitForAnswer(id: string, ms: number): Promise<void> {
    const entry = this.pending.get(id);
    if (!entry || entry.state !== 'pending' || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.timers.clearTimeout(timer);
        entry.waiters.delete(done);
        resolve();
      };
      const timer = this.timers.setTimeout(done, ms);
      entry.waiters.add(done);
    });
  }

  /**
   * The agent answered a pairing request.
   * @returns the new client when allowed; `undefined` when denied.
   * @throws {Error} with a message for the agent when the request is no longer waiting.
   */
  answer(id: string, allow: boolean): ClientRecord | undefined {
    this.sweep();
    const entry = this.pending.get(id);
    if (!entry || entry.state !== 'pending') throw new Error('That request is no longer waiting for an answer.');
    const now = this.nowMs();
    const { request } = entry;
    entry.dropAt = now + PAIRING_COLLECT_MS;
    let client: ClientRecord | undefined;
    if (allow) {
      for (const old of [...this.byId.values()]) if (!old.managed && old.name === request.name && old.origin === request.origin) this.revoke(old.id, 'replaced');
      const token = newToken();
      client = { id: `c_${randomBytes(9).toString('base64url')}`, name: request.name, scopes: [...request.scopes], tokenSha256: tokenHash(token), createdAt: iso(now), managed: false };
      if (request.origin) client.origin = request.origin;
      this.add(client);
      entry.state = 'allowed';
      entry.token = token;
      entry.clientId = client.id;
      this.write();
      this.options.log.info({ client: client.name, origin: client.origin, scopes: client.scopes }, 'the agent allowed an app to use the automation API');
    } else {
      entry.state = 'denied';
      this.denied.set(pairingIdentity(request), now + DENIED_COOLDOWN_MS);
      this.options.log.info({ client: request.name, origin: request.origin }, 'the agent denied an app the automation API');
    }
    this.wake(entry);
    this.changed();
    return client;
  }

  /**
   * Takes a client's access away at once.
   * @throws {Error} with a message for the agent for an unknown or an administrator's client.
   */
  revoke(id: string, why: 'agent' | 'replaced' | 'self' = 'agent'): ClientRecord {
    const client = this.byId.get(id);
    if (!client) throw new Error('That app is no longer paired.');
    if (client.managed) throw new Error(`${client.name} is allowed by your administrator; it cannot be revoked here.`);
    this.byId.delete(id);
    this.byHash.delete(client.tokenSha256);
    this.write();
    this.options.log.info({ client: client.name, origin: client.origin, why }, 'revoked an app’s access to the automation API');
    for (const listener of this.revokeListeners) listener(client);
    this.changed();
    return client;
  }

  /** The paired and managed apps, for the window (no token, no hash). */
  clients(): ApiClientInfo[] {
    return [...this.byId.values()].map((c) => {
      const info: ApiClientInfo = { id: c.id, name: c.name, scopes: [...c.scopes], createdAt: c.createdAt, managed: c.managed };
      if (c.origin) info.origin = c.origin;
      if (c.lastUsedAt) info.lastUsedAt = c.lastUsedAt;
      return info;
    });
  }

  /** The requests waiting for the agent, oldest first. */
  requests(): PairingRequest[] {
    return [...this.pending.values()].filter((p) => p.state === 'pending').map((p) => p.request);
  }

  /** Listens to any change of the clients or the requests. Returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Listens to revocations (streams of that client close). Returns the unsubscribe function. */
  onRevoke(listener: (client: ClientRecord) => void): () => void {
    this.revokeListeners.add(listener);
    return () => this.revokeListeners.delete(listener);
  }

  /** Writes a pending last-use change and stops the timers. */
  close(): void {
    if (this.writeTimer !== undefined) {
      this.timers.clearTimeout(this.writeTimer);
      this.writeTimer = undefined;
      this.write();
    }
    if (this.sweepTimer !== undefined) this.timers.clearTimeout(this.sweepTimer);
    this.sweepTimer = undefined;
    for (const entry of this.pending.values()) this.wake(entry);
  }

  private pairedCount(): number {
    let n = 0;
    for (const client of this.byId.values()) if (!client.managed) n += 1;
    return n;
  }

  private add(client: ClientRecord): void {
    this.byId.set(client.id, client);
    this.byHash.set(client.tokenSha256, client);
  }

  private wake(entry: Pending): void {
    for (const waiter of [...entry.waiters]) waiter();
  }

  private changed(): void {
    for (const listener of this.changeListeners) listener();
  }

  /** Expires what waited too long and forgets what was answered long ago. */
  private sweep(): void {
    const now = this.nowMs();
    let changed = false;
    for (const [id, entry] of this.pending) {
      if (entry.dropAt > now) continue;
      if (entry.state === 'pending') {
        entry.state = 'expired';
        entry.dropAt = now + PAIRING_COLLECT_MS;
        this.wake(entry);
        this.options.log.info({ client: entry.request.name, origin: entry.request.origin }, 'a request to use the automation API expired unanswered');
      } else {
        this.pending.delete(id);
      }
      changed = true;
    }
    for (const [identity, until] of this.denied) if (until <= now) this.denied.delete(identity);
    if (changed) this.changed();
  }

  /** One timer for the earliest expiry, so a request leaves the window when it expires. */
  private scheduleSweep(): void {
    if (this.sweepTimer !== undefined) this.timers.clearTimeout(this.sweepTimer);
    this.sweepTimer = undefined;
    const next = Math.min(...[...this.pending.values()].map((p) => p.dropAt));
    if (!Number.isFinite(next)) return;
    this.sweepTimer = this.timers.setTimeout(() => {
      this.sweepTimer = undefined;
      this.sweep();
      this.scheduleSweep();
    }, Math.max(0, next - this.nowMs()));
  }

  private scheduleWrite(): void {
    this.writeTimer ??= this.timers.setTimeout(() => {
      this.writeTimer = undefined;
      this.write();
    }, STORE_WRITE_DELAY_MS);
  }

  /** Writes the paired apps (never the administrator's; never a token). A failure is logged, never thrown. */
  private write(): void {
    if (!this.options.store) return;
    const clients = [...this.byId.values()]
      .filter((c) => !c.managed)
      .map(({ managed: _managed, ...stored }) => stored);
    try {
      this.options.store.store = { version: DOCUMENT_VERSION, clients };
    } catch (error) {
      this.options.log.error({ err: error }, 'the paired apps could not be saved; they are kept until the app quits');
    }
  }

  private load(): void {
    if (!this.options.store) return;
    let document: Record<string, unknown>;
    try {
      document = this.options.store.store;
    } catch (error) {
      this.options.log.error({ err: error }, 'the paired apps could not be read; apps must pair again');
      return;
    }
    const entries = Array.isArray(document.clients) ? (document.clients as unknown[]) : [];
    let dropped = 0;
    for (const entry of entries) {
      const parsed = storedClientSchema.safeParse(entry);
      if (!parsed.success || this.byId.has(parsed.data.id) || this.byHash.has(parsed.data.tokenSha256)) {
        dropped += 1;
        continue;
      }
      const record: ClientRecord = { ...parsed.data, scopes: API_SCOPES.filter((s) => parsed.data.scopes.includes(s)), managed: false };
      if (record.origin === undefined) delete record.origin;
      if (record.lastUsedAt === undefined) delete record.lastUsedAt;
      this.add(record);
    }
    if (dropped) this.options.log.warn({ dropped }, `left out ${dropped} stored paired apps that are not valid; they must pair again`);
  }
}

/** What tells one app from another when it asks to pair: its origin (a page), else its name. */
function pairingIdentity(ask: { name: string; origin?: string }): string {
  return ask.origin ? `origin:${ask.origin}` : `name:${ask.name}`;
}
