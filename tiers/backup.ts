import { seedMarker } from '../harness/run/data-marker.ts'
import { TierSkip, type TierOp } from './tier-op.ts'

/**
 * Backup: seed the generic data marker, then take one backup of the deployed app following its
 * backupbot labels. Not backup-capable (no `backupbot.backup=true`, or `backupCapable: false`):
 * skipped as N/A, and restore with it.
 */
export const backupOp: TierOp = async (handle) => {
  const { app, driver, log, run } = handle
  // Judged on what is deployed now: an upgrade may have added (or dropped) the backupbot labels.
  const capable = run.backupCapableOverride ?? (await driver.backupPlan(app)).capable
  if (!capable) {
    throw new TierSkip(
      run.expectedNA.backup ??
        'N/A: no service carries backupbot.backup=true (backupCapable is false)',
    )
  }
  const marker = await seedMarker(handle)
  const artifact = await driver.backup(app)
  log.info(`backup ${artifact.id} holds volumes ${artifact.volumes.join(', ') || 'none'}`)
  return { artifact, marker }
}
