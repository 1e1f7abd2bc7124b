import { HOME_LABEL, RUN_LABEL, WARM_LABEL } from '../janitor/owner-labels.ts'
import type { RealmSummary } from '../keycloak/keycloak-admin.ts'

/**
 * The janitor's decision for realms, pure: the realms marked as a run's of this state folder
 * (`cc-ci.run`, `cc-ci.home` attributes) whose run has no live lease. Never included: realms
 * without cc-ci's marks (the operator's), of another state folder, of a live run, or warm.
 */
export function deadRealms(
  realms: readonly RealmSummary[],
  alive: ReadonlySet<string>,
  home: string,
): string[] {
  return realms
    .filter((r) => {
      const run = r.attributes[RUN_LABEL]
      return (
        run !== undefined &&
        r.attributes[HOME_LABEL] === home &&
        r.attributes[WARM_LABEL] !== 'true' &&
        !alive.has(run)
      )
    })
    .map((r) => r.realm)
}
