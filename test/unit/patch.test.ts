import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { diffState, teamSentOf } from '../../main/desk/patch.js';
import { initialState, mergeTouched, reduce, type SliceOwner, type StoreAction, type Touched } from '../../main/desk/store.js';
import { applyPatch, SLICES, type DeskPatch, type PatchOwner, type SlicePatch } from '../../common/patch.js';
import type { ChatMessage, DeskState } from '../../common/model.js';

/**
 * The window rebuilds the desk from patches that carry only the members that changed: whatever
 * the desk went through between two messages, the window's copy after the patch is the desk's
 * state, as the wire carries it (JSON text both ways).
 */
const AT = '2026-12-05T09:00:00.000Z';
const seeds = ['a', 'b'].map((id) => ({ id, vendor: 'test', label: `Account ${id}`, demo: false, presenceOptions: ['ready' as const, 'not-ready' as const] }));

/** What crosses the wire: the JSON text's value (members `undefined` gone, slices plain objects). */
const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const account = fc.constantFrom('a', 'b');
const id = fc.constantFrom('1', '2', '3');
const at = fc.integer({ min: 0, max: 9 }).map((s) => `2026-12-05T09:00:0${s}.000Z`);
const text = fc.constantFrom('x', 'y', '');
const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined });
const presence = fc.record({ state: fc.constantFrom('ready' as const, 'not-ready' as const, 'offline' as const), label: text, since: at }, { requiredKeys: ['state'] });
const line = fc.record({ id, index: fc.integer({ min: 0, max: 5 }), at, text, kind: fc.constantFrom('text' as const, 'notice' as const), role: fc.constantFrom('agent' as const, 'customer' as const) }).map(
  ({ role, ...m }): ChatMessage => ({ ...m, id: `m${m.id}${m.index}`, from: { id: role, name: role, role } }),
);
const callPatch = fc.record(
  {
    id,
    state: fc.constantFrom('ringing' as const, 'connected' as const, 'held' as const, 'ended' as const),
    caller: text,
    actions: fc.subarray(['answer', 'hangup', 'hold'] as const),
    userData: fc.dictionary(fc.constantFrom('Topic', 'Account'), text, { maxKeys: 2 }),
    error: fc.constantFrom('failed', undefined),
  },
  { requiredKeys: ['id'] },
);
const chatPatch = fc.record(
  {
    id,
    state: fc.constantFrom('invited' as const, 'active' as const, 'ended' as const),
    participants: fc.constantFrom([], [{ id: 'c', name: 'Customer', role: 'customer' as const }]),
    error: fc.constantFrom('failed', undefined),
  },
  { requiredKeys: ['id'] },
);
const member = fc.record({ id, name: text, presence, onCall: fc.boolean(), group: maybe(text) });

/** Actions of every kind the store folds, on a few ids, so that entities come, change, go and come back. */
const action: fc.Arbitrary<StoreAction> = fc.oneof(
  fc.record({ accountId: account, at, type: fc.constant('connection' as const), state: fc.constantFrom('connected' as const, 'reconnecting' as const), reason: maybe(text), attempt: maybe(fc.nat(3)) }),
  fc.record({ accountId: account, at, type: fc.constant('presence' as const), presence }),
  fc.record({ accountId: account, at, type: fc.constant('talking' as const), talking: fc.boolean() }),
  fc.record({ accountId: account, at, type: fc.constant('wrapup' as const), wrapUp: fc.option(fc.record({ startedAt: at, callId: maybe(id) }), { nil: null }) }),
  fc.record({ accountId: account, at, type: fc.constant('prompt' as const), prompt: fc.option(fc.record({ id, message: text, choices: fc.constant([{ id: 'ok', label: 'OK' }]) }), { nil: null }) }),
  fc.record({ accountId: account, at, type: fc.constant('call' as const), call: callPatch }),
  fc.record({ accountId: account, at, type: fc.constant('calls.sync' as const), calls: fc.array(callPatch, { maxLength: 2 }) }),
  fc.record({ accountId: account, at, type: fc.constant('chat' as const), chat: chatPatch }),
  fc.record({ accountId: account, at, type: fc.constant('chat.messages' as const), chatId: id, messages: fc.array(line, { minLength: 1, maxLength: 3 }) }),
  fc.record({ type: fc.constant('chat.read' as const), chatKey: fc.tuple(account, id).map(([a, c]) => `${a}/${c}`) }),
  fc.record({ type: fc.constant('chat.dismiss' as const), chatKey: fc.tuple(account, id).map(([a, c]) => `${a}/${c}`) }),
  fc.record({ accountId: account, at, type: fc.constant('queue' as const), queue: fc.record({ id, waiting: fc.nat(3), name: maybe(text) }, { requiredKeys: ['id'] }) }),
  fc.record({
    accountId: account,
    at,
    type: fc.constant('callback' as const),
    closed: fc.boolean(),
    callback: fc.record({ id, contactNumber: text, note: maybe(text), createdAt: at, assignedToMe: fc.boolean(), attempts: fc.nat(2) }),
  }),
  fc.record({ accountId: account, at, type: fc.constant('team' as const), member }),
  fc.record({ accountId: account, at, type: fc.constant('team.remove' as const), memberId: id }),
  fc.record({ accountId: account, at, type: fc.constant('team.sync' as const), members: fc.array(member, { maxLength: 2 }) }),
  fc.record({ type: fc.constant('call.error' as const), callKey: fc.tuple(account, id).map(([a, c]) => `${a}/${c}`), message: maybe(text) }),
) as fc.Arbitrary<StoreAction>;

/** A patch with each slice's upserts and removals in key order (the window applies them by key). */
function ordered(patch: DeskPatch | undefined): unknown {
  if (!patch) return patch;
  const out: Record<string, unknown> = { ...patch };
  for (const slice of SLICES) {
    const sp = patch[slice] as SlicePatch<{ key?: string; id: string }> | undefined;
    const keyOf = (e: { key?: string; id?: string }): string => e.key ?? e.id!;
    if (sp) out[slice] = { upsert: [...sp.upsert].sort((a, b) => keyOf(a).localeCompare(keyOf(b))), remove: [...sp.remove].sort() };
  }
  return out;
}

/** Histories cut into messages: each inner list is what the desk folds between two patches. */
const histories = fc.array(fc.array(action, { maxLength: 6 }), { minLength: 1, maxLength: 12 });

describe('the window’s copy of the desk, rebuilt from member patches', () => {
  it('is the desk’s state after every message, whatever the desk folded between two messages', () => {
    fc.assert(
      fc.property(histories, (messages) => {
        let state: DeskState = initialState(seeds, AT);
        let window = wire(state);
        // The window's team slice is changed in place after its first patch, as the window does.
        const owner: PatchOwner = {};
        for (const folds of messages) {
          const sent = state;
          const touched: Touched = {};
          for (const a of folds) {
            const one: Touched = {};
            state = reduce(state, a, one);
            mergeTouched(touched, one);
          }
          const patch = diffState(sent, state, touched);
          // Without what was touched (every slice compared whole), the same patch.
          assert.deepEqual(ordered(patch), ordered(diffState(sent, state)));
          if (patch) window = applyPatch(window, wire<DeskPatch>(patch), owner);
          assert.deepEqual(wire(window), wire(state));
        }
      }),
      { numRuns: 400 },
    );
  });

  it('is the desk’s state after every message when the desk sets team members in place and the sender keeps the team as sent', () => {
    fc.assert(
      fc.property(histories, fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }), (messages, handedOut) => {
        let state: DeskState = initialState(seeds, AT);
        let window = wire(state);
        const owner: PatchOwner = {};
        // The desk's owner of its team slice (`Desk.peek` leaves it owned across messages); now and
        // then another reader takes the state (`Desk.state`), and the next fold copies the team again.
        const desk: SliceOwner = {};
        const sent = teamSentOf(state.team);
        messages.forEach((folds, i) => {
          const last = state;
          const touched: Touched = {};
          for (const a of folds) {
            const one: Touched = {};
            state = reduce(state, a, one, desk);
            mergeTouched(touched, one);
          }
          const patch = diffState(last, state, touched, sent);
          if (patch) window = applyPatch(window, wire<DeskPatch>(patch), owner);
          assert.deepEqual(wire(window), wire(state));
          assert.deepEqual(wire(Object.fromEntries(sent)), wire(state.team), 'the team as sent is the team');
          if (handedOut[i]) desk.team = undefined;
        });
      }),
      { numRuns: 400 },
    );
  });

  it('sends of a known entity only its key and the members that changed', () => {
    let state = initialState(seeds, AT);
    const fold = (a: object): void => void (state = reduce(state, { accountId: 'a', at: AT, ...a } as StoreAction));
    fold({ type: 'call', call: { id: '1', state: 'ringing', caller: '+3581', userData: { Topic: 'Billing' }, actions: ['answer'] } });
    fold({ type: 'connection', state: 'reconnecting', reason: 'network' });
    const sent = state;
    fold({ type: 'call', call: { id: '1', state: 'connected', caller: '+3581', userData: { Topic: 'Billing' }, actions: ['hangup'] } });
    fold({ type: 'talking', talking: true });
    fold({ type: 'connection', state: 'connected' });
    const patch = wire(diffState(sent, state)!);
    const connectedAt = state.calls['a/1']!.connectedAt;
    assert.deepEqual(patch.calls?.upsert, [{ key: 'a/1', state: 'connected', actions: ['hangup'], connectedAt }], 'the caller and the call data stay with the window');
    assert.deepEqual(patch.accounts?.upsert, [{ id: 'a', connection: 'connected', talking: true, unset: ['reason'] }], 'a flag costs the flag, not the account');
    assert.equal(applyPatch(wire(sent), patch).accounts.a?.reason, undefined, 'the reason of the lost connection leaves the window');
  });

  it('sends a call that ended, which the window had live, as what its ending changed', () => {
    let state = initialState(seeds, AT);
    const fold = (a: object): void => void (state = reduce(state, { accountId: 'a', at: AT, ...a } as StoreAction));
    fold({ type: 'call', call: { id: '1', state: 'connected', caller: '+3581', userData: { Topic: 'Billing' }, actions: ['hangup'] } });
    fold({ type: 'call.error', callKey: 'a/1', message: 'failed' });
    const sent = state;
    fold({ type: 'call', call: { id: '1', state: 'ended', actions: [] } });
    const patch = wire(diffState(sent, state)!);
    const [entry] = patch.recentCallsDelta!.added;
    assert.equal((entry as { live?: boolean }).live, true);
    assert.equal('caller' in entry! || 'userData' in entry!, false, 'the caller and the call data stay with the window');
    assert.deepEqual((entry as { unset?: string[] }).unset, ['error'], 'the failure only a live call shows leaves');
    assert.deepEqual(wire(applyPatch(wire(sent), patch)), wire(state));
  });
});
