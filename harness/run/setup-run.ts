import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import type { Tier } from './tier-names.ts'
import type { Settings } from '../config/settings.ts'
import type { AppDriver, AppRef, LintResult } from '../driver/app-driver.ts'
import { CcciError, describeError } from '../errors.ts'
import { checkout, cloneRepo, listTags, showFile, tagsAt } from '../git/index.ts'
import { hostCa } from '../host/local-host.ts'
import type { Logger } from '../log.ts'
import { expectedStatuses, resolveExtraEnv, type RecipeConfig } from '../recipe/recipe-config.ts'
import { latestVersion, previousVersion, sortVersions } from '../recipe/versions.ts'
import { redact, registerSecret } from '../redaction/redact.ts'
import { stackServices } from '../docker/index.ts'
import type { RunContext } from '../vitest/context.ts'
import { appRef, createDriver, resolveDriverName } from '../driver/driver-factory.ts'
import { runDomain, siblingDomain } from './domain.ts'
import { findInstallSteps, runInstallSteps } from './hooks.ts'
import { findOrphans, reapOrphans } from '../janitor/janitor.ts'
import { ownerLabels } from '../janitor/owner-labels.ts'
import { syncLocalProxy } from '../proxy/proxy-sync.ts'
import { acquireLease, releaseLease } from '../janitor/lease.ts'
import { pruneSourceCaches } from '../janitor/prune-files.ts'
import type { PreparedSource } from './source.ts'
import type { RunHandle } from './teardown-run.ts'
import { updateState, writeState, type OpOutcome } from './state.ts'
import type { Trigger } from './trigger.ts'

/** What the run keeps of lint: the driver's result, or why it could not lint. */
export type RunLint = LintResult & { error?: string }

export interface SetupInput {
  settings: Settings
  recipe: string
  config: RecipeConfig
  configDir: string | undefined
  source: PreparedSource
  trigger: Trigger
  tiers: Tier[]
  repoLocalApproved: boolean
  log: Logger
  signal: AbortSignal
}

/** The file a run keeps its generated secret values in (0600), to redact them everywhere. */
export function redactFile(runDir: string): string {
  return join(runDir, 'redact.json')
}

/**
 * Remembers a secret value the run created, in this process and in the run's redaction file, so
 * the main process (reporter, teardown) redacts values that tier workers created too.
 */
export function recordSecret(runDir: string, value: string): void {
  registerSecret(value)
  const file = redactFile(runDir)
  const values = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as string[]) : []
  writeFileSync(file, JSON.stringify([...values, value]), { mode: 0o600 })
}

function newRunId(recipe: string): string {
  return `${recipe.slice(0, 12)}-${Date.now().toString(36)}-${randomBytes(2).toString('hex')}`
}

function checkAborted(signal: AbortSignal): void {
  if (signal.aborted) {
    throw new CcciError('CCCI_INTERRUPTED', 'the run was interrupted during setup', {
      hint: 'the teardown removes what the run created; run it again',
    })
  }
}

/** Base and head versions: what is deployed first, and whether an upgrade can be tested. */
export interface VersionChoice {
  headVersion: string | undefined
  baseVersion: string | undefined
  /** Why the upgrade tier cannot run, when it cannot. */
  upgradeSkip: string | undefined
}

export async function chooseVersions(
  repo: string,
  commit: string,
  upgradeSelected: boolean,
): Promise<VersionChoice> {
  // Only releases in the head's history: a PR branched before the newest release upgrades from
  // the release it was branched after, not over a newer one.
  const tags = (await listTags(repo, { mergedInto: commit })).map((t) => t.name)
  const atHead = sortVersions(await tagsAt(repo, commit))
  const headVersion = atHead.at(-1)?.raw
  if (!upgradeSelected) {
    return { headVersion, baseVersion: undefined, upgradeSkip: 'upgrade tier not selected' }
  }
  const base = headVersion === undefined ? latestVersion(tags) : previousVersion(tags, headVersion)
  if (base === undefined) {
    return { headVersion, baseVersion: undefined, upgradeSkip: 'no previous published version' }
  }
  return { headVersion, baseVersion: base.raw, upgradeSkip: undefined }
}

/**
 * Deploy once: everything between "exactly one recipe selected" and "tiers may run". Throws only
 * for problems found before anything is deployed (a broken recipe, a busy domain); a failing
 * install is recorded in the state as the install tier's outcome.
 */
export async function setupRun(input: SetupInput, handle: RunHandle): Promise<RunContext> {
  const { settings, recipe, config, source, trigger, log, signal } = input
  const orphans = await findOrphans(settings)
  if (orphans.length > 0) {
    const reaped = await reapOrphans(settings, orphans, log)
    log.info(
      `janitor: removed ${reaped.removed.length} leftover(s) of ${orphans.length} earlier run(s)${reaped.failed.length > 0 ? `; could not remove: ${reaped.failed.join('; ')}` : ''}`,
    )
  }
  pruneSourceCaches(settings.home)
  checkAborted(signal)
  const runId = newRunId(recipe)
  const runDir = join(settings.home, 'runs', runId)
  const resultsDir = join(settings.home, 'results', runId)
  const domain = runDomain(
    recipe,
    trigger.pr,
    trigger.ref ?? 'default',
    settings.domainSuffix,
    trigger.src,
  )
  const app = appRef(settings, recipe, domain, join(runDir, 'recipe'))
  await acquireLease(settings.home, {
    runId,
    recipe,
    domain,
    stack: app.stack,
    runDir,
    envFile: app.envFile,
  })
  const squatter = existsSync(app.envFile)
    ? `its env file ${app.envFile}`
    : (await stackServices(app.stack)).length > 0
      ? `a stack ${app.stack}`
      : undefined
  if (squatter !== undefined) {
    releaseLease(settings.home, runId)
    throw new CcciError(
      'CCCI_DOMAIN_BUSY',
      `${domain} is taken: ${squatter} exists and no run of this host owns it`,
      {
        hint: `another cc-ci (another CCCI_HOME) or a person deployed it; remove it (\`docker stack rm ${app.stack}\`, the env file) or test with another --pr; nothing was deployed`,
      },
    )
  }
  Object.assign(handle, { runId, runDir, resultsDir, app })
  mkdirSync(resultsDir, { recursive: true })
  mkdirSync(runDir, { recursive: true })
  const driverName = resolveDriverName(settings)
  writeState(runDir, {
    version: 1,
    runId,
    recipe,
    domain,
    stack: app.stack,
    driver: driverName,
    envFile: app.envFile,
    recipeDir: app.recipeDir,
    createdAt: new Date().toISOString(),
    installs: 0,
    ops: {},
    failedTiers: [],
    data: {},
  })
  log.step(
    `run ${runId}: ${recipe} at ${source.commit.slice(0, 8)} (${source.src}${source.ref === undefined ? '' : ` ${source.ref}`}) on ${domain}, driver ${driverName}`,
  )

  await cloneRepo(source.cacheRepo, app.recipeDir)
  await checkout(app.recipeDir, source.commit)
  for (const required of ['compose.yml', '.env.sample']) {
    if ((await showFile(app.recipeDir, source.commit, required)) === undefined) {
      throw new CcciError(
        'CCCI_RECIPE_INVALID',
        `recipe ${recipe} at ${source.commit.slice(0, 8)} has no ${required}`,
        {
          hint:
            required === 'compose.yml'
              ? 'a recipe needs compose.yml at its root'
              : 'a recipe needs .env.sample at its root (abra lint R008)',
        },
      )
    }
  }
  const versions = await chooseVersions(
    app.recipeDir,
    source.commit,
    input.tiers.includes('upgrade'),
  )
  const secretsFile = redactFile(runDir)
  writeFileSync(secretsFile, '[]', { mode: 0o600 })
  const driver = createDriver(driverName, {
    ownerLabels: ownerLabels(runId, recipe, settings.home),
    log,
    backupDir: join(runDir, 'backups'),
    onSecretValue: (value) => recordSecret(runDir, value),
  })
  handle.driver = driver
  await lintHead(driver, app, runDir, log)
  const deployVersion = versions.baseVersion ?? versions.headVersion
  const started = Date.now()
  const install: OpOutcome = {
    status: 'pass',
    startedAt: new Date().toISOString(),
    durationMs: 0,
    details: {},
  }
  try {
    checkAborted(signal)
    const env = {
      LETS_ENCRYPT_ENV: '',
      ...resolveExtraEnv(config, {
        domain,
        suffix: settings.domainSuffix,
        recipe,
        sibling: (label) => siblingDomain(domain, label),
      }),
    }
    await driver.newApp(
      app,
      deployVersion === undefined ? { chaos: true, env } : { version: deployVersion, env },
    )
    const hook = findInstallSteps(input.configDir, approvedRepoLocal(input))
    if (hook !== undefined) {
      await runInstallSteps(hook, app, log, undefined, signal)
    }
    checkAborted(signal)
    const secrets = await driver.generateSecrets(app)
    install.details.secrets = secrets
    updateState(runDir, (s) => {
      s.installs += 1
    })
    const deployed = await driver.deploy(app, {
      ...(deployVersion === undefined ? { chaos: true } : { version: deployVersion }),
      timeoutMs: config.timeouts.deploy === undefined ? undefined : config.timeouts.deploy * 1000,
      signal,
    })
    install.details.deployed = deployed
    await syncLocalProxy(log)
  } catch (error) {
    install.status = 'fail'
    install.error = redact(describeError(error))
    log.warn(`install failed: ${install.error}`)
  }
  install.durationMs = Date.now() - started
  updateState(runDir, (s) => {
    s.ops.install = install
    if (install.status === 'fail') {
      s.failedTiers.push('install')
    }
    if (versions.upgradeSkip !== undefined && input.tiers.includes('upgrade')) {
      s.ops.upgrade = {
        status: 'skip',
        reason: versions.upgradeSkip,
        startedAt: new Date().toISOString(),
        durationMs: 0,
        details: {},
      }
    }
  })
  const port = settings.proxyPort === 443 ? '' : `:${settings.proxyPort}`
  const context: RunContext = {
    runId,
    runDir,
    resultsDir,
    recipe,
    domain,
    stack: app.stack,
    url: `https://${domain}${port}/`,
    driver: driverName,
    server: settings.server,
    recipeDir: app.recipeDir,
    envFile: app.envFile,
    headCommit: source.commit,
    headVersion: versions.headVersion,
    baseVersion: versions.baseVersion,
    expectedVersionLabel: deployVersion,
    expectedChaosVersion: deployVersion === undefined ? source.commit.slice(0, 8) : undefined,
    health: { path: config.health.path, statuses: expectedStatuses(config) },
    loopbackSuffix: settings.proxy === 'local' ? settings.domainSuffix : undefined,
    ca: hostCa(settings),
    backupCapableOverride: config.backupCapable,
    deployTimeoutMs:
      config.timeouts.deploy === undefined ? undefined : config.timeouts.deploy * 1000,
    expectedNA: config.expectedNA,
  }
  return context
}

/** `recipe lint` (or the swarm driver's own checks) on the code under test, kept in the state for the results. */
async function lintHead(
  driver: AppDriver,
  app: AppRef,
  runDir: string,
  log: Logger,
): Promise<void> {
  let lint: RunLint
  try {
    lint = await driver.lint(app)
  } catch (error) {
    lint = { ok: false, rules: [], error: redact(describeError(error)) }
  }
  const failed = lint.rules.filter((r) => r.level === 'error' && !r.satisfied && !r.skipped)
  log.info(
    `lint: ${lint.ok ? 'pass' : `fail (${failed.map((r) => r.ref).join(', ') || (lint.error ?? '')})`}`,
  )
  updateState(runDir, (state) => {
    state.data.lint = lint
  })
}

function approvedRepoLocal(input: SetupInput): string | undefined {
  const dir = input.source.repoLocalDir
  return input.repoLocalApproved && dir !== undefined && existsSync(dir) ? dir : undefined
}
