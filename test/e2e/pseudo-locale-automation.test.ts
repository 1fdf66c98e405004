/**
 * The automation API's screens in the pseudo-locale (issue 19 over issue 20's screens): an app's
 * request to pair (the modal dialog), then Settings → Automation API with the paired app and its
 * recent action, in `en-XA` at 420 px. Every text the agent meets must come through the language
 * layer and none may be cut off (`pseudo.ts` says how it is read).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { Core } from '../../main/app.js';
import { apiRequest } from '../support/api-client.js';
import { PAGE } from '../support/automation-rig.js';
import { ScriptedConnector } from '../support/scripted-connector.js';
import { Closers } from './harness.js';
import { clippedTexts, openPseudoDesk, unmarkedTexts, xa } from './pseudo.js';

describe('the automation API in the pseudo-locale', () => {
  const closers = new Closers();
  const voice = new ScriptedConnector();
  let page: Page;
  let core: Core;

  before(() =>
    closers.setUp(async () => {
      const seed = { id: 'voice', vendor: 'test', label: 'Voice', demo: false, presenceOptions: ['ready' as const, 'not-ready' as const], canDial: true, callControl: true };
      ({ core, page } = await openPseudoDesk(closers, [{ seed, connector: voice }], { automation: { enabled: true, port: 0 } }));
      voice.emit({ type: 'presence', presence: { state: 'ready', label: 'Ready' } });
      await page.getByRole('region', { name: xa('presence.title') }).waitFor({ timeout: 60_000 });
    }),
  );
  after(() => closers.closeAll());

  it('asks whether to allow an app in a dialog through the language layer, and lists the app and what it did in the settings', async () => {
    const port = core.automation!.port;
    const asked = await apiRequest(port, '/api/v1/pairing', { body: { name: 'Acme CRM', scopes: ['read', 'calls', 'presence', 'chats'] }, origin: PAGE });
    assert.equal(asked.status, 202, asked.text);
    const dialog = page.getByRole('dialog', { name: xa('pairing.title').replace('{name}', 'Acme CRM') });
    await dialog.waitFor();
    assert.deepEqual(await unmarkedTexts(page, 'the pairing dialog'), []);
    assert.deepEqual(await clippedTexts(page, 'the pairing dialog'), []);
    // Allow is inert until it has stood still a moment (a deliberate yes).
    const allow = dialog.getByRole('button', { name: xa('pairing.allow') });
    await dialog.locator('[data-armed="true"]').waitFor();
    await allow.click();
    await dialog.waitFor({ state: 'detached' });
    const answer = await apiRequest(port, `/api/v1/pairing/${asked.json.pairingId}`, { origin: PAGE });
    assert.equal(answer.json.status, 'allowed');
    // A command the app sends is listed with its result (refused here: there is no such call).
    await apiRequest(port, '/api/v1/calls/nope/hold', { body: {}, token: answer.json.token as string, origin: PAGE });

    await page.getByRole('button', { name: xa('header.settings') }).click();
    const group = page.getByRole('group', { name: xa('automation.title') });
    await group.getByRole('button', { name: xa('automation.revoke.label').replace('{name}', 'Acme CRM') }).waitFor();
    await group.getByRole('list', { name: xa('automation.actions') }).getByRole('listitem').first().waitFor();
    assert.deepEqual(await unmarkedTexts(page, 'the automation settings'), []);
    assert.deepEqual(await clippedTexts(page, 'the automation settings'), []);
  });
});
