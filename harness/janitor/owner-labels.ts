import { createHash } from 'node:crypto'

/** Owner labels on every Docker object a run creates; the janitor keys on them. */
export const RUN_LABEL = 'cc-ci.run'
export const RECIPE_LABEL = 'cc-ci.recipe'
/** Which state folder (CCCI_HOME) holds the run's lease: a janitor only judges its own. */
export const HOME_LABEL = 'cc-ci.home'
/** Warm canonical deployments carry this and are never reaped. */
export const WARM_LABEL = 'cc-ci.warm'

/** A short, stable id of a state folder. */
export function homeId(home: string): string {
  return createHash('sha256').update(home).digest('hex').slice(0, 12)
}

export function ownerLabels(runId: string, recipe: string, home: string): Record<string, string> {
  return { [RUN_LABEL]: runId, [RECIPE_LABEL]: recipe, [HOME_LABEL]: homeId(home) }
}
