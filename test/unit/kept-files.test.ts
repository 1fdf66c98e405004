/**
 * The files the hosts keep and read at start (issue 16, findings 3, 4 and 7): a history that
 * cannot be read is set aside under a timestamped name and never written over; every file read at
 * start has its size checked before it is read; the web host keeps its state where the user can
 * write when the config's folder is read-only.
 */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { appLogger, assembleCore } from '../../main/app.js';
import { SIZE_CAPS } from '../../main/capped-file.js';
import { loadConfiguration, parseConfig } from '../../main/config.js';
import { HistoryReadError, loadHistory, type HistoryLog, type HistoryStore } from '../../main/desk/history.js';
import type { Connector, ConnectorContext } from '../../main/desk/port.js';
import { JsonFileHistory } from '../../main/history-file.js';
import { documentPreferences, jsonFileDocument } from '../../main/preferences.js';
import { english } from '../../main/i18n.js';
import { webStateDir, type WebStateDir } from '../../main/state-dir.js';
import { main } from '../../main/web.js';
import { loadWebToken, WEB_TOKEN_FILE } from '../../main/web-token.js';
import { giveToProbe, runProbe, unprivileged } from '../support/unprivileged.js';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) {
    chmodTree(dir);
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Makes a test's folders removable again (some are made read-only). */
function chmodTree(dir: string): void {
  if (!existsSync(dir)) return;
  chmodSync(dir, 0o755);
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) chmodTree(path);
  }
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ac-kept-'));
  dirs.push(dir);
  return dir;
}

const AT = new Date('2026-12-05T10:00:00.123Z');

function recordingLog(): { lines: Array<{ message: string; fields: object }>; log: HistoryLog } {
  const lines: Array<{ message: string; fields: object }> = [];
  const put = (fields: object, message: string): void => void lines.push({ message, fields });
  return { lines, log: { info: () => undefined, warn: put, error: put } };
}

/** A valid JSON document padded with spaces to `bytes`: accepted if it were read, so refusing it proves the cap. */
function paddedJson(document: object, bytes: number): string {
  const text = JSON.stringify(document);
  return text + ' '.repeat(bytes - text.length);
}

const HISTORY = { version: 1, calls: [{ accountId: 'voice', id: 'c1', direction: 'inbound', caller: '+358401234567', startedAt: '2026-12-01T09:00:00.000Z', endedAt: '2026-12-01T09:01:00.000Z' }], missedUnseen: 1 };

describe('a call history that cannot be read is never lost', () => {
  it('moves a file that is not JSON aside under a timestamped name, never over an older copy, and writes the new history beside them', () => {
    const dir = tempDir();
    const file = new JsonFileHistory(join(dir, 'history.json'), () => AT);
    writeFileSync(file.path, '{"calls": [ {"accountId": "voi');
    assert.throws(() => file.read(), (error: HistoryReadError) => {
      assert.ok(error instanceof HistoryReadError);
      assert.deepEqual(error.details, { reason: 'not valid JSON', movedTo: `${file.path}.2026-12-05T10-00-00Z.corrupt`, keep: true });
      return true;
    });
    // A second bad file in the same second: a new name, the first copy untouched.
    writeFileSync(file.path, 'second');
    assert.throws(() => file.read(), (error: HistoryReadError) => error.details.movedTo === `${file.path}.2026-12-05T10-00-00Z-2.corrupt`);
    assert.equal(readFileSync(`${file.path}.2026-12-05T10-00-00Z.corrupt`, 'utf8'), '{"calls": [ {"accountId": "voi');
    assert.equal(readFileSync(`${file.path}.2026-12-05T10-00-00Z-2.corrupt`, 'utf8'), 'second');

    file.write({ version: 1, calls: [], missedUnseen: 0 });
    assert.deepEqual(readdirSync(dir).sort(), ['history.json', 'history.json.2026-12-05T10-00-00Z-2.corrupt', 'history.json.2026-12-05T10-00-00Z.corrupt']);
    assert.equal(readFileSync(`${file.path}.2026-12-05T10-00-00Z.corrupt`, 'utf8'), '{"calls": [ {"accountId": "voi');
  });

  it('refuses a history file over 20 MB without reading it, in one sentence naming the file and the cap, and moves it aside', () => {
    const dir = tempDir();
    const file = new JsonFileHistory(join(dir, 'history.json'), () => AT);
    writeFileSync(file.path, paddedJson(HISTORY, SIZE_CAPS.history + 1));
    const { lines, log } = recordingLog();
    const seed = loadHistory(file, log);
    assert.deepEqual(seed.calls, [], 'the good-looking document was not read');
    assert.equal(lines.length, 1, 'one line');
    assert.match(lines[0]!.message, /The call history file .*history\.json is 20\.0 MB, larger than the 20 MB it may be, so it was not read\. It was moved to .*history\.json\.2026-12-05T10-00-00Z\.corrupt\./);
    assert.ok(!('err' in lines[0]!.fields), 'no stack: the sentence says it all');
    assert.match(seed.notice!, /could not be read \(larger than 20 MB\).*kept as .*\.corrupt/);
    // The window says it in the agent's language, the reason and the file's name as they are (issue 19).
    assert.ok(seed.noticeSaid, 'the notice as a code');
    assert.equal(seed.noticeSaid.key, 'history.notice.moved');
    assert.equal(english.t(seed.noticeSaid.key, seed.noticeSaid.values), seed.notice);
    assert.match(String(seed.noticeSaid.values?.file), /history\.json\.2026-12-05T10-00-00Z\.corrupt$/);
    assert.equal(statSync(`${file.path}.2026-12-05T10-00-00Z.corrupt`).size, SIZE_CAPS.history + 1, 'moved whole');
    assert.equal(existsSync(file.path), false);
  });

  it('moves a folder where the history file should be aside, and keeps the history anew', () => {
    const dir = tempDir();
    const file = new JsonFileHistory(join(dir, 'history.json'), () => AT);
    mkdirSync(file.path);
    writeFileSync(join(file.path, 'inside'), 'kept');
    assert.throws(() => file.read(), (error: HistoryReadError) => error.details.reason === 'not a file' && error.details.keep);
    assert.equal(readFileSync(join(`${file.path}.2026-12-05T10-00-00Z.corrupt`, 'inside'), 'utf8'), 'kept');
    file.write({ version: 1, calls: [], missedUnseen: 0 });
    assert.deepEqual(JSON.parse(readFileSync(file.path, 'utf8')), { version: 1, calls: [], missedUnseen: 0 });
  });

  it('moves a history file the user may not read aside; one that cannot be moved either is never written over', async (t) => {
    const runner = unprivileged();
    if (runner.skip !== undefined) {
      process.stdout.write(`# skipped: ${runner.skip}\n`);
      t.skip(runner.skip);
      return;
    }
    // A folder the user owns: the unreadable file can be moved aside.
    const own = tempDir();
    giveToProbe(runner, own);
    writeFileSync(join(own, 'history.json'), JSON.stringify(HISTORY), { mode: 0o000 });
    chmodSync(join(own, 'history.json'), 0o000);
    const moved = await runProbe(runner, ['history', join(own, 'history.json')]);
    assert.equal(moved.code, 0, moved.stderr);
    const first = JSON.parse(moved.stdout) as { read: { message: string; details: HistoryReadError['details'] }; write: unknown };
    assert.equal(first.read.details.reason, 'not readable');
    assert.match(first.read.details.movedTo!, /history\.json\.\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.corrupt$/);
    assert.equal(first.write, 'ok', 'a new history is kept');
    assert.deepEqual(JSON.parse(readFileSync(first.read.details.movedTo!, 'utf8')), HISTORY, 'the old one is whole');

    // A folder the user cannot write: the file stays, and nothing is written over it.
    const locked = tempDir();
    chmodSync(locked, 0o755);
    writeFileSync(join(locked, 'history.json'), JSON.stringify(HISTORY));
    chmodSync(join(locked, 'history.json'), 0o000);
    chmodSync(locked, 0o555);
    const stuck = await runProbe(runner, ['history', join(locked, 'history.json')]);
    assert.equal(stuck.code, 0, stuck.stderr);
    const second = JSON.parse(stuck.stdout) as { read: { message: string; details: HistoryReadError['details'] }; write: { message: string } };
    assert.equal(second.read.details.keep, false);
    assert.match(second.read.message, /could not be moved aside either .* No history is written over it\./);
    assert.match(second.write.message, /not written/);
    chmodSync(locked, 0o755);
    chmodSync(join(locked, 'history.json'), 0o644);
    assert.deepEqual(JSON.parse(readFileSync(join(locked, 'history.json'), 'utf8')), HISTORY);
  });

  it('never writes a history over a file that could not be set aside', async () => {
    let writes = 0;
    const store: HistoryStore = {
      where: '/locked/history.json',
      read: () => {
        throw new HistoryReadError('The call history file /locked/history.json cannot be read (EACCES). It could not be moved aside either (EACCES).', { reason: 'not readable', keep: false });
      },
      write: () => void (writes += 1),
    };
    let context: ConnectorContext | undefined;
    const connector: Connector = { start: (ctx) => void (context = ctx), retry() {}, resume() {}, async stop() {}, execute: async () => undefined };
    const core = assembleCore({ accounts: [{ seed: { id: 'voice', vendor: 'enreach', label: 'Voice', demo: false, presenceOptions: [] }, connector }], config: parseConfig({}), log: appLogger('silent'), history: store });
    assert.match(core.desk.state.historyNotice ?? '', /nor moved aside, so calls are not kept until it is removed/);
    context!.emit({ type: 'call', call: { id: 'c1', direction: 'inbound', state: 'ringing', caller: '+358401234567' } });
    context!.emit({ type: 'call', call: { id: 'c1', state: 'ended' } });
    await core.stop();
    assert.equal(writes, 0);
  });
});

describe('files read at start have a size cap, checked before they are read', () => {
  it('refuses a config file over 1 MB in one sentence naming the file and the cap; the web host exits 2', async () => {
    const dir = tempDir();
    const path = join(dir, 'config.json');
    writeFileSync(path, paddedJson({ accounts: [] }, SIZE_CAPS.config + 1));
    const loaded = await loadConfiguration({ argv: ['--config', path] });
    assert.deepEqual(loaded.problems, [`The config file ${path} is 1.0 MB, larger than the 1 MB it may be, so it was not read.`]);
    let err = '';
    const before = process.exitCode;
    try {
      const running = await main(['--config', path], { env: { XDG_STATE_HOME: join(dir, 'state') }, signals: false, log: appLogger('silent'), out: { write: () => true }, err: { write: (text: string) => (err += text) } });
      assert.equal(running, undefined, 'nothing started');
      assert.equal(process.exitCode, 2);
    } finally {
      process.exitCode = before;
    }
    assert.match(err, /is 1\.0 MB, larger than the 1 MB it may be/);
  });

  it('sets a preferences file over its cap aside, saying so once, and starts with none', () => {
    const dir = tempDir();
    const path = join(dir, 'preferences.json');
    writeFileSync(path, paddedJson({ dialAccount: 'voice' }, SIZE_CAPS.preferences + 1));
    const lines: string[] = [];
    const log = appLogger('warn', { write: (line: string) => lines.push(line) });
    const preferences = documentPreferences(jsonFileDocument(path, log), log);
    assert.equal(preferences.get('dialAccount'), undefined);
    assert.equal(preferences.get('dialAccount'), undefined);
    assert.equal(lines.length, 1, lines.join(''));
    assert.match(lines[0]!, /The preferences file .*preferences\.json is 256\.0 KB, larger than the 256 KB it may be/);
    preferences.set('dialAccount', 'uccx');
    assert.equal(preferences.get('dialAccount'), 'uccx');
    assert.ok(readdirSync(dir).some((name) => name.startsWith('preferences.json.') && name.endsWith('.corrupt')));
  });

  it('replaces a session key file over its cap with a new key, saying why', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, WEB_TOKEN_FILE), 'x'.repeat(SIZE_CAPS.sessionKey + 1));
    const key = await loadWebToken(dir);
    assert.equal(key.created, true);
    assert.match(key.replaced!, /The session key file .*web-session\.key is 1\.0 KB, larger than the 1 KB it may be, so it was not read\. A new key replaces it\./);
    assert.equal(readFileSync(key.path, 'utf8').trim(), key.token);
  });
});

describe('the web host keeps its state where the user can write', () => {
  it('keeps it beside the config when that folder is writable, else in the XDG state directory, and says which', () => {
    const env = { HOME: '/home/agent', XDG_STATE_HOME: '/home/agent/.state' };
    // The note (logged) and the terminal's line (the same message as a code, here in English) say the same.
    const said = (dir: WebStateDir) => ({ path: dir.path, note: dir.note, line: english.t(dir.message.key, dir.message.values) });
    const beside = 'Keeping the session key, call history and preferences beside the config file, in /srv/ac.';
    assert.deepEqual(said(webStateDir('/srv/ac/config.json', env, () => true)), { path: '/srv/ac', note: beside, line: beside });
    const elsewhere = "The config file's folder /etc is not writable, so the session key, call history and preferences are kept in /home/agent/.state/agent-companion.";
    assert.deepEqual(said(webStateDir('/etc/agent-companion.json', env, (dir) => dir !== '/etc')), { path: '/home/agent/.state/agent-companion', note: elsewhere, line: elsewhere });
    const xdg = webStateDir(undefined, { HOME: '/home/agent' });
    assert.equal(english.t(xdg.message.key, xdg.message.values), xdg.note);
    assert.equal(webStateDir(undefined, { HOME: '/home/agent' }).path, '/home/agent/.local/state/agent-companion');
    assert.equal(webStateDir(undefined, { HOME: '/home/agent', XDG_STATE_HOME: 'relative' }).path, '/home/agent/.local/state/agent-companion', 'a relative XDG_STATE_HOME is ignored, as the spec says');
  });

  it('starts with a config in a folder it may not write, keeping key, history and preferences in the state directory (writability injected)', async () => {
    // Meaningful as root too, where permissions do not bind: the check is handed in.
    const dir = tempDir();
    const etc = join(dir, 'etc');
    mkdirSync(etc);
    writeFileSync(join(etc, 'agent-companion.json'), JSON.stringify({ accounts: [] }));
    const state = join(dir, 'state');
    let out = '';
    const running = await main(['--config', join(etc, 'agent-companion.json')], {
      env: { HOME: dir, XDG_STATE_HOME: state },
      writable: (folder) => folder !== etc,
      signals: false,
      log: appLogger('silent'),
      out: { write: (text: string) => (out += text) },
    });
    assert.ok(running);
    try {
      assert.equal(running.stateDir.path, join(state, 'agent-companion'));
      assert.match(out, new RegExp(`The config file's folder ${etc} is not writable, so the session key, call history and preferences are kept in ${join(state, 'agent-companion')}\\.`));
      assert.ok(existsSync(join(state, 'agent-companion', WEB_TOKEN_FILE)));
    } finally {
      await running.stop();
    }
    assert.deepEqual(readdirSync(etc), ['agent-companion.json'], 'nothing beside the config');
  });

  it('starts for a user who cannot write the config’s folder (a real read-only folder)', async (t) => {
    const runner = unprivileged();
    if (runner.skip !== undefined) {
      process.stdout.write(`# skipped: ${runner.skip}\n`);
      t.skip(runner.skip);
      return;
    }
    const dir = tempDir();
    chmodSync(dir, 0o755);
    const etc = join(dir, 'etc');
    mkdirSync(etc);
    writeFileSync(join(etc, 'agent-companion.json'), JSON.stringify({ accounts: [] }), { mode: 0o644 });
    chmodSync(etc, 0o555);
    const home = join(dir, 'home');
    mkdirSync(home);
    giveToProbe(runner, home);
    const started = await runProbe(runner, ['web-host', '--config', join(etc, 'agent-companion.json'), '--port', '0'], { HOME: home, XDG_STATE_HOME: join(home, '.local', 'state') });
    assert.equal(started.code, 0, `${started.stdout}\n${started.stderr}`);
    const result = JSON.parse(started.stdout.trim().split('\n').pop()!) as { state: { path: string }; key: string; out: string };
    assert.equal(result.state.path, join(home, '.local', 'state', 'agent-companion'));
    assert.match(result.out, /is not writable, so the session key, call history and preferences are kept in/);
    assert.equal(result.key, join(home, '.local', 'state', 'agent-companion', WEB_TOKEN_FILE));
    assert.ok(existsSync(result.key));
    assert.deepEqual(readdirSync(etc), ['agent-companion.json']);
  });
});
