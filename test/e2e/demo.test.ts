/**
 * Demo mode, as a first-time user meets it: no config, the web host shows the demo desk labelled
 * as such, every registered platform's demo account connected, and the scripted day brings calls
 * and chats.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { startCore } from '../../main/app.js';
import { parseConfig } from '../../main/config.js';
import { createLogger } from '../../main/log.js';
import { platforms } from '../../main/vendors/index.js';
import { startWebHost } from '../../main/web.js';
import { launchChromium, recordNotifications } from './browser.js';
import { Closers } from './harness.js';

describe('demo mode in the web host', () => {
  const closers = new Closers();
  let page: Page;
  // A setup that fails halfway stops what it started (the closers) before the error propagates.
  before(() =>
    closers.setUp(async () => {
      const log = createLogger('warn');
      const core = closers.add(await startCore({ config: parseConfig({}), demo: true, log, demoIntervalMs: 1_500 }), (started) => started.stop());
      const host = closers.add(await startWebHost({ core, log }), (started) => started.close());
      const browser = closers.add(await launchChromium(), (launched) => launched.close());
      const context = await browser.newContext();
      await recordNotifications(context);
      page = await context.newPage();
      await page.goto(host.url);
    }),
  );
  after(() => closers.closeAll());

  it('labels the desk as a demo and connects every platform’s demo account', async () => {
    await page.getByText('DEMO', { exact: true }).waitFor();
    const statuses = page.getByRole('region', { name: 'Presence' }).getByRole('listitem', { name: /^[^,]+, Connected\b/ });
    await statuses.nth(platforms().length - 1).waitFor();
    assert.equal(await statuses.count(), platforms().length);
  });

  it('plays a day at the desk: calls ring and chats arrive', async () => {
    await page.getByRole('region', { name: /^Calls\b/ }).getByRole('listitem').first().waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: /^Chat with / }).first().waitFor({ timeout: 30_000 });
    await page.getByRole('region', { name: /^Queues\b/ }).getByRole('rowheader').first().waitFor({ timeout: 30_000 });
  });
});
