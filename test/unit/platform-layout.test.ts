/**
 * Every platform folder has one shape (ARCHITECTURE.md, principle 10; docs/adding-a-platform.md,
 * "The folder"), so an engineer who knows one platform finds their way in the next: the standard
 * files are there, the names the folders used before are not, and every registered platform has its
 * folder. A platform may add what its protocol needs (a transport, a REST client, a session).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { platforms } from '../../main/vendors/index.js';

const VENDORS = join(import.meta.dirname, '..', '..', 'main', 'vendors');

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
});
