import { test } from 'vitest'
import { expectServes, useApp } from '../../harness/index.ts'

test('the app answers over HTTPS with the expected status', async () => {
  await expectServes(useApp())
})
