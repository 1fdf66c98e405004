/**
 * The conformance suite: every registered platform (`main/vendors/index.ts`) against its own
 * simulator, through the whole core, proving its connector heals itself the same way
 * (ARCHITECTURE.md, principle 4). A platform added to the registry is tested here without anyone
 * writing a test: its module's `startConformanceRig` (required by the module's type) is all the
 * suite needs.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { appLogger, startCore, type Core } from '../../main/app.js';
import { parseConfig } from '../../main/config.js';
import type { DeskState, PresenceState } from '../../common/model.js';
import { platforms, type AnyPlatform } from '../../main/vendors/index.js';
import { SESSION_ENDINGS, type ConformanceRig, type RaisedEntity, type RawAccount, type SessionEnding } from '../../main/vendors/kit/platform.js';
import { Closers } from '../support/closers.js';
import { eventually } from '../support/eventually.js';

const ACCOUNT = 'acct';

/** One platform's account running in a core, against the platform's rig. */
interface Running {
  rig: ConformanceRig;
  core: Core;
  /** Every connection state the account went through, in order, with when (ms since epoch). */
  transitions: Array<{ state: string; at: number; reason?: string }>;
  /** Toasts raised, by id. */
  toasts: Map<string, number>;
  logLines: string[];
  state(): DeskState;
  connection(): string | undefined;
}

async function run(platform: AnyPlatform, closers: Closers, pick: (rig: ConformanceRig) => RawAccount = (rig) => rig.account): Promise<Running> {
  const rig = closers.add(await platform.startConformanceRig(), (r) => r.close());
  const logLines: string[] = [];
  const core = closers.add(
    await startCore({
      config: parseConfig({ accounts: [{ ...pick(rig), id: ACCOUNT }] }),
      log: appLogger('debug', { write: (line: string) => logLines.push(line) }),
      backoff: rig.connectorOptions.backoff,
      tuning: { [platform.id]: rig.connectorOptions.tuning },
    }),
    (c) => c.stop(),
  );
  const transitions: Running['transitions'] = [];
  const record = (state: DeskState): void => {
    const account = state.accounts[ACCOUNT];
    if (account && transitions.at(-1)?.state !== account.connection) transitions.push({ state: account.connection, at: Date.now(), reason: account.reason });
  };
  record(core.desk.state);
  core.desk.subscribe(record);
  const toasts = new Map<string, number>();
  core.onToast((toast) => toasts.set(toast.id, (toasts.get(toast.id) ?? 0) + 1));
  return {
    rig,
    core,
    transitions,
    toasts,
    logLines,
    state: () => core.desk.state,
    connection: () => core.desk.state.accounts[ACCOUNT]?.connection,
  };
}

const connected = (running: Running, what = 'the account is connected'): Promise<boolean> =>
  eventually(() => running.connection() === 'connected', what);

/** The entity as the desk holds it, if it does. */
function onDesk(state: DeskState, entity: RaisedEntity): unknown {
  return state[entity.slice][`${ACCOUNT}/${entity.id}`];
}

/** Asserts the desk shows each entity once, and raised at most one toast for it. */
function shownOnce(running: Running, entities: readonly RaisedEntity[]): void {
  for (const entity of entities) {
    assert.ok(onDesk(running.state(), entity), `${entity.slice} ${entity.id} is on the desk`);
    const chat = running.state().chats[`${ACCOUNT}/${entity.id}`];
    if (chat) assert.equal(new Set(chat.messages.map((m) => m.id)).size, chat.messages.length, 'no transcript line twice');
    for (const [id, count] of running.toasts) if (id.endsWith(`${ACCOUNT}/${entity.id}`)) assert.equal(count, 1, `one toast for ${id}`);
  }
}

/** Logs at warn or above that name the platform (the desk binds `vendor` to each connector's logger). */
function warningsOf(running: Running, platform: AnyPlatform, from = 0): string[] {
  return running.logLines.slice(from).filter((line) => {
    const entry = JSON.parse(line) as { level: number; vendor?: string };
    return entry.level >= 40 && entry.vendor === platform.id;
  });
}

for (const platform of platforms()) {
  describe(`${platform.name} conformance`, () => {
    const test = (name: string, body: (t: TestContext, closers: Closers) => Promise<void>): void => {
      it(name, async (t) => {
        const closers = new Closers();
        try {
          await body(t, closers);
        } finally {
          await closers.closeAll();
        }
      });
    };

    test('connects, subscribes, re-reads and shows connected', async (_t, closers) => {
      const running = await run(platform, closers);
      await connected(running);
      assert.ok(running.rig.authentications() >= 1, 'it authenticated');
      assert.ok(running.rig.subscriptions() >= 1, 'it subscribed');
      const entity = running.rig.raise();
      await eventually(() => onDesk(running.state(), entity), `the raised ${entity.slice} reaches the desk`);
    });

    for (const ending of SESSION_ENDINGS) {
      test(`the server ends the session (${ending}): it notices, authenticates afresh, subscribes again, loses nothing, doubles nothing`, async (t, closers) => {
        const running = await run(platform, closers);
        const end = running.rig.endings[ending as SessionEnding];
        if (!end) {
          t.skip(`${platform.name}'s protocol has no "${ending}" ending`);
          return;
        }
        await connected(running);
        const before = running.rig.raise();
        await eventually(() => onDesk(running.state(), before), 'the first entity reaches the desk');
        const authentications = running.rig.authentications();
        const subscriptions = running.rig.subscriptions();
        const seen = running.transitions.length;
        await end();
        await eventually(
          () => running.transitions.slice(seen).some((s) => s.state !== 'connected'),
          `the account leaves "connected" after ${ending}`,
          running.rig.noticeWithinMs,
        );
        const during = running.rig.raise();
        running.rig.restore();
        await connected(running, `the account is connected again after ${ending}`);
        await eventually(() => running.rig.authentications() > authentications, 'a fresh authentication');
        await eventually(() => running.rig.subscriptions() > subscriptions, 'a new subscription');
        await eventually(() => onDesk(running.state(), during), `the ${during.slice} raised while the session was down reaches the desk`);
        shownOnce(running, [before, during]);
        const reasons = running.transitions.slice(seen).filter((s) => s.state === 'reconnecting');
        assert.ok(reasons.every((s) => s.reason), 'every reconnecting state says why');
      });
    }

    test('wrong credentials: failed with a reason a person can act on; Retry works after the fix', async (_t, closers) => {
      const running = await run(platform, closers, (rig) => rig.wrongAccount);
      await eventually(() => running.connection() === 'failed', 'the account is failed');
      const reason = running.state().accounts[ACCOUNT]!.reason ?? '';
      assert.match(reason, /check|wrong|reject|refuse|credential|password|key/i, `an actionable reason: "${reason}"`);
      running.rig.acceptWrongSecret();
      running.core.desk.retryAccount(ACCOUNT);
      await connected(running, 'the account connects after Retry');
    });

    test('a malformed frame is logged with the platform and dropped; the connection lives on', async (_t, closers) => {
      const running = await run(platform, closers);
      await connected(running);
      const from = running.logLines.length;
      const seen = running.transitions.length;
      running.rig.sendMalformedFrame();
      await eventually(() => warningsOf(running, platform, from).length >= 1, 'a warning naming the platform');
      const after = running.rig.raise();
      await eventually(() => onDesk(running.state(), after), 'an entity raised after the bad frame reaches the desk');
      assert.deepEqual(running.transitions.slice(seen).map((s) => s.state), [], 'the connection never dropped');
    });

    test('an oversized frame is logged with the platform; dropped, or (length-framed streams) a reconnect that loses nothing', async (_t, closers) => {
      const running = await run(platform, closers);
      await connected(running);
      const before = running.rig.raise();
      await eventually(() => onDesk(running.state(), before), 'the first entity reaches the desk');
      const from = running.logLines.length;
      const seen = running.transitions.length;
      running.rig.sendOversizedFrame();
      await eventually(() => warningsOf(running, platform, from).length >= 1, 'a warning naming the platform');
      if (running.rig.oversizedFrame === 'reconnects') {
        await eventually(() => running.transitions.slice(seen).some((s) => s.state === 'reconnecting' && s.reason), 'a reconnect that says why');
        await connected(running, 'connected again');
      }
      const after = running.rig.raise();
      await eventually(() => onDesk(running.state(), after), 'an entity raised after the oversized frame reaches the desk');
      shownOnce(running, [before, after]);
      if (running.rig.oversizedFrame !== 'reconnects') assert.deepEqual(running.transitions.slice(seen).map((s) => s.state), [], 'the connection never dropped');
    });

    test('presence set from the desk reaches the platform and comes back', async (t, closers) => {
      const running = await run(platform, closers);
      await connected(running);
      const current = running.rig.serverPresence();
      const target = platform.capabilities.presence.find((p: PresenceState) => p !== current && p !== 'wrap-up' && p !== 'offline');
      if (!target) {
        t.skip(`${platform.name} takes no presence from the desk`);
        return;
      }
      await running.core.desk.setAccountPresence(ACCOUNT, target);
      await eventually(() => running.rig.serverPresence() === target, `the platform holds "${target}"`);
      await eventually(() => running.state().accounts[ACCOUNT]!.presence?.state === target, `the desk shows "${target}"`);
    });

    test('when the machine wakes from sleep, the connection proves itself within seconds', async (_t, closers) => {
      const running = await run(platform, closers);
      await connected(running);
      const authentications = running.rig.authentications();
      const seen = running.transitions.length;
      running.core.desk.resume();
      await eventually(() => running.rig.authentications() > authentications || running.transitions.length > seen, 'the connection was proven', 5_000);
      await connected(running, 'connected after resume');
      const entity = running.rig.raise();
      await eventually(() => onDesk(running.state(), entity), 'events flow after resume');
    });

    test('stop ends the vendor session cleanly', async (t, closers) => {
      const running = await run(platform, closers);
      const cleanStops = running.rig.cleanStops?.bind(running.rig);
      if (!cleanStops) {
        t.skip(`${platform.name}'s protocol has no operation that ends a session`);
        return;
      }
      await connected(running);
      const before = cleanStops();
      await running.core.stop();
      assert.ok(cleanStops() > before, 'the platform saw a clean end of the session');
      assert.equal(running.connection(), 'stopped');
    });
  });
}
