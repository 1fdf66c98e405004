/**
 * "Save diagnostics…" in the desktop app (issue 22, point 2): what the shell adds to the core's
 * diagnostics (the app's and Electron's versions, the log files' and crash reports' folders) and
 * how it saves the zip: a save dialog over the window, in the Downloads folder by default, then
 * the file written where the agent chose. The tray's item shows the window's list first
 * (`shell/tray.ts`); the app sends the zip nowhere.
 */
import type { Translator } from '../../common/i18n.js';
import type { ManagedBy } from '../../common/settings.js';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DiagnosticsSaved } from '../../common/diagnostics.js';
import type { DiagnosticsHost } from '../app.js';
import type { ShellElectron, ShellWindow } from '../electron-api.js';

/** Where the dialog opens: the Downloads folder, else the home folder. */
function downloads(electron: ShellElectron): string {
  try {
    return electron.app.getPath('downloads');
  } catch {
    return electron.app.getPath('home');
  }
}

/**
 * The desktop app's part of the diagnostics.
 * @param window the desk window, which the save dialog belongs to (none: a free-standing dialog).
 * @param translator the agent's language now (`core.language.translator`, issue 19); none yet: English.
 */
export function desktopDiagnostics(
  electron: ShellElectron,
  options: { logDir?: string | undefined; crashDir?: string | undefined; managed?: Readonly<Record<string, ManagedBy>>; window: () => ShellWindow | undefined; translator?: () => Pick<Translator, 't'> | undefined },
): DiagnosticsHost {
  const { app, dialog } = electron;
  return {
    versions: {
      app: app.getVersion(),
      ...(process.versions.electron ? { electron: process.versions.electron } : {}),
      ...(process.versions.chrome ? { chrome: process.versions.chrome } : {}),
    },
    logDir: options.logDir,
    crashDir: options.crashDir,
    managed: options.managed,
    async save(zip: Uint8Array, fileName: string): Promise<DiagnosticsSaved> {
      const tr = options.translator?.();
      const dialogOptions = {
        title: tr?.t('diagnostics.title') ?? 'Save diagnostics',
        defaultPath: join(downloads(electron), fileName),
        filters: [{ name: tr?.t('diagnostics.zip') ?? 'Zip archive', extensions: ['zip'] }],
      };
      const win = options.window();
      // Electron's dialog wants its own window class; the shell's slice of it is what it uses.
      const answer = win && !win.isDestroyed() ? await dialog.showSaveDialog(win as unknown as Electron.BaseWindow, dialogOptions) : await dialog.showSaveDialog(dialogOptions);
      if (answer.canceled || !answer.filePath) return { kind: 'cancelled' };
      await writeFile(answer.filePath, zip, { mode: 0o600 });
      return { kind: 'saved', path: answer.filePath };
    },
  };
}
