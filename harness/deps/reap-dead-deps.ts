import type { Settings } from '../config/settings.ts'
import { describeError } from '../errors.ts'
import { leaseAlive, readLeases } from '../janitor/lease.ts'
import { dependencyProvider } from './provision-deps.ts'

export interface DepsReap {
  removed: string[]
  /** Why a provider could not be swept (not configured, not answering). */
  skipped: string[]
}

/**
 * The janitor's sweep of dependency resources: realms marked as runs of this state folder whose
 * run has no live lease. Resources are listed before the leases are read: a run takes its lease
 * before it provisions, so a realm whose lease appears later is a live run's.
 */
export async function reapDeadDependencies(
  settings: Settings,
  options: { dryRun: boolean },
): Promise<DepsReap> {
  const result: DepsReap = { removed: [], skipped: [] }
  let provider
  try {
    provider = dependencyProvider('keycloak', settings)
  } catch (error) {
    result.skipped.push(`keycloak: ${describeError(error)}`)
    return result
  }
  try {
    const alive = () =>
      new Set(
        readLeases(settings.home)
          .filter(leaseAlive)
          .map((l) => l.runId),
      )
    const dead = await provider.reapDead(alive, options)
    result.removed.push(...dead.map((realm) => `keycloak realm ${realm}`))
  } catch (error) {
    result.skipped.push(`keycloak: ${describeError(error)}`)
  }
  return result
}
