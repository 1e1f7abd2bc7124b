import type { ResultInput } from '../../harness/results/decide-result.ts'
import type { RunResult } from '../../harness/results/report-files.ts'
import type { TierTally } from '../../harness/results/tier-results.ts'
import { TIERS, type Tier } from '../../harness/run/tier-names.ts'

/** A passed test of a tier's tally. */
export const passedTest = (name: string, durationMs = 10): TierTally['tests'][number] => ({
  name,
  file: `generic/${name}.test.ts`,
  state: 'passed',
  durationMs,
  message: undefined,
})

/** Tallies of a run in which every tier passed its one test. */
export function passedTallies(durationMs?: number): Map<Tier, TierTally> {
  return new Map(TIERS.map((t) => [t, { tests: [passedTest(t, durationMs)], errors: [] }]))
}

/**
 * What `decideResult` decides from, for a green cold run of tiny-html deployed once: every tier
 * selected and passed, lint passed, nothing left. `run` overrides are merged into the run.
 */
export function resultInput(
  overrides: Omit<Partial<ResultInput>, 'run'> & { run?: Partial<ResultInput['run']> } = {},
): ResultInput {
  const { run, ...rest } = overrides
  return {
    run: {
      runId: 'tiny-1',
      recipe: 'tiny-html',
      domain: 'tiny-abc123.ccci.localhost',
      driver: 'swarm',
      headCommit: '0123456789abcdef',
      headVersion: undefined,
      baseVersion: '1.0.0+1',
      expectedNA: {},
      ...run,
    },
    source: { src: '/src', ref: undefined, pr: 'local' },
    tallies: passedTallies(),
    selected: new Set(TIERS),
    dropped: {},
    plans: [],
    interrupted: undefined,
    unhandledErrors: 0,
    deployCount: 1,
    lint: { ok: true, rules: [] },
    cleanup: { ok: true, steps: [], leftovers: [] },
    startedAt: '2026-11-30T00:00:00Z',
    finishedAt: '2026-11-30T00:01:00Z',
    hostAccess: [],
    warnings: [],
    quick: false,
    ...rest,
  }
}

/** A result.json with nothing in it (no tier, no plan), for the parts that render a result. */
export function bareRunResult(overrides: Partial<RunResult> = {}): RunResult {
  return {
    version: 1,
    runId: 'r1',
    recipe: 'tiny-html',
    domain: 'x.test',
    driver: 'swarm',
    source: { src: 'x', ref: undefined, commit: 'c0ffee00', pr: '' },
    headVersion: undefined,
    baseVersion: undefined,
    startedAt: undefined,
    finishedAt: 'now',
    reason: '',
    deployCount: 1,
    lifecycle: '',
    level: 0,
    ok: false,
    tiers: [],
    plan: [],
    lint: undefined,
    cleanup: undefined,
    hostAccess: [],
    warnings: [],
    mode: 'cold',
    promotion: undefined,
    ...overrides,
  }
}
