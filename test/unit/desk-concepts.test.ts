/**
 * The desk concepts every platform may use: presence with a reason code (window and tray), a
 * platform's question to the agent, the team (members added, changed, removed, re-synced), chats
 * started from the team, and call journeys.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Desk } from '../../main/desk/desk.js';
import type { ConnectorEvent } from '../../main/desk/events.js';
import type { CallJourney } from '../../common/model.js';
import type { CommandAnswer, Connector, ConnectorCommand, ConnectorContext } from '../../main/desk/port.js';
import { decideToasts } from '../../main/desk/alerts.js';
import { trayAction, trayModel, type TrayItem } from '../../main/desk/tray.js';
import { createLogger } from '../../main/log.js';

/** A connector double: records commands and prompt answers, lets the test emit events. */
class Double implements Connector {
  context?: ConnectorContext;
  readonly commands: ConnectorCommand[] = [];
  readonly answers: Array<[string, string]> = [];
  journey?: CallJourney;
  start(context: ConnectorContext): void {
    this.context = context;
  }
  emit(...events: ConnectorEvent[]): void {
    for (const event of events) this.context!.emit(event);
  }
  retry(): void {}
  resume(): void {}
  async stop(): Promise<void> {}
  async execute(command: ConnectorCommand): Promise<CommandAnswer> {
    this.commands.push(command);
    return command.type === 'call.journey' ? this.journey : undefined;
  }
  answerPrompt(promptId: string, choice: string): void {
    this.answers.push([promptId, choice]);
  }
}

function setup() {
  const cc = new Double();
  const other = new Double();
  const desk = new Desk({
    accounts: [
      { seed: { id: 'cc', vendor: 'a', label: 'Contact center', demo: false, presenceOptions: ['ready', 'not-ready', 'offline'] }, connector: cc },
      { seed: { id: 'pbx', vendor: 'b', label: 'Phone', demo: false, presenceOptions: ['ready', 'not-ready'] }, connector: other },
    ],
    log: createLogger('silent'),
  });
  desk.start();
  cc.emit({ type: 'connection', state: 'connected' });
  other.emit({ type: 'connection', state: 'connected' });
  return { desk, cc, other };
}

const REASONS = [
  { code: '12', label: 'Lunch', state: 'not-ready' as const },
  { code: '17', label: 'Training', state: 'not-ready' as const },
  { code: '3', label: 'End of shift', state: 'offline' as const },
];

describe('presence with a reason code', () => {
  it('sends the reason to the accounts that offer it and the state alone to the others', async () => {
    const { desk, cc, other } = setup();
    cc.emit({ type: 'presence.reasons', reasons: REASONS });
    await desk.setPresence('not-ready', '12');
    assert.deepEqual(cc.commands, [{ type: 'presence.set', state: 'not-ready', reason: '12' }]);
    assert.deepEqual(other.commands, [{ type: 'presence.set', state: 'not-ready' }]);
  });

  it('refuses a reason no account offers, or one that belongs to another state', async () => {
    const { desk, cc } = setup();
    cc.emit({ type: 'presence.reasons', reasons: REASONS });
    await assert.rejects(desk.setPresence('not-ready', '99'), /No connected account offers that reason/);
    await assert.rejects(desk.setAccountPresence('cc', 'not-ready', '3'), /does not offer that reason/);
    assert.deepEqual(cc.commands, []);
  });

  it('offers the reasons in the tray as a submenu of Not ready, and routes a click with its code', () => {
    const { desk, cc } = setup();
    cc.emit({ type: 'presence.reasons', reasons: REASONS });
    const model = trayModel(desk.state);
    const notReady = model.items.find((i): i is Extract<TrayItem, { kind: 'submenu' }> => i.kind === 'submenu' && i.text === 'Not ready');
    assert.ok(notReady, JSON.stringify(model.items));
    const ids = notReady.items.flatMap((i) => ('id' in i ? [i.id] : []));
    assert.deepEqual(ids, ['presence:not-ready:12', 'presence:not-ready:17', 'presence:not-ready']);
    assert.deepEqual(trayAction('presence:not-ready:12'), { kind: 'presence', state: 'not-ready', reason: '12' });
    assert.ok(model.items.some((i) => i.kind === 'radio' && i.id === 'presence:ready'), 'Ready has no reasons: a plain item');
  });
});

describe('a platform asks the agent', () => {
  it('shows the question on the account, passes the chosen answer in any connection state, and takes it off when withdrawn', () => {
    const { desk, cc } = setup();
    cc.emit({ type: 'connection', state: 'connecting' });
    const prompt = { id: 'p1', message: 'Another session exists for this agent: take it over?', choices: [{ id: 'take-over', label: 'Take over', primary: true }, { id: 'cancel', label: 'Cancel' }] };
    cc.emit({ type: 'prompt', prompt });
    assert.deepEqual(desk.state.accounts.cc!.prompt, prompt);
    assert.throws(() => desk.answerPrompt('cc', 'p1', 'override-silently'), /not one of the answers/);
    assert.throws(() => desk.answerPrompt('cc', 'p0', 'cancel'), /no longer open/);
    desk.answerPrompt('cc', 'p1', 'take-over');
    assert.deepEqual(cc.answers, [['p1', 'take-over']]);
    cc.emit({ type: 'prompt', prompt: null });
    assert.equal(desk.state.accounts.cc!.prompt, undefined);
  });
});

describe('the team', () => {
  const member = (id: string, state: 'ready' | 'not-ready', extra = {}) => ({ id, name: `Agent ${id}`, group: 'Sales', role: 'agent' as const, presence: { state, label: state.toUpperCase() }, onCall: false, ...extra });

  it('adds, changes, removes and re-syncs members per account', () => {
    const { desk, cc, other } = setup();
    cc.emit({ type: 'team.sync', members: [member('1', 'ready'), member('2', 'not-ready')] });
    other.emit({ type: 'team', member: member('9', 'ready') });
    cc.emit({ type: 'team', member: member('2', 'ready') });
    assert.equal(desk.state.team['cc/2']!.presence.state, 'ready');
    cc.emit({ type: 'team.remove', memberId: '1' });
    assert.deepEqual(Object.keys(desk.state.team).sort(), ['cc/2', 'pbx/9']);
    cc.emit({ type: 'team.sync', members: [member('3', 'ready')] });
    assert.deepEqual(Object.keys(desk.state.team).sort(), ['cc/3', 'pbx/9'], 'a re-sync replaces only its own account’s members');
  });

  it('starts a chat only with a member the platform lets the agent message', async () => {
    const { desk, cc } = setup();
    cc.emit({ type: 'team.sync', members: [member('1', 'ready', { canChat: true }), member('2', 'ready')] });
    await desk.startChat('cc/1');
    assert.deepEqual(cc.commands, [{ type: 'chat.start', memberId: '1' }]);
    await assert.rejects(desk.startChat('cc/2'), /cannot be messaged/);
  });
});

describe('call journeys', () => {
  it('asks the call’s platform for the journey of a finished call, with the platform’s call id', async () => {
    const { desk, cc } = setup();
    cc.emit({ type: 'call', call: { id: 'c7', state: 'connected' } }, { type: 'call', call: { id: 'c7', state: 'ended' } });
    cc.journey = { callId: 'c7', steps: [{ device: '5001', deviceType: 'Agent', durationSec: 42 }] };
    assert.deepEqual(await desk.callJourney('cc/c7'), cc.journey);
    assert.deepEqual(cc.commands.at(-1), { type: 'call.journey', callId: 'c7' });
    await assert.rejects(desk.callJourney('cc/none'), /no longer on the desk/);
  });
});

describe('calls a platform no longer confirms, messages from colleagues, notices', () => {
  it('raises no toast for a stale ringing call, keeps the tray calm, and lets the agent put it away', () => {
    const { desk, cc } = setup();
    const toasts = decideToasts(desk.state, new Set());
    cc.emit({ type: 'call', call: { id: 'c1', state: 'ringing', stale: true } });
    assert.deepEqual(decideToasts(desk.state, toasts.memory).toasts, []);
    assert.notEqual(trayModel(desk.state).icon, 'ringing');
    cc.emit({ type: 'call', call: { id: 'c2', state: 'connected' } });
    assert.throws(() => desk.dismissCall('cc/c2'), /still reports this call/);
    desk.dismissCall('cc/c1');
    assert.equal(desk.state.calls['cc/c1'], undefined);
    assert.match(desk.state.recentCalls[0]!.endReason ?? '', /put away by the agent/);
  });

  it('titles a colleague’s first message as a message, not a customer chat', () => {
    const { desk, cc } = setup();
    const colleague = { id: 'ann', name: 'Ann Lee', role: 'colleague' as const };
    cc.emit({ type: 'chat', chat: { id: 'ann', state: 'invited', participants: [colleague] } });
    cc.emit({ type: 'chat.messages', chatId: 'ann', messages: [{ id: '1', index: 1, from: colleague, text: 'Lunch?', at: '2026-11-21T09:00:00.000Z', kind: 'text' }] });
    const [toast] = decideToasts(desk.state, new Set()).toasts;
    assert.equal(toast?.title, 'New message from Ann Lee');
    assert.match(toast?.body ?? '', /Lunch\?/);
    assert.equal(desk.state.chats['cc/ann']!.unread, 1);
  });

  it('shows an account’s notice under its line in the tray', () => {
    const desk = new Desk({
      accounts: [{ seed: { id: 'pbx', vendor: 'x', label: 'Phone', demo: false, presenceOptions: [], notice: 'Presence is set on the phone system.' }, connector: new Double() }],
      log: createLogger('silent'),
    });
    const labels = trayModel(desk.state).items.flatMap((i) => (i.kind === 'label' ? [i.text.trim()] : []));
    assert.ok(labels.includes('Presence is set on the phone system.'), labels.join(' | '));
  });
});

describe('capabilities that change at run time', () => {
  it('follows a platform that turns click-to-dial off and on', () => {
    const { desk, cc } = setup();
    cc.emit({ type: 'account.capabilities', canDial: true });
    assert.equal(desk.state.accounts.cc!.canDial, true);
    cc.emit({ type: 'account.capabilities', canDial: false });
    assert.equal(desk.state.accounts.cc!.canDial, false);
    const before = desk.state;
    cc.emit({ type: 'account.capabilities', canDial: false });
    assert.equal(desk.state, before, 'nothing changed, nothing pushed');
  });
});

describe('a dial link that replaces one still waiting', () => {
  it('names the link it replaced (its number, else the link), so the window shows the new one as new; dials nothing', async () => {
    const { desk, cc } = setup();
    const first = desk.openDialLink('tel:+15550100401');
    assert.equal(first.replaces, undefined, 'the first link replaces nothing');
    const second = desk.openDialLink('tel:+15550100402');
    assert.equal(second.replaces, '+15550100401');
    assert.equal(desk.state.pendingDial?.id, second.id);
    const refused = desk.openDialLink('callto:echo123');
    assert.equal(refused.replaces, '+15550100402');
    assert.equal(desk.openDialLink('tel:+15550100403').replaces, refused.link, 'a link without a number is named by the link');
    await assert.rejects(desk.confirmDial(first.id, 'cc', false), /no longer waiting/, 'the replaced link cannot be dialled');
    desk.cancelDial(desk.state.pendingDial!.id);
    assert.equal(desk.openDialLink('tel:+15550100404').replaces, undefined, 'once answered, the next link is new on its own');
    assert.deepEqual(cc.commands, []);
  });
});
