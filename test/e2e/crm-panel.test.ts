/// <reference lib="dom" />
/**
 * The automation API end to end (issue 20, "Done when"): demo mode with the API on, the desk in one
 * Chromium tab (the web host), and the example CRM page (`examples/crm-panel/`) served from another
 * origin by a second loopback server. The page pairs (the agent allows it in the desk), shows the
 * ringing caller's record, dials through demo mode and sees the call ring, answer and end as events;
 * the agent revokes it in the desk and the page says it lost access. Then, from the browser: an
 * unpaired page, a token from another origin, a revoked token, a token in the address and a
 * rebound host name (DNS rebinding, with Chromium's host resolver pointing `rebind.test` at
 * 127.0.0.1) are each refused.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startCore, type Core } from '../../main/app.js';
import { parseConfig } from '../../main/config.js';
import { createLogger } from '../../main/log.js';
import { startWebHost, type WebHost } from '../../main/web.js';
import { findChromium, NO_CHROMIUM } from '../../scripts/chromium.mjs';
import { Closers } from '../support/closers.js';
import { eventually } from '../support/eventually.js';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'crm-panel', 'index.html');
const SHOTS = process.env.CRM_SCREENSHOTS;

/** The example page, served as a static site would serve it. */
async function serveExample(closers: Closers): Promise<number> {
  const html = readFileSync(EXAMPLE);
  const server: Server = createServer((req, res) => {
    if (new URL(req.url ?? '/', 'http://x').pathname !== '/') return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.add(server, (s) => new Promise<void>((resolve) => (s.closeAllConnections(), s.close(() => resolve()))));
  return (server.address() as AddressInfo).port;
}

/** A fetch made by a page, its answer as the page can read it (or the network error a refused CORS read gives). */
function fetchFrom(page: Page, url: string, init: { token?: string } = {}): Promise<{ status: number; type?: string } | { error: string }> {
  return page.evaluate(
    async ([target, token]) => {
      try {
        const response = await fetch(target, token ? { headers: { Authorization: `Bearer ${token}` } } : {});
        const body = (await response.json().catch(() => ({}))) as { type?: string };
        return { status: response.status, type: body.type };
      } catch (error) {
        return { error: String(error) };
      }
    },
    [url, init.token] as const,
  );
}

describe('a CRM page on another origin, through the automation API', () => {
  const closers = new Closers();
  let core: Core;
  let host: WebHost;
  let browser: Browser;
  let desk: Page;
  let crm: Page;
  let api: string;
  let examplePort: number;

  before(() =>
    closers.setUp(async () => {
      const log = createLogger(process.env.AGENT_COMPANION_LOG ?? 'warn');
      core = closers.add(
        await startCore({ config: parseConfig({ automation: { enabled: true, port: 0 } }), demo: true, demoIntervalMs: 3_000, log, backoff: { initialMs: 50, maxMs: 500, jitter: 0 } }),
        (c) => c.stop(),
      );
      host = closers.add(await startWebHost({ core, log }), (h) => h.close());
      examplePort = await serveExample(closers);
      api = `http://127.0.0.1:${core.automation!.port}/api/v1`;
      const executablePath = findChromium();
      if (!executablePath) throw new Error(NO_CHROMIUM);
      browser = closers.add(
        await chromium.launch({
          executablePath,
          headless: true,
          args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--host-resolver-rules=MAP rebind.test 127.0.0.1'],
        }),
        (b) => b.close().catch(() => undefined),
      );
      const context = await browser.newContext({ viewport: { width: 440, height: 900 } });
      desk = await context.newPage();
      await desk.goto(host.url);
      await desk.getByText('DEMO').first().waitFor();
      crm = await context.newPage();
      crm.on('pageerror', (error) => process.stderr.write(`CRM page error: ${error.message}\n`));
      crm.on('console', (message) => message.type() === 'error' && process.stderr.write(`CRM page console: ${message.text()}\n`));
      // `localhost`, not the API's 127.0.0.1: another origin, as a CRM's would be.
      await crm.goto(`http://localhost:${examplePort}/?api=${encodeURIComponent(api)}`);
    }),
  );
  after(() => closers.closeAll());

  it('pairs only once the agent allows it in the desk, which shows the page’s origin and what it asks', async () => {
    await crm.getByRole('button', { name: 'Connect to Agent Companion' }).click();
    const dialog = desk.getByRole('dialog', { name: 'Allow Acme CRM?' });
    await dialog.waitFor();
    assert.match(await dialog.innerText(), new RegExp(`http://localhost:${examplePort}`));
    assert.match(await dialog.innerText(), /see your calls, chats, callbacks and presence/);
    assert.match(await dialog.innerText(), /dial, answer, hold and hang up calls/);
    assert.equal(await desk.evaluate(() => document.activeElement?.textContent?.trim()), 'Deny', 'Deny has the focus');
    const allow = dialog.getByRole('button', { name: 'Allow' });
    await eventually(async () => (await allow.getAttribute('aria-disabled')) === 'false', 'Allow is armed after its inert time');
    await allow.click();
    await crm.getByRole('status').filter({ hasText: 'Connected to Agent Companion.' }).waitFor();
    await dialog.waitFor({ state: 'detached' });
  });

  it('shows the ringing caller’s record', async () => {
    const cards = crm.getByRole('region', { name: 'Calling now' }).getByRole('article').filter({ hasText: 'Ringing · inbound' });
    const record = await eventually(async () => {
      for (const text of await cards.allInnerTexts()) {
        const ringing = Object.values(core.desk.state.calls).some((c) => c.state === 'ringing' && c.direction === 'inbound' && c.caller && text.includes(c.caller));
        if (ringing && !text.startsWith('Unknown caller')) return text;
      }
      return undefined;
    }, 'a ringing call’s caller record on the CRM page', 30_000);
    assert.match(record, /(Gold|Silver|Bronze) customer/);
    if (SHOTS) await crm.screenshot({ path: join(SHOTS, 'crm-panel-ringing.png') });
  });

  it('dials through demo mode on click-to-dial, and sees the call ring, answer and end as events', async () => {
    const dialler = await crm.getByLabel('Call from').locator('option').filter({ hasText: 'Genesys' }).getAttribute('value');
    await crm.getByLabel('Call from').selectOption(dialler!);
    await crm.getByRole('button', { name: 'Call Maria Virtanen' }).click();
    const placed = await eventually(() => Object.values(core.desk.state.calls).find((c) => c.placedBy === 'Acme CRM' && c.target === '+358401234567'), 'the platform placed the call');
    assert.equal(placed.accountId, dialler);
    assert.equal(placed.direction, 'outbound');
    // The desk shows who placed it.
    await desk.getByText('Placed by Acme CRM').first().waitFor();
    // The page follows it: answered (the simulator's far end picks up), then ended when it hangs up.
    const card = crm.getByRole('region', { name: 'Calling now' }).getByRole('article', { name: 'Call with Maria Virtanen' }).filter({ hasText: 'outbound' });
    await card.filter({ hasText: 'Connected · outbound · placed by Acme CRM' }).waitFor();
    if (SHOTS) await crm.screenshot({ path: join(SHOTS, 'crm-panel-dialled.png') });
    await card.getByRole('button', { name: 'Hang up' }).click();
    await crm.getByRole('region', { name: 'Call log' }).getByText(/Maria Virtanen — placed/).waitFor();
  });

  it('is refused from an unpaired page, from another origin with its token, and with a token in the address', async () => {
    const token = await crm.evaluate(() => Object.entries(localStorage).find(([key]) => key.startsWith('agentCompanionToken'))?.[1]);
    assert.ok(token?.startsWith('aca_'), 'the page kept its token');
    // Another origin: the same server under 127.0.0.1 rather than localhost.
    const stranger = await crm.context().newPage();
    await stranger.goto(`http://127.0.0.1:${examplePort}/?api=${encodeURIComponent(api)}`);
    assert.deepEqual(await fetchFrom(stranger, `${api}/desk`), { status: 401, type: 'urn:agent-companion:problem:unauthorized' });
    assert.deepEqual(await fetchFrom(stranger, `${api}/desk`, { token }), { status: 403, type: 'urn:agent-companion:problem:wrong-origin' });
    assert.deepEqual(await fetchFrom(crm, `${api}/desk?access_token=${token}`), { status: 400, type: 'urn:agent-companion:problem:token-in-url' });
    await stranger.close();
  });

  it('refuses a page that rebinds its host name to 127.0.0.1 (a wrong Host)', async () => {
    const rebound = await crm.context().newPage();
    const response = await rebound.goto(`http://rebind.test:${core.automation!.port}/api/v1/desk`);
    assert.equal(response?.status(), 421);
    assert.match(await rebound.innerText('body'), /wrong-host/);
    await rebound.close();
  });

  it('says it lost access when the agent revokes it in the desk, and the old token is refused', async () => {
    const token = await crm.evaluate(() => Object.entries(localStorage).find(([key]) => key.startsWith('agentCompanionToken'))?.[1]);
    await desk.getByRole('button', { name: 'Settings' }).click();
    const group = desk.getByRole('group', { name: 'Automation API' });
    await group.getByText('Acme CRM').first().waitFor();
    assert.match(await group.innerText(), /Dial/, 'the dial is in the recent API actions');
    if (SHOTS) {
      await group.scrollIntoViewIfNeeded();
      await desk.screenshot({ path: join(SHOTS, 'automation-settings.png') });
    }
    await group.getByRole('button', { name: 'Revoke Acme CRM' }).click();
    await crm.getByRole('status').filter({ hasText: /no longer allows this page/ }).waitFor();
    await crm.getByRole('button', { name: 'Connect to Agent Companion' }).waitFor();
    assert.deepEqual(await fetchFrom(crm, `${api}/desk`, { token }), { status: 401, type: 'urn:agent-companion:problem:unauthorized' });
    await group.getByText('No app is paired yet.').waitFor();
  });
});
