import { expect, test } from 'vitest'
import type { Settings } from '../../harness/config/settings.ts'
import type { HostStatus } from '../../harness/host/local-host.ts'
import { hostCheck, startHostCheck } from '../../harness/vitest/host-check.ts'

const STARTED = Symbol.for('cc-ci.host-check')
const holder = globalThis as { [STARTED]?: Promise<HostStatus> }

test('the preflight takes the host check the config started, once', () => {
  const started = Promise.resolve({ ready: true } as HostStatus)
  holder[STARTED] = started
  const settings = {} as Settings
  expect(hostCheck(settings)).toBe(started)
  expect(holder[STARTED]).toBeUndefined()
})

test('only `vitest run` with a --project starts one', async () => {
  await startHostCheck(['node', 'vitest.mjs', 'list', '--project', 'tiny-html'])
  await startHostCheck(['node', 'vitest.mjs', 'run'])
  expect(holder[STARTED]).toBeUndefined()
})
