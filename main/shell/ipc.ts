/**
 * The one wire over IPC (`WIRE_CHANNEL`): text in, text out, the hub's JSON passed to the window
 * unchanged (ARCHITECTURE.md, principle 8). Accepted only from the desk window's own page on
 * `app://desk/`; a message from another frame is logged and dropped. One hub connection per web
 * contents, closed when they are destroyed.
 */
import { WIRE_CHANNEL } from '../../preload/bridge.js';
import type { Core } from '../app.js';
import type { IpcMainEvent, ShellElectron, ShellWindow } from '../electron-api.js';
import type { Logger } from '../log.js';
import type { Stop } from './env.js';
import { APP_ORIGIN } from './protocol.js';

/** What {@link startIpc} needs besides Electron and the core. */
export interface IpcOptions {
  log: Logger;
  /** The desk window now: only its page speaks the wire. */
  window(): ShellWindow | undefined;
}

/** Carries the wire between the window and the core's hub until stopped. */
export function startIpc(electron: ShellElectron, core: Core, options: IpcOptions): Stop {
  const { ipcMain } = electron;
  const connections = new Map<number, ReturnType<Core['hub']['open']>>();
  ipcMain.on(WIRE_CHANNEL, (event: IpcMainEvent, text: unknown) => {
    const contents = event.sender;
    if (contents !== options.window()?.webContents || !event.senderFrame?.url.startsWith(APP_ORIGIN)) {
      options.log.warn({ url: event.senderFrame?.url }, 'refused a bridge message from a foreign frame');
      return;
    }
    if (typeof text !== 'string') return;
    let connection = connections.get(contents.id);
    if (!connection) {
      connection = core.hub.open((message) => {
        if (!contents.isDestroyed()) contents.send(WIRE_CHANNEL, message);
      });
      connections.set(contents.id, connection);
      contents.once('destroyed', () => {
        connections.get(contents.id)?.close();
        connections.delete(contents.id);
      });
    }
    connection.receive(text);
  });
  return () => void ipcMain.removeAllListeners(WIRE_CHANNEL);
}
