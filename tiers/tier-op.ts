import type { AppHandle } from '../harness/testing/app-handle.ts'

/**
 * A tier's operation on the one deployment, performed once before the tier's assertion files.
 * What it returns is stored in the run state as `<tier>.*` for the tier's tests and later tiers.
 */
export type TierOp = (app: AppHandle) => Promise<Record<string, unknown>>
