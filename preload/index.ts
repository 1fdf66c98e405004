/**
 * The Electron preload (sandboxed, context-isolated): exposes exactly one object, `window.desk`.
 *
 * It is a pipe for the one wire: JSON text goes both ways on {@link WIRE_CHANNEL}, and the same
 * client as the web host's (`client.ts`) encodes and decodes it. No Node or Electron API reaches
 * the page.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { WIRE_CHANNEL } from './bridge.js';
import { createBridgeClient } from './client.js';

const client = createBridgeClient({
  transport: {
    send(text) {
      ipcRenderer.send(WIRE_CHANNEL, text);
      return true;
    },
  },
});

ipcRenderer.on(WIRE_CHANNEL, (_event, text: unknown) => {
  if (typeof text === 'string') client.receive(text);
});
client.opened();

contextBridge.exposeInMainWorld('desk', client.api);
