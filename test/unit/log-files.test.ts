/**
 * The log on disk (`main/log-files.ts`, issue 22 point 1): the web host writes its log to rotating
 * files in its state folder; a file that reaches its size limit is followed by a new one, only the
 * newest files are kept, and a secret is redacted there as on the terminal.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { appLogger } from '../../main/app.js';
import { listLogFiles, LogSink, logLevelFrom, openLogFiles } from '../../main/log-files.js';
import { main } from '../../main/web.js';
import { canary, canaryForms, leaks } from '../support/canary.js';
import { eventually } from '../support/eventually.js';

const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'log-files-'));
  dirs.push(dir);
  return dir;
}

describe('the log files', () => {
  it('roll over at their size limit and keep only the newest files', async () => {
    const dir = tempDir();
    const files = await openLogFiles({ dir, maxBytes: 2048, keep: 3 });
    const line = `${JSON.stringify({ level: 30, msg: 'x'.repeat(80) })}\n`;
    for (let i = 0; i < 120; i++) {
      files.write(line);
      // pino-roll rolls once a write has reached the disk: give each write its turn.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await files.close();
    const kept = await eventually(() => {
      const list = listLogFiles(dir);
      return list.length === 3 && list;
    }, 'three files kept');
    for (const file of kept) {
      assert.match(file.name, /^agent-companion\.\d{4}-\d\d-\d\d\.\d+\.log$/);
      assert.ok(file.bytes <= 2048 + line.length, `${file.name} holds ${file.bytes} bytes, over the limit`);
    }
    const numbers = kept.map((file) => Number(file.name.split('.').at(-2)));
    assert.ok(Math.max(...numbers) > 3, `older files were deleted (numbers ${numbers.join(', ')})`);
  });

  it('hold the lines written before they were attached, then every line', () => {
    const terminal: string[] = [];
    const file: string[] = [];
    const sink = new LogSink({ write: (line: string) => terminal.push(line) });
    sink.write('first\n');
    sink.attach({ write: (line: string) => file.push(line) });
    sink.write('second\n');
    sink.detach();
    sink.write('third\n');
    assert.deepEqual(terminal, ['first\n', 'second\n', 'third\n']);
    assert.deepEqual(file, ['first\n', 'second\n']);
  });

  it('in the web host: rotate in <state>/logs at a small size limit, secrets redacted', async () => {
    const dir = tempDir();
    const config = join(dir, 'agent-companion.json');
    writeFileSync(config, JSON.stringify({ accounts: [] }));
    const secret = canary('log-file');
    const sink = new LogSink({ write: () => true });
    const log = appLogger('debug', sink);
    let out = '';
    const running = await main(['--config', config], { env: { HOME: dir }, signals: false, log, logSink: sink, logFiles: { maxBytes: 4096, keep: 2 }, out: { write: (text: string) => (out += text) } });
    assert.ok(running?.logFiles);
    const logs = join(dir, 'logs');
    assert.match(out, new RegExp(`Its log files are in ${logs}\\.`));
    try {
      for (let i = 0; i < 100; i++) {
        log.child({ account: 'voice' }).debug({ password: secret, attempt: i }, 'signing in');
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      await running.stop();
    }
    const kept = await eventually(() => {
      const list = listLogFiles(logs);
      return list.length === 2 && list;
    }, 'two files kept in <state>/logs');
    const text = kept.map((file) => readFileSync(file.path, 'utf8')).join('');
    assert.match(text, /"msg":"signing in"/);
    assert.match(text, /"password":"\[redacted\]"/);
    assert.deepEqual(leaks(text, new Map([['password', canaryForms(secret)]])), []);
  });
});

describe('the log level', () => {
  it('is --log-level, else AGENT_COMPANION_LOG, else display.logLevel, else info', () => {
    assert.equal(logLevelFrom(['--log-level', 'debug'], { AGENT_COMPANION_LOG: 'warn' }, 'error'), 'debug');
    assert.equal(logLevelFrom(['--log-level=trace'], {}, 'error'), 'trace');
    assert.equal(logLevelFrom([], { AGENT_COMPANION_LOG: 'warn' }, 'error'), 'warn');
    assert.equal(logLevelFrom([], {}, 'error'), 'error');
    assert.equal(logLevelFrom([], {}), 'info');
    assert.equal(logLevelFrom(['--log-level', 'loud'], {}, 'debug'), 'debug', 'a word that is no level is passed over');
  });
});
