import type { Reporter, TestModule } from 'vitest/node'

/**
 * Ends the output with one plain line, `N passed, N failed`, that CI counts (skips are reported on
 * the line before). Failed modules without a failed test (an import error, a failing beforeAll)
 * count as one failure each.
 */
export class SummaryReporter implements Reporter {
  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<unknown>,
  ): void {
    let passed = 0
    let failed = 0
    let skipped = 0
    for (const module of testModules) {
      let moduleFailed = 0
      for (const test of module.children.allTests()) {
        const state = test.result().state
        if (state === 'passed') {
          passed++
        } else if (state === 'failed') {
          moduleFailed++
        } else {
          skipped++
        }
      }
      if (moduleFailed === 0 && module.errors().length > 0) {
        moduleFailed = 1
      }
      failed += moduleFailed
    }
    failed += unhandledErrors.length
    process.stdout.write(`\n${skipped} skipped\n${passed} passed, ${failed} failed\n`)
  }
}
