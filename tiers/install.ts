import {
  defineTier,
  insertDependencySecrets,
  reattachCanonical,
  refuseFailedLint,
  refuseHostAccess,
  runInstallSteps,
  syncLocalProxy,
  throwIfInterrupted,
  type ErrorData,
  type RunLint,
} from '../harness/index.ts'

/**
 * Install: the run's one `app new` + deploy, performed by the global setup before any tier file:
 * the app env from `.env.sample` plus the recipe's extraEnv, `install-steps.sh`, the secrets, the
 * deploy at the base version (the head when there is no earlier release), until it converges.
 */
export const install = defineTier({
  name: 'install',
  summary: 'the recipe deploys and converges, answers over HTTPS and carries its version labels',
  requires: [],
  timeoutSeconds: 300,
  hook: 'preInstall',
  when: 'setup',
  records: {
    secrets: 'the names of the secrets generated for the app',
    deployed: 'what the deploy reported (version, chaos, images, duration)',
    routeWarnings: "the app's Traefik routers the local proxy did not route, and why",
    reattached:
      'a --quick run: the known-good snapshot the app was filled from (id, version, volumes)',
  },
  async operation(context) {
    const { app, driver, run, log, signal } = context
    // abra refuses to deploy a recipe that fails an error-level lint rule; so does install.
    refuseFailedLint(context.get<RunLint>('lint'))
    // A pull request that asks for the CI host gets no deployment at all.
    refuseHostAccess(context.get<ErrorData>('hostAccessRefusal'))
    const version = run.deployVersion
    context.registerUndo('env-file')
    context.registerUndo('proxy-routes')
    await driver.newApp(
      app,
      version === undefined ? { chaos: true, env: run.appEnv } : { version, env: run.appEnv },
    )
    if (run.installSteps !== undefined) {
      await runInstallSteps(run.installSteps, app, log, run.installStepsTimeoutMs, signal)
    }
    throwIfInterrupted(signal)
    context.registerUndo('secrets')
    // What a dependency gave the app (the OIDC client secret), inserted as an operator would.
    await insertDependencySecrets(driver, app, run.runDir)
    // A quick run gets a copy of its warm canonical (its secrets and data); a cold run, new secrets.
    const prepared = run.quick
      ? await reattachCanonical(context)
      : { secrets: await driver.generateSecrets(app) }
    context.registerUndo('volumes')
    context.registerUndo('stack')
    context.countDeploy()
    const deployed = await driver.deploy(app, {
      ...(version === undefined ? { chaos: true } : { version }),
      timeoutMs: run.deployTimeoutMs,
      signal,
    })
    const routeWarnings = await syncLocalProxy(log, app.stack)
    return { ...prepared, deployed, routeWarnings }
  },
})
