import { CcciError } from '../harness/errors.ts'
import type { BackupArtifact } from '../harness/driver/app-driver.ts'
import { syncLocalProxy } from '../harness/run/proxy-sync.ts'
import type { TierOp } from './tier-op.ts'

/** Restore: put the backup taken by the backup tier back into the running app. */
export const restoreOp: TierOp = async ({ app, driver, log, get }) => {
  const artifact = get<BackupArtifact>('backup.artifact')
  if (artifact === undefined) {
    throw new CcciError('CCCI_NO_BACKUP', 'the backup tier recorded no backup to restore', {
      hint: 'run the backup tier in the same run (it is a prerequisite of restore)',
    })
  }
  log.step(`restoring ${app.domain} from backup ${artifact.id}`)
  await driver.restore(app, artifact.id)
  await syncLocalProxy()
  return { restored: artifact.id }
}
