/**
 * Updates an administrator controls (issue 22, point 4; docs/deployment.md), host-independent so
 * the tests hold every rule with a fake updater and fake timers:
 *
 * - **Whether**: nothing is checked without an update server (`updates.url`); a managed install
 *   (a config file or the OS's policies) checks only when `updates.enabled` says so, an unmanaged
 *   one unless it says no ({@link updatePlan}).
 * - **When**: the first check a random 1–31 min after start and then every `checkEveryHours` plus
 *   up to a fifth at random, so a thousand desks started at 8:00 do not ask the server at once [I].
 * - **How**: electron-updater's `generic` provider on the admin's server and channel; a found update
 *   is downloaded in the background and installed when the app quits, whatever the agent answers.
 * - **The restart**: the agent is asked ("Restart now" / "Later"), never while serving a customer
 *   (a call on the desk, a wrap-up, an active chat: {@link busyWithCustomers}); the question waits
 *   for the desk to be free, and is asked once per version. "Restart now" that finds a call begun
 *   while the question was open does not restart: it asks again once the desk is free.
 */
import type { Logger } from 'pino';
import type { DeskState } from '../common/model.js';
import type { AppConfig } from './config.js';

/** Which releases the app takes from the update server: `latest`, `beta` or `alpha`, each with the more stable ones (electron-updater). */
export type UpdateChannel = AppConfig['updates']['channel'];

/** What the app does about updates: nothing (and why, for the log), or checks on this server. */
export type UpdatePlan =
  | { kind: 'off'; reason: string }
  | {
      kind: 'on';
      /** The update server's folder (https). */
      url: string;
      channel: UpdateChannel;
      /** Between two checks before the random part, ms. */
      checkEveryMs: number;
    };

/** The first check's delay after start: this plus up to {@link FIRST_CHECK_SPREAD_MS} at random, ms [I]. */
export const FIRST_CHECK_MS = 60_000;
/** How far the first checks of a fleet are spread, ms [I: 30 min → ~33 checks a minute for 1 000 desks]. */
export const FIRST_CHECK_SPREAD_MS = 30 * 60_000;
/** The random part added to each later check, as a share of the interval [I]. */
export const CHECK_JITTER = 0.2;

/**
 * Whether and where to check for updates.
 * @param updates the config's `updates` section (policies already applied).
 * @param managed whether an administrator manages this install (a config file, or any OS policy).
 */
export function updatePlan(updates: AppConfig['updates'], managed: boolean): UpdatePlan {
  if (!updates.url) return { kind: 'off', reason: 'no update server is set (updates.url, policy UpdateUrl)' };
  if (updates.enabled === false) return { kind: 'off', reason: 'updates are turned off (updates.enabled, policy Updates)' };
  if (updates.enabled === undefined && managed) return { kind: 'off', reason: 'a managed install checks for updates only when updates.enabled (policy Updates) is true' };
  return { kind: 'on', url: updates.url, channel: updates.channel, checkEveryMs: updates.checkEveryHours * 3_600_000 };
}

/**
 * Whether the agent is serving a customer now: a call on the desk (ringing, dialling, queued, on
 * it, held), an account in wrap-up, or an active chat. A restart then would drop what the agent is
 * doing; the update waits [I].
 */
export function busyWithCustomers(state: DeskState): boolean {
  if (Object.values(state.calls).some((call) => call.state !== 'ended')) return true;
  if (Object.values(state.accounts).some((account) => account.wrapUp !== undefined || account.presence?.state === 'wrap-up')) return true;
  return Object.values(state.chats).some((chat) => chat.state === 'active');
}

/**
 * The updater as the app drives it: electron-updater's `autoUpdater` satisfies it (checked where
 * `main/electron.ts` hands it over), the tests give a fake.
 */
export interface Updater {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  /** Set by electron-updater when a channel is chosen; the app sets it back to false (no downgrade). */
  allowDowngrade: boolean;
  setFeedURL(options: { provider: 'generic'; url: string; channel: string }): void;
  /** Resolves with the check's result (unused), rejects when the server could not be asked. */
  checkForUpdates(): Promise<unknown>;
  /** Quits the app (its `before-quit` runs: the core stops cleanly) and runs the installer. */
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
  on(event: 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** What {@link startUpdates} works with. */
export interface UpdateDeps {
  updater: Updater;
  plan: Extract<UpdatePlan, { kind: 'on' }>;
  desk: { readonly state: DeskState; subscribe(listener: () => void): () => void };
  /**
   * Asks the agent whether to restart now for `version`.
   * @returns true for "Restart now", false for "Later" (the update is then installed at the next quit).
   */
  ask(version: string): Promise<boolean>;
  log: Logger;
  /** 0 ≤ x < 1 (tests pin it). */
  random?: () => number;
}

/** The running update checks. */
export interface Updates {
  /** The version downloaded and waiting for a restart, if any. */
  pending(): string | undefined;
  /** Whether the restart question waits for the desk to be free. */
  waiting(): boolean;
  stop(): void;
}

/** Starts checking for updates per `plan`, and asks the agent to restart once one is downloaded. */
export function startUpdates(deps: UpdateDeps): Updates {
  const { updater, plan, desk, log } = deps;
  const random = deps.random ?? Math.random;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending: string | undefined;
  let asked: string | undefined;
  let asking = false;
  let unsubscribe: (() => void) | undefined;
  let stopped = false;

  updater.autoDownload = true;
  updater.autoInstallOnAppQuit = true;
  updater.setFeedURL({ provider: 'generic', url: plan.url, channel: plan.channel });
  updater.allowDowngrade = false;

  const schedule = (ms: number): void => {
    timer = setTimeout(() => void check(), ms);
    timer.unref?.();
  };
  async function check(): Promise<void> {
    if (stopped) return;
    try {
      await updater.checkForUpdates();
    } catch (error) {
      // The updater's 'error' event says it (once, at warn); this only dates the attempt.
      log.debug({ err: error, url: plan.url }, 'update check failed');
    }
    if (!stopped) schedule(plan.checkEveryMs * (1 + CHECK_JITTER * random()));
  }

  function waitUntilFree(): void {
    if (unsubscribe) return;
    log.info({ version: pending }, 'update ready; the restart question waits until the agent is free');
    unsubscribe = desk.subscribe(() => {
      if (busyWithCustomers(desk.state)) return;
      unsubscribe?.();
      unsubscribe = undefined;
      offer();
    });
  }

  function offer(): void {
    const version = pending;
    if (stopped || !version || asking || asked === version) return;
    if (busyWithCustomers(desk.state)) return waitUntilFree();
    asking = true;
    deps.ask(version).then(
      (restart) => {
        asking = false;
        if (stopped) return;
        if (!restart) {
          asked = version;
          log.info({ version }, 'update ready; the agent chose later: it is installed when the app quits');
          return;
        }
        if (busyWithCustomers(desk.state)) {
          log.info({ version }, 'restart for the update put off: a call began while the agent was asked');
          return waitUntilFree();
        }
        asked = version;
        log.info({ version }, 'restarting to install the update, as the agent chose');
        updater.quitAndInstall(false, true);
      },
      (error: unknown) => {
        asking = false;
        asked = version;
        log.warn({ err: error, version }, 'could not ask about the update; it is installed when the app quits');
      },
    );
  }

  updater.on('update-downloaded', (info) => {
    pending = info.version;
    offer();
  });
  updater.on('error', (error) => log.warn({ err: error }, 'updater error'));
  log.info({ url: plan.url, channel: plan.channel, everyHours: plan.checkEveryMs / 3_600_000 }, 'update checks on');
  schedule(FIRST_CHECK_MS + FIRST_CHECK_SPREAD_MS * random());

  return {
    pending: () => pending,
    waiting: () => unsubscribe !== undefined,
    stop() {
      stopped = true;
      clearTimeout(timer);
      unsubscribe?.();
      unsubscribe = undefined;
    },
  };
}
