/**
 * The desk's screens in the pseudo-locale (issue 19), with no account: the empty desk, a call link's
 * dialog, the settings (with a field a policy of the OS sets) and Save diagnostics…, with
 * `display.language: "en-XA"`; every text the agent meets must come through the language layer
 * (`pseudo.ts` says how it is read). The policy's name and where it is set stay as sent.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { startCore, type Core } from '../../main/app.js';
import { parseConfig } from '../../main/config.js';
import { createLogger } from '../../main/log.js';
import { WINDOWS_POLICY_KEY } from '../../main/policy.js';
import { StoredSettings } from '../../main/settings.js';
import { Closers } from './harness.js';
import { join } from 'node:path';
import { clippedTexts, openInPseudoWindow, unmarkedTexts, xa, xaPattern } from './pseudo.js';

/** A folder to write the diagnostics dialog's screenshot to (to look at), or none. */
const SHOTS = process.env.PSEUDO_SCREENSHOTS;

describe('the screens in the pseudo-locale', () => {
  const closers = new Closers();
  let page: Page;
  let core: Core;

  before(() =>
    closers.setUp(async () => {
      const log = createLogger('warn');
      const config = parseConfig({ display: { language: 'en-XA', theme: 'dark' } });
      const policies = { document: { display: { theme: 'dark' } }, managed: { 'display.theme': { policy: 'Theme', source: `HKLM${WINDOWS_POLICY_KEY}` } } };
      const settings = new StoredSettings(config, 'this computer’s settings', async () => undefined, undefined, { policies });
      core = closers.add(await startCore({ config, log, settings, setup: { source: 'this computer’s settings', problems: [] } }), (started) => started.stop());
      page = await openInPseudoWindow(closers, core, log);
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

  it('says why a call link cannot be dialled through it, the link’s words as sent', async () => {
    core.desk.openDialLink('callto:jane.doe');
    const dialog = page.getByRole('dialog', { name: xa('links.refused.title') });
    await dialog.waitFor();
    await dialog.getByText(xa('links.refused.name').replace('{name}', 'jane.doe')).waitFor();
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'pseudo-link-refused.png') });
    assert.deepEqual(await unmarkedTexts(page, 'a refused call link'), []);
    await dialog.getByRole('button', { name: xa('callbacks.close') }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('shows the settings screen through it', async () => {
    await page.getByRole('button', { name: xa('header.settings') }).click();
    await page.getByRole('heading', { name: xa('header.settings') }).waitFor();
    await page.getByRole('group', { name: xa('settings.display') }).waitFor();
    const managed = page.getByRole('note', { name: xa('settings.managed.title') });
    await managed.getByText(xa('managed.display.theme')).waitFor();
    if (SHOTS) await managed.screenshot({ path: join(SHOTS, 'pseudo-managed.png') });
    assert.deepEqual(await unmarkedTexts(page, 'the settings'), []);
    assert.deepEqual(await clippedTexts(page, 'the settings'), []);
  });

  it('lists the diagnostics’ files through it before saving', async () => {
    await page.getByRole('button', { name: xa('diagnostics.open') }).click();
    const dialog = page.getByRole('dialog', { name: xa('diagnostics.title') });
    await dialog.getByRole('list', { name: xaPattern('diagnostics.files') }).getByText(xa('diagnostics.file.readme')).waitFor();
    assert.deepEqual(await unmarkedTexts(page, 'the diagnostics dialog'), []);
    assert.deepEqual(await clippedTexts(page, 'the diagnostics dialog'), []);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'pseudo-diagnostics.png') });
    await dialog.getByRole('button', { name: xa('common.cancel') }).click();
    await dialog.waitFor({ state: 'detached' });
  });
});
