import type { RunState } from './state.ts'
import type { TierDefinition } from './tier-definition.ts'

/** Why a tier cannot run given what earlier tiers did, or undefined when it can. */
export function blockedBy(
  definition: Pick<TierDefinition, 'requires'>,
  state: Pick<RunState, 'failedTiers' | 'ops'>,
): string | undefined {
  for (const required of definition.requires) {
    if (state.failedTiers.includes(required)) {
      return `prerequisite tier ${required} failed`
    }
    const op = state.ops[required]
    if (op === undefined) {
      return `prerequisite tier ${required} did not run`
    }
    if (op.status === 'skip') {
      return `prerequisite tier ${required} was skipped${op.reason === undefined ? '' : ` (${op.reason})`}`
    }
  }
  return undefined
}
