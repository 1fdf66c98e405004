import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideToasts, type AlertMemory } from '../../main/desk/alerts.js';
import { diffState } from '../../main/desk/patch.js';
import { applyPatch, SLICES, type SlicePatch } from '../../common/patch.js';
import { initialState, mergeTouched, reduce, type Touched } from '../../main/desk/store.js';
import type { ChatMessage, DeskState } from '../../common/model.js';
import { createLogger } from '../../main/log.js';
import { testedPlatforms } from '../support/platform-testing.js';

const log = createLogger('silent');
const AT = '2026-12-05T09:00:00.000Z';

/**
 * The patch from `prev` to `next` with each slice's upserts and removals in key order: a window
 * applies them by key, so their order changes nothing it shows. `null`: no patch.
 */
function shown(prev: DeskState, next: DeskState, touched?: Touched): unknown {
  const patch = diffState(prev, next, touched);
  if (!patch) return null;
  const out: Record<string, unknown> = { ...patch };
  for (const slice of SLICES) {
    const sp = patch[slice] as SlicePatch<{ key?: string; id: string }> | undefined;
    if (!sp) continue;
    const keyOf = (e: { key?: string; id: string }): string => e.key ?? e.id;
    out[slice] = { upsert: [...sp.upsert].sort((a, b) => keyOf(a).localeCompare(keyOf(b))), remove: [...sp.remove].sort() };
  }
  return out;
}

/**
 * The window is told what changed from the keys the store says it touched, and toasts are decided
 * from them: every platform's own stream, folded event by event, must give the window the same
 * patches and the agent the same toasts as comparing the whole desk did.
 */
const tested = await testedPlatforms();

/** A state as it crosses the wire (slices without a prototype become plain objects). */
const plain = (state: DeskState): unknown => JSON.parse(JSON.stringify(state));

/** Chats that ended in the platforms' streams (a stream need not end any: 3C's holds conversations open). */
let endedInStreams = 0;

describe('what the store says it touched', () => {
  for (const platform of tested) {
    const bench = platform.bench;
    if (!bench) continue;
    it(`${platform.name}: the patches and toasts from the touched keys are those of the whole desk`, () => {
      const parse = bench.parser(log);
      let state: DeskState = initialState([{ id: 'a', vendor: platform.id, label: platform.name, demo: false, presenceOptions: [] }], AT);
      let sent = state;
      let gathered: Touched = {};
      let memoryAll: AlertMemory = new Set();
      let memoryTouched: AlertMemory = new Set();
      let patches = 0;
      // The window's copy, folded from the patches alone, as `renderer/lib/desk.svelte.ts` does.
      let window: DeskState = state;
      let ended = 0;
      const frames = bench.frames(3_000);
      for (let i = 0; i < frames.length; i++) {
        for (const event of parse(frames[i])) {
          const touched: Touched = {};
          const next = reduce(state, { ...event, accountId: 'a', at: AT }, touched);
          if (next === state) continue;
          assert.deepEqual(shown(state, next, touched), shown(state, next), `frame ${i}: one event's change`);
          // Live chats and ended ones each in their own slice: a chat that ends leaves the live one.
          for (const key of touched.chats instanceof Set ? touched.chats : []) assert.notEqual(next.chats[key]?.state, 'ended', `frame ${i}: ${key} ended but is still among the live chats`);
          for (const key of touched.endedChats instanceof Set ? touched.endedChats : []) {
            if (!next.endedChats[key]) continue;
            assert.equal(next.endedChats[key].state, 'ended', `frame ${i}: ${key} among the ended chats`);
            assert.equal(next.chats[key], undefined, `frame ${i}: ${key} both live and ended`);
            if (!state.endedChats[key]) ended++;
          }
          const all = decideToasts(next, memoryAll);
          const some = decideToasts(next, memoryTouched, undefined, touched);
          assert.deepEqual(some.toasts, all.toasts, `frame ${i}: the toasts`);
          memoryAll = all.memory;
          memoryTouched = some.memory;
          mergeTouched(gathered, touched);
          state = next;
        }
        // The bridge sends what gathered over a few events (a message per frame at 60 Hz).
        if (i % 7 === 6) {
          const patch = diffState(sent, state, gathered);
          assert.deepEqual(shown(sent, state, gathered), shown(sent, state), `frame ${i}: the gathered change`);
          if (patch) patches++;
          if (patch) window = applyPatch(window, patch);
          sent = state;
          gathered = {};
        }
      }
      assert.ok(patches > 100, `the stream changed the desk (${patches} patches)`);
      const last = diffState(sent, state, gathered);
      if (last) window = applyPatch(window, last);
      // The window shows what the desk holds: every live and ended chat, whole (lines sent once, across the move).
      assert.deepEqual(plain(window), plain(state), 'the window folded from the patches holds the desk');
      endedInStreams += ended;
    });
  }
  it('some stream ended chats, so the move to the ended chats was checked above', () => {
    assert.ok(endedInStreams > 0, `chats ended in the streams: ${endedInStreams}`);
  });
});

describe('a chat that ends', () => {
  const seed = [{ id: 'a', vendor: 'test', label: 'Test', demo: false, presenceOptions: [] }];
  const line = (index: number): ChatMessage => ({ id: `m${index}`, index, at: AT, kind: 'text', text: `line ${index}`, from: { id: 'c', name: 'Customer', role: 'customer' } });

  it('moves to the ended chats, and a window that missed its last lines gets them with it, sent once', () => {
    let state = initialState(seed, AT);
    const fold = (event: object): void => void (state = reduce(state, { ...event, accountId: 'a', at: AT } as never));
    fold({ type: 'chat', chat: { id: 'c1', state: 'active' } });
    fold({ type: 'chat.messages', chatId: 'c1', messages: [line(1), line(2)] });
    const sent = state;
    fold({ type: 'chat.messages', chatId: 'c1', messages: [line(3)] });
    fold({ type: 'chat', chat: { id: 'c1', state: 'ended' } });
    assert.equal(state.chats['a/c1'], undefined);
    assert.equal(state.endedChats['a/c1']?.state, 'ended');
    const patch = diffState(sent, state)!;
    assert.deepEqual(patch.chats?.remove, ['a/c1'], 'it leaves the live chats');
    assert.deepEqual(
      patch.endedChats?.upsert[0]?.messages.map((m) => m.text),
      ['line 3'],
      'only the line the window had not seen travels',
    );
    const window = applyPatch(sent, patch);
    assert.deepEqual(window.endedChats['a/c1']?.messages.map((m) => m.text), ['line 1', 'line 2', 'line 3']);
    assert.equal(window.chats['a/c1'], undefined);
  });

  it('a line that comes with a cleared error and a new participant reaches the window whole', () => {
    let state = initialState(seed, AT);
    const fold = (event: object): void => void (state = reduce(state, { ...event, accountId: 'a', at: AT } as never));
    fold({ type: 'chat', chat: { id: 'c1', state: 'active', error: 'Send failed' } });
    fold({ type: 'chat.messages', chatId: 'c1', messages: [line(1)] });
    const sent = state;
    fold({ type: 'chat.messages', chatId: 'c1', messages: [line(2)] });
    const grown = diffState(sent, state)!;
    assert.deepEqual(Object.keys(grown.chats!.upsert[0]!).sort(), ['key', 'messages', 'messagesFrom', 'unread'], 'only the line and the unread count travel');
    assert.deepEqual(plain(applyPatch(sent, grown)), plain(state));
    fold({ type: 'chat', chat: { id: 'c1', error: undefined, participants: [{ id: 'x', name: 'Xavier', role: 'colleague' }] } });
    fold({ type: 'chat.messages', chatId: 'c1', messages: [line(3)] });
    const window = applyPatch(sent, diffState(sent, state)!);
    assert.equal(window.chats['a/c1']?.error, undefined, 'the cleared error is cleared in the window');
    assert.deepEqual(plain(window), plain(state));
  });

  it('takes a late line where it is, and is put away from the ended chats', () => {
    let state = initialState(seed, AT);
    const fold = (event: object): void => void (state = reduce(state, { ...event, accountId: 'a', at: AT } as never));
    fold({ type: 'chat', chat: { id: 'c1', state: 'active' } });
    fold({ type: 'chat', chat: { id: 'c1', state: 'ended' } });
    fold({ type: 'chat.messages', chatId: 'c1', messages: [line(1)] });
    assert.equal(state.chats['a/c1'], undefined, 'a late line does not bring an ended chat back to life');
    assert.deepEqual(state.endedChats['a/c1']?.messages.map((m) => m.text), ['line 1']);
    state = reduce(state, { type: 'chat.dismiss', chatKey: 'a/c1' });
    assert.equal(state.endedChats['a/c1'], undefined);
  });

  it("keeps live chats apart from the ended ones: a live chat's line neither copies nor lists them", () => {
    let state = initialState(seed, AT);
    const fold = (event: object, touched?: Touched): void => void (state = reduce(state, { ...event, accountId: 'a', at: AT } as never, touched));
    for (let i = 0; i < 30; i++) {
      fold({ type: 'chat', chat: { id: `old${i}`, state: 'active' } });
      fold({ type: 'chat', chat: { id: `old${i}`, state: 'ended' } });
    }
    fold({ type: 'chat', chat: { id: 'live', state: 'active' } });
    const ended = state.endedChats;
    const touched: Touched = {};
    fold({ type: 'chat.messages', chatId: 'live', messages: [line(1)] }, touched);
    assert.equal(state.endedChats, ended, 'the ended chats are the same object');
    assert.deepEqual(Object.keys(state.chats), ['a/live']);
    assert.equal(Object.keys(state.endedChats).length, 30);
    assert.deepEqual(touched, { chats: new Set(['a/live']) });
  });
});
