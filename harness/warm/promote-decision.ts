import type { TierResult } from '../results/tier-results.ts'
import { TIERS } from '../run/tier-names.ts'

/** What the promotion of a run depends on, gathered by the global teardown. */
export interface PromoteInput {
  /** recipe.ts `warmCanonical`. */
  enrolled: boolean
  /** The run's verdict (every tier passed, one deploy, nothing left behind, not interrupted). */
  ok: boolean
  tiers: readonly Pick<TierResult, 'tier' | 'status' | 'reason' | 'expectedNA'>[]
  quick: boolean
  /** The pull request number, or `local`. */
  pr: string
  ref: string | undefined
  /** The published version the head commit is tagged with. */
  headVersion: string | undefined
}

export type PromoteDecision =
  { promote: true; version: string } | { promote: false; reason: string }

/**
 * Whether a finished run promotes its version to the recipe's canonical, pure. Only a green, cold,
 * complete run of a published release that came from no pull request does; anything else says
 * why not (the result shows it).
 */
export function decidePromotion(input: PromoteInput): PromoteDecision {
  const no = (reason: string): PromoteDecision => ({ promote: false, reason })
  if (!input.enrolled) {
    return no('the recipe keeps no warm canonical (recipe.ts warmCanonical is not true)')
  }
  if (input.quick) {
    return no('a --quick run never promotes')
  }
  if (input.pr !== 'local' || input.ref?.startsWith('refs/pull/') === true) {
    return no('a pull request run never promotes')
  }
  if (input.headVersion === undefined) {
    return no('the code under test is not a published release tag')
  }
  if (!input.ok) {
    return no('the run did not pass')
  }
  const missing = TIERS.filter((tier) => {
    const t = input.tiers.find((r) => r.tier === tier)
    return t === undefined || (t.status !== 'pass' && t.status !== 'skip')
  })
  if (missing.length > 0) {
    return no(`not every tier ran (${missing.join(', ')})`)
  }
  return { promote: true, version: input.headVersion }
}
