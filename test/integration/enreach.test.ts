/**
 * Integration: the real connector and the real `@microsoft/signalr` client against the simulator
 * (REST + a real SignalR hub). Conditions are awaited by polling with a generous deadline.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { CommandError } from '../../main/desk/port.js';
import { ENREACH_USER_EVENTS } from '../../main/vendors/enreach/connector.js';
import { EnreachRest } from '../../main/vendors/enreach/rest.js';
import { openRteSession } from '../../main/vendors/enreach/rte.js';
import { startEnreachSimulator } from '../../main/vendors/enreach/simulator/index.js';
import { eventually, recordingLogger, startHarness, type Harness } from '../fixtures/enreach/harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

const connected = (h: Harness) => h.account.connection === 'connected';

describe('Enreach connector against the simulator', () => {
  it('subscribes to the user, its queues and call lists, and folds a call, queue, callback, wrap-up and availability', async () => {
    const h = (harness = await startHarness());
    const { sim } = h;
    await eventually(() => connected(h), 'connected');
    const [session] = sim.subscriptions();
    assert.ok(session);
    const subscribed = new Set(session.items.map((s) => `${s.entityId}|${s.eventName}`));
    for (const name of ENREACH_USER_EVENTS) assert.ok(subscribed.has(`${sim.userId}|${name}`), name);
    for (const q of sim.queues) assert.ok(subscribed.has(`${q.id}|QueueStatus`));
    for (const l of sim.callLists) assert.ok(subscribed.has(`${l.id}|CallbackChanged`));
    assert.deepEqual(h.account.subscriptionIssues, []);
    assert.equal(h.account.presence?.state, 'ready');
    assert.equal(Object.keys(h.desk.queues).length, sim.queues.length);

    // a queue call: ringing → connected → held → connected → ended
    const queue = sim.queues[1]!;
    const callId = sim.ringCall({ caller: '+358401112233', queueId: queue.id });
    const key = `enreach-test/${callId}`;
    const ringing = await eventually(() => h.desk.calls[key], 'call ringing');
    assert.equal(ringing.state, 'ringing');
    assert.equal(ringing.caller, '+358401112233');
    assert.equal(ringing.direction, 'inbound');
    assert.deepEqual(ringing.queue, { id: queue.id, name: queue.name });
    assert.deepEqual(ringing.actions, []);
    await eventually(() => h.account.talking === true, 'talking');
    sim.answerCall(callId);
    await eventually(() => h.desk.calls[key]?.state === 'connected', 'connected');
    sim.holdCall(callId);
    await eventually(() => h.desk.calls[key]?.state === 'held', 'held');
    sim.retrieveCall(callId);
    await eventually(() => h.desk.calls[key]?.state === 'connected', 'retrieved');
    sim.hangupCall(callId, 'local');
    const ended = await eventually(() => h.desk.recentCalls.find((c) => c.key === key), 'ended');
    assert.equal(ended.endReason, 'local');
    await eventually(() => h.account.talking === false, 'not talking');

    // a missed direct call
    const missed = sim.ringCall({ caller: '+358409990000' });
    await eventually(() => h.desk.calls[`enreach-test/${missed}`], 'second call ringing');
    sim.missCall(missed);
    const gone = await eventually(() => h.desk.recentCalls.find((c) => c.id === missed), 'missed call ended');
    assert.equal(gone.endReason, 'cancelled: NoAnswer');

    // an outbound call
    const out = sim.dialCall({ target: '+358501234567' });
    const dialing = await eventually(() => h.desk.calls[`enreach-test/${out}`], 'dialing');
    assert.equal(dialing.state, 'dialing');
    assert.equal(dialing.direction, 'outbound');
    assert.equal(dialing.target, '+358501234567');
    sim.answerCall(out);
    await eventually(() => h.desk.calls[`enreach-test/${out}`]?.state === 'connected', 'outbound connected');
    sim.hangupCall(out);
    await eventually(() => h.desk.recentCalls.some((c) => c.id === out), 'outbound ended');

    // wrap-up
    sim.startWrapUp({ callId, maxSec: 120 });
    const wrap = await eventually(() => h.account.wrapUp, 'wrap-up');
    assert.ok(wrap.endsAt && Date.parse(wrap.endsAt) - Date.parse(wrap.startedAt) >= 119_000);
    sim.endWrapUp();
    await eventually(() => h.account.wrapUp === undefined, 'wrap-up over');

    // queue figures
    sim.setQueueFigures(queue.id, { waiting: 5, longestWaitSec: 75, agentsFree: 0, agentsServing: 4, agentsWrapUp: 2, openStatus: 3 });
    const figures = await eventually(() => (h.desk.queues[`enreach-test/${queue.id}`]?.waiting === 5 ? h.desk.queues[`enreach-test/${queue.id}`] : undefined), 'queue figures');
    assert.deepEqual(
      { waiting: figures.waiting, longestWaitSec: figures.longestWaitSec, agentsFree: figures.agentsFree, agentsServing: figures.agentsServing, agentsWrapUp: figures.agentsWrapUp, open: figures.open, name: figures.name },
      { waiting: 5, longestWaitSec: 75, agentsFree: 0, agentsServing: 4, agentsWrapUp: 2, open: 'closed', name: queue.name },
    );

    // callbacks
    const cb = sim.createCallback({ contactNumber: '+358409998877', contactName: 'Liisa Lahti', message: 'About my invoice' });
    const callback = await eventually(() => h.desk.callbacks[`enreach-test/${cb}`], 'callback');
    assert.equal(callback.contactName, 'Liisa Lahti');
    assert.equal(callback.message, 'About my invoice');
    assert.equal(callback.assignedToMe, true);
    sim.closeCallback(cb);
    await eventually(() => !h.desk.callbacks[`enreach-test/${cb}`], 'callback closed');

    // availability changed elsewhere
    sim.setAvailability('BRB', { note: 'Coffee' });
    const presence = await eventually(() => (h.account.presence?.label === 'BRB' ? h.account.presence : undefined), 'BRB');
    assert.equal(presence.state, 'not-ready');
    assert.equal(presence.reason, 'Coffee');
  });

  it('reconnects after the hub drops it: a fresh token, subscriptions again, REST re-read, events flow', async () => {
    const h = (harness = await startHarness());
    const { sim } = h;
    await eventually(() => connected(h), 'connected');
    const before = sim.subscriptions()[0]!;
    const tokens = sim.tokensIssued;
    const reads = sim.requests.filter((r) => r.path.includes('/features/availability')).length;
    sim.setAvailability('Busy'); // the desk knows Busy …
    await eventually(() => h.account.presence?.label === 'Busy', 'Busy');

    sim.expireTokens(); // … every token issued so far is now refused at connect time
    sim.dropConnections();
    await eventually(() => h.events.some((e) => e.type === 'connection' && e.state === 'reconnecting'), 'reconnecting');
    await eventually(() => connected(h) && sim.connections === 1, 'connected again');
    assert.ok(sim.tokensIssued > tokens, 'a fresh token was fetched');
    assert.ok(!sim.requests.some((r) => r.path.startsWith('/rte') && r.status === 401), 'an expired token was never presented');
    const after = sim.subscriptions()[0]!;
    assert.notEqual(after.connectionId, before.connectionId);
    assert.deepEqual(
      after.items.map((s) => `${s.entityId}|${s.eventName}`).sort(),
      before.items.map((s) => `${s.entityId}|${s.eventName}`).sort(),
    );
    assert.ok(sim.requests.filter((r) => r.path.includes('/features/availability')).length > reads, 'availability re-read over REST');

    const callId = sim.ringCall({ caller: '+358401234567' });
    await eventually(() => h.desk.calls[`enreach-test/${callId}`], 'a call after the reconnect');

    // and once more, to be sure it never gives up
    sim.dropConnections();
    await eventually(() => h.events.filter((e) => e.type === 'connection' && e.state === 'connected').length >= 3, 'third connection');
  });

  it("waits as long as the hub's negotiate answer asks (503, Retry-After), not its own short backoff", async () => {
    const h = (harness = await startHarness());
    const { sim } = h;
    await eventually(() => connected(h), 'connected');
    sim.hubUnavailable(1);
    const refused = (): number[] => sim.requests.filter((r) => r.path.startsWith('/rte/negotiate') && r.status === 503).map((r) => r.at ?? 0);
    const times = await eventually(() => (refused().length >= 2 ? refused() : undefined), 'two negotiations refused');
    assert.ok(times[1]! - times[0]! >= 1_000 - 1, `negotiations ${times[1]! - times[0]!} ms apart, not sooner than Retry-After (the backoff alone is 20–200 ms)`);
    assert.match(h.account.reason ?? '', /503/);
    sim.restore();
    await eventually(() => connected(h), 'connected again');
  });

  it('fails with an actionable reason when the hub refuses tokens, and recovers on retry', async () => {
    const h = (harness = await startHarness({ deferStart: true }));
    h.sim.rejectTokens(true);
    h.start();
    await eventually(() => h.account.connection === 'failed', 'failed');
    assert.match(h.account.reason ?? '', /real-time service refused a freshly issued access token for agent@example\.com/);
    h.sim.rejectTokens(false);
    h.connector.retry();
    await eventually(() => connected(h), 'connected after retry');
  });

  it('keeps retrying (reconnecting, never failed) while the API is unreachable', async () => {
    const h = (harness = await startHarness({ account: () => ({ apiUrl: 'http://127.0.0.1:9/api', secretKey: 'configured' }) }));
    await eventually(() => h.events.filter((e) => e.type === 'connection' && e.state === 'reconnecting').length >= 3, 'three reconnect attempts');
    const last = [...h.events].reverse().find((e) => e.type === 'connection');
    assert.ok(last?.type === 'connection' && (last.state === 'reconnecting' || last.state === 'connecting'));
    assert.ok(!h.events.some((e) => e.type === 'connection' && e.state === 'failed'));
    assert.match(h.account.reason ?? '', /could not reach Enreach/);
  });

  it('fails with an actionable reason on a wrong secret key', async () => {
    const h = (harness = await startHarness({ secrets: () => ({ secretKey: 'wrong' }) }));
    await eventually(() => h.account.connection === 'failed', 'failed');
    assert.equal(h.account.reason, 'Enreach rejected the user name or secret key for agent@example.com — check the account settings');
    assert.equal(h.sim.tokensIssued, 0);
  });

  it('fails with an actionable reason on a wrong password', async () => {
    const h = (harness = await startHarness({ account: (sim) => ({ apiUrl: sim.apiUrl, password: 'configured' }), secrets: () => ({ password: 'nope' }) }));
    await eventually(() => h.account.connection === 'failed', 'failed');
    assert.equal(h.account.reason, 'Enreach rejected the user name or password for agent@example.com — check the account settings');
  });

  it('drops malformed and oversized frames with a warning naming the connector, and keeps the connection', async () => {
    const h = (harness = await startHarness());
    const { sim } = h;
    await eventually(() => connected(h), 'connected');
    const tokens = sim.tokensIssued;
    sim.sendMalformedFrame('payload');
    sim.sendMalformedFrame('envelope');
    sim.emitRaw('UserStatus', sim.userId, { eventType: 'UserStatus', talking: 'yes' });
    sim.sendMalformedFrame('record'); // not JSON: the SignalR client alone would close the connection
    sim.sendMalformedFrame('message'); // an invocation without a target: likewise
    sim.sendOversizedFrame();
    const warnings = await eventually(() => {
      const found = h.logs.filter((l) => l.msg === 'dropped a malformed Enreach RTE frame' || l.msg === 'dropped an oversized Enreach RTE frame');
      return found.length >= 6 ? found : undefined;
    }, 'six warnings');
    assert.deepEqual(
      warnings.filter((w) => w.reason).map((w) => w.reason),
      ['not JSON', 'not a hub message', 'oversized'],
    );
    for (const w of warnings) {
      assert.equal(w.level, 40);
      assert.equal(w.account, 'enreach-test');
      assert.equal(w.vendor, 'enreach');
    }
    const callId = sim.ringCall({ caller: '+358401112200' });
    await eventually(() => h.desk.calls[`enreach-test/${callId}`], 'a later event still arrives');
    assert.equal(sim.tokensIssued, tokens, 'no reconnect happened');
    assert.equal(h.events.filter((e) => e.type === 'connection' && e.state === 'connected').length, 1);
  });

  it('surfaces refused subscriptions: Unauthorized, Invalid event name, Invalid EntityId', async () => {
    const h = (harness = await startHarness({
      sim: {
        forbiddenEvents: ['UserStatus'],
        hiddenEvents: ['UserWrapUpEnabled'],
        queues: [
          { id: 'c9eeb030-ff4b-ea11-ac9c-00155d4fdcf3', name: 'Sales', numbers: ['+358101001000'] },
          { id: 'legacy-queue-7', name: 'Legacy', numbers: [] },
        ],
      },
    }));
    await eventually(() => connected(h), 'connected');
    const issues = [...h.account.subscriptionIssues].sort((a, b) => a.message.localeCompare(b.message));
    assert.deepEqual(issues, [
      { entity: 'queue Legacy', topic: 'QueueStatus', message: 'Invalid EntityId' },
      { entity: 'user agent@example.com', topic: 'UserWrapUpEnabled', message: 'Invalid event name' },
      { entity: 'user agent@example.com', topic: 'UserStatus', message: 'Unauthorized' },
    ]);
  });

  it('carries out presence.set and callback.close over REST, and refuses what Enreach cannot do', async () => {
    const h = (harness = await startHarness());
    const { sim, connector } = h;
    await eventually(() => connected(h), 'connected');
    await connector.execute({ type: 'presence.set', state: 'do-not-disturb' });
    assert.equal(sim.availability, 'DoNotDisturb');
    await eventually(() => h.account.presence?.state === 'do-not-disturb', 'desk shows DND');
    await connector.execute({ type: 'presence.set', state: 'offline' });
    assert.equal(sim.availability, 'OffWork');
    await connector.execute({ type: 'presence.set', state: 'ready' });
    assert.equal(sim.availability, 'Available');
    await eventually(() => h.account.presence?.state === 'ready', 'desk shows ready');

    const cb = sim.createCallback({ contactNumber: '+358400000001' });
    await eventually(() => h.desk.callbacks[`enreach-test/${cb}`], 'callback on the desk');
    await connector.execute({ type: 'callback.close', callbackId: cb });
    assert.deepEqual(sim.openCallbacks(), []);
    await eventually(() => !h.desk.callbacks[`enreach-test/${cb}`], 'callback closed on the desk');
    await assert.rejects(connector.execute({ type: 'callback.close', callbackId: cb }), CommandError);

    await assert.rejects(connector.execute({ type: 'call.action', callId: 'x', action: 'answer' }), /is not available on Enreach/);
    await assert.rejects(connector.execute({ type: 'call.dial', number: '+358400000002' }), /is not available on Enreach/);
    await assert.rejects(connector.execute({ type: 'chat.send', chatId: 'c', text: 'hi' }), /is not available on Enreach/);
    await assert.rejects(connector.execute({ type: 'presence.set', state: 'wrap-up' }), CommandError);
  });

  it('finds the silo by discovery and trades a password for the secret key', async () => {
    const h = (harness = await startHarness({
      account: (sim) => ({ discoveryUrl: sim.discoveryUrl, password: 'configured' }),
      secrets: (sim) => ({ password: sim.credentials.password }),
    }));
    await eventually(() => connected(h), 'connected');
    assert.ok(h.sim.requests.some((r) => r.path.startsWith('/discover/api/user?user=') && r.status === 200));
    assert.ok(h.sim.requests.some((r) => r.path === `/api/authuser/${encodeURIComponent(h.sim.credentials.user)}/` && r.status === 200));
    const callId = h.sim.ringCall({ caller: '+358401112299' });
    await eventually(() => h.desk.calls[`enreach-test/${callId}`], 'events flow');
  });

  it('reads PascalCase payloads, numeric eventTypes and the WssEndpoint spelling', async () => {
    const h = (harness = await startHarness({ sim: { casing: 'pascal', numericEventType: true, tokenEndpointKey: 'WssEndpoint' } }));
    const { sim } = h;
    await eventually(() => connected(h), 'connected');
    const callId = sim.ringCall({ caller: '+358401112244' }); // UserCallInComing → eventType 10
    const call = await eventually(() => h.desk.calls[`enreach-test/${callId}`], 'ringing');
    assert.equal(call.caller, '+358401112244');
    await eventually(() => h.account.talking === true, 'UserStatus (141) talking');
    sim.setQueueFigures(sim.queues[0]!.id, { waiting: 7 }); // QueueStatus → 140
    await eventually(() => h.desk.queues[`enreach-test/${sim.queues[0]!.id}`]?.waiting === 7, 'QueueStatus (140)');
    sim.setAvailability('Away'); // UserAvailability → 1
    await eventually(() => h.account.presence?.label === 'Away', 'UserAvailability (1)');
  });

  it('stops cleanly', async () => {
    const h = (harness = await startHarness());
    await eventually(() => connected(h), 'connected');
    await h.connector.stop();
    assert.equal(h.account.connection, 'stopped');
    assert.equal(h.sim.cleanStops, 1, 'the hub had the SignalR Close message before stop() returned');
    await eventually(() => h.sim.connections === 0, 'hub connection closed');
  });
});

describe('Enreach simulator: how hub sessions end (what the conformance rig relies on)', () => {
  it('a forgotten session’s token is refused from then on; only the client’s own stop counts as a clean stop', async () => {
    const sim = await startEnreachSimulator({ pingIntervalMs: 200 });
    const log = recordingLogger([]);
    const rest = new EnreachRest(sim.apiUrl, sim.credentials.user, sim.credentials.secretKey);
    const open = async () => {
      const { url, token } = await rest.rteToken(sim.userId);
      return { token, url, session: await openRteSession({ url, token, log, onMessage: () => undefined }) };
    };
    const negotiate = (url: string, token: string) =>
      fetch(`${url}/negotiate?negotiateVersion=1`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } }).then((r) => r.status);
    try {
      const first = await open();
      assert.equal(await negotiate(first.url, first.token), 200, 'the token still opens connections');
      sim.forgetSessions();
      assert.match((await first.session.closed)?.message ?? '', /closed the connection \(WebSocket code 1008/);
      assert.equal(await negotiate(first.url, first.token), 401, 'the forgotten session’s token is refused');
      const fresh = await rest.rteToken(sim.userId);
      assert.equal(await negotiate(fresh.url, fresh.token), 200, 'a fresh token is not');

      const second = await open();
      sim.endSessions();
      assert.equal((await second.session.closed)?.message, "Enreach's real-time service ended the session");
      assert.equal(sim.cleanStops, 0, 'the client echoing the hub’s Close is no clean stop');

      const third = await open();
      await third.session.close();
      assert.equal(sim.cleanStops, 1, 'the client’s stop is');
    } finally {
      await sim.close();
    }
  });
});
