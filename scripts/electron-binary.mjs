// Finds the Electron binary without triggering its download (requiring the `electron` package
// downloads it from GitHub when missing, which this network refuses). Returns undefined when absent.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const PLATFORM_PATHS = { darwin: 'Electron.app/Contents/MacOS/Electron', win32: 'electron.exe' };

/** @returns {string | undefined} the Electron executable's path, if it is on this machine. */
export function electronBinary() {
  let dir;
  try {
    dir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return undefined;
  }
  const pathFile = join(dir, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : (PLATFORM_PATHS[process.platform] ?? 'electron');
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const full = override ? join(override, executable) : join(dir, 'dist', executable);
  return existsSync(full) ? full : undefined;
}
