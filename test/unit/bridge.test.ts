import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { applyChange, type DeskChange } from '../../common/patch.js';
import { ACK_WAIT_MS, BridgeHub, encodePatch, type BridgeConnection } from '../../main/bridge.js';
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

  it('hands a window that subscribes while team members changed in place the team as it is, and both windows stay whole', () => {
    const { connector, desk, hub, changes } = setup();
    const member = (id: string, state: 'ready' | 'not-ready' | 'wrap-up', name = `Agent ${id}`) => connector.emit({ type: 'team', member: { id, name, presence: { state, label: state }, onCall: false } });
    for (let i = 0; i < 5; i++) member(String(i), 'ready');
    hub.flush();
    // Set in place in the desk's team slice: the state last sent holds these too by now.
    member('1', 'wrap-up');
    connector.emit({ type: 'team.remove', memberId: '2' });
    member('5', 'not-ready');
    // A second window (a web-host tab) subscribes before the next message.
    const second: DeskChange[] = [];
    const connection = hub.open((text) => void second.push((JSON.parse(text) as { change: DeskChange }).change));
    connection.receive(JSON.stringify({ type: 'subscribe' }));
    member('1', 'ready', 'Agent One');
    member('2', 'wrap-up');
    connector.emit({ type: 'team.remove', memberId: '5' });
    hub.flush();
    const fold = (list: DeskChange[]) => list.reduce<ReturnType<typeof applyChange>>((v, c) => applyChange(v, c) ?? v, undefined)!.state;
    assert.ok('full' in second[0]!);
    assert.deepEqual(fold(second), asJson(desk.state), 'the window that subscribed late');
    assert.deepEqual(fold(changes), asJson(desk.state), 'the first window');
    assert.equal(Object.keys(desk.state.team).length, 5);
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
    // It took the full state (and said so), never the patch after the gap: it asks again instead.
    assert.deepEqual(asked.map((t) => JSON.parse(t) as unknown), [{ type: 'ack', seq: 0 }, { type: 'subscribe' }]);
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
    const last = changes.at(-1) as { patch: { recentCalls?: unknown; recentCallsDelta?: { added: Array<{ key: string }>; kept: number } } };
    assert.equal(last.patch.recentCalls, undefined);
    assert.deepEqual(last.patch.recentCallsDelta?.added.map((c) => c.key), ['voice/c24']);
    // The window had the call live: what it knows of it (its 200 characters of call data) does not travel again.
    assert.ok(!JSON.stringify(last.patch.recentCallsDelta).includes('x'.repeat(200)), 'an ended call travels as what its ending changed');
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

  /** A core with one account, and windows on the wire that take changes when the test says so. */
  function paced(t: TestContext) {
    // Time is the test's to move: on a loaded machine a turn of the event loop can take longer
    // than any interval, which would end a wait before the flood arrives.
    const clock = { ms: 1_000 };
    t.mock.method(performance, 'now', () => clock.ms);
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const connector = new ScriptedConnector();
    const core = assembleCore({
      accounts: [{ seed: { id: 'voice', vendor: 'enreach', label: 'Voice', demo: false, presenceOptions: ['ready'] }, connector }],
      config: parseConfig({}),
      log: createLogger('silent'),
    });
    type Sent = { type: string; change?: DeskChange & { patch?: { queues?: { upsert: Array<{ waiting?: number }> } } } };
    const open = () => {
      const sent: Sent[] = [];
      const connection = core.hub.open((text) => sent.push(JSON.parse(text) as Sent));
      connection.receive(JSON.stringify({ type: 'subscribe' }));
      const lastSeq = (): number => sent.flatMap((m) => (m.change ? [m.change.seq] : [])).at(-1)!;
      /** The window took every change it got. */
      const ack = (): void => connection.receive(JSON.stringify({ type: 'ack', seq: lastSeq() }));
      const waitingSent = (waiting: number): boolean => sent.some((m) => m.change?.patch?.queues?.upsert[0]?.waiting === waiting);
      ack();
      return { sent, connection, ack, waitingSent };
    };
    const queue = (waiting: number) => connector.emit({ type: 'queue', queue: { id: 'q', name: 'Sales', waiting } });
    /** Moves the clock by `ms`, runs the timers due, then a turn of the event loop. */
    const pass = async (ms: number): Promise<void> => {
      clock.ms += ms;
      t.mock.timers.tick(ms);
      await new Promise((resolve) => setImmediate(resolve));
    };
    const stop = async (): Promise<void> => {
      t.mock.timers.reset();
      await core.stop();
    };
    return { core, connector, open, queue, pass, stop };
  }

  it('holds the desk’s changes while the window has not taken the last one and sends them merged when it has, but a call that starts ringing goes on the very next turn, its toast first', async (t) => {
    const { core, connector, open, queue, pass, stop } = paced(t);
    const { sent, ack, waitingSent, connection } = open();
    core.onToast((toast) => core.hub.broadcast({ type: 'toast', toast }));
    try {
      queue(1);
      await pass(0);
      assert.equal(waitingSent(1), true, 'a change goes at once to a window that took the last one');
      const afterFirst = sent.length;
      // The window has not said it took that change: a burst of queue figures waits, merged…
      for (let waiting = 2; waiting < 50; waiting++) queue(waiting);
      await pass(ACK_WAIT_MS / 10);
      assert.equal(sent.length, afterFirst, 'queue figures wait for the window');
      // …but a ringing call goes on the next turn, with the figures before it in the same patch.
      connector.emit({ type: 'call', call: { id: 'c1', state: 'ringing', caller: '+3584000' } });
      await pass(0);
      const fresh = sent.slice(afterFirst);
      assert.deepEqual(fresh.map((m) => m.type), ['toast', 'change']);
      const patch = (fresh[1]!.change as { patch: { calls?: { upsert: Array<{ key: string }> }; queues?: { upsert: Array<{ waiting?: number }> } } }).patch;
      assert.deepEqual(patch.calls?.upsert.map((c) => c.key), ['voice/c1']);
      assert.equal(patch.queues?.upsert[0]?.waiting, 49);
      // What arrives after it waits until the window has taken it, then goes; even a ringing call
      // waits once the window owes two (a window that cannot keep up gets no queue).
      queue(50);
      connector.emit({ type: 'call', call: { id: 'c2', state: 'ringing', caller: '+3584001' } });
      await pass(ACK_WAIT_MS / 10);
      assert.equal(waitingSent(50), false, 'it waits for the window');
      assert.equal(sent.filter((m) => m.type === 'change').length, 3, 'no third change to a window that owes two');
      ack();
      await pass(ACK_WAIT_MS / 10);
      assert.equal(waitingSent(50), true, 'the held-back queue figure is sent once the window took the last change');
      // A window that never answers holds changes back no longer than ACK_WAIT_MS.
      queue(51);
      await pass(ACK_WAIT_MS - 1);
      assert.equal(waitingSent(51), false, 'it waits for the window a while');
      await pass(1);
      assert.equal(waitingSent(51), true, 'then sends without its answer');
      queue(52);
      await pass(ACK_WAIT_MS - 1);
      assert.equal(waitingSent(52), false, 'a silent window gets the next change after another wait, not at once');
      await pass(1);
      assert.equal(waitingSent(52), true);
      const seqs = sent.flatMap((m) => (m.change ? [m.change.seq] : []));
      assert.deepEqual(seqs, seqs.map((_, i) => seqs[0]! + i), 'seq counts up by one');
    } finally {
      connection.close();
      await stop();
    }
  });

  it('paces several windows by the slowest, each change serialised once for all, and a closed window holds nothing back', async (t) => {
    const { open, queue, pass, stop } = paced(t);
    const fast = open();
    const slow = open();
    try {
      queue(1);
      await pass(0);
      const texts = (w: { sent: unknown[] }) => w.sent.slice(1).map((m) => JSON.stringify(m));
      assert.deepEqual(texts(fast), texts(slow), 'both windows get the same change');
      fast.ack();
      queue(2);
      await pass(ACK_WAIT_MS / 10);
      assert.equal(fast.waitingSent(2), false, 'the fast window waits for the slow one');
      slow.ack();
      await pass(ACK_WAIT_MS / 10);
      assert.equal(fast.waitingSent(2) && slow.waitingSent(2), true, 'both get it once both took the last');
      fast.ack();
      queue(3);
      await pass(ACK_WAIT_MS / 10);
      assert.equal(fast.waitingSent(3), false);
      slow.connection.close();
      queue(4);
      await pass(ACK_WAIT_MS / 10);
      assert.equal(fast.waitingSent(4), true, 'a closed window is not waited for');
    } finally {
      fast.connection.close();
      await stop();
    }
  });
});

describe('a change’s text', () => {
  it('is what JSON.stringify writes of the whole message, whatever the patch holds', () => {
    const patches = [
      { calls: { upsert: [{ key: 'a/1', state: 'ringing', userData: { 'Line "1"': 'x\ny\u2028', nested: [1, null, { deep: true }] } }], remove: [] } },
      { recentCallsDelta: { added: [{ key: 'a/1', live: true, state: 'ended', unset: ['error'] }], kept: 3 }, missedUnseen: 0 },
      { historyNotice: null, chats: { upsert: [{ key: 'a/c', messages: [], messagesFrom: 2, unread: 0 }], remove: ['a/d'] } },
      {},
    ];
    for (const [i, patch] of patches.entries()) {
      const seq = [1, 42, 9_007_199_254_740_991, 7][i]!;
      assert.equal(encodePatch(seq, patch as never), JSON.stringify({ type: 'change', change: { seq, patch } }));
    }
  });
});
