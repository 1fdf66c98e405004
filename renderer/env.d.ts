import type { DeskApi } from '../preload/bridge.js';

declare global {
  interface Window {
    /** Provided by the Electron preload; absent in a plain browser (the web bridge stands in). */
    desk?: DeskApi;
  }
}

export {};
