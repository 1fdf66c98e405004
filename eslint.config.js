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
  {
    // The renderer reads only window.desk: never Node, Electron, or a vendor connector.
    files: ['renderer/**/*.{ts,svelte}'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['node:*', 'electron', '**/main/vendors/**', '**/main/app*', '**/main/web*', '**/main/electron*'] },
      ],
    },
  },
  // Layers point one way (ARCHITECTURE.md): the desk owns its ports and depends on nothing outside
  // it; platforms depend on the desk and the kit, never on hosts or each other; outside a platform's
  // folder only the registry and the kit are imported.
  {
    files: ['main/desk/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'electron'], message: 'the desk is pure: no Node, no Electron' },
            { regex: '(^|/)(vendors|preload)/', message: 'the desk owns its ports; vendors and the bridge depend on it, not the reverse' },
            { regex: '^\\.\\./(app|web|shell|electron|config|settings|bridge|demo)', message: 'the desk does not know its hosts' },
          ],
        },
      ],
    },
  },
  {
    files: ['main/**/*.ts', 'preload/**/*.ts'],
    ignores: ['main/vendors/**', 'main/desk/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: 'vendors/(?!index\\.js$|kit/)', message: 'outside its folder a platform is reached only through the registry (main/vendors/index.ts) or the kit' }] },
      ],
    },
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
