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

/**
 * What a setup started, to be stopped in reverse order: each closer runs even when an earlier one
 * fails, and the first failure is thrown once all have run. A setup that throws halfway calls
 * `closeAll` before rethrowing, since the test file's `after` knows nothing of what was half-started.
 */
export class Closers {
  readonly #stack: Array<() => unknown> = [];

  /** Remembers how to stop `value`; returns `value`. */
  add<T>(value: T, close: (value: T) => unknown): T {
    this.#stack.push(() => close(value));
    return value;
  }

  /** Stops everything added so far, most recent first (a second call finds nothing left). */
  async closeAll(): Promise<void> {
    const failures: unknown[] = [];
    for (let close = this.#stack.pop(); close; close = this.#stack.pop()) {
      try {
        await close();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length) throw failures[0];
  }

  /** Runs `setup`; if it throws, stops what it had started before rethrowing its error. */
  async setUp<T>(setup: () => Promise<T>): Promise<T> {
    try {
      return await setup();
    } catch (error) {
      await this.closeAll().catch(() => undefined);
      throw error;
    }
  }
}

/**
 * Starts everything and opens the page; waits until both accounts show as connected. If any step
 * fails, whatever was already started is stopped before the error propagates.
 */
export function startRunningDesk(): Promise<RunningDesk> {
  const closers = new Closers();
  return closers.setUp(async () => {
    const log = createLogger(process.env.AGENT_COMPANION_LOG ?? 'warn');
    // A simulator that fails to close fails no test (as a browser that fails to close).
    const enreach = closers.add(await startEnreachSimulator(), (simulator) => simulator.close().catch(() => undefined));
    const genesys = closers.add(await startGenesysSimulator(), (simulator) => simulator.close().catch(() => undefined));
    const config = parseConfig({
      accounts: [
        { id: 'voice', vendor: 'enreach', label: 'Enreach test', apiUrl: enreach.apiUrl, user: enreach.credentials.user, secretKey: enreach.credentials.secretKey },
        { id: 'contact', vendor: 'genesys', label: 'Genesys test', baseUrl: genesys.baseUrl, user: genesys.credentials.user, password: genesys.credentials.password },
      ],
    });
    const core = closers.add(await startCore({ config, log, backoff: { initialMs: 50, maxMs: 500, jitter: 0 } }), (started) => started.stop());
    const host = closers.add(await startWebHost({ core, log }), (started) => started.close());
    const browser = closers.add(await launchChromium(), (launched) => launched.close().catch(() => undefined));
    const context = await browser.newContext({ viewport: { width: 440, height: 900 } });
    await recordNotifications(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => process.stderr.write(`page error: ${error.message}\n`));
    await page.goto(host.url);
    await page.locator('[data-testid="account-status"][data-account="voice"][data-state="connected"]').waitFor();
    await page.locator('[data-testid="account-status"][data-account="contact"][data-state="connected"]').waitFor();
    return { enreach, genesys, core, host, browser, context, page, stop: () => closers.closeAll() };
  });
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
