import type { GrantedAccess } from '../coop/host-access.ts'
import type { TierPlan } from '../overlays/tier-plan.ts'
import type { RunLint } from '../run/lint-head.ts'
import { TIERS, type Tier } from '../run/tier-names.ts'
import type { CleanupReport, RunResult } from './report-files.ts'
import { lifecycleLine, orderTiers, runLevel, tierResult, type TierTally } from './tier-results.ts'

/** Everything the verdict of a run depends on, gathered by the teardown. */
export interface ResultInput {
  run: {
    runId: string
    recipe: string
    domain: string
    driver: string
    headCommit: string
    headVersion: string | undefined
    baseVersion: string | undefined
    expectedNA: Partial<Record<Tier, string>>
  }
  source: { src: string; ref: string | undefined; pr: string }
  /** Test outcomes per tier, from Vitest's state (whatever reporters were chosen). */
  tallies: ReadonlyMap<Tier, TierTally>
  selected: ReadonlySet<Tier>
  /** Tiers that got no project, and why (no file would run, a quick run's skips). */
  dropped: Partial<Record<Tier, string>>
  plans: TierPlan[]
  interrupted: string | undefined
  unhandledErrors: number
  deployCount: number
  lint: RunLint | undefined
  cleanup: CleanupReport
  startedAt: string | undefined
  finishedAt: string
  hostAccess: GrantedAccess[]
  warnings: string[]
  quick: boolean
  /** Why cc-ci's infrastructure failed the run (a dependency not ready), apart from the recipe. */
  infra?: string | undefined
}

/**
 * The run's verdict, decided once: per-tier results, the LIFECYCLE line, the level, and `ok`
 * only when install passed, nothing failed, the app was deployed exactly once, nothing was
 * interrupted or unhandled, and the teardown left nothing behind.
 */
export function decideResult(input: ResultInput): RunResult {
  const interrupted = input.interrupted !== undefined
  const tiers = orderTiers(
    TIERS.map((tier) =>
      tierResult(tier, input.tallies.get(tier), {
        selected: input.selected.has(tier),
        dropped: input.dropped[tier],
        expectedNA: input.run.expectedNA[tier],
        interrupted,
      }),
    ),
  )
  const ok =
    !interrupted &&
    input.unhandledErrors === 0 &&
    input.deployCount === 1 &&
    tiers.every((t) => t.status !== 'fail' && t.status !== 'error') &&
    tiers[0]?.status === 'pass' &&
    input.cleanup.ok
  const lint = input.lint
  return {
    version: 1,
    runId: input.run.runId,
    recipe: input.run.recipe,
    domain: input.run.domain,
    driver: input.run.driver,
    source: { ...input.source, commit: input.run.headCommit },
    headVersion: input.run.headVersion,
    baseVersion: input.run.baseVersion,
    startedAt: input.startedAt,
    finishedAt: input.finishedAt,
    reason: interrupted
      ? `interrupted (${input.interrupted})`
      : input.infra !== undefined
        ? `infra failure (not the recipe): ${input.infra}`
        : ok
          ? 'passed'
          : 'failed',
    infra: input.infra,
    deployCount: input.deployCount,
    lifecycle: lifecycleLine(tiers),
    level: runLevel(tiers, lint === undefined ? 'not-run' : lint.ok ? 'pass' : 'fail'),
    ok,
    tiers,
    plan: input.plans,
    lint,
    cleanup: input.cleanup,
    hostAccess: input.hostAccess,
    warnings: input.warnings,
    mode: input.quick ? 'quick' : 'cold',
    promotion: undefined,
  }
}

/** Whether any tier failed (the teardown keeps diagnostics before it removes the app). */
export function anyTierFailed(
  tallies: ReadonlyMap<Tier, TierTally>,
  failedTiers: readonly Tier[],
): boolean {
  return (
    failedTiers.length > 0 ||
    [...tallies.values()].some(
      (t) => t.errors.length > 0 || t.tests.some((c) => c.state === 'failed'),
    )
  )
}

/** The host access granted to the run's deploys (install's, and the upgrade's), each once. */
export function grantedAccess(deploys: readonly unknown[]): GrantedAccess[] {
  const seen = new Map<string, GrantedAccess>()
  for (const deploy of deploys) {
    const granted = (deploy as { hostAccess?: GrantedAccess[] } | undefined)?.hostAccess ?? []
    for (const g of granted) {
      seen.set(`${g.service} ${g.access} ${g.value}`, g)
    }
  }
  return [...seen.values()]
}
