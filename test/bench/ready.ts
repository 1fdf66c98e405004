/// <reference lib="dom" />
/**
 * Question 5 — ready fast: from the moment the web host's process is started in demo mode
 * (`node --import tsx main/web.ts --demo`, what `npm run start:web -- --demo` runs once the window
 * is built) to the first full desk in Chromium (every registered platform's account on it), and to
 * every account connected. Chromium is started beforehand (it is the user's browser, already
 * open); the page loads the URL the host prints. The page stamps both moments itself (a
 * MutationObserver), on the same clock as the start. Median of `runs`.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { platforms } from '../../main/vendors/index.js';
import { launchChromium } from '../e2e/browser.js';
import { median, round } from './core.js';

export interface ReadyRun {
  /** The host printed its URL (core started, simulators listening), ms after the process start. */
  urlMs: number;
  /** Every account's chip on the desk. */
  firstDeskMs: number;
  /** Every account connected. */
  allConnectedMs: number;
}

export interface ReadyResult {
  runs: ReadyRun[];
  median: ReadyRun;
}

const ROOT = new URL('../../', import.meta.url).pathname;

/** The environment without a config file named in it (demo mode then starts). */
function withoutConfig(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  delete copy.AGENT_COMPANION_CONFIG;
  return copy;
}

export async function measureReady(options: { runs: number }): Promise<ReadyResult> {
  const accounts = platforms().length;
  const browser = await launchChromium();
  const runs: ReadyRun[] = [];
  try {
    for (let r = 0; r < options.runs; r++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.addInitScript({
        content: `(() => {
          const marks = {};
          window.__marks = marks;
          const check = () => {
            const now = performance.timeOrigin + performance.now();
            const chips = document.querySelectorAll('[data-testid="account-status"]');
            if (!marks.firstDesk && chips.length >= ${accounts}) marks.firstDesk = now;
            if (!marks.allConnected && document.querySelectorAll('[data-testid="account-status"][data-state="connected"]').length >= ${accounts}) marks.allConnected = now;
          };
          new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
        })();`,
      });
      const started = performance.timeOrigin + performance.now();
      const child = spawn(process.execPath, ['--import', 'tsx', 'main/web.ts', '--demo', '--port', '0'], {
        cwd: ROOT,
        env: withoutConfig({ ...process.env, AGENT_COMPANION_LOG: 'warn' }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const url = await new Promise<string>((resolve, reject) => {
        let text = '';
        const timer = setTimeout(() => reject(new Error(`the web host printed no URL within 60 s: ${text}${output}`)), 60_000);
        child.stdout.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          const found = /Open (http\S+)/.exec(text);
          if (found) {
            clearTimeout(timer);
            resolve(found[1]!);
          }
        });
        child.once('exit', (code) => reject(new Error(`the web host exited (${code}): ${output}`)));
      });
      const urlAt = performance.timeOrigin + performance.now();
      await page.goto(url);
      await page.waitForFunction(() => (window as unknown as { __marks: { allConnected?: number } }).__marks.allConnected !== undefined, undefined, { timeout: 60_000 });
      const marks = await page.evaluate(() => (window as unknown as { __marks: { firstDesk: number; allConnected: number } }).__marks);
      runs.push({ urlMs: round(urlAt - started, 0), firstDeskMs: round(marks.firstDesk - started, 0), allConnectedMs: round(marks.allConnected - started, 0) });
      await context.close();
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  } finally {
    await browser.close().catch(() => undefined);
  }
  return {
    runs,
    median: {
      urlMs: median(runs.map((r) => r.urlMs)),
      firstDeskMs: median(runs.map((r) => r.firstDeskMs)),
      allConnectedMs: median(runs.map((r) => r.allConnectedMs)),
    },
  };
}
