import { resolveExtraEnv, type RecipeConfig } from '../recipe/recipe-config.ts'
import { siblingDomain } from './domain.ts'

/**
 * What a run writes into the app env after `.env.sample`: no Let's Encrypt (the CI host has its
 * own certificate), then the recipe's `extraEnv` for the run's domain.
 */
export function runAppEnv(
  config: RecipeConfig,
  recipe: string,
  domain: string,
  suffix: string,
): Record<string, string> {
  return {
    LETS_ENCRYPT_ENV: '',
    ...resolveExtraEnv(config, {
      domain,
      suffix,
      recipe,
      sibling: (label) => siblingDomain(domain, label),
    }),
  }
}
