/**
 * The Electron preload (sandboxed, context-isolated): exposes exactly one object, `window.desk`,
 * built from the contract in `bridge.ts`. No Node or Electron API reaches the page.
 *
 * It subscribes once at load and keeps the latest state, so a listener that subscribes late still
 * gets the full state first (the same semantics as renderer/web-bridge.ts).
 */
import { contextBridge, ipcRenderer } from 'electron';
import {
  applyChange,
  CHANNELS,
  type DeskApi,
  type DeskChange,
  type DeskMethod,
  type DeskState,
  type FocusTarget,
  type InvokeResult,
  type SettingsView,
} from './bridge.js';

let latest: { seq: number; state: DeskState } | undefined;
const changeListeners = new Set<(change: DeskChange) => void>();
const focusListeners = new Set<(target: FocusTarget) => void>();

ipcRenderer.on(CHANNELS.change, (_event, change: DeskChange) => {
  const next = applyChange(latest, change);
  if (!next) {
    // A gap in the sequence: ask again for a full state.
    latest = undefined;
    ipcRenderer.send(CHANNELS.subscribe);
    return;
  }
  latest = next;
  for (const listener of changeListeners) listener(change);
});
ipcRenderer.on(CHANNELS.focus, (_event, target: FocusTarget) => {
  for (const listener of focusListeners) listener(target);
});
ipcRenderer.send(CHANNELS.subscribe);

async function invoke<T = void>(method: DeskMethod, ...args: unknown[]): Promise<T> {
  const result = (await ipcRenderer.invoke(CHANNELS.invoke, { method, args })) as InvokeResult;
  if (!result.ok) throw new Error(result.error);
  return result.value as T;
}

const desk: DeskApi = {
  setPresence: (state) => invoke('setPresence', state),
  setAccountPresence: (accountId, state) => invoke('setAccountPresence', accountId, state),
  callAction: (callKey, action) => invoke('callAction', callKey, action),
  dial: (accountId, number) => invoke('dial', accountId, number),
  chatAction: (chatKey, action) => invoke('chatAction', chatKey, action),
  sendChatMessage: (chatKey, text) => invoke('sendChatMessage', chatKey, text),
  markChatRead: (chatKey) => invoke('markChatRead', chatKey),
  dismissChat: (chatKey) => invoke('dismissChat', chatKey),
  closeCallback: (callbackKey) => invoke('closeCallback', callbackKey),
  retryAccount: (accountId) => invoke('retryAccount', accountId),
  getSettings: () => invoke<SettingsView>('getSettings'),
  saveSettings: (settings) => invoke('saveSettings', settings),
  onChange(listener) {
    changeListeners.add(listener);
    if (latest) listener({ seq: latest.seq, full: latest.state });
    return () => changeListeners.delete(listener);
  },
  onFocus(listener) {
    focusListeners.add(listener);
    return () => focusListeners.delete(listener);
  },
};

contextBridge.exposeInMainWorld('desk', desk);
