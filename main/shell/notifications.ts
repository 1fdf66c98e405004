/**
 * OS notifications: one per toast the core raises (`desk/alerts.ts`). A click shows the window on
 * that call or chat; on macOS a ringing call's toast has an Answer button. A toast closes itself
 * when its call stops ringing (answered here or elsewhere, declined, ended) or its chat is no
 * longer an invitation (issue 11). A ringing call may get through the OS's do-not-disturb where the
 * OS offers a way ({@link toastOptions}). Also the one-line notices other modules raise
 * ({@link showNotice}: "Presence not changed").
 */
import type { Translator } from '../../common/i18n.js';
import type { Toast } from '../../common/model.js';
import type { Core } from '../app.js';
import type { ShellElectron, ShellNotification } from '../electron-api.js';
import type { Stop } from './env.js';
import { english } from '../i18n.js';
import type { DeskWindow } from './window.js';

/**
 * The options of a toast's OS notification (issue 11, point 6). Chat toasts are normal: the OS's
 * do-not-disturb (Focus Assist, Focus, GNOME/KDE DND) holds them back. A ringing call's toast,
 * when `callsThroughDnd`, asks to get through where the OS offers a way:
 * - Linux: `urgency: 'critical'` (the freedesktop spec's critical urgency, shown in DND by GNOME and KDE);
 * - Windows: a toast XML with `scenario="incomingCall"` (a call toast, which Focus Assist's priority
 *   list lets through when the agent allows the app there; Windows decides, not the app);
 * - macOS: Electron has no public API for Focus's time-sensitive notifications, so a call toast
 *   there follows Focus like any other.
 */
export function toastOptions(toast: Toast, platform: NodeJS.Platform, callsThroughDnd: boolean, tr: Translator = english): Electron.NotificationConstructorOptions {
  const call = toast.target.kind === 'call';
  const through = call && callsThroughDnd;
  const options: Electron.NotificationConstructorOptions = {
    title: toast.title,
    body: toast.body,
    urgency: through ? 'critical' : 'normal',
    actions: platform === 'darwin' && call ? [{ type: 'button', text: tr.t('calls.action.answer') }] : [],
  };
  if (through && platform === 'win32') options.toastXml = incomingCallToastXml(toast, tr);
  return options;
}

function xmlText(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

/** A Windows toast for a ringing call (Toast XML schema: `scenario="incomingCall"` needs a button). */
function incomingCallToastXml(toast: Toast, tr: Translator): string {
  return (
    `<toast scenario="incomingCall" launch="${xmlText(toast.id)}" activationType="foreground">` +
    `<visual><binding template="ToastGeneric"><text>${xmlText(toast.title)}</text><text>${xmlText(toast.body)}</text></binding></visual>` +
    `<actions><action content="${xmlText(tr.t('toast.show'))}" arguments="${xmlText(toast.id)}" activationType="foreground"/></actions>` +
    `</toast>`
  );
}

/** Shows a one-line notice (a command that failed from the tray or a toast), where the OS has notifications. */
export function showNotice(electron: ShellElectron, title: string, body: string): void {
  const { Notification } = electron;
  if (Notification.isSupported()) new Notification({ title, body }).show();
}

/** What {@link startNotifications} needs besides Electron and the core. */
export interface NotificationsOptions {
  platform: NodeJS.Platform;
  /** The agent's setting: a ringing call's toast asks to get through do-not-disturb. */
  callsThroughDnd: boolean;
  /** Where a click on a toast takes the agent. */
  window: DeskWindow;
}

/** Shows each toast the core raises as an OS notification and closes it when the core says so, until stopped. */
export function startNotifications(electron: ShellElectron, core: Core, options: NotificationsOptions): Stop {
  const { Notification } = electron;
  const { window } = options;
  /** Live notifications, kept referenced so their click handlers survive garbage collection. */
  const notifications = new Map<string, ShellNotification>();
  const stopToasts = core.onToast((toast) => {
    if (!Notification.isSupported()) return;
    const notification = new Notification(toastOptions(toast, options.platform, options.callsThroughDnd, core.language.translator));
    notifications.set(toast.id, notification);
    const forget = (): void => void notifications.delete(toast.id);
    notification.on('click', () => {
      forget();
      window.show(toast.target);
    });
    notification.on('action', () => {
      forget();
      core.desk.callAction(toast.target.key, 'answer').catch((error: Error) => showNotice(electron, core.language.translator.t('notice.not-answered'), error.message));
      window.show(toast.target);
    });
    notification.on('close', forget);
    notification.show();
  });
  const stopClosing = core.onToastClosed((id) => {
    const notification = notifications.get(id);
    if (!notification) return;
    notifications.delete(id);
    notification.close();
  });
  return () => {
    stopToasts();
    stopClosing();
  };
}
