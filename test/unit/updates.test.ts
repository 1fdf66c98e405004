/**
 * Updates an administrator controls (issue 22, point 4; `main/updates.ts`): whether the app checks,
 * how a fleet's checks are spread, and the restart: asked, never while the agent serves a customer.
 * A fake electron-updater on Node's mock timers.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import type { Call, Chat, DeskState } from '../../common/model.js';
import { parseConfig } from '../../main/config.js';
import { initialState } from '../../main/desk/store.js';
import { createLogger } from '../../main/log.js';
import { busyWithCustomers, FIRST_CHECK_MS, FIRST_CHECK_SPREAD_MS, startUpdates, updatePlan, type UpdatePlan } from '../../main/updates.js';
import { FakeUpdater } from '../support/fake-updater.js';

const SERVER = 'https://updates.example.com/agent-companion/';
const HOUR = 3_600_000;

const updates = (section: Record<string, unknown>) => parseConfig({ updates: section }).updates;
const quiet = (): DeskState => initialState([], new Date(0).toISOString());
const withCall = (state: Call['state']): DeskState => ({ ...quiet(), calls: { 'a/1': { key: 'a/1', state } as Call } });

/** Lets promise chains run (setImmediate is not mocked). */
async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** A desk whose state the test sets; subscribers hear every change. */
function fakeDesk(initial: DeskState) {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    get state() {
      return state;
    },
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(next: DeskState) {
      state = next;
      for (const listener of [...listeners]) listener();
    },
    listeners: () => listeners.size,
  };
}

/** Update checks on mock timers; `answers` are the agent's, in order (true: Restart now). */
function rig(t: TestContext, options: { desk?: DeskState; answers?: boolean[]; random?: number } = {}) {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 });
  const updater = new FakeUpdater();
  const desk = fakeDesk(options.desk ?? quiet());
  const asked: Array<{ version: string; busy: boolean }> = [];
  const answers = [...(options.answers ?? [])];
  let answer: ((restart: boolean) => void) | undefined;
  const plan = updatePlan(updates({ url: SERVER, channel: 'beta', checkEveryHours: 6 }), false) as Extract<UpdatePlan, { kind: 'on' }>;
  const running = startUpdates({
    updater,
    plan,
    desk,
    log: createLogger('silent'),
    random: () => options.random ?? 0.5,
    ask: (version) => {
      asked.push({ version, busy: busyWithCustomers(desk.state) });
      const next = answers.shift();
      if (next !== undefined) return Promise.resolve(next);
      return new Promise<boolean>((resolve) => (answer = resolve));
    },
  });
  t.after(() => running.stop());
  return { updater, desk, asked, running, answerOpenQuestion: (restart: boolean) => answer?.(restart) };
}

describe('whether the app checks for updates', () => {
  it('checks only with an update server; a managed install only when told to, an unmanaged one unless told not to', () => {
    assert.equal(updatePlan(updates({}), false).kind, 'off', 'no server, nothing to check');
    assert.equal(updatePlan(updates({ url: SERVER }), false).kind, 'on');
    assert.equal(updatePlan(updates({ url: SERVER, enabled: false }), false).kind, 'off');
    assert.match((updatePlan(updates({ url: SERVER }), true) as { reason: string }).reason, /managed install .* updates\.enabled \(policy Updates\)/);
    assert.deepEqual(updatePlan(updates({ url: SERVER, enabled: true, channel: 'beta', checkEveryHours: 24 }), true), { kind: 'on', url: SERVER, channel: 'beta', checkEveryMs: 24 * HOUR });
  });

  it('refuses an update server that is not https, or a channel it does not know, naming the field', () => {
    assert.throws(() => updates({ url: 'http://updates.example.com/' }), /updates\.url.*https/);
    assert.throws(() => updates({ channel: 'nightly' }), /updates\.channel/);
    assert.throws(() => updates({ checkEveryHours: 0.1 }), /updates\.checkEveryHours/);
  });

  it('counts a call on the desk, a wrap-up and an active chat as serving a customer; an ended call or an invitation not', () => {
    assert.equal(busyWithCustomers(quiet()), false);
    for (const state of ['ringing', 'dialing', 'queued', 'connected', 'held'] as const) assert.equal(busyWithCustomers(withCall(state)), true, state);
    assert.equal(busyWithCustomers(withCall('ended')), false);
    const chat = (state: Chat['state']): DeskState => ({ ...quiet(), chats: { 'a/c': { key: 'a/c', state } as Chat } });
    assert.equal(busyWithCustomers(chat('active')), true);
    assert.equal(busyWithCustomers(chat('invited')), false);
  });
});

describe('update checks of a fleet', () => {
  it('asks the administrator’s server on its channel, first a random 1–31 min after start, then every 6 h and up to a fifth more', async (t) => {
    const { updater } = rig(t, { random: 0.5 });
    assert.deepEqual(updater.feeds, [{ provider: 'generic', url: SERVER, channel: 'beta' }]);
    assert.equal(updater.autoDownload, true);
    assert.equal(updater.autoInstallOnAppQuit, true, 'a downloaded update is installed at the next quit whatever the agent answers');
    assert.equal(updater.allowDowngrade, false);
    const first = FIRST_CHECK_MS + FIRST_CHECK_SPREAD_MS * 0.5;
    t.mock.timers.tick(first - 1);
    assert.equal(updater.checks.length, 0);
    t.mock.timers.tick(1);
    await flush();
    assert.deepEqual(updater.checks, [first]);
    t.mock.timers.tick(6 * HOUR * 1.1);
    await flush();
    assert.deepEqual(updater.checks, [first, first + 6 * HOUR * 1.1]);
  });

  it('keeps checking after a server that could not be reached', async (t) => {
    const { updater } = rig(t, { random: 0 });
    updater.failChecks = new Error('getaddrinfo ENOTFOUND updates.example.com');
    t.mock.timers.tick(FIRST_CHECK_MS);
    await flush();
    t.mock.timers.tick(6 * HOUR);
    await flush();
    assert.equal(updater.checks.length, 2);
  });
});

describe('the restart for an update', () => {
  it('asks the agent, and restarts into the installer on "Restart now"', async (t) => {
    const { updater, asked } = rig(t, { answers: [true] });
    updater.downloaded('2.4.0');
    await flush();
    assert.deepEqual(asked, [{ version: '2.4.0', busy: false }]);
    assert.deepEqual(updater.installs, [[false, true]]);
  });

  it('never asks during a call: the question waits until the call ended, then comes once', async (t) => {
    const { updater, desk, asked } = rig(t, { desk: withCall('connected'), answers: [false] });
    updater.downloaded('2.4.0');
    await flush();
    assert.deepEqual(asked, [], 'not during the call');
    desk.set(withCall('held'));
    assert.deepEqual(asked, [], 'nor while the caller is held');
    desk.set(withCall('ended'));
    await flush();
    assert.deepEqual(asked, [{ version: '2.4.0', busy: false }]);
    assert.equal(desk.listeners(), 0, 'it stopped following the desk');
    assert.deepEqual(updater.installs, [], '"Later": no restart (installed at the next quit)');
    updater.downloaded('2.4.0');
    await flush();
    assert.equal(asked.length, 1, 'the same version is not asked about again');
  });

  it('does not restart on "Restart now" when a call began while the question was open: it asks again after that call', async (t) => {
    const { updater, desk, asked, answerOpenQuestion } = rig(t);
    updater.downloaded('2.4.0');
    await flush();
    assert.equal(asked.length, 1);
    desk.set(withCall('ringing'));
    answerOpenQuestion(true);
    await flush();
    assert.deepEqual(updater.installs, [], 'no restart with a call ringing');
    desk.set(quiet());
    await flush();
    assert.equal(asked.length, 2, 'asked again once the desk was free');
  });

  it('asks about a newer version downloaded after "Later"', async (t) => {
    const { updater, asked } = rig(t, { answers: [false, true] });
    updater.downloaded('2.4.0');
    await flush();
    updater.downloaded('2.5.0');
    await flush();
    assert.deepEqual(
      asked.map((a) => a.version),
      ['2.4.0', '2.5.0'],
    );
    assert.equal(updater.installs.length, 1);
  });
});
