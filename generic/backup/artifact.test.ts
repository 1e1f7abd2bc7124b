import { expect, test } from 'vitest'
import {
  isMarker,
  MARKER_FILE,
  useApp,
  type BackupArtifact,
  type MarkerRecord,
} from '../../harness/index.ts'

const artifact = () => useApp().get<BackupArtifact>('backup.artifact')

test('the backup is a real, non-empty artifact with an id', () => {
  const backup = artifact()
  expect(backup?.id).toMatch(/\S/)
  expect(backup?.sizeBytes, 'bytes in the artifact').toBeGreaterThan(0)
  expect(backup?.files.length, 'files in the artifact').toBeGreaterThan(0)
})

test('the backup holds every volume the backupbot labels select', async () => {
  const { app, driver } = useApp()
  const plan = await driver.backupPlan(app)
  expect([...(artifact()?.volumes ?? [])].sort()).toEqual(plan.volumes.map((v) => v.key).sort())
})

test('the backup holds the data marker written before it', (context) => {
  const marker = useApp().get<MarkerRecord>('backup.marker')
  if (!isMarker(marker)) {
    context.skip(marker?.skipped ?? 'no marker was written')
    return
  }
  expect(artifact()?.files).toContain(`${marker.key}/${MARKER_FILE}`)
})
