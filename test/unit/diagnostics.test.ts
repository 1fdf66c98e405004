/**
 * What "Save diagnostics…" remembers and bundles (`main/diagnostics/`, issue 22 point 2): the
 * connection timeline keeps 24 hours, the alert decisions one hour and say why a toast was not
 * shown; the bundle's README names every file, and the zip holds exactly what was listed.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import type { DeskState } from '../../common/model.js';
import { parseConfig } from '../../main/config.js';
import { diagnosticsEntries, diagnosticsFileName, diagnosticsListing, zipDiagnostics } from '../../main/diagnostics/bundle.js';
import { DiagnosticsRecorder } from '../../main/diagnostics/record.js';
import { initialState, reduce } from '../../main/desk/store.js';
import type { ConnectorEvent } from '../../main/desk/events.js';

const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const START = Date.parse('2026-12-05T08:00:00.000Z');
const HOUR = 60 * 60 * 1000;

function desk(): { state: DeskState; fold(event: ConnectorEvent): DeskState } {
  const out = {
    state: initialState([{ id: 'voice', vendor: 'enreach', label: 'Voice', demo: false, presenceOptions: ['ready', 'not-ready', 'do-not-disturb'] }], '2026-12-05T08:00:00.000Z'),
    fold(event: ConnectorEvent): DeskState {
      const before = out.state;
      out.state = reduce(out.state, { ...event, accountId: 'voice', at: '2026-12-05T08:00:01.000Z' });
      return before;
    },
  };
  return out;
}

describe('the diagnostics recorder', () => {
  it('keeps each account’s connection changes for 24 hours, with the reason', () => {
    let now = START;
    const recorder = new DiagnosticsRecorder(() => now);
    const d = desk();
    recorder.noteConnections(d.state, undefined);
    let before = d.fold({ type: 'connection', state: 'failed', reason: 'The server refused the sign-in (401).' });
    recorder.noteConnections(d.state, before);
    now += 23 * HOUR;
    before = d.fold({ type: 'connection', state: 'connected' });
    recorder.noteConnections(d.state, before);
    assert.deepEqual(
      recorder.timeline().voice!.map((entry) => [entry.state, entry.reason]),
      [
        ['connecting', undefined],
        ['failed', 'The server refused the sign-in (401).'],
        ['connected', undefined],
      ],
    );
    now += 2 * HOUR;
    assert.deepEqual(recorder.timeline().voice!.map((entry) => entry.state), ['connected'], 'changes over 24 hours old are forgotten');
  });

  it('records each ringing call once, whether its toast was shown and why not, and when it closed; for an hour', () => {
    let now = START;
    const recorder = new DiagnosticsRecorder(() => now);
    const d = desk();
    d.fold({ type: 'connection', state: 'connected' });
    d.fold({ type: 'call', call: { id: 'c1', direction: 'inbound', state: 'ringing', caller: '+358401234567' } });
    recorder.noteAlerts(d.state, [{ id: 'call:voice/c1', title: 'Incoming call', body: '', target: { kind: 'call', key: 'voice/c1' } }], { calls: true, chats: true });
    recorder.noteAlerts(d.state, [], { calls: true, chats: true });
    recorder.noteToastClosed('call:voice/c1');
    d.fold({ type: 'presence', presence: { state: 'do-not-disturb', label: 'Do not disturb' } });
    d.fold({ type: 'call', call: { id: 'c2', direction: 'inbound', state: 'ringing', caller: '+358401234568' } });
    recorder.noteAlerts(d.state, [], { calls: true, chats: true });
    assert.deepEqual(
      recorder.alertDecisions().map((entry) => [entry.event, entry.id, entry.toast]),
      [
        ['call ringing', 'call:voice/c1', 'shown'],
        ['toast closed', 'call:voice/c1', undefined],
        ['call ringing', 'call:voice/c2', 'not shown: the account is in do not disturb'],
      ],
    );
    now += HOUR + 1;
    assert.deepEqual(recorder.alertDecisions(), [], 'decisions over an hour old are forgotten');
  });
});

describe('the diagnostics bundle', () => {
  it('lists README first and names every file in it; the zip holds exactly the files listed; secrets masked', () => {
    const logDir = mkdtempSync(join(tmpdir(), 'diag-logs-'));
    const crashDir = mkdtempSync(join(tmpdir(), 'diag-crash-'));
    dirs.push(logDir, crashDir);
    writeFileSync(join(logDir, 'agent-companion.2026-12-05.1.log'), '{"level":30,"msg":"started"}\n');
    writeFileSync(join(logDir, 'unrelated.txt'), 'not a log file');
    mkdirSync(join(crashDir, 'completed'));
    writeFileSync(join(crashDir, 'completed', 'a1b2.dmp'), 'MDMP');
    const config = parseConfig({ accounts: [{ id: 'voice', vendor: 'enreach', user: 'agent@example.com', secretKey: 'a-secret-value-123' }] });
    const entries = diagnosticsEntries({ recorder: new DiagnosticsRecorder(() => START), config, source: 'the config file /etc/agent-companion.json', versions: { app: '0.1.0' }, logDir, crashDir, clock: () => START });
    const names = entries.map((entry) => entry.name);
    assert.deepEqual(names, ['README.txt', 'versions.json', 'configuration.json', 'connections.json', 'alerts.json', 'crash-dumps.json', 'logs/agent-companion.2026-12-05.1.log']);
    const readme = strFromU8(entries[0]!.data);
    for (const name of names.slice(1)) assert.ok(readme.includes(`- ${name}: `), `README names ${name}`);
    assert.match(readme, /sent it nowhere/);
    const listing = diagnosticsListing(entries, START);
    assert.equal(listing.fileName, diagnosticsFileName(START));
    assert.match(listing.fileName, /^agent-companion-diagnostics-\d{4}-\d\d-\d\d-\d{4}\.zip$/);
    const files = unzipSync(zipDiagnostics(entries, START));
    assert.deepEqual(Object.keys(files), names);
    const configuration = strFromU8(files['configuration.json']!);
    assert.ok(!configuration.includes('a-secret-value-123'), 'the secret is masked');
    assert.match(configuration, /"secretKey": "\[secret, masked\]"/);
    assert.deepEqual(JSON.parse(strFromU8(files['crash-dumps.json']!)).map((dump: { name: string }) => dump.name), [join('completed', 'a1b2.dmp')]);
  });
});
