/**
 * No secret ever leaves the main process in plain text (ARCHITECTURE.md, principle 6).
 *
 * Every secret here is a unique canary. Every registered platform runs against its simulator with
 * canary credentials (a working account and one whose secret is wrong), through the whole core and
 * the web host; the test captures every bridge frame, every log line at every level (trace
 * included), and every error text the window receives, and looks for each canary in every form it
 * could take on the way (plain, base64, base64url, hex, URL-encoded, inside a Basic header).
 * The Electron host's frames and files are checked by `test/unit/shell.test.ts`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { appLogger, startCore, type Core } from '../../main/app.js';
import { parseConfig } from '../../main/config.js';
import { startEnreachSimulator } from '../../main/vendors/enreach/simulator.js';
import { startGenesysSimulator } from '../../main/vendors/genesys/simulator.js';
import { platforms } from '../../main/vendors/index.js';
import { startWebHost, type WebHost } from '../../main/web.js';
import { applyChange, type DeskApi, type DeskState } from '../../preload/bridge.js';
import { createBridgeClient } from '../../preload/client.js';
import { Closers } from '../support/closers.js';
import { eventually } from '../support/eventually.js';
import { canary, canaryForms, leaks } from '../support/canary.js';

/** A platform's simulator started with canary secrets, and the raw accounts that use them. */
interface CanarySetup {
  accounts: Array<Record<string, unknown>>;
  /** The canaries, by name, with the user names they may be joined to (Basic auth). */
  secrets: Record<string, { value: string; users: string[] }>;
  close(): Promise<void>;
}

/**
 * Canary setups by platform. The test fails for a registered platform that has none, so a platform
 * added later is checked without anyone remembering to.
 */
const SETUPS: Record<string, () => Promise<CanarySetup>> = {
  async enreach() {
    const password = canary('enreach-password');
    const secretKey = canary('enreach-secret-key');
    const wrong = canary('enreach-wrong');
    const simulator = await startEnreachSimulator({ password, secretKey });
    const user = simulator.credentials.user;
    return {
      accounts: [
        // The password route: the app trades the password for the SecretKey, itself a secret.
        { id: 'enreach-ok', vendor: 'enreach', apiUrl: simulator.apiUrl, user, password },
        { id: 'enreach-wrong', vendor: 'enreach', apiUrl: simulator.apiUrl, user, secretKey: wrong },
      ],
      secrets: { password: { value: password, users: [user] }, secretKey: { value: secretKey, users: [user] }, wrong: { value: wrong, users: [user] } },
      close: () => simulator.close(),
    };
  },
  async genesys() {
    const password = canary('genesys-password');
    const wrong = canary('genesys-wrong');
    const simulator = await startGenesysSimulator({ password });
    const user = simulator.credentials.user;
    return {
      accounts: [
        { id: 'genesys-ok', vendor: 'genesys', baseUrl: simulator.baseUrl, user, password },
        { id: 'genesys-wrong', vendor: 'genesys', baseUrl: simulator.baseUrl, user, password: wrong },
      ],
      secrets: { password: { value: password, users: [user] }, wrong: { value: wrong, users: [user] } },
      close: () => simulator.close(),
    };
  },
};

/** A window on the web host's socket, as the browser's would be: records every frame, keeps the state. */
async function webWindow(host: WebHost, frames: string[]): Promise<{ api: DeskApi; state: () => DeskState | undefined; close(): void }> {
  const ws = new WebSocket(`${host.origin.replace('http://', 'ws://')}bridge`, { headers: { Origin: host.origin.replace(/\/$/, '') } });
  const client = createBridgeClient({ transport: { send: (text) => (ws.send(text), true) } });
  let view: ReturnType<typeof applyChange>;
  client.api.onChange((change) => (view = applyChange(view, change)));
  ws.on('message', (data) => {
    frames.push(data.toString());
    client.receive(data.toString());
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.send(JSON.stringify({ type: 'hello', token: host.token }));
  client.opened();
  return { api: client.api, state: () => view?.state, close: () => ws.close() };
}

describe('no secret leaves the main process', () => {
  const closers = new Closers();
  const frames: string[] = [];
  const logLines: string[] = [];
  const errors: string[] = [];
  const secrets = new Map<string, string[]>();
  let core: Core;
  let window: Awaited<ReturnType<typeof webWindow>>;

  before(() =>
    closers.setUp(async () => {
      const accounts: Array<Record<string, unknown>> = [];
      for (const vendor of platforms().map((p) => p.id)) {
        const setup = SETUPS[vendor];
        assert.ok(setup, `platform "${vendor}" has no canary setup in test/integration/canary.test.ts`);
        const started = closers.add(await setup(), (s) => s.close().catch(() => undefined));
        accounts.push(...started.accounts);
        for (const [name, { value, users }] of Object.entries(started.secrets)) secrets.set(`${vendor}.${name}`, canaryForms(value, users));
      }
      const log = appLogger('trace', { write: (line: string) => logLines.push(line) });
      core = closers.add(await startCore({ config: parseConfig({ accounts }), log, backoff: { initialMs: 50, maxMs: 300, jitter: 0 } }), (c) => c.stop());
      const host = closers.add(await startWebHost({ core, log }), (h) => h.close());
      window = closers.add(await webWindow(host, frames), (w) => w.close());
    }),
  );
  after(() => closers.closeAll());

  it('connects the working accounts and fails the wrong ones, with canary secrets', async () => {
    const settled = await eventually(() => {
      const accounts = Object.values(window.state()?.accounts ?? {});
      const done = accounts.length > 0 && accounts.every((a) => (a.id.endsWith('-ok') ? a.connection === 'connected' : a.connection === 'failed'));
      return done && accounts;
    }, 'every working account connected and every wrong one failed');
    assert.equal((settled as unknown[]).length, Object.keys(SETUPS).length * 2);
  });

  it('gives the window error texts without secrets', async () => {
    for (const call of [
      () => window.api.dial('enreach-ok', '+358401234567'),
      () => window.api.setAccountPresence('genesys-wrong', 'ready'),
      () => window.api.saveSettings({ accounts: [], display: { theme: 'dark', toasts: { calls: true, chats: true } } }),
    ]) {
      await call().then(
        () => undefined,
        (error: Error) => errors.push(error.message),
      );
    }
    const view = await window.api.getSettings();
    errors.push(JSON.stringify(view));
    assert.ok(errors.length >= 3, 'the window received error texts to check');
  });

  it('finds no canary in any bridge frame, log line or error text', async () => {
    await core.desk.stop();
    assert.ok(frames.length > 0 && logLines.length > 0, 'frames and log lines were captured');
    assert.ok(logLines.some((line) => line.includes('"level":10')), 'trace-level lines were captured');
    for (const [where, texts] of [
      ['a bridge frame', frames],
      ['a log line', logLines],
      ['an error text', errors],
    ] as const) {
      for (const text of texts) assert.deepEqual(leaks(text, secrets), [], `a secret in ${where}: ${text.slice(0, 300)}`);
    }
  });
});
