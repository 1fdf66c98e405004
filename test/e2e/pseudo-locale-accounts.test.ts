/**
 * Accounts in trouble and platforms' notices in the pseudo-locale (issue 19, item 2: the core says
 * why as a code with parameters; the window says it in the agent's language, the server's own words
 * as sent). Three scripted accounts: one that cannot reach its server (reconnecting), one whose
 * sign-in the server refused (failed), one connected whose platform leaves presence to another tool
 * (its notice). Every text the agent meets must come through the language layer, nothing cut off at 420 px.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { ConnectionError } from '../../main/desk/port.js';
import { connectionReason } from '../../main/vendors/kit/reasons.js';
import { ScriptedConnector } from '../support/scripted-connector.js';
import { Closers } from './harness.js';
import { clippedTexts, openPseudoDesk, unmarkedTexts, xa } from './pseudo.js';

/** A folder to write the screenshot to (to look at), or none. */
const SHOTS = process.env.PSEUDO_SCREENSHOTS;

describe('accounts in trouble and notices in the pseudo-locale', () => {
  const closers = new Closers();
  const far = new ScriptedConnector();
  const refused = new ScriptedConnector();
  const phone = new ScriptedConnector();
  let page: Page;

  before(() =>
    closers.setUp(async () => {
      const seed = (id: string, label: string) => ({ id, vendor: 'test', label, demo: false, presenceOptions: [] });
      ({ page } = await openPseudoDesk(closers, [
        { seed: seed('far', 'Voice (sales)'), connector: far },
        { seed: seed('refused', 'Chat (support)'), connector: refused },
        {
          seed: { ...seed('phone', 'Phone system'), notice: 'Presence is set in PBX; answer calls on your phone.', noticeSaid: { key: 'accounts.notice.presence-elsewhere', values: { tool: 'PBX' } } },
          connector: phone,
        },
      ]));
      const unreachable = new Error('connect ECONNREFUSED 127.0.0.1:9', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
      far.emit({ type: 'connection', state: 'reconnecting', reason: unreachable.message, said: connectionReason(unreachable), attempt: 3, nextAttemptAt: new Date(Date.now() + 30_000).toISOString() });
      const signIn = new ConnectionError('refused to sign in agent 1001: Invalid credentials', true, { said: { key: 'accounts.reason.sign-in-refused', values: { user: '1001', detail: 'Invalid credentials' } } });
      refused.emit({ type: 'connection', state: 'failed', reason: signIn.message, said: connectionReason(signIn) });
      await page.getByRole('region', { name: xa('presence.title') }).waitFor({ timeout: 60_000 });
    }),
  );
  after(() => closers.closeAll());

  it('says why an account reconnects or failed, and a platform’s notice, through the language layer — the server’s words as sent', async () => {
    const banners = page.getByTestId('account-banner');
    await banners.nth(1).waitFor();
    const reconnecting = banners.filter({ hasText: 'Voice (sales)' });
    // The sentence is the agent's language; the server's own words sit in it untranslated.
    assert.equal(await reconnecting.locator('.reason').innerText(), xa('accounts.reason.unreachable').replace('{detail}', 'connect ECONNREFUSED 127.0.0.1:9'));
    const failed = banners.filter({ hasText: 'Chat (support)' });
    assert.equal(await failed.locator('.reason').innerText(), xa('accounts.reason.sign-in-refused').replace('{user}', '1001').replace('{detail}', 'Invalid credentials'));
    await page.getByRole('list', { name: xa('presence.notes') }).getByText(/PBX/).waitFor();
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'pseudo-accounts.png'), fullPage: true });
    assert.deepEqual(await unmarkedTexts(page, 'accounts in trouble'), []);
    assert.deepEqual(await clippedTexts(page, 'accounts in trouble'), []);
  });

  it('asks the desk’s own question in a dialog through it, and a server’s question as it sent it', async () => {
    const choices = [
      { id: 'take-over', label: 'Take over', primary: true, said: { key: 'prompt.take-over' } },
      { id: 'cancel', label: 'Cancel', said: { key: 'common.cancel' } },
    ] as const;
    phone.emit({ type: 'prompt', prompt: { id: 'q1', message: 'Another session exists for this agent: take it over?', said: { key: 'prompt.take-over.question' }, choices: [...choices] } });
    const dialog = page.getByRole('dialog', { name: xa('prompt.title').replace('{account}', 'Phone system') });
    await dialog.getByRole('button', { name: xa('prompt.take-over') }).waitFor();
    await dialog.getByText(xa('prompt.take-over.question')).waitFor();
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'pseudo-prompt.png') });
    assert.deepEqual(await unmarkedTexts(page, 'the desk’s question'), []);
    phone.emit({ type: 'prompt', prompt: { id: 'q2', message: 'Agent 1001 is already signed in on another desktop.', choices: [...choices] } });
    await dialog.getByText('Agent 1001 is already signed in on another desktop.').waitFor();
    assert.deepEqual(await unmarkedTexts(page, 'a server’s question'), [], 'the server’s words are marked as not ours to translate');
  });
});
