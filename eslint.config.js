// @ts-check
import js from '@eslint/js'
import vitest from '@vitest/eslint-plugin'
import prettier from 'eslint-config-prettier'
import tseslint from 'typescript-eslint'

/** One adapter per external system: only that adapter may import its library. */
const adapters = [
  { lib: 'dockerode', home: 'harness/docker/**' },
  { lib: 'execa', home: 'harness/process/**' },
  { lib: 'undici', home: 'harness/http/**' },
  { lib: 'playwright-core', home: 'harness/browser/**' },
  { lib: '@playwright/test', home: 'harness/browser/**' },
  { lib: 'tar-stream', home: 'harness/archive/**' },
  { lib: '@keycloak/keycloak-admin-client', home: 'harness/keycloak/**' },
  { lib: 'oidc-provider', home: 'harness/sso-double/server/**' },
  { lib: 'openid-client', home: 'test/fixtures/images/oidc-app/**' },
]

/**
 * What is built on the harness imports only its public surface, harness/index.ts (@cc-ci/harness),
 * or, in a recipe.ts, the config subset harness/recipe.ts.
 */
const publicSurfaceOnly = [
  {
    group: ['**/harness/*', '**/harness/**', '!**/harness/index.ts', '!**/harness/recipe.ts'],
    message:
      'import the harness only through its public surface, harness/index.ts (@cc-ci/harness), or harness/recipe.ts in a recipe.ts',
  },
]

const libraryOnly = [
  {
    group: ['**/tiers/**', '**/generic/**', '**/recipes/**', '**/examples/**'],
    message: 'harness/ is the library: it never imports tiers/, generic/, recipes/ or examples/',
  },
]

const restrictAdapters = (except, patterns = []) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: adapters
        .filter((a) => a.home !== except)
        .map((a) => ({
          name: a.lib,
          message: `only ${a.home} may import ${a.lib}; use that adapter instead`,
        })),
      patterns,
    },
  ],
})

export default tseslint.config(
  { ignores: ['node_modules/**', '.tools/**', '.ccci/**', '.vitest/**', 'test/fixtures/**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['eslint.config.js'] } },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      curly: ['error', 'all'],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      ...restrictAdapters(null),
    },
  },
  // The library never imports what is built on it; each adapter alone imports its library.
  { files: ['harness/**'], rules: restrictAdapters(null, libraryOnly) },
  ...adapters.map((a) => ({ files: [a.home], rules: restrictAdapters(a.home, libraryOnly) })),
  {
    files: ['tiers/**', 'generic/**', 'recipes/**', 'examples/**', 'test/fixtures/config/**'],
    rules: restrictAdapters(null, publicSurfaceOnly),
  },
  {
    files: ['**/*.test.ts', 'test/**', 'generic/**', 'recipes/**'],
    plugins: { vitest },
    rules: {
      ...vitest.configs.recommended.rules,
      // A test that asserts nothing cannot fail. These helpers assert: Vitest's and Playwright's
      // expect, and the harness's own assertions on a deployed app or a finished run.
      'vitest/expect-expect': [
        'error',
        {
          assertFunctionNames: [
            'expect',
            'webExpect',
            'expectConverged',
            'expectServes',
            'expectNothingLeft',
            'judgeBadInput',
          ],
        },
      ],
      'vitest/valid-expect': ['error', { maxArgs: 2 }],
    },
  },
  {
    // Generic suites skip at run time with a reason (`context.skip(why)`): N/A is a result, not a disabled test.
    files: ['generic/**'],
    rules: { 'vitest/no-disabled-tests': 'off' },
  },
  prettier,
)
