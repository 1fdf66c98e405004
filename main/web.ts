/**
 * The web host: the same core as the Electron app, served to a browser on this machine.
 *
 * - HTTP on 127.0.0.1 only, serving the built renderer (`dist/renderer`) with a strict CSP; requests
 *   whose Host is not this loopback address are refused (DNS-rebinding guard).
 * - The bridge is a WebSocket at `/bridge`: a foreign `Origin` is refused at the upgrade, and the
 *   first frame must carry the random launch token (printed in the URL's fragment, which browsers
 *   never send to servers), else the socket closes with 4401.
 * - Toasts become Web Notifications in the page (see renderer/web-bridge.ts), closed again
 *   (`toast.close`) when their call stops ringing or their chat is no longer an invitation.
 *
 * Run it: `npm run start:web -- [--config PATH] [--port N] [--demo] [--new-key] [--log-json] [--log-level LEVEL]`;
 * on a terminal its log is readable lines, elsewhere (or with `--log-json`) JSON lines
 * (`log-terminal.ts`); the JSON lines also go to rotating files in `<state>/logs` (`log-files.ts`).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import sirv from 'sirv';
import { WebSocketServer, type WebSocket } from 'ws';
import { WEB_BRIDGE_PATH, WEB_CLOSE_UNAUTHORIZED, type WebHello } from '../preload/bridge.js';
import type { BridgeConnection } from './bridge.js';
import { appLogger, startCore, type Core } from './app.js';
import { chooseLocale } from '../common/i18n.js';
import { loadConfiguration } from './config.js';
import { webHistory } from './history-file.js';
import { systemLanguagesOf, translatorFor } from './i18n.js';
import type { Logger } from './log.js';
import { logDestination } from './log-terminal.js';
import { LogSink, logLevelFrom, openLogFiles, type LogFileOptions, type LogFiles } from './log-files.js';
import { ReadOnlySettings } from './settings.js';
import { documentPreferences, jsonFileDocument } from './preferences.js';
import { LogLimiter, type LimiterTimers } from './log-limiter.js';
import { webStateDir, type WebStateDir } from './state-dir.js';
import { windowFile } from './window-files.js';
import { loadWebToken } from './web-token.js';
import { APP_ID, policySource, readPolicies, type PolicySource } from './policy.js';

/** Where the built renderer lives. */
export const RENDERER_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'renderer');

/** The app's version, from its `package.json` (the web host runs from the source tree). */
const APP_VERSION = (JSON.parse(readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), '..', 'package.json'), 'utf8')) as { version: string }).version;

/** The Content-Security-Policy the page is served with (the same as the Electron window's). */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self' ws://127.0.0.1:* ws://localhost:*; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** How long a new socket may take to say hello with the token, ms. */
const HELLO_TIMEOUT_MS = 5_000;
/** The largest frame a renderer may send, bytes. */
const MAX_FRAME_BYTES = 64 * 1024;

/** Why the web host turned a stranger away (each logged at most once a minute, with the count). */
export type RefusalReason = 'foreign-origin' | 'wrong-host' | 'bad-path' | 'wrong-token' | 'no-hello' | 'oversized' | 'socket-error';

/** What the log says for each {@link RefusalReason}. */
const REFUSAL_MESSAGES: Readonly<Record<RefusalReason, string>> = {
  'foreign-origin': 'refused a bridge connection from a foreign origin',
  'wrong-host': 'refused a bridge connection for another host name (DNS rebinding guard)',
  'bad-path': 'refused a connection upgrade outside the bridge path',
  'wrong-token': 'refused a bridge connection with a missing or wrong token',
  'no-hello': 'closed a bridge connection that sent no token in time',
  oversized: 'closed a bridge connection that sent a frame over the size limit',
  'socket-error': 'closed a bridge connection after a socket error',
};

export interface WebHostOptions {
  core: Core;
  log: Logger;
  /** How often each refusal reason may be logged, ms (default once a minute). */
  logIntervalMs?: number;
  /** The timers of the refusal log (tests pass fake ones). */
  logTimers?: LimiterTimers;
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** The launch token; a random 256-bit one by default. */
  token?: string;
  rendererDir?: string;
}

export interface WebHost {
  /** The page's URL, token included in the fragment: open this. */
  url: string;
  /** The page's URL without the token. */
  origin: string;
  port: number;
  token: string;
  /** Closes sockets and the server (not the core). */
  close(): Promise<void>;
}

/**
 * The page's HTTP side: security headers on every answer; only for this loopback host (`allowedHosts`,
 * the DNS-rebinding guard); GET and HEAD; only the window's files (`window-files.ts`), through sirv.
 */
function windowRequests(rendererDir: string, allowedHosts: ReadonlySet<string>): (req: IncomingMessage, res: ServerResponse) => void {
  const serveStatic = existsSync(rendererDir) ? sirv(rendererDir, { etag: true, dotfiles: false }) : undefined;
  return (req, res) => {
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    if (!allowedHosts.has(req.headers.host ?? '')) {
      res.writeHead(421, { 'Content-Type': 'text/plain' }).end('Misdirected request');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    // Judged on the decoded, normalised path (no source map in any spelling), and sirv is handed
    // exactly that path, so what it serves is what was judged.
    const file = windowFile(new URL(req.url ?? '/', 'http://x').pathname);
    if (file === undefined) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
      return;
    }
    if (!serveStatic) {
      res.writeHead(503, { 'Content-Type': 'text/plain' }).end('The window is not built yet: run `npm run build:renderer`.');
      return;
    }
    req.url = `/${file.split('/').map(encodeURIComponent).join('/')}`;
    serveStatic(req, res, () => {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
    });
  };
}

/**
 * Why an upgrade may not become a bridge socket: another host name, a foreign `Origin`, or a path
 * other than the bridge's; undefined when it may.
 */
function upgradeRefusal(req: IncomingMessage, allowedHosts: ReadonlySet<string>): RefusalReason | undefined {
  const origin = req.headers.origin ?? '';
  const originHost = origin.startsWith('http://') ? origin.slice('http://'.length) : '';
  if (!allowedHosts.has(req.headers.host ?? '')) return 'wrong-host';
  if (!allowedHosts.has(originHost)) return 'foreign-origin';
  if (new URL(req.url ?? '/', 'http://x').pathname !== WEB_BRIDGE_PATH) return 'bad-path';
  return undefined;
}

/** Whether a hello's token is the launch token (compared in constant time). */
function tokenCheck(token: string): (candidate: unknown) => boolean {
  const expected = Buffer.from(token);
  return (candidate) => {
    if (typeof candidate !== 'string') return false;
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
}

/**
 * One bridge socket: after `hello` with the token (within {@link HELLO_TIMEOUT_MS}) it carries the
 * one wire's text both ways, unchanged; else it closes with {@link WEB_CLOSE_UNAUTHORIZED}.
 */
function acceptBridge(ws: WebSocket, core: Core, tokenMatches: (candidate: unknown) => boolean, refusals: LogLimiter<RefusalReason>): void {
  let connection: BridgeConnection | undefined;
  const helloTimer = setTimeout(() => {
    refusals.note('no-hello');
    ws.close(WEB_CLOSE_UNAUTHORIZED, 'no token');
  }, HELLO_TIMEOUT_MS);
  ws.on('message', (data, isBinary) => {
    const text = isBinary ? '' : data.toString();
    if (connection) return connection.receive(text);
    let hello: Partial<WebHello> | undefined;
    try {
      hello = JSON.parse(text) as Partial<WebHello>;
    } catch {
      hello = undefined;
    }
    if (hello?.type !== 'hello' || !tokenMatches(hello.token)) {
      refusals.note('wrong-token');
      ws.close(WEB_CLOSE_UNAUTHORIZED, 'wrong token');
      return;
    }
    clearTimeout(helloTimer);
    connection = core.hub.open((message) => {
      if (ws.readyState === ws.OPEN) ws.send(message);
    });
  });
  ws.on('close', () => {
    clearTimeout(helloTimer);
    connection?.close();
  });
  // A frame over the size limit, a broken frame: the socket closes; counted like the refusals.
  ws.on('error', (error) => refusals.note(/payload/i.test(error.message) ? 'oversized' : 'socket-error', { error: error.message.slice(0, 200) }));
}

/**
 * Serves the renderer and the bridge for a running core.
 * @throws when the port cannot be bound.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const { core, log } = options;
  const token = options.token ?? randomBytes(32).toString('base64url');
  /** The Host names the page and the bridge answer to: this loopback address and port, once bound. */
  const allowedHosts = new Set<string>();
  const server: Server = createServer(windowRequests(options.rendererDir ?? RENDERER_DIR, allowedHosts));
  const refusals = new LogLimiter<RefusalReason>(log, REFUSAL_MESSAGES, { intervalMs: options.logIntervalMs, timers: options.logTimers });
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const tokenMatches = tokenCheck(token);

  server.on('upgrade', (req, socket, head) => {
    const refused = upgradeRefusal(req, allowedHosts);
    if (refused) {
      // Anyone can knock: counted, and logged at most once a minute per reason (issue 16, finding 5).
      const origin = req.headers.origin ?? '';
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      refusals.note(refused, { origin: origin.slice(0, 100), host: (req.headers.host ?? '').slice(0, 100), path: path.slice(0, 100) });
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => acceptBridge(ws, core, tokenMatches, refusals));
  });

  const unsubscribeToasts = core.onToast((toast) => core.hub.broadcast({ type: 'toast', toast }));
  const unsubscribeToastCloses = core.onToastClosed((id) => core.hub.broadcast({ type: 'toast.close', id }));

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolveListen());
  });
  const port = (server.address() as AddressInfo).port;
  allowedHosts.add(`127.0.0.1:${port}`).add(`localhost:${port}`);
  const origin = `http://127.0.0.1:${port}/`;
  return {
    url: `${origin}#token=${token}`,
    origin,
    port,
    token,
    async close() {
      refusals.close();
      unsubscribeToasts();
      unsubscribeToastCloses();
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

/** What {@link main} takes besides the command line (tests replace the process's own). */
export interface WebMainOptions {
  env?: NodeJS.ProcessEnv;
  /** Where the lines for the person starting it go (default stdout). */
  out?: { write(text: string): unknown };
  /** Where a refusal to start goes (default stderr). */
  err?: { write(text: string): unknown };
  log?: Logger;
  /**
   * The sink `log` writes through, to which the log files are attached (with `log`; without `log`
   * the host makes both). Absent with `log`: no log files (a test's own logger).
   */
  logSink?: LogSink;
  /** The log files' size limit and how many are kept (tests use a small limit). */
  logFiles?: Omit<LogFileOptions, 'dir'>;
  /** The OS's policies (default: this OS's, `main/policy.ts`); the tests give a fake OS. */
  policies?: PolicySource;
  /** Whether a folder can be written (default `isWritableDir`; tests inject one where permissions do not bind: root). */
  writable?: (dir: string) => boolean;
  /** Stop on SIGINT and SIGTERM (default true). */
  signals?: boolean;
}

/** The web host {@link main} started. */
export interface RunningWebHost {
  host: WebHost;
  core: Core;
  /** Where the session key, the history and the preferences are kept. */
  stateDir: WebStateDir;
  /** The rotating log files (`<state>/logs`), when the host writes them. */
  logFiles?: LogFiles;
  /** Closes the host and stops the core. */
  stop(): Promise<void>;
}

/**
 * `npm run start:web`: loads the config (or runs the demo), starts the core and serves it.
 * @returns the running host, or `undefined` when it did not start (help printed; a config that
 *   cannot be used: `process.exitCode` 2, the reasons on `err`).
 * @throws when the state directory or the port cannot be used (the entry point exits 1).
 */
export async function main(argv: readonly string[] = process.argv.slice(2), options: WebMainOptions = {}): Promise<RunningWebHost | undefined> {
  const env = options.env ?? process.env;
  const out = options.out ?? process.stdout;
  const err = options.err ?? process.stderr;
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: {
      config: { type: 'string' },
      port: { type: 'string' },
      demo: { type: 'boolean' },
      'new-key': { type: 'boolean' },
      'log-json': { type: 'boolean' },
      'log-level': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: true,
  });
  // `--demo supervisor`: a supervisor's floor (a team of 500, 5 000 busy lamps, 1 000 changes a second).
  const scenario = positionals.length === 1 && positionals[0] === 'supervisor' && values.demo ? 'supervisor' : undefined;
  if (positionals.length > 0 && !scenario) {
    err.write(`Agent Companion: unexpected ${positionals.map((p) => `"${p}"`).join(' ')} (the only word after --demo is "supervisor")\n`);
    process.exitCode = 2;
    return undefined;
  }
  if (values.help) {
    out.write(
      'Usage: npm run start:web -- [--config PATH] [--port N] [--demo [supervisor]] [--new-key] [--log-json] [--log-level LEVEL]\n' +
        '  --demo supervisor  a supervisor\'s floor: a team of 500 and 5 000 busy lamps, 1 000 changes a second\n' +
        '  --new-key    make a new session key (every open tab must then be opened again from the new link)\n' +
        '  --log-json   log JSON lines even on a terminal (elsewhere the log is JSON anyway)\n' +
        '  --log-level  trace, debug, info, warn, error or fatal (default: display.logLevel, else info)\n',
    );
    return undefined;
  }
  // A person at a terminal reads the log; a pipe, a file or a service manager gets JSON lines; the
  // log files get the JSON lines too, once the state folder is known.
  const sink = options.log ? options.logSink : new LogSink(logDestination({ json: values['log-json'] }));
  const log = options.log ?? appLogger(logLevelFrom(argv, env), sink);
  const policies = await readPolicies(options.policies ?? policySource(process.platform, APP_ID));
  if (policies.problems.length) log.error({ problems: policies.problems }, 'some policies of the OS could not be used; they are left out');
  const loaded = await loadConfiguration({ argv, env, policies });
  if (!options.log) log.level = logLevelFrom(argv, env, loaded.config.display.logLevel);
  if (loaded.problems.length) {
    // A managed file with mistakes (or too large to read): say why, and start nothing (never the demo instead).
    err.write(`Agent Companion: ${loaded.source} cannot be used:\n${loaded.problems.map((line) => `  ${line}`).join('\n')}\n`);
    process.exitCode = 2;
    return undefined;
  }
  // Beside the config when that folder is writable, else the XDG state directory (issue 16, finding 3).
  const stateDir = webStateDir(loaded.path, env, options.writable);
  // The lines for the person who started it, in their language: display.language, else the terminal's.
  const tr = await translatorFor(chooseLocale(loaded.config.display.language, systemLanguagesOf(env)));
  out.write(`${tr.t(stateDir.message.key, stateDir.message.values)}\n`);
  log.info({ path: stateDir.path }, 'the web host keeps its state in this folder');
  const settings = new ReadOnlySettings(loaded.config, loaded.source, [], { kind: 'web-host', path: loaded.path, demo: loaded.demo }, loaded.managed);
  const preferences = documentPreferences(jsonFileDocument(join(stateDir.path, 'preferences.json'), log), log);
  const history = webHistory(stateDir.path);
  // The apps paired with the automation API (their tokens' hashes, never the tokens).
  const automationStore = jsonFileDocument(join(stateDir.path, 'api-clients.json'), log);
  // The session key outlives a restart, so an open tab finds the host again on the same port.
  const key = await loadWebToken(stateDir.path, { renew: values['new-key'] ?? false });
  if (key.replaced) out.write(`${key.replaced}\n`);
  const logFiles = sink ? await openLogFiles({ dir: join(stateDir.path, 'logs'), ...options.logFiles }) : undefined;
  if (sink && logFiles) {
    sink.attach(logFiles);
    out.write(`Its log files are in ${logFiles.dir}.\n`);
  }
  const closeLogFiles = async (): Promise<void> => {
    sink?.detach();
    await logFiles?.close();
  };
  const diagnostics = { versions: { app: APP_VERSION }, logDir: logFiles?.dir, managed: loaded.managed };
  const core = await startCore({ config: loaded.config, demo: loaded.demo, ...(scenario ? { demoScenario: scenario } : {}), setup: { source: loaded.source, problems: [] }, log, settings, preferences, history, env, automationStore, diagnostics }).catch(async (error: unknown) => {
    await closeLogFiles();
    throw error;
  });
  const port = values.port !== undefined ? Number(values.port) : loaded.config.webHost.port;
  const host = await startWebHost({ core, log, port, token: key.token }).catch(async (error: unknown) => {
    await core.stop();
    await closeLogFiles();
    throw error;
  });
  out.write(
    `${tr.t('web.running', { demo: core.demo ? 'yes' : 'no' })}\n${tr.t('web.open', { url: host.url, path: key.path })}\n` +
      (port === 0 ? `${tr.t('web.port-changes')}\n` : '') +
      (core.automation?.port ? `${tr.t('web.automation', { url: core.automation.url })}\n` : ''),
  );
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopping ??= host.close().then(() => core.stop()).finally(closeLogFiles));
  if (options.signals ?? true) {
    const shutdown = (): void => {
      out.write(`${tr.t('web.stopping')}\n`);
      void stop().finally(() => process.exit(0));
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  }
  return { host, core, stateDir, ...(logFiles ? { logFiles } : {}), stop };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`Agent Companion could not start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
