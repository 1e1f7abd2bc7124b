import { isTier, TIERS, type Tier } from '../run/tier-names.ts'
import { skipsGeneric, type RecipeConfig } from '../recipe/recipe-config.ts'

const truthy = (value: string | undefined): boolean =>
  value !== undefined && ['1', 'true', 'yes', 'all'].includes(value.toLowerCase())

/** Tiers whose generic suites the environment switches off (local debugging only). */
export function envSkippedTiers(env: NodeJS.ProcessEnv = process.env): Tier[] {
  const all = env.CCCI_SKIP_GENERIC
  const listed = truthy(all)
    ? [...TIERS]
    : (all ?? '')
        .split(',')
        .map((t) => t.trim())
        .filter(isTier)
  const single = TIERS.filter((tier) => truthy(env[`CCCI_SKIP_GENERIC_${tier.toUpperCase()}`]))
  return TIERS.filter((tier) => listed.includes(tier) || single.includes(tier))
}

/** Why the generic suites of `tier` do not run for this recipe, or undefined when they do. */
export function skipGenericReason(
  config: RecipeConfig,
  tier: Tier,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (skipsGeneric(config, tier)) {
    return 'skipGeneric in recipe.ts'
  }
  if (envSkippedTiers(env).includes(tier)) {
    return 'CCCI_SKIP_GENERIC set in the environment'
  }
  return undefined
}

/** The loud warning printed when the environment skips generic suites in CI. */
export function skipGenericWarning(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const tiers = envSkippedTiers(env)
  if (tiers.length === 0) {
    return undefined
  }
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false'
  return `${ci ? '!!! WARNING (CI): ' : 'warning: '}generic suites are switched off by CCCI_SKIP_GENERIC for: ${tiers.join(', ')}. This is for local debugging; results do not cover those suites.`
}
