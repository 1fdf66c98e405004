/// <reference lib="dom" />
/**
 * Call work on UCCX end to end (issue 18): the web host in Chromium, a UCCX account through its real
 * connector to the OpenMethods simulator, the call history in a JSON file. The agent answers a
 * call, types digits on the keypad (they reach UCCX), consults a colleague with Transfer… → Call
 * first, completes the transfer from the consultation card, chooses a wrap-up reason; the core
 * restarts on the same history file and the history still shows the reason.
 *
 * Screenshots of the transfer panel, the consultation card and the wrap-up go to
 * `$CALL_WORK_SCREENSHOTS` when it is set.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { parseConfig, type AppConfig } from '../../main/config.js';
import { JsonFileHistory } from '../../main/history-file.js';
import { startOpenMethodsSimulator, type OpenMethodsSimulator } from '../../main/vendors/openmethods/simulator/index.js';
import { Closers } from '../support/closers.js';
import { eventually } from '../support/eventually.js';
import { historyCall, historyList, liveCall, literally, openDesk } from './harness.js';

const CALLER = '+14155550188';
const COLLEAGUE = '2002';
const SHOTS = process.env.CALL_WORK_SCREENSHOTS;

async function shot(target: Page | Locator, name: string): Promise<void> {
  if (SHOTS) await target.screenshot({ path: join(SHOTS, `${name}.png`) });
}

describe('call work on UCCX in Chromium', () => {
  const simulators = new Closers();
  let uccx: OpenMethodsSimulator;
  let config: AppConfig;
  let historyFile: string;
  before(async () => {
    uccx = simulators.add(await startOpenMethodsSimulator({ consultAnswerMs: 100 }), (s) => s.close().catch(() => undefined));
    config = parseConfig({
      accounts: [{ id: 'uccx', vendor: 'openmethods', label: 'UCCX test', serverUrl: uccx.url, agentId: uccx.credentials.agentId, password: uccx.credentials.password }],
    });
    historyFile = join(mkdtempSync(join(tmpdir(), 'ac-call-work-e2e-')), 'history.json');
  });
  after(() => simulators.closeAll());

  it('digits on the keypad reach UCCX; Call first, then Complete transfer; the wrap-up reason chosen stays in the history across a restart', async () => {
    const firstRun = new Closers();
    try {
      const { page } = await openDesk(firstRun, { config, viewport: { width: 440, height: 900 }, history: new JsonFileHistory(historyFile) });
      const id = uccx.center.ring({ ani: CALLER, dnis: '8005550199' });
      const call = liveCall(page, CALLER, { account: 'UCCX test' });
      await call.getByRole('button', { name: `Answer: ${CALLER}` }).click();
      await liveCall(page, CALLER, { state: 'Connected' }).waitFor();

      // The keypad: the keyboard's digits and a tapped key reach UCCX, in order, and the pad shows them.
      await call.getByRole('button', { name: 'Keypad' }).click();
      const keypad = page.getByRole('group', { name: `Keypad for ${CALLER}` });
      await keypad.getByRole('button', { name: 'Key 1' }).waitFor();
      await page.keyboard.type('12#');
      await keypad.getByRole('button', { name: 'Key 5' }).click();
      const primary = uccx.center.interactions.get(id)!.primary.id;
      await eventually(() => uccx.center.dtmf.get(primary) === '12#5', 'the digits at UCCX');
      await keypad.getByText('12#5', { exact: true }).waitFor();
      await keypad.getByRole('button', { name: 'Close the keypad' }).click();

      // Transfer… → Call first: the caller waits on hold while the colleague answers.
      await call.getByRole('button', { name: 'Transfer…' }).click();
      const panel = page.getByRole('group', { name: `Transfer ${CALLER}` });
      await panel.getByLabel('Transfer to').fill(COLLEAGUE);
      await shot(call, 'uccx-transfer-panel');
      await panel.getByRole('button', { name: 'Call first' }).click();
      // The card names both legs; Complete transfer shows once the colleague answered.
      const consultation = page.getByRole('listitem', { name: new RegExp(`^Consultation\\b.*${literally(CALLER)} on hold.*${COLLEAGUE}`) });
      await consultation.getByRole('button', { name: 'Complete transfer' }).waitFor();
      assert.deepEqual(
        uccx.requests.filter((r) => r.name === 'conversation.consult').map((r) => r.data),
        [{ destination: COLLEAGUE }],
      );
      await shot(consultation, 'uccx-consult-card');
      await consultation.getByRole('button', { name: 'Complete transfer' }).click();
      await consultation.waitFor({ state: 'detached' });
      assert.equal(uccx.requests.filter((r) => r.name === 'conversation.transfer').length, 1, 'the transfer reached UCCX');

      // Wrap-up: choose a reason; UCCX has it, the card and the history show it.
      await page.getByRole('timer', { name: 'Wrap-up on UCCX test' }).waitFor();
      const reasons = page.getByRole('group', { name: 'Wrap-up reasons' });
      await reasons.waitFor();
      await shot(page, 'uccx-wrap-up');
      await reasons.getByRole('button', { name: 'Sale made' }).click();
      await page.getByRole('button', { name: 'Change the wrap-up reason (Sale made)' }).waitFor();
      await eventually(() => uccx.center.wrapUpGiven.get(id) === 101, 'the reason at UCCX');
      await historyCall(page, CALLER).getByText('Wrap-up: Sale made').waitFor();
      // The consultation is part of the call: the entry says whom it consulted; no "placed" call to the colleague.
      await historyCall(page, CALLER).getByText(`Consulted ${COLLEAGUE}`).waitFor();
      assert.equal(await historyList(page).getByText('Placed on UCCX test').count(), 0);
      await shot(historyCall(page, CALLER), 'uccx-history-entry');
      uccx.center.endWork();
    } finally {
      await firstRun.closeAll();
    }
    // UCCX keeps a stopped desk's session; the server forgetting it stands in for the time until
    // the next start, so the new core signs in without the take-over question.
    uccx.forgetSessions();

    const secondRun = new Closers();
    try {
      const { page } = await openDesk(secondRun, { config, history: new JsonFileHistory(historyFile) });
      await historyCall(page, CALLER).getByText('Wrap-up: Sale made').waitFor();
    } finally {
      await secondRun.closeAll();
    }
  });
});
