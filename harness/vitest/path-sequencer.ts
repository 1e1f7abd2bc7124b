import { BaseSequencer, type TestSpecification } from 'vitest/node'
import { groupOrder } from '../run/tier-names.ts'
import { tierOfFile, tiersOf } from './context.ts'

/** The place of a file in the run: its tier's, whether the tier has a project of its own or not. */
function order(spec: TestSpecification): number {
  const tier = tierOfFile(tiersOf(spec.project), spec.moduleId)
  return tier === undefined ? Number.MAX_SAFE_INTEGER : groupOrder(tier.tier)
}

/** Runs tiers in `groupOrder`, and the files of a tier by path (Vitest's default sorts by timing). */
export class PathSequencer extends BaseSequencer {
  override sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return Promise.resolve(
      [...files].sort((a, b) => order(a) - order(b) || a.moduleId.localeCompare(b.moduleId)),
    )
  }
}
