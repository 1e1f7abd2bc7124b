import { join, relative } from 'node:path'
import { findFiles } from '../files/find-files.ts'
import type { Tier } from '../run/tier-names.ts'

/** Where a tier file comes from, highest precedence first. */
export type Layer = 'repo-local' | 'recipe' | 'generic'

export interface PlannedFile {
  /** Path relative to its layer's tier folder: the key overrides match on. */
  relative: string
  path: string
  layer: Layer
}

export interface TierPlan {
  tier: Tier
  /** Files that run, sorted by relative path. */
  files: PlannedFile[]
  /** Lower-layer files replaced by a higher layer at the same relative path. */
  replaced: (PlannedFile & { by: Layer })[]
  /** Generic files not run because the recipe or the environment opted out. */
  skippedGeneric: (PlannedFile & { reason: string })[]
  /** Repo-local files discovered but not run (recipe not approved). */
  notRun: (PlannedFile & { reason: string })[]
}

/** A planned file as people read it: `tests/<tier>/...` in the recipe, else relative to cc-ci. */
export function showPlannedFile(file: PlannedFile, tier: string, root: string): string {
  return file.layer === 'repo-local'
    ? `tests/${tier}/${file.relative}`
    : file.path.startsWith(root)
      ? relative(root, file.path)
      : file.path
}

const TEST_FILE = /\.test\.(ts|mts|js|mjs)$/

/** Every test file under `dir`, recursively, relative to it. */
function testFiles(dir: string | undefined): string[] {
  return findFiles(dir, TEST_FILE)
}

export interface TierPlanInput {
  tier: Tier
  genericDir: string
  /** `recipes/<recipe>/<tier>` (undefined for a zero-config recipe). */
  recipeDir: string | undefined
  /** The snapshot of the recipe repo's `tests/<tier>`, if any. */
  repoLocalDir: string | undefined
  repoLocalApproved: boolean
  /** Why generic files are skipped, or undefined when they run. */
  skipGenericReason: string | undefined
}

/**
 * Resolves the files of one tier by relative path: repo-local (if approved) > recipe > generic.
 * A file at the same relative path in a higher layer replaces the lower one; other files run.
 */
export function planTier(input: TierPlanInput): TierPlan {
  const plan: TierPlan = {
    tier: input.tier,
    files: [],
    replaced: [],
    skippedGeneric: [],
    notRun: [],
  }
  const chosen = new Map<string, PlannedFile>()
  const layers: [Layer, string | undefined][] = [
    ['repo-local', input.repoLocalDir],
    ['recipe', input.recipeDir],
    ['generic', input.genericDir],
  ]
  for (const [layer, dir] of layers) {
    for (const rel of testFiles(dir)) {
      const file: PlannedFile = { relative: rel, path: join(dir ?? '', rel), layer }
      if (layer === 'repo-local' && !input.repoLocalApproved) {
        plan.notRun.push({ ...file, reason: 'not approved in repo-local-approved.txt' })
        continue
      }
      if (layer === 'generic' && input.skipGenericReason !== undefined) {
        plan.skippedGeneric.push({ ...file, reason: input.skipGenericReason })
        continue
      }
      const winner = chosen.get(rel)
      if (winner === undefined) {
        chosen.set(rel, file)
      } else {
        plan.replaced.push({ ...file, by: winner.layer })
      }
    }
  }
  plan.files = [...chosen.values()].sort((a, b) => a.relative.localeCompare(b.relative))
  return plan
}
