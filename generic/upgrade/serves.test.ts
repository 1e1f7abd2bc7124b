import { test } from 'vitest'
import { expectConverged, expectServes, useApp } from '../../harness/index.ts'

test('after the upgrade every service runs its desired tasks', async () => {
  await expectConverged(useApp())
})

test('after the upgrade the app still answers over HTTPS', async () => {
  await expectServes(useApp())
})
