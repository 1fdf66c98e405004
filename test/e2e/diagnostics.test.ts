/**
 * "Save diagnostics…" as the agent meets it in the web host (issue 22, point 2): from the settings'
 * Support section, a dialog lists every file the zip will hold before anything is saved, opens on
 * Cancel (a fast Enter saves nothing), and Save downloads one zip holding those files, with no
 * secret of the account in it.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { parseConfig } from '../../main/config.js';
import { startEnreachSimulator } from '../../main/vendors/enreach/simulator/index.js';
import { Closers, hasFocus, openDesk } from './harness.js';

describe('Save diagnostics… in the web host', () => {
  const closers = new Closers();
  let page: Page;
  let secretKey: string;

  before(() =>
    closers.setUp(async () => {
      const enreach = closers.add(await startEnreachSimulator(), (simulator) => simulator.close().catch(() => undefined));
      secretKey = enreach.credentials.secretKey;
      const config = parseConfig({ accounts: [{ id: 'voice', vendor: 'enreach', label: 'Enreach test', apiUrl: enreach.apiUrl, user: enreach.credentials.user, secretKey }] });
      ({ page } = await openDesk(closers, { config }));
    }),
  );
  after(() => closers.closeAll());

  it('lists the files first, opens on Cancel, and saves one zip of them with no secret', async () => {
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('group', { name: 'Support' }).getByRole('button', { name: 'Save diagnostics…' }).click();
    const dialog = page.getByRole('dialog', { name: /diagnostics/i });
    const files = dialog.getByRole('list', { name: /^Files in agent-companion-diagnostics-.*\.zip$/ });
    await files.waitFor();
    const listed = await files.getByRole('listitem').allInnerTexts();
    const names = listed.map((text) => text.split(/\s/)[0]!);
    for (const name of ['README.txt', 'versions.json', 'configuration.json', 'connections.json', 'alerts.json', 'crash-dumps.json']) assert.ok(names.includes(name), `${name} is listed: ${names.join(', ')}`);
    assert.equal(await hasFocus(dialog.getByRole('button', { name: 'Cancel' })), true, 'Cancel has the focus');

    const download = page.waitForEvent('download');
    await dialog.getByRole('button', { name: 'Save…' }).click();
    const saved = await download;
    assert.match(saved.suggestedFilename(), /^agent-companion-diagnostics-.*\.zip$/);
    const zip = unzipSync(new Uint8Array(await readFile((await saved.path())!)));
    assert.deepEqual(Object.keys(zip).filter((name) => !name.startsWith('logs/')).sort(), names.filter((name) => !name.startsWith('logs/')).sort(), 'the zip holds what the list said');
    const configuration = strFromU8(zip['configuration.json']!);
    assert.match(configuration, /Enreach test/);
    for (const [name, bytes] of Object.entries(zip)) assert.ok(!strFromU8(bytes).includes(secretKey), `${name} holds no secret`);
  });
});
