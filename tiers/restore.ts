import {
  CcciError,
  defineTier,
  isMarker,
  mutateAfterBackup,
  syncLocalProxy,
  type BackupArtifact,
  type MarkerRecord,
} from '../harness/index.ts'

/** Restore: change the data after the backup, then put the backup taken by the backup tier back. */
export const restore = defineTier({
  name: 'restore',
  summary: 'the backup comes back: the data marker is restored, the later change is gone',
  requires: ['install', 'backup'],
  timeoutSeconds: 600,
  hook: 'preRestore',
  when: 'tier',
  records: { restored: 'the id of the backup put back' },
  async operation(handle) {
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
    await syncLocalProxy(log)
    return { restored: artifact.id }
  },
})
