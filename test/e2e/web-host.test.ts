/// <reference lib="dom" />
/**
 * End to end, as the agent sees it: the web host in Chromium, connected through the real
 * connectors to both simulators.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readdirSync } from 'node:fs';
import WebSocket from 'ws';
import { RENDERER_DIR } from '../../main/web.js';
import { notifications } from './browser.js';
import { accountStatus, chatItem, eventually, hasFocus, liveCall, startRunningDesk, type RunningDesk } from './harness.js';

describe('web host in Chromium', () => {
  let desk: RunningDesk;
  before(async () => {
    desk = await startRunningDesk();
  });
  after(async () => {
    await desk?.stop();
  });

  it('shows a ringing Enreach call with its caller number, raises exactly one notification, and a click on it shows the call', async () => {
    const { page, enreach } = desk;
    const before = (await notifications(page)).length;
    const callId = enreach.ringCall({ caller: '+358401112233' });
    const row = liveCall(page, '+358401112233', { account: 'Enreach test' });
    await row.waitFor();
    assert.match(await row.innerText(), /\+358401112233/);
    assert.equal(await liveCall(page, '+358401112233', { state: 'Ringing' }).count(), 1, 'it rings');
    const raised = await eventually(async () => {
      const all = await notifications(page);
      return all.length > before ? all.slice(before) : undefined;
    }, 'a notification for the ringing call');
    // A click on the notification brings the agent to that call.
    await page.evaluate((index) => (window as unknown as { __clickNotification(i: number): void }).__clickNotification(index), before);
    await eventually(() => hasFocus(row), 'the call has the focus');
    enreach.answerCall(callId);
    await liveCall(page, '+358401112233', { state: 'Connected' }).waitFor();
    enreach.hangupCall(callId);
    await row.waitFor({ state: 'detached' });
    const all = (await notifications(page)).slice(before);
    assert.equal(all.length, 1, `one notification, got ${JSON.stringify(all)}`);
    assert.match(raised[0]!.title, /\+358401112233/);
  });

  it('sends the presence chosen in the window to the platforms', async () => {
    const { page, enreach } = desk;
    const presence = page.getByRole('combobox', { name: /presence on all accounts$/ });
    await presence.selectOption('not-ready');
    await eventually(() => enreach.availability !== 'Available' && enreach.availability, 'Enreach availability set over REST');
    await accountStatus(page, 'Enreach test', /Connected, Not ready/).waitFor();
    await presence.selectOption('ready');
    await eventually(() => enreach.availability === 'Available', 'Enreach back to Available');
  });

  it('shows a callback when it is assigned and takes it off when it is closed', async () => {
    const { page, enreach } = desk;
    const id = enreach.createCallback({ contactNumber: '+358409998877', contactName: 'Liisa Lahti', message: 'About my invoice' });
    const row = page.getByRole('list', { name: 'Callback requests' }).getByRole('listitem').filter({ has: page.getByRole('button', { name: 'Close callback for Liisa Lahti' }) });
    await row.waitFor();
    assert.match(await row.innerText(), /\+358409998877/);
    assert.equal(await row.count(), 1);
    enreach.closeCallback(id);
    await row.waitFor({ state: 'detached' });
  });

  it('lists 60 callbacks with only those in view in the page, and the row with the focus keeps it when the list scrolls away', async () => {
    const { page, enreach } = desk;
    const ids = Array.from({ length: 60 }, (_, i) =>
      enreach.createCallback({ contactNumber: `+3584099${String(i).padStart(5, '0')}`, contactName: `Caller ${String(i).padStart(2, '0')}`, message: 'Please call' }),
    );
    const list = page.getByRole('list', { name: 'Callback requests' });
    const row = (name: string) => list.getByRole('listitem').filter({ has: page.getByRole('button', { name: `Close callback for ${name}` }) });
    await page.waitForFunction(() => document.querySelector('[data-testid="callback"]')?.getAttribute('aria-setsize') === '60');
    const inPage = await list.getByRole('listitem').count();
    assert.ok(inPage > 0 && inPage < 30, `${inPage} of 60 callbacks in the page`);
    const first = list.getByRole('listitem').first();
    const name = /Caller \d\d/.exec(await first.innerText())![0];
    const close = row(name).getByRole('button', { name: `Close callback for ${name}` });
    await close.focus();
    await list.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
    await page.waitForFunction(() => document.querySelector('[data-testid="callback"][aria-posinset="60"]'));
    assert.ok(await hasFocus(close), 'the callback scrolled away still holds the focus');
    for (const id of ids) enreach.closeCallback(id);
    await page.getByText('No callback requests').waitFor();
  });

  it('shows a Genesys chat transcript and delivers the reply typed in the window', async () => {
    const { page, genesys } = desk;
    const chatId = genesys.offerChat({ customer: 'Maija Meikäläinen', text: 'Hello, my parcel is late' });
    const item = chatItem(page, 'Maija Meikäläinen');
    await item.waitFor();
    await item.click();
    const view = page.getByRole('region', { name: 'Chat with Maija Meikäläinen' });
    const accept = view.getByRole('button', { name: 'Accept chat with Maija Meikäläinen' });
    if (await accept.count()) await accept.click();
    const message = (text: string) => view.getByRole('list', { name: 'Transcript' }).getByRole('listitem').filter({ hasText: text });
    await message('my parcel is late').waitFor();
    genesys.customerWrites(chatId, 'Order 4471');
    await message('Order 4471').waitFor();
    await view.getByRole('textbox', { name: 'Reply to Maija Meikäläinen' }).fill('Let me check that for you.');
    await view.getByRole('button', { name: 'Send reply to Maija Meikäläinen' }).click();
    await eventually(
      () => genesys.operations.find((op) => op.operationName === 'SendMessage' && JSON.stringify(op.body).includes('Let me check that for you.')),
      'SendMessage reached the simulator',
    );
    await message('Let me check that for you.').waitFor();
    assert.equal(await message('Order 4471').count(), 1);
  });

  it('raises one notification for a ringing Genesys call and answers it from the window', async () => {
    const { page, genesys } = desk;
    const before = (await notifications(page)).length;
    const callId = genesys.ringCall({ ani: '+4420794600' });
    const row = liveCall(page, '+4420794600', { account: 'Genesys test' });
    await row.waitFor();
    await row.getByRole('button', { name: 'Answer: +4420794600' }).click();
    await eventually(() => genesys.operations.find((op) => op.operationName === 'Answer'), 'Answer reached the simulator');
    await liveCall(page, '+4420794600', { state: 'Connected' }).waitFor();
    const raised = (await notifications(page)).slice(before);
    assert.equal(raised.length, 1);
    assert.match(raised[0]!.title, /\+4420794600/);
    genesys.releaseCall(callId);
    await row.waitFor({ state: 'detached' });
  });

  it('shows the settings read-only in the web host, with no secret in the page', async () => {
    const { page, enreach, genesys } = desk;
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByRole('note', { name: 'Read-only settings' }).waitFor();
    // Each account's fields are a group named by the account.
    for (const label of ['Enreach test', 'Genesys test']) assert.equal(await page.getByRole('group', { name: label, exact: true }).count(), 1, label);
    assert.equal(await page.getByRole('group', { name: /^Accounts/ }).getByRole('heading', { level: 3 }).count(), 3, 'the Accounts heading and two accounts');
    assert.equal(await page.getByRole('button', { name: 'Save', exact: true }).count(), 0);
    const html = await page.content();
    assert.ok(!html.includes(enreach.credentials.secretKey) && !html.includes(genesys.credentials.password), 'a secret reached the page');
    await page.keyboard.press('Escape');
    await page.getByRole('region', { name: 'Settings' }).waitFor({ state: 'detached' });
  });

  it('refuses a bridge connection from a foreign origin or without the launch token', async () => {
    const { host } = desk;
    const url = `ws://127.0.0.1:${host.port}/bridge`;
    const foreign = new WebSocket(url, { headers: { Origin: 'http://evil.example' } });
    const refusal = await new Promise<string>((resolve) => {
      foreign.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
      foreign.on('open', () => resolve('open'));
      foreign.on('error', () => resolve('error'));
    });
    assert.equal(refusal, '403');

    const tokenless = new WebSocket(url, { headers: { Origin: `http://127.0.0.1:${host.port}` } });
    const closed = await new Promise<number>((resolve) => {
      tokenless.on('open', () => tokenless.send(JSON.stringify({ type: 'hello', token: 'guess' })));
      tokenless.on('message', () => resolve(-1));
      tokenless.on('close', (code) => resolve(code));
    });
    assert.equal(closed, 4401);
  });

  it('serves the page, whose build holds no source map and references none', async () => {
    // Issue 16, finding 6: the build used to write its maps into what the host serves (and a
    // check on the raw path let `.%6dap` through; test/unit/web-host-guards.test.ts tries every spelling).
    const { host } = desk;
    const files = readdirSync(RENDERER_DIR, { recursive: true }).map(String);
    assert.deepEqual(files.filter((name) => name.endsWith('.map')), [], 'no source map in the build');
    const scripts = files.filter((name) => name.endsWith('.js'));
    assert.ok(scripts.length > 0);
    for (const name of scripts) {
      const served = await fetch(`${host.origin}${name}`);
      assert.equal(served.status, 200, name);
      assert.doesNotMatch(await served.text(), /sourceMappingURL/, name);
    }
  });
});
