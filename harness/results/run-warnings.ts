import type { TierPlan } from '../overlays/tier-plan.ts'

/**
 * What a run warns about, for its result and the PR comment: anything cc-ci accepted but did not
 * do as the recipe asked (a tag that is not a version, a router for a name that is not the app's,
 * a backupbot label it does not know). Pure: the run state's data in, the warnings out, each once.
 */
export function runWarnings(data: Readonly<Record<string, unknown>>): string[] {
  const artifact = data['backup.artifact'] as { warnings?: unknown } | undefined
  return [
    ...new Set([
      ...strings(data['setup.warnings']),
      ...strings(data['deps.warnings']),
      ...strings(data['install.routeWarnings']),
      ...strings(data['upgrade.routeWarnings']),
      ...strings(artifact?.warnings),
    ]),
  ]
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}

/**
 * What the tier plans warn about: the recipe's own tests that do not run because it is not
 * approved (a maintainer must know their tests/ were not run). Pure.
 */
export function planWarnings(plans: readonly TierPlan[], recipe: string): string[] {
  const notRun = plans.flatMap((plan) => plan.notRun.map((file) => `${plan.tier}/${file.relative}`))
  return notRun.length === 0
    ? []
    : [
        `the recipe's own tests did not run (${notRun.join(', ')}): ${recipe} is not listed in repo-local-approved.txt; a cc-ci maintainer approves a recipe's tests by adding it there`,
      ]
}
