/**
 * The desk's screens in the pseudo-locale (issue 19), with no account: the empty desk, a call link's
 * dialog and the settings, with `display.language: "en-XA"`; every text the agent meets must come
 * through the language layer (`pseudo.ts` says how it is read).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { startCore, type Core } from '../../main/app.js';
import { parseConfig } from '../../main/config.js';
import { createLogger } from '../../main/log.js';
import { startWebHost } from '../../main/web.js';
import { launchChromium } from './browser.js';
import { Closers } from './harness.js';
import { clippedTexts, unmarkedTexts, xa } from './pseudo.js';

describe('the screens in the pseudo-locale', () => {
  const closers = new Closers();
  let page: Page;
  let core: Core;

  before(() =>
    closers.setUp(async () => {
      const log = createLogger('warn');
      core = closers.add(await startCore({ config: parseConfig({ display: { language: 'en-XA' } }), log }), (started) => started.stop());
      const host = closers.add(await startWebHost({ core, log }), (started) => started.close());
      const browser = closers.add(await launchChromium(), (launched) => launched.close().catch(() => undefined));
      const context = await browser.newContext({ viewport: { width: 420, height: 900 } });
      page = await context.newPage();
      page.on('pageerror', (error) => process.stderr.write(`page error: ${error.message}\n`));
      await page.goto(host.url);
    }),
  );
  after(() => closers.closeAll());

  it('says the empty desk through the language layer', async () => {
    await page.getByRole('heading', { name: xa('empty.none') }).waitFor({ timeout: 60_000 });
    assert.deepEqual(await unmarkedTexts(page, 'the empty desk'), []);
  });

  it('asks about a call link in a dialog through it', async () => {
    core.desk.openDialLink('tel:+358401234567');
    const dialog = page.getByRole('dialog', { name: xa('links.confirm.title') });
    await dialog.waitFor();
    assert.deepEqual(await unmarkedTexts(page, 'the call link dialog'), []);
    await dialog.getByRole('button', { name: xa('common.cancel') }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('shows the settings screen through it', async () => {
    await page.getByRole('button', { name: xa('header.settings') }).click();
    await page.getByRole('heading', { name: xa('header.settings') }).waitFor();
    await page.getByRole('group', { name: xa('settings.display') }).waitFor();
    assert.deepEqual(await unmarkedTexts(page, 'the settings'), []);
    assert.deepEqual(await clippedTexts(page, 'the settings'), []);
  });
});
