/**
 * Every platform folder has one shape (ARCHITECTURE.md, principle 10; docs/adding-a-platform.md,
 * "The folder"), so an engineer who knows one platform finds their way in the next: the standard
 * files are there, the names the folders used before are not, and every registered platform has its
 * folder. A platform may add what its protocol needs (a transport, a REST client, a session).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { platforms } from '../../main/vendors/index.js';
import { testingOf } from '../support/platform-testing.js';

const ROOT = join(import.meta.dirname, '..', '..');
const VENDORS = join(ROOT, 'main', 'vendors');

/** The files every platform folder holds, and what each is for. */
const STANDARD = {
  'index.ts': 'the platform module, the one thing the registry imports',
  'config.ts': 'the account’s fields and the connector’s tuning',
  'capabilities.ts': 'the display name and what the platform offers the desk',
  'connector.ts': 'the connection and the commands',
  'schema.ts': 'the schemas of the frames',
  'normalize.ts': 'frames to desk events',
  'demo.ts': 'the scripted day of demo mode',
  'testing.ts': 'the conformance rig and the bench stream, for the tests and the bench only',
  'simulator/index.ts': 'the protocol-faithful server, for the tests and demo mode',
} as const;

/** Names the folders used before the layout was one, and where their content lives now. */
const RETIRED = {
  'rig.ts': 'testing.ts',
  'conformance.ts': 'testing.ts',
  'bench.ts': 'testing.ts',
  'tuning.ts': 'config.ts',
} as const;

/** What only the tests, the bench and demo mode may load: never a static import of the app's. */
const NOT_IN_THE_APP = [/^main\/vendors\/[^/]+\/testing\.ts$/, /^main\/vendors\/[^/]+\/fleet\.ts$/, /^main\/vendors\/[^/]+\/simulator\//, /^main\/vendors\/[^/]+\/demo\.ts$/, /^main\/vendors\/kit\/simulator\.ts$/];

/**
 * The app's own modules its entry points load at start (`import` and `export … from` of relative
 * paths, followed; `import type` is erased, `import()` waits until called): what the main bundle
 * holds. With `verbatimModuleSyntax` an import of types only (`import { type X }`) still loads
 * its module, so it counts.
 * @returns repository-relative paths, each with the path of imports that reached it.
 */
function staticGraph(entries: readonly string[]): Map<string, string[]> {
  const reached = new Map<string, string[]>();
  const visit = (file: string, via: string[]): void => {
    const rel = relative(ROOT, file);
    if (reached.has(rel)) return;
    reached.set(rel, via);
    const text = readFileSync(file, 'utf8');
    for (const [, specifier] of text.matchAll(/^\s*(?:import|export)\s+(?!type\s)(?:[^;'"]*?\sfrom\s+)?'(\.{1,2}\/[^']+)'/gm)) {
      visit(resolve(dirname(file), specifier!.replace(/\.js$/, '.ts')), [...via, rel]);
    }
  };
  for (const entry of entries) visit(join(ROOT, entry), []);
  return reached;
}

/** Every platform folder under main/vendors/ (the kit is shared, not a platform). */
function platformFolders(): string[] {
  return readdirSync(VENDORS, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'kit')
    .map((entry) => entry.name)
    .sort();
}

describe('the platform folders', () => {
  it('include a folder for every registered platform, named by its id', () => {
    const folders = platformFolders();
    const missing = platforms()
      .map((p) => p.id)
      .filter((id) => !folders.includes(id));
    assert.deepEqual(missing, []);
  });

  for (const folder of platformFolders()) {
    it(`${folder}: holds the standard files and none of the retired names`, () => {
      const absent = Object.entries(STANDARD)
        .filter(([file]) => !existsSync(join(VENDORS, folder, file)))
        .map(([file, role]) => `${file} (${role})`);
      assert.deepEqual(absent, [], `main/vendors/${folder}/ lacks standard files`);
      assert.ok(statSync(join(VENDORS, folder, 'simulator')).isDirectory());
      const retired = Object.entries(RETIRED)
        .filter(([file]) => existsSync(join(VENDORS, folder, file)))
        .map(([file, now]) => `${file} (its content belongs in ${now})`);
      assert.deepEqual(retired, [], `main/vendors/${folder}/ uses retired names`);
    });
  }

  for (const platform of platforms()) {
    it(`${platform.id}: testing.ts gives the tests its conformance rig and bench stream`, async () => {
      const testing = await testingOf(platform);
      assert.equal(typeof testing.startConformanceRig, 'function');
      assert.ok(testing.bench.frames(3).length === 3, 'the bench stream gives frames');
    });
  }

  it('stay out of the app’s bundle with their rigs, bench streams, fleets, demos and simulators', () => {
    const reached = staticGraph(['main/electron.ts', 'main/web.ts']);
    const leaks = [...reached]
      .filter(([file]) => NOT_IN_THE_APP.some((pattern) => pattern.test(file)))
      .map(([file, via]) => `${file} (via ${via.join(' → ')})`);
    assert.ok(reached.has('main/vendors/index.ts'), 'the walk reaches the registry');
    assert.deepEqual(leaks, []);
  });
});
