import type { TestModule, Vitest } from 'vitest/node'
import type { TierTally } from '../results/tier-results.ts'
import { redact } from '../redaction/redact.ts'
import type { Tier } from '../run/tier-names.ts'
import { tierOfFile, tiersOf, type TierProvided } from './context.ts'

/** The tiers the command line selected. */
export function selectedTiers(vitest: Vitest): TierProvided[] {
  return vitest.projects.flatMap(tiersOf)
}

/**
 * Test outcomes per tier, read from Vitest's own state after the run: the same whichever
 * reporters the command line chose (`--reporter=junit` replaces the configured ones).
 */
export function tierTallies(modules: readonly TestModule[]): Map<Tier, TierTally> {
  const tallies = new Map<Tier, TierTally>()
  const tally = (tier: Tier): TierTally => {
    let found = tallies.get(tier)
    if (found === undefined) {
      found = { tests: [], errors: [] }
      tallies.set(tier, found)
    }
    return found
  }
  for (const module of modules) {
    const provided = tierOfFile(tiersOf(module.project), module.moduleId)
    if (provided === undefined) {
      continue
    }
    for (const test of module.children.allTests()) {
      const result = test.result()
      const state =
        result.state === 'passed' ? 'passed' : result.state === 'failed' ? 'failed' : 'skipped'
      tally(provided.tier).tests.push({
        name: test.fullName,
        file: module.relativeModuleId,
        state,
        durationMs: test.diagnostic()?.duration ?? 0,
        message:
          state === 'failed'
            ? redact((result.errors ?? []).map((e) => e.message).join('\n'))
            : state === 'skipped'
              ? (result as { note?: string }).note
              : undefined,
      })
    }
    for (const error of module.errors()) {
      tally(provided.tier).errors.push(redact(`${module.relativeModuleId}: ${error.message}`))
    }
  }
  return tallies
}

export interface TestCounts {
  passed: number
  failed: number
  skipped: number
}

/**
 * Counts for the closing `N passed, N failed` line: a module that failed without a failed test
 * (an import error, a failing beforeAll) counts as one failure, and so does each unhandled error.
 */
export function countTests(modules: readonly TestModule[], unhandledErrors: number): TestCounts {
  const counts: TestCounts = { passed: 0, failed: unhandledErrors, skipped: 0 }
  for (const module of modules) {
    let moduleFailed = 0
    for (const test of module.children.allTests()) {
      const state = test.result().state
      if (state === 'passed') {
        counts.passed++
      } else if (state === 'failed') {
        moduleFailed++
      } else {
        counts.skipped++
      }
    }
    counts.failed += moduleFailed === 0 && module.errors().length > 0 ? 1 : moduleFailed
  }
  return counts
}

/** The plain closing lines CI counts. */
export function summaryLines(counts: TestCounts): string {
  return `\n${counts.skipped} skipped\n${counts.passed} passed, ${counts.failed} failed\n`
}
