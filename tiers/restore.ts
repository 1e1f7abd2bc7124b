import type { BackupArtifact } from '../harness/driver/app-driver.ts'
import { CcciError } from '../harness/errors.ts'
import { isMarker, mutateAfterBackup, type MarkerRecord } from '../harness/run/data-marker.ts'
import { syncLocalProxy } from '../harness/proxy/proxy-sync.ts'
import type { TierOp } from './tier-op.ts'

/** Restore: change the data after the backup, then put the backup taken by the backup tier back. */
export const restoreOp: TierOp = async (handle) => {
  const { app, driver, log, get } = handle
  const artifact = get<BackupArtifact>('backup.artifact')
  if (artifact === undefined) {
    throw new CcciError('CCCI_NO_BACKUP', 'the backup tier recorded no backup to restore', {
      hint: 'run the backup tier in the same run (it is a prerequisite of restore)',
    })
  }
  const marker = get<MarkerRecord>('backup.marker')
  if (isMarker(marker)) {
    await mutateAfterBackup(handle, marker)
    log.info(`data marker changed and ${marker.key}/.ccci-mutation added after the backup`)
  }
  await driver.restore(app, artifact.id)
  await syncLocalProxy()
  return { restored: artifact.id }
}
