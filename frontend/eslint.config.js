// ESLint (flat config). `npm run lint` runs it with --max-warnings 0, so a warning fails too.
//
// Besides the usual TypeScript, hooks and accessibility rules, eslint-plugin-boundaries keeps
// the dependencies of src/ pointing one way:
//
//   main ──> app ──> features/<name> ──> components ──> lib <──> api
//
// - app/ composes the features (router, layout) and may import anything;
// - a feature imports lib/, components/ and api/, and only its own files: never another feature;
// - components/ imports lib/ and api/; lib/ imports api/ (and api/client.ts lib/session):
//   neither of them imports a feature or app/;
// - test code (src/test/, *.test.ts(x), a feature's testing.ts) may import anything, but
//   nothing that is not test code imports it.
import { fileURLToPath } from 'node:url';

import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import boundaries from 'eslint-plugin-boundaries';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** This folder: the settings below hold wherever eslint is started from. */
const root = fileURLToPath(new URL('.', import.meta.url));

/** The shared layers that features and components build on. */
const SHARED = ['lib', 'components', 'api'];

export default defineConfig(
  // src/api/schema.d.ts is generated (npm run generate).
  globalIgnores(['dist/', 'coverage/', 'test-artifacts/', 'test-results/', 'src/api/schema.d.ts']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    // The Node scripts: e2e tests and config files.
    files: ['e2e/**/*.mjs', '*.config.{js,ts}'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    ...reactHooks.configs.flat.recommended,
  },
  {
    files: ['src/**/*.tsx'],
    ...jsxA11y.flatConfigs.recommended,
    rules: {
      ...jsxA11y.flatConfigs.recommended.rules,
      // A wide table scrolls inside a focusable role="region" (named by its heading or an
      // aria-label), so that keyboard users can scroll it sideways: allowed besides tab panels.
      'jsx-a11y/no-noninteractive-tabindex': ['error', { tags: [], roles: ['tabpanel', 'region'], allowExpressionValues: true }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { boundaries },
    settings: {
      // Resolves relative imports and the `@/` alias (tsconfig paths, mirrored in vite.config.ts).
      'import/resolver': { typescript: { project: `${root}tsconfig.json`, alwaysTryTypes: true } },
      'boundaries/root-path': root,
      // Anchored at the project root (partialMatch: false); a file belongs to the first match.
      'boundaries/elements': [
        { type: 'app', pattern: 'src/app', partialMatch: false },
        { type: 'feature', pattern: 'src/features/*', partialMatch: false, capture: ['feature'] },
        { type: 'components', pattern: 'src/components', partialMatch: false },
        { type: 'lib', pattern: 'src/lib', partialMatch: false },
        { type: 'api', pattern: 'src/api', partialMatch: false },
        { type: 'test', pattern: 'src/test', partialMatch: false },
        // What is left: the entry point, src/main.tsx.
        { type: 'main', pattern: 'src', partialMatch: false },
      ],
      'boundaries/files': [
        {
          category: 'test',
          pattern: ['src/test/**', 'src/**/*.test.{ts,tsx}', 'src/features/*/testing.ts'],
        },
      ],
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          // Imports inside one element are checked too: that is where a feature's own files
          // meet its test helpers.
          checkInternals: true,
          policies: [
            // The entry point mounts the app and loads the global stylesheet beside it.
            { from: { element: { type: 'main' } }, allow: { to: { element: { types: ['main', 'app'] } } } },
            {
              from: { element: { type: 'app' } },
              allow: { to: { element: { types: ['app', 'feature', ...SHARED] } } },
            },
            {
              from: { element: { type: 'feature' } },
              allow: [
                { to: { element: { types: SHARED } } },
                // Its own files only: never another feature.
                {
                  to: {
                    element: { type: 'feature', captured: { feature: '{{ from.element.captured.feature }}' } },
                  },
                },
              ],
            },
            {
              from: { element: { type: 'components' } },
              allow: { to: { element: { types: SHARED } } },
            },
            { from: { element: { type: 'lib' } }, allow: { to: { element: { types: ['lib', 'api'] } } } },
            // The generated client's wrapper signs requests in with lib/session.
            { from: { element: { type: 'api' } }, allow: { to: { element: { types: ['api', 'lib'] } } } },
            // Test code may reach anything it tests...
            {
              from: { file: { categories: 'test' } },
              allow: { to: { element: { types: ['app', 'feature', 'test', ...SHARED] } } },
            },
            // ...but not into another feature's own files, and only test code reaches test code.
            {
              from: { element: { type: 'feature' } },
              disallow: {
                to: {
                  element: { type: 'feature', captured: { feature: '!{{ from.element.captured.feature }}' } },
                },
              },
              message:
                'Feature "{{ from.element.captured.feature }}" imports feature "{{ to.element.captured.feature }}": features never import each other (src/app composes them)',
            },
            {
              from: { file: { isUnknown: true } }, // no file category: not test code
              disallow: { to: { file: { categories: 'test' } } },
              message:
                'Only test code (src/test, *.test.ts(x), a feature\'s testing.ts) may import test code',
            },
          ],
        },
      ],
    },
  },
);
