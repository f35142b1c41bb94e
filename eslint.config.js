import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import prettierConfig from 'eslint-config-prettier';
import pluginVue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-output/**', '.lab-state/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    files: ['renderer/**/*.{ts,vue}'],
    languageOptions: { globals: globals.browser },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'child_process', 'net', 'ssh2', 'keytar', 'ws', 'electron'],
              message: 'The renderer runs in a browser sandbox: talk to the host through the IPC client.',
            },
            { group: ['**/electron/**'], message: 'The renderer may import shared/ only.' },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/services/**/*.ts', 'electron/host/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'Services and the web host run in plain Node: pass what they need from Electron in as an interface.' }] },
      ],
    },
  },
  {
    files: ['electron/**/*.ts', 'lab/**/*.ts', 'bench/**/*.ts', 'e2e/**/*.ts', 'build/**/*.{ts,mjs,js}', '*.config.{ts,js}'],
    languageOptions: { globals: globals.node },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'vue/multi-word-component-names': 'off',
    },
  },
  // Layering (see README's layout table): who may import whom, and features reached only through their index.ts.
  {
    files: ['**/*.{ts,vue,js,mjs}'],
    plugins: { boundaries },
    settings: {
      'import/resolver': { node: { extensions: ['.ts', '.vue', '.js', '.mjs'] } },
      'boundaries/elements': [
        { type: 'renderer-feature', pattern: 'renderer/features/*', partialMatch: false, capture: ['feature'] },
        { type: 'renderer', pattern: 'renderer', partialMatch: false },
        { type: 'service', pattern: 'electron/services/*', partialMatch: false, capture: ['service'] },
        // Files directly in electron/services (create-services.ts): a file in a service folder matched the line above first.
        { type: 'services-root', pattern: 'electron/services', partialMatch: false },
        { type: 'host', pattern: 'electron/host', partialMatch: false },
        { type: 'main', pattern: 'electron/main', partialMatch: false },
        { type: 'preload', pattern: 'electron/preload', partialMatch: false },
        { type: 'shared', pattern: 'shared', partialMatch: false },
        { type: 'lab', pattern: 'lab', partialMatch: false },
      ],
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'allow',
          policies: [
            {
              from: { element: { types: ['renderer', 'renderer-feature'] } },
              disallow: { to: { element: { types: ['services-root', 'service', 'host', 'main', 'preload', 'lab'] } } },
              message: 'The renderer may import only renderer/ and shared/: reach the host through the IPC client.',
            },
            {
              from: { element: { types: ['services-root', 'service', 'host'] } },
              disallow: { to: { element: { types: ['renderer', 'renderer-feature', 'main'] } } },
              message: 'Services and the web host run in plain Node: they never import the renderer or electron/main.',
            },
            {
              from: { element: { type: 'shared' } },
              disallow: { to: { element: { types: ['renderer', 'renderer-feature', 'services-root', 'service', 'host', 'main', 'preload', 'lab'] } } },
              message: 'shared/ is imported by both sides: it imports nothing from electron/, renderer/ or lab/.',
            },
            {
              // A feature's files import each other freely; from outside, only its index.ts (and its test helpers, from tests),
              // and its catalogues (messages.<locale>.ts), which the app's i18n merges before any component loads: through
              // the index they would pull in components that need the catalogue, a cycle.
              to: { element: { type: 'renderer-feature' } },
              disallow: { to: { element: { fileInternalPath: '!{index.ts,messages.*.ts,testing/**}' } } },
              message: 'Import this feature through its index.ts, which says what it offers to the rest of the app.',
            },
            {
              // The same for the services' folders, features and infrastructure alike (pve, ssh, secrets, sessions, jobs…).
              // Its test helpers only through testing/index.ts, which says which of them other tests may use.
              to: { element: { type: 'service' } },
              disallow: { to: { element: { fileInternalPath: '!{index.ts,testing/index.ts}' } } },
              message: 'Import this service folder through its index.ts, which says what it offers to the rest of the app.',
            },
          ],
        },
      ],
    },
  },
  // Layout is Prettier's job (`npm run lint` checks it): ESLint keeps to what is not layout.
  prettierConfig,
);
