#!/usr/bin/env node
// `npm start`: the Electron app where the Electron binary is installed; otherwise one sentence
// saying why, and the web host instead (same core, in the browser). Arguments pass through
// (`npm start -- --config PATH`).
import { spawn, spawnSync } from 'node:child_process';
import { electronBinary } from './electron-binary.mjs';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(command, commandArgs) {
  const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const binary = electronBinary();
if (binary) {
  const build = spawnSync(npm, ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  run(binary, ['.', ...args]);
} else {
  process.stdout.write(
    'The Electron binary is not installed on this machine (it is downloaded from GitHub on first run, which this network does not allow), so Agent Companion starts in your browser instead.\n',
  );
  run(npm, ['run', '--silent', 'start:web', '--', ...args]);
}
