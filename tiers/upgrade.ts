import { addNewSampleKeys, checkout, defineTier, syncLocalProxy } from '../harness/index.ts'

/**
 * Upgrade: redeploy the code under test in place, over the published base version, the way
 * `abra app deploy --chaos` does: check out the head commit, deploy the working tree, stamp the
 * chaos labels with its commit. Settings and secrets the new version adds are added first, as an
 * operator would (and reported). Skipped when there is no earlier release to upgrade from.
 */
export const upgrade = defineTier({
  name: 'upgrade',
  summary: 'the app moves from the last release to the code under test in place, and still serves',
  requires: ['install'],
  timeoutSeconds: 600,
  hook: 'preUpgrade',
  when: 'tier',
  records: {
    before: 'the deployed state before the upgrade',
    after: 'the deployed state after it',
    envAdded: 'keys the new .env.sample added to the app env',
    secretsAdded: 'secrets the new version added',
    routeWarnings: "the app's Traefik routers the local proxy did not route, and why",
  },
  async operation({ app, driver, run, log, registerUndo }) {
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
    registerUndo('secrets')
    const secretsAdded = await driver.generateSecrets(app)
    if (secretsAdded.length > 0) {
      log.info(`generated the secrets the upgrade adds: ${secretsAdded.join(', ')}`)
    }
    const after = await driver.deploy(app, { chaos: true, timeoutMs: run.deployTimeoutMs })
    const routeWarnings = await syncLocalProxy(log, app.stack)
    return { before, after, envAdded, secretsAdded, routeWarnings }
  },
})
