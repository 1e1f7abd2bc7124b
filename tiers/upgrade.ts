import { checkout } from '../harness/git/index.ts'
import { addNewSampleKeys } from '../harness/coop/env-upgrade.ts'
import { syncLocalProxy } from '../harness/proxy/proxy-sync.ts'
import type { TierOp } from './tier-op.ts'

/**
 * Upgrade: redeploy the code under test in place, over the published base version, the way
 * `abra app deploy --chaos` does: check out the head commit, deploy the working tree, stamp the
 * chaos labels with its commit. Settings and secrets the new version adds are added first, as an
 * operator would (and reported).
 */
export const upgradeOp: TierOp = async ({ app, driver, run, log }) => {
  const before = await driver.state(app)
  log.step(
    `upgrading ${app.domain} from ${before.version ?? '?'} to ${run.headCommit.slice(0, 8)} (chaos deploy in place)`,
  )
  await checkout(app.recipeDir, run.headCommit)
  // What an operator does for an upgrade that brings new settings or secrets.
  const envAdded = addNewSampleKeys(app)
  if (envAdded.length > 0) {
    log.warn(
      `the new .env.sample adds ${envAdded.join(', ')}: added to the app env, as an operator would`,
    )
  }
  const secretsAdded = await driver.generateSecrets(app)
  if (secretsAdded.length > 0) {
    log.info(`generated the secrets the upgrade adds: ${secretsAdded.join(', ')}`)
  }
  const after = await driver.deploy(app, { chaos: true, timeoutMs: run.deployTimeoutMs })
  await syncLocalProxy()
  return { before, after, envAdded, secretsAdded }
}
