import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallPatch, ConnectorEvent, TeamMemberData } from '../../main/desk/events.js';
import type { ChatMessage, DeskState } from '../../common/model.js';
import { ENDED_CHATS_LIMIT, historyGrowth, initialState, reduce, RECENT_CALLS_LIMIT } from '../../main/desk/store.js';
import { diffState } from '../../main/desk/patch.js';
import { activeCalls, agentPresence, callbacksInOrder } from '../../common/selectors.js';

const T0 = '2026-11-20T09:00:00.000Z';

function desk(): DeskState {
  return initialState(
    [
      { id: 'voice', vendor: 'enreach', label: 'Voice', demo: false, presenceOptions: ['ready', 'not-ready'] },
      { id: 'chat', vendor: 'genesys', label: 'Chat', demo: false, presenceOptions: ['ready', 'wrap-up'] },
    ],
    T0,
  );
}

function fold(state: DeskState, accountId: string, ...events: ConnectorEvent[]): DeskState {
  return events.reduce((s, e, i) => reduce(s, { ...e, accountId, at: `2026-11-20T09:00:${String(i).padStart(2, '0')}.000Z` }), state);
}

function message(index: number, text: string, role: 'customer' | 'agent' = 'customer'): ChatMessage {
  return {
    id: `${index}|${text}`,
    index,
    from: { id: role, name: role === 'customer' ? 'Ann' : 'Me', role },
    text,
    at: `2026-11-20T09:01:${String(index).padStart(2, '0')}.000Z`,
    kind: 'text',
  };
}

describe('desk store: calls', () => {
  it('folds the several events of one call into one call, keeping what earlier events said', () => {
    const s = fold(
      desk(),
      'voice',
      { type: 'call', call: { id: 'c1', state: 'ringing', caller: '+358401234567', direction: 'inbound' } },
      { type: 'call', call: { id: 'c1', state: 'ringing', queue: { id: 'q1', name: 'Sales' } } },
      { type: 'call', call: { id: 'c1', state: 'connected' } },
    );
    const calls = activeCalls(s);
    assert.equal(calls.length, 1);
    assert.equal(calls[0]!.caller, '+358401234567');
    assert.equal(calls[0]!.queue?.name, 'Sales');
    assert.equal(calls[0]!.state, 'connected');
    assert.equal(calls[0]!.connectedAt, '2026-11-20T09:00:02.000Z');
    assert.equal(calls[0]!.startedAt, '2026-11-20T09:00:00.000Z');
  });

  it('moves an ended call to the recent list and ignores late events about it', () => {
    const s = fold(
      desk(),
      'voice',
      { type: 'call', call: { id: 'c1', state: 'ringing', caller: '100' } },
      { type: 'call', call: { id: 'c1', state: 'ended', endReason: 'remote' } },
      { type: 'call', call: { id: 'c1', state: 'ringing' } },
    );
    assert.deepEqual(Object.keys(s.calls), []);
    assert.equal(s.recentCalls.length, 1);
    assert.equal(s.recentCalls[0]!.endReason, 'remote');
  });

  it('keys calls per account, so equal ids on two platforms stay two calls', () => {
    let s = fold(desk(), 'voice', { type: 'call', call: { id: 'same', state: 'ringing' } });
    s = fold(s, 'chat', { type: 'call', call: { id: 'same', state: 'ringing' } });
    assert.equal(activeCalls(s).length, 2);
  });

  it('ends calls missing from a re-sync after a reconnect, and keeps the others', () => {
    let s = fold(
      desk(),
      'voice',
      { type: 'call', call: { id: 'a', state: 'connected' } },
      { type: 'call', call: { id: 'b', state: 'held' } },
    );
    s = fold(s, 'voice', { type: 'calls.sync', calls: [{ id: 'b', state: 'connected' }] });
    assert.deepEqual(activeCalls(s).map((c) => [c.id, c.state]), [['b', 'connected']]);
    assert.equal(s.recentCalls[0]!.id, 'a');
    assert.equal(s.recentCalls[0]!.endReason, 'ended while disconnected');
  });

  it('lists ringing calls before connected ones and bounds the recent list', () => {
    let s = fold(desk(), 'voice', { type: 'call', call: { id: 'old', state: 'connected' } });
    s = fold(s, 'voice', { type: 'call', call: { id: 'new', state: 'ringing' } });
    assert.deepEqual(activeCalls(s).map((c) => c.id), ['new', 'old']);
    for (let i = 0; i < RECENT_CALLS_LIMIT + 5; i++) {
      s = fold(s, 'voice', { type: 'call', call: { id: `x${i}`, state: 'ringing' } }, { type: 'call', call: { id: `x${i}`, state: 'ended' } });
    }
    assert.equal(s.recentCalls.length, RECENT_CALLS_LIMIT);
  });

  it('tells the window only the calls that ended since its last state, however full the history, and the whole list once it was edited', () => {
    const end = (s: DeskState, id: string): DeskState => fold(s, 'voice', { type: 'call', call: { id, state: 'ringing' } }, { type: 'call', call: { id, state: 'ended' } });
    let s = desk();
    for (let i = 0; i < RECENT_CALLS_LIMIT; i++) s = end(s, `x${i}`);
    const sent = s;
    s = end(end(s, 'y1'), 'y2');
    assert.equal(historyGrowth(sent.recentCalls, s.recentCalls), 2);
    const patch = diffState(sent, s);
    assert.deepEqual(patch?.recentCallsDelta?.added.map((c) => c.id), ['y2', 'y1']);
    assert.equal(patch?.recentCallsDelta?.kept, RECENT_CALLS_LIMIT - 2);
    // A wrap-up reason given to a call in the history edits the list: no longer "calls put at its head".
    const edited = reduce(s, { type: 'wrapup.reason-set', accountId: 'voice', callId: 'x100', reason: { code: 'sale', label: 'Sale' } });
    assert.equal(historyGrowth(s.recentCalls, edited.recentCalls), undefined);
    assert.equal(historyGrowth(sent.recentCalls, end(edited, 'y3').recentCalls), undefined);
    assert.equal(diffState(s, edited)?.recentCalls, edited.recentCalls);
    // Two histories made beside each other from the same state are not one grown from the other.
    const [left, right] = [end(sent, 'z1'), end(end(sent, 'z2'), 'z3')];
    assert.equal(historyGrowth(left.recentCalls, right.recentCalls), undefined);
    assert.equal(historyGrowth(sent.recentCalls, right.recentCalls), 2);
    assert.deepEqual(diffState(left, right)?.recentCalls?.slice(0, 2).map((c) => c.id), ['z3', 'z2']);
  });

  it('ignores a late event of any call still in the history, and shows a call again once its entry left the history', () => {
    const late = (s: DeskState, id: string): DeskState => fold(s, 'voice', { type: 'call', call: { id, state: 'ringing' } });
    let s = desk();
    for (let i = 0; i < RECENT_CALLS_LIMIT + 2; i++) {
      s = fold(s, 'voice', { type: 'call', call: { id: `x${i}`, state: 'ringing' } }, { type: 'call', call: { id: `x${i}`, state: 'ended' } });
      // Asked between calls, as a stream asks: the newest and the oldest kept entries stay ended.
      if (i % 50 === 0) assert.equal(activeCalls(late(s, `x${Math.max(0, i - RECENT_CALLS_LIMIT + 1)}`)).length, 0);
    }
    for (const id of ['x2', 'x250', `x${RECENT_CALLS_LIMIT + 1}`]) assert.equal(late(s, id), s, `a late event of ${id} changes nothing`);
    // x0 and x1 were dropped from the history (the oldest go first): the desk no longer knows they
    // ended, so an event about such an id is a call again.
    assert.deepEqual(activeCalls(late(s, 'x1')).map((c) => c.id), ['x1']);
    // An earlier state still answers from its own history (the desk's states are values).
    const early = fold(desk(), 'voice', { type: 'call', call: { id: 'x1', state: 'ringing' } }, { type: 'call', call: { id: 'x1', state: 'ended' } });
    assert.equal(late(early, 'x1'), early);
    assert.deepEqual(activeCalls(late(s, 'x1')).map((c) => c.id), ['x1']);
  });
});

describe('desk store: chats', () => {
  it('shows every message exactly once, in index order, however often and in whatever order it arrives', () => {
    let s = fold(desk(), 'chat', { type: 'chat', chat: { id: 'k', state: 'active' } });
    s = fold(s, 'chat', { type: 'chat.messages', chatId: 'k', messages: [message(2, 'second'), message(1, 'first')] });
    s = fold(s, 'chat', { type: 'chat.messages', chatId: 'k', messages: [message(1, 'first'), message(3, 'third')] });
    s = fold(s, 'chat', { type: 'chat.messages', chatId: 'k', messages: [message(2, 'second')] });
    const chat = s.chats['chat/k']!;
    assert.deepEqual(chat.messages.map((m) => m.text), ['first', 'second', 'third']);
    assert.equal(chat.unread, 3);
  });

  it('keeps two different messages that share an index (as the Genesys example does)', () => {
    const s = fold(desk(), 'chat', {
      type: 'chat.messages',
      chatId: 'k',
      messages: [message(3, 'How may I help you?', 'agent'), message(3, 'Are you still there?', 'agent')],
    });
    assert.equal(s.chats['chat/k']!.messages.length, 2);
  });

  it('counts unread customer lines only and clears them when the agent reads the chat', () => {
    let s = fold(desk(), 'chat', {
      type: 'chat.messages',
      chatId: 'k',
      messages: [message(1, 'hi'), message(2, 'hello, how can I help', 'agent'), message(3, 'my order')],
    });
    assert.equal(s.chats['chat/k']!.unread, 2);
    s = reduce(s, { type: 'chat.read', chatKey: 'chat/k' });
    assert.equal(s.chats['chat/k']!.unread, 0);
  });

  it('shows an operation error on the chat until a patch clears it', () => {
    let s = fold(desk(), 'chat', { type: 'chat', chat: { id: 'k', state: 'active', error: 'SendMessage failed' } });
    s = fold(s, 'chat', { type: 'chat', chat: { id: 'k', participants: [] } });
    assert.equal(s.chats['chat/k']!.error, 'SendMessage failed');
    s = fold(s, 'chat', { type: 'chat', chat: { id: 'k', error: undefined } });
    assert.equal(s.chats['chat/k']!.error, undefined);
  });

  it('does not reopen an ended chat, and lets the agent dismiss it', () => {
    let s = fold(desk(), 'chat', { type: 'chat', chat: { id: 'k', state: 'ended' } }, { type: 'chat', chat: { id: 'k', state: 'active' } });
    assert.equal(s.endedChats['chat/k']!.state, 'ended');
    assert.equal(s.chats['chat/k'], undefined, 'an ended chat is not among the live ones');
    s = reduce(s, { type: 'chat.dismiss', chatKey: 'chat/k' });
    assert.equal(s.endedChats['chat/k'], undefined);
  });

  it('ends chats missing from a re-sync', () => {
    let s = fold(desk(), 'chat', { type: 'chat', chat: { id: 'a', state: 'active' } }, { type: 'chat', chat: { id: 'b', state: 'active' } });
    s = fold(s, 'chat', { type: 'chats.sync', chats: [{ id: 'b' }] });
    assert.equal(s.endedChats['chat/a']!.state, 'ended');
    assert.equal(s.chats['chat/a'], undefined);
    assert.equal(s.chats['chat/b']!.state, 'active');
  });
});

describe('desk store: callbacks, queues, accounts', () => {
  const callback = {
    id: 'cb1',
    contactNumber: '+358501112223',
    createdAt: '2026-11-20T08:00:00.000Z',
    assignedToMe: true,
    attempts: 0,
  };

  it('shows a callback once however often it is updated, and takes it off when closed', () => {
    let s = fold(desk(), 'voice', { type: 'callback', callback, closed: false }, { type: 'callback', callback: { ...callback, note: 'VIP' }, closed: false });
    assert.equal(Object.keys(s.callbacks).length, 1);
    assert.equal(s.callbacks['voice/cb1']!.note, 'VIP');
    s = fold(s, 'voice', { type: 'callback', callback, closed: true });
    assert.deepEqual(Object.keys(s.callbacks), [], 'no callback left (a slice is a prototype-less record)');
  });

  it('orders callbacks that are due first, then the newest first', () => {
    const s = fold(
      desk(),
      'voice',
      { type: 'callback', callback: { ...callback, id: 'old', createdAt: '2026-11-20T07:00:00.000Z' }, closed: false },
      { type: 'callback', callback: { ...callback, id: 'new', createdAt: '2026-11-20T08:30:00.000Z' }, closed: false },
      { type: 'callback', callback: { ...callback, id: 'due', dueAt: '2026-11-20T10:00:00.000Z' }, closed: false },
    );
    assert.deepEqual(callbacksInOrder(s, Date.parse('2026-11-20T11:00:00.000Z')).map((c) => c.id), ['due', 'new', 'old']);
    // Before it is due, a callback with a due time waits its turn by age like the others.
    assert.deepEqual(callbacksInOrder(s, Date.parse('2026-11-20T09:00:00.000Z')).map((c) => c.id), ['new', 'due', 'old']);
  });

  it('merges queue counters into the queue the agent serves, keeping its name', () => {
    let s = fold(desk(), 'voice', { type: 'queues.sync', queues: [{ id: 'q1', name: 'Sales' }] });
    s = fold(s, 'voice', { type: 'queue', queue: { id: 'q1', waiting: 4, longestWaitSec: 95, open: 'open' } });
    const q = s.queues['voice/q1']!;
    assert.equal(q.name, 'Sales');
    assert.equal(q.waiting, 4);
    assert.equal(q.longestWaitSec, 95);
  });

  it('tracks each account connection with its reason, and the presence the agent shares across accounts', () => {
    let s = fold(desk(), 'voice', { type: 'connection', state: 'reconnecting', reason: 'socket closed', attempt: 2 });
    assert.equal(s.accounts.voice!.connection, 'reconnecting');
    assert.equal(s.accounts.voice!.reason, 'socket closed');
    s = fold(s, 'voice', { type: 'connection', state: 'connected' }, { type: 'presence', presence: { state: 'ready', label: 'Available' } });
    assert.equal(s.accounts.voice!.reason, undefined);
    assert.equal(agentPresence(s), 'ready');
    s = fold(s, 'chat', { type: 'connection', state: 'connected' }, { type: 'presence', presence: { state: 'wrap-up', label: 'AfterCallWork' } });
    assert.equal(agentPresence(s), 'mixed');
  });

  it('keeps what a platform sent of a colleague, a callback and a call member for member, in its order, whatever the members are called', () => {
    // JSON text makes an own `__proto__` member: it stays a member, never the entity's prototype.
    const member = JSON.parse('{"id":"a1","name":"Ann","__proto__":{"role":"supervisor"},"role":"agent","presence":{"state":"ready","label":"Ready"},"onCall":false}') as TeamMemberData;
    let s = fold(desk(), 'voice', { type: 'team', member }, { type: 'callback', callback: { ...callback, note: 'VIP' }, closed: false });
    const shown = s.team['voice/a1']!;
    assert.equal(Object.getPrototypeOf(shown), Object.prototype);
    assert.equal(JSON.stringify(shown), JSON.stringify({ ...member, key: 'voice/a1', accountId: 'voice' }));
    assert.equal(JSON.stringify(s.callbacks['voice/cb1']), JSON.stringify({ ...callback, note: 'VIP', key: 'voice/cb1', accountId: 'voice' }));
    // A call with many members (more than a copy by members adds cheaply) keeps them all, in order, live and in the history.
    const userData = { a: '1' };
    const many = { id: 'c1', caller: '+1', target: '+2', userData, legId: 'l1', endReason: 'x', consultOf: undefined, placedBy: 'CRM', canDial: true, note1: '1', note2: '2', note3: '3', note4: '4', note5: '5', note6: '6' };
    s = fold(s, 'voice', { type: 'call', call: { ...many, state: 'ringing' } as CallPatch });
    assert.deepEqual(Object.keys(s.calls['voice/c1']!), ['direction', 'state', 'actions', 'startedAt', 'id', 'caller', 'target', 'userData', 'legId', 'endReason', 'placedBy', 'canDial', 'note1', 'note2', 'note3', 'note4', 'note5', 'note6', 'key', 'accountId']);
    s = fold(s, 'voice', { type: 'call', call: { id: 'c1', state: 'connected' } }, { type: 'call', call: { id: 'c1', state: 'ended' } });
    const past = s.recentCalls[0]!;
    assert.deepEqual(Object.keys(past), ['direction', 'state', 'actions', 'startedAt', 'id', 'caller', 'target', 'userData', 'legId', 'endReason', 'placedBy', 'canDial', 'note1', 'note2', 'note3', 'note4', 'note5', 'note6', 'key', 'accountId', 'connectedAt', 'endedAt', 'outcome', 'account']);
    assert.equal(past.state, 'ended');
    assert.equal(past.userData, userData);
  });

  it('changes an account or the state by the members an event names, keeping every other member as it was, even one that is undefined', () => {
    let s = initialState([{ id: 'voice', vendor: 'enreach', label: 'Voice', demo: false, presenceOptions: ['ready'], notice: 'No chats here' }], T0, undefined, {
      calls: [],
      missedUnseen: 0,
      notice: 'The history could not be read.',
    });
    s = reduce(s, { type: 'screenpops.set', pops: {} });
    s = reduce(s, { type: 'dial.pending', pending: { id: 'd1', link: 'tel:1', number: '1', at: T0 } });
    // A connection that is not up keeps its reason members, undefined ones too.
    s = fold(s, 'voice', { type: 'connection', state: 'reconnecting', attempt: 1 });
    const account = s.accounts.voice!;
    assert.ok('reason' in account && account.reason === undefined);
    for (const [event, member] of [
      [{ type: 'talking', talking: true }, { talking: true }],
      [{ type: 'presence', presence: { state: 'ready', label: 'Ready' } }, { presence: { state: 'ready', label: 'Ready' } }],
      [{ type: 'wrapup', wrapUp: null }, { wrapUp: undefined }],
    ] as const) {
      const next = fold(s, 'voice', event as ConnectorEvent);
      assert.deepStrictEqual(next.accounts.voice, { ...account, ...member });
      assert.deepStrictEqual(Object.keys(next).sort(), Object.keys(s).sort());
      assert.deepStrictEqual({ ...next, accounts: s.accounts }, { ...s });
    }
  });

  it('returns the same state object when an event changes nothing', () => {
    const s = fold(desk(), 'voice', { type: 'talking', talking: false });
    const again = reduce(s, { type: 'talking', talking: false, accountId: 'voice', at: T0 });
    assert.equal(again, s);
    assert.equal(reduce(s, { type: 'chat.read', chatKey: 'nope' }), s);
  });
});

describe('desk store: ended chats', () => {
  it('keeps the latest started ended chats, dropping the earliest started past the limit, however they ended', () => {
    let s = desk();
    // Chats started in a shuffled order (start minute m), each ended right after it started; two share a start.
    const minutes = Array.from({ length: ENDED_CHATS_LIMIT + 3 }, (_, i) => (i * 17) % (ENDED_CHATS_LIMIT + 3));
    minutes.push(minutes[5]!);
    minutes.forEach((m, i) => {
      const at = `2026-11-20T09:${String(Math.floor(m / 60) + 10).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}.000Z`;
      s = reduce(s, { type: 'chat', accountId: 'chat', at, chat: { id: `c${i}`, state: 'invited' } });
      s = reduce(s, { type: 'chat', accountId: 'chat', at, chat: { id: `c${i}`, state: 'ended' } });
    });
    const kept = Object.values(s.endedChats);
    assert.equal(kept.length, ENDED_CHATS_LIMIT);
    const starts = kept.map((c) => c.startedAt).sort();
    const all = minutes.map((m) => `2026-11-20T09:${String(Math.floor(m / 60) + 10).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}.000Z`).sort();
    assert.deepEqual(starts, all.slice(all.length - ENDED_CHATS_LIMIT), 'the earliest started went');
  });
});
