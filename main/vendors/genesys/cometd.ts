/**
 * The GWS notification channel: one CometD (Bayeux) client, long-polling only, at
 * `{baseUrl}/api/v2/notifications`, sharing the connection's cookie jar, living as one supervisor
 * {@link Session}: one handshake, the four subscriptions, and a `closed` that settles with a cause
 * the moment the CometD session ends in any way the client did not ask for.
 *
 * Rules (VENDOR-NOTES.md, Genesys — "Base", "Sequence", "Reconnect", "Libraries", "Server-ended
 * sessions" [C]):
 * - long-polling only (GWS has no WebSocket transport): the client comes from
 *   {@link createScopedCometD}, which never registers `websocket`;
 * - subscriptions are made inside the `/meta/handshake` listener (the CometD client drops them on
 *   every re-handshake);
 * - a CometD server ends a session by a successful `/meta/disconnect` (the stock client then stops
 *   for good, silently), by answering `/meta/connect` with `advice.reconnect: "none"` (the same), or
 *   with `402::Unknown client` (the stock client re-handshakes, which fails when the HTTP session is
 *   gone too); a long poll may also fail (5xx, a reset) or stay silent past its timeout.
 *
 * Decision [I]: **every** such end closes this session with the cause, and the CometD client's own
 * retries and re-handshakes are switched off (a meta listener that disconnects makes it give up:
 * cometd `Client.js`, "The listeners may have disconnected"). The connection supervisor then shows
 * `reconnecting`, logs the cause at warn, and opens a fresh connection: a new login (new
 * `JSESSIONID`), a new handshake, the subscriptions, a REST re-read. One way to heal, whatever ended
 * the session; a stock client left deaf, showing "Connected", is what this prevents.
 */
import type { Message } from 'cometd';
import type { CookieJar } from 'tough-cookie';
import type { SubscriptionIssue } from '../../../common/model.js';
import { ConnectionError } from '../../desk/port.js';
import type { DeskLogger as Logger } from '../../desk/port.js';
import type { Session } from '../kit/supervisor.js';
import { createScopedCometD, type ScopedCometD } from './cometd-runtime.js';

/** The four topics the connector listens to [C]. */
export const GENESYS_TOPICS = ['/v2/me/calls', '/v2/me/chats', '/v2/me/devices', '/v2/me/channels'] as const;

/** CometD client tuning (tests shorten it). */
export interface CometdTuning {
  /**
   * How late, ms, a reply may be: past the server's long-poll timeout plus this, a silent long poll
   * ends the session (default 10 000, CometD's own default).
   */
  maxNetworkDelayMs?: number;
  /** How long the handshake plus subscriptions may take, ms (default 20 000). */
  openTimeoutMs?: number;
  /**
   * The largest notification accepted, bytes of its JSON (default 1 MiB [I]: GWS documents no
   * limit; a chat line or attached data that large is not for a desk). Larger ones are dropped with
   * a warning; the session lives on.
   */
  maxMessageBytes?: number;
}

/** Default of {@link CometdTuning.maxMessageBytes}: 1 MiB. */
export const DEFAULT_MAX_MESSAGE_BYTES = 1_048_576;

/** What the channel needs from its owner. */
export interface NotificationChannelOptions {
  url: string;
  /** The connection's cookie jar (JSESSIONID from the REST login; CometD's BAYEUX_BROWSER goes there too). */
  jar: CookieJar;
  log: Logger;
  /** Extra headers for every Bayeux POST (the CSRF pair), read at send time. */
  headers: () => Record<string, string>;
  tuning?: CometdTuning;
  /** A notification arrived on one of {@link GENESYS_TOPICS}: `data` is the message's `data` element. */
  onNotification(channel: string, data: unknown): void;
  /** A long poll was answered successfully: a sign of life of the session (cheap). */
  onAlive?(): void;
}

/** One CometD session as a supervisor session. Create, then {@link NotificationChannel.open}. */
export class NotificationChannel implements Session {
  readonly closed: Promise<Error | undefined>;
  private resolveClosed!: (cause: Error | undefined) => void;
  private cometd: ScopedCometD | undefined;
  /** Set once the session is over (closed on purpose, or lost): later CometD events are ignored. */
  private over = false;
  private handshaken = false;
  private opening: { resolve(issues: SubscriptionIssue[]): void; reject(error: Error): void } | undefined;

  constructor(private readonly options: NotificationChannelOptions) {
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
  }

  /**
   * Handshakes and subscribes the four topics.
   * @returns the subscriptions the server refused (empty when all went through).
   * @throws {ConnectionError} (transient) when the handshake is denied or fails, or nothing
   *   succeeded within `openTimeoutMs`.
   */
  open(): Promise<SubscriptionIssue[]> {
    const { tuning = {}, log } = this.options;
    const openTimeoutMs = tuning.openTimeoutMs ?? 20_000;
    const maxMessageBytes = tuning.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    const cometd = createScopedCometD({
      url: this.options.url,
      jar: this.options.jar,
      log,
      headers: this.options.headers,
      configuration: { maxNetworkDelay: tuning.maxNetworkDelayMs ?? 10_000, appendMessageTypeToURL: true },
      maxMessageBytes,
      onOversized: ({ channel, bytes }) =>
        log.warn({ topic: channel, bytes, limitBytes: maxMessageBytes }, 'dropped an oversized Genesys notification'),
    });
    this.cometd = cometd;
    // Synchronous: they must run before CometD decides on its own retry (see the module docs).
    for (const meta of ['/meta/handshake', '/meta/connect', '/meta/disconnect']) {
      cometd.addListener(meta, (message) => this.onMeta(message), { sync: true });
    }
    const opened = new Promise<SubscriptionIssue[]>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new ConnectionError(`Genesys notifications did not answer within ${Math.round(openTimeoutMs / 1000)} s`)),
        openTimeoutMs,
      );
      this.opening = {
        resolve: (issues) => {
          clearTimeout(timer);
          resolve(issues);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
    });
    cometd.handshake();
    return opened.then(
      (issues) => {
        this.opening = undefined;
        return issues;
      },
      async (error: unknown) => {
        this.opening = undefined;
        this.over = true;
        await cometd.disconnect();
        throw error;
      },
    );
  }

  /** Disconnects cleanly (a `/meta/disconnect` from the client); `closed` settles with `undefined`. */
  async close(): Promise<void> {
    if (this.over) return;
    this.over = true;
    await this.cometd?.disconnect();
    this.resolveClosed(undefined);
  }

  /**
   * Every meta reply, inside CometD's own call. A reply that ends the session stops the client at
   * once (so it neither retries nor re-handshakes by itself) and ends this session with the cause.
   */
  private onMeta(message: Message): void {
    if (this.over) return;
    const cause = this.endOf(message);
    if (!cause) {
      if (message.channel === '/meta/connect') this.options.onAlive?.();
      if (message.channel === '/meta/handshake') {
        this.handshaken = true;
        queueMicrotask(() => this.subscribeAll());
      }
      return;
    }
    this.over = true;
    const cometd = this.cometd!.raw;
    if (!cometd.isDisconnected()) cometd.disconnect();
    queueMicrotask(() => this.end(cause));
  }

  /**
   * Why `message` ends the session, or undefined when it does not. The server's `advice.interval`
   * on an ending (Bayeux: how long to wait before the next attempt, ms) is its "try later": the
   * supervisor waits at least that long. A long poll refused with HTTP 401 is a refused sign-in.
   */
  private endOf(message: Message): ConnectionError | undefined {
    const ending = this.endingOf(message);
    if (!ending) return undefined;
    const failure = (message as { failure?: { httpCode?: number } }).failure;
    const interval = message.advice?.interval;
    const retryAfterMs = typeof interval === 'number' && interval > 0 ? interval : undefined;
    const unauthorized = failure?.httpCode === 401;
    return retryAfterMs !== undefined || unauthorized ? new ConnectionError(ending.message, false, { retryAfterMs, unauthorized }) : ending;
  }

  private endingOf(message: Message): ConnectionError | undefined {
    const failure = (message as { failure?: { httpCode?: number; reason?: string } }).failure;
    const error = typeof message.error === 'string' ? message.error : undefined;
    switch (message.channel) {
      case '/meta/handshake':
        if (!message.successful) {
          if (error?.startsWith('403')) return new ConnectionError('Genesys refused the notification handshake (its HTTP session was not accepted)');
          return new ConnectionError(`the Genesys notification handshake failed${detail(failure, error)}`);
        }
        // The client re-handshakes only on its own retries, which this channel switches off.
        return this.handshaken ? new ConnectionError('the Genesys notification session was re-established without a login') : undefined;
      case '/meta/connect':
        if (message.successful) {
          return message.advice?.reconnect === 'none' ? new ConnectionError('Genesys closed the notification session (advice: reconnect none)') : undefined;
        }
        if (error?.startsWith('402')) return new ConnectionError(`Genesys no longer knows the notification session (${error})`);
        if (failure?.reason?.includes('expired')) return new ConnectionError('Genesys notifications stayed silent past the long-poll timeout');
        return new ConnectionError(`the Genesys notification long poll failed${detail(failure, error)}`);
      case '/meta/disconnect':
        return new ConnectionError('Genesys ended the notification session (/meta/disconnect)');
      default:
        return undefined;
    }
  }

  private end(cause: ConnectionError): void {
    if (this.opening) {
      this.opening.reject(cause);
      return;
    }
    this.options.log.info({ reason: cause.message }, 'Genesys notification session ended');
    void this.cometd?.disconnect();
    this.resolveClosed(cause);
  }

  /** Subscribes every topic (after the handshake); the first time, resolves {@link open}. */
  private subscribeAll(): void {
    const cometd = this.cometd!;
    const issues: SubscriptionIssue[] = [];
    let pending = GENESYS_TOPICS.length;
    const done = (): void => {
      pending -= 1;
      if (pending === 0 && !this.over) this.opening?.resolve(issues);
    };
    cometd.run((c) =>
      c.batch(() => {
        for (const topic of GENESYS_TOPICS) {
          cometd.subscribe(
            topic,
            (message) => {
              if (!this.over) this.options.onNotification(message.channel, message.data);
            },
            (reply) => {
              if (!reply.successful) issues.push({ entity: 'me', topic, message: String(reply.error ?? 'subscription refused') });
              done();
            },
          );
        }
      }),
    );
  }
}

/** ` (HTTP 503)`, ` (402::…)`, ` (reason)` or nothing: what a failed meta reply says. */
function detail(failure: { httpCode?: number; reason?: string } | undefined, error: string | undefined): string {
  if (failure?.httpCode && failure.httpCode >= 400) return ` (HTTP ${failure.httpCode})`;
  if (error) return ` (${error})`;
  if (failure?.reason) return ` (${failure.reason})`;
  return '';
}
