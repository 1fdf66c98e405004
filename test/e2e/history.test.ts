/// <reference lib="dom" />
/**
 * The call history end to end (issue 11, point 3): the web host in Chromium keeping its history in
 * a JSON file, a UCCX account (OpenMethods simulator: call variables, dialling) through its real
 * connector. A missed call is in the history; the core stops and a new one starts on the same
 * file; the call is still there, the title counts it, its attached data and search work, and
 * "Call back" reaches the simulator's dial command.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { parseConfig, type AppConfig } from '../../main/config.js';
import { JsonFileHistory } from '../../main/history-file.js';
import { startOpenMethodsSimulator, type OpenMethodsSimulator } from '../../main/vendors/openmethods/simulator/index.js';
import { Closers } from '../support/closers.js';
import { eventually } from '../support/eventually.js';
import { attachedData, historyCall, historyList, literally, liveCall, openDesk } from './harness.js';

const CALLER = '+14155550177';

const entry = historyCall;
const title = (page: Page, expected: string) => page.waitForFunction((want) => document.title === want, expected);

describe('call history in Chromium, across a restart of the core', () => {
  const simulators = new Closers();
  let uccx: OpenMethodsSimulator;
  let config: AppConfig;
  let historyFile: string;
  before(async () => {
    uccx = simulators.add(await startOpenMethodsSimulator(), (s) => s.close().catch(() => undefined));
    config = parseConfig({
      accounts: [{ id: 'uccx', vendor: 'openmethods', label: 'UCCX test', serverUrl: uccx.url, agentId: uccx.credentials.agentId, password: uccx.credentials.password }],
    });
    historyFile = join(mkdtempSync(join(tmpdir(), 'ac-history-e2e-')), 'history.json');
  });
  after(() => simulators.closeAll());

  it('keeps a missed call through a restart, counts it in the title until seen, shows its data, finds it, and calls it back', async () => {
    // The first run: a call rings out unanswered.
    const firstRun = new Closers();
    try {
      const { page } = await openDesk(firstRun, { config, viewport: { width: 420, height: 800 }, history: new JsonFileHistory(historyFile) });
      const id = uccx.center.ring({ ani: CALLER, dnis: '8005550199', callVariables: { CaseId: 'C-981', Topic: 'Billing' } });
      await liveCall(page, CALLER).waitFor();
      uccx.center.hangUp(id, true);
      uccx.center.setState('READY');
      const missed = entry(page, CALLER);
      await missed.waitFor();
      await missed.getByText('Missed on UCCX test', { exact: true }).waitFor();
      await title(page, '(1) Agent Companion');
    } finally {
      await firstRun.closeAll();
    }
    // UCCX keeps a stopped desk's session (the agent stays signed in); the server forgetting it
    // stands in for the hours between shifts, so the new core signs in without the take-over question.
    uccx.forgetSessions();

    // A new core on the same history file.
    const secondRun = new Closers();
    try {
      const { page } = await openDesk(secondRun, { config, viewport: { width: 420, height: 800 }, history: new JsonFileHistory(historyFile) });
      const row = entry(page, CALLER);
      await row.waitFor();
      await row.getByText('Missed on UCCX test', { exact: true }).waitFor();
      assert.equal(await row.getByText('New', { exact: true }).count(), 1, 'marked new: not seen yet');
      assert.equal(await row.getByText('Missed', { exact: true }).innerText(), 'Missed');
      await title(page, '(1) Agent Companion');
      assert.match(await page.getByRole('heading', { name: /^Call history/ }).innerText(), /1\s+missed/);

      // Looking at the history (here: its details) clears the count, in the title too.
      await row.getByRole('button', { name: new RegExp(`^Details 4 attached, of the call with ${literally(CALLER)}$`) }).click();
      await title(page, 'Agent Companion');
      assert.equal(await row.getByText('New', { exact: true }).count(), 0, 'no longer new');
      const detail = row.getByRole('group', { name: `Details of the call with ${CALLER}` });
      const data = await attachedData(detail);
      assert.equal(data['CaseId'], 'C-981');
      assert.equal(data['Topic'], 'Billing');
      assert.match(await detail.innerText(), /Number called\s+8005550199/);

      // Search: by the number as people type it, by attached data; a miss says so.
      const search = page.getByRole('searchbox', { name: 'Search the call history' });
      await search.fill('415 555 0177');
      await row.waitFor();
      await search.fill('c-981');
      await row.waitFor();
      await search.fill('nobody-at-all');
      await page.getByText('No call matches “nobody-at-all”.').waitFor();
      assert.equal(await entry(page, CALLER).count(), 0);
      await search.fill('');
      await row.waitFor();

      // Call back: the UCCX account dials, so the call goes out through it.
      await row.getByRole('button', { name: `Call back ${CALLER}` }).click();
      await eventually(
        () => uccx.requests.find((r) => r.name === 'session.makeCall' && (r.data as { destination?: string }).destination === CALLER),
        'makeCall reached UCCX',
      );
      const dialled = liveCall(page, CALLER, { account: 'UCCX test' });
      await dialled.waitFor();
      // Cancel while it is dialling, Hang up once connected: the same end of the call.
      await dialled.getByRole('button', { name: /^(Hang up|Cancel): / }).click();
      await dialled.waitFor({ state: 'detached' });
      uccx.center.endWork();
      await entry(page, CALLER).filter({ hasText: 'Placed on UCCX test' }).waitFor();
    } finally {
      await secondRun.closeAll();
    }
    uccx.forgetSessions();

    // The seen mark survived too: a third core counts nothing.
    const thirdRun = new Closers();
    try {
      const { page } = await openDesk(thirdRun, { config, history: new JsonFileHistory(historyFile) });
      await entry(page, CALLER).first().waitFor();
      await title(page, 'Agent Companion');
      assert.deepEqual(await historyList(page).getByText(/^(Missed|Answered|Placed) on /).allInnerTexts(), ['Placed on UCCX test', 'Missed on UCCX test']);
    } finally {
      await thirdRun.closeAll();
    }
  });

  it('says once, in the history, that a kept history could not be read and was set aside, until the agent dismisses it', async () => {
    // Issue 16, finding 4: the file is moved aside (never written over), and the window says so.
    const dir = mkdtempSync(join(tmpdir(), 'ac-history-e2e-'));
    const file = join(dir, 'history.json');
    writeFileSync(file, '{"calls": [{"accountId": "uccx", "id": "c1"');
    uccx.forgetSessions();
    const run = new Closers();
    try {
      const { page } = await openDesk(run, { config, viewport: { width: 420, height: 800 }, history: new JsonFileHistory(file) });
      const notice = page.getByRole('status').filter({ hasText: 'The saved call history could not be read (not valid JSON)' });
      await notice.waitFor();
      assert.match(await notice.innerText(), /kept as .*history\.json\.\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.corrupt/);
      if (process.env.HISTORY_SCREENSHOTS) await page.screenshot({ path: join(process.env.HISTORY_SCREENSHOTS, 'history-notice.png') });
      await notice.getByRole('button', { name: 'Dismiss' }).click();
      await notice.waitFor({ state: 'detached' });
      assert.equal(readdirSync(dir).filter((name) => name.endsWith('.corrupt')).length, 1, 'the file set aside stays');
    } finally {
      await run.closeAll();
    }
  });
});
