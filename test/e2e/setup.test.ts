/// <reference lib="dom" />
/**
 * A desk with nothing to connect to, as the agent and the IT admin meet it in the web host: settings
 * with no account (the empty desk says where they were read and how to add one), settings that could
 * not be used (the settings screen opens on their problems, never the demo), and secrets stored where
 * nothing protects them (the settings screen says so).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startCore } from '../../main/app.js';
import { parseConfig, type AppConfig } from '../../main/config.js';
import type { DeskSetup } from '../../common/model.js';
import { createLogger } from '../../main/log.js';
import { ReadOnlySettings, StoredSettings, type SettingsStore } from '../../main/settings.js';
import { startGenesysSimulator } from '../../main/vendors/genesys/simulator/index.js';
import { startWebHost } from '../../main/web.js';
import { launchChromium } from './browser.js';
import { Closers, eventually, hasFocus } from './harness.js';

const FILE = 'the config file /tmp/agent-companion-e2e.json';
const PROBLEMS = ['accounts[0].pasword: unknown field; did you mean "password"?', 'display.theme: Invalid option: expected one of "system"|"light"|"dark"'];
/** The empty desk, by its heading (what it says is wrong). */
const emptyDesk = (page: Page) => page.getByRole('region', { name: /^(No account is set up|The settings could not be used|Every account is turned off)$/ });
/** The settings' list of what could not be used. */
const storedProblems = (page: Page) => page.getByRole('alert', { name: 'These settings could not be used' });
const demoBadge = (page: Page) => page.getByText('DEMO', { exact: true });
const UNPROTECTED =
  'No keyring (GNOME Keyring or KWallet) is running, so stored secrets are only obfuscated with a key built into Electron: anyone who can read your files can recover them. Start a keyring, or put secrets in a config file as {"env": "VARIABLE"}.';

describe('setting up the desk, in the web host', () => {
  const closers = new Closers();
  const log = createLogger(process.env.AGENT_COMPANION_LOG ?? 'warn');
  let browser: Browser;

  before(() =>
    closers.setUp(async () => {
      browser = closers.add(await launchChromium(), (launched) => launched.close().catch(() => undefined));
    }),
  );
  after(() => closers.closeAll());

  /** Starts a core on `config` with `setup` and `settings` (or the demo), serves it, and opens a page on it. */
  async function open(config: AppConfig, setup: DeskSetup, settings: SettingsStore, { demo = false, storedTheme }: { demo?: boolean; storedTheme?: string } = {}): Promise<Page> {
    return closers.setUp(async () => {
      const core = closers.add(await startCore({ config, setup, settings, log, demo, demoIntervalMs: 60_000 }), (started) => started.stop());
      const host = closers.add(await startWebHost({ core, log }), (started) => started.close());
      const context = closers.add(await browser.newContext({ viewport: { width: 440, height: 800 } }), (opened) => opened.close().catch(() => undefined));
      // The agent's own theme, as the header's toggle left it on an earlier day.
      if (storedTheme) await context.addInitScript({ content: `localStorage.setItem('agent-companion.theme', ${JSON.stringify(storedTheme)});` });
      const page = await context.newPage();
      page.on('pageerror', (error) => process.stderr.write(`page error: ${error.message}\n`));
      await page.goto(host.url);
      return page;
    });
  }

  it('shows an empty desk that names the file it read, says who adds an account, and is no demo', async () => {
    const config = parseConfig({ accounts: [] });
    const page = await open(config, { source: FILE, problems: [] }, new ReadOnlySettings(config, FILE, [], { kind: 'managed', path: '/etc/agent-companion.json' }));
    const panel = emptyDesk(page);
    await panel.waitFor();
    assert.match(await panel.innerText(), /No account is set up/);
    assert.equal(await panel.getByText(FILE, { exact: true }).innerText(), FILE);
    await panel.getByText('Your administrator manages these settings in /etc/agent-companion.json').waitFor();
    assert.equal(await panel.getByRole('button', { name: 'Add an account' }).count(), 0, 'a managed file offers no Add button');
    assert.equal(await demoBadge(page).count(), 0);
    assert.equal(await page.getByRole('region', { name: /^Calls\b/ }).count(), 0, 'no Calls section, listed or empty');
    assert.equal(await page.getByRole('combobox', { name: /presence on all accounts$/ }).count(), 0, 'no presence to set');
  });

  it('sends the agent of a failed account to the file the web host reads, not to settings they cannot edit', async () => {
    const genesys = closers.add(await startGenesysSimulator(), (simulator) => simulator.close().catch(() => undefined));
    const config = parseConfig({
      accounts: [{ id: 'contact', vendor: 'genesys', label: 'Genesys test', baseUrl: genesys.baseUrl, user: genesys.credentials.user, password: 'not-the-password' }],
    });
    const settings = new ReadOnlySettings(config, 'the config file /srv/ac.json', [], { kind: 'web-host', path: '/srv/ac.json' });
    const page = await open(config, { source: 'the config file /srv/ac.json', problems: [] }, settings);
    const banner = page.getByRole('alert').filter({ hasText: 'Genesys test could not connect' });
    await banner.waitFor();
    assert.match(await banner.innerText(), /account settings/, 'the platform’s reason points to the settings');
    await banner.getByText('Read from /srv/ac.json. To change them, edit that file and restart `npm run start:web`.').waitFor();
    assert.equal(await banner.getByRole('button', { name: 'Open the account settings' }).count(), 0, 'no way into settings that cannot be changed here');
  });

  it('opens on the settings screen listing the problems verbatim when a managed file is not valid', async () => {
    const page = await open(parseConfig({}), { source: FILE, problems: PROBLEMS }, new ReadOnlySettings(parseConfig({}), FILE, PROBLEMS));
    const list = storedProblems(page);
    await list.waitFor();
    assert.deepEqual(await list.getByRole('listitem').allInnerTexts(), PROBLEMS);
    await list.filter({ hasText: `Fix them in ${FILE}.` }).waitFor();
    await page.getByRole('note', { name: 'Read-only settings' }).waitFor();
    // A problem that names a field also shows under that field.
    await page.getByRole('group', { name: 'Theme' }).getByText(/Invalid option/).waitFor();
    assert.equal(await demoBadge(page).count(), 0);
    // Behind it, the desk stays empty and says why.
    await page.keyboard.press('Escape');
    const panel = emptyDesk(page);
    await panel.waitFor();
    assert.match(await panel.innerText(), /The settings could not be used[\s\S]*2 problems/);
    await panel.getByRole('button', { name: 'Show the problems' }).click();
    await list.waitFor();
  });

  it('maps stored problems onto the form and saves the corrected settings without the misspelt field', async () => {
    const raw = {
      accounts: [{ id: 'contact', vendor: 'genesys', label: 'Genesys', baseUrl: 'https://gws.example.test', user: 'agent@example.test', pasword: 'typo' }],
      display: { theme: 'blue' },
    };
    let persisted: Record<string, unknown> | undefined;
    const source = 'this computer’s settings';
    const settings = new StoredSettings(parseConfig({}), source, async (document) => void (persisted = document), (plain) => Buffer.from(`sealed:${plain}`).toString('base64'), { problems: PROBLEMS, raw });
    const page = await open(parseConfig({}), { source, problems: PROBLEMS }, settings);
    const list = storedProblems(page);
    await list.waitFor();
    assert.deepEqual(await list.getByRole('listitem').allInnerTexts(), PROBLEMS);
    // The account's fields, by its label.
    const account = page.getByRole('group', { name: 'Genesys', exact: true });
    await account.getByText(/pasword: unknown field/).waitFor();
    await account.getByLabel(/^Password\*?$/).fill('s3cret');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Saved — reconnecting with the new settings' }).waitFor();
    await list.waitFor({ state: 'detached' });
    const stored = await eventually(() => persisted, 'the corrected settings were stored');
    const [saved] = stored['accounts'] as Array<Record<string, unknown>>;
    assert.ok(saved && !('pasword' in saved), `the misspelt field went back: ${JSON.stringify(saved)}`);
    assert.ok(saved && saved['password'] !== undefined, 'the typed password was stored');
  });

  it('says in the demo’s settings that it is the demo, and how to use one’s own accounts', async () => {
    const source = 'no configuration (start with --config PATH to use your accounts)';
    const page = await open(parseConfig({}), { source, problems: [] }, new ReadOnlySettings(parseConfig({}), source), { demo: true });
    await demoBadge(page).waitFor();
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const demo = page.getByRole('note', { name: 'This is the demo' });
    await demo.waitFor();
    assert.match(await demo.innerText(), /This is the demo[\s\S]*--config PATH/);
    assert.equal(await page.getByRole('note', { name: 'Read-only settings' }).count(), 0, 'no administrator manages the demo');
    const none = page.getByRole('group', { name: /^Accounts/ }).getByText(/^No account/);
    assert.doesNotMatch(await none.innerText(), /No accounts yet/);
  });

  it('applies the theme the settings choose over the agent’s own, and the agent’s own when they choose the system’s', async () => {
    const themed = parseConfig({ accounts: [], display: { theme: 'dark' } });
    const page = await open(themed, { source: FILE, problems: [] }, new ReadOnlySettings(themed, FILE), { storedTheme: 'light' });
    await page.waitForFunction(() => document.documentElement.dataset['theme'] === 'dark');
    assert.equal(await page.evaluate(() => localStorage.getItem('agent-companion.theme')), 'light', 'the agent’s own choice is kept for later');
    await page.getByRole('button', { name: 'Dark theme, set in the settings (switch theme)' }).waitFor();

    const plain = parseConfig({ accounts: [] });
    const other = await open(plain, { source: FILE, problems: [] }, new ReadOnlySettings(plain, FILE), { storedTheme: 'light' });
    await emptyDesk(other).waitFor();
    // The empty desk asks for the settings too; by the time it knows they are managed, so does the theme.
    await emptyDesk(other).getByText(/^Add an account to that file\./).waitFor();
    assert.equal(await other.evaluate(() => document.documentElement.dataset['theme']), 'light');
  });

  it('warns that stored secrets are not protected, and the Add button leads to the new-account controls', async () => {
    const source = 'this computer’s settings (/home/agent/.config/Agent Companion/settings.json)';
    const settings = new StoredSettings(parseConfig({}), source, async () => {}, undefined, { secrets: { protected: false, note: UNPROTECTED } });
    const page = await open(parseConfig({}), { source, problems: [] }, settings);
    assert.equal(await emptyDesk(page).getByText(source, { exact: true }).innerText(), source);
    await page.getByRole('button', { name: 'Add an account' }).click();
    const warning = page.getByRole('note', { name: 'Secrets are not protected on this computer' });
    await warning.waitFor();
    assert.match(await warning.innerText(), new RegExp(UNPROTECTED.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    await eventually(() => hasFocus(page.getByRole('combobox', { name: 'New account on' })), 'the new-account controls have the focus');
    assert.equal(await storedProblems(page).count(), 0);
  });
});
