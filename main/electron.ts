/**
 * The Electron entry point: hands the real `electron` module, electron-store and the built files'
 * paths to the shell (`shell.ts` and its modules in `shell/`), which hold everything the app does.
 * Nothing else lives here, so what the tests run against a typed fake of Electron is the app.
 */
import * as electron from 'electron';
import Store from 'electron-store';
import electronUpdater from 'electron-updater';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { pino } from 'pino';
import { appLogger } from './app.js';
import { LogSink, logLevelFrom } from './log-files.js';
import { runShell } from './shell.js';

// electron-updater is CommonJS: its named exports come through the default one.
const { autoUpdater } = electronUpdater;
autoUpdater.logger = null;
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// Standard error at once; the log files too once the shell knows the OS's log folder.
const logSink = new LogSink(pino.destination(2));

runShell({
  electron,
  openSettingsFile: () => new Store<Record<string, unknown>>({ name: 'settings' }),
  openPreferencesFile: () => new Store<Record<string, unknown>>({ name: 'preferences' }),
  openAutomationFile: () => new Store<Record<string, unknown>>({ name: 'api-clients' }),
  devLaunch: process.defaultApp && process.argv[1] ? { execPath: process.execPath, script: resolve(process.argv[1]) } : undefined,
  // Its own file, apart from the settings. The shell checks it first (a file that cannot be used is
  // moved aside): electron-store would throw on it, or with `clearInvalidConfig` overwrite it.
  openHistoryFile: () => new Store<Record<string, unknown>>({ name: 'history' }),
  argv: process.argv,
  env: process.env,
  platform: process.platform,
  log: appLogger(logLevelFrom(process.argv, process.env), logSink),
  logSink,
  updater: autoUpdater,
  paths: {
    renderer: join(root, 'dist', 'renderer'),
    preload: join(root, 'dist', 'preload', 'index.cjs'),
    assets: join(root, 'assets'),
  },
});
