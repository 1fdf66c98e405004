import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALERT_MEMORY_LIMIT, decideToasts, toastsToClose, type AlertMemory } from '../../main/desk/alerts.js';
import type { ConnectorEvent } from '../../main/desk/events.js';
import type { DeskState, FocusTarget } from '../../common/model.js';
import { initialState, reduce } from '../../main/desk/store.js';
import { trayAction, trayModel } from '../../main/desk/tray.js';

function desk(): DeskState {
  return initialState(
    [
      { id: 'voice', vendor: 'enreach', label: 'Voice', demo: false, presenceOptions: ['ready', 'not-ready', 'do-not-disturb', 'offline'] },
      { id: 'chat', vendor: 'genesys', label: 'Chat', demo: false, presenceOptions: ['ready', 'not-ready', 'wrap-up'] },
    ],
    '2026-11-20T09:00:00.000Z',
  );
}

function fold(state: DeskState, accountId: string, ...events: ConnectorEvent[]): DeskState {
  return events.reduce((s, e) => reduce(s, { ...e, accountId, at: '2026-11-20T09:00:01.000Z' }), state);
}

describe('alert policy', () => {
  it('raises exactly one toast per ringing call, whatever the platform repeats', () => {
    let memory: AlertMemory = new Set();
    let s = fold(desk(), 'voice', { type: 'call', call: { id: 'c1', state: 'ringing', caller: '+358401234567', queue: { name: 'Sales' } } });
    const first = decideToasts(s, memory);
    memory = first.memory;
    assert.equal(first.toasts.length, 1);
    assert.equal(first.toasts[0]!.title, 'Incoming call from +358401234567');
    assert.equal(first.toasts[0]!.body, 'To Sales · Voice');
    assert.deepEqual(first.toasts[0]!.target, { kind: 'call', key: 'voice/c1' });

    s = fold(s, 'voice', { type: 'call', call: { id: 'c1', state: 'ringing', target: '+35810' } });
    s = fold(s, 'voice', { type: 'calls.sync', calls: [{ id: 'c1', state: 'ringing' }] });
    const again = decideToasts(s, memory);
    assert.equal(again.toasts.length, 0);
    assert.equal(again.memory, memory, 'memory is unchanged when nothing new was decided');
  });

  it('remembers the last 2 000 decisions, forgetting the oldest first, and never toasts a remembered call twice', () => {
    let memory: AlertMemory = new Set();
    let s = desk();
    let raised = 0;
    for (let n = 0; n < ALERT_MEMORY_LIMIT + 150; n++) {
      s = fold(s, 'voice', { type: 'call', call: { id: `c${n}`, state: 'ringing' } });
      const decided = decideToasts(s, memory);
      raised += decided.toasts.length;
      memory = decided.memory;
      assert.equal(decideToasts(s, memory).toasts.length, 0, 'decided once');
      s = fold(s, 'voice', { type: 'call', call: { id: `c${n}`, state: 'ended' } });
    }
    assert.equal(raised, ALERT_MEMORY_LIMIT + 150);
    assert.equal(memory.size, ALERT_MEMORY_LIMIT);
    assert.equal(memory.has('call:voice/c0'), false, 'the oldest forgotten');
    assert.equal(memory.has('call:voice/c149'), false);
    assert.equal(memory.has('call:voice/c150'), true);
    assert.equal(memory.has(`call:voice/c${ALERT_MEMORY_LIMIT + 149}`), true, 'the newest kept');
  });

  it('keeps every memory it handed out as it was: a later decision, two made from one memory, or a forgotten call ringing again change none', () => {
    const ring = (s: DeskState, n: number): DeskState => fold(s, 'voice', { type: 'call', call: { id: `c${n}`, state: 'ringing' } });
    let memory: AlertMemory = new Set();
    const kept: Array<{ memory: AlertMemory; upTo: number }> = [];
    for (let n = 0; n < 2 * ALERT_MEMORY_LIMIT + 10; n++) {
      memory = decideToasts(ring(desk(), n), memory).memory;
      if (n % 701 === 0) kept.push({ memory, upTo: n });
    }
    // A memory made earlier still decides as it did: a call it held is not toasted, one after it is.
    const fork = kept[1]!;
    const a = decideToasts(ring(desk(), 5_000), fork.memory);
    const b = decideToasts(ring(desk(), 5_001), fork.memory);
    assert.equal(a.toasts.length, 1);
    assert.equal(b.toasts.length, 1);
    assert.equal(a.memory.has('call:voice/c5001'), false, 'two memories made from one hold their own decisions only');
    assert.equal(b.memory.has('call:voice/c5000'), false);
    // c0 was forgotten: ringing again it is decided again, and the memories that held it still do.
    assert.equal(decideToasts(ring(desk(), 0), memory).toasts.length, 1);
    memory = decideToasts(ring(desk(), 0), memory).memory;
    for (const { memory: old, upTo } of kept) {
      assert.equal(old.size, Math.min(upTo + 1, ALERT_MEMORY_LIMIT), `the memory after c${upTo} keeps its size`);
      assert.equal(old.has(`call:voice/c${upTo}`), true, `the memory after c${upTo} holds it`);
      assert.equal(old.has(`call:voice/c${upTo + 1}`), false, `the memory after c${upTo} holds nothing decided later`);
      assert.equal(old.has('call:voice/c0'), upTo < ALERT_MEMORY_LIMIT, `the memory after c${upTo} holds c0 as it did`);
    }
    assert.equal(memory.has('call:voice/c0'), true);
    assert.equal(memory.size, ALERT_MEMORY_LIMIT);
  });

  it('raises no toast for a call on an account in do-not-disturb, and none later for the same call', () => {
    let s = fold(desk(), 'voice', { type: 'presence', presence: { state: 'do-not-disturb', label: 'DoNotDisturb' } });
    s = fold(s, 'voice', { type: 'call', call: { id: 'c1', state: 'ringing', caller: '1' } });
    const quiet = decideToasts(s, new Set());
    assert.equal(quiet.toasts.length, 0);
    s = fold(s, 'voice', { type: 'presence', presence: { state: 'ready', label: 'Available' } });
    assert.equal(decideToasts(s, quiet.memory).toasts.length, 0);
    s = fold(s, 'voice', { type: 'call', call: { id: 'c2', state: 'ringing', caller: '2' } });
    assert.equal(decideToasts(s, quiet.memory).toasts.length, 1);
  });

  it('raises no toast for a connected or outbound dialing call', () => {
    const s = fold(
      desk(),
      'voice',
      { type: 'call', call: { id: 'a', state: 'connected' } },
      { type: 'call', call: { id: 'b', state: 'dialing', direction: 'outbound' } },
    );
    assert.equal(decideToasts(s, new Set()).toasts.length, 0);
  });

  it('raises one toast per chat invitation, naming the customer', () => {
    const s = fold(desk(), 'chat', {
      type: 'chat',
      chat: { id: 'k', state: 'invited', participants: [{ id: 'p', name: 'Ann Customer', role: 'customer' }] },
    });
    const { toasts, memory } = decideToasts(s, new Set());
    assert.equal(toasts.length, 1);
    assert.equal(toasts[0]!.title, 'New chat from Ann Customer');
    assert.equal(decideToasts(s, memory).toasts.length, 0);
  });

  it('honours the agent turning call toasts off', () => {
    const s = fold(desk(), 'voice', { type: 'call', call: { id: 'c1', state: 'ringing' } });
    assert.equal(decideToasts(s, new Set(), { calls: false, chats: true }).toasts.length, 0);
  });
});

describe('closing toasts that no longer apply', () => {
  /** The toasts a state raises, as the core keeps them open (id → target). */
  function raised(state: DeskState): Map<string, FocusTarget> {
    return new Map(decideToasts(state, new Set()).toasts.map((t) => [t.id, t.target]));
  }

  it('closes a call’s toast when the call is answered elsewhere, declined, or disappears — and only that one', () => {
    let s = fold(desk(), 'voice', { type: 'call', call: { id: 'c1', state: 'ringing', caller: '1' } }, { type: 'call', call: { id: 'c2', state: 'ringing', caller: '2' } });
    const open = raised(s);
    assert.equal(open.size, 2);
    assert.deepEqual(toastsToClose(s, open), [], 'both still ring');

    s = fold(s, 'voice', { type: 'call', call: { id: 'c1', state: 'connected' } });
    assert.deepEqual(toastsToClose(s, open), ['call:voice/c1'], 'answered (here or on the phone)');
    open.delete('call:voice/c1');

    s = fold(s, 'voice', { type: 'calls.sync', calls: [] });
    assert.deepEqual(toastsToClose(s, open), ['call:voice/c2'], 'gone from the platform');
  });

  it('closes an ended call’s toast, and keeps the toast of a call the platform has not confirmed since a reconnect', () => {
    let s = fold(desk(), 'voice', { type: 'call', call: { id: 'c1', state: 'ringing' } });
    const open = raised(s);
    s = fold(s, 'voice', { type: 'call', call: { id: 'c1', state: 'ringing', stale: true } });
    assert.equal(s.calls['voice/c1']?.stale, true, 'unconfirmed since the reconnect');
    assert.deepEqual(toastsToClose(s, open), [], 'may still ring');
    s = fold(s, 'voice', { type: 'call', call: { id: 'c1', state: 'ended' } });
    assert.deepEqual(toastsToClose(s, open), ['call:voice/c1']);
  });

  it('closes a chat invitation’s toast once the chat is accepted or ended', () => {
    let s = fold(desk(), 'chat', { type: 'chat', chat: { id: 'k', state: 'invited', participants: [{ id: 'p', name: 'Ann', role: 'customer' }] } });
    const open = raised(s);
    assert.deepEqual(toastsToClose(s, open), []);
    s = fold(s, 'chat', { type: 'chat', chat: { id: 'k', state: 'active' } });
    assert.deepEqual(toastsToClose(s, open), ['chat:chat/k']);
  });

  it('answers with one shared empty list when nothing is open or nothing stopped (no allocation on the hot path)', () => {
    const s = fold(desk(), 'voice', { type: 'call', call: { id: 'c1', state: 'ringing' } });
    const none = toastsToClose(s, new Map());
    assert.equal(toastsToClose(s, raised(s)), none);
  });
});

describe('tray model', () => {
  it('offers the presences some account accepts, checks the shared one, and routes clicks', () => {
    let s = fold(desk(), 'voice', { type: 'connection', state: 'connected' }, { type: 'presence', presence: { state: 'ready', label: 'Available' } });
    s = fold(s, 'chat', { type: 'connection', state: 'connected' }, { type: 'presence', presence: { state: 'ready', label: 'Ready' } });
    const model = trayModel(s);
    const radios = model.items.filter((i) => i.kind === 'radio');
    assert.deepEqual(radios.map((r) => r.text), ['Ready', 'Not ready', 'Wrap-up', 'Do not disturb', 'Offline']);
    assert.deepEqual(radios.filter((r) => r.checked).map((r) => r.id), ['presence:ready']);
    assert.equal(model.icon, 'ready');
    assert.deepEqual(trayAction('presence:not-ready'), { kind: 'presence', state: 'not-ready' });
    assert.deepEqual(trayAction('presence:bogus'), undefined);
    assert.deepEqual(trayAction('quit'), { kind: 'quit' });
  });

  it('shows each account on its own line, with the vendor label beside the canonical presence', () => {
    const s = fold(desk(), 'voice', { type: 'connection', state: 'connected' }, { type: 'presence', presence: { state: 'not-ready', label: 'BRB' } });
    const labels = trayModel(s).items.filter((i) => i.kind === 'label').map((i) => (i.kind === 'label' ? i.text : ''));
    assert.deepEqual(labels, ['Not ready', 'Voice: Not ready · BRB', 'Chat: connecting…'], 'the headline, then a line per account');
  });

  it('signals a ringing call and a failed account in the icon, tooltip and a reconnect item', () => {
    let s = fold(desk(), 'chat', { type: 'connection', state: 'failed', reason: 'wrong password' });
    let model = trayModel(s);
    assert.equal(model.icon, 'trouble');
    assert.match(model.tooltip, /1 account needs attention/);
    assert.ok(model.items.some((i) => i.kind === 'action' && i.id === 'retry:chat'));
    s = fold(s, 'voice', { type: 'call', call: { id: 'c1', state: 'ringing' } });
    model = trayModel(s);
    assert.equal(model.icon, 'ringing');
    assert.match(model.tooltip, /^Presence unknown · Ringing — 1 account needs attention — Agent Companion$/);
  });

  it('says first what the agent is doing beside their presence: "Ready · On a call 03:12", counting', () => {
    let s = fold(desk(), 'voice', { type: 'connection', state: 'connected' }, { type: 'presence', presence: { state: 'ready', label: 'Available' } });
    s = fold(s, 'chat', { type: 'connection', state: 'connected' }, { type: 'presence', presence: { state: 'ready', label: 'Ready' } });
    s = fold(s, 'voice', { type: 'call', call: { id: 'c1', state: 'connected' } });
    const connectedAt = Date.parse('2026-11-20T09:00:01.000Z');
    const model = trayModel(s, connectedAt + 192_000);
    assert.deepEqual(model.items[0], { kind: 'label', text: 'Ready · On a call 03:12' });
    assert.match(model.tooltip, /^Ready · On a call 03:12 — Agent Companion$/);
    assert.deepEqual(trayModel(s, connectedAt + 193_000).items[0], { kind: 'label', text: 'Ready · On a call 03:13' });
  });

  it('lists each account’s presence instead of "Mixed", and offers a submenu per account that sets only that account', () => {
    let s = fold(desk(), 'voice', { type: 'connection', state: 'connected' }, { type: 'presence', presence: { state: 'ready', label: 'Available' } });
    s = fold(s, 'chat', { type: 'connection', state: 'connected' }, { type: 'presence', presence: { state: 'not-ready', label: 'Not ready', reason: 'Lunch' } });
    s = fold(s, 'chat', { type: 'presence.reasons', reasons: [{ state: 'not-ready', code: '2', label: 'Lunch' }, { state: 'not-ready', code: '3', label: 'Training' }] });
    const model = trayModel(s);
    assert.doesNotMatch(JSON.stringify([model.tooltip, model.items]), /Mixed/i, "no words say Mixed");
    assert.deepEqual(model.items[0], { kind: 'label', text: 'Voice: Ready, Chat: Not ready' });
    assert.match(model.tooltip, /^Voice: Ready, Chat: Not ready — /);
    const perAccount = model.items.filter((i): i is Extract<typeof i, { kind: 'submenu' }> => i.kind === 'submenu' && /^(Voice|Chat): /.test(i.text));
    assert.deepEqual(perAccount.map((i) => i.text), ['Voice: Ready · Available', 'Chat: Not ready · Lunch']);
    const voice = perAccount[0]!.items;
    assert.deepEqual(voice.map((i) => ('id' in i ? `${i.id}${i.kind === 'radio' && i.checked ? ' ✓' : ''}` : i.kind)), [
      'account-presence:voice:ready ✓',
      'account-presence:voice:not-ready',
      'account-presence:voice:do-not-disturb',
      'account-presence:voice:offline',
    ]);
    // Chat's Not ready opens its own reasons, Lunch checked.
    const notReady = perAccount[1]!.items.find((i): i is Extract<typeof i, { kind: 'submenu' }> => i.kind === 'submenu');
    assert.deepEqual(notReady?.items.map((i) => ('id' in i ? `${i.text}${i.kind === 'radio' && i.checked ? ' ✓' : ''}` : '—')), ['Lunch ✓', 'Training', '—', 'Not ready (no reason)']);
    assert.deepEqual(trayAction('account-presence:chat:not-ready:3'), { kind: 'account-presence', accountId: 'chat', state: 'not-ready', reason: '3' });
    assert.deepEqual(trayAction('account-presence:voice:ready'), { kind: 'account-presence', accountId: 'voice', state: 'ready' });
    assert.equal(trayAction('account-presence:voice:bogus'), undefined);
  });

  it('offers no per-account submenu with only one account that takes presence from the agent', () => {
    const s = fold(desk(), 'voice', { type: 'connection', state: 'connected' }, { type: 'presence', presence: { state: 'ready', label: 'Available' } });
    assert.equal(trayModel(s).items.filter((i) => i.kind === 'submenu').length, 0);
  });

  it('says a call rings (the icon flashes between the ring and the resting icon) and a chat invitation waits', () => {
    let s = fold(desk(), 'voice', { type: 'connection', state: 'connected' }, { type: 'presence', presence: { state: 'ready', label: 'Available' } });
    s = fold(s, 'chat', { type: 'connection', state: 'connected' }, { type: 'presence', presence: { state: 'ready', label: 'Ready' } });
    let model = trayModel(s);
    assert.deepEqual([model.ringing, model.invited, model.icon, model.restingIcon], [false, false, 'ready', 'ready']);
    s = fold(s, 'voice', { type: 'call', call: { id: 'c1', state: 'ringing' } });
    model = trayModel(s);
    assert.deepEqual([model.ringing, model.icon, model.restingIcon], [true, 'ringing', 'ready']);
    s = fold(s, 'voice', { type: 'call', call: { id: 'c1', state: 'connected' } });
    assert.equal(trayModel(s).ringing, false);
    s = fold(s, 'chat', { type: 'chat', chat: { id: 'k', state: 'invited', participants: [{ id: 'p', name: 'Ann', role: 'customer' }] } });
    model = trayModel(s);
    assert.deepEqual([model.ringing, model.invited, model.icon], [false, true, 'ready'], 'an invitation is quieter: no ringing icon');
  });
});
