/**
 * The call history (issue 11, point 3): classification, the cap, the missed count until seen, the
 * round trip through a store (memory and the web host's JSON file), a corrupt or hand-edited
 * document, and writes coalesced rather than per event.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { assembleCore, appLogger } from '../../main/app.js';
import { parseConfig } from '../../main/config.js';
import type { ConnectorEvent } from '../../main/desk/events.js';
import { callOutcome, HISTORY_LIMIT, historyDocument, keepHistory, loadHistory, MemoryHistory, readHistory, type HistoryLog } from '../../main/desk/history.js';
import type { Call, DeskState } from '../../common/model.js';
import type { Connector, ConnectorContext } from '../../main/desk/port.js';
import { initialState, reduce } from '../../main/desk/store.js';
import { trayModel } from '../../main/desk/tray.js';
import { JsonFileHistory, webHistory } from '../../main/history-file.js';
import { matchesSearch, unseenMissedKeys } from '../../renderer/lib/calls.js';
import { windowTitle } from '../../renderer/lib/title.js';

const T0 = '2026-11-20T09:00:00.000Z';

function desk(history?: Parameters<typeof initialState>[3]): DeskState {
  return initialState(
    [
      { id: 'voice', vendor: 'enreach', label: 'Voice (sales)', demo: false, presenceOptions: ['ready'] },
      { id: 'uccx', vendor: 'openmethods', label: 'UCCX', demo: false, presenceOptions: ['ready'], canDial: true },
    ],
    T0,
    undefined,
    history,
  );
}

let tick = 0;
function at(): string {
  tick += 1;
  return new Date(Date.parse(T0) + tick * 1000).toISOString();
}

function fold(state: DeskState, accountId: string, ...events: ConnectorEvent[]): DeskState {
  return events.reduce((s, e) => reduce(s, { ...e, accountId, at: at() }), state);
}

/** A call that rings and ends unanswered (missed), one answered, one the agent placed. */
function threeCalls(state: DeskState, prefix = ''): DeskState {
  return fold(
    state,
    'voice',
    { type: 'call', call: { id: `${prefix}m`, direction: 'inbound', state: 'ringing', caller: '+358401111111', userData: { CaseId: 'C-42' } } },
    { type: 'call', call: { id: `${prefix}m`, state: 'ended', endReason: 'remote' } },
    { type: 'call', call: { id: `${prefix}a`, direction: 'inbound', state: 'ringing', caller: '+358402222222' } },
    { type: 'call', call: { id: `${prefix}a`, state: 'connected' } },
    { type: 'call', call: { id: `${prefix}a`, state: 'ended' } },
    { type: 'call', call: { id: `${prefix}p`, direction: 'outbound', state: 'dialing', target: '+358403333333' } },
    { type: 'call', call: { id: `${prefix}p`, state: 'ended' } },
  );
}

const silent: HistoryLog = { info() {}, warn() {}, error() {} };
function recordingLog(): { lines: string[]; log: HistoryLog } {
  const lines: string[] = [];
  const put = (_: object, message: string): void => void lines.push(message);
  return { lines, log: { info: put, warn: put, error: put } };
}

describe('call history: classification', () => {
  it('calls an inbound call never connected missed, one connected answered, an outbound one placed, and names the account', () => {
    const s = threeCalls(desk());
    assert.deepEqual(
      s.recentCalls.map((c) => [c.id, c.outcome, c.account.label, c.account.vendor]),
      [
        ['p', 'placed', 'Voice (sales)', 'enreach'],
        ['a', 'answered', 'Voice (sales)', 'enreach'],
        ['m', 'missed', 'Voice (sales)', 'enreach'],
      ],
    );
    assert.equal(s.recentCalls[2]!.userData?.CaseId, 'C-42', 'attached data stays with the entry');
  });

  it('classifies internal and consult calls by who started them', () => {
    const base: Call = { key: 'v/1', accountId: 'v', id: '1', direction: 'internal', state: 'ended', startedAt: T0, actions: [] };
    assert.equal(callOutcome(base), 'missed');
    assert.equal(callOutcome({ ...base, connectedAt: T0 }), 'answered');
    assert.equal(callOutcome({ ...base, direction: 'consult' }), 'placed');
    assert.equal(callOutcome({ ...base, direction: 'outbound', connectedAt: T0 }), 'placed');
  });
});

describe('call history: cap and missed count', () => {
  it(`keeps at most ${HISTORY_LIMIT} calls, dropping the oldest`, () => {
    let s = desk();
    for (let i = 0; i < HISTORY_LIMIT + 7; i++) {
      s = fold(s, 'voice', { type: 'call', call: { id: `c${i}`, direction: 'outbound', state: 'ended' } });
    }
    assert.equal(s.recentCalls.length, HISTORY_LIMIT);
    assert.equal(s.recentCalls[0]!.id, `c${HISTORY_LIMIT + 6}`);
    assert.equal(s.recentCalls.at(-1)!.id, 'c7');
  });

  it('counts missed calls until the agent has seen them, then counts afresh', () => {
    let s = threeCalls(desk());
    s = threeCalls(s, 'x');
    assert.equal(s.missedUnseen, 2);
    assert.deepEqual([...unseenMissedKeys(s.recentCalls, s.missedUnseen)], ['voice/xm', 'voice/m']);
    const seen = reduce(s, { type: 'history.seen' });
    assert.equal(seen.missedUnseen, 0);
    assert.equal(reduce(seen, { type: 'history.seen' }), seen, 'seeing again changes nothing');
    assert.equal(seen.recentCalls, s.recentCalls, 'the entries are untouched (the bridge sends only the count)');
    const again = threeCalls(seen, 'y');
    assert.equal(again.missedUnseen, 1);
    assert.deepEqual([...unseenMissedKeys(again.recentCalls, again.missedUnseen)], ['voice/ym']);
  });

  it('shows the unseen missed calls in the tray (tooltip and a menu line) and in the window title', () => {
    const s = threeCalls(threeCalls(desk()), 'x');
    const model = trayModel(s);
    assert.match(model.tooltip, /2 missed calls/);
    assert.ok(model.items.some((item) => item.kind === 'action' && item.id === 'history' && item.text === '2 missed calls'));
    const seen = trayModel(reduce(s, { type: 'history.seen' }));
    assert.doesNotMatch(seen.tooltip, /missed/);
    assert.ok(!seen.items.some((item) => item.kind === 'action' && item.id === 'history'));
    assert.equal(windowTitle({ missed: 2 }), '(2) Agent Companion');
    assert.equal(windowTitle({ missed: 0 }), 'Agent Companion');
  });
});

describe('call history: reading back', () => {
  it('round-trips through a store: calls, outcomes, accounts, attached data and the unseen count', () => {
    const s = threeCalls(desk());
    const store = new MemoryHistory();
    store.write(historyDocument(s));
    const seed = loadHistory(store, silent);
    assert.equal(seed.missedUnseen, 1);
    assert.deepEqual(
      seed.calls.map((c) => [c.id, c.outcome, c.account.label, c.caller ?? c.target, c.userData?.CaseId]),
      [
        ['p', 'placed', 'Voice (sales)', '+358403333333', undefined],
        ['a', 'answered', 'Voice (sales)', '+358402222222', undefined],
        ['m', 'missed', 'Voice (sales)', '+358401111111', 'C-42'],
      ],
    );
    const restarted = desk(seed);
    assert.equal(restarted.missedUnseen, 1);
    assert.equal(restarted.recentCalls.length, 3);
  });

  it('does not mistake a new call for a late event of a past session’s call with the same id', () => {
    const s = threeCalls(desk());
    const restarted = desk(readHistory(JSON.parse(JSON.stringify(historyDocument(s)))));
    // The platform numbers its calls afresh after the restart: "m" rings again.
    const next = fold(restarted, 'voice', { type: 'call', call: { id: 'm', direction: 'inbound', state: 'ringing', caller: '+358409999999' } });
    assert.equal(next.calls['voice/m']?.caller, '+358409999999');
    const ended = fold(next, 'voice', { type: 'call', call: { id: 'm', state: 'ended' } });
    const keys = ended.recentCalls.map((c) => c.key);
    assert.equal(new Set(keys).size, keys.length, 'every entry has its own key');
    assert.equal(ended.missedUnseen, 2);
  });

  it('drops the bad entries of a hand-edited or older document and keeps the good ones', () => {
    const good = { accountId: 'voice', id: 'g1', direction: 'inbound', startedAt: T0, endedAt: '2026-11-20T09:01:00.000Z', caller: '+3581' };
    const older = { accountId: 'voice', id: 'g2', direction: 'outbound', startedAt: '2026-11-20T08:00:00.000Z', target: '+3582', extra: 'ignored' };
    const read = readHistory({
      missedUnseen: 5,
      calls: [good, { ...good, id: 'bad', direction: 'sideways' }, 'not a call', null, { ...good, startedAt: 'yesterday' }, good, older],
    });
    assert.deepEqual(
      read.calls.map((c) => [c.id, c.outcome, c.state]),
      [
        ['g1', 'missed', 'ended'],
        ['g2', 'placed', 'ended'],
      ],
    );
    assert.equal(read.dropped, 5, 'four invalid entries and one repeated');
    assert.equal(read.missedUnseen, 1, 'never more unseen than missed calls kept');
    assert.equal(read.calls[1]!.account.label, 'voice', 'an entry without its account names the account id');
    assert.ok(!('extra' in read.calls[1]!));
    // Not a document at all: an empty history.
    for (const raw of [42, 'text', { calls: 'no' }, []]) assert.deepEqual(readHistory(raw).calls, []);
  });

  it('keeps the newest when a document holds more than the cap', () => {
    const calls = Array.from({ length: HISTORY_LIMIT + 20 }, (_, i) => ({
      accountId: 'voice',
      id: `c${i}`,
      direction: 'outbound',
      startedAt: new Date(Date.parse(T0) + i * 60_000).toISOString(),
    }));
    const read = readHistory({ calls });
    assert.equal(read.calls.length, HISTORY_LIMIT);
    assert.equal(read.calls[0]!.id, `c${HISTORY_LIMIT + 19}`);
    assert.equal(read.dropped, 20);
  });
});

describe('call history: the web host file', () => {
  it('writes atomically, reads back, and starts empty — with one clear log line — from a corrupt file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ac-history-'));
    const file = new JsonFileHistory(join(dir, 'state', 'history.json'));
    assert.equal(file.read(), undefined, 'no file yet: nothing kept');
    const s = threeCalls(desk());
    file.write(historyDocument(s));
    assert.deepEqual(readdirSync(join(dir, 'state')), ['history.json'], 'no temporary file left behind');
    assert.equal(loadHistory(file, silent).calls.length, 3);

    writeFileSync(file.path, '{"calls": [ {"accountId": "voi');
    const { lines, log } = recordingLog();
    const seed = loadHistory(file, log);
    assert.deepEqual({ ...seed, notice: undefined, noticeSaid: undefined }, { calls: [], missedUnseen: 0, keep: true, notice: undefined, noticeSaid: undefined });
    assert.equal(seed.noticeSaid?.key, 'history.notice.moved', 'the notice as a code, for the agent’s language');
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /call history in .*history\.json cannot be read; starting with an empty history/);
    // Kept aside under a timestamped name (issue 16: `history.json.<time>.corrupt`, never replacing an older one).
    const aside = readdirSync(join(dir, 'state')).filter((name) => name.endsWith('.corrupt'));
    assert.equal(aside.length, 1, 'the corrupt file is kept aside');
    assert.equal(readFileSync(join(dir, 'state', aside[0]!), 'utf8'), '{"calls": [ {"accountId": "voi');
    assert.equal(file.read(), undefined);
  });

  it('lives in the web host’s state directory', () => {
    assert.equal(webHistory('/etc/agent').path, '/etc/agent/history.json');
  });
});

describe('call history: writing', () => {
  it('writes once per quiet spell, not per event, and what is pending at stop', async () => {
    let state = desk();
    const listeners = new Set<(next: DeskState, previous: DeskState) => void>();
    const apply = (next: DeskState): void => {
      const previous = state;
      state = next;
      for (const listener of listeners) listener(next, previous);
    };
    const store = new MemoryHistory();
    const keeper = keepHistory(
      (listener) => (listeners.add(listener), () => listeners.delete(listener)),
      () => state,
      store,
      silent,
      20,
    );
    for (let i = 0; i < 50; i++) apply(fold(state, 'voice', { type: 'call', call: { id: `c${i}`, direction: 'inbound', state: 'ended' } }));
    apply(fold(state, 'voice', { type: 'queue', queue: { id: 'q', waiting: 3 } }));
    assert.equal(store.writes, 0, 'nothing written at once');
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(store.writes, 1, 'fifty ended calls, one write');
    assert.equal(readHistory(store.read()).calls.length, 50);
    apply(fold(state, 'voice', { type: 'queue', queue: { id: 'q', waiting: 4 } }));
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(store.writes, 1, 'a queue tick is not a history change');
    apply(reduce(state, { type: 'history.seen' }));
    keeper.close();
    assert.equal(store.writes, 2, 'the pending change is written at stop');
    assert.equal(readHistory(store.read()).missedUnseen, 0, 'the seen mark is kept');
  });

  it('seeds the core from the store and keeps what ends, through a restart of the core', async () => {
    const store = new MemoryHistory();
    const config = parseConfig({});
    const log = appLogger('silent');
    let context: ConnectorContext | undefined;
    const connector: Connector = {
      start: (ctx) => void (context = ctx),
      retry() {},
      resume() {},
      async stop() {},
      async execute() {
        return undefined;
      },
    };
    const seed = { id: 'voice', vendor: 'enreach', label: 'Voice', demo: false, presenceOptions: [] };
    const first = assembleCore({ accounts: [{ seed, connector }], config, log, history: store });
    context!.emit({ type: 'call', call: { id: 'c1', direction: 'inbound', state: 'ringing', caller: '+358401234567' } });
    context!.emit({ type: 'call', call: { id: 'c1', state: 'ended' } });
    await first.stop();
    const second = assembleCore({ accounts: [{ seed, connector }], config, log, history: store });
    assert.deepEqual(
      second.desk.state.recentCalls.map((c) => [c.caller, c.outcome]),
      [['+358401234567', 'missed']],
    );
    assert.equal(second.desk.state.missedUnseen, 1);
    second.desk.markMissedSeen();
    await second.stop();
    const third = assembleCore({ accounts: [{ seed, connector }], config, log, history: store });
    assert.equal(third.desk.state.missedUnseen, 0, 'the seen mark survived the restart');
    await third.stop();
  });
});

describe('call history: search', () => {
  const s = threeCalls(desk());
  const find = (query: string): string[] => s.recentCalls.filter((c) => matchesSearch(c, query)).map((c) => c.id);
  it('finds by number typed with or without separators, by attached data, account, and outcome', () => {
    assert.deepEqual(find(''), ['p', 'a', 'm']);
    assert.deepEqual(find('040 111'), []);
    assert.deepEqual(find('40 111'), ['m']);
    assert.deepEqual(find('+358-40-2222'), ['a']);
    assert.deepEqual(find('c-42'), ['m']);
    assert.deepEqual(find('caseid'), ['m']);
    assert.deepEqual(find('sales placed'), ['p']);
    assert.deepEqual(find('missed'), ['m']);
    assert.deepEqual(find('nobody'), []);
  });
});
