/**
 * Renderer entry. Uses `window.desk` when the Electron preload provided it; in a plain browser the
 * web bridge builds the same API over the web host's socket.
 */
import './styles/app.css';
import { mount } from 'svelte';
import App from './App.svelte';
import { applyTheme, loadTheme } from './lib/theme.js';
import { connectWebBridge, type WebBridge } from './web-bridge.js';

applyTheme(loadTheme(), false);

let bridge: WebBridge | undefined;
if (!window.desk) {
  bridge = connectWebBridge();
  window.desk = bridge;
}

const target = document.getElementById('app');
if (!target) throw new Error('Agent Companion: #app is missing from index.html');

mount(App, {
  target,
  props: {
    desk: window.desk,
    onBridgeStatus: bridge ? bridge.onStatus.bind(bridge) : undefined,
    onBridgeRetry: bridge ? bridge.retry.bind(bridge) : undefined,
  },
});
