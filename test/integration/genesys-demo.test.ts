/** The Genesys demo: the scripted day reaches a real connector, and stop() clears everything. */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { createGenesysConnector } from '../../main/vendors/genesys/connector.js';
import { startGenesysDemo } from '../../main/vendors/genesys/demo.js';
import { genesysAccountSchema } from '../../main/vendors/genesys/config.js';
import { captureLog, deskHarness, eventually, FAST } from '../fixtures/genesys/harness.js';
import { allChats } from '../../common/selectors.js';

describe('Genesys demo', () => {
  it('plays chats, calls and agent states to a connector; stop() ends it', async () => {
    const { log } = captureLog('warn');
    const demo = await startGenesysDemo({ log, intervalMs: 1_000 });
    const desk = deskHarness(demo.account.id, log);
    assert.equal(demo.account.vendor, 'genesys');
    assert.equal(typeof demo.account.password, 'string');
    const connector = createGenesysConnector(demo.account, demo.secrets, FAST);
    try {
      connector.start(desk.context);
      await eventually(() => desk.account().connection === 'connected', 'connected');
      const chat = await eventually(() => allChats(desk.state).find((c) => c.messages.some((m) => m.kind === 'text')), 'a chat with a line');
      await eventually(() => Object.keys(desk.state.calls).length > 0 || desk.state.recentCalls.length > 0, 'a call');
      await eventually(() => desk.account().presence?.state === 'ready', 'made ready by the script');
      await connector.execute({ type: 'chat.action', chatId: chat.id, action: 'accept' });
      await eventually(() => desk.chat(chat.id)?.actions.includes('send'), 'accepted');
      await connector.execute({ type: 'chat.send', chatId: chat.id, text: 'Hello, how can I help?' });
      await eventually(
        () => (desk.chat(chat.id)?.messages.filter((m) => m.from.role === 'customer' && m.kind === 'text').length ?? 0) >= 2 || desk.chat(chat.id)?.state === 'ended',
        'the customer answers or leaves',
        20_000,
      );
    } finally {
      await connector.stop();
      await demo.stop();
    }
    await demo.stop(); // idempotent
  });
});

describe('Genesys first connection', () => {
  it('an unreachable server is retried (reconnecting), not failed', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const desk = deskHarness('gen');
    const account = genesysAccountSchema.parse({ id: 'gen', vendor: 'genesys', baseUrl: `http://127.0.0.1:${port}`, user: 'u', password: 'p' });
    const connector = createGenesysConnector(account, { password: 'p' }, FAST);
    connector.start(desk.context);
    try {
      const state = await eventually(() => (desk.account().attempt ?? 0) >= 2 && desk.account(), 'two reconnect attempts');
      assert.equal(state.connection, 'reconnecting');
      assert.match(state.reason ?? '', /cannot be reached/);
    } finally {
      await connector.stop();
    }
  });
});
