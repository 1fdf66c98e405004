#!/usr/bin/env node
// `npm test`: every suite, in order of cost. Unit and golden tests need nothing; integration tests
// start simulators on loopback; end-to-end tests need the built renderer and a Chromium (see
// test/e2e/browser.ts), and the Electron ones the Electron binary (they say so when it is missing).
// Any extra arguments are test files or folders to run instead of all of them.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const suites = ['test/unit', 'test/golden', 'test/integration', 'test/e2e'];

function testFiles(path) {
  const full = join(root, path);
  if (statSync(full).isFile()) return [path];
  return readdirSync(full, { recursive: true })
    .filter((f) => f.endsWith('.test.ts'))
    .sort()
    .map((f) => join(path, f));
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const targets = process.argv.slice(2);
const files = (targets.length ? targets : suites).flatMap(testFiles);
if (files.some((f) => f.startsWith('test/e2e'))) run('npm', ['run', '--silent', 'build:renderer']);
run(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files]);
