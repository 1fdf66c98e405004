/**
 * axe-core over the window (issue 11, point 7): no serious or critical violation in the light and the
 * dark theme, in the main view with calls, chats (live and ended) and callbacks from the demo's
 * simulators, with a chat open, and in the settings.
 *
 * axe is evaluated in the page through the DevTools protocol (`page.evaluate` of its source), which
 * the page's Content-Security-Policy (`script-src 'self'`) does not govern; a `<script>` tag added
 * to the page would be refused by it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { startCore, type Core } from '../../main/app.js';
import { parseConfig } from '../../main/config.js';
import { createLogger } from '../../main/log.js';
import { startWebHost } from '../../main/web.js';
import { launchChromium } from './browser.js';
import { Closers, eventually } from './harness.js';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** One axe finding, as the assertion prints it. */
type Finding = { id: string; impact: string; help: string; nodes: Array<{ target: string; summary: string }> };

/** Runs axe over the page; the serious and critical violations. */
async function seriousViolations(page: Page): Promise<Finding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: Array<{ id: string; impact?: string | null; help: string; nodes: Array<{ target: unknown[]; failureSummary?: string }> }> }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        id: v.id,
        impact: v.impact ?? '',
        help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target.map(String).join(' '), summary: (n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 240) })),
      }));
  });
}

/** The findings in words a failing run can be read from. */
function describeFindings(where: string, findings: Finding[]): string {
  const lines = findings.flatMap((f) => [
    `${f.impact} ${f.id}: ${f.help} (${f.nodes.length} node${f.nodes.length === 1 ? '' : 's'})`,
    ...f.nodes.slice(0, 8).map((n) => `    ${n.target} — ${n.summary}`),
  ]);
  return `axe found serious or critical violations in ${where}:\n${lines.join('\n')}`;
}

async function assertClean(page: Page, where: string): Promise<void> {
  const findings = await seriousViolations(page);
  assert.equal(findings.length, 0, describeFindings(where, findings));
}

/** Shows the theme (as the header's toggle does) and waits for the styles to apply. */
async function theme(page: Page, choice: 'light' | 'dark'): Promise<void> {
  await page.evaluate((c) => {
    document.documentElement.dataset['theme'] = c;
  }, choice);
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

describe('accessibility (axe-core) of the demo desk', () => {
  const closers = new Closers();
  let page: Page;
  let core: Core;
  before(() =>
    closers.setUp(async () => {
      const log = createLogger('warn');
      core = closers.add(await startCore({ config: parseConfig({}), demo: true, log, demoIntervalMs: 1_500 }), (started) => started.stop());
      const host = closers.add(await startWebHost({ core, log }), (started) => started.close());
      const browser = closers.add(await launchChromium(), (launched) => launched.close());
      // Motion off: contrast is measured on the colours at rest, not halfway through a transition.
      const context = await browser.newContext({ viewport: { width: 420, height: 800 }, reducedMotion: 'reduce' });
      page = await context.newPage();
      await page.goto(host.url);
      await page.getByText('DEMO', { exact: true }).waitFor();
    }),
  );
  after(() => closers.closeAll());

  it('finds the desk with calls, chats, an ended chat and callbacks to check', async () => {
    await page.getByRole('region', { name: /^Calls\b/ }).getByRole('listitem').first().waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: /^Chat with / }).first().waitFor({ timeout: 60_000 });
    await page.getByRole('list', { name: 'Callback requests' }).getByRole('listitem').first().waitFor({ timeout: 60_000 });
    // An ended chat, for the Ended group.
    await eventually(() => Object.keys(core.desk.state.endedChats).length > 0, 'a chat of the demo day ended', 90_000);
  });

  for (const choice of ['light', 'dark'] as const) {
    it(`has no serious or critical violation in the main view (${choice})`, async () => {
      await theme(page, choice);
      const toggle = page.getByRole('button', { name: /^Ended \d+$/ });
      if ((await toggle.count()) && (await toggle.getAttribute('aria-expanded')) === 'false') await toggle.press('Enter');
      await assertClean(page, `the main view (${choice})`);
    });

    it(`has no serious or critical violation with a chat open (${choice})`, async () => {
      await theme(page, choice);
      await page.getByRole('button', { name: /^Chat with / }).first().press('Enter');
      const chat = page.getByRole('region', { name: /^Chat with / });
      await chat.waitFor();
      try {
        await assertClean(page, `an open chat (${choice})`);
      } finally {
        await chat.getByRole('button', { name: 'Close chat' }).press('Enter');
        await chat.waitFor({ state: 'detached' });
      }
    });

    it(`has no serious or critical violation in the settings (${choice})`, async () => {
      await theme(page, choice);
      await page.getByRole('button', { name: 'Settings', exact: true }).click();
      const demo = page.getByRole('note', { name: 'This is the demo' });
      await demo.waitFor();
      const said = await page.getByRole('region', { name: 'Settings' }).innerText();
      assert.doesNotMatch(said, /administrator/i, 'no administrator manages the demo');
      assert.match(await demo.innerText(), /--config PATH/, 'it says how to use one’s own accounts');
      try {
        await assertClean(page, `the settings (${choice})`);
      } finally {
        await page.getByRole('button', { name: 'Settings', exact: true }).click();
        await demo.waitFor({ state: 'detached' });
      }
    });
  }
});
