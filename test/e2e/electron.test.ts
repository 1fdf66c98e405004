/**
 * The Electron app end to end, through Playwright's `_electron`: the window opens in demo mode,
 * the page sees only `window.desk` (no Node), and a ringing call reaches the window.
 * Runs wherever the Electron binary is installed; elsewhere it says why it is skipped.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core';
import { electronBinary } from '../../scripts/electron-binary.mjs';
import { Closers, eventually } from './harness.js';

const binary = electronBinary();
const skip = binary
  ? false
  : 'the Electron binary is not installed on this machine (npm does not ship it and this network cannot download it from GitHub); the same core and renderer are tested in Chromium by web-host.test.ts';
if (skip) process.stdout.write(`# Electron end-to-end tests skipped: ${skip}\n`);

describe('Electron app', { skip }, () => {
  const closers = new Closers();
  let app: ElectronApplication;
  let page: Page;
  // A setup that fails halfway closes the app it launched before the error propagates.
  before(() =>
    closers.setUp(async () => {
      const build = spawnSync('npm', ['run', '--silent', 'build:main'], { stdio: 'inherit' });
      assert.equal(build.status, 0, 'build:main failed');
      app = closers.add(
        await electron.launch({
          executablePath: binary as string,
          args: ['.', '--no-sandbox'],
          env: { ...process.env, AGENT_COMPANION_LOG: 'warn' },
        }),
        (launched) => launched.close(),
      );
      page = await app.firstWindow();
    }),
  );
  after(() => closers.closeAll());

  it('opens the desk window in demo mode with both demo accounts connected', async () => {
    await page.getByText('DEMO', { exact: true }).waitFor();
    await page.getByRole('region', { name: 'Presence' }).getByRole('listitem', { name: /^[^,]+, Connected\b/ }).first().waitFor();
  });

  it('gives the page window.desk and nothing of Node or Electron', async () => {
    const exposed = await page.evaluate(() => ({
      desk: typeof (window as unknown as { desk?: unknown }).desk,
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
    }));
    assert.deepEqual(exposed, { desk: 'object', require: 'undefined', process: 'undefined' });
  });

  it('refuses to navigate the window away from the desk', async () => {
    const before = page.url();
    // The main process's own word that it saw the navigation and refused it (no sleep to guess at):
    // a listener added after the shell's, which reads whether the shell prevented it.
    type Seen = { url: string; refused: boolean };
    await app.evaluate(({ BrowserWindow }) => {
      BrowserWindow.getAllWindows()[0]!.webContents.once('will-navigate', (event) => {
        (globalThis as { navigationSeen?: Seen }).navigationSeen = { url: event.url, refused: event.defaultPrevented };
      });
    });
    await page.evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    const seen = await eventually(() => app.evaluate(() => (globalThis as { navigationSeen?: Seen }).navigationSeen), 'the main process saw the navigation');
    assert.deepEqual(seen, { url: 'https://example.com/', refused: true });
    assert.equal(page.url(), before);
    await page.getByText('DEMO', { exact: true }).waitFor();
  });
});
