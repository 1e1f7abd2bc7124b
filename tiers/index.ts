import { backupOp } from './backup.ts'
import { customOp } from './custom.ts'
import { installOp } from './install.ts'
import { restoreOp } from './restore.ts'
import type { TierOp } from './tier-op.ts'
import type { Tier } from '../harness/run/tier-names.ts'
import { upgradeOp } from './upgrade.ts'

export * from '../harness/run/tier-names.ts'
export { TierSkip, type TierOp } from './tier-op.ts'

export const TIER_OPS: Record<Tier, TierOp> = {
  install: installOp,
  upgrade: upgradeOp,
  backup: backupOp,
  restore: restoreOp,
  custom: customOp,
}
