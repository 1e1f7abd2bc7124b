import { randomBytes } from 'node:crypto'
import type { AppHandle } from '../testing/app-handle.ts'

/**
 * The generic data-integrity proof: before the backup, a marker file with a random value goes into
 * a volume the backup takes whole; after the backup, the marker is changed and a new file added;
 * the restore must bring the marker back and remove the new file. Recipes whose backups select
 * only some paths prove integrity with their own ops.ts hooks instead.
 */
export const MARKER_FILE = '.ccci-marker'
export const MUTATION_FILE = '.ccci-mutation'

export interface Marker {
  volume: string
  key: string
  value: string
}

export type MarkerRecord = Marker | { skipped: string }

/** Writes the marker into the first volume the backup takes whole, or says why there is none. */
export async function seedMarker(handle: AppHandle): Promise<MarkerRecord> {
  const plan = await handle.driver.backupPlan(handle.app)
  const whole = plan.volumes.find((v) => v.paths === 'all')
  if (whole === undefined) {
    return {
      skipped:
        'the backup selects only some paths of each volume; prove data integrity with ops.ts hooks',
    }
  }
  const marker = {
    volume: whole.volume,
    key: whole.key,
    value: `ccci-${randomBytes(6).toString('hex')}`,
  }
  await handle.driver.writeVolumeFiles(handle.app, whole.key, { [MARKER_FILE]: marker.value })
  handle.log.info(`data marker ${marker.value} written to volume ${marker.key}`)
  return marker
}

/** After the backup: change the marker and add a file, so the restore has something to undo. */
export async function mutateAfterBackup(handle: AppHandle, marker: Marker): Promise<void> {
  await handle.driver.writeVolumeFiles(handle.app, marker.key, {
    [MARKER_FILE]: `${marker.value}-changed-after-backup`,
    [MUTATION_FILE]: 'made after the backup',
  })
}

export function readMarkerFile(
  handle: AppHandle,
  marker: Marker,
  name: string,
): Promise<string | undefined> {
  return handle.driver.readVolumeFile(handle.app, marker.key, name)
}

export function isMarker(record: MarkerRecord | undefined): record is Marker {
  return record !== undefined && 'value' in record
}
