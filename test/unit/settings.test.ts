import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SECRET_KEPT } from '../../preload/bridge.js';
import { parseConfig, type AppConfig } from '../../main/config.js';
import { maskSecrets, ReadOnlySettings, StoredSettings } from '../../main/settings.js';

const stored = parseConfig({
  accounts: [
    { id: 'voice', vendor: 'enreach', user: 'agent@example.com', secretKey: { encrypted: 'c2VjcmV0' } },
    { id: 'contact', vendor: 'genesys', baseUrl: 'https://gws.example.com', user: 'agent01', password: 'inline-password' },
  ],
});

describe('settings screen back end', () => {
  it('never lets a secret reach the window', () => {
    const view = new ReadOnlySettings(stored, 'the test').view();
    const json = JSON.stringify(view);
    assert.doesNotMatch(json, /inline-password|c2VjcmV0/);
    assert.deepEqual(view.settings.accounts[1]!.password, SECRET_KEPT);
    assert.ok(view.vendors.some((v) => v.fields.some((f) => f.kind === 'secret')));
  });

  it('keeps stored secrets, encrypts new ones, and applies the result', async () => {
    let persisted: Record<string, unknown> | undefined;
    let applied: AppConfig | undefined;
    const settings = new StoredSettings(
      stored,
      'the test',
      async (raw, config) => {
        persisted = raw;
        applied = config;
      },
      (plain) => Buffer.from(`enc:${plain}`).toString('base64'),
    );
    const document = maskSecrets(stored);
    document.accounts[1]!.password = 'new-password';
    document.accounts[0]!.label = 'Sales line';
    await settings.save(document);
    const accounts = persisted!.accounts as Array<Record<string, unknown>>;
    assert.deepEqual(accounts[0]!.secretKey, { encrypted: 'c2VjcmV0' });
    assert.deepEqual(accounts[1]!.password, { encrypted: Buffer.from('enc:new-password').toString('base64') });
    assert.equal(applied!.accounts[0]!.label, 'Sales line');
    assert.doesNotMatch(JSON.stringify(settings.view()), /new-password/);
  });

  it('names every bad field and stores nothing when the document is invalid', async () => {
    let persisted = false;
    const settings = new StoredSettings(stored, 'the test', async () => {
      persisted = true;
    });
    const document = maskSecrets(stored);
    document.accounts[0]!.user = 'not an email';
    document.accounts.push({ id: 'new', vendor: 'genesys', baseUrl: 'https://x.example', user: 'u', password: SECRET_KEPT });
    await assert.rejects(settings.save(document), (error: Error) => {
      assert.match(error.message, /accounts\[2\]\.password: nothing is stored yet/);
      return true;
    });
    document.accounts.pop();
    await assert.rejects(settings.save(document), /accounts\[0\]\.user/);
    assert.equal(persisted, false);
  });

  it('refuses to write settings an administrator manages', async () => {
    await assert.rejects(new ReadOnlySettings(stored, 'the config file /etc/ac.json').save(maskSecrets(stored)), /managed in the config file \/etc\/ac.json/);
  });

  it('says why read-only settings cannot be changed here and how to change them, naming an administrator only where there is one', () => {
    const note = (origin: ConstructorParameters<typeof ReadOnlySettings>[3]) => new ReadOnlySettings(stored, 'the config file /srv/ac.json', [], origin).view().readOnlyNote ?? '';
    assert.match(note({ kind: 'web-host', path: '/srv/ac.json' }), /^Read from \/srv\/ac\.json\. To change them, edit that file and restart `npm run start:web`\.$/);
    assert.match(note({ kind: 'web-host', demo: true }), /running the demo.*--config PATH/);
    assert.match(note({ kind: 'managed', path: '/etc/ac.json' }), /Your administrator manages these settings in \/etc\/ac\.json/);
    assert.match(note({ kind: 'defaults' }), /built-in defaults.*--config PATH/);
    for (const origin of [{ kind: 'web-host', path: '/srv/ac.json' }, { kind: 'web-host', demo: true }, { kind: 'defaults' }] as const) {
      assert.doesNotMatch(note(origin), /administrator/i, `no administrator for ${JSON.stringify(origin)}`);
    }
    assert.equal(new StoredSettings(stored, 'this computer', async () => undefined).view().readOnlyNote, undefined, 'editable settings need no note');
  });

  it('masks a field the schema does not know: a misspelt "pasword" may hold a password', () => {
    const view = maskSecrets({ accounts: [{ id: 'contact', vendor: 'genesys', baseUrl: 'https://gws.example.com', user: 'agent01', pasword: 'typo-holds-the-password' }] });
    assert.doesNotMatch(JSON.stringify(view), /typo-holds-the-password/);
    assert.deepEqual(view.accounts[0]!.pasword, SECRET_KEPT);
    assert.equal(view.accounts[0]!.user, 'agent01', 'known fields travel as they are');
  });
});
