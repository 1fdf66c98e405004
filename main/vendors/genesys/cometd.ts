/**
 * The GWS notification channel: one CometD (Bayeux) client, long-polling only, at
 * `{baseUrl}/api/v2/notifications`, sharing the REST client's cookie jar, and living as one
 * supervisor {@link Session}.
 *
 * Rules (VENDOR-NOTES.md, Genesys — "Base", "Sequence", "Reconnect", "Libraries" [C]):
 * - long-polling only (GWS has no WebSocket transport): the client is built by
 *   {@link createScopedCometD}, which never registers `websocket`;
 * - the CometD client drops all subscriptions on every re-handshake while listeners survive, so
 *   the four `/v2/me/*` subscriptions are made **inside the `/meta/handshake` listener**; a
 *   re-handshake (`message.reestablish`, or any handshake after the first) re-subscribes and then
 *   asks the owner to recover state over REST (messages published meanwhile were lost);
 * - CometD retries by itself (backoff +`backoffIncrement` per failure up to `maxBackoff`); while it
 *   does, the account shows `reconnecting`. After `maxFailures` consecutive failures, or when the
 *   server denies a handshake (the HTTP session is gone), the session closes with an error and the
 *   supervisor logs in again from scratch.
 */
import type { Message } from 'cometd';
import type { CookieJar } from 'tough-cookie';
import type { ConnectorEvent } from '../../desk/events.js';
import type { SubscriptionIssue } from '../../desk/model.js';
import type { Logger } from '../../log.js';
import { createScopedCometD, type ScopedCometD } from './cometd-runtime.js';
import { ConnectionError } from '../../desk/port.js';
import type { Session } from '../kit/supervisor.js';

/** The four topics the connector listens to [C]. */
export const GENESYS_TOPICS = ['/v2/me/calls', '/v2/me/chats', '/v2/me/devices', '/v2/me/channels'] as const;

/** CometD client tuning; defaults follow the notes (+1 s per failure, up to 60 s). */
export interface CometdTuning {
  /** ms added to the retry delay after each failure (default 1 000). */
  backoffIncrementMs?: number;
  /** Longest retry delay, ms (default 60 000). */
  maxBackoffMs?: number;
  /** How long past the long-poll timeout a reply may be late, ms (default 10 000). */
  maxNetworkDelayMs?: number;
  /** Consecutive handshake/connect failures before the session is given up (default 5). */
  maxFailures?: number;
  /** How long the first handshake plus subscriptions may take, ms (default 20 000). */
  openTimeoutMs?: number;
}

/** What the channel needs from its owner. */
export interface NotificationChannelOptions {
  url: string;
  jar: CookieJar;
  log: Logger;
  /** Extra headers for every Bayeux POST (the CSRF pair), read at send time. */
  headers: () => Record<string, string>;
  tuning?: CometdTuning;
  emit(event: ConnectorEvent): void;
  /** A notification arrived on one of {@link GENESYS_TOPICS}: `data` is the message's `data` element. */
  onNotification(channel: string, data: unknown): void;
  /** A re-handshake completed and the topics are subscribed again: recover state over REST. */
  onResubscribed(): void;
}

/** One CometD client as a supervisor session. Create, then {@link NotificationChannel.open}. */
export class NotificationChannel implements Session {
  readonly closed: Promise<Error | undefined>;
  private resolveClosed!: (cause: Error | undefined) => void;
  private cometd: ScopedCometD | undefined;
  private ended = false;
  private handshakes = 0;
  private failures = 0;
  private degraded = false;
  private opening: { resolve(): void; reject(error: Error): void } | undefined;

  constructor(private readonly options: NotificationChannelOptions) {
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
  }

  /**
   * Handshakes and subscribes the four topics.
   * @throws {ConnectionError} (transient) when the handshake is denied or fails, or within
   *   `openTimeoutMs` nothing succeeded.
   */
  open(): Promise<void> {
    const { tuning = {}, log } = this.options;
    const cometd = createScopedCometD({
      url: this.options.url,
      jar: this.options.jar,
      log,
      headers: this.options.headers,
      configuration: {
        backoffIncrement: tuning.backoffIncrementMs ?? 1_000,
        maxBackoff: tuning.maxBackoffMs ?? 60_000,
        maxNetworkDelay: tuning.maxNetworkDelayMs ?? 10_000,
        appendMessageTypeToURL: true,
      },
    });
    this.cometd = cometd;
    cometd.addListener('/meta/handshake', (message) => this.onHandshake(message));
    cometd.addListener('/meta/connect', (message) => this.onConnect(message));
    const opened = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new ConnectionError(`Genesys notifications did not answer within ${Math.round((tuning.openTimeoutMs ?? 20_000) / 1000)} s`)),
        tuning.openTimeoutMs ?? 20_000,
      );
      this.opening = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
    });
    cometd.handshake();
    return opened.catch(async (error: unknown) => {
      this.opening = undefined;
      await this.dispose();
      throw error;
    });
  }

  /** Disconnects cleanly; `closed` settles with `undefined`. */
  async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.cometd?.disconnect();
    this.resolveClosed(undefined);
  }

  /** True after the first successful handshake + subscriptions, until closed. */
  get live(): boolean {
    return !this.ended && this.handshakes > 0 && this.opening === undefined;
  }

  private async dispose(): Promise<void> {
    this.ended = true;
    await this.cometd?.disconnect();
  }

  private fail(error: Error): void {
    if (this.ended) return;
    this.options.log.warn({ err: error }, 'Genesys notification session lost');
    void this.dispose();
    this.resolveClosed(error);
  }

  private onHandshake(message: Message): void {
    if (this.ended) return;
    const { log, emit } = this.options;
    if (!message.successful) {
      const denied = typeof message.error === 'string' && message.error.startsWith('403');
      const failure = (message as { failure?: { httpCode?: number; reason?: string } }).failure;
      const reason = denied
        ? 'Genesys denied the notification handshake (the HTTP session was not accepted)'
        : `the Genesys notification handshake failed${failure?.httpCode ? ` (HTTP ${failure.httpCode})` : ''}`;
      if (this.opening) {
        this.opening.reject(new ConnectionError(reason));
        return;
      }
      this.failures += 1;
      if (denied || this.failures >= (this.options.tuning?.maxFailures ?? 5)) {
        this.fail(new ConnectionError(reason));
        return;
      }
      this.markDegraded(reason);
      return;
    }
    this.handshakes += 1;
    this.failures = 0;
    const rehandshake = message.reestablish === true || this.handshakes > 1;
    log.debug({ rehandshake, clientId: message.clientId }, 'Genesys CometD handshake');
    this.subscribeAll().then(
      (issues) => {
        if (this.ended) return;
        emit({ type: 'subscriptions', issues });
        if (this.opening) {
          const opening = this.opening;
          this.opening = undefined;
          opening.resolve();
          return;
        }
        if (this.degraded) {
          this.degraded = false;
          emit({ type: 'connection', state: 'connected' });
        }
        if (rehandshake) this.options.onResubscribed();
      },
      (error: unknown) => log.warn({ err: error }, 'Genesys subscriptions failed'),
    );
  }

  private onConnect(message: Message): void {
    if (this.ended || this.opening) return;
    if (message.successful) {
      this.failures = 0;
      if (this.degraded) {
        this.degraded = false;
        this.options.emit({ type: 'connection', state: 'connected' });
      }
      return;
    }
    this.failures += 1;
    if (this.failures >= (this.options.tuning?.maxFailures ?? 5)) {
      this.fail(new ConnectionError('the Genesys notification channel keeps failing'));
      return;
    }
    this.markDegraded('lost the Genesys notification channel; reconnecting');
  }

  private markDegraded(reason: string): void {
    if (this.degraded) return;
    this.degraded = true;
    this.options.emit({ type: 'connection', state: 'reconnecting', reason, attempt: this.failures });
  }

  /** Subscribes every topic (inside the handshake listener); resolves with the refused ones. */
  private subscribeAll(): Promise<SubscriptionIssue[]> {
    const cometd = this.cometd!;
    return new Promise((resolve) => {
      const issues: SubscriptionIssue[] = [];
      let pending = GENESYS_TOPICS.length;
      const done = (): void => {
        pending -= 1;
        if (pending === 0) resolve(issues);
      };
      cometd.run((c) =>
        c.batch(() => {
          for (const topic of GENESYS_TOPICS) {
            cometd.subscribe(
              topic,
              (message) => {
                if (!this.ended) this.options.onNotification(message.channel, message.data);
              },
              (reply) => {
                if (!reply.successful) {
                  issues.push({ entity: 'me', topic, message: String(reply.error ?? 'subscription refused') });
                }
                done();
              },
            );
          }
        }),
      );
    });
  }
}
