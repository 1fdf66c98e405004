/**
 * Runs a test's probe (`unprivileged-probe.ts`) in a child Node process as a user whom file
 * permissions bind. The tests may run as root, where a read-only folder or an unreadable file is
 * no obstacle at all: then the probe runs as `nobody` (uid 65534) through `setpriv` (util-linux);
 * as anyone else it runs as that user. When neither is possible, {@link unprivileged} says why, and
 * the caller prints it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chownSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const PROBE = join(import.meta.dirname, 'unprivileged-probe.ts');
const NOBODY = 65534;

/** How to run the probe, or why it cannot run. */
export type Unprivileged = { prefix: string[]; uid: number; gid: number; skip?: undefined } | { skip: string };

let cached: Unprivileged | undefined;

/** How this machine runs a probe as a user file permissions bind (checked once). */
export function unprivileged(): Unprivileged {
  if (cached) return cached;
  const uid = process.getuid?.();
  if (uid === undefined) return (cached = { skip: 'this platform has no POSIX users' });
  if (uid !== 0) return (cached = { prefix: [], uid, gid: process.getgid!() });
  const prefix = ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--'];
  const probe = spawnSync(prefix[0]!, [...prefix.slice(1), process.execPath, '-e', `require('fs').accessSync(${JSON.stringify(PROBE)}, require('fs').constants.R_OK)`], { cwd: '/' });
  if (probe.error) return (cached = { skip: 'the tests run as root, where file permissions do not bind, and setpriv (util-linux) is not there to run the probe as an ordinary user' });
  if (probe.status !== 0) return (cached = { skip: `the tests run as root, where file permissions do not bind, and user ${NOBODY} (nobody) cannot read the repository at ${ROOT}` });
  return (cached = { prefix, uid: NOBODY, gid: NOBODY });
}

/** Gives a folder or file to the probe's user (a no-op when it is this user). */
export function giveToProbe(runner: Exclude<Unprivileged, { skip: string }>, ...paths: string[]): void {
  for (const path of paths) chownSync(path, runner.uid, runner.gid);
}

/**
 * Runs the probe with `args` as the unprivileged user.
 * @returns its exit code and output.
 */
export function runProbe(runner: Exclude<Unprivileged, { skip: string }>, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const [command, ...rest] = [...runner.prefix, process.execPath, '--import', 'tsx', PROBE, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(command!, rest, { cwd: ROOT, env: { PATH: process.env.PATH, AGENT_COMPANION_LOG: 'silent', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
