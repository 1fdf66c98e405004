/**
 * The web host's log as a person at a terminal sees it (`main/log-terminal.ts`): readable lines on a
 * TTY, JSON lines in a pipe or with `--log-json`, secrets redacted in both.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appLogger } from '../../main/app.js';
import { logDestination, type Terminal } from '../../main/log-terminal.js';
import { main } from '../../main/web.js';

/** The escape that starts an ANSI colour. */
const ESC = String.fromCharCode(27);

/** A terminal (or a pipe) that keeps what is written to it. */
function terminal(isTTY: boolean, colours = false): Terminal & { text: string[] } {
  const text: string[] = [];
  return { isTTY, text, write: (chunk: string) => text.push(chunk), hasColors: () => colours };
}

/** Logs what the web host logs when it starts, plus a line carrying a secret, through `destination`. */
function logStart(destination: { write(line: string): unknown }): void {
  const log = appLogger('info', destination);
  log.info({ path: '/home/agent/.local/state/agent-companion' }, 'the web host keeps its state in this folder');
  log.child({ account: 'voice' }).warn({ password: 'hunter2-canary', token: 'tok-canary' }, 'sign-in refused');
}

describe('the web host’s log on a terminal', () => {
  it('is one readable line per entry on a TTY: time, level, message, then the fields', () => {
    const tty = terminal(true);
    logStart(logDestination({ terminal: tty }));
    assert.equal(tty.text.length, 2);
    const [state, refused] = tty.text as [string, string];
    assert.match(state, /^\[\d\d:\d\d:\d\d\] INFO: the web host keeps its state in this folder \{"path":"\/home\/agent\/\.local\/state\/agent-companion"\}\n$/);
    assert.match(refused, /^\[\d\d:\d\d:\d\d\] WARN: sign-in refused /);
    for (const line of tty.text) {
      assert.doesNotMatch(line, /"level"|"pid"|"hostname"/, 'no JSON envelope');
      assert.ok(!line.includes(ESC), 'no colours where the terminal has none');
    }
  });

  it('keeps secrets redacted in the readable form', () => {
    const tty = terminal(true);
    logStart(logDestination({ terminal: tty }));
    const all = tty.text.join('');
    assert.doesNotMatch(all, /hunter2-canary|tok-canary/);
    assert.match(all, /"password":"\[redacted\]"/);
  });

  it('colours the level where the terminal shows colours', () => {
    const tty = terminal(true, true);
    logStart(logDestination({ terminal: tty }));
    assert.ok(tty.text[0]!.includes(`${ESC}[32mINFO${ESC}[39m`), 'INFO in green');
  });

  it('stays JSON lines in a pipe, and on a TTY with --log-json', () => {
    for (const [where, options] of [
      ['a pipe', { terminal: terminal(false) }],
      ['a TTY with --log-json', { terminal: terminal(true), json: true }],
    ] as const) {
      logStart(logDestination(options));
      const lines = options.terminal.text.map((line) => JSON.parse(line) as Record<string, unknown>);
      assert.deepEqual(
        lines.map((line) => [line.level, line.msg]),
        [
          [30, 'the web host keeps its state in this folder'],
          [40, 'sign-in refused'],
        ],
        where,
      );
      assert.equal(lines[1]!.password, '[redacted]', where);
    }
  });

  it('takes --log-json and --log-level on the command line and says so in --help', async () => {
    const written: string[] = [];
    await main(['--log-json', '--log-level', 'debug', '--help'], { out: { write: (text: string) => written.push(text) } });
    // The help's columns widened for --log-level.
    assert.match(written.join(''), /--log-json {3}log JSON lines even on a terminal/);
    assert.match(written.join(''), /--log-level {2}trace, debug, info, warn, error or fatal/);
  });
});
