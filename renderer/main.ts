/**
 * Renderer entry. Uses `window.desk` when the Electron preload provided it; in a plain browser the
 * web bridge builds the same API over the web host's socket. A browser tab opened for a `tel:`
 * link (the web host's protocol handler, `#dial=…`) is no desk: it relays the link to the desk tab.
 */
import './styles/app.css';
import { mount } from 'svelte';
import App from './App.svelte';
import { applyTheme, loadTheme } from './lib/theme.js';
import { connectWebBridge, type WebBridge } from './web-bridge.js';
import { dialLinkFromHash, listenForDialLinks, openScreenPopsHere, runHandlerPage } from './lib/dial-links.js';
import { setCatalogLoader, startLanguage, useReactiveCell } from './lib/i18n.js';
import { reactiveCell } from './lib/i18n-state.svelte.js';
import { loadLocaleChunk } from './lib/locale-chunks.js';

applyTheme(loadTheme(), false);

const target = document.getElementById('app');
if (!target) throw new Error('Agent Companion: #app is missing from index.html');

// The language first (the one shown last, else the browser's), so the first render is in it.
useReactiveCell(reactiveCell);
setCatalogLoader(loadLocaleChunk);
await startLanguage();

const relayed = window.desk ? undefined : dialLinkFromHash(location.hash);
if (relayed !== undefined) {
  void runHandlerPage(relayed, target);
} else {
  let bridge: WebBridge | undefined;
  if (!window.desk) {
    bridge = connectWebBridge();
    window.desk = bridge;
    listenForDialLinks(bridge);
    openScreenPopsHere(bridge);
  }

  mount(App, {
    target,
    props: {
      desk: window.desk,
      onBridgeStatus: bridge ? bridge.onStatus.bind(bridge) : undefined,
      onBridgeRetry: bridge ? bridge.retry.bind(bridge) : undefined,
    },
  });
}
