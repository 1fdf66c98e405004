/**
 * Every registered platform with what the tests and the bench need of it: its module (from the
 * registry, `main/vendors/index.ts`) joined to its folder's `testing.ts` (its conformance rig and
 * bench stream, `PlatformTesting` in `main/vendors/kit/testing.ts`). The app imports the module
 * only, so its bundle holds no rig and no bench stream; the tests and `npm run bench` find each
 * platform's `testing.ts` here, by the platform's id, so a new platform needs no line outside its
 * folder and the registry.
 */
import { platforms, type AnyPlatform } from '../../main/vendors/index.js';
import type { PlatformTesting } from '../../main/vendors/kit/testing.js';

/** A registered platform's module with its rig and bench stream. */
export type TestedPlatform = AnyPlatform & PlatformTesting;

/**
 * Loads `main/vendors/<id>/testing.ts` of one registered platform.
 * @throws when the folder has no `testing.ts` or it does not export `testing` (the layout test names the platform).
 */
export async function testingOf(platform: AnyPlatform): Promise<PlatformTesting> {
  const loaded = (await import(`../../main/vendors/${platform.id}/testing.js`)) as { testing?: PlatformTesting };
  if (!loaded.testing) throw new Error(`main/vendors/${platform.id}/testing.ts does not export \`testing\` (a PlatformTesting)`);
  return loaded.testing;
}

/** Every registered platform, in the registry's order, each with its rig and bench stream. */
export async function testedPlatforms(): Promise<TestedPlatform[]> {
  return Promise.all(platforms().map(async (platform) => ({ ...platform, ...(await testingOf(platform)) })));
}
