import type { AppHandle } from '../harness/testing/app-handle.ts'

/**
 * A tier's operation on the one deployment, performed once before the tier's assertion files.
 * What it returns is stored in the run state as `<tier>.*` for the tier's tests and later tiers.
 */
export type TierOp = (app: AppHandle) => Promise<Record<string, unknown>>

/** Thrown by a tier operation that does not apply: the tier is skipped with the reason. */
export class TierSkip extends Error {
  constructor(reason: string) {
    super(reason)
    this.name = 'TierSkip'
  }
}
