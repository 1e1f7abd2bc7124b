import { BaseSequencer, type TestSpecification } from 'vitest/node'

/** Runs tiers in `groupOrder`, and the files of a tier by path (Vitest's default sorts by timing). */
export class PathSequencer extends BaseSequencer {
  override sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return Promise.resolve(
      [...files].sort(
        (a, b) =>
          a.project.config.sequence.groupOrder - b.project.config.sequence.groupOrder ||
          a.moduleId.localeCompare(b.moduleId),
      ),
    )
  }
}
