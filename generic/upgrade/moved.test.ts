import { expect, test } from 'vitest'
import { type DeployedState, useApp } from '../../harness/index.ts'

test('the deployment moved from the last release to the code under test', async () => {
  const { driver, app, run, get } = useApp()
  const before = get<DeployedState>('upgrade.before')
  const now = await driver.state(app)
  expect(before?.version, 'the base deployment was the previous release').toBe(run.baseVersion)
  expect(
    { chaos: now.chaos, commit: now.chaosVersion?.replace(/\+U$/, '') },
    `coop-cloud.${app.stack}.chaos / .chaos-version after the upgrade`,
  ).toEqual({ chaos: true, commit: run.headCommit.slice(0, 8) })
  const moved = {
    version: before?.version !== now.version,
    images: JSON.stringify(before?.images) !== JSON.stringify(now.images),
    chaosVersion: before?.chaosVersion !== now.chaosVersion,
  }
  expect(
    Object.values(moved).some(Boolean),
    `nothing changed: ${JSON.stringify({ before, now })}`,
  ).toBe(true)
})
