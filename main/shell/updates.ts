/**
 * Updates in the desktop app (issue 22, point 4; docs/deployment.md): electron-updater on the
 * administrator's server, by the rules of `main/updates.ts` (whether, when, never a restart while
 * the agent serves a customer). The restart question is an OS message box over the desk window:
 * "Restart now" or "Later" (the default: Enter or Escape never restarts the agent's app); "Later"
 * installs the update at the next quit. It speaks the agent's language (`core.language`, issue 19).
 */
import type { Core } from '../app.js';
import type { ShellElectron, ShellWindow } from '../electron-api.js';
import { startUpdates, updatePlan, type Updater } from '../updates.js';
import type { AppConfig } from '../config.js';
import type { ShellEnv, Stop } from './env.js';
import type { MessageKey } from '../../common/i18n.js';

/** What {@link startUpdateChecks} needs besides Electron and the core. */
export interface UpdateEnv extends Pick<ShellEnv, 'log'> {
  /** electron-updater's `autoUpdater` (`main/electron.ts`); none: this build has no updater. */
  updater: Updater | undefined;
  updates: AppConfig['updates'];
  /** Whether an administrator manages this install (a config file, or any policy of the OS). */
  managed: boolean;
  window: () => ShellWindow | undefined;
  /** 0 ≤ x < 1 (tests pin it). */
  random?: () => number;
}

/**
 * The restart question's buttons, in order, as message keys (`response` is the index): 0 restarts
 * ("Restart now"), 1 is "Later" — the default and the cancel answer.
 */
export const RESTART_BUTTONS = ['update.restart', 'update.later'] as const satisfies readonly MessageKey[];
/** The index of "Later" in {@link RESTART_BUTTONS}. */
const LATER = RESTART_BUTTONS.indexOf('update.later');

/** Checks for updates per the config and the policies, until stopped; says in the log why not when off. */
export function startUpdateChecks(electron: ShellElectron, core: Core, env: UpdateEnv): Stop {
  const { log } = env;
  const plan = updatePlan(env.updates, env.managed);
  if (plan.kind === 'off' || !env.updater) {
    log.info({ reason: plan.kind === 'off' ? plan.reason : 'this build has no updater' }, 'update checks off');
    return () => undefined;
  }
  const ask = async (version: string): Promise<boolean> => {
    const tr = core.language.translator;
    const options: Electron.MessageBoxOptions = {
      type: 'info',
      title: tr.t('update.title'),
      message: tr.t('update.message', { version }),
      detail: tr.t('update.detail'),
      buttons: RESTART_BUTTONS.map((key) => tr.t(key)),
      defaultId: LATER,
      cancelId: LATER,
      noLink: true,
    };
    const win = env.window();
    // Electron's dialog wants its own window class; the shell's slice of it is what it uses.
    const answer = win && !win.isDestroyed() ? await electron.dialog.showMessageBox(win as unknown as Electron.BaseWindow, options) : await electron.dialog.showMessageBox(options);
    return RESTART_BUTTONS[answer.response] === 'update.restart';
  };
  const updates = startUpdates({ updater: env.updater, plan, desk: core.desk, ask, log, ...(env.random ? { random: env.random } : {}) });
  return () => updates.stop();
}
