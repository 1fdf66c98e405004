/**
 * Settings a policy of the OS sets (issue 22, point 3), as the agent meets them in the settings
 * screen: listed as set by the administrator, each with its policy and where it is set, and their
 * controls not to be changed; the fields no policy sets stay the agent's.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { startCore } from '../../main/app.js';
import { parseConfig } from '../../main/config.js';
import { createLogger } from '../../main/log.js';
import { LINUX_POLICY_FILE, WINDOWS_POLICY_KEY } from '../../main/policy.js';
import { StoredSettings } from '../../main/settings.js';
import { startWebHost } from '../../main/web.js';
import { launchChromium } from './browser.js';
import { Closers } from './harness.js';

describe('settings an administrator set by policy', () => {
  const closers = new Closers();
  let page: Page;

  before(() =>
    closers.setUp(async () => {
      const log = createLogger('warn');
      const config = parseConfig({ display: { theme: 'dark', toasts: { chats: false } } });
      const policies = {
        document: { display: { theme: 'dark', toasts: { chats: false } } },
        managed: { 'display.theme': { policy: 'Theme', source: `HKLM${WINDOWS_POLICY_KEY}` }, 'display.toasts.chats': { policy: 'ChatToasts', source: LINUX_POLICY_FILE } },
      };
      const settings = new StoredSettings(config, 'this computer’s settings', async () => undefined, undefined, { policies });
      const core = closers.add(await startCore({ config, log, settings, setup: { source: 'this computer’s settings', problems: [] } }), (started) => started.stop());
      const host = closers.add(await startWebHost({ core, log }), (started) => started.close());
      const browser = closers.add(await launchChromium(), (launched) => launched.close().catch(() => undefined));
      const context = await browser.newContext({ viewport: { width: 440, height: 900 } });
      page = await context.newPage();
      await page.goto(host.url);
    }),
  );
  after(() => closers.closeAll());

  it('lists what the policies set and where, and keeps those controls from being changed', async () => {
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const note = page.getByRole('note', { name: 'Set by your administrator' });
    const items = note.getByRole('list', { name: 'Set by your administrator' }).getByRole('listitem');
    await items.first().waitFor();
    assert.deepEqual((await items.allInnerTexts()).map((text) => text.replace(/\s+/g, ' ')), [`Theme Theme · HKLM${WINDOWS_POLICY_KEY}`, `Notifications of new chats ChatToasts · ${LINUX_POLICY_FILE}`]);
    const theme = page.getByRole('group', { name: 'Theme' });
    assert.equal(await theme.getByRole('radio', { name: 'Dark' }).isChecked(), true);
    assert.equal(await theme.getByRole('radio', { name: 'Light' }).isDisabled(), true, 'the theme is the policy’s');
    const notifications = page.getByRole('group', { name: 'Notifications' });
    assert.equal(await notifications.getByRole('checkbox', { name: 'New chats' }).isDisabled(), true);
    assert.equal(await notifications.getByRole('checkbox', { name: 'New chats' }).isChecked(), false);
    assert.equal(await notifications.getByRole('checkbox', { name: 'Ringing calls' }).isEnabled(), true, 'no policy sets it: the agent’s');
  });
});
