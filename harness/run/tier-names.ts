/** The lifecycle tiers, in the order they run against the one deployment. */
export const TIERS = ['install', 'upgrade', 'backup', 'restore', 'custom'] as const
export type Tier = (typeof TIERS)[number]

export function isTier(value: string): value is Tier {
  return (TIERS as readonly string[]).includes(value)
}

/**
 * What each tier needs to have passed before it runs. Upgrade failing does not stop backup and
 * restore: they test what is deployed. A failed prerequisite skips the tier with the reason.
 */
export const REQUIRES: Record<Tier, readonly Tier[]> = {
  install: [],
  upgrade: ['install'],
  backup: ['install'],
  restore: ['install', 'backup'],
  custom: ['install'],
}

/** Default per-tier test timeouts, in seconds (a recipe can raise them in recipe.ts). */
export const DEFAULT_TIMEOUTS: Record<Tier, number> = {
  install: 300,
  upgrade: 600,
  backup: 600,
  restore: 600,
  custom: 600,
}

/**
 * `sequence.groupOrder` of a tier: from 1, never 0, which is Vitest's default and so shared by
 * every project that sets none.
 */
export function groupOrder(tier: Tier): number {
  return TIERS.indexOf(tier) + 1
}
