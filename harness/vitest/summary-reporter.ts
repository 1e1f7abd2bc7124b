import type { Reporter, TestModule } from 'vitest/node'
import { countTests, summaryLines } from './test-outcomes.ts'

/**
 * Ends the output with one plain line, `N passed, N failed`, that CI counts (skips are reported on
 * the line before). cc-ci's own test suite uses it; a recipe run prints the same lines from its
 * teardown, whatever the reporters.
 */
export class SummaryReporter implements Reporter {
  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<unknown>,
  ): void {
    process.stdout.write(summaryLines(countTests(testModules, unhandledErrors.length)))
  }
}
