/**
 * Integration: the OpenMethods connector through its real socket transport and DCP client against
 * the simulator, on a desk. Conditions are awaited by polling with a generous deadline.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { afterEach, describe, it } from 'node:test';
import { CommandError } from '../../main/desk/port.js';
import { encodeJsonFrame } from '../../main/vendors/openmethods/transport.js';
import { ACCOUNT, eventually, startHarness, type Harness, type HarnessOptions } from '../fixtures/openmethods/harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

async function connectedHarness(options: HarnessOptions = {}): Promise<Harness> {
  harness = await startHarness(options);
  const h = harness;
  await eventually(() => h.account.connection === 'connected', 'connected');
  await eventually(() => Object.keys(h.state.team).length === 8, 'the team is listed');
  return h;
}

const key = (id: string): string => `${ACCOUNT}/${id}`;

describe('OpenMethods connector against the simulator', () => {
  it('signs in: the in-service processor and the report service, prepareSession as the document says, state, reasons and team', async () => {
    const h = await connectedHarness();
    assert.deepEqual(
      h.sent('bindService').map((r) => r.data.serviceId),
      ['uccx-primary', 'uccx-reports'],
      'the standby processor is out of service and not chosen',
    );
    assert.deepEqual(h.sent('prepareSession').map((r) => r.data), [{ model: 'uccx', override: false, agent: { id: h.sim.credentials.agentId, password: h.sim.credentials.password } }]);
    assert.equal(h.sent('bindResource').length, 1);
    assert.deepEqual(h.sent('report.teamstatus.begin').map((r) => r.data), [{ agentId: h.sim.credentials.agentId }]);
    assert.deepEqual(h.account.presence && { state: h.account.presence.state, label: h.account.presence.label }, { state: 'ready', label: 'READY' });
    assert.deepEqual(
      h.account.presenceReasons.map((r) => `${r.state}:${r.code}:${r.label}`),
      ['not-ready:1:Break', 'not-ready:2:Lunch', 'not-ready:3:Meeting', 'not-ready:4:Training', 'not-ready:5:Coaching', 'offline:20:End of shift', 'offline:21:Appointment'],
    );
    assert.deepEqual(h.account.subscriptionIssues, []);
    const chloe = h.state.team[key('agent-03')]!;
    assert.deepEqual([chloe.name, chloe.group, chloe.role, chloe.presence.state, chloe.presence.reason], ['Chloe Park', 'Customer Care North', 'agent', 'not-ready', 'Lunch']);
    assert.equal(h.state.team[key('sup-01')]?.role, 'supervisor');
    assert.equal(h.state.team[key('lead-01')]?.role, 'team-lead');
    assert.equal(h.state.team[key('agent-04')]?.presence.state, 'wrap-up');
  });

  it('a ringing call: attached data, answered, held, retrieved, a consult leg shown as such, hung up, wrap-up, its journey', async () => {
    const h = await connectedHarness();
    const { sim, desk } = h;
    const id = sim.center.ring({ ani: '+14155550142', dnis: '8005550199', callVariables: { Account: 'ACC-123', Topic: 'Billing' } });
    const ringing = await eventually(() => h.state.calls[key(id)], 'the call rings on the desk');
    assert.deepEqual([ringing.state, ringing.direction, ringing.caller, ringing.target, ringing.actions], ['ringing', 'inbound', '+14155550142', '8005550199', ['answer']]);
    assert.deepEqual(ringing.userData, { ANI: '+14155550142', DNIS: '8005550199', Account: 'ACC-123', Topic: 'Billing' });
    await eventually(() => h.account.presence?.label === 'RESERVED', 'the agent is reserved');
    assert.equal(h.account.presence?.state, 'ready');

    await desk.callAction(key(id), 'answer');
    await eventually(() => h.state.calls[key(id)]?.state === 'connected', 'answered');
    await eventually(() => h.account.talking === true && h.account.presence?.label === 'TALKING', 'the agent is talking');
    const conversation = sim.center.interactions.get(id)!.primary.id;
    assert.deepEqual(h.sent('conversation.answer').at(-1)?.target, `${sim.session()!.resourceId}.${id}.${conversation}`);

    await desk.callAction(key(id), 'hold');
    await eventually(() => h.state.calls[key(id)]?.state === 'held', 'held');
    await desk.callAction(key(id), 'retrieve');
    await eventually(() => h.state.calls[key(id)]?.state === 'connected', 'retrieved');

    sim.center.consult(id, '7002');
    const consult = await eventually(() => h.state.calls[key(`${id}:consult`)], 'the consult leg shows');
    assert.equal(consult.direction, 'consult');
    await eventually(() => h.state.calls[key(id)]?.state === 'held', 'the customer is on hold while consulting');
    sim.center.farEndAnswers(id);
    await eventually(() => h.state.calls[key(`${id}:consult`)]?.state === 'connected', 'the consult leg connects');
    await desk.callAction(key(`${id}:consult`), 'hangup');
    await eventually(() => !h.state.calls[key(`${id}:consult`)], 'the consult leg ends');
    assert.equal(h.state.calls[key(id)]?.state, 'held', 'the customer’s leg lives on');
    await desk.callAction(key(id), 'retrieve');
    await desk.callAction(key(id), 'hangup');
    const ended = await eventually(() => h.state.recentCalls.find((c) => c.key === key(id)), 'the call ends');
    assert.equal(ended.state, 'ended');
    await eventually(() => h.account.wrapUp?.callId === id, 'wrap-up of that call');
    assert.deepEqual([h.account.presence?.state, h.account.presence?.label, h.account.talking], ['wrap-up', 'WORK_READY', false]);
    assert.equal(Object.keys(h.state.calls).length, 0, 'one call per interaction, each leg ended');

    const journey = await desk.callJourney(key(id));
    assert.deepEqual(
      journey.steps.map((s) => [s.device, s.deviceType, s.description]),
      [
        ['8005550199', 'Route Point', 'Main menu (IVR)'],
        ['CSQ_Sales', 'CSQ', 'Queued for Sales'],
        ['7001', 'Agent Device', 'Alex Agent'],
      ],
    );
    assert.equal(journey.steps[1]?.durationSec, 42);
    assert.deepEqual(h.sent('report.calljourney').map((r) => r.data), [{ CallId: id }]);

    sim.center.endWork();
    await eventually(() => h.account.presence?.state === 'ready' && !h.account.wrapUp, 'wrap-up ends, ready again');
  });

  it('click-to-dial places the call through session.makeCall; the far end answers', async () => {
    const h = await connectedHarness();
    await h.desk.dial(ACCOUNT, '+12125550187');
    assert.deepEqual(h.sent('session.makeCall').map((r) => r.data), [{ destination: '+12125550187' }]);
    const dialing = await eventually(() => Object.values(h.state.calls)[0], 'the dialled call shows');
    assert.deepEqual([dialing.direction, dialing.state, dialing.target], ['outbound', 'dialing', '+12125550187']);
    h.sim.center.farEndAnswers(dialing.id);
    await eventually(() => h.state.calls[dialing.key]?.state === 'connected', 'connected');
  });

  it('not ready with a reason chosen on the desk reaches UCCX; logging out goes through NOT_READY; not during a call', async () => {
    const h = await connectedHarness();
    await h.desk.setAccountPresence(ACCOUNT, 'not-ready', '2');
    assert.deepEqual(h.sent('session.changeState').at(-1)?.data, { state: 'NOT_READY', reasonCode: 2 });
    await eventually(() => h.account.presence?.state === 'not-ready' && h.account.presence.reason === 'Lunch', 'not ready: Lunch');
    assert.deepEqual(h.sim.center.agentState.reasonCode, 2);

    await h.desk.setAccountPresence(ACCOUNT, 'ready');
    await eventually(() => h.account.presence?.state === 'ready', 'ready');
    const before = h.sent('session.changeState').length;
    await h.desk.setAccountPresence(ACCOUNT, 'offline', '20');
    assert.deepEqual(
      h.sent('session.changeState').slice(before).map((r) => r.data),
      [{ state: 'NOT_READY' }, { state: 'LOGOUT', reasonCode: 20 }],
    );
    await eventually(() => h.account.presence?.state === 'offline' && h.account.presence.reason === 'End of shift', 'logged out');

    await h.desk.setAccountPresence(ACCOUNT, 'ready');
    await eventually(() => h.account.presence?.state === 'ready', 'ready again');
    const id = h.sim.center.ring();
    await eventually(() => h.state.calls[key(id)], 'ringing');
    await eventually(() => h.account.presence?.label === 'RESERVED', 'reserved');
    await assert.rejects(h.desk.setAccountPresence(ACCOUNT, 'offline'), (e: unknown) => e instanceof CommandError && /only from Not ready: finish the call first/.test(e.message));
    await assert.rejects(h.desk.setAccountPresence(ACCOUNT, 'not-ready', '999'), CommandError);
  });

  it('another session holds the agent: the document’s question is asked, and only Take over overrides it', async () => {
    harness = await startHarness({ otherSession: true });
    const h = harness;
    const prompt = await eventually(() => h.account.prompt, 'the agent is asked');
    assert.match(prompt.message, /already signed in on another desktop/);
    assert.deepEqual(prompt.choices, [
      { id: 'take-over', label: 'Take over', primary: true, said: { key: 'prompt.take-over' } },
      { id: 'cancel', label: 'Cancel', said: { key: 'common.cancel' } },
    ]);
    assert.equal(prompt.said, undefined, 'the server’s question is shown as it sent it');
    assert.deepEqual(
      h.sent('prepareSession').map((r) => r.data.override),
      [false],
      'nothing is overridden before the agent answers',
    );
    h.desk.answerPrompt(ACCOUNT, prompt.id, 'take-over');
    await eventually(() => h.account.connection === 'connected', 'connected after Take over');
    assert.deepEqual(
      h.sent('prepareSession').map((r) => r.data.override),
      [false, true],
    );
    assert.equal(h.account.prompt, undefined);
    assert.equal(h.sim.session()?.holder, 'client');
  });

  it('Cancel leaves the other session alone: failed with a reason; Retry asks again', async () => {
    harness = await startHarness({ otherSession: true });
    const h = harness;
    const prompt = await eventually(() => h.account.prompt, 'the agent is asked');
    h.desk.answerPrompt(ACCOUNT, prompt.id, 'cancel');
    await eventually(() => h.account.connection === 'failed', 'failed');
    assert.match(h.account.reason ?? '', /chose not to take it over/);
    assert.equal(h.sim.session()?.holder, 'other');
    assert.ok(h.sent('prepareSession').every((r) => r.data.override === false));
    h.desk.retryAccount(ACCOUNT);
    const again = await eventually(() => h.account.prompt, 'asked again after Retry');
    assert.notEqual(again.id, prompt.id);
  });

  it('wrong password: failed with the server’s message and what to check, without trying again on its own', async () => {
    harness = await startHarness({ password: 'wrong' });
    const h = harness;
    await eventually(() => h.account.connection === 'failed', 'failed');
    assert.match(h.account.reason ?? '', /Invalid agent id or password — check the agent id and password/);
    assert.equal(h.sent('prepareSession').length, 1);
  });

  it('after a lost connection it binds the previous session again; a forgotten one is prepared anew', async () => {
    const h = await connectedHarness();
    const resource = h.sim.session()!.resourceId;
    h.sim.closeConnections();
    await eventually(() => h.sent('bindResource').length === 2 && h.account.connection === 'connected', 'reconnected');
    assert.equal(h.sent('prepareSession').length, 1, 'no new session');
    assert.equal(h.sim.session()?.resourceId, resource);

    const id = h.sim.center.ring();
    await eventually(() => h.state.calls[key(id)], 'events flow on the rebound session');
    h.sim.forgetSessions();
    await eventually(() => h.sent('prepareSession').length === 2 && h.account.connection === 'connected', 'a new session');
    assert.deepEqual(h.sent('prepareSession')[1]?.data.override, false);
    await eventually(() => h.state.calls[key(id)]?.state === 'ringing', 'the ringing call survives the re-sync');
  });

  it('taken over by another desktop, it asks before taking the session back', async () => {
    const h = await connectedHarness();
    h.sim.startOtherSession();
    const prompt = await eventually(() => h.account.prompt, 'asked whether to take it back');
    assert.notEqual(h.account.connection, 'connected');
    assert.equal(h.sim.session()?.holder, 'other', 'not taken back silently');
    h.desk.answerPrompt(ACCOUNT, prompt.id, 'take-over');
    await eventually(() => h.account.connection === 'connected' && h.sim.session()?.holder === 'client', 'taken back');
  });

  it('the capabilities decide the actions: no answer button, no dialling', async () => {
    const h = await connectedHarness({ sim: { capabilities: { 'conversation.answer': false, 'conversation.release': true, 'session.makeCall': false, 'session.changeState': true } } });
    assert.deepEqual([h.account.canDial, h.account.callControl], [false, true], 'the window offers no dialling on this account');
    const id = h.sim.center.ring();
    const call = await eventually(() => h.state.calls[key(id)], 'ringing');
    assert.deepEqual(call.actions, []);
    await assert.rejects(h.desk.dial(ACCOUNT, '5551234'), (e: unknown) => e instanceof CommandError && /does not place calls/.test(e.message));
    assert.equal(h.sent('session.makeCall').length, 0);
  });

  it('team: several members change at once, one leaves, a team is renamed', async () => {
    const h = await connectedHarness();
    h.sim.center.setMemberStatus([
      { memberId: 'agent-02', status: 'not_ready', reason: '3' },
      { memberId: 'agent-05', status: 'ACW' },
    ]);
    await eventually(() => h.state.team[key('agent-02')]?.presence.reason === 'Meeting' && h.state.team[key('agent-05')]?.presence.state === 'wrap-up', 'both changed');
    assert.ok(h.state.team[key('agent-02')]?.presence.since, 'time in status known from the change');
    h.sim.center.removeMember('agent-07');
    await eventually(() => !h.state.team[key('agent-07')], 'the member leaves');
    h.sim.center.renameTeam('team-south', 'Care South (late)');
    await eventually(() => h.state.team[key('agent-05')]?.group === 'Care South (late)', 'renamed');
  });

  it('a malformed frame is logged with the platform and dropped; a broken frame stream reconnects without losing the call', async () => {
    const h = await connectedHarness();
    h.sim.sendMalformedFrame();
    h.sim.sendRaw(encodeJsonFrame(1, { messageType: 'resourceEvent' }));
    await eventually(() => h.logs.filter((l) => l.level === 40 && l.vendor === 'openmethods' && /malformed/.test(l.msg)).length >= 2, 'logged');
    const id = h.sim.center.ring();
    await eventually(() => h.state.calls[key(id)], 'events still flow');
    assert.deepEqual(h.transitions, ['connecting', 'connected']);

    h.sim.sendOversizedFrame();
    await eventually(() => h.logs.some((l) => l.vendor === 'openmethods' && /protocol error/.test(l.msg)), 'the protocol error is logged');
    await eventually(() => h.transitions.includes('reconnecting') && h.account.connection === 'connected', 'reconnected');
    assert.equal(h.state.calls[key(id)]?.state, 'ringing', 'the call is still there, once');
    h.sim.sendRaw(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
    await eventually(() => h.logs.some((l) => l.vendor === 'openmethods' && /no frame boundary/.test(String(l.problem))), 'a bad boundary is a protocol error too');
    await eventually(() => h.account.connection === 'connected' && h.transitions.filter((t) => t === 'reconnecting').length === 2, 'reconnected again');
  });

  it('a command the server does not answer fails with a clear message', async () => {
    const h = await connectedHarness({ tuning: { pingIntervalMs: 60_000, requestTimeoutMs: 300 } });
    h.sim.setSilent(true);
    await assert.rejects(h.desk.setAccountPresence(ACCOUNT, 'not-ready'), (e: unknown) => e instanceof CommandError && /did not answer in time/.test(e.message));
  });

  it('silence: two missed pongs end the connection; it comes back when the server answers again', async () => {
    const h = await connectedHarness();
    h.sim.setSilent(true);
    await eventually(() => h.account.connection === 'reconnecting', 'the dead connection is noticed');
    assert.match(h.account.reason ?? '', /stopped answering|did not answer/);
    h.sim.setSilent(false);
    await eventually(() => h.account.connection === 'connected', 'connected again');
  });

  it('the processor going out of service ends the session until it is back', async () => {
    const h = await connectedHarness();
    h.sim.setServiceStatus('processor', 'OutOfService');
    await eventually(() => h.account.connection === 'reconnecting', 'reconnecting');
    await eventually(() => /No UCCX processor service/.test(h.account.reason ?? ''), 'says why');
    h.sim.setServiceStatus('processor', 'InService');
    await eventually(() => h.account.connection === 'connected', 'connected again');
  });

  it('the report service out of service and back: the team issue shows, then the report begins again', async () => {
    const h = await connectedHarness();
    h.sim.setServiceStatus('report', 'OutOfService');
    await eventually(() => h.account.subscriptionIssues.some((i) => i.entity === 'Team status'), 'the team issue');
    h.sim.setServiceStatus('report', 'InService');
    await eventually(() => h.account.subscriptionIssues.length === 0 && h.sent('report.teamstatus.begin').length === 2, 'the report begins again');
    assert.equal(h.sent('bindService').filter((r) => r.data.serviceId === 'uccx-reports').length, 2, 'bound again first');
    h.sim.center.setMemberStatus([{ memberId: 'agent-06', status: 'ready' }]);
    await eventually(() => h.state.team[key('agent-06')]?.presence.state === 'ready', 'team changes flow again');
    assert.equal(Object.keys(h.state.team).length, 8);
  });

  it('without the report service: connected, the team issue shown, journeys refused with a reason', async () => {
    harness = await startHarness();
    const h = harness;
    await eventually(() => h.account.connection === 'connected', 'connected');
    h.sim.setServiceStatus('report', 'OutOfService');
    await eventually(() => h.account.subscriptionIssues.some((i) => i.entity === 'Team status'), 'the team issue');
    h.sim.closeConnections();
    await eventually(() => h.sent('bindResource').length === 2 && h.account.connection === 'connected', 'reconnected without reports');
    const id = h.sim.center.ring();
    await eventually(() => h.state.calls[key(id)], 'ringing');
    await assert.rejects(h.desk.callJourney(key(id)), (e: unknown) => e instanceof CommandError && /report service/.test(e.message));
  });

  it('TLS when the URL says tls://', async () => {
    const tls = { key: readFileSync(new URL('../fixtures/openmethods/tls/key.pem', import.meta.url)), cert: readFileSync(new URL('../fixtures/openmethods/tls/cert.pem', import.meta.url)) };
    harness = await startHarness({ sim: { tls }, tuning: { tls: { ca: tls.cert } } });
    const h = harness;
    assert.match(h.sim.url, /^tls:\/\/localhost:/);
    await eventually(() => h.account.connection === 'connected', 'connected over TLS');
    const id = h.sim.center.ring();
    await eventually(() => h.state.calls[key(id)], 'events over TLS');
  });

  it('TLS to a server whose certificate is not trusted fails without connecting', async () => {
    const tls = { key: readFileSync(new URL('../fixtures/openmethods/tls/key.pem', import.meta.url)), cert: readFileSync(new URL('../fixtures/openmethods/tls/cert.pem', import.meta.url)) };
    harness = await startHarness({ sim: { tls } });
    const h = harness;
    await eventually(() => h.account.connection === 'reconnecting', 'not connected');
    assert.match(h.account.reason ?? '', /SELF_SIGNED|certificate/i);
    assert.equal(h.sim.registrations(), 0);
  });

  it('stop ends the report, unbinds the session and the services; a question still open does not hold it up', async () => {
    const h = await connectedHarness();
    await h.desk.stop();
    assert.deepEqual(
      h.sim.requests.slice(-4).map((r) => r.name),
      ['report.teamstatus.end', 'unbindResource', 'unbindService', 'unbindService'],
    );
    assert.equal(h.sim.cleanStops(), 1);
    assert.deepEqual(Object.keys(h.state.team), [], 'the team leaves the desk with the account');

    const asking = await startHarness({ otherSession: true });
    try {
      await eventually(() => asking.account.prompt, 'asked');
      await asking.desk.stop();
      assert.equal(asking.account.connection, 'stopped');
      assert.equal(asking.account.prompt, undefined);
      assert.equal(asking.sim.session()?.holder, 'other');
    } finally {
      await asking.stop();
    }
  });
});
