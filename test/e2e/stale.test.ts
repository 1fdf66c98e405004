/// <reference lib="dom" />
/**
 * A desk that knows it is stale (issue 11, point 8), end to end: the web host in Chromium, over the
 * real Enreach connector and simulator.
 *
 * - The host stops: the desk greys out and goes `inert` (no clicks, no focus), its timers stop, and
 *   one line says it reconnects and when; the host comes back on the same port with the same key
 *   file: the tab finds it by itself and the desk is live again.
 * - A reload (F5) keeps the desk (the tab kept its key); a link with no key says which link to open.
 * - Two tabs: a ringing call raises exactly one notification and one ring across both; closing the
 *   tab that raised it hands the job to the other.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { startCore, type Core } from '../../main/app.js';
import { parseConfig, type AppConfig } from '../../main/config.js';
import { createLogger } from '../../main/log.js';
import { startEnreachSimulator, type EnreachSimulator } from '../../main/vendors/enreach/simulator/index.js';
import { startWebHost, type WebHost } from '../../main/web.js';
import { loadWebToken } from '../../main/web-token.js';
import { launchChromium, notifications, recordNotifications } from './browser.js';
import { accountStatus, Closers, eventually, hasFocus, liveCall } from './harness.js';

const TRAY = { width: 420, height: 800 };

/** Whether the desk (the part under the header) is inert: greyed out, no clicks, no focus, no screen-reader visits. */
const deskInert = (tab: Page) => tab.getByRole('main').evaluate((main) => main.closest('[inert]') !== null);
/** What the agent is doing, beside the presence ("On a call 00:12"). */
const activityPill = (tab: Page) => tab.getByRole('region', { name: 'Presence' }).getByRole('status');
/** The ringing strip's sound: `playing`, `off`, … (a sound has nothing to look at). */
const sound = (tab: Page) => tab.getByRole('region', { name: 'Ringing' }).getAttribute('data-sound');

describe('a desk that knows it is stale', () => {
  const closers = new Closers();
  const log = createLogger(process.env.AGENT_COMPANION_LOG ?? 'fatal');
  let enreach: EnreachSimulator;
  let config: AppConfig;
  let stateDir: string;
  let context: BrowserContext;
  let page: Page;
  /** The running host and its core (replaced by a restart). */
  let running: { core: Core; host: WebHost } | undefined;

  /** Starts a core and a web host with the key kept in `stateDir`, on `port` (0: any). */
  async function startHost(port: number): Promise<{ core: Core; host: WebHost }> {
    const core = await startCore({ config, log, backoff: { initialMs: 50, maxMs: 500, jitter: 0 } });
    const { token } = await loadWebToken(stateDir);
    const host = await startWebHost({ core, log, port, token });
    return { core, host };
  }

  async function stopHost(): Promise<void> {
    const stopping = running;
    running = undefined;
    await stopping?.host.close();
    await stopping?.core.stop();
  }

  before(() =>
    closers.setUp(async () => {
      stateDir = await mkdtemp(join(tmpdir(), 'ac-stale-'));
      closers.add(stateDir, (dir) => rm(dir, { recursive: true, force: true }));
      enreach = closers.add(await startEnreachSimulator(), (s) => s.close().catch(() => undefined));
      config = parseConfig({
        accounts: [{ id: 'voice', vendor: 'enreach', label: 'Enreach', apiUrl: enreach.apiUrl, user: enreach.credentials.user, secretKey: enreach.credentials.secretKey }],
      });
      running = await startHost(0);
      closers.add(undefined, () => stopHost());
      const browser = closers.add(await launchChromium(), (b) => b.close().catch(() => undefined));
      context = await browser.newContext({ viewport: TRAY });
      await recordNotifications(context);
      // Playwright's clock, in real time until a test moves the window's time on at once.
      await context.clock.install();
      page = await context.newPage();
      page.on('pageerror', (error) => process.stderr.write(`page error: ${error.message}\n`));
      await page.goto(running.host.url);
      await live(page);
    }),
  );
  after(() => closers.closeAll());

  /** The desk is live: connected, not greyed out. */
  async function live(tab: Page): Promise<void> {
    await accountStatus(tab, 'Enreach', 'Connected').waitFor();
    await eventually(async () => !(await deskInert(tab)), 'the desk is live (not inert)');
  }

  it('greys the desk out and disables it when the host stops, stops its timers, and comes back live by itself when the host restarts on the same port', async () => {
    const callId = enreach.ringCall({ caller: '+358401112233' });
    enreach.answerCall(callId);
    const activity = activityPill(page).filter({ hasText: /On a call/ });
    await activity.waitFor();
    const port = running!.host.port;

    await stopHost();
    await eventually(() => deskInert(page), 'the desk is inert');
    const notice = page.getByRole('alert').filter({ hasText: /reconnecting to Agent Companion/i });
    await notice.waitFor();
    assert.match(await notice.innerText(), /reconnecting to Agent Companion/i);
    await page.getByText(/Next try in \d+ s|Trying now/).waitFor();
    // Actions: the call's buttons and the presence control take no click and no focus.
    const call = liveCall(page, '+358401112233');
    const hangup = call.getByRole('button').first();
    await assert.rejects(hangup.click({ timeout: 500 }), 'a click on the inert desk does not land');
    const select = page.getByRole('combobox', { name: /presence on all accounts$/ });
    await select.focus();
    assert.equal(await hasFocus(select), false, 'nothing in the desk takes the focus');
    // The timers stop pretending: the call's time does not move while the desk is not live, however
    // much of the window's time passes (2.2 s of it, at once).
    const frozen = await activity.innerText();
    await page.clock.runFor(2_200);
    assert.equal(await activity.innerText(), frozen);

    enreach.hangupCall(callId);
    running = await startHost(port);
    await live(page);
    assert.equal(await deskInert(page), false);
    await page.getByText(/reconnecting to Agent Companion/i).waitFor({ state: 'detached' });
    // The full state replaced the stale one: the call that ended meanwhile is gone.
    await call.waitFor({ state: 'detached' });
    await activityPill(page).waitFor({ state: 'detached' });
  });

  it('keeps the desk through a reload (F5): the tab kept its key', async () => {
    await page.reload();
    await live(page);
    assert.equal(await page.getByRole('alert').filter({ hasText: 'This link is not valid' }).count(), 0);
    // The key stays in the tab (sessionStorage), never in localStorage, which outlives it; the only thing
    // there is the language the window showed last (not a secret: issue 19, no flash of English on start).
    const stored = await page.evaluate(() => Object.entries(localStorage));
    assert.deepEqual(
      stored.map(([name]) => name),
      stored.length ? ['agent-companion.locale'] : [],
      'nothing but the language in localStorage',
    );
    assert.ok(!stored.some(([, value]) => value.includes(running!.host.token)), 'the key is not in localStorage');
  });

  it('says which link to open when a tab has no key, never “the app”', async () => {
    const stranger = await context.newPage();
    await stranger.goto(running!.host.origin);
    const notice = stranger.getByRole('alert').filter({ hasText: 'This link is not valid' });
    await notice.waitFor();
    const text = await notice.innerText();
    assert.match(text, /npm run start:web/);
    assert.doesNotMatch(text, /the app/);
    await stranger.close();
  });

  it('raises one notification and one ring per ringing call across two tabs, and hands the job over when that tab closes', async () => {
    const second = await context.newPage();
    await second.goto(running!.host.url);
    await live(second);
    const tabs = [page, second];
    const counts = async (): Promise<number[]> => Promise.all(tabs.map(async (tab) => (tab.isClosed() ? 0 : (await notifications(tab)).length)));
    const start = await counts();

    const first = enreach.ringCall({ caller: '+358401000001' });
    await Promise.all(tabs.map((tab) => liveCall(tab, '+358401000001').waitFor()));
    const raised = await eventually(async () => {
      const now = await counts();
      const delta = now.map((n, i) => n - start[i]!);
      return delta.reduce((a, b) => a + b, 0) > 0 ? delta : undefined;
    }, 'a notification for the ringing call');
    // The ring sound too: the tab that raised the notification rings, the other one is silent.
    const sounds = async (): Promise<Array<string | null>> => Promise.all(tabs.map((tab) => sound(tab)));
    await eventually(async () => (await sounds()).join() === raised.map((d) => (d === 1 ? 'playing' : 'off')).join(), 'only the alerting tab rings');
    enreach.missCall(first);
    // Both tabs have taken the call away: each has handled everything the host sent before, the
    // ringing call's toast among them, so the other tab's notification had its chance to (not) come.
    await Promise.all(tabs.map((tab) => liveCall(tab, '+358401000001').waitFor({ state: 'detached' })));
    const delta = (await counts()).map((n, i) => n - start[i]!);
    assert.deepEqual(delta.toSorted(), [0, 1], `exactly one notification across both tabs, got ${JSON.stringify(delta)}`);
    assert.deepEqual(delta, raised);

    const alerting = tabs[delta.indexOf(1)]!;
    const other = tabs[delta.indexOf(0)]!;
    const before = (await notifications(other)).length;
    await alerting.close();
    const next = enreach.ringCall({ caller: '+358401000002' });
    await liveCall(other, '+358401000002').waitFor();
    await eventually(async () => (await notifications(other)).length > before, 'the remaining tab raises the notification');
    await eventually(async () => (await sound(other)) === 'playing', 'the remaining tab rings');
    enreach.missCall(next);
    // The call gone from the tab: it has handled all the host sent while it rang.
    await liveCall(other, '+358401000002').waitFor({ state: 'detached' });
    const raisedThere = (await notifications(other)).slice(before);
    assert.deepEqual(raisedThere.map((n) => n.title), ['Incoming call from +358401000002'], 'the new call only; not again the one the closed tab raised');
    if (other !== page) page = other;
  });
});
