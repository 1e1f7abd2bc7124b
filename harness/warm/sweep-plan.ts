import { compareVersions, latestVersion, parseVersion } from '../recipe/versions.ts'

/** What the warm registry knows of a recipe's canonical deployment. */
export interface CanonicalRecord {
  recipe: string
  domain: string
  version: string
  commit: string
  status: 'ok' | 'failed'
  ts: string
}

export interface EnrolledRecipe {
  recipe: string
  tags: readonly string[]
}

export interface SweepDecision {
  recipe: string
  newest: string
  reason: 'no canonical yet' | 'newer release than the canonical' | 'canonical failed'
}

/**
 * The nightly sweep's decision, pure: a cold run for every enrolled recipe whose newest release is
 * newer than its canonical (or that has no healthy canonical). Recipes without releases are left out.
 */
export function sweepPlan(
  enrolled: readonly EnrolledRecipe[],
  registry: readonly CanonicalRecord[],
): SweepDecision[] {
  const canonicals = new Map(registry.map((r) => [r.recipe, r]))
  const decisions: SweepDecision[] = []
  for (const { recipe, tags } of enrolled) {
    const newest = latestVersion(tags)
    if (newest === undefined) {
      continue
    }
    const canonical = canonicals.get(recipe)
    const current = canonical === undefined ? undefined : parseVersion(canonical.version)
    if (canonical === undefined || current === undefined) {
      decisions.push({ recipe, newest: newest.raw, reason: 'no canonical yet' })
    } else if (compareVersions(newest, current) > 0) {
      decisions.push({ recipe, newest: newest.raw, reason: 'newer release than the canonical' })
    } else if (canonical.status === 'failed') {
      decisions.push({ recipe, newest: newest.raw, reason: 'canonical failed' })
    }
  }
  return decisions
}
