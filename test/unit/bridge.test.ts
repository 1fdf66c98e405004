import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyChange, type DeskChange } from '../../common/patch.js';
import { BridgeHub, CHANGE_INTERVAL_MS, type BridgeConnection } from '../../main/bridge.js';
import { assembleCore } from '../../main/app.js';
import { createBridgeClient } from '../../preload/client.js';
import { Desk } from '../../main/desk/desk.js';
import { createLogger } from '../../main/log.js';
import { parseConfig } from '../../main/config.js';
import { ReadOnlySettings } from '../../main/settings.js';
import { ScriptedConnector } from '../support/scripted-connector.js';


/** A value as it arrives through JSON (members that are `undefined` left out). */
const asJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/**
 * A desk, its hub, and a window's client joined by the one wire (JSON text both ways), exactly as
 * the Electron preload and the web bridge join them; `texts` records every message the hub sent.
 */
function setup() {
  const connector = new ScriptedConnector();
  const log = createLogger('silent');
  const desk = new Desk({
    accounts: [{ seed: { id: 'voice', vendor: 'enreach', label: 'Voice', demo: false, presenceOptions: ['ready', 'not-ready'] }, connector }],
    log,
  });
  const hub = new BridgeHub(desk, log, new ReadOnlySettings(parseConfig({}), 'the test'));
  desk.start();
  const texts: string[] = [];
  const wire: { connection?: BridgeConnection } = {};
  const client = createBridgeClient({ transport: { send: (text) => (wire.connection?.receive(text), true) } });
  const connection = hub.open((text) => {
    texts.push(text);
    client.receive(text);
  });
  wire.connection = connection;
  const changes: DeskChange[] = [];
  client.opened();
  client.api.onChange((change) => changes.push(change));
  /** Sends raw text as a window would, and resolves with the hub's answer, if any. */
  const raw = async (text: string): Promise<unknown> => {
    const before = texts.length;
    connection.receive(text);
    await new Promise((resolve) => setImmediate(resolve));
    return texts.slice(before).map((t) => JSON.parse(t) as unknown).find((m) => (m as { type: string }).type === 'result');
  };
  return { connector, desk, hub, api: client.api, changes, texts, raw };
}

describe('bridge hub and client over the one wire', () => {
  it('gives a window the full state first, then patches that rebuild exactly the desk state', () => {
    const { connector, desk, hub, changes } = setup();
    connector.emit({ type: 'call', call: { id: 'c1', state: 'ringing', caller: '+3584000' } });
    hub.flush();
    connector.emit({ type: 'call', call: { id: 'c1', state: 'ended' } });
    connector.emit({ type: 'queue', queue: { id: 'q', name: 'Sales', waiting: 2 } });
    hub.flush();
    let view: ReturnType<typeof applyChange>;
    for (const change of changes) view = applyChange(view, change);
    assert.deepEqual(view!.state, asJson(desk.state));
    assert.ok('full' in changes[0]!);
  });

  it('shows a big team’s every change, however many arrive between two messages, and never changes a state it handed out', () => {
    const { connector, desk, hub, changes } = setup();
    const member = (i: number, status: 'ready' | 'not-ready') => ({ id: `m${i}`, name: `Member ${i}`, group: 'Floor', presence: { state: status, label: status === 'ready' ? 'Ready' : 'Not ready' }, onCall: false });
    connector.emit({ type: 'team.sync', members: Array.from({ length: 600 }, (_, i) => member(i, 'ready')) });
    hub.flush();
    const handedOut = desk.state;
    const frozen = asJson(handedOut);
    const present = new Set(Array.from({ length: 600 }, (_, i) => `m${i}`));
    for (let round = 0; round < 5; round++) {
      // Many members change between two messages (the desk sets them in a team it has not handed out).
      for (let i = round; i < 600; i += 7) {
        connector.emit({ type: 'team', member: member(i, round % 2 ? 'ready' : 'not-ready') });
        present.add(`m${i}`);
      }
      connector.emit({ type: 'team.remove', memberId: `m${100 + round}` });
      present.delete(`m${100 + round}`);
      hub.flush();
    }
    let view: ReturnType<typeof applyChange>;
    for (const change of changes) view = applyChange(view, change);
    assert.deepEqual(view!.state.team, asJson(desk.state).team);
    assert.deepEqual(Object.values(view!.state.team).map((m) => m.id).sort(), [...present].sort());
    assert.deepEqual(asJson(handedOut), frozen, 'a state handed out stays as it was');
  });

  it('asks for a fresh full state after a gap in the sequence, and is whole again', () => {
    const { connector, desk, hub, changes, texts } = setup();
    const asked: string[] = [];
    const client = createBridgeClient({ transport: { send: (text) => (asked.push(text), true) } });
    client.receive(texts[0]!);
    connector.emit({ type: 'queue', queue: { id: 'q', name: 'Sales', waiting: 1 } });
    hub.flush();
    connector.emit({ type: 'queue', queue: { id: 'q', name: 'Sales', waiting: 2 } });
    hub.flush();
    // The second window missed the first patch: it must not apply the second one.
    const seen: DeskChange[] = [];
    client.api.onChange((change) => seen.push(change));
    client.receive(texts.at(-1)!);
    assert.equal(seen.filter((c) => 'patch' in c).length, 0);
    assert.deepEqual(asked.map((t) => JSON.parse(t) as unknown), [{ type: 'subscribe' }]);
    assert.ok(changes.length >= 3);
    assert.deepEqual(changes.reduce<ReturnType<typeof applyChange>>((v, c) => applyChange(v, c), undefined)!.state, asJson(desk.state));
  });

  it('hands a window that subscribes after patches a fresh full state, never a patch it cannot apply, and folds nothing itself', () => {
    const { connector, desk, hub, api, changes } = setup();
    connector.emit({ type: 'queue', queue: { id: 'q', name: 'Sales', waiting: 1 } });
    hub.flush();
    // A second listener (the window's model, subscribing late): the client keeps no folded state,
    // so it asks the core again, and every listener starts afresh from that full state.
    const late: DeskChange[] = [];
    api.onChange((change) => late.push(change));
    connector.emit({ type: 'queue', queue: { id: 'q', name: 'Sales', waiting: 2 } });
    hub.flush();
    assert.ok('full' in late[0]!);
    let view: ReturnType<typeof applyChange>;
    for (const change of late) view = applyChange(view, change);
    assert.deepEqual(view!.state, asJson(desk.state));
    // The first listener got the same full state in the middle of its stream, and is whole too.
    let first: ReturnType<typeof applyChange>;
    for (const change of changes) first = applyChange(first, change) ?? first;
    assert.equal(changes.filter((c) => 'full' in c).length, 2);
    assert.deepEqual(first!.state, asJson(desk.state));
  });

  it('sends only the new lines of a growing transcript, and the window still rebuilds it whole', () => {
    const { connector, desk, hub, changes } = setup();
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
    const last = changes.at(-1) as { patch: { chats: { upsert: Array<{ messages: unknown[]; messagesFrom?: number }> } } };
    assert.equal(last.patch.chats.upsert[0]!.messagesFrom, 1);
    assert.equal(last.patch.chats.upsert[0]!.messages.length, 1);
    assert.equal('participants' in last.patch.chats.upsert[0]!, false, 'the members a line did not change stay with the window');
    // An out-of-order line re-sorts the transcript: then the whole transcript travels.
    connector.emit({ type: 'chat.messages', chatId: 'k', messages: [line(0, 'zeroth')] });
    hub.flush();
    let view: ReturnType<typeof applyChange>;
    for (const change of changes) view = applyChange(view, change);
    assert.deepEqual(view!.state, asJson(desk.state));
    assert.deepEqual(view!.state.chats['voice/k']!.messages.map((m) => m.index), [0, 1, 2]);
  });

  it('sends only the calls that ended, not the whole list of recent calls, and the window still rebuilds it', () => {
    const { connector, desk, hub, changes } = setup();
    const call = (n: number) => ({ id: `c${n}`, state: 'ringing' as const, caller: `+35840000${n}`, userData: { Note: 'x'.repeat(200) } });
    // More calls than the list keeps: the oldest fall off its end.
    for (let n = 0; n < 25; n++) {
      connector.emit({ type: 'call', call: call(n) });
      hub.flush();
      connector.emit({ type: 'call', call: { id: `c${n}`, state: 'ended' } });
      hub.flush();
    }
    const last = changes.at(-1) as { patch: { recentCalls?: unknown; recentCallsDelta?: { added: Array<{ id: string }>; kept: number } } };
    assert.equal(last.patch.recentCalls, undefined);
    assert.deepEqual(last.patch.recentCallsDelta?.added.map((c) => c.id), ['c24']);
    assert.equal(last.patch.recentCallsDelta?.kept, desk.state.recentCalls.length - 1);
    let view: ReturnType<typeof applyChange>;
    for (const change of changes) view = applyChange(view, change);
    assert.deepEqual(view!.state, asJson(desk.state));
    assert.deepEqual(view!.state.recentCalls.map((c) => c.id).slice(0, 3), ['c24', 'c23', 'c22']);
  });

  it('coalesces a burst of events into one patch holding only what changed', async () => {
    const { connector, changes } = setup();
    for (let i = 0; i < 100; i++) connector.emit({ type: 'queue', queue: { id: 'q', name: 'Sales', waiting: i } });
    await new Promise((resolve) => setImmediate(resolve));
    const patches = changes.filter((c) => 'patch' in c);
    assert.equal(patches.length, 1);
    const patch = (patches[0] as { patch: { queues?: { upsert: Array<{ waiting: number }> }; calls?: unknown } }).patch;
    assert.equal(patch.queues!.upsert[0]!.waiting, 99);
    assert.equal(patch.calls, undefined);
  });

  it('refuses malformed messages and arguments with a clear error and never reaches the connector', async () => {
    const { connector, raw, api } = setup();
    assert.equal(await raw('not json'), undefined);
    assert.equal(await raw(JSON.stringify({ type: 'invoke', id: 1, method: 'rmRf', args: [] })), undefined);
    const bad = [
      { method: 'setPresence', args: ['sleeping'] },
      { method: 'sendChatMessage', args: ['voice/k', ''] },
      { method: 'dial', args: ['voice', 'call me maybe'] },
      { method: 'callAction', args: ['voice/c1'] },
    ];
    for (const [i, request] of bad.entries()) {
      const answer = (await raw(JSON.stringify({ type: 'invoke', id: 100 + i, ...request }))) as { id: number; result: { ok: boolean; error?: string } };
      assert.equal(answer.id, 100 + i);
      assert.equal(answer.result.ok, false, JSON.stringify(request));
      assert.match(answer.result.error!, /^Refused/);
    }
    await assert.rejects(api.setPresence('sleeping' as 'ready'), /^Error: Refused setPresence/);
    assert.deepEqual(connector.commands, []);
  });

  it('routes a valid invocation to the connector that owns the entity, with the platform id', async () => {
    const { connector, api } = setup();
    connector.emit({ type: 'call', call: { id: 'c1', state: 'ringing', actions: ['answer'] } });
    await api.callAction('voice/c1', 'answer');
    assert.deepEqual(connector.commands, [{ type: 'call.action', callId: 'c1', action: 'answer' }]);
    await assert.rejects(api.callAction('voice/c1', 'hold'), /cannot be put through “hold”/);
  });

  it('sends presence to every connected account that accepts it', async () => {
    const { connector, api } = setup();
    await api.setPresence('not-ready', undefined);
    assert.deepEqual(connector.commands, [{ type: 'presence.set', state: 'not-ready' }]);
    await assert.rejects(api.setPresence('wrap-up'));
  });

  it('answers with values: the settings view crosses the wire as plain data', async () => {
    const { api } = setup();
    const view = await api.getSettings();
    assert.equal(view.editable, false);
    assert.equal(view.source, 'the test');
  });

  it('sends a flood of changes as one coalesced patch, but a call that starts ringing on the very next turn, its toast first', async (t) => {
    // The interval is the test's to move: on a loaded machine a turn of the event loop can take
    // longer than 16 ms, which would end the interval before the flood arrives.
    const clock = { ms: 1_000 };
    t.mock.method(performance, 'now', () => clock.ms);
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const connector = new ScriptedConnector();
    const log = createLogger('silent');
    const core = assembleCore({
      accounts: [{ seed: { id: 'voice', vendor: 'enreach', label: 'Voice', demo: false, presenceOptions: ['ready'] }, connector }],
      config: parseConfig({}),
      log,
    });
    const sent: Array<{ type: string; change?: DeskChange }> = [];
    const window = core.hub.open((text) => sent.push(JSON.parse(text) as { type: string; change?: DeskChange }));
    window.receive(JSON.stringify({ type: 'subscribe' }));
    core.onToast((toast) => core.hub.broadcast({ type: 'toast', toast }));
    const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
    try {
      connector.emit({ type: 'queue', queue: { id: 'q', name: 'Sales', waiting: 1 } });
      await nextTurn();
      const afterFirst = sent.length;
      // Right after a change went out, a burst of queue figures waits for the interval's end…
      for (let waiting = 2; waiting < 50; waiting++) connector.emit({ type: 'queue', queue: { id: 'q', name: 'Sales', waiting } });
      await nextTurn();
      assert.equal(sent.length, afterFirst, 'queue figures wait for the interval');
      // …but a ringing call goes on the next turn, with the figures before it in the same patch.
      connector.emit({ type: 'call', call: { id: 'c1', state: 'ringing', caller: '+3584000' } });
      await nextTurn();
      const fresh = sent.slice(afterFirst);
      assert.deepEqual(fresh.map((m) => m.type), ['toast', 'change']);
      const patch = (fresh[1]!.change as { patch: { calls?: { upsert: Array<{ key: string }> }; queues?: { upsert: Array<{ waiting?: number }> } } }).patch;
      assert.deepEqual(patch.calls?.upsert.map((c) => c.key), ['voice/c1']);
      assert.equal(patch.queues?.upsert[0]?.waiting, 49);
      const seqs = sent.flatMap((m) => (m.change ? [m.change.seq] : []));
      assert.deepEqual(seqs, seqs.map((_, i) => seqs[0]! + i), 'seq counts up by one');
      // Whatever was held back still arrives, at the interval's end.
      connector.emit({ type: 'queue', queue: { id: 'q', name: 'Sales', waiting: 50 } });
      const heldBack = (): boolean => sent.some((m) => (m.change as { patch?: { queues?: { upsert: Array<{ waiting?: number }> } } } | undefined)?.patch?.queues?.upsert[0]?.waiting === 50);
      await nextTurn();
      assert.equal(heldBack(), false, 'it waits for the interval');
      clock.ms += CHANGE_INTERVAL_MS;
      t.mock.timers.tick(CHANGE_INTERVAL_MS);
      assert.equal(heldBack(), true, 'the held-back queue figure is sent at the interval\'s end');
    } finally {
      t.mock.timers.reset();
      window.close();
      await core.stop();
    }
  });
});
