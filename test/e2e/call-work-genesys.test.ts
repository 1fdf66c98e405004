/// <reference lib="dom" />
/**
 * Call work on Genesys end to end (issue 18): the web host in Chromium, a Genesys account (with
 * wrap-up reasons configured) through its real connector to the Genesys simulator. The agent puts
 * one call through at once (Transfer… → Transfer now) and makes a conference of three with another
 * (Conference… → Call first → Conference on the consultation card), then chooses a wrap-up reason.
 *
 * Screenshots of the transfer panel, the consultation card, the conference and the wrap-up go to
 * `$CALL_WORK_SCREENSHOTS` when it is set.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { parseConfig } from '../../main/config.js';
import { startGenesysSimulator, type GenesysSimulator } from '../../main/vendors/genesys/simulator/index.js';
import { Closers } from '../support/closers.js';
import { eventually } from '../support/eventually.js';
import { historyCall, historyList, liveCall, literally, openDesk } from './harness.js';

const SHOTS = process.env.CALL_WORK_SCREENSHOTS;

async function shot(target: Page | Locator, name: string): Promise<void> {
  if (SHOTS) await target.screenshot({ path: join(SHOTS, `${name}.png`) });
}

describe('call work on Genesys in Chromium', () => {
  const closers = new Closers();
  let sim: GenesysSimulator;
  let page: Page;
  before(async () => {
    sim = closers.add(await startGenesysSimulator({ operationDelayMs: 5 }), (s) => s.close().catch(() => undefined));
    const config = parseConfig({
      accounts: [
        {
          id: 'contact',
          vendor: 'genesys',
          label: 'Genesys test',
          baseUrl: sim.baseUrl,
          user: sim.credentials.user,
          password: sim.credentials.password,
          dispositions: [
            { code: 'SALE', label: 'Sale made' },
            { code: 'INFO', label: 'Information given' },
          ],
        },
      ],
    });
    ({ page } = await openDesk(closers, { config }));
  });
  after(() => closers.closeAll());

  /** A customer call answered from the window: its id and its row. */
  async function answered(caller: string): Promise<{ id: string; call: Locator }> {
    const id = sim.ringCall({ ani: caller, dnis: '800' });
    const call = liveCall(page, caller, { account: 'Genesys test' });
    await call.getByRole('button', { name: `Answer: ${caller}` }).click();
    await liveCall(page, caller, { state: 'Connected' }).getByRole('button', { name: 'Transfer…' }).waitFor();
    return { id, call };
  }

  it('Transfer now puts the caller straight through; the call leaves the window', async () => {
    const caller = '+358401230001';
    const { id, call } = await answered(caller);
    await call.getByRole('button', { name: 'Transfer…' }).click();
    const panel = page.getByRole('group', { name: `Transfer ${caller}` });
    await panel.getByLabel('Transfer to').fill('5005');
    await shot(call, 'genesys-transfer-panel');
    await panel.getByRole('button', { name: 'Transfer now' }).click();
    await call.waitFor({ state: 'detached' });
    assert.deepEqual(sim.operations.filter((o) => o.path === `/api/v2/me/calls/${id}` && o.operationName === 'SingleStepTransfer').map((o) => o.body), [
      { operationName: 'SingleStepTransfer', destination: { phoneNumber: '5005' } },
    ]);
  });

  it('Conference… → Call first → Conference: one call of three parties; then a wrap-up reason', async () => {
    const caller = '+358401230002';
    const { id, call } = await answered(caller);
    await call.getByRole('button', { name: 'Conference…' }).click();
    const panel = page.getByRole('group', { name: `Conference with ${caller}` });
    await panel.getByLabel('Add to the call').fill('5004');
    await panel.getByRole('button', { name: 'Call first' }).click();
    // The card names both legs; Conference shows once the colleague answered.
    const consultation = page.getByRole('listitem', { name: new RegExp(`^Consultation\\b.*${literally(caller)} on hold.*5004`) });
    await consultation.getByRole('button', { name: 'Conference', exact: true }).waitFor();
    await shot(consultation, 'genesys-consult-card');
    await consultation.getByRole('button', { name: 'Conference', exact: true }).click();
    await consultation.waitFor({ state: 'detached' });
    const parties = liveCall(page, caller, { state: 'Connected' }).getByRole('list', { name: 'Conference parties' });
    await parties.waitFor();
    assert.equal(await parties.getByRole('listitem').count(), 3, 'the caller, the colleague and the agent');
    assert.match(await parties.innerText(), /5004/);
    await shot(liveCall(page, caller), 'genesys-conference');

    await liveCall(page, caller).getByRole('button', { name: `Hang up: ${caller}` }).click();
    await liveCall(page, caller).waitFor({ state: 'detached' });
    sim.setAgentState('AfterCallWork');
    const reasons = page.getByRole('group', { name: 'Wrap-up reasons' });
    await reasons.waitFor();
    await shot(page, 'genesys-wrap-up');
    await reasons.getByRole('button', { name: 'Information given' }).click();
    await page.getByRole('button', { name: 'Change the wrap-up reason (Information given)' }).waitFor();
    await eventually(() => sim.call(id)?.userData.DispositionCode === 'INFO', 'the disposition at Genesys');
    // The consultation is part of the conference call: its history entry says whom it consulted.
    await historyCall(page, caller).getByText('Consulted 5004').waitFor();
    assert.equal(await historyList(page).getByText('Placed on Genesys test').count(), 0, 'no placed call to the colleague of its own');
    await shot(page, 'genesys-history');
  });
});
