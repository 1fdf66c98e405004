/**
 * Builds the Electron side: the main process (ESM, `dist/main/electron.js`, dependencies left to
 * node_modules) and the sandboxed preload (CommonJS, everything but `electron` bundled, because a
 * sandboxed preload cannot load modules: `dist/preload/index.cjs`).
 * `npm run build:main` runs both (`--mode preload` selects the second).
 * Source maps are written beside the bundles for debugging a build (`hidden`: the bundles do not
 * reference them, and electron-builder leaves `*.map` out of the package).
 */
import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';

const node = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default defineConfig(({ mode }) =>
  mode === 'preload'
    ? {
        build: {
          outDir: 'dist/preload',
          emptyOutDir: true,
          target: 'node22',
          minify: false,
          sourcemap: 'hidden',
          lib: { entry: 'preload/index.ts', formats: ['cjs'], fileName: () => 'index.cjs' },
          rollupOptions: { external: ['electron', ...node] },
        },
      }
    : {
        ssr: { noExternal: [] },
        build: {
          ssr: 'main/electron.ts',
          outDir: 'dist/main',
          emptyOutDir: true,
          target: 'node22',
          minify: false,
          sourcemap: 'hidden',
          rollupOptions: { output: { format: 'es', entryFileNames: 'electron.js' } },
        },
      },
);
