/**
 * Takes the screenshots in the README and `docs/using.md`: demo mode in the web host, in Chromium,
 * once the scripted day has put a ringing call in the strip and a few ended calls (a missed one among them) in the history.
 * Two windows: tray-sized (420×800, the desktop app's default) and wide (1280×800, a browser tab).
 * `tsx scripts/screenshot.ts [out-dir] [light|dark] [locale]` (build the renderer first); writes
 * `screenshot-tray.png` and `screenshot-wide.png` into `out-dir` (default `docs/`). With a locale
 * (`de`, `ja`, `zh-CN`…: `display.language`), only the tray-sized one, as `screenshot-tray-<locale>.png`
 * (the desk in that language; docs/languages.md shows them).
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startCore } from '../main/app.js';
import { parseConfig } from '../main/config.js';
import { createLogger } from '../main/log.js';
import { isLocale, LOCALES } from '../common/locales.js';
import { startWebHost } from '../main/web.js';
import { launchChromium } from '../test/e2e/browser.js';

const outDir = process.argv[2] ?? 'docs';
const scheme = process.argv[3] === 'dark' ? 'dark' : 'light';
const language = process.argv[4];
if (language !== undefined && !isLocale(language)) throw new Error(`"${language}" is not a locale the desk speaks: ${LOCALES.join(', ')}`);
const log = createLogger('warn');
const core = await startCore({ config: parseConfig(language ? { display: { language } } : {}), demo: true, log, demoIntervalMs: 3_000 });
const host = await startWebHost({ core, log });
const browser = await launchChromium();

/** Waits until the strip rings and the history holds a missed call and two others. */
async function dayUnderWay(page: Page): Promise<void> {
  await page.locator('[data-testid="recent-call-missed"]').first().waitFor({ timeout: 90_000 });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="recent-call"]').length >= 3, undefined, { timeout: 90_000 });
  await page.locator('[data-testid="ringing-call"]').first().waitFor({ timeout: 90_000 });
}

try {
  const windows = [
    ['tray', { width: 420, height: 800 }],
    ['wide', { width: 1280, height: 800 }],
  ] as const;
  for (const [name, viewport] of language ? windows.slice(0, 1) : windows) {
    const page = await browser.newPage({ viewport, colorScheme: scheme, deviceScaleFactor: 1 });
    await page.goto(host.url);
    await dayUnderWay(page);
    // The window switches to the settings' language once it reached the core.
    if (language) await page.waitForFunction((lang) => document.documentElement.lang === lang, language, { timeout: 90_000 });
    // The demo's list keeps moving: scroll it into view at once rather than wait for it to stand still.
    if (name === 'tray') await page.locator('[data-testid="recent-calls"]').evaluate((list) => list.scrollIntoView({ block: 'nearest' }));
    await page.waitForTimeout(300);
    const path = join(outDir, language ? `screenshot-${name}-${language}.png` : `screenshot-${name}.png`);
    await page.screenshot({ path, fullPage: name === 'wide' });
    process.stdout.write(`screenshot written to ${path}\n`);
    await page.close();
  }
} finally {
  await browser.close();
  await host.close();
  await core.stop();
}
