#!/usr/bin/env node
// `npm test`: every suite, in order of cost. Unit and golden tests need nothing; integration tests
// start simulators on loopback; end-to-end tests need the built renderer and a Chromium, which is
// found or obtained first (scripts/chromium.mjs; without one the run stops at once, saying what to
// install), and the Electron ones the Electron binary (they say so when it is missing).
// Any extra arguments are test files or folders to run instead of all of them.
//
// Every run is bounded: one `node --test` over all the files (one closing summary), each file in its
// own subprocess, `--test-timeout` per test (on Node 20 it also bounds each file's subprocess),
// `--test-force-exit` so a file whose handles stay open still ends, and a wall-clock limit on the
// whole run after which its process group is killed.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ensureChromium } from './chromium.mjs';

const root = new URL('..', import.meta.url).pathname;
const suites = ['test/unit', 'test/golden', 'test/fuzz', 'test/integration', 'test/conformance', 'test/e2e'];
const TEST_TIMEOUT_MS = 120_000;
const BUILD_LIMIT_MS = 5 * 60_000;
// 40 minutes: the suite takes about 6 on an idle 2-core machine, several times that on a busy one, and CI allows 90.
const RUN_LIMIT_MS = Number(process.env.TEST_RUN_LIMIT_S || 2400) * 1000;

/** @param {string} path a test file or folder, relative to the repository */
function testFiles(path) {
  const full = resolve(root, path);
  if (statSync(full).isFile()) return [relative(root, full)];
  return readdirSync(full, { recursive: true })
    .filter((f) => f.endsWith('.test.ts'))
    .sort()
    .map((f) => relative(root, join(full, f)));
}

/**
 * Runs a command in its own process group with the terminal's output, and kills that group (TERM,
 * then KILL) when `limitMs` passes or this script is interrupted.
 * @param {string} command
 * @param {string[]} args
 * @param {{ limitMs: number, what: string, env?: NodeJS.ProcessEnv }} options
 * @returns {Promise<number>} the exit status (1 when killed)
 */
function runBounded(command, args, { limitMs, what, env = process.env }) {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', env, detached: true });
    const killGroup = (/** @type {NodeJS.Signals} */ signal) => {
      try {
        if (child.pid) process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    /** @type {NodeJS.Timeout | undefined} */
    let hardKill;
    const stop = (/** @type {NodeJS.Signals} */ signal) => {
      killGroup(signal);
      hardKill ??= setTimeout(() => killGroup('SIGKILL'), 5_000);
    };
    const timer = setTimeout(() => {
      process.stderr.write(`\n${what} did not finish within ${Math.round(limitMs / 1000)} s and was stopped.\n`);
      stop('SIGTERM');
    }, limitMs);
    const forward = (/** @type {NodeJS.Signals} */ signal) => stop(signal);
    const signals = /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP']);
    for (const signal of signals) process.on(signal, forward);
    child.on('error', (error) => {
      process.stderr.write(`${what} could not start: ${error.message}\n`);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      // The group's leader is gone: whatever it left behind goes too.
      killGroup('SIGKILL');
      if (hardKill) clearTimeout(hardKill);
      for (const signal of signals) process.off(signal, forward);
      done(code ?? 1);
    });
  });
}

const targets = process.argv.slice(2);
const files = (targets.length ? targets : suites).flatMap(testFiles);
const env = { ...process.env };
if (files.some((f) => f.startsWith('test/e2e/'))) {
  try {
    env.CHROMIUM_PATH = await ensureChromium({ log: (line) => process.stderr.write(`${line}\n`) });
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  process.stdout.write(`# end-to-end tests use Chromium at ${env.CHROMIUM_PATH}\n`);
  const built = await runBounded('npm', ['run', '--silent', 'build:renderer'], { limitMs: BUILD_LIMIT_MS, what: 'The renderer build' });
  if (built !== 0) process.exit(built);
}
const status = await runBounded(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=1',
    `--test-timeout=${TEST_TIMEOUT_MS}`,
    '--test-force-exit',
    '--test-reporter=spec',
    ...files,
  ],
  { limitMs: RUN_LIMIT_MS, what: `The test run (${targets.length ? targets.join(', ') : suites.join(', ')})`, env },
);
process.exit(status);
