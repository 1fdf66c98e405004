/**
 * The 3C platform's pure parts: the account (UPN, server URI, terminal lists), presence and call
 * state words, monitoring in batches of at most 500 with partial failures, and the desk picture
 * (IMs once, replies once, calls, busy lamps, stale calls after a reconnect).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from '../../main/log.js';
import type { ConnectorEvent } from '../../main/desk/events.js';
import { colleagueTerminalsOf, terminalsOf, threecAccountSchema } from '../../main/vendors/threec/config.js';
import { linkIsSafe } from '../../main/vendors/threec/connector.js';
import type { ResponseFrame } from '../../main/vendors/threec/contract.js';
import { LinkTimeoutError } from '../../main/vendors/threec/link.js';
import { batches, namedIn, planOf, startMonitoring } from '../../main/vendors/threec/monitoring.js';
import { ThreecDesk, callStateOf, presenceState, watchOf, type Watch } from '../../main/vendors/threec/normalize.js';
import type { CommandName, CommandProperties, MonitoredTerminalEvent } from '../../main/vendors/threec/schema.js';

const log = createLogger('silent');

const BASE = {
  id: 'tc',
  vendor: 'threec',
  linkUrl: 'wss://link.example.com/3c-event',
  serveruri: 'https://serverdnsname/SphericallService',
  username: 'test@domain',
  password: { env: 'THREEC_PASSWORD' },
};

function problems(account: Record<string, unknown>): string[] {
  const parsed = threecAccountSchema.safeParse({ ...BASE, ...account });
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('3C account', () => {
  it('takes the document’s example values: a UPN without a dotted domain and the SphericallService URI', () => {
    assert.deepEqual(problems({}), []);
  });

  it('refuses a user name that is not a UPN, a server URI that is not http(s), a link that is not ws(s), and over-long properties', () => {
    assert.match(problems({ username: 'test' }).join(), /username: must be a user name in UPN format/);
    assert.match(problems({ username: 'te st@domain' }).join(), /username: must be a user name in UPN format/);
    assert.match(problems({ serveruri: 'serverdnsname/SphericallService' }).join(), /serveruri: must be the 3C Server URI/);
    assert.match(problems({ serveruri: `https://h/${'x'.repeat(1024)}` }).join(), /serveruri: must be at most 1024/);
    assert.match(problems({ username: `${'u'.repeat(1020)}@domain` }).join(), /username: must be at most 1024/);
    assert.match(problems({ linkUrl: 'https://link.example.com' }).join(), /linkUrl: must be the adapter link/);
    assert.match(problems({ password: undefined }).join(), /password: is required/);
  });

  it('reads terminals written as text or as the document’s objects, the type defaulting to ext, each once', () => {
    const parsed = threecAccountSchema.parse({ ...BASE, terminals: '1001, 1002 (sip); 1001\n5550100 (did)' });
    assert.deepEqual(terminalsOf(parsed.terminals), [
      { addressvalue: '1001', addresstype: 'ext' },
      { addressvalue: '1002', addresstype: 'sip' },
      { addressvalue: '5550100', addresstype: 'did' },
    ]);
    const objects = threecAccountSchema.parse({ ...BASE, terminals: [{ addressvalue: '1001' }, { addressvalue: '1002', addresstype: 'ext' }, '1003'] });
    assert.deepEqual(terminalsOf(objects.terminals).map((t) => `${t.addressvalue}/${t.addresstype}`), ['1001/ext', '1002/ext', '1003/ext']);
  });

  it('calls a link safe only when the password cannot cross the network in clear', () => {
    assert.equal(linkIsSafe('wss://link.example.com/3c-event'), true);
    assert.equal(linkIsSafe('ws://127.0.0.1:9000/3c-event'), true);
    assert.equal(linkIsSafe('ws://localhost:9000/3c-event'), true);
    assert.equal(linkIsSafe('ws://link.example.com/3c-event'), false);
  });

  it('names the list item that is wrong', () => {
    assert.deepEqual(problems({ terminals: ['1001', '10 02'] }), ['terminals.1: "10 02" is not an address: write 1001 or 1001 (ext)']);
    assert.deepEqual(problems({ colleagues: 'bob@corp, carol' }), ['colleagues: "carol" must be a user name in UPN format, e.g. bob@domain']);
    assert.match(problems({ colleagueTerminals: '2001' }).join(), /colleagueTerminals: "2001" must name its colleague/);
    assert.match(problems({ terminals: [{ addressvalue: '1001', addresstyp: 'ext' }] }).join(), /terminals/);
  });

  it('reads colleagues’ terminals with their owners, and watches their owners too', () => {
    const parsed = threecAccountSchema.parse({ ...BASE, colleagues: 'bob@corp', colleagueTerminals: 'carol@corp = 2002, bob@corp = 2001 (ext), test@domain = 1009' });
    assert.deepEqual(colleagueTerminalsOf(parsed.colleagueTerminals)[0], { username: 'carol@corp', terminal: { addressvalue: '2002', addresstype: 'ext' } });
    const watch = watchOf(parsed);
    assert.deepEqual(watch.colleagues, ['bob@corp', 'carol@corp'], 'the agent is never their own colleague');
    assert.deepEqual(
      watch.colleagueTerminals.map((t) => t.terminal.addressvalue),
      ['2002', '2001'],
    );
  });
});

describe('3C words', () => {
  it('maps presence values case-insensitively and keeps unknown ones as not ready', () => {
    assert.equal(presenceState('Available'), 'ready');
    assert.equal(presenceState('AVAILABLE'), 'ready');
    assert.equal(presenceState('Busy'), 'not-ready');
    assert.equal(presenceState('away'), 'not-ready');
    assert.equal(presenceState('DoNotDisturb'), 'do-not-disturb');
    assert.equal(presenceState('Do Not Disturb'), 'do-not-disturb');
    assert.equal(presenceState('Offline'), 'offline');
    assert.equal(presenceState('Gone fishing'), 'not-ready');
  });

  it('maps call states, an outgoing call’s ringing being the far end’s', () => {
    assert.equal(callStateOf('Ringing', true), 'ringing');
    assert.equal(callStateOf('Ringing', false), 'dialing');
    assert.equal(callStateOf('Dialing', false), 'dialing');
    assert.equal(callStateOf('CONNECTED', true), 'connected');
    assert.equal(callStateOf('Held', true), 'held');
    assert.equal(callStateOf('Disconnected', true), 'ended');
    assert.equal(callStateOf('Parked somewhere', true), undefined);
  });
});

/** A link double: answers each command with `answer`, records what was sent. */
function fakeLink(answer: (command: CommandName, properties: unknown) => ResponseFrame | Error) {
  const sent: Array<{ command: CommandName; properties: unknown }> = [];
  return {
    sent,
    async command<C extends CommandName>(command: C, properties: CommandProperties[C]): Promise<ResponseFrame> {
      sent.push({ command, properties });
      const a = answer(command, properties);
      if (a instanceof Error) throw a;
      return a;
    },
  };
}

const ok: ResponseFrame = { type: 'response', id: 'x', status: 'success', errorMessage: undefined };
const failure = (errorMessage?: string): ResponseFrame => ({ type: 'response', id: 'x', status: 'failure', errorMessage });

function watchWith(terminals: number, lamps: Array<[string, string]> = []): Watch {
  return {
    me: 'agent@corp',
    ownTerminals: Array.from({ length: terminals }, (_, i) => ({ addressvalue: String(1000 + i), addresstype: 'ext' })),
    colleagues: [...new Set(lamps.map(([user]) => user))],
    colleagueTerminals: lamps.map(([username, value]) => ({ username, terminal: { addressvalue: value, addresstype: 'ext' } })),
  };
}

describe('3C monitoring', () => {
  it('splits lists into requests of at most 500', () => {
    assert.deepEqual(batches(Array.from({ length: 1_201 }, (_, i) => i)).map((b) => b.length), [500, 500, 201]);
    assert.deepEqual(batches([]), []);
    assert.deepEqual(batches([1, 2, 3], 500), [[1, 2, 3]]);
    assert.throws(() => batches([1], 0), RangeError);
  });

  it('monitors 1,201 terminals in three requests, in order, each terminal once', async () => {
    const link = fakeLink(() => ok);
    const issues = await startMonitoring(link, planOf(watchWith(1_201)), 'agent@corp', log);
    assert.deepEqual(issues, []);
    const requests = link.sent.filter((s) => s.command === 'startMonitoringTerminals').map((s) => (s.properties as { terminals: Array<{ addressvalue: string }> }).terminals);
    assert.deepEqual(requests.map((r) => r.length), [500, 500, 201]);
    const all = requests.flat().map((t) => t.addressvalue);
    assert.equal(new Set(all).size, 1_201);
    assert.equal(all[0], '1000');
    assert.equal(all.at(-1), '2200');
    assert.equal(link.sent[0]!.command, 'startMonitoringUsers', 'users first');
  });

  it('shows the terminal a failure names, in the request where it failed, and keeps the others', async () => {
    const link = fakeLink((command, properties) => {
      if (command !== 'startMonitoringTerminals') return ok;
      const values = (properties as { terminals: Array<{ addressvalue: string }> }).terminals.map((t) => t.addressvalue);
      return values.includes('1700') ? failure('Could not monitor terminal 1700.') : ok;
    });
    const issues = await startMonitoring(link, planOf(watchWith(1_201)), 'agent@corp', log);
    assert.deepEqual(issues, [{ entity: 'terminal 1700 (ext)', topic: 'your calls', message: 'Could not monitor terminal 1700.' }]);
  });

  it('says which colleague a busy lamp belongs to, and blames the batch when 3C names no terminal', async () => {
    const named = fakeLink((command) => (command === 'startMonitoringTerminals' ? failure('terminal 2001 is not registered') : ok));
    assert.deepEqual(await startMonitoring(named, planOf(watchWith(1, [['bob@corp', '2001']])), 'agent@corp', log), [
      { entity: 'terminal 2001 (ext)', topic: 'busy lamp of bob@corp', message: 'terminal 2001 is not registered' },
    ]);
    const vague = fakeLink((command) => (command === 'startMonitoringTerminals' ? failure('internal error') : ok));
    const issues = await startMonitoring(vague, planOf(watchWith(3)), 'agent@corp', log);
    assert.equal(issues.length, 1);
    assert.equal(issues[0]!.entity, 'terminals 1000 … 1002 (3)');
    assert.match(issues[0]!.message, /internal error — 3C did not say which terminal failed/);
  });

  it('names a user 3C refused, and records a request that got no answer without dropping the session', async () => {
    const link = fakeLink((command) =>
      command === 'startMonitoringUsers' ? failure('user bob@corp not found') : new LinkTimeoutError('the 3C link did not answer startMonitoringTerminals within 2 s'),
    );
    const issues = await startMonitoring(link, planOf(watchWith(1, [['bob@corp', '2001']])), 'agent@corp', log);
    assert.deepEqual(issues[0], { entity: 'colleague bob@corp', topic: 'presence', message: 'user bob@corp not found' });
    assert.match(issues[1]!.message, /did not answer startMonitoringTerminals/);
  });

  it('finds names as whole words only', () => {
    assert.deepEqual(namedIn('terminal 1001 failed', ['100', '1001', '001'], (x) => x), ['1001']);
    assert.deepEqual(namedIn('bob@corp.example unknown', ['bob@corp', 'bob@corp.example'], (x) => x), ['bob@corp.example']);
    assert.deepEqual(namedIn('Failed: 1002.', ['1002'], (x) => x), ['1002']);
  });
});

const terminal = (call: string, callState: string, extra: Partial<MonitoredTerminalEvent> = {}): MonitoredTerminalEvent => ({
  address: '1001',
  addressType: 'ext',
  calledAddressValue: '1001',
  calledAddressType: 'ext',
  caller: '+358401',
  callType: 'External',
  isIncoming: true,
  callState,
  call,
  ...extra,
});

function picture(now: { ms: number } = { ms: 0 }) {
  const watch: Watch = {
    me: 'agent@corp',
    ownTerminals: [{ addressvalue: '1001', addresstype: 'ext' }],
    colleagues: ['bob@corp', 'carol@corp'],
    colleagueTerminals: [{ username: 'bob@corp', terminal: { addressvalue: '2001', addresstype: 'ext' } }],
  };
  return new ThreecDesk(watch, { repeatWindowMs: 5_000, log, now: () => now.ms });
}

const im = (sendingUser: string, message: string, receivingUser: string | undefined = 'agent@corp') =>
  ({ event: 'imReceived', properties: { sendingUser, receivingUser, message } }) as const;
const lines = (events: ConnectorEvent[]): string[] => events.flatMap((e) => (e.type === 'chat.messages' ? e.messages.map((m) => `${m.from.role}:${m.text}`) : []));

describe('3C instant messages', () => {
  it('opens a conversation per colleague as new, in order, and shows a repeated event once', () => {
    const now = { ms: 0 };
    const desk = picture(now);
    const first = desk.handle(im('bob@corp', 'Hi'), '2026-11-20T09:00:00.000Z');
    assert.deepEqual(first[0], {
      type: 'chat',
      chat: { id: 'bob@corp', state: 'invited', participants: [{ id: 'bob@corp', name: 'bob@corp', role: 'customer' }], actions: ['send'], startedAt: '2026-11-20T09:00:00.000Z' },
    });
    now.ms = 2_000;
    assert.deepEqual(desk.handle(im('bob@corp', 'Hi'), 'x'), [], 'the same text within the window is the same message');
    assert.deepEqual(lines(desk.handle(im('bob@corp', 'Are you there?'), 'x')), ['customer:Are you there?']);
    now.ms = 8_000;
    assert.deepEqual(lines(desk.handle(im('bob@corp', 'Hi'), 'x')), ['customer:Hi'], 'after the window it is a new message');
    const indexes = [first, desk.handle(im('bob@corp', 'more'), 'x')].flat().flatMap((e) => (e.type === 'chat.messages' ? e.messages.map((m) => m.index) : []));
    assert.deepEqual(indexes, [1, 4]);
  });

  it('shows a reply once: after the response, or at its echo when the echo comes first', () => {
    const desk = picture();
    desk.handle(im('bob@corp', 'Hi'), 'x');
    const reply = desk.beginSend('bob@corp', 'Hello');
    const events = desk.sent(reply, 'y');
    assert.deepEqual(events.filter((e) => e.type === 'chat'), [{ type: 'chat', chat: { id: 'bob@corp', state: 'active' } }]);
    assert.deepEqual(lines(events), ['agent:Hello']);
    assert.deepEqual(desk.handle(im('agent@corp', 'Hello', 'bob@corp'), 'z'), [], 'the echo after the response');
    const second = desk.beginSend('bob@corp', 'Hello');
    assert.deepEqual(lines(desk.handle(im('agent@corp', 'Hello', 'bob@corp'), 'z')), ['agent:Hello'], 'the echo before the response: a new line');
    assert.deepEqual(desk.sent(second, 'z'), []);
    const refused = desk.beginSend('bob@corp', 'lost');
    desk.sendFailed(refused);
    assert.deepEqual(desk.handle(im('bob@corp', 'ok'), 'z').length, 1);
  });

  it('ignores IMs between other people, and knows a user by another case or by the name before the @', () => {
    const desk = picture();
    assert.deepEqual(desk.handle(im('bob@corp', 'private', 'carol@corp'), 'x'), []);
    assert.deepEqual(lines(desk.handle(im('CAROL@CORP', 'hey'), 'x')), ['customer:hey']);
    assert.equal(desk.userId('carol'), 'carol@corp');
    assert.equal(desk.userId('Stranger@elsewhere'), 'Stranger@elsewhere');
  });

  it('starts a conversation only with a watched colleague', () => {
    const desk = picture();
    assert.deepEqual(desk.startChat('carol@corp'), [
      { type: 'chat', chat: { id: 'carol@corp', state: 'active', participants: [{ id: 'carol@corp', name: 'carol@corp', role: 'customer' }], actions: ['send'] } },
    ]);
    assert.deepEqual(desk.startChat('carol@corp'), [], 'once');
    assert.equal(desk.destination('carol@corp'), 'carol@corp');
    assert.throws(() => desk.startChat('mallory@corp'), /not a watched colleague/);
  });
});

describe('3C calls, presence and busy lamps', () => {
  it('folds a call’s events; a repeat changes nothing; a late event after the end is ignored', () => {
    const desk = picture();
    const ringing = desk.handle({ event: 'monitoredTerminalEventReceived', properties: terminal('42', 'Ringing') }, 't0');
    assert.deepEqual(ringing, [
      {
        type: 'call',
        call: { id: '42', state: 'ringing', direction: 'inbound', caller: '+358401', target: '1001', actions: [], userData: { Terminal: '1001 (ext)', 'Call type': 'External' }, startedAt: 't0' },
      },
    ]);
    assert.deepEqual(desk.handle({ event: 'monitoredTerminalEventReceived', properties: terminal('42', 'Ringing') }, 't1'), []);
    const connected = desk.handle({ event: 'monitoredTerminalEventReceived', properties: terminal('42', 'Connected') }, 't2');
    assert.equal(connected[0]?.type === 'call' && connected[0].call.state, 'connected');
    const unknown = desk.handle({ event: 'monitoredTerminalEventReceived', properties: terminal('42', 'Parked') }, 't3');
    assert.equal(unknown[0]?.type === 'call' && unknown[0].call.state, 'connected', 'an unknown state keeps the last one');
    assert.deepEqual(desk.handle({ event: 'monitoredTerminalEventReceived', properties: terminal('42', 'Disconnected') }, 't4'), [
      { type: 'call', call: { id: '42', state: 'ended', endedAt: 't4', endReason: 'Disconnected' } },
    ]);
    assert.deepEqual(desk.handle({ event: 'monitoredTerminalEventReceived', properties: terminal('42', 'Connected') }, 't5'), []);
    assert.deepEqual(desk.handle({ event: 'monitoredTerminalEventReceived', properties: terminal('43', 'Whatever') }, 't6'), [], 'a new call in an unknown state waits');
    assert.deepEqual(desk.handle({ event: 'monitoredTerminalEventReceived', properties: terminal('44', 'Ringing', { address: '9999' }) }, 't7'), [], 'a terminal not watched');
  });

  it('matches a terminal without a type by its value', () => {
    const desk = picture();
    const events = desk.handle({ event: 'monitoredTerminalEventReceived', properties: terminal('50', 'Ringing', { addressType: undefined }) }, 't');
    assert.equal(events.length, 1);
  });

  it('marks live calls stale after a reconnect, until 3C reports them again', () => {
    const desk = picture();
    desk.handle({ event: 'monitoredTerminalEventReceived', properties: terminal('42', 'Connected') }, 't0');
    assert.deepEqual(desk.reconnected(), [{ type: 'call', call: { id: '42', stale: true } }]);
    assert.deepEqual(desk.reconnected(), [], 'marked once');
    const again = desk.handle({ event: 'monitoredTerminalEventReceived', properties: terminal('42', 'Connected') }, 't1');
    assert.equal(again.length, 1, 'the same event after a reconnect confirms the call');
    assert.ok(again[0]?.type === 'call' && again[0].call.stale === false, 'confirmed: no longer stale');
  });

  it('sends the agent’s presence to the account and colleagues’ to the team, with their busy lamps', () => {
    const desk = picture();
    assert.deepEqual(desk.handle({ event: 'presenceChanged', properties: { user: 'agent@corp', presence: 'Away', presenceNote: 'Lunch' } }, 't'), [
      { type: 'presence', presence: { state: 'not-ready', label: 'Away', reason: 'Lunch', since: 't' } },
    ]);
    const bob = desk.handle({ event: 'presenceChanged', properties: { user: 'bob@corp', presence: 'Available', presenceNote: undefined } }, 't');
    assert.deepEqual(bob, [
      { type: 'team', member: { id: 'bob@corp', name: 'bob@corp', group: 'Watched in 3C', presence: { state: 'ready', label: 'Available', since: 't' }, onCall: false, canChat: true } },
    ]);
    assert.deepEqual(desk.handle({ event: 'presenceChanged', properties: { user: 'eve@corp', presence: 'Busy', presenceNote: undefined } }, 't'), []);
    const lamp = (call: string, state: string) => desk.handle({ event: 'monitoredTerminalEventReceived', properties: terminal(call, state, { address: '2001' }) }, 't');
    assert.equal((lamp('7', 'Ringing')[0] as Extract<ConnectorEvent, { type: 'team' }>).member.onCall, true);
    assert.deepEqual(lamp('8', 'Connected'), [], 'already lit');
    assert.deepEqual(lamp('7', 'Disconnected'), [], 'still one call');
    assert.equal((lamp('8', 'Disconnected')[0] as Extract<ConnectorEvent, { type: 'team' }>).member.onCall, false);
    assert.deepEqual(
      desk.team().map((m) => [m.id, m.presence.label]),
      [
        ['bob@corp', 'Available'],
        ['carol@corp', 'Unknown'],
      ],
    );
  });
});
