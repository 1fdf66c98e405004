/**
 * Policies from the OS (`main/policy.ts`, issue 22 point 3), each OS faked at the edge the reader
 * uses (files, the registry): a policy sets its field above the agent's settings, the machine's
 * policy wins over the user's, a value the config schema refuses is left out with a problem naming
 * the source and the key, and the settings screen is told which fields are managed and by what.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { build, buildBinary } from 'plist';
import { loadConfiguration } from '../../main/config.js';
import { APP_ID, LINUX_POLICY_FILE, MACOS_MANAGED_PREFERENCES, policySource, POLICY_KEYS, readPolicies, WINDOWS_POLICY_KEY, type PolicyOs } from '../../main/policy.js';
import { StoredSettings } from '../../main/settings.js';

/** A fake OS: files by path, registry values by hive. */
function fakeOs(files: Record<string, string | Buffer> = {}, registry: Partial<Record<'HKLM' | 'HKCU', Array<{ name: string; type: string; value: string }>>> = {}): PolicyOs {
  return {
    readFile: async (path) => (files[path] === undefined ? undefined : Buffer.from(files[path]!)),
    registryValues: async (hive, key) => (key === WINDOWS_POLICY_KEY ? (registry[hive] ?? []) : []),
  };
}

const STORE = { document: { display: { theme: 'dark', toasts: { calls: true, chats: true } } }, path: '/home/agent/.config/Agent Companion/settings.json' };

describe('policies from the OS', () => {
  it('Linux: /etc/agent-companion/policy.json sets its fields above the agent’s settings', async () => {
    const os = fakeOs({ [LINUX_POLICY_FILE]: JSON.stringify({ Theme: 'light', ScreenPopAllowedHosts: ['crm.example.com'] }) });
    const policies = await readPolicies(policySource('linux', APP_ID, os));
    const loaded = await loadConfiguration({ argv: [], env: {}, store: STORE, policies });
    assert.equal(loaded.config.display.theme, 'light', 'the policy wins over the stored dark');
    assert.deepEqual(loaded.config.screenPop.allowedHosts, ['crm.example.com']);
    assert.equal(loaded.config.display.toasts.calls, true, 'what no policy sets stays the agent’s');
    assert.deepEqual(loaded.managed, { 'display.theme': { policy: 'Theme', source: LINUX_POLICY_FILE }, 'screenPop.allowedHosts': { policy: 'ScreenPopAllowedHosts', source: LINUX_POLICY_FILE } });
  });

  it('Windows: HKLM wins over HKCU; DWORDs are booleans and numbers, REG_MULTI_SZ a list', async () => {
    const os = fakeOs(
      {},
      {
        HKLM: [{ name: 'Theme', type: 'REG_SZ', value: 'dark' }],
        HKCU: [
          { name: 'Theme', type: 'REG_SZ', value: 'light' },
          { name: 'CallToasts', type: 'REG_DWORD', value: '0x0' },
          { name: 'AutomationApiPort', type: 'REG_DWORD', value: '0x4e20' },
          { name: 'ScreenPopAllowedHosts', type: 'REG_MULTI_SZ', value: 'crm.example.com\\0*.example.org' },
        ],
      },
    );
    const policies = await readPolicies(policySource('win32', APP_ID, os));
    assert.deepEqual(policies.problems, []);
    const loaded = await loadConfiguration({ argv: [], env: {}, store: { ...STORE, document: { display: { theme: 'system' } } }, policies });
    assert.equal(loaded.config.display.theme, 'dark', 'the machine’s policy wins over the user’s');
    assert.deepEqual(loaded.managed['display.theme'], { policy: 'Theme', source: `HKLM${WINDOWS_POLICY_KEY}` });
    assert.equal(loaded.config.display.toasts.calls, false);
    assert.equal(loaded.config.automation.port, 20000);
    assert.deepEqual(loaded.config.screenPop.allowedHosts, ['crm.example.com', '*.example.org']);
    assert.deepEqual(loaded.managed['display.toasts.calls'], { policy: 'CallToasts', source: `HKCU${WINDOWS_POLICY_KEY}` });
  });

  it('macOS: the managed preferences plist, XML or binary', async () => {
    const path = `${MACOS_MANAGED_PREFERENCES}/${APP_ID}.plist`;
    for (const bytes of [build({ StartAtLogin: true, LogLevel: 'debug' }), buildBinary({ StartAtLogin: true, LogLevel: 'debug' })]) {
      const policies = await readPolicies(policySource('darwin', APP_ID, fakeOs({ [path]: Buffer.from(bytes) })));
      const loaded = await loadConfiguration({ argv: [], env: {}, store: STORE, policies });
      assert.equal(loaded.config.display.startAtLogin, true);
      assert.equal(loaded.config.display.logLevel, 'debug');
      assert.deepEqual(loaded.managed['display.startAtLogin'], { policy: 'StartAtLogin', source: path });
    }
  });

  it('a policy the schema refuses, or an unknown one, is left out with a problem naming its source and key', async () => {
    const os = fakeOs({ [LINUX_POLICY_FILE]: JSON.stringify({ Theme: 'purple', Colour: 'red', CallToasts: false }) });
    const policies = await readPolicies(policySource('linux', APP_ID, os));
    assert.equal(policies.problems.length, 2);
    assert.match(policies.problems[0]!, new RegExp(`^${LINUX_POLICY_FILE}: Theme \\(display\\.theme: `));
    assert.match(policies.problems[1]!, new RegExp(`^${LINUX_POLICY_FILE}: Colour: unknown policy`));
    const loaded = await loadConfiguration({ argv: [], env: {}, store: STORE, policies });
    assert.equal(loaded.config.display.theme, 'dark', 'the refused policy leaves the agent’s setting');
    assert.equal(loaded.config.display.toasts.calls, false, 'the valid policy beside it applies');
    assert.deepEqual(loaded.policyProblems, policies.problems);
  });

  it('a policy file that is not JSON is one problem naming the file; nothing is set', async () => {
    const policies = await readPolicies(policySource('linux', APP_ID, fakeOs({ [LINUX_POLICY_FILE]: '{ "Theme": ' })));
    assert.deepEqual(policies.managed, {});
    assert.match(policies.problems[0]!, new RegExp(`^${LINUX_POLICY_FILE} is not valid JSON`));
  });

  it('the settings screen shows the fields in effect and which a policy manages', async () => {
    const policies = await readPolicies(policySource('linux', APP_ID, fakeOs({ [LINUX_POLICY_FILE]: JSON.stringify({ Theme: 'light' }) })));
    const loaded = await loadConfiguration({ argv: [], env: {}, store: STORE, policies });
    const settings = new StoredSettings(loaded.config, loaded.source, async () => undefined, undefined, { raw: STORE.document, policies });
    const view = settings.view();
    assert.equal(view.settings.display.theme, 'light');
    assert.deepEqual(view.managed, { 'display.theme': { policy: 'Theme', source: LINUX_POLICY_FILE } });
  });

  it('every policy key names a field of the config', async () => {
    const strings: Record<string, string> = {
      'display.logLevel': 'debug',
      'display.theme': 'dark',
      'display.screenPop': 'off',
      'updates.url': 'https://updates.example.com/agent-companion/',
      'updates.channel': 'beta',
      'crashReports.uploadUrl': 'https://crashes.example.com/submit',
    };
    for (const [name, key] of Object.entries(POLICY_KEYS)) {
      const value = key.kind === 'boolean' ? true : key.kind === 'number' ? 24 : key.kind === 'list' ? ['crm.example.com'] : strings[key.field];
      const policies = await readPolicies(policySource('linux', APP_ID, fakeOs({ [LINUX_POLICY_FILE]: JSON.stringify({ [name]: value }) })));
      assert.deepEqual(policies.problems, [], name);
      assert.deepEqual(Object.keys(policies.managed), [key.field], name);
    }
  });
});
