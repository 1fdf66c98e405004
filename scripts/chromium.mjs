// The Chromium the end-to-end tests drive (through playwright-core), found on this machine or, where
// there is none, obtained the ecosystem's way: Playwright's own installer, then Debian's package.
// Used by scripts/test.mjs before any end-to-end file runs, and by test/e2e/browser.ts to launch it.
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { stripVTControlCharacters } from 'node:util';
import { chromium } from 'playwright-core';

/** The one sentence said when no Chromium can be found or obtained. */
export const NO_CHROMIUM =
  "No Chromium found for the end-to-end tests: install Debian's `chromium` package (apt-get install chromium) or set CHROMIUM_PATH to a Chromium executable.";

/** Where Debian (and Ubuntu) install Chromium. */
export const SYSTEM_CHROMIUM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** @param {string} path */
function isExecutableFile(path) {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** @returns {string | undefined} Playwright's own Chromium, if it was installed. */
function playwrightChromium() {
  try {
    const path = chromium.executablePath();
    return path && isExecutableFile(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

/**
 * @typedef {object} FindOptions
 * @property {NodeJS.ProcessEnv} [env] where `CHROMIUM_PATH` is read (default: process.env)
 * @property {readonly string[]} [systemPaths] system locations to try (default: SYSTEM_CHROMIUM_PATHS)
 * @property {() => string | undefined} [playwright] Playwright's own browser, if installed
 */

/**
 * The Chromium executable to use: `CHROMIUM_PATH` (which, when set, must be an executable file),
 * else Debian's `/usr/bin/chromium` or `/usr/bin/chromium-browser`, else Playwright's own browser.
 * @param {FindOptions} [options]
 * @returns {string | undefined} the executable's path, or undefined when there is none
 * @throws {Error} when `CHROMIUM_PATH` is set but is not an executable file
 */
export function findChromium({ env = process.env, systemPaths = SYSTEM_CHROMIUM_PATHS, playwright = playwrightChromium } = {}) {
  const configured = env.CHROMIUM_PATH;
  if (configured) {
    if (isExecutableFile(configured)) return configured;
    const why = existsSync(configured) ? 'is not an executable file' : 'does not exist';
    throw new Error(`CHROMIUM_PATH is set to ${configured}, which ${why}: point CHROMIUM_PATH at a Chromium executable or unset it.`);
  }
  return systemPaths.find(isExecutableFile) ?? playwright();
}

/**
 * One way of obtaining Chromium. `run` resolves when the attempt succeeded and rejects with a short
 * reason otherwise; `skip` returns why the attempt does not apply here, if it does not.
 * @typedef {object} Installer
 * @property {string} name what is tried, as printed
 * @property {() => string | undefined} [skip]
 * @property {() => Promise<void>} run
 */

/**
 * Runs a command in its own process group, output captured, killing the whole group when `deadline`
 * (ms since the epoch) passes. Rejects with one line: the exit status or timeout and the last line
 * the command printed.
 * @param {string} command
 * @param {string[]} args
 * @param {number} deadline
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {Promise<void>}
 */
function runBounded(command, args, deadline, env = process.env) {
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const output = [];
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    let timedOut = false;
    const limitSeconds = Math.round((deadline - Date.now()) / 1000);
    const timer = setTimeout(
      () => {
        timedOut = true;
        try {
          if (child.pid) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      },
      Math.max(0, deadline - Date.now()),
    );
    // The reason, in one line: the last error line printed (`Error: …`, apt's `E: …`), else the
    // last line that is not part of a stack trace.
    const lastLine = () => {
      const lines = stripVTControlCharacters(Buffer.concat(output).toString('utf8'))
        .split('\n')
        .map((line) => line.replace(/[\s║╔╗╚╝═]+/gu, ' ').trim())
        .filter((line) => line && !/^(at |npm warn )/.test(line));
      const reason = lines.findLast((line) => /^(\w*Error\b|E:|error\b)/i.test(line)) ?? lines.at(-1);
      return reason?.slice(0, 200) ?? 'no output';
    };
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`${command} could not start (${error.message})`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) reject(new Error(`stopped at its time limit of ${limitSeconds} s: ${lastLine()}`));
      else if (code === 0) resolve();
      else reject(new Error(`${code === null ? `killed by ${signal}` : `exit ${code}`}: ${lastLine()}`));
    });
  });
}

/**
 * Playwright's own installer (downloads from Playwright's CDN; fails fast where that is unreachable).
 * @param {number} [timeoutMs]
 * @returns {Installer}
 */
export function playwrightInstaller(timeoutMs = 120_000) {
  return {
    name: 'npx playwright-core install chromium',
    run: () => runBounded('npx', ['--no', 'playwright-core', 'install', 'chromium'], Date.now() + timeoutMs),
  };
}

/**
 * Debian's package, through apt-get (only on Debian, only as root).
 * @param {number} [timeoutMs] for update and install together
 * @returns {Installer}
 */
export function aptInstaller(timeoutMs = 300_000) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  return {
    name: 'apt-get install chromium',
    skip: () => {
      if (!existsSync('/etc/debian_version')) return 'not Debian';
      if (process.getuid?.() !== 0) return 'not root';
      return undefined;
    },
    run: async () => {
      const deadline = Date.now() + timeoutMs;
      await runBounded('apt-get', ['update', '-qq'], deadline, env).catch((error) => {
        throw new Error(`apt-get update: ${error.message}`);
      });
      await runBounded('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], deadline, env);
    },
  };
}

/**
 * @typedef {object} EnsureOptions
 * @property {(line: string) => void} [log] where each attempt's one-line outcome goes
 * @property {readonly Installer[]} [install] the attempts, in order (default: Playwright's, then apt-get)
 * @property {FindOptions} [find] passed to findChromium
 */

/**
 * The Chromium to use, obtaining one when there is none: each installer is tried in turn (its
 * outcome printed in one line) until Chromium is found.
 * @param {EnsureOptions} [options]
 * @returns {Promise<string>} the executable's path
 * @throws {Error} with one sentence when there is still none (or CHROMIUM_PATH is wrong)
 */
export async function ensureChromium({ log = (line) => process.stderr.write(`${line}\n`), install, find } = {}) {
  const found = findChromium(find);
  if (found) return found;
  log('chromium: none found; trying to install one');
  for (const installer of install ?? [playwrightInstaller(), aptInstaller()]) {
    const skipped = installer.skip?.();
    if (skipped) {
      log(`chromium: ${installer.name}: skipped (${skipped})`);
      continue;
    }
    const started = Date.now();
    const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
    try {
      await installer.run();
    } catch (error) {
      log(`chromium: ${installer.name}: failed after ${seconds()} (${error instanceof Error ? error.message : String(error)})`);
      continue;
    }
    const path = findChromium(find);
    log(`chromium: ${installer.name}: ${path ? `ok after ${seconds()}, ${path}` : `succeeded after ${seconds()} but no Chromium was found`}`);
    if (path) return path;
  }
  throw new Error(NO_CHROMIUM);
}
