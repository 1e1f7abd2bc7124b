import type { TierOp } from './tier-op.ts'

/** Custom: the recipe's own tests; no operation of its own. */
export const customOp: TierOp = () => Promise.resolve({})
