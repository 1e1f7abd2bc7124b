import { test } from 'vitest'
import { expectConverged, useApp } from '../../harness/index.ts'

test('every service of the app runs its desired tasks', async () => {
  await expectConverged(useApp())
})
