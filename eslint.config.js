// Lint: typescript-eslint's recommended rules for main/preload/test, eslint-plugin-svelte for the renderer.
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { readdirSync } from 'node:fs';

// Every platform folder under main/vendors/ (the kit is shared, not a platform).
const PLATFORM_DIRS = readdirSync(new URL('./main/vendors/', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== 'kit')
  .map((entry) => entry.name);

/** Outside its folder a platform is reached only through the registry or the kit. */
const ONLY_THROUGH_REGISTRY = {
  regex: 'vendors/(?!index\\.js$|kit/)',
  message: 'outside its folder a platform is reached only through the registry (main/vendors/index.ts) or the kit',
};

/** The main-side files that speak the wire and so import the contract (preload/bridge.ts): the hub and the two hosts (the Electron shell's IPC module). */
const WIRE_HOSTS = ['main/bridge.ts', 'main/shell/ipc.ts', 'main/web.ts'];

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['renderer/**/*.{ts,svelte}'],
    languageOptions: { globals: { ...globals.browser }, parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
  // No function over 120 lines in product code (issue 17): a function that long is a module in
  // disguise. Counted as the measurement counts (a function's first line to its last,
  // blank and comment lines included), so the rule and the figure quoted in a review agree.
  {
    files: ['main/**/*.ts', 'preload/**/*.ts', 'renderer/**/*.{ts,svelte}', 'common/**/*.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 120, skipBlankLines: false, skipComments: false, IIFEs: true }] },
  },
  // Layers point one way (ARCHITECTURE.md; docs/architecture.md, Layers). Each arrow is one pattern below.
  //   common/   code both the main process and the window use: imports nothing outside itself
  //   renderer/ imports common/ and the contract (preload/bridge.ts, preload/client.ts), never main/
  //   preload/  the contract and its client, built on common/: never main/ (the window type-checks it)
  //   main/     reaches preload/ only from the hub and the hosts, for the wire (method table,
  //             channel name, socket path); config, settings and everything else never
  //   main/desk the desk owns its ports and depends on nothing outside it (not even the logger)
  {
    files: ['common/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!\\./)', message: 'common/ imports nothing outside itself: no Node, no Electron, no package, no main/, preload/ or renderer/' }] },
      ],
    },
  },
  {
    // The one exception: the language layer formats messages with FormatJS, in both processes
    // (common/i18n.ts; issue 19). Its catalogs (common/locales/*.json) are data inside common/.
    files: ['common/i18n.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!\\./|@formatjs/intl$)', message: 'common/i18n.ts imports common/ and @formatjs/intl only' }] },
      ],
    },
  },
  {
    // The renderer reads only window.desk: never Node, Electron, or the main process.
    files: ['renderer/**/*.{ts,svelte}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'electron'], message: 'the window runs in a browser: no Node, no Electron' },
            { regex: '(^|/)main/', message: 'the window imports common/ and the contract, never main/ (shared code belongs in common/)' },
            { regex: '(^|/)preload/(?!(bridge|client|wire)\\.js$)', message: 'the window imports the contract (preload/bridge.ts, its run-time names in preload/wire.ts) and its client (preload/client.ts), not the Electron preload' },
          ],
        },
      ],
    },
  },
  {
    // The window's first desk stays small (≤ 150 KB gzip, issue 19): it takes only types from the
    // contract, whose values are zod schemas that only the main side checks; its run-time names are
    // in preload/wire.ts. `import { type X }` would still load the module, so it is `import type`.
    files: ['renderer/**/*.{ts,svelte}', 'preload/client.ts', 'preload/wire.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)(preload/)?bridge\\.js$',
              allowTypeImports: true,
              message: 'the window takes only types from the contract (its zod schemas would ship zod to the window); run-time names are in preload/wire.ts',
            },
          ],
        },
      ],
      '@typescript-eslint/no-import-type-side-effects': 'error',
    },
  },
  {
    files: ['preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '(^|/)main/', message: 'the contract is built on common/ and never imports main/: the window type-checks it, and main/ brings Node' }] },
      ],
    },
  },
  {
    files: ['main/desk/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'electron'], message: 'the desk is pure: no Node, no Electron' },
            { regex: '(^|/)(vendors|preload)/', message: 'the desk owns its ports; vendors and the bridge depend on it, not the reverse' },
            { regex: '^\\.\\./(app|web|shell|electron|config|settings|bridge|demo|log)', message: 'the desk does not know its hosts (nor their logger: it declares DeskLogger in port.ts)' },
          ],
        },
      ],
    },
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/vendors/**', 'main/desk/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ONLY_THROUGH_REGISTRY,
            { regex: '(^|/)preload/', message: 'outside the hub and the hosts, main/ does not import the contract: shared types live in common/ (settings in common/settings.ts)' },
          ],
        },
      ],
    },
  },
  {
    // The hub and the hosts speak the wire: they may import the contract.
    files: WIRE_HOSTS,
    rules: { 'no-restricted-imports': ['error', { patterns: [ONLY_THROUGH_REGISTRY] }] },
  },
  // A platform does not import another platform.
  ...PLATFORM_DIRS.map((own) => ({
    files: [`main/vendors/${own}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '(^|/)preload/', message: 'a platform speaks to the desk, not to the bridge' },
            { regex: '^(\\.\\./){2,}(app|web|shell|electron|config|settings|bridge)\\.js$', message: 'a platform does not know its hosts' },
            ...PLATFORM_DIRS.filter((other) => other !== own).map((other) => ({
              regex: `^(\\.\\./)+${other}/`,
              message: `${own} does not import another platform (${other}); share through main/vendors/kit/`,
            })),
          ],
        },
      ],
    },
  })),
);
