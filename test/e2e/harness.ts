/**
 * One running desk for end-to-end tests: both platform simulators on loopback, the core connected
 * to them through the real connectors, the web host serving the built renderer, and a Chromium
 * page logged in with the launch token, recording its Web Notifications.
 */
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { startCore, type Core } from '../../main/app.js';
import { parseConfig, type AppConfig } from '../../main/config.js';
import { HISTORY_VERSION, type HistoryStore } from '../../main/desk/history.js';
import { createLogger, type Logger } from '../../main/log.js';
import { startEnreachSimulator, type EnreachSimulator } from '../../main/vendors/enreach/simulator/index.js';
import { startGenesysSimulator, type GenesysSimulator } from '../../main/vendors/genesys/simulator/index.js';
import { startWebHost, type WebHost } from '../../main/web.js';
import type { PastCall } from '../../common/model.js';
import { launchChromium, recordNotifications } from './browser.js';
import { Closers } from '../support/closers.js';

export { Closers } from '../support/closers.js';
export { eventually } from '../support/eventually.js';

export interface RunningDesk {
  enreach: EnreachSimulator;
  genesys: GenesysSimulator;
  core: Core;
  host: WebHost;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  stop(): Promise<void>;
}

/**
 * Starts everything and opens the page; waits until both accounts show as connected. If any step
 * fails, whatever was already started is stopped before the error propagates.
 */
export function startRunningDesk(): Promise<RunningDesk> {
  const closers = new Closers();
  return closers.setUp(async () => {
    // A simulator that fails to close fails no test (as a browser that fails to close).
    const enreach = closers.add(await startEnreachSimulator(), (simulator) => simulator.close().catch(() => undefined));
    const genesys = closers.add(await startGenesysSimulator(), (simulator) => simulator.close().catch(() => undefined));
    const config = parseConfig({
      accounts: [
        { id: 'voice', vendor: 'enreach', label: 'Enreach test', apiUrl: enreach.apiUrl, user: enreach.credentials.user, secretKey: enreach.credentials.secretKey },
        { id: 'contact', vendor: 'genesys', label: 'Genesys test', baseUrl: genesys.baseUrl, user: genesys.credentials.user, password: genesys.credentials.password },
      ],
    });
    const { core, host, browser, context, page } = await openDesk(closers, { config });
    return { enreach, genesys, core, host, browser, context, page, stop: () => closers.closeAll() };
  });
}

/** What {@link openDesk} opened. */
export interface OpenDesk {
  core: Core;
  host: WebHost;
  browser: Browser;
  context: BrowserContext;
  page: Page;
}

/**
 * The core for `config` (fast reconnects; per-platform `tuning`), the web host, and a Chromium page
 * logged in with the launch token, recording Web Notifications; resolves when every configured
 * account shows as connected. What it starts is added to `closers`, so a failure halfway stops it.
 */
export async function openDesk(
  closers: Closers,
  options: {
    config: AppConfig;
    tuning?: Record<string, unknown>;
    viewport?: { width: number; height: number };
    /** Wait until every account shows as connected (default true; false where the agent must answer a question first). */
    waitConnected?: boolean;
    /** Where the core keeps its call history (default: none, the history lives as long as the core). */
    history?: HistoryStore;
    /**
     * Give the page Playwright's clock before it loads (`context.clock`), so a test can stand the
     * window's time still (`pauseAt`) and move it on (`resume`, `runFor`). It runs in real time until then.
     */
    clock?: boolean;
  },
): Promise<OpenDesk> {
  const log = createLogger(process.env.AGENT_COMPANION_LOG ?? 'warn');
  const core = closers.add(await startCore({ config: options.config, log, tuning: options.tuning, backoff: { initialMs: 50, maxMs: 500, jitter: 0 }, history: options.history }), (started) => started.stop());
  const host = closers.add(await startWebHost({ core, log }), (started) => started.close());
  const browser = closers.add(await launchChromium(), (launched) => launched.close().catch(() => undefined));
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 440, height: 900 } });
  await recordNotifications(context);
  if (options.clock) await context.clock.install();
  const page = await context.newPage();
  page.on('pageerror', (error) => process.stderr.write(`page error: ${error.message}\n`));
  await page.goto(host.url);
  for (const account of options.waitConnected === false ? [] : options.config.accounts.filter((a) => a.enabled)) {
    // By the label the desk shows (the configured one, else the platform's name).
    await accountStatus(page, core.desk.state.accounts[account.id]!.label, 'Connected').waitFor();
  }
  return { core, host, browser, context, page };
}

/**
 * Serves `core` through the web host to a Chromium page 420 px wide (the tray-sized window) and
 * `height` px high, and opens the desk (a page error is written to stderr); resolves with the page
 * as soon as it has loaded, before the desk shows anything. What it starts is added to `closers`.
 */
export async function openInWindow(closers: Closers, core: Core, log: Logger, height: number): Promise<Page> {
  const host = closers.add(await startWebHost({ core, log }), (started) => started.close());
  const browser = closers.add(await launchChromium(), (launched) => launched.close().catch(() => undefined));
  const page = await (await browser.newContext({ viewport: { width: 420, height } })).newPage();
  page.on('pageerror', (error) => process.stderr.write(`page error: ${error.message}\n`));
  await page.goto(host.url);
  return page;
}

/**
 * The supervisor's desk in demo mode (`--demo supervisor`: a team report of 500 and 5 000 watched
 * busy lamps) at `eventsPerSec` changes a second in all, served to a Chromium page (440 × 900);
 * resolves once the Team section counts all 5 500 members. What it starts is added to `closers`.
 */
export async function openSupervisorDesk(closers: Closers, options: { eventsPerSec: number }): Promise<Page> {
  const log = createLogger(process.env.AGENT_COMPANION_LOG ?? 'warn');
  const core = closers.add(
    await startCore({ config: parseConfig({}), demo: true, demoScenario: 'supervisor', demoEventsPerSec: options.eventsPerSec, log }),
    (started) => started.stop(),
  );
  const host = closers.add(await startWebHost({ core, log }), (started) => started.close());
  const browser = closers.add(await launchChromium(), (launched) => launched.close().catch(() => undefined));
  const page = await (await browser.newContext({ viewport: { width: 440, height: 900 } })).newPage();
  page.on('pageerror', (error) => process.stderr.write(`page error: ${error.message}\n`));
  await page.goto(host.url);
  // The count as the desk says numbers in English (thousands grouped, issue 19).
  await page.getByRole('heading', { name: /^Team\b/ }).getByText(/^5,500$/).waitFor({ timeout: 90_000 });
  return page;
}

/** `text` as a regular expression that matches it literally. */
export function literally(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * An account as the presence bar shows it, by its status in words: its chip ("Genesys test,
 * Connected, Ready"), or its row where the bar lists each account's presence. `status` narrows it
 * to what follows the label ("Connected", "Connected, Not ready", a RegExp for anything).
 */
export function accountStatus(page: Page, label: string, status?: string | RegExp): Locator {
  const rest = status === undefined ? '' : typeof status === 'string' ? literally(status) : status.source;
  return page.getByRole('region', { name: 'Presence' }).getByRole('listitem', { name: new RegExp(`^${literally(label)}, ${rest}`) });
}

/**
 * A live call in Calls, by the party it is with (its name says "Ringing inbound call, +1…, UCCX
 * test"), in `state` when given ("Connected", "Unconfirmed Connected"…), on `account` when given.
 */
export function liveCall(page: Page, party: string, options: { state?: string; account?: string } = {}): Locator {
  const state = options.state ? literally(options.state) : '.*';
  const account = options.account ? `${literally(options.account)}$` : '';
  return page.getByRole('region', { name: /^Calls\b/ }).getByRole('listitem', { name: new RegExp(`^${state} .*call, ${literally(party)}, ${account}`) });
}

/** The calls in Call history, newest first. */
export function historyList(page: Page): Locator {
  return page.getByRole('list', { name: 'Calls, newest first' });
}

/** A call in Call history, by the party it was with (or any text of its row). */
export function historyCall(page: Page, text: string): Locator {
  return historyList(page).getByRole('listitem').filter({ has: page.getByText(text, { exact: true }) });
}

/** The day the kept calls of {@link keptCall} go back from. */
const KEPT_FROM = Date.parse('2026-12-04T08:00:00.000Z');

/**
 * Call `i` of a history kept from an earlier day (0 the newest) on `account`: inbound from
 * `+1415555` and `i` in four digits, a minute before call `i - 1`, 45 s long, answered unless
 * `missed`; `target` is the number it came in on, if given.
 */
export function keptCall(i: number, account: { id: string; label: string; vendor: string }, options: { missed?: boolean; target?: string } = {}): PastCall {
  const startedAt = new Date(KEPT_FROM - i * 60_000).toISOString();
  return {
    key: `${account.id}/c${i}`,
    accountId: account.id,
    id: `c${i}`,
    direction: 'inbound',
    state: 'ended',
    caller: `+1415555${String(i).padStart(4, '0')}`,
    ...(options.target ? { target: options.target } : {}),
    startedAt,
    ...(options.missed ? {} : { connectedAt: startedAt }),
    endedAt: new Date(KEPT_FROM - i * 60_000 + 45_000).toISOString(),
    actions: [],
    outcome: options.missed ? 'missed' : 'answered',
    account: { label: account.label, vendor: account.vendor },
  };
}

/** A history store that starts with `calls` and keeps nothing (the test's desk writes to memory only). */
export function keptHistory(calls: PastCall[]): HistoryStore {
  return { where: 'memory', read: () => ({ version: HISTORY_VERSION, calls, missedUnseen: 0 }), write: () => undefined };
}

/** Attached data as a call shows it (`within` a call or its details): each term with the value beside it. */
export async function attachedData(within: Locator): Promise<Record<string, string>> {
  const list = within.getByLabel('Attached data', { exact: true });
  await list.waitFor();
  const names = await list.getByRole('term').allInnerTexts();
  const values = await list.getByRole('definition').allInnerTexts();
  return Object.fromEntries(names.map((name, i) => [name, values[i] ?? '']));
}

/** The status line's message (it says what just happened, an error or a success), by its words. */
export function statusMessage(page: Page, text: string | RegExp): Locator {
  return page.getByRole('status').filter({ hasText: text });
}

/** The calls in Calls. */
export function liveCalls(page: Page): Locator {
  return page.getByRole('region', { name: /^Calls\b/ }).getByRole('listitem');
}

/** Whether the element has the keyboard focus. */
export function hasFocus(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => element === document.activeElement);
}

/** What has the focus, for a failure message: `body` when the focus fell to the page, else the element's start tag. */
export function focusedElement(page: Page): Promise<string> {
  return page.evaluate(() => {
    const active = document.activeElement;
    if (!active || active === document.body) return 'body';
    return active.outerHTML.slice(0, 160);
  });
}

/** A chat in the chat list (offered, active or ended), by the name of the one it is with. */
export function chatItem(page: Page, name: string): Locator {
  return page.getByRole('button', { name: new RegExp(`^Chat with ${literally(name)}\\b`) });
}

/**
 * Records, from now on, the desk commands the window sends the core (`setPresence`, `dial`…, by
 * name): what the window asked for, read back at once, where a test must show the window asked for
 * nothing (a sleep would only guess how long a request takes to arrive). Sends made while a key or
 * click is handled are recorded by the time that key press or click resolves.
 * @returns a function that gives the names recorded so far.
 */
export async function recordCommands(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const recorder = window as unknown as { sentCommands?: string[] };
    if (recorder.sentCommands) return;
    const sent: string[] = [];
    recorder.sentCommands = sent;
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (this: WebSocket, data: Parameters<WebSocket['send']>[0]) {
      if (typeof data === 'string' && data.includes('"invoke"')) {
        const message = JSON.parse(data) as { type?: string; method?: string };
        if (message.type === 'invoke' && message.method) sent.push(message.method);
      }
      send.call(this, data);
    };
  });
  return () => page.evaluate(() => [...((window as unknown as { sentCommands?: string[] }).sentCommands ?? [])]);
}
