/**
 * Finding and obtaining the Chromium the end-to-end tests drive, without touching this machine's
 * browsers: the environment, system paths, Playwright's browser and the installers are all injected.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ensureChromium, findChromium, NO_CHROMIUM, type FindOptions, type Installer } from '../../scripts/chromium.mjs';

const dir = mkdtempSync(join(tmpdir(), 'chromium-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function executable(name: string): string {
  const path = join(dir, name);
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, 0o755);
  return path;
}

/** A machine with no Chromium anywhere. */
const nowhere: FindOptions = { env: {}, systemPaths: [join(dir, 'absent')], playwright: () => undefined };

const failing = (name: string): Installer => ({
  name,
  run: () => Promise.reject(new Error('unreachable')),
});

describe('finding Chromium', () => {
  it('names CHROMIUM_PATH when it is set to a file that does not exist', () => {
    assert.throws(() => findChromium({ ...nowhere, env: { CHROMIUM_PATH: '/nonexistent/chromium' } }), /CHROMIUM_PATH.*\/nonexistent\/chromium/);
  });

  it('names CHROMIUM_PATH when it is set to a file that is not executable', () => {
    const path = join(dir, 'not-executable');
    writeFileSync(path, '');
    chmodSync(path, 0o644);
    assert.throws(() => findChromium({ ...nowhere, env: { CHROMIUM_PATH: path } }), /CHROMIUM_PATH.*not an executable/);
  });

  it('uses CHROMIUM_PATH when it is an executable, before any system browser', () => {
    const path = executable('chromium-configured');
    const system = executable('chromium-system');
    assert.equal(findChromium({ env: { CHROMIUM_PATH: path }, systemPaths: [system], playwright: () => undefined }), path);
  });

  it('then the system paths, then Playwright’s own browser, else nothing', () => {
    const system = executable('chromium-debian');
    const playwright = executable('chromium-playwright');
    assert.equal(findChromium({ env: {}, systemPaths: [join(dir, 'absent'), system], playwright: () => playwright }), system);
    assert.equal(findChromium({ ...nowhere, playwright: () => playwright }), playwright);
    assert.equal(findChromium(nowhere), undefined);
  });
});

describe('obtaining Chromium', () => {
  it('returns the browser found without running any installer', async () => {
    const system = executable('chromium-present');
    let ran = false;
    const path = await ensureChromium({
      log: () => undefined,
      find: { env: {}, systemPaths: [system], playwright: () => undefined },
      install: [{ name: 'never', run: async () => void (ran = true) }],
    });
    assert.equal(path, system);
    assert.equal(ran, false);
  });

  it('says what to install, in one sentence, when every installer fails', async () => {
    const lines: string[] = [];
    await assert.rejects(
      ensureChromium({ log: (line) => lines.push(line), find: nowhere, install: [failing('first'), failing('second')] }),
      (error: Error) => error.message === NO_CHROMIUM,
    );
    assert.match(NO_CHROMIUM, /^No Chromium found for the end-to-end tests: .*apt-get install chromium.*CHROMIUM_PATH[^.]*\.$/);
    assert.ok(lines.some((line) => /first: failed .*unreachable/.test(line)));
    assert.ok(lines.some((line) => /second: failed .*unreachable/.test(line)));
  });

  it('skips an installer that does not apply, and returns the path once one succeeds', async () => {
    const target = join(dir, 'chromium-installed');
    const lines: string[] = [];
    const path = await ensureChromium({
      log: (line) => lines.push(line),
      find: { ...nowhere, systemPaths: [target] },
      install: [
        failing('playwright'),
        { name: 'apt', skip: () => 'not root', run: () => Promise.reject(new Error('must not run')) },
        { name: 'works', run: async () => void executable('chromium-installed') },
      ],
    });
    assert.equal(path, target);
    assert.ok(lines.some((line) => /apt: skipped \(not root\)/.test(line)));
    assert.ok(lines.some((line) => line.includes(`works: ok`) && line.includes(target)));
  });

  it('does not try to install when CHROMIUM_PATH is wrong: it says so instead', async () => {
    let ran = false;
    await assert.rejects(
      ensureChromium({
        log: () => undefined,
        find: { ...nowhere, env: { CHROMIUM_PATH: '/nonexistent' } },
        install: [{ name: 'never', run: async () => void (ran = true) }],
      }),
      /CHROMIUM_PATH/,
    );
    assert.equal(ran, false);
  });
});
