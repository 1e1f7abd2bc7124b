import { expect, test } from 'vitest'
import { useApp } from '../../harness/index.ts'

test('the deployment carries the version it was asked to deploy', async () => {
  const { driver, app, run } = useApp()
  const state = await driver.state(app)
  // A published version is deployed as itself; a head that is not published is deployed as chaos,
  // stamped with its short commit (`+U` when the tree was dirty).
  const chaos = run.expectedVersionLabel === undefined
  const actual = chaos
    ? { chaos: state.chaos, chaosVersion: state.chaosVersion?.replace(/\+U$/, '') }
    : { chaos: state.chaos, version: state.version }
  const expected = chaos
    ? { chaos: true, chaosVersion: run.expectedChaosVersion }
    : { chaos: false, version: run.expectedVersionLabel }
  expect(actual, `labels coop-cloud.${app.stack}.* of the app service`).toEqual(expected)
})
