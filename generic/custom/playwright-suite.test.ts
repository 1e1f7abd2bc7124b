import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import {
  appTarget,
  findSpecFiles,
  runPlaywrightSuite,
  suiteFailure,
  runContext,
  tierContext,
} from '../../harness/index.ts'

// A recipe repo that ships a Playwright suite (`tests/**/*.spec.ts`) has it run against the
// deployed app with `playwright test` (docs/browser-tests.md). Recipe code runs on the CI host,
// so only for recipes listed in recipes/repo-local-approved.txt.
test('the recipe’s own Playwright suite passes', async (context) => {
  const { recipe, source, repoLocalApproved } = tierContext()
  const testDir = source?.repoLocalDir
  const specs = findSpecFiles(testDir)
  if (testDir === undefined || specs.length === 0) {
    context.skip('the recipe ships no Playwright suite')
    return
  }
  if (!repoLocalApproved) {
    context.skip(
      `not approved: ${recipe} ships ${specs.length} Playwright spec file(s) (tests/${specs[0]}…), ` +
        'which run only for recipes listed in recipes/repo-local-approved.txt',
    )
    return
  }
  const run = runContext()
  const result = await runPlaywrightSuite({
    testDir,
    target: await appTarget(run),
    outputDir: join(run.resultsDir, 'playwright'),
    // Leave the test 30 s to report after Playwright's own deadline.
    timeoutMs: Math.max(60_000, context.task.timeout - 30_000),
  })
  if (existsSync(result.reportFile)) {
    await context.annotate(`Playwright JSON report: ${result.reportFile}`, 'playwright-report', {
      path: result.reportFile,
      contentType: 'application/json',
    })
  }
  // A failed suite fails the test with its CcciError: the failing specs, their errors, the traces.
  const failure = suiteFailure(result)
  if (failure !== undefined) {
    throw failure
  }
  // A pass means Playwright's report was read and lists tests: never a pass of nothing.
  expect(result.specs.length, `no test in ${result.reportFile}`).toBeGreaterThan(0)
})
