import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyChange, type DeskChange } from '../../preload/bridge.js';
import { BridgeHub, type BridgePush } from '../../main/bridge.js';
import { Desk } from '../../main/desk/desk.js';
import type { ConnectorEvent } from '../../main/desk/events.js';
import { createLogger } from '../../main/log.js';
import { parseConfig } from '../../main/config.js';
import { ReadOnlySettings } from '../../main/settings.js';
import type { Connector, ConnectorCommand, ConnectorContext } from '../../main/vendors/connector.js';

/** A connector double: records commands, lets the test emit events. */
class ScriptedConnector implements Connector {
  context?: ConnectorContext;
  readonly commands: ConnectorCommand[] = [];
  start(context: ConnectorContext): void {
    this.context = context;
    context.emit({ type: 'connection', state: 'connected' });
  }
  emit(event: ConnectorEvent): void {
    this.context!.emit(event);
  }
  retry(): void {}
  async stop(): Promise<void> {}
  async execute(command: ConnectorCommand): Promise<void> {
    this.commands.push(command);
  }
}

function setup() {
  const connector = new ScriptedConnector();
  const log = createLogger('silent');
  const desk = new Desk({
    accounts: [{ id: 'voice', vendor: 'enreach', label: 'Voice', demo: false, presenceOptions: ['ready', 'not-ready'], connector }],
    log,
  });
  const hub = new BridgeHub(desk, log, new ReadOnlySettings(parseConfig({}), 'the test'));
  desk.start();
  const pushes: BridgePush[] = [];
  hub.connect({ send: (message) => pushes.push(message) });
  return { connector, desk, hub, pushes };
}

const changes = (pushes: BridgePush[]): DeskChange[] => pushes.flatMap((p) => (p.type === 'change' ? [p.change] : []));

describe('bridge hub', () => {
  it('gives a renderer the full state first, then patches that rebuild exactly the desk state', () => {
    const { connector, desk, hub, pushes } = setup();
    connector.emit({ type: 'call', call: { id: 'c1', state: 'ringing', caller: '+3584000' } });
    hub.flush();
    connector.emit({ type: 'call', call: { id: 'c1', state: 'ended' } });
    connector.emit({ type: 'queue', queue: { id: 'q', name: 'Sales', waiting: 2 } });
    hub.flush();
    let view: ReturnType<typeof applyChange>;
    for (const change of changes(pushes)) view = applyChange(view, change);
    assert.deepEqual(view!.state, desk.state);
    assert.ok('full' in changes(pushes)[0]!);
  });

  it('sends only the new lines of a growing transcript, and the renderer still rebuilds it whole', () => {
    const { connector, desk, hub, pushes } = setup();
    const line = (index: number, text: string) => ({
      id: `${index}|${text}`,
      index,
      from: { id: 'c', name: 'Ann', role: 'customer' as const },
      text,
      at: `2026-11-20T09:00:0${index}.000Z`,
      kind: 'text' as const,
    });
    connector.emit({ type: 'chat', chat: { id: 'k', state: 'active' } });
    connector.emit({ type: 'chat.messages', chatId: 'k', messages: [line(1, 'a long first line '.repeat(50))] });
    hub.flush();
    connector.emit({ type: 'chat.messages', chatId: 'k', messages: [line(2, 'second')] });
    hub.flush();
    const last = changes(pushes).at(-1) as { patch: { chats: { upsert: Array<{ messages: unknown[]; messagesFrom?: number }> } } };
    assert.equal(last.patch.chats.upsert[0]!.messagesFrom, 1);
    assert.equal(last.patch.chats.upsert[0]!.messages.length, 1);
    // An out-of-order line re-sorts the transcript: then the whole transcript travels.
    connector.emit({ type: 'chat.messages', chatId: 'k', messages: [line(0, 'zeroth')] });
    hub.flush();
    let view: ReturnType<typeof applyChange>;
    for (const change of changes(pushes)) view = applyChange(view, change);
    assert.deepEqual(view!.state, desk.state);
    assert.deepEqual(view!.state.chats['voice/k']!.messages.map((m) => m.index), [0, 1, 2]);
  });

  it('coalesces a burst of events into one patch holding only what changed', async () => {
    const { connector, pushes } = setup();
    for (let i = 0; i < 100; i++) connector.emit({ type: 'queue', queue: { id: 'q', name: 'Sales', waiting: i } });
    await new Promise((resolve) => setImmediate(resolve));
    const patches = changes(pushes).filter((c) => 'patch' in c);
    assert.equal(patches.length, 1);
    const patch = (patches[0] as { patch: { queues?: { upsert: Array<{ waiting: number }> }; calls?: unknown } }).patch;
    assert.equal(patch.queues!.upsert[0]!.waiting, 99);
    assert.equal(patch.calls, undefined);
  });

  it('refuses malformed invocations with a clear error and never reaches the connector', async () => {
    const { connector, hub } = setup();
    const bad = [
      undefined,
      { method: 'rmRf', args: [] },
      { method: 'setPresence', args: ['sleeping'] },
      { method: 'sendChatMessage', args: ['voice/k', ''] },
      { method: 'dial', args: ['voice', 'call me maybe'] },
      { method: 'callAction', args: ['voice/c1'] },
    ];
    for (const request of bad) {
      const result = await hub.invoke(request);
      assert.equal(result.ok, false, JSON.stringify(request));
      assert.match((result as { error: string }).error, /^Refused/);
    }
    assert.deepEqual(connector.commands, []);
  });

  it('routes a valid invocation to the connector that owns the entity, with the platform id', async () => {
    const { connector, hub } = setup();
    connector.emit({ type: 'call', call: { id: 'c1', state: 'ringing', actions: ['answer'] } });
    assert.deepEqual(await hub.invoke({ method: 'callAction', args: ['voice/c1', 'answer'] }), { ok: true });
    assert.deepEqual(connector.commands, [{ type: 'call.action', callId: 'c1', action: 'answer' }]);
    const refused = await hub.invoke({ method: 'callAction', args: ['voice/c1', 'hold'] });
    assert.equal(refused.ok, false);
    assert.match((refused as { error: string }).error, /cannot be put through “hold”/);
  });

  it('sends presence to every connected account that accepts it', async () => {
    const { connector, hub } = setup();
    assert.deepEqual(await hub.invoke({ method: 'setPresence', args: ['not-ready'] }), { ok: true });
    assert.deepEqual(connector.commands, [{ type: 'presence.set', state: 'not-ready' }]);
    const refused = await hub.invoke({ method: 'setPresence', args: ['wrap-up'] });
    assert.equal(refused.ok, false);
  });
});
