import { checkout } from '../harness/git/index.ts'
import { syncLocalProxy } from '../harness/run/proxy-sync.ts'
import type { TierOp } from './tier-op.ts'

/**
 * Upgrade: redeploy the code under test in place, over the published base version, the way
 * `abra app deploy --chaos` does: check out the head commit, deploy the working tree, stamp the
 * chaos labels with its commit.
 */
export const upgradeOp: TierOp = async ({ app, driver, run, log }) => {
  const before = await driver.state(app)
  log.step(
    `upgrading ${app.domain} from ${before.version ?? '?'} to ${run.headCommit.slice(0, 8)} (chaos deploy in place)`,
  )
  await checkout(app.recipeDir, run.headCommit)
  const after = await driver.deploy(app, { chaos: true })
  await syncLocalProxy()
  return { before, after }
}
