/**
 * Ended chats leave the desk by themselves 15 minutes after each ended (issue 11, point 7), through
 * one timer on an injected clock, and all at once on the agent's "Clear ended"; a line that arrives
 * for a cleared chat brings the chat back with that line, once.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Desk, type DeskTimers } from '../../main/desk/desk.js';
import type { ConnectorEvent } from '../../main/desk/events.js';
import { ENDED_CHAT_TTL_MS, type ChatMessage } from '../../common/model.js';
import { allChats, chatOf } from '../../common/selectors.js';
import type { CommandAnswer, Connector, ConnectorContext } from '../../main/desk/port.js';
import { createLogger } from '../../main/log.js';

class Double implements Connector {
  context?: ConnectorContext;
  start(context: ConnectorContext): void {
    this.context = context;
  }
  emit(...events: ConnectorEvent[]): void {
    for (const event of events) this.context!.emit(event);
  }
  retry(): void {}
  resume(): void {}
  async stop(): Promise<void> {}
  async execute(): Promise<CommandAnswer> {
    return undefined;
  }
}

/** A clock the test moves, and the timers that run on it. */
class FakeClock implements DeskTimers {
  ms = Date.parse('2026-03-02T09:00:00.000Z');
  private pending = new Map<number, { at: number; run: () => void }>();
  private seq = 0;
  now = (): string => new Date(this.ms).toISOString();
  setTimeout(run: () => void, ms: number): unknown {
    this.seq += 1;
    this.pending.set(this.seq, { at: this.ms + ms, run });
    return this.seq;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  /** How many timers are set. */
  get timers(): number {
    return this.pending.size;
  }
  /** Moves the clock on by `ms`, running each timer due on the way, in time order. */
  advance(ms: number): void {
    const end = this.ms + ms;
    for (;;) {
      const due = [...this.pending.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.pending.delete(due[0]);
      this.ms = Math.max(this.ms, due[1].at);
      due[1].run();
    }
    this.ms = end;
  }
}

const MINUTE = 60_000;

function setup() {
  const clock = new FakeClock();
  const connector = new Double();
  const desk = new Desk({
    accounts: [{ seed: { id: 'cc', vendor: 'a', label: 'Contact center', demo: false, presenceOptions: ['ready'] }, connector }],
    log: createLogger('silent'),
    now: clock.now,
    timers: clock,
  });
  desk.start();
  connector.emit({ type: 'connection', state: 'connected' });
  const chatIds = (): string[] => allChats(desk.state).map((c) => `${c.id}:${c.state}`).sort();
  return { clock, connector, desk, chatIds };
}

function line(id: string, index: number, text: string, at: string): ChatMessage {
  return { id, index, text, at, kind: 'text', from: { id: 'c', name: 'Customer', role: 'customer' } };
}

describe('ended chats clear themselves', () => {
  it('stamps a chat with the time it ended', () => {
    const { clock, connector, desk } = setup();
    connector.emit({ type: 'chat', chat: { id: 'a', state: 'active' } });
    clock.advance(3 * MINUTE);
    connector.emit({ type: 'chat', chat: { id: 'a', state: 'ended' } });
    assert.equal(desk.state.endedChats['cc/a']?.endedAt, '2026-03-02T09:03:00.000Z');
    assert.equal(desk.state.chats['cc/a'], undefined, 'an ended chat is no longer among the live ones');
  });

  it('takes each ended chat off the desk 15 minutes after it ended, with one timer, and leaves live chats', () => {
    const { clock, connector, chatIds } = setup();
    connector.emit({ type: 'chat', chat: { id: 'live', state: 'active' } });
    connector.emit({ type: 'chat', chat: { id: 'a', state: 'ended' } });
    clock.advance(5 * MINUTE);
    connector.emit({ type: 'chat', chat: { id: 'b', state: 'ended' } });
    assert.equal(clock.timers, 1, 'one timer for every ended chat');

    clock.advance(ENDED_CHAT_TTL_MS - 5 * MINUTE - 1);
    assert.deepEqual(chatIds(), ['a:ended', 'b:ended', 'live:active'], 'nothing cleared a millisecond early');
    clock.advance(1);
    assert.deepEqual(chatIds(), ['b:ended', 'live:active'], 'the first cleared 15 minutes after it ended');
    assert.equal(clock.timers, 1, 'the timer set again for the next one');
    clock.advance(5 * MINUTE);
    assert.deepEqual(chatIds(), ['live:active']);
    assert.equal(clock.timers, 0, 'no timer while no ended chat is on the desk');
  });

  it('clears every ended chat at once on "Clear ended", and none that is live', () => {
    const { clock, connector, desk, chatIds } = setup();
    connector.emit({ type: 'chat', chat: { id: 'new', state: 'invited' } });
    connector.emit({ type: 'chat', chat: { id: 'a', state: 'ended' } });
    connector.emit({ type: 'chat', chat: { id: 'b', state: 'ended' } });
    desk.clearEndedChats();
    assert.deepEqual(chatIds(), ['new:invited']);
    const before = desk.state;
    desk.clearEndedChats();
    assert.equal(desk.state, before, 'nothing to clear changes nothing');
    clock.advance(ENDED_CHAT_TTL_MS);
    assert.deepEqual(chatIds(), ['new:invited'], 'the timer set for the cleared chats clears nothing else');
  });

  it('brings a cleared chat back with a line that arrives for it, shown once', () => {
    const { clock, connector, desk } = setup();
    connector.emit({ type: 'chat', chat: { id: 'a', state: 'active' } });
    connector.emit({ type: 'chat.messages', chatId: 'a', messages: [line('1', 1, 'Thanks, bye', clock.now())] });
    connector.emit({ type: 'chat', chat: { id: 'a', state: 'ended' } });
    clock.advance(ENDED_CHAT_TTL_MS);
    const chatA = () => chatOf(desk.state, 'cc/a');
    assert.equal(chatA(), undefined);

    const late = line('2', 2, 'One more thing…', clock.now());
    connector.emit({ type: 'chat.messages', chatId: 'a', messages: [late] });
    connector.emit({ type: 'chat.messages', chatId: 'a', messages: [late] });
    const back = chatA();
    assert.ok(back, 'the chat is back');
    assert.deepEqual(
      back.messages.map((m) => m.text),
      ['One more thing…'],
    );
    assert.equal(back.unread, 1);
  });

  it('stops its timer when the desk stops', async () => {
    const { clock, connector, desk } = setup();
    connector.emit({ type: 'chat', chat: { id: 'a', state: 'ended' } });
    assert.equal(clock.timers, 1);
    await desk.stop();
    assert.equal(clock.timers, 0);
  });
});
