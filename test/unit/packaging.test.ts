/**
 * The installers an administrator deploys (issue 22, point 4; docs/deployment.md), checked where
 * no installer can be built (no Electron binary here): `electron-builder.yml` against
 * electron-builder's own JSON schema (the one it validates with before a build), and the choices
 * an IT team relies on — per-user and per-machine Windows installs, an MSI, a notarised and
 * hardened macOS build that electron-updater can update (zip), Linux packages that offer the app
 * for tel:/callto: links, no source maps in the package.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import { load } from 'js-yaml';
import { parse as parsePlist } from 'plist';

const ROOT = join(import.meta.dirname, '..', '..');
/** The parts of electron-builder's configuration these tests read (the schema check reads all of it). */
interface BuilderConfig {
  files: string[];
  protocols: Array<{ schemes: string[] }>;
  publish: Array<{ provider: string }>;
  generateUpdatesFilesForAllChannels: boolean;
  win: { target: string[] } & Record<string, unknown>;
  nsis: { oneClick: boolean; perMachine: boolean; allowElevation: boolean };
  msi: { perMachine: boolean; upgradeCode: string };
  mac: { target: string[]; hardenedRuntime: boolean; notarize: boolean; entitlements: string };
  linux: { target: string[]; mimeTypes: string[] };
}
const config = load(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

describe('electron-builder.yml', () => {
  it('is valid by electron-builder’s own schema', () => {
    const schema = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'app-builder-lib', 'scheme.json'), 'utf8')) as object;
    const ajv = new Ajv({ allErrors: true, strict: false });
    const valid = ajv.validate(schema, config);
    assert.ok(valid, ajv.errorsText(ajv.errors, { dataVar: 'electron-builder.yml' }));
  });

  it('the schema check fails on a key electron-builder does not know (it is not a check that cannot fail)', () => {
    const schema = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'app-builder-lib', 'scheme.json'), 'utf8')) as object;
    const ajv = new Ajv({ strict: false });
    assert.equal(ajv.validate(schema, { ...config, win: { ...config.win, publisherName: 'Agent Companion' } }), false);
  });

  it('builds what IT deploys: NSIS per user or per machine and an MSI; dmg and zip, hardened and notarised; AppImage and deb', () => {
    assert.deepEqual(config.win.target, ['nsis', 'msi']);
    assert.equal(config.nsis.oneClick, false, 'the assisted installer, which offers "only for me" or "for everyone"');
    assert.equal(config.nsis.perMachine, false);
    assert.equal(config.nsis.allowElevation, true, 'elevates only when "for everyone" is chosen');
    assert.equal(config.msi.perMachine, true, 'the MSI installs for the machine (software distribution)');
    assert.match(config.msi.upgradeCode, /^[0-9a-f-]{36}$/, 'a fixed upgrade code: a new MSI replaces the old');
    assert.deepEqual(config.mac.target, ['dmg', 'zip'], 'zip: electron-updater updates a Mac app from it');
    assert.equal(config.mac.hardenedRuntime, true);
    assert.equal(config.mac.notarize, true);
    const entitlements = parsePlist(readFileSync(join(ROOT, config.mac.entitlements), 'utf8')) as Record<string, unknown>;
    assert.equal(entitlements['com.apple.security.cs.allow-jit'], true);
    assert.equal(entitlements['com.apple.security.device.audio-input'], undefined, 'no microphone');
    assert.deepEqual(config.linux.target, ['AppImage', 'deb']);
  });

  it('offers the app for tel: and callto: links on every OS, and updates from a generic server', () => {
    assert.deepEqual(config.protocols[0]?.schemes, ['tel', 'callto'], 'macOS Info.plist');
    assert.deepEqual(config.linux.mimeTypes, ['x-scheme-handler/tel', 'x-scheme-handler/callto'], 'the Linux desktop file');
    assert.equal(config.publish[0]?.provider, 'generic');
    assert.equal(config.generateUpdatesFilesForAllChannels, true, 'latest, beta and alpha feeds');
  });

  it('leaves source maps out of the package', () => {
    assert.ok(config.files.includes('!**/*.map'));
  });
});
