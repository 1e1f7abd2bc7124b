import { z } from 'zod'
import { stackLocalName } from '../docker/filters.ts'
import type { ServiceState } from '../driver/app-driver.ts'

/**
 * `abra app ps -m`: one object per service of the recipe, keyed by service, all fields strings,
 * describing the service's first container (a service without a container shows `unknown`
 * everywhere; UNCONFIRMED, see docs/drivers.md).
 */
export const AppPsSchema = z.record(
  z.string(),
  z.looseObject({
    service: z.string(),
    image: z.string().default('unknown'),
    status: z.string().default('unknown'),
    state: z.string().default('unknown'),
  }),
)
export type AppPs = z.infer<typeof AppPsSchema>

/**
 * Service states from `app ps -m`. abra shows one container per service, not replica counts, so
 * each service counts as wanting one task (`desired` 1) that runs when its container's state is
 * `running`; `status` is `<state> (<docker status>)`.
 */
export function psStates(ps: AppPs, stack: string): ServiceState[] {
  return Object.entries(ps)
    .map(([key, entry]) => {
      const name = entry.service === '' ? key : entry.service
      return {
        service: stackLocalName(stack, name),
        image: entry.image,
        desired: 1,
        running: entry.state === 'running' ? 1 : 0,
        status: `${entry.state} (${entry.status})`,
      }
    })
    .sort((a, b) => a.service.localeCompare(b.service))
}

/** Image of each service, as `state().images` reports it; services without a container are left out. */
export function psImages(states: readonly ServiceState[]): Record<string, string> {
  return Object.fromEntries(
    states.filter((s) => s.image !== 'unknown').map((s) => [s.service, s.image]),
  )
}
