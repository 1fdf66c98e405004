/**
 * Fuzzing the bridge's invoke validation: what a window sends (`BridgeHub.open(send).receive(text)`)
 * mutated from every method's valid call, and garbage text. No exception escapes, the connection
 * lives on (a subscribe after any of it is answered with the state), every invocation that names
 * itself is answered exactly once, and what is not a message is logged and dropped.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { BridgeHub } from '../../main/bridge.js';
import { parseConfig } from '../../main/config.js';
import { Desk } from '../../main/desk/desk.js';
import { createLogger } from '../../main/log.js';
import { ReadOnlySettings } from '../../main/settings.js';
import type { Connector, ConnectorContext } from '../../main/desk/port.js';
import { DESK_METHOD_NAMES } from '../../preload/bridge.js';
import { captureLog, checkAsync, mutated, mutatedText, textOf, WARN } from './mutate.js';

class Quiet implements Connector {
  start(context: ConnectorContext): void {
    context.emit({ type: 'connection', state: 'connected' });
    context.emit({ type: 'call', call: { id: 'c1', state: 'ringing', actions: ['answer', 'hangup'] } });
    context.emit({ type: 'chat', chat: { id: 'k1', state: 'active', actions: ['send', 'complete'] } });
  }
  retry(): void {}
  resume(): void {}
  async stop(): Promise<void> {}
  async execute(): Promise<void> {}
}

/** A valid call of every method (the seeds the mutations start from; a method added later starts from no arguments). */
const CALLS: Record<string, unknown[]> = {
  setPresence: ['ready'],
  setAccountPresence: ['voice', 'not-ready', 'lunch'],
  answerPrompt: ['voice', 'p1', 'take-over'],
  dismissCall: ['voice/c1'],
  callAction: ['voice/c1', 'answer'],
  dial: ['voice', '+358401234567'],
  chatAction: ['voice/k1', 'complete'],
  sendChatMessage: ['voice/k1', 'Hello'],
  markChatRead: ['voice/k1'],
  markMissedSeen: [],
  dismissHistoryNotice: [],
  dismissChat: ['voice/k1'],
  clearEndedChats: [],
  closeCallback: ['voice/cb1'],
  startChat: ['voice/m1'],
  callJourney: ['voice/c1'],
  retryAccount: ['voice'],
  getSettings: [],
  saveSettings: [{ accounts: [], display: { theme: 'dark', toasts: { calls: true, chats: false } } }],
};

function setup() {
  const log = captureLog();
  const logger = createLogger('debug', log.destination);
  const desk = new Desk({ accounts: [{ seed: { id: 'voice', vendor: 'test', label: 'Voice', demo: false, presenceOptions: ['ready', 'not-ready'] }, connector: new Quiet() }], log: logger });
  desk.start();
  const hub = new BridgeHub(desk, logger, new ReadOnlySettings(parseConfig({}), 'the fuzz test'));
  const sent: Array<{ type: string; id?: number; result?: { ok: boolean } }> = [];
  const connection = hub.open((text) => sent.push(JSON.parse(text) as (typeof sent)[number]));
  return { hub, connection, sent, log };
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe('the bridge, fuzzed', () => {
  it('every method’s call, mutated (and any text): answered once if it names itself, never a throw, and the connection lives on', async () => {
    const seeds = DESK_METHOD_NAMES.map((method, id) => ({ type: 'invoke', id, method, args: CALLS[method] ?? [] }));
    await checkAsync(
      'bridge: receive (invoke validation)',
      fc.oneof(mutated([...seeds, { type: 'subscribe' }]), mutatedText(seeds.map((s) => JSON.stringify(s))), fc.string()),
      async (drawn) => {
        const { connection, sent, hub } = setup();
        const text = typeof drawn === 'string' ? drawn : textOf(drawn);
        assert.doesNotThrow(() => connection.receive(text));
        await settle();
        // An invocation is answered once, with its own id; nothing else is answered.
        const results = sent.filter((m) => m.type === 'result');
        assert.ok(results.length <= 1, 'one answer at most');
        let named: { type?: unknown; id?: unknown } | undefined;
        try {
          named = JSON.parse(text) as typeof named;
        } catch {
          named = undefined;
        }
        if (results.length === 1) assert.equal(results[0]!.id, named?.id);
        // The connection lives on.
        connection.receive(JSON.stringify({ type: 'subscribe' }));
        assert.ok(sent.some((m) => m.type === 'change'), 'a subscribe after it is answered with the state');
        connection.receive(JSON.stringify({ type: 'invoke', id: 99, method: 'getSettings', args: [] }));
        await settle();
        assert.ok(sent.some((m) => m.type === 'result' && m.id === 99 && m.result?.ok), 'and an invocation after it too');
        hub.close();
      },
      2,
    );
  });

  it('what is not a message (not JSON, not an invoke or subscribe, an unknown method) is logged as a warning and dropped', async () => {
    for (const bad of ['', 'not json', '{"type":"invoke"}', '{"type":"invoke","id":1,"method":"toString","args":[]}', '{"type":"invoke","id":-1,"method":"dial","args":[]}', '[]', 'null']) {
      const { connection, sent, log } = setup();
      connection.receive(bad);
      await settle();
      assert.deepEqual(sent, [], `nothing answers ${bad}`);
      assert.ok(log.lines.some((l) => l.level === WARN), `a warning for ${bad}`);
    }
  });

  it('refused arguments are answered with a refusal naming the method, and logged', async () => {
    const { connection, sent, log } = setup();
    connection.receive(JSON.stringify({ type: 'invoke', id: 5, method: 'dial', args: ['voice', 'not a number'] }));
    await settle();
    assert.equal(sent[0]?.result?.ok, false);
    assert.ok(log.lines.some((l) => l.level === WARN));
  });
});
