import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

// A Node config file inside renderer/, which may not import Node modules (lint rule): paths come
// from import.meta.dirname, which Vite sets for bundled configs.
const rendererRoot = import.meta.dirname;
const outDir = `${import.meta.dirname}/../dist/renderer`;

// The agent window. Loaded from the app:// protocol by Electron (relative base: it works under any origin) and served by the web
// host. index.html carries a strict CSP: no inline scripts or styles, so Svelte's CSS is emitted to
// a file and nothing may inject <style> elements at run time.
export default defineConfig({
  root: rendererRoot,
  base: './',
  publicDir: false,
  plugins: [
    svelte({
      configFile: false,
      emitCss: true,
      compilerOptions: { runes: true, css: 'external' },
    }),
  ],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'chrome120',
    // The module-preload polyfill is unnecessary in Chromium.
    modulePreload: { polyfill: false },
    // Never inline assets as data: URLs for scripts; small images may still be data: (CSP allows img data:).
    assetsInlineLimit: 0,
    // No source map is written into what the hosts serve (issue 16, finding 6); the hosts refuse
    // `.map` in any spelling besides (main/window-files.ts).
    sourcemap: false,
  },
  server: { host: '127.0.0.1' },
});
