/**
 * No secret ever leaves the main process in plain text (ARCHITECTURE.md, principle 6).
 *
 * Every secret here is a unique canary. Every registered platform runs against its conformance rig
 * (its simulator, with long random secrets: a working account and one whose secret is wrong), through the whole core and
 * the web host; the test captures every bridge frame, every log line at every level (trace
 * included, as pino's JSON, as the readable lines the web host prints on a terminal, and as the
 * rotating log files on disk), and every
 * error text the window receives, and looks for each canary in every form it
 * could take on the way (plain, base64, base64url, hex, URL-encoded, inside a Basic header).
 * The automation API (issue 20) is on, with an administrator's client whose token is a canary and
 * an app paired during the test: its snapshot, its event stream (replayed from the start) and its
 * OpenAPI document are searched too, and neither API token may appear in a frame, a log line or an
 * answer (the pairing poll that hands the token out once is the only place it may be).
 * "Save diagnostics…" (issue 22) is asked for over the web host's bridge: the zip is opened and
 * every file in it searched.
 * The Electron host's frames and files are checked by `test/unit/shell.test.ts`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { appLogger, startCore, type Core } from '../../main/app.js';
import { parseConfig } from '../../main/config.js';
import { platforms, type AnyPlatform } from '../../main/vendors/index.js';
import { secretFieldsOf, type RawAccount } from '../../main/vendors/kit/platform.js';
import { startWebHost, type WebHost } from '../../main/web.js';
import { logDestination } from '../../main/log-terminal.js';
import { listLogFiles, openLogFiles, type LogFiles } from '../../main/log-files.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyChange } from '../../common/patch.js';
import type { DeskApi, DeskState } from '../../preload/bridge.js';
import { createBridgeClient } from '../../preload/client.js';
import { Closers } from '../support/closers.js';
import { eventually } from '../support/eventually.js';
import { canary, canaryForms, leaks } from '../support/canary.js';
import { testedPlatforms } from '../support/platform-testing.js';
import { apiRequest, openEvents } from '../support/api-client.js';

/**
 * The secrets of a rig's accounts, as canaries: the values of the platform's secret fields (the rigs
 * make them long, random and unique), each also joined to every other string of the account (a
 * user name in a Basic header).
 */
function secretsOf(platform: AnyPlatform, accounts: readonly RawAccount[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const account of accounts) {
    const fields = secretFieldsOf(platform);
    const others = Object.entries(account).filter(([key, value]) => !fields.includes(key) && typeof value === 'string').map(([, value]) => value as string);
    for (const field of fields) {
      const value = account[field];
      if (typeof value === 'string') out.set(`${platform.id}.${account.id}.${field}`, canaryForms(value, others));
    }
  }
  return out;
}

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
  const readableLines: string[] = [];
  const errors: string[] = [];
  const apiTexts: string[] = [];
  const zipped: string[] = [];
  const secrets = new Map<string, string[]>();
  const managedToken = `${canary('api-managed')}-0123456789abcdef`;
  const logDir = mkdtempSync(join(tmpdir(), 'canary-logs-'));
  let logFiles: LogFiles;
  let core: Core;
  let window: Awaited<ReturnType<typeof webWindow>>;

  before(() =>
    closers.setUp(async () => {
      const accounts: RawAccount[] = [];
      const tuning: Record<string, unknown> = {};
      for (const platform of await testedPlatforms()) {
        const rig = closers.add(await platform.startConformanceRig(), (r) => r.close().catch(() => undefined));
        const mine = [
          { ...rig.account, id: `${platform.id}-ok` },
          { ...rig.wrongAccount, id: `${platform.id}-wrong` },
        ];
        accounts.push(...mine);
        tuning[platform.id] = rig.connectorOptions.tuning;
        for (const [name, forms] of secretsOf(platform, mine)) secrets.set(name, forms);
      }
      assert.ok(secrets.size >= platforms().length, 'every platform has secrets to look for');
      // Every line twice: pino's JSON, and the readable form the web host prints on a terminal.
      const terminal = logDestination({ terminal: { isTTY: true, write: (text: string) => readableLines.push(text) } });
      // And the log files, rolling at 16 kB so several files are read.
      logFiles = closers.add(await openLogFiles({ dir: logDir, maxBytes: 16 * 1024, keep: 1000 }), (files) => files.close());
      const log = appLogger('trace', {
        write: (line: string) => {
          logLines.push(line);
          terminal.write(line);
          logFiles.write(line);
        },
      });
      secrets.set('automation.clients[0].token', canaryForms(managedToken));
      const automation = { enabled: true, port: 0, clients: [{ name: 'Canary CRM', scopes: ['read', 'calls'], token: { env: 'CANARY_API_TOKEN' } }] };
      core = closers.add(
        await startCore({ config: parseConfig({ accounts, automation }), log, tuning, diagnostics: { logDir }, backoff: { initialMs: 50, maxMs: 300, jitter: 0 }, env: { ...process.env, CANARY_API_TOKEN: managedToken } }),
        (c) => c.stop(),
      );
      const host = closers.add(await startWebHost({ core, log }), (h) => h.close());
      window = closers.add(await webWindow(host, frames), (w) => w.close());
    }),
  );
  after(async () => {
    await closers.closeAll();
    rmSync(logDir, { recursive: true, force: true });
  });

  it('connects the working accounts and fails the wrong ones, with canary secrets', async () => {
    const settled = await eventually(() => {
      const accounts = Object.values(window.state()?.accounts ?? {});
      const done = accounts.length > 0 && accounts.every((a) => (a.id.endsWith('-ok') ? a.connection === 'connected' : a.connection === 'failed'));
      return done && accounts;
    }, 'every working account connected and every wrong one failed');
    assert.equal((settled as unknown[]).length, platforms().length * 2);
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

  it('gives apps of the automation API no secret: snapshot, event stream, document and refusals', async () => {
    const port = core.automation!.port;
    const asked = await apiRequest(port, '/api/v1/pairing', { body: { name: 'Canary page', scopes: ['read', 'calls', 'presence', 'chats'] }, origin: 'https://crm.example.com' });
    apiTexts.push(asked.text);
    await eventually(() => window.state()?.automation?.requests.length === 1, 'the pairing request reaches the window');
    await window.api.answerPairing(asked.json.pairingId, true);
    // The one answer that carries the token: kept out of the texts searched.
    const token = (await apiRequest(port, `/api/v1/pairing/${asked.json.pairingId}`)).json.token as string;
    secrets.set('automation.paired-token', canaryForms(token));
    for (const [path, options] of [
      ['/api/v1/desk', { token, origin: 'https://crm.example.com' }],
      ['/api/v1/desk', { token: managedToken }],
      ['/api/v1/openapi.json', {}],
      ['/api/v1/client', { token }],
      ['/api/v1/calls', { token, origin: 'https://crm.example.com', body: { number: '+358401234567', account: 'enreach-wrong' } }],
      [`/api/v1/desk?access_token=${token}`, {}],
      ['/api/v1/desk', { token, origin: 'https://elsewhere.example' }],
      ['/api/v1/desk', { token: managedToken, host: 'rebound.example' }],
    ] as const) {
      apiTexts.push((await apiRequest(port, path, options)).text);
    }
    const stream = await openEvents(port, token, { lastEventId: `${core.automation!.events.run}-0` });
    await eventually(() => stream.messages.length > 0, 'events replayed');
    stream.close();
    apiTexts.push(...stream.messages.map((m) => JSON.stringify(m)));
    assert.ok(apiTexts.some((text) => text.includes('"accounts"')) && apiTexts.some((text) => text.includes('"openapi"')), 'the snapshot and the document were read');
  });

  it('saves diagnostics over the web host’s bridge: a zip of the files listed', async () => {
    const listing = await window.api.listDiagnostics();
    const saved = await window.api.saveDiagnostics();
    assert.equal(saved.kind, 'download');
    const files = unzipSync(Buffer.from((saved as { base64: string }).base64, 'base64'));
    assert.deepEqual(Object.keys(files).sort(), listing.files.map((file) => file.name).sort(), 'the zip holds the files the agent saw');
    assert.ok(Object.keys(files).some((name) => name.startsWith('logs/')), 'log files are in it');
    for (const [name, data] of Object.entries(files)) zipped.push(`${name}\n${strFromU8(data)}`);
    assert.match(zipped.find((text) => text.startsWith('configuration.json'))!, /\[secret, masked\]/);
  });

  it('finds no canary in any bridge frame, log line or error text', async () => {
    await core.desk.stop();
    assert.ok(frames.length > 0 && logLines.length > 0, 'frames and log lines were captured');
    assert.ok(logLines.some((line) => line.includes('"level":10')), 'trace-level lines were captured');
    assert.equal(readableLines.length, logLines.length, 'every line was also printed readable');
    assert.ok(readableLines.some((line) => line.includes('TRACE')), 'trace-level lines were printed readable');
    await logFiles.close();
    const files = listLogFiles(logDir).map((file) => readFileSync(file.path, 'utf8'));
    assert.ok(files.length > 1, 'the log files rolled over');
    assert.equal(files.join('').split('\n').filter(Boolean).length, logLines.length, 'every line is in the files');
    for (const [where, texts] of [
      ['a bridge frame', frames],
      ['a log line', logLines],
      ['a readable log line', readableLines],
      ['a log file', files],
      ['a file of the diagnostics zip', zipped],
      ['an error text', errors],
      ['an automation API answer or event', apiTexts],
    ] as const) {
      for (const text of texts) assert.deepEqual(leaks(text, secrets), [], `a secret in ${where}: ${text.slice(0, 300)}`);
    }
  });
});
