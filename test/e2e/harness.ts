/**
 * One running desk for end-to-end tests: both platform simulators on loopback, the core connected
 * to them through the real connectors, the web host serving the built renderer, and a Chromium
 * page logged in with the launch token, recording its Web Notifications.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startCore, type Core } from '../../main/app.js';
import { parseConfig } from '../../main/config.js';
import { createLogger } from '../../main/log.js';
import { startEnreachSimulator, type EnreachSimulator } from '../../main/vendors/enreach/simulator.js';
import { startGenesysSimulator, type GenesysSimulator } from '../../main/vendors/genesys/simulator.js';
import { startWebHost, type WebHost } from '../../main/web.js';
import { launchChromium, recordNotifications } from './browser.js';

export interface RunningDesk {
  enreach: EnreachSimulator;
  genesys: GenesysSimulator;
  core: Core;
  host: WebHost;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  stop(): Promise<void>;
}

/** Starts everything and opens the page; waits until both accounts show as connected. */
export async function startRunningDesk(): Promise<RunningDesk> {
  const log = createLogger(process.env.AGENT_COMPANION_LOG ?? 'warn');
  const enreach = await startEnreachSimulator();
  const genesys = await startGenesysSimulator();
  const config = parseConfig({
    accounts: [
      { id: 'voice', vendor: 'enreach', label: 'Enreach test', apiUrl: enreach.apiUrl, user: enreach.credentials.user, secretKey: enreach.credentials.secretKey },
      { id: 'contact', vendor: 'genesys', label: 'Genesys test', baseUrl: genesys.baseUrl, user: genesys.credentials.user, password: genesys.credentials.password },
    ],
  });
  const core = await startCore({ config, log, backoff: { initialMs: 50, maxMs: 500, jitter: 0 } });
  const host = await startWebHost({ core, log });
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 440, height: 900 } });
  await recordNotifications(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => process.stderr.write(`page error: ${error.message}\n`));
  await page.goto(host.url);
  await page.locator('[data-testid="account-status"][data-account="voice"][data-state="connected"]').waitFor();
  await page.locator('[data-testid="account-status"][data-account="contact"][data-state="connected"]').waitFor();
  return {
    enreach,
    genesys,
    core,
    host,
    browser,
    context,
    page,
    async stop() {
      await browser.close().catch(() => undefined);
      await host.close();
      await core.stop();
      await Promise.allSettled([enreach.close(), genesys.close()]);
    },
  };
}

/** Polls `probe` until it returns a truthy value (deadline 15 s; a failure, not a timing claim). */
export async function eventually<T>(probe: () => T | Promise<T>, what: string): Promise<NonNullable<Awaited<T>>> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<Awaited<T>>;
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
