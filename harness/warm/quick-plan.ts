import type { Tier } from '../run/tier-names.ts'
import type { CanonicalRecord } from './canonical-record.ts'

/**
 * The tiers a quick run skips, and why: it checks the change against the canonical's real data
 * (install = the canonical reattached, upgrade = the change deployed over it, custom = the
 * recipe's own tests); backup and restore do not depend on the change's data path and are left to
 * cold runs, which take them whole.
 */
export const QUICK_SKIPS: Partial<Record<Tier, string>> = {
  backup: 'left to cold runs by a --quick run',
  restore: 'left to cold runs by a --quick run',
}

export type QuickDecision =
  | { quick: true; version: string }
  /** `why` it runs cold although asked (undefined: not asked). */
  | { quick: false; why: string | undefined }

/**
 * Whether a run asked to be quick can be: only against a healthy canonical with a readable
 * known-good; otherwise the run is cold, and the result says why. The version deployed is the
 * one the known-good's data belongs to (its manifest), whatever the registry says.
 */
export function decideQuick(input: {
  asked: boolean
  enrolled: boolean
  record: CanonicalRecord | undefined
  /** The known-good's version, or why it could not be read. */
  snapshot: { version: string } | { problem: string }
}): QuickDecision {
  if (!input.asked) {
    return { quick: false, why: undefined }
  }
  const cold = (why: string): QuickDecision => ({ quick: false, why })
  if (!input.enrolled) {
    return cold('the recipe keeps no warm canonical (recipe.ts warmCanonical is not true)')
  }
  if (input.record === undefined || input.record.status !== 'ok') {
    return cold('the recipe has no canonical yet (the nightly `ccci sweep` seeds it)')
  }
  if ('problem' in input.snapshot) {
    return cold(`the canonical's known-good is unusable: ${input.snapshot.problem}`)
  }
  return { quick: true, version: input.snapshot.version }
}

/** What a quick run would do, tier by tier, for `ccci plan --quick`. */
export function describeQuickPlan(decision: QuickDecision): string[] {
  if (!decision.quick) {
    return [`--quick: the run would be cold: ${decision.why ?? 'not asked'}`]
  }
  const does: Record<Tier, string> = {
    install: `reattaches a copy of the canonical's known-good data at ${decision.version}`,
    upgrade: 'deploys the code under test over that data, in place',
    backup: `skipped: ${QUICK_SKIPS.backup ?? ''}`,
    restore: `skipped: ${QUICK_SKIPS.restore ?? ''}`,
    custom: "runs the recipe's own tests on the upgraded copy",
  }
  return [
    `--quick: against the canonical at ${decision.version}; never promotes, never changes the canonical`,
    ...Object.entries(does).map(([tier, what]) => `  ${tier.padEnd(8)} ${what}`),
  ]
}
