/**
 * What a host runs, decided from its settings: mistakes named field by field, and demo mode only
 * when nothing is configured or when asked (an agent who configured something never gets fake calls).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { appLogger, startCore } from '../../main/app.js';
import { ConfigError, loadConfiguration, parseConfig } from '../../main/config.js';

const genesys = { id: 'contact', vendor: 'genesys', baseUrl: 'https://gws.example.com', user: 'agent01', password: 'p' };

function file(content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'ac-config-')), 'config.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('config mistakes name their field', () => {
  it('rejects a misspelt account field with the nearest known one', () => {
    assert.throws(
      () => parseConfig({ accounts: [{ ...genesys, password: undefined, pasword: 'p', chanels: ['chat'], enable: false }] }, 'ac.json'),
      (error: ConfigError) => {
        assert.match(error.message, /accounts\[0\]\.pasword: unknown field; did you mean "password"\?/);
        assert.match(error.message, /accounts\[0\]\.chanels: unknown field; did you mean "channels"\?/);
        assert.match(error.message, /accounts\[0\]\.enable: unknown field; did you mean "enabled"\?/);
        assert.match(error.message, /accounts\[0\]\.password: is required/);
        return true;
      },
    );
  });

  it('rejects unknown fields at the top and in display settings too', () => {
    assert.throws(() => parseConfig({ acounts: [] }), /acounts: unknown field; did you mean "accounts"\?/);
    assert.throws(() => parseConfig({ display: { theme: 'dark', toast: {} } }), /display\.toast: unknown field; did you mean "toasts"\?/);
  });

  it('rings by default on the default output, and names a bad ring setting’s field', () => {
    assert.deepEqual(parseConfig({}).display.ring, { sound: true });
    assert.deepEqual(parseConfig({ display: { ring: { sound: false, device: 'abc' } } }).display.ring, { sound: false, device: 'abc' });
    assert.throws(() => parseConfig({ display: { ring: { sound: 'loud' } } }), /display\.ring\.sound: /);
    assert.throws(() => parseConfig({ display: { ring: { sond: true } } }), /display\.ring\.sond: unknown field; did you mean "sound"\?/);
  });

  it('lists the fields allowed where a name is nothing like any of them', () => {
    assert.throws(() => parseConfig({ accounts: [{ ...genesys, colour: 'red' }] }), /accounts\[0\]\.colour: unknown field; the fields here are id, label, enabled, screenPop, vendor/);
  });
});

describe('demo mode starts only when nothing is configured, or when asked', () => {
  it('runs a config file of {} as an empty desk, not the demo', async () => {
    const loaded = await loadConfiguration({ argv: ['--config', file({})] });
    assert.equal(loaded.demo, false);
    assert.deepEqual(loaded.config.accounts, []);
    assert.match(loaded.source, /config file .*config\.json/);
  });

  it('runs a config whose accounts are all disabled as an empty desk', async () => {
    const loaded = await loadConfiguration({ argv: ['--config', file({ accounts: [{ ...genesys, enabled: false }] })] });
    assert.equal(loaded.demo, false);
  });

  it('runs the demo with no configuration at all, with --demo, or with "demo": true', async () => {
    assert.equal((await loadConfiguration({ argv: [] })).demo, true);
    assert.equal((await loadConfiguration({ argv: [], store: { document: {}, path: '/s.json' } })).demo, true);
    assert.equal((await loadConfiguration({ argv: ['--config', file({}), '--demo'] })).demo, true);
    assert.equal((await loadConfiguration({ argv: ['--config', file({ demo: true })] })).demo, true);
  });

  it('never falls back to the demo when the settings are invalid: it carries their problems', async () => {
    const stored = await loadConfiguration({ argv: [], store: { document: { accounts: [{ ...genesys, pasword: 'x' }] }, path: '/s.json' } });
    assert.equal(stored.demo, false);
    assert.deepEqual(stored.config.accounts, []);
    assert.ok(stored.problems.some((line) => line.startsWith('accounts[0].pasword: unknown field')), stored.problems.join('\n'));
    const broken = await loadConfiguration({ argv: ['--config', file('{ not json')] });
    assert.equal(broken.demo, false);
    assert.match(broken.problems.join('\n'), /is not valid JSON/);
  });

  it('reads the file named by AGENT_COMPANION_CONFIG', async () => {
    const path = file({ accounts: [genesys] });
    const loaded = await loadConfiguration({ argv: [], env: { AGENT_COMPANION_CONFIG: path }, store: { document: {}, path: '/s.json' } });
    assert.equal(loaded.config.accounts.length, 1);
    assert.equal(loaded.demo, false);
  });
});

describe('a secret whose environment variable is unset', () => {
  it('is one log line naming the account, the field and the variable, without a stack, and the account says what to fix', async () => {
    const lines: string[] = [];
    const log = appLogger('info', { write: (line: string) => lines.push(line) });
    const config = parseConfig({ accounts: [{ ...genesys, password: { env: 'AC_TEST_GENESYS_PASSWORD' } }] });
    const core = await startCore({ config, log, env: {} });
    try {
      const about = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => String(line.msg).includes('cannot start'));
      assert.equal(about.length, 1, lines.join(''));
      assert.equal(about[0]!.msg, 'account "contact" cannot start: password: the environment variable AC_TEST_GENESYS_PASSWORD is not set (a secret in the config points at it)');
      assert.equal(about[0]!.account, 'contact');
      assert.equal(about[0]!.field, 'password');
      assert.equal(about[0]!.variable, 'AC_TEST_GENESYS_PASSWORD');
      assert.ok(!lines.some((line) => line.includes('"stack"')), 'no stack');
      const account = core.desk.state.accounts.contact!;
      assert.equal(account.connection, 'failed');
      assert.match(account.reason ?? '', /password: the environment variable AC_TEST_GENESYS_PASSWORD is not set/);
    } finally {
      await core.stop();
    }
  });
});
