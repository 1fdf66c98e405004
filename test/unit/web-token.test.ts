/**
 * The web host's session key outlives a restart (issue 11, point 8): kept in one file only its owner
 * can read, written atomically, renewed when asked.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadWebToken, WEB_TOKEN_FILE } from '../../main/web-token.js';

describe('the web host’s session key', () => {
  const dirs: string[] = [];
  after(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
  async function dir(): Promise<string> {
    const made = await mkdtemp(join(tmpdir(), 'ac-key-'));
    dirs.push(made);
    return join(made, 'state', 'agent-companion');
  }

  it('is made once, readable by its owner only, and the same after a restart', async () => {
    const state = await dir();
    const first = await loadWebToken(state);
    assert.equal(first.created, true);
    assert.match(first.token, /^[A-Za-z0-9_-]{43}$/);
    assert.equal((await stat(first.path)).mode & 0o777, 0o600);
    assert.equal((await stat(state)).mode & 0o777, 0o700, 'a directory it made is its owner’s only');
    const again = await loadWebToken(state);
    assert.deepEqual(again, { ...first, created: false });
    assert.deepEqual(await readdir(state), [WEB_TOKEN_FILE], 'no temporary file is left behind');
  });

  it('makes a new one when asked (--new-key), and replaces a file that holds no key', async () => {
    const state = await dir();
    const first = await loadWebToken(state);
    const renewed = await loadWebToken(state, { renew: true });
    assert.equal(renewed.created, true);
    assert.notEqual(renewed.token, first.token);
    assert.equal((await readFile(renewed.path, 'utf8')).trim(), renewed.token);
    await writeFile(renewed.path, 'not a key\n');
    const replaced = await loadWebToken(state);
    assert.equal(replaced.created, true);
    assert.notEqual(replaced.token, renewed.token);
  });

  it('narrows a key file others can read to 0600', async () => {
    const state = await dir();
    const { path, token } = await loadWebToken(state);
    await chmod(path, 0o644);
    assert.equal((await loadWebToken(state)).token, token);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
  });

  it('names the file when it cannot be written', async () => {
    const base = await mkdtemp(join(tmpdir(), 'ac-key-'));
    dirs.push(base);
    await writeFile(join(base, 'file'), '');
    await assert.rejects(loadWebToken(join(base, 'file', 'sub')), /could not keep the web host's session key in .*web-session\.key/);
  });
});
