import { TIERS, type Tier } from '../run/tier-names.ts'

export type TierStatus = 'pass' | 'fail' | 'skip' | 'error' | 'not-run'

export interface TestOutcome {
  name: string
  file: string
  state: 'passed' | 'failed' | 'skipped'
  durationMs: number
  /** Failure message or skip reason. */
  message: string | undefined
}

export interface TierResult {
  tier: Tier
  status: TierStatus
  reason: string | undefined
  /** Declared not applicable in recipe.ts (a known N/A, not an untested gap). */
  expectedNA: string | undefined
  passed: number
  failed: number
  skipped: number
  durationMs: number
  tests: TestOutcome[]
}

export interface TierTally {
  tests: TestOutcome[]
  /** Errors outside tests (an import error, a failing hook). */
  errors: string[]
}

/** A tier's status from its tests: any failure fails it; only skips skip it, with their reason. */
/** Why a tier with no file is skipped. */
export const NO_TESTS = 'no tests for this tier'

export function tierResult(
  tier: Tier,
  tally: TierTally | undefined,
  options: {
    selected: boolean
    /** Why the tier got no project (no tests, a quick run's skip), if it got none. */
    dropped: string | undefined
    expectedNA: string | undefined
    interrupted: boolean
  },
): TierResult {
  const tests = tally?.tests ?? []
  const count = (state: TestOutcome['state']) => tests.filter((t) => t.state === state).length
  const passed = count('passed')
  const failed = count('failed') + (tally?.errors.length ?? 0)
  const skipped = count('skipped')
  const durationMs = tests.reduce((sum, t) => sum + t.durationMs, 0)
  let status: TierStatus
  let reason: string | undefined
  if (failed > 0) {
    status = 'fail'
    reason = tests.find((t) => t.state === 'failed')?.message ?? tally?.errors[0]
  } else if (passed > 0) {
    status = 'pass'
  } else if (skipped > 0) {
    status = 'skip'
    reason = tests.find((t) => t.message !== undefined)?.message
  } else if (options.dropped !== undefined) {
    status = 'skip'
    reason = options.dropped
  } else if (!options.selected) {
    status = 'not-run'
    reason = 'not selected'
  } else {
    status = 'not-run'
    reason = options.interrupted ? 'run interrupted' : undefined
  }
  if (status === 'skip' && options.expectedNA !== undefined) {
    reason = `N/A: ${options.expectedNA}`
  }
  return {
    tier,
    status,
    reason,
    expectedNA: options.expectedNA,
    passed,
    failed,
    skipped,
    durationMs,
    tests,
  }
}

/** `LIFECYCLE install: pass | upgrade: skip (no previous published version) | ...` */
export function lifecycleLine(tiers: readonly TierResult[]): string {
  const parts = tiers.map((t) => {
    const why =
      t.status === 'skip' || t.status === 'not-run' || t.status === 'error' ? t.reason : undefined
    return `${t.tier}: ${t.status}${why === undefined ? '' : ` (${firstLine(why)})`}`
  })
  return `LIFECYCLE ${parts.join(' | ')}`
}

export function firstLine(text: string, max = 120): string {
  const line = text.split('\n')[0] ?? ''
  return line.length > max ? `${line.slice(0, max - 1)}…` : line
}

/**
 * The level a run reached, 0-5: install (1), upgrade (2), backup+restore (3), custom (4), lint (5).
 * Each level needs the ones below. A declared N/A counts as met; a skip or anything not run is a
 * gap and stops the count, so the level can understate, never overstate.
 */
export function runLevel(tiers: readonly TierResult[], lint: 'pass' | 'fail' | 'not-run'): number {
  const met = (tier: Tier) => {
    const t = tiers.find((r) => r.tier === tier)
    return (
      t !== undefined &&
      (t.status === 'pass' || (t.status === 'skip' && t.expectedNA !== undefined))
    )
  }
  const steps = [
    met('install'),
    met('upgrade'),
    met('backup') && met('restore'),
    met('custom'),
    lint === 'pass',
  ]
  const level = steps.findIndex((ok) => !ok)
  return level === -1 ? steps.length : level
}

export function orderTiers(results: readonly TierResult[]): TierResult[] {
  return [...results].sort((a, b) => TIERS.indexOf(a.tier) - TIERS.indexOf(b.tier))
}
