/// <reference lib="dom" />
/**
 * tel: links and screen pops end to end, in Chromium through the web host (issue 11, points 4
 * and 5), with a Genesys account (its simulator places calls and attaches data to calls):
 * - a `tel:` link opened through the protocol handler's address (as the browser opens it) is
 *   relayed to the desk tab, confirmed there, and reaches the platform's dial command normalised;
 * - a screen pop allowed by the admin's list opens (values encoded), and one off the list is
 *   refused: the agent sees why on the call, and nothing opens;
 * - a link needs the agent's deliberate yes (issue 16, point 4): the dialog opens on Cancel, Call
 *   is inert for a moment after the dialog opens or its number changes, and a link that replaces
 *   a waiting one is shown as new. "Immediately" is made exact with Playwright's clock: the
 *   window's time stands still while the test presses Enter and clicks.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import type { Core } from '../../main/app.js';
import { parseConfig } from '../../main/config.js';
import { startGenesysSimulator, type GenesysSimulator } from '../../main/vendors/genesys/simulator/index.js';
import type { WebHost } from '../../main/web.js';
import { Closers } from '../support/closers.js';
import { eventually } from '../support/eventually.js';
import { liveCall, openDesk } from './harness.js';

interface Running {
  core: Core;
  host: WebHost;
  genesys: GenesysSimulator;
  context: BrowserContext;
  page: Page;
}

const SHOTS = process.env.LINKS_SCREENSHOTS;

const dials = (simulator: GenesysSimulator): string[] =>
  simulator.operations.filter((op) => op.operationName === 'Dial').map((op) => String((op.body.destination as { phoneNumber?: string } | undefined)?.phoneNumber));

/** The address the browser opens for a `tel:` link once the page is its handler (`%s` replaced by the escaped link). */
const handlerAddress = (host: WebHost, link: string): string => `${host.origin}#dial=${encodeURIComponent(link)}`;

function startDesk(closers: Closers, options: { clock?: boolean } = {}): Promise<Running> {
  return closers.setUp(async () => {
    const genesys = closers.add(await startGenesysSimulator(), (s) => s.close().catch(() => undefined));
    const config = parseConfig({
      accounts: [
        {
          id: 'contact',
          vendor: 'genesys',
          label: 'Genesys test',
          baseUrl: genesys.baseUrl,
          user: genesys.credentials.user,
          password: genesys.credentials.password,
          screenPop: { url: 'https://{userData.CrmHost}/search?phone={caller}&case={userData.CaseId}', on: 'ringing' },
        },
      ],
      screenPop: { allowedHosts: ['crm.example.com'] },
    });
    const { core, host, context, page } = await openDesk(closers, { config, viewport: { width: 420, height: 800 }, clock: options.clock });
    // The CRM, as far as the browser is concerned: any page it opens there.
    await context.route('https://**/*', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<title>CRM</title>CRM' }));
    return { core, host, genesys, context, page };
  });
}

describe('tel: links and screen pops in Chromium', () => {
  const closers = new Closers();
  let desk: Running;
  before(async () => {
    desk = await startDesk(closers);
  });
  after(() => closers.closeAll());

  it('dials a tel: number opened through the protocol handler only once the agent confirms it, normalised', async () => {
    const { page, context, host, genesys } = desk;
    const handler = await context.newPage();
    await handler.goto(handlerAddress(host, 'tel:+1 (555) 010-0199'));
    await handler.getByRole('status').filter({ hasText: /Sent to your Agent Companion tab/ }).waitFor();
    assert.equal(new URL(handler.url()).hash, '', 'the link left the handler tab’s address');

    const dialog = page.getByRole('dialog', { name: 'Call this number?' });
    await dialog.waitFor();
    assert.equal(await dialog.getByText('+15550100199', { exact: true }).innerText(), '+15550100199');
    assert.equal(await dialog.getByRole('radio', { name: 'Genesys test' }).isChecked(), true, 'the only account that dials is chosen');
    assert.deepEqual(dials(genesys), [], 'nothing is dialled before the agent confirms');
    await axeClean(page, 'the confirm-dial dialog');
    if (SHOTS) await shots(page, 'dial-confirm');
    await dialog.getByRole('checkbox', { name: 'Remember this choice' }).check();
    // Call acts once the dialog has stood still for a moment (the test below shows it ignores keys before).
    await dialog.getByRole('button', { name: 'Call', disabled: false }).focus();
    await page.keyboard.press('Enter');
    await eventually(() => dials(genesys).includes('+15550100199'), 'the platform got the dial of the normalised number');
    await dialog.waitFor({ state: 'detached' });
    await liveCall(page, '+15550100199').waitFor();
    await handler.close();
  });

  it('drops a link on Escape, and says why a Skype name cannot be dialled', async () => {
    const { page, context, host, genesys } = desk;
    const before = dials(genesys).length;
    const handler = await context.newPage();
    await handler.goto(handlerAddress(host, 'tel:+15550100200'));
    const dialog = page.getByRole('dialog');
    await dialog.getByText('+15550100200', { exact: true }).waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await handler.close();
    // The browser opens a new tab for every link.
    const second = await context.newPage();
    await second.goto(handlerAddress(host, 'callto:echo123'));
    const refused = page.getByRole('dialog', { name: 'This link cannot be dialled' });
    await refused.waitFor();
    await refused.getByText(/“echo123” is a Skype name, not a phone number/).waitFor();
    assert.equal(await refused.getByRole('button', { name: 'Call', exact: true }).count(), 0);
    await refused.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(dials(genesys).length, before);
    await second.close();
  });

  it('tells a handler tab to open Agent Companion first when no desk tab is open', async () => {
    const { host, core } = desk;
    const other = await desk.context.browser()!.newContext();
    try {
      const handler = await other.newPage();
      await handler.goto(handlerAddress(host, 'tel:+15550100300'));
      await handler.getByRole('status').filter({ hasText: /Open Agent Companion first/ }).waitFor();
      assert.equal(core.desk.state.pendingDial, undefined);
    } finally {
      await other.close();
    }
  });

  it('opens an allowed screen pop with encoded values; refuses one off the allow-list, saying why on the call, opening nothing', async () => {
    const { page, context, genesys } = desk;
    const opened: string[] = [];
    context.on('page', (popup) => opened.push(popup.url()));
    genesys.ringCall({ ani: '+1 555 0100', userData: { CrmHost: 'crm.example.com', CaseId: 'A&B/7' } });
    const expected = 'https://crm.example.com/search?phone=%2B1%20555%200100&case=A%26B%2F7';
    const card = liveCall(page, '+1 555 0100');
    await card.waitFor();
    assert.equal(await card.getByRole('link', { name: 'Open in CRM' }).getAttribute('href'), expected);
    await eventually(async () => (await Promise.all(context.pages().map((p) => p.url()))).includes(expected), 'the pop opened in a new tab');

    genesys.ringCall({ ani: '+1 555 0101', userData: { CrmHost: 'crm.example.com.evil.com', CaseId: '8' } });
    const refusedCard = liveCall(page, '+1 555 0101');
    const line = refusedCard.getByText(/Screen pop not opened/);
    await line.waitFor();
    assert.match(await line.innerText(), /Screen pop not opened: crm\.example\.com\.evil\.com is not on the list of screen pop hosts/);
    assert.equal(await refusedCard.getByRole('link', { name: 'Open in CRM' }).count(), 0);
    await axeClean(page, 'calls with a screen pop link and a refused pop');
    if (SHOTS) await shots(page, 'screen-pop');
    const pagesNow = context.pages().map((p) => p.url());
    assert.ok(!pagesNow.some((url) => url.includes('evil.com')), `nothing opened at the refused host: ${pagesNow.join(', ')}`);
  });
});

describe('a dial link needs the agent’s deliberate yes', () => {
  const closers = new Closers();
  let desk: Running;
  before(async () => {
    desk = await startDesk(closers, { clock: true });
  });
  after(() => closers.closeAll());

  /** Stands the window's time still (a moment after its own now): nothing the window times moves on. */
  async function standStill(page: Page): Promise<void> {
    await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 50);
  }

  it('opens with Cancel focused: Enter there drops the link and dials nothing', async () => {
    const { page, core, genesys } = desk;
    const before = dials(genesys).length;
    core.desk.openDialLink('tel:+15550100401');
    const dialog = page.getByRole('dialog', { name: 'Call this number?' });
    await dialog.waitFor();
    const cancel = dialog.getByRole('button', { name: 'Cancel' });
    assert.equal(await cancel.evaluate((button) => button === document.activeElement), true, 'Cancel has the focus');
    // Past the inert time, so what Enter does is Cancel's doing, not the inert time's.
    await dialog.getByRole('button', { name: 'Call', disabled: false }).waitFor();
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(core.desk.state.pendingDial, undefined, 'the link was dropped');
    assert.equal(dials(genesys).length, before, 'nothing was dialled');
  });

  it('shows a second link as new; Enter and a click at once dial nothing; once armed, a click dials the new number', async () => {
    const { page, core, genesys } = desk;
    const before = dials(genesys).length;
    core.desk.openDialLink('tel:+15550100402');
    const dialog = page.getByRole('dialog', { name: 'Call this number?' });
    await dialog.getByText('+15550100402', { exact: true }).waitFor();
    const call = dialog.getByRole('button', { name: 'Call' });
    await dialog.getByRole('button', { name: 'Call', disabled: false }).waitFor();
    // The agent has looked at the first link and is about to confirm it: the focus is on Call.
    await call.focus();

    await standStill(page);
    core.desk.openDialLink('tel:+15550100403');
    await dialog.getByText('+15550100403', { exact: true }).waitFor();
    assert.equal(await dialog.getByText('+15550100402', { exact: true }).count(), 0, 'the first number left the dialog');
    assert.match(await dialog.getByRole('alert').innerText(), /This new link replaced \+15550100402, which was not called/);
    assert.equal(await dialog.getByText('New', { exact: true }).count(), 1, 'the number is marked new');
    assert.equal(await dialog.getByRole('button', { name: 'Call', disabled: true }).count(), 1, 'Call shows that it is not ready');

    // The Enter and the click meant for the first link land on the second, at once, and halfway through the inert time.
    await page.keyboard.press('Enter');
    await call.click({ force: true });
    await page.clock.runFor(350);
    if (SHOTS) await shots(page, 'dial-confirm-inert');
    await page.keyboard.press('Enter');
    await call.click({ force: true });
    assert.equal(await dialog.getByRole('button', { name: 'Call', disabled: true }).count(), 1);
    assert.equal(core.desk.state.pendingDial?.number, '+15550100403', 'the new link still waits');

    await page.clock.resume();
    await dialog.getByRole('button', { name: 'Call', disabled: false }).waitFor();
    await axeClean(page, 'the confirm-dial dialog showing a new link');
    if (SHOTS) await shots(page, 'dial-confirm-ready');
    await call.click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('listitem').filter({ hasText: '+15550100403' }).first().waitFor();
    // Every dial the window asked for reached the simulator before the call it placed came back.
    assert.deepEqual(dials(genesys).slice(before), ['+15550100403'], 'one dial, of the new number, from the click made once Call was armed');
  });

  it('ignores Enter on Call in the moment after the dialog opens', async () => {
    const { page, core, genesys } = desk;
    const before = dials(genesys).length;
    await standStill(page);
    core.desk.openDialLink('tel:+15550100404');
    const dialog = page.getByRole('dialog', { name: 'Call this number?' });
    await dialog.getByText('+15550100404', { exact: true }).waitFor();
    const call = dialog.getByRole('button', { name: 'Call', disabled: true });
    await call.focus();
    await page.keyboard.press('Enter');
    assert.equal(await call.count(), 1, 'Call is still inert');
    await page.clock.resume();
    await dialog.getByRole('button', { name: 'Call', disabled: false }).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(dials(genesys).length, before, 'nothing was dialled');
  });
});

describe('tel: links in the web host’s settings', () => {
  const closers = new Closers();
  let desk: Running;
  before(async () => {
    desk = await startDesk(closers);
  });
  after(() => closers.closeAll());

  it('offers to open tel: links in this tab, registering the handler address without the session key', async () => {
    const { page, host } = desk;
    // Chromium asks the agent in its own bubble, which a test cannot click: record the request instead.
    await page.evaluate(() => {
      const calls: string[][] = [];
      (window as unknown as { registered: string[][] }).registered = calls;
      navigator.registerProtocolHandler = (scheme: string, url: string) => void calls.push([scheme, url]);
    });
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const links = page.getByRole('group', { name: 'Calls, links and start-up' });
    const button = links.getByRole('button', { name: 'Open tel: links here' });
    await button.waitFor();
    assert.match(await links.getByText(/^Only addresses on/).innerText(), /Only addresses on crm\.example\.com open/);
    if (SHOTS) {
      await links.scrollIntoViewIfNeeded();
      await shots(page, 'settings-links');
    }
    await button.click();
    const registered = await page.evaluate(() => (window as unknown as { registered: string[][] }).registered);
    assert.deepEqual(registered, [['tel', `${host.origin}#dial=%s`]]);
    assert.ok(!registered[0]![1]!.includes(host.token), 'the session key stays out of the handler address');
    assert.match(await links.getByRole('status').innerText(), /you confirm each call|confirm each call/);
  });
});

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core finds no serious or critical violation, in the light and the dark theme. */
async function axeClean(page: Page, where: string): Promise<void> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const before = await page.evaluate(() => document.documentElement.dataset['theme'] ?? 'system');
  for (const theme of ['light', 'dark']) {
    await page.evaluate((t) => void (document.documentElement.dataset['theme'] = t), theme);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const found = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: Array<{ id: string; impact?: string | null; nodes: Array<{ target: unknown[] }> }> }> } }).axe;
      const result = await axe.run(document, { resultTypes: ['violations'] });
      return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    });
    assert.deepEqual(found, [], `axe in ${where} (${theme})`);
  }
  await page.evaluate((t) => void (document.documentElement.dataset['theme'] = t), before);
}

/** Screenshots for the report (LINKS_SCREENSHOTS=dir): tray-sized and wide, light and dark. */
async function shots(page: Page, name: string): Promise<void> {
  const size = page.viewportSize()!;
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: `${SHOTS}/${name}-${scheme}.png` });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: `${SHOTS}/${name}-wide-${scheme}.png` });
    await page.setViewportSize(size);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}
