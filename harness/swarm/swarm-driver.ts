import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type {
  AppBackupPlan,
  AppDriver,
  AppRef,
  UndeployOptions,
  BackupArtifact,
  DeployedState,
  DeployOptions,
  DeployResult,
  ExecResult,
  LintResult,
  NewAppOptions,
  ServiceState,
} from '../driver/app-driver.ts'
import {
  createSecret,
  deployStack,
  execInContainer,
  isExternal,
  listSecrets,
  removeObject,
  removeObjectPatiently,
  removeStack,
  type RenderedStack,
  serviceLogs,
  stackServices,
  stackVolumes,
} from '../docker/index.ts'
import { CcciError } from '../errors.ts'
import { checkout, headCommit, isDirty } from '../git/index.ts'
import type { Logger } from '../log.ts'
import { registerSecret } from '../redaction/redact.ts'
import { assertNewApp, readAppEnv } from '../coop/app-env.ts'
import { checkHostAccess } from '../coop/host-access-check.ts'
import type { HostAccessGrant } from '../coop/host-access.ts'
import { renderApp } from '../coop/render-app.ts'
import { appSecrets, STACK_LABEL } from '../coop/app-secrets.ts'
import { deployChoice } from '../coop/deploy-choice.ts'
import { describeConvergence, stackConvergence, waitForConvergence } from './converge.ts'
import { parseEnvFile, setEnvValue, setEnvValues } from '../coop/env-file.ts'
import { recipeTypeKey } from '../coop/recipe-type.ts'
import { checkStackNameLength } from '../coop/stack-name-limit.ts'
import { createBackup, restoreBackup, type BackupOptions } from './backup.ts'
import { lintRecipe } from '../coop/lint.ts'
import { readAppVolumeFile, writeAppVolumeFiles } from '../coop/app-volume-files.ts'
import { deployedBackupPlan } from '../coop/deployed-backup-plan.ts'
import { buildOverride } from './override.ts'
import { runningContainer } from './service-container.ts'
import { waitForStackGone } from '../docker/stack-gone.ts'
import {
  checkInsertedSecrets,
  generateSecretValue,
  planSecrets,
  secretName,
} from '../coop/secrets.ts'

const DEFAULT_TIMEOUT_S = 300

export interface SwarmDriverOptions {
  /** Labels put on everything the driver creates (the run's owner labels). */
  ownerLabels: Record<string, string>
  log: Logger
  /** Called with each secret value the driver creates, so the run can redact it. */
  onSecretValue?: (value: string) => void
  /** Where backups are kept (the run folder's `backups/`). */
  backupDir: string
  /** Host access the recipe's cc-ci config grants (recipe.ts `hostAccess`); none by default. */
  hostAccess?: readonly HostAccessGrant[]
}

/** Deploys recipes straight onto Docker Swarm following abra's conventions (docs/drivers.md). */
export class SwarmDriver implements AppDriver {
  readonly name = 'swarm' as const
  readonly concurrentCalls = true
  readonly #options: SwarmDriverOptions

  constructor(options: SwarmDriverOptions) {
    this.#options = options
  }

  #labels(app: AppRef): Record<string, string> {
    return { ...this.#options.ownerLabels, [STACK_LABEL]: app.stack }
  }

  async newApp(app: AppRef, options: NewAppOptions): Promise<void> {
    checkStackNameLength(app.domain)
    assertNewApp(app)
    if (options.chaos !== true && options.version !== undefined) {
      await checkout(app.recipeDir, options.version)
    }
    const samplePath = join(app.recipeDir, '.env.sample')
    if (!existsSync(samplePath)) {
      throw new CcciError('CCCI_RECIPE_NO_ENV_SAMPLE', `recipe ${app.recipe} has no .env.sample`, {
        hint: 'every recipe needs a .env.sample at its root (abra lint R008); abra copies it to create an app',
      })
    }
    const sample = readFileSync(samplePath, 'utf8').replaceAll(
      `${app.recipe}.example.com`,
      app.domain,
    )
    const type =
      options.version === undefined || options.chaos === true
        ? app.recipe
        : `${app.recipe}:${options.version}`
    // abra reads RECIPE= in place of TYPE= and pins the version in whichever the sample uses.
    const typeKey = recipeTypeKey(parseEnvFile(sample, { file: samplePath }).values)
    let text = setEnvValues(sample, { DOMAIN: app.domain, [typeKey]: type }, { file: samplePath })
    text = setEnvValues(text, options.env ?? {}, { file: samplePath })
    mkdirSync(dirname(app.envFile), { recursive: true })
    writeFileSync(app.envFile, text, { mode: 0o600 })
    readAppEnv(app)
  }

  async generateSecrets(app: AppRef): Promise<string[]> {
    const { rendered, env, secretTemplates } = await renderApp(app)
    const plans = planSecrets(rendered, env, secretTemplates)
    const existing = new Set((await listSecrets()).map((s) => s.name))
    checkInsertedSecrets(plans, existing)
    const created: string[] = []
    for (const plan of plans) {
      // generate=false: inserted before (checked above), never generated, as abra does.
      if (!plan.generate) {
        continue
      }
      if (existing.has(plan.name)) {
        this.#options.log.warn(`secret ${plan.name} already exists; kept as it is`)
        continue
      }
      const value = generateSecretValue(plan)
      registerSecret(value)
      this.#options.onSecretValue?.(value)
      await createSecret(plan.name, value, this.#labels(app))
      created.push(plan.name)
    }
    return created
  }

  async insertSecret(app: AppRef, name: string, version: string, value: string): Promise<void> {
    registerSecret(value)
    this.#options.onSecretValue?.(value)
    await createSecret(secretName(app.stack, name, version), value, this.#labels(app))
  }

  async deploy(app: AppRef, options: DeployOptions): Promise<DeployResult> {
    const started = Date.now()
    const log = this.#options.log
    const { chaos, version } = deployChoice(options, readAppEnv(app))
    if (version !== undefined) {
      await checkout(app.recipeDir, version)
    }
    const { rendered, vars, appEnv, files } = await renderApp(app)
    const hostAccess = checkHostAccess(app, rendered, this.#options.hostAccess ?? [], log)
    await this.#checkSecrets(app, rendered)
    const chaosVersion = chaos ? await chaosStamp(app.recipeDir) : undefined
    const appLabels = rendered.services.app?.deploy?.labels ?? {}
    const recipeVersion = appLabels[`coop-cloud.${app.stack}.version`]
    const override = buildOverride({
      app,
      rendered,
      ownerLabels: this.#labels(app),
      abra: { version: version ?? recipeVersion ?? chaosVersion ?? 'unknown', chaos, chaosVersion },
      appEnv,
    })
    const scratch = mkdtempSync(join(tmpdir(), 'ccci-deploy-'))
    try {
      const overrideFile = join(scratch, 'compose.ccci.yml')
      writeFileSync(overrideFile, override)
      log.step(
        `deploying ${app.domain} (${chaos ? `chaos ${chaosVersion}` : version}) with ${files.join(', ')}`,
      )
      await deployStack(app.stack, [...files, overrideFile], { cwd: app.recipeDir, env: vars })
    } finally {
      rmSync(scratch, { recursive: true, force: true })
    }
    const timeoutLabel = Number(appLabels[`coop-cloud.${app.stack}.timeout`])
    const timeoutMs =
      options.timeoutMs ??
      (Number.isFinite(timeoutLabel) && timeoutLabel > 0 ? timeoutLabel : DEFAULT_TIMEOUT_S) * 1000
    await waitForConvergence(app.stack, {
      timeoutMs,
      signal: options.signal,
      onProgress: (line) => log.info(`  ${line}`),
    })
    if (version !== undefined) {
      const text = readFileSync(app.envFile, 'utf8')
      const typeKey = recipeTypeKey(parseEnvFile(text, { file: app.envFile }).values)
      writeFileSync(app.envFile, setEnvValue(text, typeKey, `${app.recipe}:${version}`))
    }
    return { ...(await this.state(app)), durationMs: Date.now() - started, hostAccess }
  }

  async #checkSecrets(app: AppRef, rendered: RenderedStack): Promise<void> {
    const existing = new Set((await listSecrets()).map((s) => s.name))
    const missing = Object.entries(rendered.secrets)
      .filter(([, entry]) => isExternal(entry))
      .map(([key, entry]) => entry?.name ?? key)
      .filter((name) => !existing.has(name))
    if (missing.length > 0) {
      throw new CcciError(
        'CCCI_SECRETS_MISSING',
        `secrets missing for ${app.domain}: ${missing.join(', ')}`,
        {
          hint: 'secrets are generated when the app is created; a name ending in `_` means its SECRET_<KEY>_VERSION is missing from the app env (add it to .env.sample)',
        },
      )
    }
  }

  async undeploy(app: AppRef, options: UndeployOptions = {}): Promise<void> {
    if ((await stackServices(app.stack)).length > 0) {
      await removeStack(app.stack)
    }
    await waitForStackGone(app.stack, 120_000, 'docker stack rm', options)
  }

  /** Every volume of the stack at once; each is tried, the first failure is thrown after all. */
  async removeVolumes(app: AppRef): Promise<string[]> {
    const volumes = await stackVolumes(app.stack)
    await allSettledOrThrow(volumes.map((volume) => removeObjectPatiently(volume, 30_000)))
    return volumes.map((v) => v.name)
  }

  /** Every secret of the app at once; each is tried, the first failure is thrown after all. */
  async removeSecrets(app: AppRef): Promise<string[]> {
    const secrets = await appSecrets(app.stack)
    await allSettledOrThrow(secrets.map((secret) => removeObject(secret)))
    return secrets.map((s) => s.name)
  }

  removeEnv(app: AppRef): Promise<void> {
    rmSync(app.envFile, { force: true })
    return Promise.resolve()
  }

  #backupOptions(app: AppRef): BackupOptions {
    return {
      backupDir: this.#options.backupDir,
      ownerLabels: this.#labels(app),
      log: this.#options.log,
    }
  }

  /** A backup as backup-bot-two makes one, following the backupbot labels (harness/swarm/backup.ts). */
  backup(app: AppRef): Promise<BackupArtifact> {
    return createBackup(app, this.#backupOptions(app))
  }

  restore(app: AppRef, artifactId: string): Promise<void> {
    return restoreBackup(app, artifactId, this.#backupOptions(app))
  }

  backupPlan(app: AppRef): Promise<AppBackupPlan> {
    return deployedBackupPlan(app)
  }

  readVolumeFile(app: AppRef, volume: string, path: string): Promise<string | undefined> {
    return readAppVolumeFile(app, volume, path, this.#backupOptions(app))
  }

  writeVolumeFiles(app: AppRef, volume: string, files: Record<string, string>): Promise<void> {
    return writeAppVolumeFiles(app, volume, files, this.#backupOptions(app))
  }

  async ps(app: AppRef): Promise<ServiceState[]> {
    const states = await stackConvergence(app.stack)
    return states
      .map((s) => ({
        service: s.service.name.slice(app.stack.length + 1),
        image: s.service.image,
        desired: s.desired,
        running: s.running,
        status: describeConvergence([s], app.stack),
      }))
      .sort((a, b) => a.service.localeCompare(b.service))
  }

  logs(app: AppRef, service: string, lines = 50): Promise<string> {
    return serviceLogs(`${app.stack}_${service}`, lines)
  }

  async run(
    app: AppRef,
    service: string,
    command: string[],
    timeoutMs = 60_000,
  ): Promise<ExecResult> {
    const container = await runningContainer(app, service)
    return execInContainer(container, command, { timeoutMs })
  }

  async state(app: AppRef): Promise<DeployedState> {
    const services = await stackServices(app.stack)
    const labels = services.find((s) => s.name === `${app.stack}_app`)?.labels ?? {}
    const ns = `coop-cloud.${app.stack}`
    return {
      deployed: services.length > 0,
      version: labels[`${ns}.version`],
      chaos: labels[`${ns}.chaos`] === 'true',
      chaosVersion: labels[`${ns}.chaos-version`],
      images: Object.fromEntries(
        services.map((s) => [s.name.slice(app.stack.length + 1), s.image]),
      ),
    }
  }

  /** The checks of `abra recipe lint` the driver can make itself (harness/coop/lint.ts). */
  lint(app: AppRef): Promise<LintResult> {
    return lintRecipe(app)
  }
}

/** abra's chaos stamp: the short commit of the working tree, `+U` when it has uncommitted changes. */
export async function chaosStamp(dir: string): Promise<string> {
  const sha = (await headCommit(dir)).slice(0, 8)
  return (await isDirty(dir)) ? `${sha}+U` : sha
}

/** Waits for every one of `work`; then rejects with the first failure, if any. */
async function allSettledOrThrow(work: readonly Promise<unknown>[]): Promise<void> {
  const failed = (await Promise.allSettled(work)).find((r) => r.status === 'rejected')
  if (failed !== undefined) {
    throw failed.reason
  }
}
