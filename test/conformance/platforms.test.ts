/**
 * The conformance suite: every registered platform (`main/vendors/index.ts`) against its own
 * simulator, through the whole core, proving its connector heals itself the same way
 * (ARCHITECTURE.md, principle 4). A platform added to the registry is tested here without anyone
 * writing a test: its folder's `testing.ts` (its `startConformanceRig`, which the layout test
 * requires) is all the suite needs.
 *
 * Five cases are call work (issue 18): a consult then a transfer, a consult cancelled, a
 * conference of three, digits, a wrap-up reason — each for a platform whose capabilities offer call
 * work (its rig's `callWork`), skipped with that reason for one that offers none.
 *
 * The last five cases are the ways servers really fail a fleet of desks (issue 16; ARCHITECTURE.md
 * principle 12), each staged by the rig's `faults` or skipped with the protocol's reason. The storm
 * case runs the default backoff scaled 1:10 in time with every random draw at its floor (the fastest
 * the policy can ever retry), so its 3 s stand for the default's 30 s: every delay scales, and so
 * does the bound (`maxAttemptsWithin`); only the time a login itself takes does not, and it can
 * only lower the count. The other cases use the rig's short backoff.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { appLogger, startCore, type Core } from '../../main/app.js';
import { parseConfig } from '../../main/config.js';
import type { Call, CallWorkAction, DeskState, PresenceState } from '../../common/model.js';
import type { RawAccount } from '../../main/vendors/kit/platform.js';
import {
  SESSION_ENDINGS,
  supported,
  type CallWorkRig,
  type ConformanceRig,
  type FleetFaults,
  type RaisedEntity,
  type SessionEnding,
  type Unsupported,
} from '../../main/vendors/kit/testing.js';
import { DEFAULT_BACKOFF, maxAttemptsWithin, type BackoffPolicy } from '../../main/vendors/kit/supervisor.js';
import { Closers } from '../support/closers.js';
import { eventually } from '../support/eventually.js';
import { testedPlatforms, type TestedPlatform } from '../support/platform-testing.js';
import { chatOf } from '../../common/selectors.js';

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

/** How {@link run} starts the account: which account, which backoff, and what to do to the rig first. */
interface RunOptions {
  pick?: (rig: ConformanceRig) => RawAccount;
  /** The backoff (default: the rig's short one). */
  backoff?: BackoffPolicy;
  /** Called on the rig before the core starts. */
  before?: (rig: ConformanceRig) => void;
}

async function run(platform: TestedPlatform, closers: Closers, options: RunOptions = {}): Promise<Running> {
  const { pick = (rig: ConformanceRig) => rig.account } = options;
  const rig = closers.add(await platform.startConformanceRig(), (r) => r.close());
  options.before?.(rig);
  const logLines: string[] = [];
  const core = closers.add(
    await startCore({
      config: parseConfig({ accounts: [{ ...pick(rig), id: ACCOUNT }] }),
      log: appLogger('debug', { write: (line: string) => logLines.push(line) }),
      backoff: options.backoff ?? rig.connectorOptions.backoff,
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
  const key = `${ACCOUNT}/${entity.id}`;
  return entity.slice === 'chats' ? chatOf(state, key) : state[entity.slice][key];
}

/** Asserts the desk shows each entity once, and raised at most one toast for it. */
function shownOnce(running: Running, entities: readonly RaisedEntity[]): void {
  for (const entity of entities) {
    assert.ok(onDesk(running.state(), entity), `${entity.slice} ${entity.id} is on the desk`);
    const chat = chatOf(running.state(), `${ACCOUNT}/${entity.id}`);
    if (chat) assert.equal(new Set(chat.messages.map((m) => m.id)).size, chat.messages.length, 'no transcript line twice');
    for (const [id, count] of running.toasts) if (id.endsWith(`${ACCOUNT}/${entity.id}`)) assert.equal(count, 1, `one toast for ${id}`);
  }
}

/** Logs at warn or above that name the platform (the desk binds `vendor` to each connector's logger). */
function warningsOf(running: Running, platform: TestedPlatform, from = 0): string[] {
  return running.logLines.slice(from).filter((line) => {
    const entry = JSON.parse(line) as { level: number; vendor?: string };
    return entry.level >= 40 && entry.vendor === platform.id;
  });
}

/** Resolves after `ms` (to show that nothing happens meanwhile). */
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Whether the platform's rig can stage a fleet fault; if not, the test is skipped with the
 * protocol's reason (a rig must give one).
 */
async function canStage(t: TestContext, platform: TestedPlatform, key: Exclude<keyof FleetFaults, 'busySignIns'>): Promise<boolean> {
  const rig = await platform.startConformanceRig();
  const fault = rig.faults[key];
  await rig.close();
  if (supported(fault)) return true;
  t.skip(`${platform.name}: ${(fault as Unsupported).unsupported}`);
  return false;
}

/** The control of a fault the rig stages (checked by {@link canStage}). */
function staged<T>(fault: T | Unsupported): T {
  assert.ok(supported(fault), 'the rig stages this fault');
  return fault;
}

/** Reasons a person can act on when the server refused the credentials. */
const ACTIONABLE = /check|wrong|reject|refuse|credential|password|key|revoked/i;

/**
 * The default backoff scaled 1:10 in time (base 0.1 s, cap 6 s, healthy spell 6 s) with every random
 * draw at its floor: the fastest the default policy can ever retry, ten times faster. Every delay
 * scales, so the bound on logins in 3 s is the default's bound in 30 s ({@link maxAttemptsWithin}).
 */
const STORM_POLICY: BackoffPolicy = { ...DEFAULT_BACKOFF, initialMs: DEFAULT_BACKOFF.initialMs / 10, maxMs: DEFAULT_BACKOFF.maxMs / 10, healthyMs: DEFAULT_BACKOFF.healthyMs / 10, random: () => 0 };
const STORM_WINDOW_MS = 3_000;

/**
 * The rig's call work, for a platform whose capabilities offer it; otherwise the test is skipped,
 * saying that the platform leaves call work to its own app. A platform that offers call work
 * without a rig for it fails.
 */
function callWorkOf(t: TestContext, platform: TestedPlatform, rig: ConformanceRig): CallWorkRig | undefined {
  if (!platform.capabilities.callWork?.length) {
    t.skip(`${platform.name} offers no call work (consult, transfer, conference, DTMF, wrap-up reasons): the window says to transfer in the platform's own app`);
    return undefined;
  }
  assert.ok(rig.callWork, `${platform.name} offers call work, so its rig must stage it`);
  return rig.callWork;
}

/** The desk key of a call of the suite's account. */
const callKey = (id: string): string => `${ACCOUNT}/${id}`;

/** A customer call rung by the rig and answered from the desk, with `action` offered: its platform id. */
async function answeredCall(running: Running, work: CallWorkRig, action: CallWorkAction): Promise<string> {
  const id = work.ring();
  await eventually(() => running.state().calls[callKey(id)]?.actions.includes('answer'), 'the call rings on the desk');
  await running.core.desk.callAction(callKey(id), 'answer');
  await eventually(() => running.state().calls[callKey(id)]?.state === 'connected' && running.state().calls[callKey(id)]!.actions.includes(action), `connected, ${action} offered`);
  return id;
}

/** The consultation leg of a call, once its colleague answered. */
function answeredConsult(running: Running, originalId: string): Promise<Call> {
  return eventually(() => {
    const leg = Object.values(running.state().calls).find((c) => c.accountId === ACCOUNT && c.consultOf === originalId);
    return leg?.state === 'connected' ? leg : undefined;
  }, 'the colleague answered the consultation');
}

/** The `Retry-After` the busy server answers with, seconds. */
const RETRY_AFTER_S = 1;

for (const platform of await testedPlatforms()) {
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
      const running = await run(platform, closers, { pick: (rig) => rig.wrongAccount });
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
    /**
     * A call-work case: a connected desk with a customer call answered and `action` offered; the
     * case is skipped (saying why) on a platform without call work.
     */
    const callWorkTest = (name: string, action: CallWorkAction, body: (on: { running: Running; work: CallWorkRig; id: string }) => Promise<void>): void => {
      test(`call work: ${name}`, async (t, closers) => {
        const running = await run(platform, closers);
        const work = callWorkOf(t, platform, running.rig);
        if (!work) return;
        await connected(running);
        await body({ running, work, id: await answeredCall(running, work, action) });
      });
    };

    callWorkTest('a consultation the colleague answers, then completed as a transfer; both legs end for the agent', 'consult', async ({ running, work, id }) => {
      await running.core.desk.consult(callKey(id), work.colleague, 'transfer');
      const leg = await answeredConsult(running, id);
      assert.equal(running.state().calls[callKey(id)]?.state, 'held', 'the caller waits on hold');
      await running.core.desk.completeConsult(callKey(id), 'transfer');
      await eventually(() => !running.state().calls[callKey(id)] && !running.state().calls[leg.key], 'both legs ended for the agent');
    });

    callWorkTest('a consultation cancelled; the colleague’s leg ends and the caller is back', 'consult', async ({ running, work, id }) => {
      await running.core.desk.consult(callKey(id), work.colleague, 'transfer');
      const leg = await answeredConsult(running, id);
      await running.core.desk.cancelConsult(leg.key);
      await eventually(() => running.state().calls[callKey(id)]?.state === 'connected' && !running.state().calls[leg.key], 'back with the caller alone');
    });

    callWorkTest('a conference of three; one call listing the caller, the colleague and the agent', 'consult', async ({ running, work, id }) => {
      await running.core.desk.consult(callKey(id), work.colleague, 'conference');
      const leg = await answeredConsult(running, id);
      await running.core.desk.completeConsult(leg.key, 'conference');
      const call = await eventually(() => {
        const c = running.state().calls[callKey(id)];
        return c?.state === 'connected' && c.parties?.length === 3 && !running.state().calls[leg.key] ? c : undefined;
      }, 'one call of three parties');
      assert.deepEqual(call.parties!.map((p) => p.role).sort(), ['agent', 'colleague', 'customer']);
      assert.ok(call.parties!.some((p) => p.number === work.colleague), 'the colleague is a party');
    });

    callWorkTest('digits typed on the desk reach the platform, in order', 'sendDtmf', async ({ running, work, id }) => {
      await running.core.desk.sendDtmf(callKey(id), '12');
      await running.core.desk.sendDtmf(callKey(id), '*#');
      await eventually(() => work.digitsReceived(id) === '12*#', 'the digits at the platform');
      assert.equal(running.state().calls[callKey(id)]?.digitsSent, '12*#');
    });

    callWorkTest('a wrap-up reason chosen in wrap-up reaches the platform and stays with the call', 'consult', async ({ running, work, id }) => {
      const account = (): DeskState['accounts'][string] => running.state().accounts[ACCOUNT]!;
      const reason = await eventually(() => account().wrapUpReasons[0], 'the account offers wrap-up reasons');
      await running.core.desk.callAction(callKey(id), 'hangup');
      await eventually(() => !running.state().calls[callKey(id)], 'the call ended');
      work.wrapUp(id);
      await eventually(() => account().wrapUp?.callId === id, 'wrap-up for the call');
      await running.core.desk.setWrapUpReason(ACCOUNT, reason.code);
      await eventually(() => work.wrapUpReasonOf(id) === reason.code, 'the reason at the platform');
      assert.deepEqual(running.state().recentCalls.find((c) => c.id === id)?.wrapUpReason, reason);
    });

    test(`a server that accepts then ends every session at once: at most ${maxAttemptsWithin(30_000)} logins in 30 s (the default backoff scaled 1:10, every draw at its floor)`, async (t, closers) => {
      if (!(await canStage(t, platform, 'acceptThenEnd'))) return;
      const bound = maxAttemptsWithin(STORM_WINDOW_MS, STORM_POLICY);
      assert.equal(bound, maxAttemptsWithin(30_000), 'the scaled bound is the default policy’s bound in 30 s');
      const running = await run(platform, closers, {
        backoff: STORM_POLICY,
        before: (rig) => staged(rig.faults.acceptThenEnd)(),
      });
      const from = Date.now();
      await pause(STORM_WINDOW_MS - (Date.now() - from));
      const logins = running.rig.authentications();
      t.diagnostic(`${logins} logins in ${STORM_WINDOW_MS / 1000} s (at most ${bound})`);
      assert.ok(running.transitions.some((s) => s.state === 'connected'), 'the server accepted sessions');
      assert.ok(logins >= 3, `it kept trying (${logins} logins)`);
      assert.ok(logins <= bound, `${logins} logins in ${STORM_WINDOW_MS / 1000} s; at most ${bound}`);
      assert.ok(!running.transitions.some((s) => s.state === 'failed'), 'it never gave up');
      const reconnecting = running.transitions.filter((s) => s.state === 'reconnecting');
      assert.ok(reconnecting.every((s) => s.reason), 'every reconnecting state says why');
    });

    test('a session taken over elsewhere: the desk says so and waits for the agent, never fights back on its own', async (t, closers) => {
      if (!(await canStage(t, platform, 'takeOver'))) return;
      const running = await run(platform, closers);
      await connected(running);
      const takeover = staged(running.rig.faults.takeOver)();
      const account = (): DeskState['accounts'][string] => running.state().accounts[ACCOUNT]!;
      await eventually(() => account().prompt || account().connection === 'failed', 'the desk says the session was taken over', running.rig.noticeWithinMs + 5_000);
      const said = account().prompt?.message ?? account().reason ?? '';
      assert.match(said, /another|elsewhere|taken|took|over|logged .*out/i, `it says what happened: "${said}"`);
      const logins = running.rig.authentications();
      await pause(1_000); // more than two of the rig's longest backoff steps
      assert.equal(takeover.takenBack(), false, 'the session was not taken back without the agent');
      assert.equal(running.rig.authentications(), logins, 'no login while it waits for the agent');
      assert.ok(account().prompt || account().connection === 'failed', 'still waiting for the agent');
      // The agent says yes: take it back.
      const prompt = account().prompt;
      if (prompt) running.core.desk.answerPrompt(ACCOUNT, prompt.id, prompt.choices.find((c) => c.primary)?.id ?? prompt.choices[0]!.id);
      else running.core.desk.retryAccount(ACCOUNT);
      await connected(running, 'connected again after the agent said yes');
      assert.equal(takeover.takenBack(), true, 'taken back once the agent said yes');
    });

    test('credentials revoked mid-session: failed with a reason a person can act on, not retried forever', async (t, closers) => {
      if (!(await canStage(t, platform, 'revokeCredentials'))) return;
      const running = await run(platform, closers);
      await connected(running);
      staged(running.rig.faults.revokeCredentials)();
      await eventually(() => running.connection() === 'failed', 'the account is failed', running.rig.noticeWithinMs + 5_000);
      const reason = running.state().accounts[ACCOUNT]!.reason ?? '';
      assert.match(reason, ACTIONABLE, `an actionable reason: "${reason}"`);
      const logins = running.rig.authentications();
      await pause(1_000); // more than two of the rig's longest backoff steps
      assert.equal(running.connection(), 'failed', 'it stays failed');
      assert.equal(running.rig.authentications(), logins, 'no more logins until Retry');
    });

    test('stop against a hung server: the core stops within 3 s', async (t, closers) => {
      if (!(await canStage(t, platform, 'hang'))) return;
      const running = await run(platform, closers);
      await connected(running);
      staged(running.rig.faults.hang)();
      const deadline = new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 3_000).unref());
      const outcome = await Promise.race([running.core.stop().then(() => 'stopped' as const), deadline]);
      assert.equal(outcome, 'stopped', 'the app could quit');
      assert.equal(running.connection(), 'stopped');
    });

    test(`Retry-After honoured: the server answers 503 with Retry-After: ${RETRY_AFTER_S}, no new login sooner`, async (t, closers) => {
      if (!(await canStage(t, platform, 'busy'))) return;
      const running = await run(platform, closers);
      await connected(running);
      staged(running.rig.faults.busy)(RETRY_AFTER_S);
      const refused = await eventually(() => (running.rig.faults.busySignIns().length >= 2 ? running.rig.faults.busySignIns() : undefined), 'two sign-ins refused as busy', running.rig.noticeWithinMs + 5_000);
      // The client hears the answer after the server stamped it, so no tolerance is needed beyond
      // a timer's millisecond of rounding.
      const gaps = refused.slice(1).map((at, i) => at - refused[i]!);
      t.diagnostic(`sign-ins refused as busy ${gaps.join(' ms, ')} ms apart`);
      assert.ok(gaps.every((gap) => gap >= RETRY_AFTER_S * 1000 - 1), `sign-ins at least ${RETRY_AFTER_S} s apart: ${gaps.join(', ')} ms`);
      assert.ok(running.transitions.filter((s) => s.state === 'reconnecting').every((s) => s.reason), 'every reconnecting state says why');
      running.rig.restore();
      await connected(running, 'connected again once the server answers');
    });
  });
}
