/**
 * The whole app — core, desk, web host, the window's bridge — configured for a 3C account whose
 * link is not our simulator but a second implementation of the wire contract
 * (`test/fixtures/threec/contract-link.ts`): the window shows that server's presence, colleagues,
 * messages and calls, and its replies reach that server.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { appLogger, startCore, type Core } from '../../main/app.js';
import { parseConfig } from '../../main/config.js';
import type { Toast } from '../../common/model.js';
import { startWebHost, type WebHost } from '../../main/web.js';
import { applyChange } from '../../common/patch.js';
import type { DeskApi, DeskState } from '../../preload/bridge.js';
import { createBridgeClient } from '../../preload/client.js';
import { Closers } from '../support/closers.js';
import { eventually } from '../support/eventually.js';
import { startContractLink, type ContractLink } from '../fixtures/threec/contract-link.js';

const ME = 'agent@corp.example';
const PASSWORD = 'contract-password';
const SERVER_URI = 'https://3c.corp.example/SphericallService';

/** The window's view over the web host's bridge, as the browser's would be. */
async function webWindow(host: WebHost): Promise<{ api: DeskApi; state: () => DeskState | undefined; close(): void }> {
  const ws = new WebSocket(`${host.origin.replace('http://', 'ws://')}bridge`, { headers: { Origin: host.origin.replace(/\/$/, '') } });
  const client = createBridgeClient({ transport: { send: (text) => (ws.send(text), true) } });
  let view: ReturnType<typeof applyChange>;
  client.api.onChange((change) => (view = applyChange(view, change)));
  ws.on('message', (data) => client.receive(data.toString()));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.send(JSON.stringify({ type: 'hello', token: host.token }));
  client.opened();
  return { api: client.api, state: () => view?.state, close: () => ws.close() };
}

describe('3C against a link that follows the contract (not our simulator)', () => {
  const closers = new Closers();
  let link: ContractLink;
  let core: Core;
  let window: Awaited<ReturnType<typeof webWindow>>;
  const toasts: Toast[] = [];
  const state = (): DeskState => window.state()!;

  before(() =>
    closers.setUp(async () => {
      link = closers.add(await startContractLink({ serveruri: SERVER_URI, username: ME, password: PASSWORD }), (l) => l.close());
      const config = parseConfig({
        accounts: [
          {
            id: 'nec',
            vendor: 'threec',
            linkUrl: link.url,
            serveruri: SERVER_URI,
            username: ME,
            password: PASSWORD,
            terminals: '1001',
            colleagues: 'bob@corp.example',
            colleagueTerminals: 'bob@corp.example = 2001',
          },
        ],
      });
      core = closers.add(
        await startCore({ config, log: appLogger('silent'), backoff: { initialMs: 50, maxMs: 300, jitter: 0 }, tuning: { threec: { pingIntervalMs: 200, pongTimeoutMs: 500 } } }),
        (c) => c.stop(),
      );
      core.onToast((toast) => toasts.push(toast));
      const host = closers.add(await startWebHost({ core, log: appLogger('silent') }), (h) => h.close());
      window = closers.add(await webWindow(host), (w) => w.close());
    }),
  );
  after(() => closers.closeAll());

  it('logs in with the contract’s connect frame and sends no command before connected3C', async () => {
    await eventually(() => state()?.accounts['nec']?.connection === 'connected', 'connected');
    assert.deepEqual(link.received[0]!.frame, { type: 'connect', properties: { serveruri: SERVER_URI, username: ME, password: PASSWORD } });
    const commands = link.received.filter((r) => r.frame['type'] === 'command');
    assert.ok(commands.length >= 2);
    assert.ok(commands.every((c) => c.afterConnected), 'every command came after connected3C');
    assert.ok(commands.every((c) => typeof c.frame['id'] === 'string' && (c.frame['id'] as string).length > 0));
    assert.deepEqual(
      commands.map((c) => [c.frame['command'], c.frame['properties']]),
      [
        ['startMonitoringUsers', { users: [{ username: ME }, { username: 'bob@corp.example' }] }],
        [
          'startMonitoringTerminals',
          {
            terminals: [
              { addressvalue: '1001', addresstype: 'ext' },
              { addressvalue: '2001', addresstype: 'ext' },
            ],
          },
        ],
      ],
    );
    assert.equal(state().accounts['nec']!.notice, 'Presence is set in 3C; answer calls on your phone.');
    assert.deepEqual(state().accounts['nec']!.presenceOptions, []);
  });

  it('shows the server’s presence and colleagues', async () => {
    link.push('presenceChanged', { user: ME, presence: 'Busy', presenceNote: 'On a customer visit' });
    link.push('presenceChanged', { user: 'bob@corp.example', presence: 'Available', presenceNote: '' });
    await eventually(() => state().accounts['nec']!.presence?.label === 'Busy', 'the agent’s presence in the window');
    assert.equal(state().accounts['nec']!.presence!.reason, 'On a customer visit');
    await eventually(() => state().team['nec/bob@corp.example']?.presence.state === 'ready', 'bob in the team');
    link.push('monitoredTerminalEventReceived', {
      address: '2001',
      addressType: 'ext',
      calledAddressValue: '2001',
      calledAddressType: 'ext',
      caller: '+4420794600',
      callType: 'External',
      isIncoming: true,
      callState: 'Connected',
      call: '88',
    });
    await eventually(() => state().team['nec/bob@corp.example']?.onCall, 'bob on a call');
  });

  it('shows the server’s message once, and its reply reaches the server and shows once', async () => {
    const im = { receivingUser: ME, sendingUser: 'bob@corp.example', message: 'Lunch at 12?' };
    link.push('imReceived', im);
    link.push('imReceived', im);
    const key = 'nec/bob@corp.example';
    await eventually(() => state().chats[key]?.messages.length, 'the IM in the window');
    await window.api.sendChatMessage(key, 'Yes, see you there');
    await eventually(
      () => link.received.find((r) => r.frame['command'] === 'sendText' && JSON.stringify(r.frame['properties']) === JSON.stringify({ destuser: 'bob@corp.example', message: 'Yes, see you there' })),
      'sendText reached the server',
    );
    await eventually(() => state().chats[key]!.messages.length === 2, 'the reply in the transcript');
    assert.deepEqual(
      state().chats[key]!.messages.map((m) => [m.from.role, m.text]),
      [
        ['customer', 'Lunch at 12?'],
        ['agent', 'Yes, see you there'],
      ],
      'each line once, though the server repeated the IM and echoed the reply',
    );
    assert.equal(toasts.filter((t) => t.id === `chat:${key}`).length, 1);
  });

  it('says why a reply failed when the server refuses it', async () => {
    link.failNext('sendText', 'destination user offline');
    await assert.rejects(window.api.sendChatMessage('nec/bob@corp.example', 'Are you there?'), /destination user offline/);
    assert.equal(state().chats['nec/bob@corp.example']!.messages.length, 2, 'the refused reply is not shown');
  });

  it('shows the server’s call with one toast; after the server drops the session the call stays, marked stale', async () => {
    const ringing = {
      address: '1001',
      addressType: 'ext',
      calledAddressValue: '1001',
      calledAddressType: 'ext',
      caller: '+358401234567',
      callType: 'External',
      isIncoming: true,
      callState: 'Ringing',
      call: '4711',
    };
    link.push('monitoredTerminalEventReceived', ringing);
    link.push('monitoredTerminalEventReceived', ringing);
    await eventually(() => state().calls['nec/4711']?.state === 'ringing', 'the call rings in the window');
    link.push('monitoredTerminalEventReceived', { ...ringing, callState: 'Connected' });
    await eventually(() => state().calls['nec/4711']?.state === 'connected', 'connected');
    const logins = link.logins();
    link.closeAll(1001);
    await eventually(() => link.logins() > logins && state().accounts['nec']!.connection === 'connected', 'logged in again');
    await eventually(() => state().calls['nec/4711']?.stale === true, 'the call is marked stale');
    assert.equal(state().calls['nec/4711']!.state, 'connected', 'kept in its last known state, not ended');
    assert.equal(toasts.filter((t) => t.id === 'call:nec/4711').length, 1);
    link.push('monitoredTerminalEventReceived', { ...ringing, callState: 'Disconnected' });
    await eventually(() => !state().calls['nec/4711'], 'ended when the server says so');
  });
});
