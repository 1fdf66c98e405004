/**
 * The tray icon: its image per presence (`assets/tray/<icon>.png`), the hover line and the menu,
 * all from the pure tray model (`desk/tray.ts`), rebuilt on each change and each second (the
 * headline counts "On a call 03:12") and set only when it changed. Its clicks set presence (shared
 * or per account), hang up, hold or retrieve a live call, retry an account, show the window or
 * quit. While a call rings the icon flashes, and the window's taskbar button asks for attention
 * (`flashFrame`) while it is not focused; the missed calls not yet seen are on the app's badge
 * where the OS shows one. It speaks the agent's language (`core.language`) and re-renders the
 * moment it changes.
 */
import { join } from 'node:path';
import type { Core } from '../app.js';
import { trayAction, trayModel, type TrayIcon, type TrayItem } from '../desk/tray.js';
import type { MenuItemConstructorOptions, ShellElectron, ShellTray } from '../electron-api.js';
import type { ShellEnv, Stop } from './env.js';
import { showNotice } from './notifications.js';
import type { DeskWindow } from './window.js';

/** How long the tray shows each of its two icons while a call rings, ms [I: about a ring's cadence]. */
export const TRAY_FLASH_MS = 700;

/** A tray model's item as an Electron menu item; a click hands the item's id to `click`. */
export function menuItem(item: TrayItem, click: (id: string) => void): MenuItemConstructorOptions {
  switch (item.kind) {
    case 'separator':
      return { type: 'separator' };
    case 'label':
      return { label: item.text, enabled: false };
    case 'radio':
      return { id: item.id, label: item.text, type: 'radio', checked: item.checked, enabled: item.enabled, click: () => click(item.id) };
    case 'action':
      return { id: item.id, label: item.text, type: 'normal', click: () => click(item.id) };
    case 'submenu':
      return { label: item.text, type: 'submenu', enabled: item.enabled, submenu: item.items.map((sub) => menuItem(sub, click)) };
  }
}

/**
 * Shows the tray for the running core until stopped (the icon is destroyed then). From the app's
 * `before-quit` on, its clicks do nothing and it stops flashing (the core is stopping).
 */
export function startTray(electron: ShellElectron, core: Core, env: ShellEnv & { window: DeskWindow }): Stop {
  const { app, Menu, Tray, nativeImage } = electron;
  const { platform, log, window } = env;
  let tray: ShellTray | undefined;
  let quitting = false;
  let last = '';
  let model = trayModel(core.desk.state, Date.now(), core.language.translator);
  /** Alternates the tray icon while a call rings. */
  let flash: ReturnType<typeof setInterval> | undefined;
  /** Whether the flashing tray shows the ringing icon (else the resting one). */
  let lit = true;
  let alerting = false;
  let badge = 0;

  const image = (icon: TrayIcon): Electron.NativeImage => nativeImage.createFromPath(join(env.paths.assets, 'tray', `${icon}.png`));
  const stopFlashing = (): void => {
    clearInterval(flash);
    flash = undefined;
  };

  function onClick(id: string): void {
    const action = trayAction(id);
    if (!action || quitting) return;
    const tr = core.language.translator;
    const notChanged = (error: Error): void => showNotice(electron, tr.t('notice.presence-not-changed'), error.message);
    switch (action.kind) {
      case 'presence':
        core.desk.setPresence(action.state, action.reason).catch(notChanged);
        return;
      case 'account-presence':
        core.desk.setAccountPresence(action.accountId, action.state, action.reason).catch(notChanged);
        return;
      case 'retry':
        core.desk.retryAccount(action.accountId);
        return;
      case 'call':
        core.desk.callAction(action.callKey, action.action).catch((error: Error) => showNotice(electron, tr.t('notice.call-not-changed'), error.message));
        return;
      case 'show':
      case 'history':
        window.show();
        return;
      case 'diagnostics':
        // The window lists the files first; the agent saves from there (issue 22).
        window.show({ kind: 'diagnostics' });
        return;
      case 'quit':
        app.quit();
    }
  }

  /** The missed calls not yet seen on the app's badge, where the OS shows one (macOS; Linux with the Unity launcher; Electron's docs); 0 hides it. */
  function showBadge(): void {
    const missed = core.desk.state.missedUnseen;
    if (missed === badge || (platform !== 'darwin' && platform !== 'linux')) return;
    badge = missed;
    if (!app.setBadgeCount(missed)) log.debug({ missed }, 'the OS shows no badge count');
  }

  /** While a call rings the tray icon alternates between the ringing icon and the presence one. */
  function flashWhileRinging(): void {
    if (model.ringing && !flash) {
      lit = true;
      flash = setInterval(() => {
        lit = !lit;
        tray?.setImage(image(lit ? 'ringing' : model.restingIcon));
      }, TRAY_FLASH_MS);
    } else if (!model.ringing && flash) {
      stopFlashing();
    }
  }

  /**
   * A ringing call or a chat invitation asks for attention in the taskbar (Windows flashes the
   * button, macOS bounces the dock icon) while the window is not in front; stops with the ring.
   */
  function askForAttention(): void {
    const now = model.ringing || model.invited;
    if (now === alerting) return;
    alerting = now;
    const win = window.current();
    if (win && !win.isDestroyed() && (!now || !win.isFocused())) win.flashFrame(now);
  }

  function render(): void {
    showBadge();
    model = trayModel(core.desk.state, Date.now(), core.language.translator);
    const json = JSON.stringify(model);
    if (json === last) return;
    last = json;
    if (!tray) {
      tray = new Tray(image(model.icon));
      tray.on('click', () => window.show());
    } else {
      tray.setImage(image(model.icon));
    }
    tray.setToolTip(model.tooltip);
    tray.setContextMenu(Menu.buildFromTemplate(model.items.map((item) => menuItem(item, onClick))));
    flashWhileRinging();
    askForAttention();
  }

  render();
  const unsubscribe = core.desk.subscribe(render);
  const unsubscribeLanguage = core.language.onChange(render);
  // The headline counts ("On a call 03:12"): rebuilt each second, set only when it changed.
  const ticker = setInterval(render, 1000);
  ticker.unref?.();
  app.on('before-quit', () => {
    quitting = true;
    stopFlashing();
  });
  return () => {
    unsubscribe();
    unsubscribeLanguage();
    clearInterval(ticker);
    stopFlashing();
    tray?.destroy();
  };
}
