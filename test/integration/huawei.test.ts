/**
 * The Huawei CEC connector against its simulator on loopback, through the real desk store: placing
 * a call on both URL families and following it to its end, hang-up, no agents, failures, the token's
 * life (refresh in a header or a cookie, expiry mid-call, a 401 on a command, credentials refused),
 * server errors, silence, malformed answers, and no token or secret in any log line.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { CommandError, type Connector } from '../../main/desk/port.js';
import type { ConnectionState } from '../../common/model.js';
import { createHuaweiConnector, TIMED_OUT_REASON } from '../../main/vendors/huawei/connector.js';
import type { HuaweiSecrets, HuaweiTuning } from '../../main/vendors/huawei/config.js';
import { DOCUMENT_CONNECTED_EXAMPLE, startHuaweiSimulator, type HuaweiSimulator, type HuaweiSimulatorOptions } from '../../main/vendors/huawei/simulator/index.js';
import { accountFor, captureLog, deskHarness, FAST, FAST_BACKOFF } from '../fixtures/huawei/harness.js';
import { Closers } from '../support/closers.js';
import { eventually } from '../support/eventually.js';

interface Setup {
  family?: 'facade' | 'fabric';
  simulator?: HuaweiSimulatorOptions;
  account?: Record<string, unknown>;
  secrets?: (simulator: HuaweiSimulator) => HuaweiSecrets;
  tuning?: HuaweiTuning;
}

/** A simulator (calls wait for the test to move them), a connector started on a desk, all closed after the test. */
async function start(t: TestContext, setup: Setup = {}) {
  const closers = new Closers();
  t.after(() => closers.closeAll());
  const simulator = closers.add(await startHuaweiSimulator({ plan: { outcome: 'answer', manual: true }, ...setup.simulator }), (s) => s.close());
  const { log, text, lines } = captureLog();
  const desk = deskHarness(log);
  const connector: Connector = createHuaweiConnector(
    accountFor(simulator, setup.family ?? 'facade', setup.account),
    setup.secrets ? setup.secrets(simulator) : { appSecret: simulator.credentials.appSecret },
    { backoff: FAST_BACKOFF, tuning: { ...FAST, ...setup.tuning } },
  );
  closers.add(connector, (c) => c.stop());
  connector.start(desk.context);
  const connection = (): ConnectionState => desk.account().connection;
  const connectionStates = (): ConnectionState[] => desk.events.flatMap((e) => (e.type === 'connection' ? [e.state] : []));
  const ops = (operation: string) => simulator.operations.filter((o) => o.operation === operation);
  /** Dials and returns the id of the call that appeared on the desk. */
  async function dial(number = '+358401234567'): Promise<string> {
    await connector.execute({ type: 'call.dial', number });
    const [call] = desk.liveCalls();
    assert.ok(call, 'the placed call is on the desk');
    return call.id;
  }
  return { simulator, desk, connector, text, lines, connection, connectionStates, ops, dial };
}

for (const family of ['facade', 'fabric'] as const) {
  describe(`Huawei CEC click-to-dial (${family} URLs)`, () => {
    it('places a call and follows it: waiting in queue, connected with the access code and the caller, ended when released; then polls no more', async (t) => {
      const { simulator, desk, connection, ops, dial } = await start(t, { family });
      await eventually(() => connection() === 'connected', 'connected');
      const id = await dial('+358401234567');
      await eventually(() => desk.call(id)?.state === 'queued', 'the call waits in the queue');
      assert.equal(desk.call(id)?.direction, 'outbound');
      assert.equal(desk.call(id)?.target, '+358401234567');
      assert.deepEqual(desk.call(id)?.actions, ['hangup']);
      const [create] = ops('createClickToCall');
      assert.deepEqual(create?.body, family === 'fabric' ? { channel: 'WEB', mediaAbility: '0' } : { mediaAbility: '0' });
      assert.equal(create?.tokenVia, family === 'facade' ? 'cookie' : 'header', 'the token where the family wants it');

      simulator.connectCall();
      await eventually(() => desk.call(id)?.state === 'connected', 'connected');
      assert.equal(desk.call(id)?.caller, '60012');
      assert.equal(desk.call(id)?.userData?.['Access code'], '4001');

      simulator.disconnectCall();
      await eventually(() => desk.call(id)?.state === 'ended', 'ended');
      assert.equal(desk.call(id)?.endReason, 'Call disconnected');
      const polls = ops('getClickToCallEvents').length;
      const checks = ops('checkClickToCallSupport').length;
      await eventually(() => ops('checkClickToCallSupport').length >= checks + 2, 'two heartbeats after the call ended');
      assert.equal(ops('getClickToCallEvents').length, polls, 'no event poll once the call has ended');
      assert.equal(connection(), 'connected');
    });

    it('hangs up from the desk with dropClickToCall; the release event ends the call', async (t) => {
      const { simulator, desk, connector, connection, ops, dial } = await start(t, { family });
      await eventually(() => connection() === 'connected', 'connected');
      const id = await dial();
      simulator.connectCall();
      await eventually(() => desk.call(id)?.state === 'connected', 'connected');
      await connector.execute({ type: 'call.action', callId: id, action: 'hangup' });
      assert.deepEqual(ops('dropClickToCall')[0]?.body, family === 'fabric' ? { channel: 'WEB' } : {});
      await eventually(() => desk.call(id)?.state === 'ended', 'ended');
      assert.equal(simulator.callsInProgress(), 0);
    });
  });
}

describe('Huawei CEC calls that do not go through', () => {
  it('no agent available: the dial is refused with "No agent available" and nothing is polled', async (t) => {
    const { simulator, desk, connector, connection, ops } = await start(t);
    await eventually(() => connection() === 'connected', 'connected');
    simulator.planCalls({ outcome: 'no-agents' });
    await assert.rejects(connector.execute({ type: 'call.dial', number: '+358401234567' }), (error: Error) => {
      assert.ok(error instanceof CommandError);
      assert.match(error.message, /^No agent available/);
      return true;
    });
    assert.deepEqual(desk.liveCalls(), []);
    assert.equal(ops('getClickToCallEvents').length, 0);
  });

  it('a failed call and a queue timeout end with CEC’s reason and cause (ids sent as strings)', async (t) => {
    const { simulator, desk, connection, dial } = await start(t);
    await eventually(() => connection() === 'connected', 'connected');
    simulator.planCalls({ outcome: 'answer', manual: true, idsAsStrings: true });
    const failed = await dial();
    await eventually(() => desk.call(failed)?.state === 'queued', 'queued');
    simulator.failCall({ causeId: '486', causeDesc: 'User busy' });
    await eventually(() => desk.call(failed)?.state === 'ended', 'the failed call ended');
    assert.equal(desk.call(failed)?.endReason, 'Call failed: User busy, cause 486');

    const waited = await dial();
    await eventually(() => desk.call(waited)?.state === 'queued', 'queued');
    simulator.timeOutQueue();
    await eventually(() => desk.call(waited)?.state === 'ended', 'the queue timed out');
    assert.equal(desk.call(waited)?.endReason, 'Call queued timeout: Queue time exceeded, cause 17');
  });

  it('a 403 on the poll (a timed-out click-to-dial request) ends the call with that reason; the session lives on', async (t) => {
    const { simulator, desk, connection, connectionStates, dial } = await start(t);
    await eventually(() => connection() === 'connected', 'connected');
    const id = await dial();
    simulator.timeOutRequest();
    await eventually(() => desk.call(id)?.state === 'ended', 'ended');
    assert.equal(desk.call(id)?.endReason, TIMED_OUT_REASON);
    assert.equal(simulator.tokensIssued, 1);
    assert.deepEqual(connectionStates(), ['connecting', 'connected']);
  });

  it('places one call at a time on an account, and video calls as mediaAbility "1"', async (t) => {
    const { connector, connection, ops, dial } = await start(t, { family: 'fabric', account: { callMedia: 'video' } });
    await eventually(() => connection() === 'connected', 'connected');
    await dial();
    assert.deepEqual(ops('createClickToCall')[0]?.body, { channel: 'WEB', mediaAbility: '1' });
    await assert.rejects(connector.execute({ type: 'call.dial', number: '+358409999999' }), /already in progress/);
    assert.equal(ops('createClickToCall').length, 1);
  });

  it('shows on the account that the channel has no click-to-dial, and refuses to dial', async (t) => {
    const { desk, connector, connection, ops } = await start(t, { simulator: { clickToCallSupported: false } });
    await eventually(() => connection() === 'connected', 'connected');
    await eventually(() => desk.account().subscriptionIssues.length === 1, 'the issue is shown on the account');
    assert.match(desk.account().subscriptionIssues[0]!.message, /click-to-dial is not available/);
    await assert.rejects(connector.execute({ type: 'call.dial', number: '+358401234567' }), /not available/);
    assert.equal(ops('createClickToCall').length, 0);
  });

  it('logs an event it does not know and ignores it; reads the document’s example when it comes', async (t) => {
    const { simulator, desk, connection, lines, dial } = await start(t);
    await eventually(() => connection() === 'connected', 'connected');
    const id = await dial();
    await eventually(() => desk.call(id)?.state === 'queued', 'queued');
    simulator.queueRawEvent('{"resultCode":"0","resultDesc":"Call parked","eventId":170001}');
    simulator.queueRawEvent(DOCUMENT_CONNECTED_EXAMPLE);
    await eventually(() => desk.call(id)?.state === 'connected', 'connected by the document’s example');
    assert.equal(desk.call(id)?.caller, 'xxx');
    assert.equal(desk.call(id)?.userData?.['Access code'], 'xxxx');
    assert.ok(lines.some((l) => l.resultDesc === 'Call parked' && /does not know/.test(String(l.msg))), 'the unknown event is logged');
  });
});

describe('Huawei CEC token life', () => {
  for (const via of ['header', 'cookie'] as const) {
    it(`takes a refreshed token from a ${via} mid-call and goes on with it, without reconnecting`, async (t) => {
      const { simulator, desk, connection, connectionStates, dial } = await start(t, { family: via === 'cookie' ? 'facade' : 'fabric' });
      await eventually(() => connection() === 'connected', 'connected');
      const id = await dial();
      await eventually(() => desk.call(id)?.state === 'queued', 'queued');
      simulator.refreshTokens(via); // the old token is refused once the new one was handed over
      simulator.connectCall();
      await eventually(() => desk.call(id)?.state === 'connected', 'connected');
      simulator.disconnectCall();
      await eventually(() => desk.call(id)?.state === 'ended', 'ended');
      assert.equal(simulator.tokensIssued, 1, 'no new token was applied for');
      assert.deepEqual(connectionStates(), ['connecting', 'connected'], 'the session never dropped');
    });
  }

  it('survives an expiry mid-call: applies again, follows the same call to its end, shows it once', async (t) => {
    const { simulator, desk, connection, dial } = await start(t);
    await eventually(() => connection() === 'connected', 'connected');
    const id = await dial();
    await eventually(() => desk.call(id)?.state === 'queued', 'queued');
    simulator.expireTokens();
    await eventually(() => simulator.tokensIssued === 2 && connection() === 'connected', 'a new token, connected again');
    simulator.connectCall();
    await eventually(() => desk.call(id)?.state === 'connected', 'the same call connects');
    simulator.disconnectCall();
    await eventually(() => desk.call(id)?.state === 'ended', 'and ends');
    assert.equal(desk.call(id)?.endReason, 'Call disconnected');
    assert.equal(desk.state.recentCalls.filter((c) => c.id === id).length, 1, 'one call, not two');
    const reconnecting = desk.events.find((e) => e.type === 'connection' && e.state === 'reconnecting');
    assert.match((reconnecting as { reason?: string } | undefined)?.reason ?? '', /401/);
  });

  it('applies again each time a token outlives its lifetime, while the call goes on', async (t) => {
    const { simulator, desk, connection, dial } = await start(t, { simulator: { tokenLifetimeMs: 250 } });
    await eventually(() => connection() === 'connected', 'connected');
    const id = await dial();
    await eventually(() => simulator.tokensIssued >= 3 && connection() === 'connected', 'two expiries, two new tokens');
    simulator.connectCall();
    await eventually(() => desk.call(id)?.state === 'connected', 'the same call connects');
    assert.equal(desk.liveCalls().length, 1);
  });

  it('heals a 401 on the agent’s dial in place: applies again and places the call', async (t) => {
    const { simulator, desk, connection, connectionStates, dial } = await start(t, { tuning: { heartbeatMs: 60_000 } });
    await eventually(() => connection() === 'connected', 'connected');
    simulator.expireTokens();
    const id = await dial();
    assert.equal(desk.call(id)?.state, 'dialing');
    assert.equal(simulator.tokensIssued, 2);
    assert.deepEqual(connectionStates(), ['connecting', 'connected']);
  });

  it('a second 401 in a row is a credentials failure: failed, with what to check', async (t) => {
    const { simulator, desk, connection } = await start(t);
    await eventually(() => connection() === 'connected', 'connected');
    simulator.refuseAllTokens(true);
    simulator.expireTokens();
    await eventually(() => connection() === 'failed', 'failed');
    assert.match(desk.account().reason ?? '', /401 twice in a row.*check/);
  });

  it('a wrong app secret: failed with what to check; Retry works once it is accepted', async (t) => {
    const { simulator, desk, connector, connection } = await start(t, { secrets: () => ({ appSecret: 'not-the-secret' }) });
    await eventually(() => connection() === 'failed', 'failed');
    assert.match(desk.account().reason ?? '', /rejected the app key or app secret.*check/);
    simulator.acceptAppSecret('not-the-secret');
    connector.retry();
    await eventually(() => connection() === 'connected', 'connected after Retry');
  });

  it('a bearer token instead of the app secret works; a refused one says to put a fresh one', async (t) => {
    const good = await start(t, { family: 'fabric', simulator: { bearerToken: 'pre-issued-bearer' }, secrets: () => ({ bearerToken: 'pre-issued-bearer' }) });
    await eventually(() => good.connection() === 'connected', 'connected with the bearer token');
    assert.equal(good.simulator.accessTokensIssued, 0, 'no tokenByAkSk');
    const bad = await start(t, { secrets: () => ({ bearerToken: 'stale-bearer' }) });
    await eventually(() => bad.connection() === 'failed', 'failed');
    assert.match(bad.desk.account().reason ?? '', /bearer token.*fresh one/);
  });

  it('an expired access token (AK/SK) is obtained afresh before applying again', async (t) => {
    const { simulator, connection } = await start(t, { family: 'fabric' });
    await eventually(() => connection() === 'connected', 'connected');
    simulator.expireAccessTokens();
    simulator.expireTokens();
    await eventually(() => simulator.tokensIssued === 2 && connection() === 'connected', 'connected again');
    assert.equal(simulator.accessTokensIssued, 2);
  });

  it('never writes a token or a secret to the log, even at trace level', async (t) => {
    const { simulator, desk, connection, text, dial } = await start(t, { family: 'fabric' });
    await eventually(() => connection() === 'connected', 'connected');
    const id = await dial();
    simulator.refreshTokens('header');
    simulator.connectCall();
    await eventually(() => desk.call(id)?.state === 'connected', 'connected');
    simulator.expireTokens();
    await eventually(() => simulator.tokensIssued === 2 && connection() === 'connected', 'connected again');
    simulator.disconnectCall();
    await eventually(() => desk.call(id)?.state === 'ended', 'ended');
    const secrets = [...simulator.issuedTokens(), simulator.credentials.appSecret];
    assert.ok(secrets.length >= 4, 'tokens were issued');
    assert.ok(text.some((line) => /refreshed token/.test(line)), 'the refresh was logged (without its value)');
    assert.ok(text.some((line) => /HTTP 401/.test(line)), 'the expiry was logged');
    for (const line of text) for (const secret of secrets) assert.ok(!line.includes(secret), `a secret in a log line: ${line.slice(0, 200)}`);
  });
});

describe('Huawei CEC server trouble', () => {
  it('backs off on 5xx answers to the poll, reconnects after several, and follows the call on', async (t) => {
    const { simulator, desk, connection, dial } = await start(t);
    await eventually(() => connection() === 'connected', 'connected');
    const id = await dial();
    simulator.failWith(503);
    await eventually(() => connection() === 'reconnecting', 'reconnecting');
    assert.match(desk.account().reason ?? '', /server errors|503/);
    simulator.failWith(undefined);
    await eventually(() => connection() === 'connected', 'connected again');
    simulator.connectCall();
    await eventually(() => desk.call(id)?.state === 'connected', 'the call goes on');
  });

  it('a server gone silent ends the session at the request timeout; the call is followed after', async (t) => {
    const { simulator, desk, connection, dial } = await start(t, { tuning: { requestTimeoutMs: 300 } });
    await eventually(() => connection() === 'connected', 'connected');
    const id = await dial();
    simulator.silence(true);
    await eventually(() => connection() === 'reconnecting', 'reconnecting');
    assert.match(desk.account().reason ?? '', /stopped answering|in time/);
    simulator.silence(false);
    await eventually(() => connection() === 'connected', 'connected again');
    simulator.connectCall();
    await eventually(() => desk.call(id)?.state === 'connected', 'the call goes on');
  });

  it('logs a malformed and an oversized answer with the platform and drops them; the call goes on', async (t) => {
    const { simulator, desk, connection, connectionStates, lines, dial } = await start(t, {
      simulator: { oversizedBytes: 128 * 1024 },
      tuning: { maxResponseBytes: 64 * 1024 },
    });
    await eventually(() => connection() === 'connected', 'connected');
    const id = await dial();
    simulator.corruptNextAnswers('malformed');
    simulator.corruptNextAnswers('oversized');
    await eventually(() => lines.filter((l) => l.level === 40 && l.vendor === 'huawei' && /malformed answer/.test(String(l.msg))).length >= 2, 'two warnings');
    const problems = lines.filter((l) => l.level === 40 && /malformed answer/.test(String(l.msg))).map((l) => l.problem);
    assert.deepEqual(problems.slice(0, 2).sort(), ['oversized', 'unexpected']);
    simulator.connectCall();
    await eventually(() => desk.call(id)?.state === 'connected', 'the call goes on');
    assert.deepEqual(connectionStates(), ['connecting', 'connected']);
  });
});
