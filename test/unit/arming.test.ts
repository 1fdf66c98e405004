/**
 * The inert time of a control whose content just changed (`renderer/lib/arming.ts`), on Node's mock
 * timers: Call in the confirm-dial dialog ignores what it is given for 700 ms after the dialog opens
 * or a new link replaces the one shown, and says when it is ready.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { Arming, SETTLE_MS, type ArmingClock } from '../../renderer/lib/arming.js';

/** The mocked `Date.now` and timers, read at each call (so `mock.timers` controls them). */
const mocked: ArmingClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

describe('a control that arms once its content stands still', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 }));
  afterEach(() => mock.timers.reset());

  it('is inert for 700 ms from when it first shows, then arms once and says so', () => {
    let armedCalls = 0;
    const arming = new Arming(() => (armedCalls += 1), mocked);
    assert.equal(SETTLE_MS, 700);
    assert.equal(arming.armed(), false);
    assert.equal(arming.progress(), 0);
    mock.timers.tick(350);
    assert.equal(arming.armed(), false);
    assert.equal(arming.progress(), 0.5);
    mock.timers.tick(349);
    assert.equal(arming.armed(), false, 'a key 1 ms before the end is still ignored');
    assert.equal(armedCalls, 0);
    mock.timers.tick(1);
    assert.equal(arming.armed(), true);
    assert.equal(arming.progress(), 1);
    assert.equal(armedCalls, 1);
    mock.timers.tick(5_000);
    assert.equal(armedCalls, 1, 'it says so once');
  });

  it('starts the inert time again when the content changes, even just before it would have armed', () => {
    let armedCalls = 0;
    const arming = new Arming(() => (armedCalls += 1), mocked);
    mock.timers.tick(690);
    arming.reset();
    mock.timers.tick(10);
    assert.equal(arming.armed(), false, 'the first timer no longer arms it');
    assert.equal(armedCalls, 0);
    mock.timers.tick(689);
    assert.equal(arming.armed(), false);
    mock.timers.tick(1);
    assert.equal(arming.armed(), true);
    assert.equal(armedCalls, 1);
  });

  it('is inert again after a change once armed, and arms again 700 ms later', () => {
    let armedCalls = 0;
    const arming = new Arming(() => (armedCalls += 1), mocked);
    mock.timers.tick(2_000);
    assert.equal(arming.armed(), true);
    arming.reset();
    assert.equal(arming.armed(), false);
    assert.equal(arming.progress(), 0);
    mock.timers.tick(700);
    assert.equal(arming.armed(), true);
    assert.equal(armedCalls, 2);
  });

  it('does not arm from a timer that fires early, but when the time has really passed', () => {
    // A clock whose first timer fires 100 ms early (a clock that rounds, a throttled tab catching up).
    let first = true;
    const early: ArmingClock = {
      ...mocked,
      setTimeout: (fn, ms) => {
        const wait = first ? ms - 100 : ms;
        first = false;
        return setTimeout(fn, wait);
      },
    };
    const seen: boolean[] = [];
    const arming = new Arming(() => seen.push(arming.armed()), early);
    mock.timers.tick(600);
    assert.deepEqual(seen, [], 'the early timer found it not yet armed and waited on');
    mock.timers.tick(100);
    assert.deepEqual(seen, [true]);
  });

  it('stops its timer when disposed', () => {
    let armedCalls = 0;
    const arming = new Arming(() => (armedCalls += 1), mocked, 300);
    arming.dispose();
    mock.timers.tick(1_000);
    assert.equal(armedCalls, 0);
    assert.equal(arming.armed(), true, 'the time still tells');
  });
});
