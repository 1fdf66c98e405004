/**
 * Runs the browser CometD client (`cometd` 9) in Node without leaving browser globals behind.
 *
 * ## The problem
 * `cometd` is written for browsers: its code reads a bare `window` identifier at run time
 * (`window.setTimeout` in its scheduler, `window.WebSocket` in the constructor, `window.console`
 * for its own log lines, `window.XMLHttpRequest` in the long-polling transport, `window.location`
 * and `window.Worker` while configuring). `cometd-nodejs-client`'s `adapt()` answers that by
 * installing a **process-wide** `globalThis.window = { setTimeout, clearTimeout, console,
 * XMLHttpRequest, WebSocket }` — and it also rewrites `console.debug = console.log` for the whole
 * process, and keeps one `XMLHttpRequest` class (with one set of cookie hooks) for every CometD
 * client in the process (a second `adapt()` for a second account silently replaces the first's
 * cookie hooks).
 *
 * Many libraries decide "am I in a browser?" with `typeof window !== 'undefined'`. `@microsoft/signalr`
 * 10 checks `Platform.isNode` (from `process.release.name`) before `window`, so it survives a stray
 * `window`; but its `isBrowser`/`isReactNative` getters, and plenty of other libraries (HTTP
 * clients choosing an XHR adapter, loggers, feature detection in bundled code), do not. A global
 * `window` in the Electron main process is a trap for every other connector.
 *
 * ## The decision
 * No `window` global outside CometD's own code, and no `adapt()` call at all:
 * 1. **Own transport per client.** Each client gets a {@link ScopedLongPollingTransport}: a
 *    subclass of cometd's `LongPollingTransport` (the library's documented extension point:
 *    `registerTransport`) whose `xhrSend` creates `cometd-nodejs-client`'s Node `XMLHttpRequest`
 *    (the same HTTP implementation `adapt()` would install, with its proxy support and keep-alive
 *    agents) *per client*, with cookie hooks bound to that client's own tough-cookie jar. The
 *    `websocket` and `callback-polling` transports are never registered (long-polling only).
 * 2. **Scoped `window`.** CometD code only ever runs from entry points we own: our calls into its
 *    API, the timers it schedules through `window.setTimeout` (our shim), and the XHR callbacks of
 *    our transport. {@link inCometdScope} defines `globalThis.window` (non-enumerable, holding only
 *    `setTimeout`, `clearTimeout`, `console`, `XMLHttpRequest`) for the synchronous duration of
 *    such an entry, and restores the previous state (absent, or a foreign `window`) right after.
 *    JavaScript is single-threaded and `cometd` 9 uses no promises internally, so no other code
 *    can observe it — provided our own listeners do not call out while inside: every application
 *    listener registered through {@link ScopedCometD} is deferred to a microtask, which runs after
 *    the scope has closed.
 * 3. CometD's own log lines go to the pino logger given per client (debug/info → debug, warn → warn),
 *    not to the process console.
 * 4. **A size cap per message** (`maxMessageBytes`): an oversized notification is dropped from the
 *    long-poll response before CometD parses it, and reported, so a few-MB frame neither reaches the
 *    application nor costs the connection (the `/meta/*` replies in the same response are kept).
 *
 * Outside a CometD entry, `typeof window === 'undefined'` always holds; the integration test
 * `test/integration/genesys-coexistence.test.ts` runs a `@microsoft/signalr` connection in the same
 * process while a Genesys connector is live.
 *
 * Sources: `node_modules/cometd-nodejs-client/cometd-nodejs-client.js` (`adapt()`),
 * `node_modules/cometd/{Client,LongPollingTransport,RequestTransport}.js`,
 * `node_modules/@microsoft/signalr/dist/esm/Utils.js` (`Platform`); VENDOR-NOTES.md, Genesys,
 * "Libraries" [C].
 */
import * as cometdLib from 'cometd';
import type { CometD, Configuration, Message, SubscriptionHandle } from 'cometd';
// @ts-expect-error -- cometd-nodejs-client ships no declaration for its Node XMLHttpRequest; typed below.
import { XMLHttpRequest as UntypedNodeXhr } from 'cometd-nodejs-client/src/XMLHttpRequest.js';
import type { CookieJar } from 'tough-cookie';
import type { DeskLogger as Logger } from '../../desk/port.js';

/** The parts of `cometd-nodejs-client`'s Node XMLHttpRequest this module uses. */
interface NodeXhr {
  readonly readyState: number;
  readonly status: number;
  readonly statusText: string;
  readonly responseText: string;
  withCredentials?: boolean;
  onload?: () => void;
  onerror?: (error?: unknown) => void;
  onabort?: () => void;
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  send(body?: string): void;
  abort(): void;
}

/** Cookie hooks of `cometd-nodejs-client` (see its `cometd-nodejs-client.d.ts`, `Cookies`). */
interface NodeXhrCookies {
  storeCookie(uri: URL, header: string, callback: (failure: Error | null, cookie?: unknown) => void): void;
  retrieveCookies(context: unknown, uri: URL, callback: (failure: Error | null, cookies: string[]) => void): void;
}

interface NodeXhrClass {
  new (options: { cookies: NodeXhrCookies; logLevel?: 'info' | 'debug' }): NodeXhr;
  readonly UNSENT: number;
}

const NodeXMLHttpRequest = UntypedNodeXhr as NodeXhrClass;

/** What `LongPollingTransport.xhrSend(packet)` receives (cometd 9, `LongPollingTransport.js`). */
interface XhrPacket {
  url: string;
  sync?: boolean;
  headers?: Record<string, string>;
  body: string;
  onSuccess(responseText: string): void;
  onError(reason: string, exception?: unknown): void;
}

interface LongPollingTransportBase {
  readonly type: string;
  url: string;
  accept(version: string, crossDomain: boolean, url: string): boolean;
  abort(): void;
  xhrSend(packet: XhrPacket): unknown;
}

/** cometd exports `LongPollingTransport` from its entry module, but its `.d.ts` does not declare it. */
const LongPollingTransportClass = (cometdLib as unknown as { LongPollingTransport: new () => LongPollingTransportBase })
  .LongPollingTransport;

// ---- the scoped window ---------------------------------------------------------------------------

let depth = 0;
let saved: PropertyDescriptor | undefined;
let currentLog: Logger | undefined;

function cometdConsoleLine(level: 'debug' | 'info' | 'warn', args: unknown[]): void {
  const log = currentLog;
  if (!log) return;
  const text = args.map((a) => (typeof a === 'string' ? a : safeJson(a))).join(' ');
  if (level === 'warn') log.warn({ cometd: text }, 'cometd client warning');
  else log.debug({ cometd: text }, 'cometd client');
}

function safeJson(value: unknown): string {
  try {
    return value instanceof Error ? value.message : JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** The only `window` CometD ever sees: no `document`, `location`, `WebSocket` or `Worker`. */
const scopedWindow = Object.freeze({
  setTimeout(fn: () => void, delayMs: number): ReturnType<typeof setTimeout> {
    const log = currentLog;
    return setTimeout(() => inCometdScope(fn, log), delayMs);
  },
  clearTimeout(handle: ReturnType<typeof setTimeout> | undefined): void {
    clearTimeout(handle);
  },
  console: Object.freeze({
    debug: (...args: unknown[]) => cometdConsoleLine('debug', args),
    info: (...args: unknown[]) => cometdConsoleLine('info', args),
    log: (...args: unknown[]) => cometdConsoleLine('info', args),
    warn: (...args: unknown[]) => cometdConsoleLine('warn', args),
    error: (...args: unknown[]) => cometdConsoleLine('warn', args),
  }),
  /** Read only for its `UNSENT` constant (`RequestTransport.abortXHR`); requests use our transport. */
  XMLHttpRequest: NodeXMLHttpRequest,
});

/**
 * Runs `fn` with `globalThis.window` set to the CometD shim, then restores whatever was there
 * before (nothing, normally). Re-entrant. Use it for every call into the `cometd` library.
 * @param log where CometD's own log lines go while inside (inherited by timers it schedules).
 * @returns what `fn` returns; rethrows what it throws (after restoring the global).
 */
export function inCometdScope<T>(fn: () => T, log?: Logger): T {
  const outerLog = currentLog;
  if (log) currentLog = log;
  if (depth++ === 0) {
    saved = Object.getOwnPropertyDescriptor(globalThis, 'window');
    // A real browser `window` cannot be replaced (non-configurable): then CometD uses it as it is.
    if (!saved || saved.configurable) {
      Object.defineProperty(globalThis, 'window', { value: scopedWindow, configurable: true, writable: true, enumerable: false });
    }
  }
  try {
    return fn();
  } finally {
    if (--depth === 0) {
      if (saved?.configurable) Object.defineProperty(globalThis, 'window', saved);
      else if (!saved) delete (globalThis as { window?: unknown }).window;
      saved = undefined;
    }
    currentLog = outerLog;
  }
}

/** True while CometD code is on the stack (for tests and assertions). */
export function cometdScopeActive(): boolean {
  return depth > 0;
}

// ---- the transport -------------------------------------------------------------------------------

/** Cookie hooks over one tough-cookie jar: stores every `Set-Cookie` (JSESSIONID, BAYEUX_BROWSER…). */
function jarHooks(jar: CookieJar, log: Logger): NodeXhrCookies {
  return {
    storeCookie(uri, header, callback) {
      jar.setCookie(header, uri.href, { ignoreError: true }).then(
        (cookie) => callback(null, cookie),
        (error: unknown) => {
          log.warn({ err: error }, 'could not store a CometD cookie');
          callback(null, undefined);
        },
      );
    },
    retrieveCookies(_context, uri, callback) {
      jar.getCookieString(uri.href).then(
        (cookies) => callback(null, cookies ? [cookies] : []),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), []),
      );
    },
  };
}

/**
 * cometd's long-polling transport with its XHR replaced by `cometd-nodejs-client`'s Node
 * implementation, bound to one cookie jar, and with every callback re-entering the CometD scope.
 */
class ScopedLongPollingTransport extends LongPollingTransportClass {
  constructor(
    private readonly cookies: NodeXhrCookies,
    private readonly log: Logger,
    private readonly extraHeaders: () => Record<string, string>,
    private readonly limit: MessageLimit | undefined,
  ) {
    super();
  }

  override xhrSend(packet: XhrPacket): NodeXhr {
    const xhr = new NodeXMLHttpRequest({ cookies: this.cookies });
    xhr.withCredentials = true;
    xhr.open('POST', packet.url);
    const headers = { ...this.extraHeaders(), ...packet.headers };
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.setRequestHeader('Content-Type', 'application/json');
    let settled = false;
    const log = this.log;
    xhr.onload = () => {
      if (settled) return;
      settled = true;
      if (xhr.status !== 200) {
        inCometdScope(() => packet.onError(xhr.statusText), log);
        return;
      }
      const text = this.limit ? withoutOversized(xhr.responseText, this.limit) : xhr.responseText;
      inCometdScope(() => packet.onSuccess(text), log);
    };
    xhr.onerror = xhr.onabort = () => {
      if (settled) return;
      settled = true;
      inCometdScope(() => packet.onError(xhr.statusText), log);
    };
    xhr.send(packet.body);
    return xhr;
  }
}

/** A cap on the size of the messages a client accepts (see {@link ScopedCometDOptions.maxMessageBytes}). */
export interface MessageLimit {
  bytes: number;
  onOversized(dropped: { channel: string; bytes: number }): void;
}

/**
 * A long-poll response without its oversized non-meta messages: each message whose JSON is longer
 * than `limit.bytes` (UTF-8) is dropped and reported. Meta replies (`/meta/*`) are kept, since they
 * drive the protocol. A response that cannot hold an oversized message, or is not a JSON array,
 * is returned unchanged (CometD reports what it cannot parse). Pure but for the report; never
 * throws (a throw here would leave the long poll unanswered, and the session would go silent).
 *
 * A message nested too deeply to be written back as JSON (the fuzzer sent one 20 000 levels deep:
 * `JSON.stringify` threw a RangeError) is no notification a desk can use: it is dropped and
 * reported like an oversized one, with the response's size, meta reply or not.
 */
export function withoutOversized(responseText: string, limit: MessageLimit): string {
  // UTF-8 takes at most 3 bytes per UTF-16 code unit: a short text cannot hold a long message.
  if (responseText.length * 3 <= limit.bytes || Buffer.byteLength(responseText) <= limit.bytes) return responseText;
  let messages: unknown;
  try {
    messages = JSON.parse(responseText);
  } catch {
    return responseText;
  }
  if (!Array.isArray(messages)) return responseText;
  const kept: string[] = [];
  for (const message of messages as unknown[]) {
    // Only a text is a channel (String() of a deeply nested array recursed past the stack).
    const named = typeof message === 'object' && message !== null ? (message as { channel?: unknown }).channel : undefined;
    const channel = typeof named === 'string' ? named : '';
    let text: string;
    try {
      text = JSON.stringify(message) ?? 'null';
    } catch {
      limit.onOversized({ channel, bytes: Buffer.byteLength(responseText) });
      continue;
    }
    const bytes = Buffer.byteLength(text);
    if (channel.startsWith('/meta/') || bytes <= limit.bytes) kept.push(text);
    else limit.onOversized({ channel, bytes });
  }
  return kept.length === messages.length ? responseText : `[${kept.join(',')}]`;
}

// ---- the client ----------------------------------------------------------------------------------

/** Options of {@link createScopedCometD}. */
export interface ScopedCometDOptions {
  /** The Bayeux endpoint, e.g. `https://gws.example.com/api/v2/notifications`. */
  url: string;
  /** The jar shared with the REST client; CometD stores and returns its cookies there. */
  jar: CookieJar;
  log: Logger;
  /** Headers added to every CometD POST, read at send time (e.g. a CSRF header pair). */
  headers?: () => Record<string, string>;
  /** Further CometD configuration (backoff, maxNetworkDelay…); `url` is set from above. */
  configuration?: Omit<Configuration, 'url'>;
  /**
   * The largest message (bytes of its JSON, UTF-8) handed to CometD; larger non-meta messages are
   * dropped before CometD parses them, and reported to `onOversized`. Default: no limit.
   */
  maxMessageBytes?: number;
  /** Told of each message dropped by `maxMessageBytes` (its channel and size in bytes). */
  onOversized?(dropped: { channel: string; bytes: number }): void;
}

/**
 * One CometD client whose every entry point runs inside {@link inCometdScope}. Application
 * listeners are deferred to a microtask (outside the scope) unless registered with `sync: true`
 * (then they must only touch the client itself).
 */
export interface ScopedCometD {
  /** The underlying client; call it only through {@link ScopedCometD.run}. */
  readonly raw: CometD;
  /** Runs `fn(raw)` inside the CometD scope. */
  run<T>(fn: (cometd: CometD) => T): T;
  /** Adds a listener on a meta or message channel (survives re-handshakes). */
  addListener(channel: string, listener: (message: Message) => void, options?: { sync?: boolean }): void;
  /** Subscribes; `onReply` gets the `/meta/subscribe` reply (deferred). Lost on re-handshake. */
  subscribe(channel: string, listener: (message: Message) => void, onReply?: (reply: Message) => void): SubscriptionHandle;
  /** Starts the handshake; CometD then connects and retries by itself. */
  handshake(): void;
  /** Disconnects (best effort) and aborts outstanding requests. */
  disconnect(): Promise<void>;
}

/**
 * Creates a long-polling-only CometD client for Node with its own transport and cookie jar (see
 * the module docs). Never touches `globalThis` outside its own calls.
 */
export function createScopedCometD(options: ScopedCometDOptions): ScopedCometD {
  const { log } = options;
  const headers = options.headers ?? (() => ({}));
  const raw = inCometdScope(() => {
    const cometd = new cometdLib.CometD();
    for (const type of cometd.getTransportTypes()) cometd.unregisterTransport(type);
    cometd.registerTransport(
      'long-polling',
      new ScopedLongPollingTransport(
        jarHooks(options.jar, log),
        log,
        headers,
        options.maxMessageBytes === undefined ? undefined : { bytes: options.maxMessageBytes, onOversized: options.onOversized ?? (() => undefined) },
      ) as unknown as cometdLib.Transport,
    );
    cometd.configure({ logLevel: 'warn', ...options.configuration, url: options.url });
    return cometd;
  }, log);

  const run = <T>(fn: (cometd: CometD) => T): T => inCometdScope(() => fn(raw), log);
  const defer =
    (listener: (message: Message) => void) =>
    (message: Message): void => {
      queueMicrotask(() => {
        try {
          listener(message);
        } catch (error) {
          log.error({ err: error, channel: message.channel }, 'CometD listener failed');
        }
      });
    };

  return {
    raw,
    run,
    addListener(channel, listener, opts) {
      run((c) => c.addListener(channel, opts?.sync ? listener : defer(listener)));
    },
    subscribe(channel, listener, onReply) {
      return run((c) => c.subscribe(channel, defer(listener), onReply ? defer(onReply) : () => undefined));
    },
    handshake() {
      run((c) => c.handshake());
    },
    disconnect() {
      return new Promise<void>((resolve) => {
        const timer = setTimeout(done, 2_000);
        function done(): void {
          clearTimeout(timer);
          resolve();
        }
        try {
          run((c) => {
            if (c.isDisconnected()) done();
            else c.disconnect(() => queueMicrotask(done));
          });
        } catch (error) {
          log.debug({ err: error }, 'CometD disconnect failed');
          done();
        }
      });
    },
  };
}
