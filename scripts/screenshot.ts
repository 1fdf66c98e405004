/**
 * Takes the README's screenshot: demo mode in the web host, in Chromium, after the scripted day has
 * had a few seconds to put calls, chats, callbacks and queues on the desk.
 * `tsx scripts/screenshot.ts [out.png] [light|dark]` (build the renderer first).
 */
import { startCore } from '../main/app.js';
import { parseConfig } from '../main/config.js';
import { createLogger } from '../main/log.js';
import { startWebHost } from '../main/web.js';
import { launchChromium } from '../test/e2e/browser.js';

const out = process.argv[2] ?? 'docs/screenshot.png';
const scheme = process.argv[3] === 'dark' ? 'dark' : 'light';
const log = createLogger('warn');
const core = await startCore({ config: parseConfig({}), demo: true, log, demoIntervalMs: 2_000 });
const host = await startWebHost({ core, log });
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 460, height: 980 }, colorScheme: scheme, deviceScaleFactor: 1 });
  await page.goto(host.url);
  await page.locator('[data-testid="chat-item"]').first().waitFor({ timeout: 60_000 });
  await page.locator('[data-testid="call"]').first().waitFor({ timeout: 60_000 });
  await page.locator('[data-testid="chat-item"]').first().click();
  await page.waitForTimeout(1_000);
  await page.screenshot({ path: out, fullPage: true });
  process.stdout.write(`screenshot written to ${out}\n`);
} finally {
  await browser.close();
  await host.close();
  await core.stop();
}
