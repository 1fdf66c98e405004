/**
 * Golden: the vendor document's two example payloads, verbatim (test/fixtures/genesys/*.example.json,
 * copied from vendor-docs/genesys-wwe-api-v2-cometd-chats.txt), through the parser and the router,
 * and the desk events they must become.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { ConnectorEvent } from '../../main/desk/events.js';
import { initialState, reduce } from '../../main/desk/store.js';
import { parseGenesysMessage, routeNotification } from '../../main/vendors/genesys/normalize.js';
import { DOCUMENT_CHAT_STATE_EXAMPLE, DOCUMENT_MESSAGE_LOG_EXAMPLE } from '../../main/vendors/genesys/simulator/index.js';

const NOW = '2026-11-20T09:00:00.000Z';
const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/genesys/${name}`, import.meta.url), 'utf8'));

function route(name: string): ConnectorEvent[] {
  const parsed = parseGenesysMessage(fixture(name));
  assert.ok(parsed.ok, `fixture ${name} parses: ${JSON.stringify(parsed)}`);
  return routeNotification(parsed.message, NOW);
}

describe('Genesys document examples (golden)', () => {
  it('ChatStateChangeMessage (PropertiesUpdated) → one chat patch', () => {
    assert.deepEqual(route('chat-state-change.example.json'), [
      {
        type: 'chat',
        chat: {
          id: '0000Wa9CAM6W00J',
          state: 'active',
          participants: [
            { id: '007352CE982D031B', name: 'test_consult_clientL', role: 'customer' },
            { id: '007352CE984F0321', name: 'TestName', role: 'agent' },
          ],
          actions: ['send', 'complete', 'leave'],
          userData: { key1: 'value1', key2: 'value2' },
        },
      },
    ]);
  });

  it('MessageLogUpdated → both "index 3" messages kept, chat id from chatUri, times from milliseconds', () => {
    const events = route('message-log-updated.example.json');
    assert.equal(events.length, 1);
    const event = events[0]!;
    assert.equal(event.type, 'chat.messages');
    if (event.type !== 'chat.messages') return;
    assert.equal(event.chatId, '0000Wa9CAM6W00FN');
    assert.equal(event.messages.length, 2);
    const [a, b] = event.messages;
    assert.notEqual(a!.id, b!.id, 'the repeated index must not collapse two messages');
    assert.match(a!.id, /^3-[0-9a-f]{16}$/);
    assert.deepEqual(
      event.messages.map(({ id: _id, ...rest }) => rest),
      [
        {
          index: 3,
          from: { id: '007352CE72D50290', name: 'TestName', role: 'agent' },
          text: 'How may I help you?',
          at: '2014-01-09T09:58:12.035Z',
          kind: 'text',
        },
        {
          index: 3,
          from: { id: '007352CE72D50290', name: 'TestName', role: 'agent' },
          text: 'Are you still there?',
          at: '2014-01-09T09:58:12.047Z',
          kind: 'text',
        },
      ],
    );
  });

  it('folds into the desk exactly once, however often the log is re-delivered', () => {
    const events = route('message-log-updated.example.json');
    let state = initialState([{ id: 'g', vendor: 'genesys', label: 'G', demo: false, presenceOptions: [] }], NOW);
    for (let i = 0; i < 3; i++) for (const e of events) state = reduce(state, { ...e, accountId: 'g', at: NOW });
    const chat = state.chats['g/0000Wa9CAM6W00FN']!;
    assert.deepEqual(
      chat.messages.map((m) => m.text),
      ['How may I help you?', 'Are you still there?'],
    );
    assert.equal(chat.unread, 0, 'agent lines are not unread');
  });

  it('the simulator publishes the same examples (its copies equal the document)', () => {
    assert.deepEqual(DOCUMENT_CHAT_STATE_EXAMPLE, (fixture('chat-state-change.example.json') as { data: unknown }).data);
    assert.deepEqual(DOCUMENT_MESSAGE_LOG_EXAMPLE, (fixture('message-log-updated.example.json') as { data: unknown }).data);
  });
});
