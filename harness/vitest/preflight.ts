import type { Settings } from '../config/settings.ts'
import { errorFromData } from '../error-data.ts'
import { CcciError } from '../errors.ts'
import type { TierProvided } from './context.ts'
import { hostCheck } from './host-check.ts'

/**
 * Checks made before anything is created: exactly one recipe, its config and source loaded, a
 * host that can take a deployment.
 */
export function requireOneRecipe(tiers: readonly TierProvided[]): TierProvided {
  const recipes = [...new Set(tiers.map((t) => t.recipe))]
  if (recipes.length !== 1) {
    throw new CcciError(
      'CCCI_SELECT_ONE_RECIPE',
      recipes.length === 0
        ? 'no recipe selected: a run tests exactly one recipe'
        : `${recipes.length} recipes selected (${recipes.join(', ')}): a run tests exactly one recipe against one deployment`,
      {
        hint: 'run `vitest run --project <recipe>` or `./ccci run <recipe>`; nothing was deployed',
      },
    )
  }
  const first = tiers[0] as TierProvided
  if (first.configError !== undefined) {
    throw errorFromData(first.configError, 'nothing was deployed')
  }
  if (first.sourceError !== undefined) {
    throw new CcciError(
      'CCCI_RECIPE_SOURCE',
      `cannot fetch recipe ${first.recipe}: ${first.sourceError}`,
      {
        hint: 'check SRC and REF (or `--src`/`--ref`); nothing was deployed',
      },
    )
  }
  if (first.source === undefined) {
    throw new CcciError('CCCI_RECIPE_SOURCE', `the source of ${first.recipe} was not fetched`, {
      hint: 'start the run with `vitest run --project <recipe>` (not `vitest list`)',
    })
  }
  return first
}

/** Fails fast, before anything is created, when the host cannot take a deployment. */
export async function requireHost(settings: Settings): Promise<void> {
  const status = await hostCheck(settings)
  const hint = 'run `./ccci host up` (or use `./ccci run`, which does); nothing was deployed'
  if (!status.engine.reachable || status.engine.swarm !== 'active') {
    throw new CcciError(
      'CCCI_HOST_NOT_READY',
      `no swarm to deploy to: ${status.engine.reachable ? `swarm is ${status.engine.swarm ?? 'inactive'}` : (status.engine.error ?? 'Docker does not answer')}`,
      { hint },
    )
  }
  if (settings.proxy === 'local' && !status.ready) {
    const missing = [
      !status.network && 'the proxy network',
      status.tls?.suffix !== settings.domainSuffix &&
        `a certificate for *.${settings.domainSuffix}`,
      !Object.values(status.images).every(Boolean) && 'the base images',
      !status.proxy.present && 'the ccci-proxy service',
    ].filter(Boolean)
    throw new CcciError(
      'CCCI_HOST_NOT_READY',
      `the local host is not ready: missing ${missing.join(', ')}`,
      {
        hint,
      },
    )
  }
}
