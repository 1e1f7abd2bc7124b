import { compareVersions, latestVersion, parseVersion } from '../recipe/versions.ts'
import type { CanonicalRecord } from './canonical-record.ts'

export type { CanonicalRecord } from './canonical-record.ts'

export interface EnrolledRecipe {
  recipe: string
  tags: readonly string[]
  /** A live run of this recipe, when there is one: the sweep does not run beside it. */
  activeRun?: string | undefined
}

/** What the sweep does for one recipe, and why. */
export type SweepStep =
  | { recipe: string; action: 'run'; tag: string; reason: string }
  | { recipe: string; action: 'skip'; reason: string }
  | { recipe: string; action: 'remove'; reason: string }

/**
 * The nightly sweep's plan, pure: a cold run on the newest release of every enrolled recipe whose
 * canonical is missing, failed or older; a skip, with the reason, for every other enrolled recipe;
 * the removal of every canonical whose recipe is no longer enrolled. In recipe order.
 */
export function sweepPlan(
  enrolled: readonly EnrolledRecipe[],
  registry: readonly CanonicalRecord[],
  /** Recipes that have a warm folder (a canonical, or what is left of one). */
  canonicals: readonly string[] = registry.map((r) => r.recipe),
): SweepStep[] {
  const records = new Map(registry.map((r) => [r.recipe, r]))
  const steps: SweepStep[] = enrolled.map(({ recipe, tags, activeRun }): SweepStep => {
    const newest = latestVersion(tags)
    if (newest === undefined) {
      return { recipe, action: 'skip', reason: 'no published release' }
    }
    const record = records.get(recipe)
    const current = record === undefined ? undefined : parseVersion(record.version)
    let reason: string | undefined
    if (record === undefined || current === undefined) {
      reason = 'no canonical yet'
    } else if (compareVersions(newest, current) > 0) {
      reason = `newer release than the canonical (${record.version})`
    } else if (record.status === 'failed') {
      reason = `the canonical failed at ${record.version}`
    }
    if (reason === undefined) {
      const newer = current !== undefined && compareVersions(current, newest) > 0
      return {
        recipe,
        action: 'skip',
        reason: newer
          ? `the canonical (${record?.version ?? ''}) is newer than the newest release ${newest.raw}`
          : `the canonical is at the newest release ${newest.raw}`,
      }
    }
    if (activeRun !== undefined) {
      return { recipe, action: 'skip', reason: `${reason}, but run ${activeRun} is active` }
    }
    return { recipe, action: 'run', tag: newest.raw, reason }
  })
  const names = new Set(enrolled.map((e) => e.recipe))
  for (const recipe of new Set(canonicals)) {
    if (!names.has(recipe)) {
      steps.push({ recipe, action: 'remove', reason: 'no longer enrolled' })
    }
  }
  return steps.sort((a, b) => (a.recipe < b.recipe ? -1 : a.recipe > b.recipe ? 1 : 0))
}
