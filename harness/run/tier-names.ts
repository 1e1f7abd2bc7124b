/**
 * The lifecycle's vocabulary: the tier names, in the order they run against the one deployment.
 * What each tier does, needs and records is its definition in `tiers/<tier>.ts`; the names are
 * here because result.json, recipe.ts, the LIFECYCLE line and the CLI all speak them.
 */
export const TIERS = ['install', 'upgrade', 'backup', 'restore', 'custom'] as const
export type Tier = (typeof TIERS)[number]

export function isTier(value: string): value is Tier {
  return (TIERS as readonly string[]).includes(value)
}

/**
 * `sequence.groupOrder` of a tier: from 1, never 0, which is Vitest's default and so shared by
 * every project that sets none.
 */
export function groupOrder(tier: Tier): number {
  return TIERS.indexOf(tier) + 1
}
