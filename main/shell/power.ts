/**
 * The machine's sleep: when it wakes, every connection must prove it is alive (a session may have
 * died while it slept) instead of waiting for its next heartbeat.
 */
import type { Core } from '../app.js';
import type { ShellElectron } from '../electron-api.js';
import type { Stop } from './env.js';

/** Asks the desk to check every connection each time the machine resumes, until stopped. */
export function startPower(electron: ShellElectron, core: Core): Stop {
  const onResume = (): void => core.desk.resume();
  electron.powerMonitor.on('resume', onResume);
  return () => void electron.powerMonitor.removeListener('resume', onResume);
}
