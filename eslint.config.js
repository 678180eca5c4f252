// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/**
 * The layers import only downward (docs/architecture.md): each folder lists the folders it must
 * not reach. Paths are relative, so the rule matches any number of `../` before the folder.
 */
const layer = (forbidden, why) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        {
          regex: `^(\\.\\./)+(${forbidden.join('|')})(\\.js$|/)`,
          message: why,
        },
      ],
    },
  ],
});

export default tseslint.config(
  { ignores: ['dist/', 'data/', 'coverage/', 'node_modules/', 'test-artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      // Fastify plugins and handlers are async by contract, with or without an await.
      '@typescript-eslint/require-await': 'off',
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Read the environment only in src/config.ts.',
        },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: layer(
      [
        'config',
        'lib',
        'store',
        'services',
        'http',
        'channels',
        'dispatch',
        'jobs',
        'cli',
        'demo',
        'wiring',
      ],
      'domain/ holds plain functions and types: it imports no configuration, storage, service, channel or HTTP code.',
    ),
  },
  {
    files: ['src/store/**/*.ts', 'src/channels/**/*.ts', 'src/ingest/**/*.ts'],
    rules: layer(
      ['services', 'http', 'dispatch', 'jobs', 'cli', 'demo', 'wiring'],
      'store/, channels/ and ingest/ sit below the services: they never import them or anything above.',
    ),
  },
  {
    files: ['src/lib/**/*.ts'],
    rules: layer(
      [
        'config',
        'store',
        'services',
        'http',
        'channels',
        'dispatch',
        'jobs',
        'cli',
        'demo',
        'wiring',
      ],
      'lib/ holds the token and secret primitives: it imports nothing of Candor but domain/.',
    ),
  },
  {
    // A service lives in services/<aggregate>/, so a layer above it is two levels up; one
    // level up is a sibling aggregate (services/dispatch/ is not the worker's dispatch/).
    files: ['src/services/*/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./\\.\\./(http|dispatch|jobs|cli|demo|wiring)(\\.js$|/)',
              message:
                'services/ are called by HTTP, CLI, jobs and the dispatch worker, never the other way round.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/services/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'Program',
          message: 'A service belongs in the folder of its aggregate: src/services/<aggregate>/.',
        },
      ],
    },
  },
  {
    files: ['src/dispatch/**/*.ts', 'src/jobs/**/*.ts'],
    rules: layer(['http', 'cli', 'demo'], 'the workers do not depend on the HTTP or CLI layer.'),
  },
  {
    files: ['src/config.ts', 'test/**', 'bench/**', 'vitest.config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  { files: ['**/*.js', '**/*.cjs'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
