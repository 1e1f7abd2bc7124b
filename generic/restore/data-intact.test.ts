import { test, expect } from 'vitest'
import {
  isMarker,
  MARKER_FILE,
  MUTATION_FILE,
  readMarkerFile,
  type MarkerRecord,
  expectConverged,
  expectServes,
  useApp,
} from '../../harness/index.ts'

// The marker was written by the backup tier, before this file is collected: its value can name the tests.
const recorded = useApp().get<MarkerRecord>('backup.marker')
const marker = isMarker(recorded) ? recorded : undefined
const why = isMarker(recorded) ? undefined : (recorded?.skipped ?? 'no marker was written')

test(`the marker written before the backup (${marker?.value ?? 'none'}) is back after the restore`, async (context) => {
  if (marker === undefined) {
    context.skip(why)
    return
  }
  expect(await readMarkerFile(useApp(), marker, MARKER_FILE), `${marker.key}/${MARKER_FILE}`).toBe(
    marker.value,
  )
})

test(`the change made after the backup (${marker?.key ?? 'none'}/${MUTATION_FILE}) is gone after the restore`, async (context) => {
  if (marker === undefined) {
    context.skip(why)
    return
  }
  expect(
    await readMarkerFile(useApp(), marker, MUTATION_FILE),
    `${marker.key}/${MUTATION_FILE}`,
  ).toBeUndefined()
})

test('after the restore every service runs its desired tasks', async () => {
  await expectConverged(useApp())
})

test('after the restore the app answers over HTTPS', async () => {
  await expectServes(useApp())
})
