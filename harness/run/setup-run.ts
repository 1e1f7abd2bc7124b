import { runAppEnv } from './run-app-env.ts'
import { existsSync } from 'node:fs'
import type { Settings } from '../config/settings.ts'
import type { AppDriver } from '../driver/app-driver.ts'
import { hostCa } from '../host/local-host.ts'
import { findOrphans, reapOrphans } from '../janitor/janitor.ts'
import { pruneSourceCaches } from '../janitor/prune-files.ts'
import type { Logger } from '../log.ts'
import { expectedStatuses, type RecipeConfig } from '../recipe/recipe-config.ts'
import { appHandle, runDriver } from '../testing/app-handle.ts'
import type { RunContext } from '../vitest/context.ts'
import { checkoutHead } from './checkout-head.ts'
import { chooseVersions, versionWarnings, type VersionChoice } from './choose-versions.ts'
import { findInstallSteps } from './hooks.ts'
import { throwIfInterrupted } from './interrupted.ts'
import { checkHeadAccess } from './head-access.ts'
import { lintHead } from './lint-head.ts'
import { openRun, type OpenedRun } from './open-run.ts'
import type { PreparedSource } from './source.ts'
import { updateState } from './state.ts'
import type { TierDefinition } from './tier-definition.ts'
import type { Tier } from './tier-names.ts'
import { operationContext, outcomeOf, record } from './tier-runner.ts'
import type { Trigger } from './trigger.ts'
import { provisionDependencies } from '../deps/provision-deps.ts'
import { QUICK_SKIPS, type QuickDecision } from '../warm/quick-plan.ts'

export interface SetupInput {
  settings: Settings
  recipe: string
  config: RecipeConfig
  configDir: string | undefined
  source: PreparedSource
  trigger: Trigger
  /** Whether the run is quick, decided once by the config (`planRecipe`). */
  quick: QuickDecision
  /** The tiers the command line selected. */
  tiers: Tier[]
  definitions: readonly TierDefinition[]
  repoLocalApproved: boolean
  log: Logger
  signal: AbortSignal
}

/** What setup created, as far as it got: the teardown cleans up after whatever is set. */
export interface RunHandle {
  opened?: OpenedRun
  driver?: AppDriver
  context?: RunContext
}

/**
 * The global setup's steps, in order: reap what earlier runs left, open the run (lease, domain,
 * folders), check out the code under test, choose the versions, lint, then the setup tier's
 * operation (install: the one deploy). Throws only for what stops a run before it deploys; a
 * failing install is the install tier's outcome. Whatever it creates is on the cleanup stack.
 */
export async function setupRun(input: SetupInput, handle: RunHandle): Promise<RunContext> {
  const { settings, recipe, source, log, signal } = input
  await reapEarlierRuns(settings, log)
  throwIfInterrupted(signal)
  const opened = await openRun(settings, recipe, input.trigger)
  handle.opened = opened
  log.step(
    `run ${opened.runId}: ${recipe} at ${source.commit.slice(0, 8)} (${source.src}${source.ref === undefined ? '' : ` ${source.ref}`}) on ${opened.domain}, driver ${opened.driverName}`,
  )
  await checkoutHead(opened.app, source)
  const chosen = await chooseVersions(
    opened.app.recipeDir,
    source.commit,
    input.tiers.includes('upgrade'),
  )
  const quick = input.quick
  const versions = quick.quick
    ? { ...chosen, baseVersion: quick.version, upgradeSkip: undefined }
    : chosen
  const context = runContextOf(input, opened, versions, quick.quick)
  handle.context = context
  const driver = runDriver(context, log)
  handle.driver = driver
  const lint = await lintHead(driver, opened.app, log)
  const hostAccess = await checkHeadAccess(opened.app, context.hostAccess, log)
  const warnings = [
    ...versionWarnings(versions),
    ...(quick.quick || quick.why === undefined ? [] : [`--quick asked, ran cold: ${quick.why}`]),
  ]
  for (const warning of warnings) {
    log.warn(warning)
  }
  updateState(opened.runDir, (state) => {
    state.data.lint = lint
    state.data.hostAccessRefusal = hostAccess
    state.data['setup.warnings'] = warnings
  })
  recordUpgradeSkip(opened.runDir, versions, input.tiers)
  if (quick.quick) {
    log.info(
      `quick run: the canonical at ${quick.version} is reattached, then upgraded to the head; ${Object.keys(QUICK_SKIPS).join(' and ')} are left to cold runs`,
    )
    recordSkips(opened.runDir, QUICK_SKIPS, input.tiers)
  }
  // Setup step "dependencies": a realm per run and the like, before the one deploy.
  context.appEnv = {
    ...context.appEnv,
    ...(await provisionDependencies(settings, input.config, context, log)),
  }
  await performSetupTier(input.definitions, context, driver, log, signal)
  return context
}

/** Setup step "janitor": removes what crashed or interrupted runs of this host left behind. */
async function reapEarlierRuns(settings: Settings, log: Logger): Promise<void> {
  const orphans = await findOrphans(settings)
  if (orphans.length > 0) {
    const reaped = await reapOrphans(settings, orphans, log)
    log.info(
      `janitor: removed ${reaped.removed.length} leftover(s) of ${orphans.length} earlier run(s)${reaped.failed.length > 0 ? `; could not remove: ${reaped.failed.join('; ')}` : ''}`,
    )
  }
  pruneSourceCaches(settings.home)
}

/** When the upgrade cannot be tested (no earlier release), it is skipped with the reason. */
function recordUpgradeSkip(runDir: string, versions: VersionChoice, tiers: readonly Tier[]): void {
  if (versions.upgradeSkip !== undefined) {
    recordSkips(runDir, { upgrade: versions.upgradeSkip }, tiers)
  }
}

/** Tiers the run will not perform, each skipped with its reason (when selected). */
function recordSkips(
  runDir: string,
  skips: Partial<Record<Tier, string>>,
  tiers: readonly Tier[],
): void {
  updateState(runDir, (state) => {
    for (const [tier, reason] of Object.entries(skips) as [Tier, string][]) {
      if (tiers.includes(tier)) {
        state.ops[tier] = {
          status: 'skip',
          reason,
          startedAt: new Date().toISOString(),
          durationMs: 0,
          details: {},
        }
      }
    }
  })
}

/** Setup step "deploy once": the setup tier's operation, its outcome recorded as that tier's. */
async function performSetupTier(
  definitions: readonly TierDefinition[],
  context: RunContext,
  driver: AppDriver,
  log: Logger,
  signal: AbortSignal,
): Promise<void> {
  const definition = definitions.find((d) => d.when === 'setup')
  if (definition === undefined) {
    return
  }
  throwIfInterrupted(signal)
  const app = appHandle(context, driver, log)
  const outcome = await outcomeOf(() =>
    definition.operation(operationContext(app, definition.name, signal)),
  )
  if (outcome.status === 'fail') {
    log.warn(`${definition.name} failed: ${outcome.error ?? ''}`)
  }
  record(app, definition.name, outcome)
}

/** What every tier of the run is given (`inject('ccci.run')`). */
function runContextOf(
  input: SetupInput,
  opened: OpenedRun,
  versions: VersionChoice,
  quick: boolean,
): RunContext {
  const { settings, config, source } = input
  const deployVersion = versions.baseVersion ?? versions.headVersion
  const port = settings.proxyPort === 443 ? '' : `:${settings.proxyPort}`
  const repoLocal = source.repoLocalDir
  return {
    runId: opened.runId,
    runDir: opened.runDir,
    resultsDir: opened.resultsDir,
    recipe: input.recipe,
    domain: opened.domain,
    stack: opened.app.stack,
    url: `https://${opened.domain}${port}/`,
    driver: opened.driverName,
    server: settings.server,
    recipeDir: opened.app.recipeDir,
    envFile: opened.app.envFile,
    headCommit: source.commit,
    headVersion: versions.headVersion,
    baseVersion: versions.baseVersion,
    deployVersion,
    appEnv: runAppEnv(config, input.recipe, opened.domain, settings.domainSuffix),
    installSteps: findInstallSteps(
      input.configDir,
      input.repoLocalApproved && repoLocal !== undefined && existsSync(repoLocal)
        ? repoLocal
        : undefined,
    ),
    configDir: input.configDir,
    expectedVersionLabel: deployVersion,
    expectedChaosVersion: deployVersion === undefined ? source.commit.slice(0, 8) : undefined,
    health: { path: config.health.path, statuses: expectedStatuses(config) },
    loopbackSuffix: settings.proxy === 'local' ? settings.domainSuffix : undefined,
    ca: hostCa(settings),
    hostAccess: config.hostAccess,
    backupCapableOverride: config.backupCapable,
    deployTimeoutMs:
      config.timeouts.deploy === undefined ? undefined : config.timeouts.deploy * 1000,
    installStepsTimeoutMs: (config.timeouts['install-steps'] ?? 600) * 1000,
    expectedNA: config.expectedNA,
    quick,
  }
}
