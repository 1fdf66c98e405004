/**
 * What the agent is doing beside their presence (issue 11, point 2): one pure selector the window
 * and the tray both read, and the words they both show.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConnectorEvent } from '../../main/desk/events.js';
import type { DeskState } from '../../common/model.js';
import { activityText, agentActivity } from '../../common/selectors.js';
import { initialState, reduce } from '../../main/desk/store.js';

const AT = '2026-11-20T09:00:01.000Z';
const T = Date.parse(AT);

function desk(): DeskState {
  let s = initialState(
    [
      { id: 'voice', vendor: 'enreach', label: 'Voice', demo: false, presenceOptions: ['ready', 'not-ready'] },
      { id: 'chat', vendor: 'genesys', label: 'Chat', demo: false, presenceOptions: ['ready', 'not-ready'] },
    ],
    '2026-11-20T09:00:00.000Z',
  );
  s = fold(s, 'voice', { type: 'connection', state: 'connected' }, { type: 'presence', presence: { state: 'ready', label: 'Available' } });
  return fold(s, 'chat', { type: 'connection', state: 'connected' }, { type: 'presence', presence: { state: 'ready', label: 'Ready' } });
}

function fold(state: DeskState, accountId: string, ...events: ConnectorEvent[]): DeskState {
  return events.reduce((s, e) => reduce(s, { ...e, accountId, at: AT }), state);
}

describe('what the agent is doing', () => {
  it('is nothing on an idle desk', () => {
    assert.equal(agentActivity(desk()), undefined);
  });

  it('is "On a call" with the time since it was connected, on any account, and "On hold" when every call is held', () => {
    const s = fold(desk(), 'chat', { type: 'call', call: { id: 'c1', state: 'connected' } });
    const activity = agentActivity(s);
    assert.deepEqual(activity, { kind: 'on-call', calls: 1, held: false, since: AT, accountId: 'chat' });
    assert.equal(activityText(activity!, T + 192_000), 'On a call 03:12');
    assert.equal(activityText(activity!, T + 3_723_000), 'On a call 1:02:03');
    assert.equal(activityText(activity!, undefined), 'On a call', 'no time on a desk that is not live');
    const held = fold(s, 'chat', { type: 'call', call: { id: 'c1', state: 'held' } });
    assert.equal(activityText(agentActivity(held)!, T + 20_000), 'On hold 00:20');
  });

  it('puts a call before a ringing one, a ringing one before wrap-up, and wrap-up before a chat', () => {
    let s = fold(desk(), 'chat', { type: 'chat', chat: { id: 'k1', state: 'active', participants: [] } });
    assert.equal(activityText(agentActivity(s)!, T), 'In a chat');
    s = fold(s, 'voice', { type: 'wrapup', wrapUp: { startedAt: AT } });
    assert.equal(activityText(agentActivity(s)!, T + 70_000), 'Wrap-up 01:10', 'an open-ended wrap-up counts up');
    s = fold(s, 'voice', { type: 'call', call: { id: 'r1', state: 'ringing' } }, { type: 'call', call: { id: 'r2', state: 'ringing' } });
    assert.equal(activityText(agentActivity(s)!, T), '2 calls ringing');
    s = fold(s, 'chat', { type: 'call', call: { id: 'c1', state: 'connected' } });
    assert.equal(agentActivity(s)?.kind, 'on-call');
  });

  it('counts a time-limited wrap-up down to its end', () => {
    const s = fold(desk(), 'voice', { type: 'wrapup', wrapUp: { startedAt: AT, endsAt: new Date(T + 60_000).toISOString() } });
    const activity = agentActivity(s)!;
    assert.equal(activityText(activity, T + 18_000), 'Wrap-up 00:42 left');
    assert.equal(activityText(activity, T + 58_500), 'Wrap-up 00:01 left');
    assert.equal(activityText(activity, T + 90_000), 'Wrap-up 00:00 left');
  });

  it('ignores a call the platform has not confirmed since it reconnected, and counts an account that only says the agent is talking', () => {
    let s = fold(desk(), 'voice', { type: 'call', call: { id: 'c1', state: 'connected' } });
    s = { ...s, calls: { 'voice/c1': { ...s.calls['voice/c1']!, stale: true } } };
    assert.equal(agentActivity(s), undefined);
    s = fold(s, 'chat', { type: 'talking', talking: true });
    assert.equal(activityText(agentActivity(s)!, T), 'On a call');
    // An account that says "talking" while its call rings is ringing.
    s = fold(s, 'chat', { type: 'call', call: { id: 'r1', state: 'ringing' } });
    assert.equal(activityText(agentActivity(s)!, T), 'Ringing');
  });
});
