// Boundaries of DESIGN.md §2 are enforced here, not by memory.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import { importX, createNodeResolver } from 'eslint-plugin-import-x';
import globals from 'globals';
import i18next from 'eslint-plugin-i18next';
import { join } from 'node:path';

const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'crypto',
  'os',
  'child_process',
  'http',
  'net',
  'url',
  'util',
  'stream',
  'events',
  'buffer',
  'zlib',
  'worker_threads',
];

// date-fns' index re-exports ~250 modules: ~2 s at every Node process start
// (each kill -9 test restart paid it). Import each function's own module.
const dateFnsIndex = {
  name: 'date-fns',
  message: "Import the function's own module, e.g. 'date-fns/format'.",
};

// Climbing three or more folders is hard to read and breaks on every move:
// shared code is '#shared/...', renderer code '#renderer/...' (src/package.json "imports").
const deepRelative = {
  group: ['../../../*'],
  message:
    "Import through the alias ('#shared/...' or '#renderer/...') instead of climbing three folders.",
};

// Test helpers live in testing/ folders, testing.ts and testSupport.ts files.
const testHelpers = {
  regex: '(^|/)(testing(/|\\.tsx?$)|testSupport\\.tsx?$)',
  message:
    'Production code never imports test helpers: move what the product needs out of testing/.',
};
// Tests and the helpers themselves.
const testFiles = [
  '**/*.test.ts',
  '**/*.test.tsx',
  '**/testing/**',
  '**/testing.ts',
  '**/testing.tsx',
  '**/testSupport.ts',
];
const onlyAdapter = 'Only src/main/electron and src/preload may import electron.';

/** One no-restricted-imports setting: electron (when refused), the date-fns index, deep climbs, and the patterns given. */
function restrictedImports({ electron, patterns = [] }) {
  return {
    paths: [...(electron ? [{ name: 'electron', message: electron }] : []), dateFnsIndex],
    patterns: [deepRelative, ...patterns],
  };
}

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'test-output/**',
      'test-results/**',
      '.tsc/**',
      'eslint.config.mjs',
      'eslint.importParser.cjs',
      'scripts/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    plugins: { 'import-x': importX },
    settings: {
      // Lets import-x read our TypeScript modules (imports name their .ts files), so no-cycle can follow them.
      ...importX.flatConfigs.typescript.settings,
      // The same syntax trees without the scope analysis import-x discards (see the file).
      'import-x/parsers': {
        [join(import.meta.dirname, 'eslint.importParser.cjs')]: ['.ts', '.tsx', '.cts', '.mts'],
      },
      'import-x/resolver-next': [
        createNodeResolver({ extensions: ['.ts', '.tsx', '.mts', '.js', '.mjs'] }),
      ],
    },
    rules: {
      // A module graph without cycles: load order never decides what a module sees.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'no-console': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/consistent-type-definitions': ['error', 'type'],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/only-throw-error': 'off',
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './src/shared',
              from: './src',
              except: ['./shared'],
              message: 'shared imports only shared.',
            },
            {
              target: './src/renderer',
              from: './src',
              except: ['./renderer', './shared'],
              message: 'The renderer reaches the back end only through window.api.',
            },
            {
              target: './src/server',
              from: './src',
              except: ['./server', './shared'],
              message: 'The server imports shared only.',
            },
            {
              target: './src/main',
              from: './src/renderer',
              message: 'main never imports the renderer.',
            },
            {
              target: './src/main',
              from: './src/server',
              message: 'main talks to the server over HTTP only.',
            },
          ],
        },
      ],
    },
  },
  // Which imports each part of src may use. Later blocks replace the rule for
  // the files they match, so each block lists everything that holds there.
  {
    // Only the Electron adapter and the preload may import electron.
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/main/electron/**', 'src/preload/**'],
    rules: { 'no-restricted-imports': ['error', restrictedImports({ electron: onlyAdapter })] },
  },
  {
    files: ['src/main/electron/**/*.ts', 'src/preload/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', restrictedImports({})] },
  },
  {
    // The product never runs test helpers.
    files: ['src/main/**/*.ts', 'src/server/**/*.ts'],
    ignores: [...testFiles, 'src/main/electron/**', 'src/preload/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        restrictedImports({ electron: onlyAdapter, patterns: [testHelpers] }),
      ],
    },
  },
  {
    files: ['src/main/electron/**/*.ts', 'src/preload/**/*.ts'],
    ignores: testFiles,
    rules: { 'no-restricted-imports': ['error', restrictedImports({ patterns: [testHelpers] })] },
  },
  {
    files: ['src/shared/**/*.ts', 'src/renderer/**/*.{ts,tsx}'],
    ignores: testFiles,
    rules: {
      'no-restricted-imports': [
        'error',
        restrictedImports({
          electron: 'shared and renderer never import electron.',
          patterns: [
            {
              group: nodeBuiltins,
              message: 'shared and renderer run in the browser: no Node built-ins.',
            },
            testHelpers,
          ],
        }),
      ],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    // Every visible string of the renderer comes from src/renderer/i18n's resources (English and
    // German); a literal in JSX text or in a visible attribute fails here. Attributes that are never
    // shown (ids, test ids, CSS, data, routes, form field names) stay literal.
    files: ['src/renderer/**/*.tsx'],
    ignores: ['**/*.test.tsx'],
    plugins: { i18next },
    rules: {
      'i18next/no-literal-string': [
        'error',
        {
          mode: 'jsx-only',
          // Routes and file names are not shown as words.
          callees: { exclude: ['t', 'navigate', 'pdfFileName', 'useMatch'] },
          words: {
            exclude: [
              '[0-9!-/:-@[-`{-~]+',
              '[A-Z_-]+',
              '[\\w-]+\\.(png|jpe?g|pdf|json|csv)',
              '[\\s·—•→?%#,]+',
            ],
          },
          'jsx-attributes': {
            exclude: [
              'className',
              'style',
              'type',
              'key',
              'id',
              'width',
              'height',
              'data-.*',
              'to',
              'href',
              'name',
              'role',
              'variant',
              'color',
              'c',
              'size',
              'radius',
              'gap',
              'justify',
              'align',
              'wrap',
              'position',
              'mode',
              'autoComplete',
              'inputMode',
              'accept',
              'capture',
              'fw',
              'ff',
              'fz',
              'ta',
              'td',
              'tt',
              'p',
              'px',
              'py',
              'pt',
              'pb',
              'm',
              'mt',
              'mb',
              'ml',
              'mr',
              'mx',
              'my',
              'w',
              'h',
              'maw',
              'miw',
              'mah',
              'mih',
              'bg',
              'fs',
              'lh',
              'display',
              'direction',
              'orientation',
              'component',
              'htmlFor',
              'form',
              'target',
              'rel',
              'src',
              'valueFormat',
              'aria-controls',
              'aria-describedby',
              'aria-labelledby',
              'aria-live',
              'aria-current',
              'aria-haspopup',
              'aria-sort',
              'aria-hidden',
              'aria-busy',
              'defaultValue',
              'value',
              'dir',
              'lang',
              'decoding',
              'loading',
              'labelPosition',
              'span',
              'order',
              'cols',
              'dataKey',
              'curveType',
              'placement',
            ],
          },
        },
      ],
    },
  },
  {
    files: ['**/*.test.ts', '**/*.test.tsx', 'e2e/**', 'bench/**'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
);
