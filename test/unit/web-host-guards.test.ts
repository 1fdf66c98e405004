/**
 * The web host against a hostile page (issue 16, findings 5 and 6), without a browser: refused
 * upgrades and failed hellos cannot flood the log, and no spelling of a source map's path is served.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { appLogger, startCore, type Core } from '../../main/app.js';
import { parseConfig } from '../../main/config.js';
import { startWebHost, type WebHost } from '../../main/web.js';
import { windowFile } from '../../main/window-files.js';
import { MAP_SPELLINGS, rendererWithMap } from '../support/map-spellings.js';

/** A GET with the path exactly as written (no client-side normalisation). */
function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { Host: `127.0.0.1:${port}` } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a socket to the bridge and says how it ended: the refusal's status, or the close code. */
function knock(url: string, origin: string, hello?: string): Promise<string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers: { Origin: origin } });
    ws.on('unexpected-response', (_req, res) => {
      resolve(String(res.statusCode));
      ws.terminate();
    });
    ws.on('open', () => (hello === undefined ? undefined : ws.send(hello)));
    ws.on('close', (code) => resolve(`closed ${code}`));
    ws.on('error', () => resolve('error'));
  });
}

describe('web host guards', () => {
  let core: Core;
  let host: WebHost;
  let dir: string;
  const lines: Array<{ msg: string; reason?: string; count?: number }> = [];
  before(async () => {
    dir = rendererWithMap();
    const log = appLogger('info', { write: (line: string) => lines.push(JSON.parse(line) as { msg: string }) });
    core = await startCore({ config: parseConfig({}), log });
    host = await startWebHost({ core, log, rendererDir: dir });
  });
  after(async () => {
    await host?.close();
    await core?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the window but no spelling of a source map’s path', async () => {
    assert.equal((await get(host.port, '/')).status, 200);
    assert.equal((await get(host.port, '/assets/app.js')).status, 200);
    assert.equal((await get(host.port, '/assets/%61pp.js')).status, 200, 'an encoded name of a file that may be served is served');
    for (const path of MAP_SPELLINGS) {
      const answer = await get(host.port, path);
      assert.equal(answer.status, 404, path);
      assert.doesNotMatch(answer.body, /secret\.ts/, path);
    }
  });

  it('decides on the decoded, normalised path, with an allow-list of the window’s kinds of file', () => {
    assert.equal(windowFile('/'), 'index.html');
    assert.equal(windowFile('/assets/%61pp.js'), 'assets/app.js');
    assert.equal(windowFile('/x/../assets/app.js'), 'assets/app.js');
    assert.equal(windowFile('/../../etc/passwd'), undefined, 'no kind of file the window has');
    assert.equal(windowFile('/..%2f..%2fetc/hosts.json'), 'etc/hosts.json', 'never above the window’s folder');
    assert.equal(windowFile('/%E0%A4%A'), undefined, 'a path that does not decode');
    assert.equal(windowFile('/assets/app.js%5c..%5capp.js'), undefined, 'a backslash');
    assert.equal(windowFile('/.env.json'), undefined, 'a dot file');
    for (const path of MAP_SPELLINGS) assert.equal(windowFile(path.replace(/\?.*$/, '')), undefined, path);
  });

  it('logs 300 refused upgrades from a foreign page as at most one line, and 50 wrong tokens as one', async () => {
    const url = `ws://127.0.0.1:${host.port}/bridge`;
    const before = lines.length;
    for (let batch = 0; batch < 10; batch++) {
      const answers = await Promise.all(Array.from({ length: 30 }, () => knock(url, 'http://evil.example')));
      assert.ok(answers.every((answer) => answer === '403'), answers.join());
    }
    const wrongPath = await knock(`ws://127.0.0.1:${host.port}/elsewhere`, `http://127.0.0.1:${host.port}`);
    assert.equal(wrongPath, '403');
    const tokens = await Promise.all(Array.from({ length: 50 }, () => knock(url, `http://127.0.0.1:${host.port}`, JSON.stringify({ type: 'hello', token: 'guess' }))));
    assert.ok(tokens.every((answer) => answer === 'closed 4401'), tokens.join());

    const logged = lines.slice(before);
    const about = (pattern: RegExp) => logged.filter((line) => pattern.test(line.msg));
    assert.ok(about(/foreign origin/).length <= 1, `${about(/foreign origin/).length} lines about the foreign origin`);
    assert.ok(about(/wrong token/).length <= 1, `${about(/wrong token/).length} lines about wrong tokens`);
    assert.ok(logged.length <= 3, `${logged.length} lines: ${[...new Set(logged.map((line) => line.msg))].join(' | ')}`);
    // Each line says why, and counts.
    assert.deepEqual(
      logged.map((line) => [line.reason, line.count]).sort(),
      [
        ['bad-path', 1],
        ['foreign-origin', 1],
        ['wrong-token', 1],
      ],
    );
  });

  it('logs 20 frames over the size limit as one line', async () => {
    const url = `ws://127.0.0.1:${host.port}/bridge`;
    const before = lines.length;
    const big = 'x'.repeat(128 * 1024);
    const answers = await Promise.all(Array.from({ length: 20 }, () => knock(url, `http://127.0.0.1:${host.port}`, big)));
    assert.ok(answers.every((answer) => answer === 'closed 1009'), answers.join());
    const logged = lines.slice(before);
    assert.deepEqual(
      logged.map((line) => [line.reason, line.count]),
      [['oversized', 1]],
      logged.map((line) => line.msg).join(' | '),
    );
  });
});
