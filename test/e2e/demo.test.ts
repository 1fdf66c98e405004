/**
 * Demo mode, as a first-time user meets it: no config, the web host shows the demo desk labelled
 * as such, both demo platforms connected, and the scripted day brings calls and chats.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startCore, type Core } from '../../main/app.js';
import { parseConfig } from '../../main/config.js';
import { createLogger } from '../../main/log.js';
import { startWebHost, type WebHost } from '../../main/web.js';
import { launchChromium, recordNotifications } from './browser.js';

describe('demo mode in the web host', () => {
  let core: Core;
  let host: WebHost;
  let browser: Browser;
  let page: Page;
  before(async () => {
    const log = createLogger('warn');
    core = await startCore({ config: parseConfig({}), log, demoIntervalMs: 1_500 });
    host = await startWebHost({ core, log });
    browser = await launchChromium();
    const context = await browser.newContext();
    await recordNotifications(context);
    page = await context.newPage();
    await page.goto(host.url);
  });
  after(async () => {
    await browser?.close();
    await host?.close();
    await core?.stop();
  });

  it('labels the desk as a demo and connects both demo platforms', async () => {
    await page.locator('[data-testid="demo-badge"]').waitFor();
    const statuses = page.locator('[data-testid="account-status"][data-state="connected"]');
    await statuses.nth(1).waitFor();
    assert.equal(await statuses.count(), 2);
  });

  it('plays a day at the desk: calls ring and chats arrive', async () => {
    await page.locator('[data-testid="call"]').first().waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="chat-item"]').first().waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="queue"]').first().waitFor({ timeout: 30_000 });
  });
});
