import { defineTier, findSpecFiles } from '../harness/index.ts'

/** Custom: the recipe's own tests (recipes/<recipe>/custom, approved repo-local tests, its Playwright suite). */
export const custom = defineTier({
  name: 'custom',
  summary: "the recipe's own functional and browser tests pass",
  requires: ['install'],
  timeoutSeconds: 600,
  hook: undefined,
  when: 'tier',
  records: {},
  operation: () => Promise.resolve({}),
  // The generic suite runs the recipe's own Playwright suite (generic/custom/playwright-suite.test.ts).
  genericIdle: ({ repoLocalDir }) =>
    findSpecFiles(repoLocalDir).length === 0 ? 'the recipe ships no Playwright suite' : undefined,
})
