/** Owner labels on every Docker object a run creates; the janitor keys on them. */
export const RUN_LABEL = 'cc-ci.run'
export const RECIPE_LABEL = 'cc-ci.recipe'
/** Warm canonical deployments carry this and are never reaped. */
export const WARM_LABEL = 'cc-ci.warm'

export function ownerLabels(runId: string, recipe: string): Record<string, string> {
  return { [RUN_LABEL]: runId, [RECIPE_LABEL]: recipe }
}
