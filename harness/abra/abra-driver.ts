import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type {
  AppBackupPlan,
  AppDriver,
  AppRef,
  BackupArtifact,
  DeployedState,
  DeployOptions,
  DeployResult,
  ExecResult,
  LintResult,
  NewAppOptions,
  ServiceState,
  UndeployOptions,
} from '../driver/app-driver.ts'
import { checkHostAccess } from '../coop/host-access-check.ts'
import type { HostAccessGrant } from '../coop/host-access.ts'
import { renderApp } from '../coop/render-app.ts'
import { CcciError } from '../errors.ts'
import { checkout } from '../git/index.ts'
import type { Logger } from '../log.ts'
import { registerSecret } from '../redaction/redact.ts'
import { assertNewApp, readAppEnv } from '../coop/app-env.ts'
import { appSecrets } from '../coop/app-secrets.ts'
import { deployChoice } from '../coop/deploy-choice.ts'
import { setEnvValues } from '../coop/env-file.ts'
import { checkInsertedSecrets, planSecrets } from '../coop/secrets.ts'
import { checkStackNameLength } from '../coop/stack-name-limit.ts'
import { readAppVolumeFile, writeAppVolumeFiles } from '../coop/app-volume-files.ts'
import { deployedBackupPlan } from '../coop/deployed-backup-plan.ts'
import { extractJson, messagesOnly, parseWith } from './abra-output.ts'
import { appAbraDirPath, createdChaosMarker } from './app-abra-dir.ts'
import { AppPsSchema, psImages, psStates } from './app-ps.ts'
import { generatedSecretNames, parseGeneratedSecrets } from './generated-secrets.ts'
import { parseLintTable } from './lint-table.ts'
import { abraError } from './run-abra.ts'
import { AbraCli, type AbraTimeouts } from './abra-cli.ts'
import { createAbraBackup, restoreAbraBackup } from './abra-backups.ts'
import { removeAbraSecrets, removeAbraVolumes, undeployAbraApp } from './abra-teardown.ts'
import { appListed } from './app-listed.ts'

/** How the abra driver runs abra, and what it reports to the run. */
export interface AbraDriverOptions {
  /** Labels of the run (janitor, leftover check); exported to abra as CCCI_OWNER_LABELS. */
  ownerLabels: Record<string, string>
  log: Logger
  /** Called with each secret value the driver creates or inserts, so the run can redact it. */
  onSecretValue?: (value: string) => void
  /** Where downloaded backups are kept (the run folder's `backups/`). */
  backupDir: string
  /** Each app gets its own ABRA_DIR at `<workDir>/<stack>` (see prepareAbraDir). */
  workDir: string
  /** The abra executable: a name looked up on PATH (default `abra`) or a path. */
  abraBin?: string
  timeouts?: Partial<AbraTimeouts>
  /**
   * Let abra check that DOMAIN resolves to the server (default false: CI domains resolve through
   * the host's own wildcard, not public DNS, so deploys pass `--no-domain-checks`).
   */
  domainChecks?: boolean
  /** Host access the recipe's cc-ci config grants (recipe.ts `hostAccess`); none by default. */
  hostAccess?: readonly HostAccessGrant[]
}

/**
 * Drives the real `abra` CLI (docs/drivers.md): every operation is an abra command run under a
 * pseudo-terminal with a deadline, in an ABRA_DIR of the app's own. Docker is only read, except
 * for a final sweep of volumes and secrets abra leaves behind at teardown (it removes only the
 * secret versions named in the env, and may leave volumes) and for files in volumes (data
 * markers; abra has no command for them), which the volume helper writes as for the swarm driver.
 * Secrets never appear on a command line or in a log.
 */
export class AbraDriver implements AppDriver {
  readonly name = 'abra' as const
  /** abra calls on one app do not overlap. */
  readonly concurrentCalls = false
  readonly #options: AbraDriverOptions
  readonly #cli: AbraCli

  constructor(options: AbraDriverOptions) {
    this.#options = options
    this.#cli = new AbraCli({
      bin: options.abraBin ?? 'abra',
      workDir: options.workDir,
      ownerLabels: options.ownerLabels,
      log: options.log,
      timeouts: options.timeouts,
    })
  }

  async newApp(app: AppRef, options: NewAppOptions): Promise<void> {
    // abra truncates a longer stack name: its objects would not be the ones cc-ci looks for.
    checkStackNameLength(app.domain)
    assertNewApp(app)
    const version = options.chaos === true ? undefined : options.version
    await this.#cli.run(
      app,
      [
        'app',
        'new',
        app.recipe,
        ...(version === undefined ? [] : [version]),
        '--domain',
        app.domain,
        '--server',
        app.server,
        // Without --chaos abra checks out the latest release: keep the tree as it is instead.
        ...(version === undefined ? ['--chaos'] : []),
        '--no-input',
        '--offline',
      ],
      { hint: `abra could not create ${app.domain}; its message above says why` },
    )
    if (!existsSync(app.envFile)) {
      throw new CcciError(
        'CCCI_ABRA_NO_ENV',
        `\`abra app new\` succeeded but wrote no ${app.envFile}`,
        {
          hint: `is server ${app.server} known to abra under this ABRA_DIR (\`abra server ls\`)?`,
        },
      )
    }
    let text = readFileSync(app.envFile, 'utf8')
    text = setEnvValues(text, { DOMAIN: app.domain }, { file: app.envFile })
    text = setEnvValues(text, options.env ?? {}, { file: app.envFile })
    writeFileSync(app.envFile, text, { mode: 0o600 })
    const marker = createdChaosMarker(app, this.#options.workDir)
    if (version === undefined) {
      writeFileSync(marker, '')
    } else {
      rmSync(marker, { force: true })
    }
  }

  async generateSecrets(app: AppRef): Promise<string[]> {
    const { rendered, env, secretTemplates } = await renderApp(app)
    const plans = planSecrets(rendered, env, secretTemplates)
    // abra skips `generate=false` secrets: they must have been inserted already.
    checkInsertedSecrets(plans, new Set((await appSecrets(app.stack)).map((s) => s.name)))
    const result = await this.#cli.call(app, [
      'app',
      'secret',
      'generate',
      app.domain,
      '--all',
      '--machine',
      '--no-input',
    ])
    const shown = messagesOnly(result.output)
    let generated
    try {
      generated = parseGeneratedSecrets(result.output, result.command, shown)
    } catch (error) {
      if (result.timedOut || result.exitCode !== 0) {
        throw abraError(result, { secretOutput: true })
      }
      throw error
    }
    for (const { value } of generated) {
      registerSecret(value)
      this.#options.onSecretValue?.(value)
    }
    if (result.timedOut || result.exitCode !== 0) {
      throw abraError(result, {
        secretOutput: true,
        hint: 'abra names the secret it could not create; a name longer than 64 characters needs a shorter key or domain',
      })
    }
    return generatedSecretNames(generated, plans, result.command)
  }

  async insertSecret(app: AppRef, name: string, version: string, value: string): Promise<void> {
    registerSecret(value)
    this.#options.onSecretValue?.(value)
    // The value goes through a private file, never the command line (`ps` shows argv to all).
    const dir = mkdtempSync(join(tmpdir(), 'ccci-secret-'))
    try {
      const file = join(dir, 'value')
      writeFileSync(file, value, { mode: 0o600 })
      await this.#cli.run(
        app,
        ['app', 'secret', 'insert', app.domain, name, version, file, '-f', '--no-input'],
        { secretOutput: true },
      )
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }

  async deploy(app: AppRef, options: DeployOptions): Promise<DeployResult> {
    const started = Date.now()
    if (options.signal?.aborted === true) {
      throw new CcciError('CCCI_INTERRUPTED', `deploy of ${app.domain}: the run was interrupted`, {
        hint: 'the teardown removes what the run created; run it again',
      })
    }
    // As the swarm driver: an explicit version, else the one pinned in the env, else the tree;
    // abra deploys the pinned one itself when no version is named.
    const marker = createdChaosMarker(app, this.#options.workDir)
    const { chaos, pinned } = deployChoice(options, readAppEnv(app), {
      createdChaos: existsSync(marker),
    })
    const version = chaos ? undefined : options.version
    // What abra will deploy, checked against the host-access policy first, as the swarm driver does.
    const target = chaos ? undefined : (version ?? pinned)
    if (target !== undefined) {
      await checkout(app.recipeDir, target)
    }
    const hostAccess = checkHostAccess(
      app,
      (await renderApp(app)).rendered,
      this.#options.hostAccess ?? [],
      this.#options.log,
    )
    this.#options.log.step(
      `deploying ${app.domain} (${chaos ? 'chaos: the working tree' : (version ?? pinned)}) with abra`,
    )
    await this.#cli.run(
      app,
      [
        'app',
        'deploy',
        app.domain,
        ...(version === undefined ? [] : [version]),
        ...(chaos ? ['--chaos'] : []),
        '--force',
        '--no-input',
        '--offline',
        ...(this.#options.domainChecks === true ? [] : ['--no-domain-checks']),
      ],
      {
        timeoutMs:
          options.timeoutMs === undefined
            ? this.#cli.timeouts.deploy
            : options.timeoutMs + this.#cli.timeouts.command,
        progress: true,
        code: 'CCCI_ABRA_DEPLOY_FAILED',
        what: `deploy of ${app.domain} failed (abra)`,
        hint: 'abra says above which service did not converge; `docker service ps --no-trunc <stack>_<service>` shows why its tasks stopped',
      },
    )
    if (!chaos) {
      // abra pinned this version in the env: later deploys without one deploy it again.
      rmSync(marker, { force: true })
    }
    return { ...(await this.state(app)), durationMs: Date.now() - started, hostAccess }
  }

  undeploy(app: AppRef, options: UndeployOptions = {}): Promise<void> {
    return undeployAbraApp(this.#cli, app, options)
  }

  removeVolumes(app: AppRef): Promise<string[]> {
    return removeAbraVolumes(this.#cli, app, this.#options.log)
  }

  removeSecrets(app: AppRef): Promise<string[]> {
    return removeAbraSecrets(this.#cli, app, this.#options.log)
  }

  removeEnv(app: AppRef): Promise<void> {
    rmSync(app.envFile, { force: true })
    rmSync(appAbraDirPath(app, this.#options.workDir), { recursive: true, force: true })
    return Promise.resolve()
  }

  backup(app: AppRef): Promise<BackupArtifact> {
    return createAbraBackup(this.#cli, app, this.#options.backupDir, this.#options.log)
  }

  restore(app: AppRef, artifactId: string): Promise<void> {
    return restoreAbraBackup(this.#cli, app, artifactId, this.#options.log)
  }

  /** Read from the deployed services' labels, as backup-bot-two reads them. */
  backupPlan(app: AppRef): Promise<AppBackupPlan> {
    return deployedBackupPlan(app)
  }

  /** abra has no command for files in a volume: the volume helper reads them. */
  readVolumeFile(app: AppRef, volume: string, path: string): Promise<string | undefined> {
    return readAppVolumeFile(app, volume, path, this.#options)
  }

  writeVolumeFiles(app: AppRef, volume: string, files: Record<string, string>): Promise<void> {
    return writeAppVolumeFiles(app, volume, files, this.#options)
  }

  async ps(app: AppRef): Promise<ServiceState[]> {
    const result = await this.#cli.run(app, ['app', 'ps', app.domain, '--machine', '--no-input'])
    const ps = parseWith(
      AppPsSchema,
      extractJson(result.output, result.command),
      result.command,
      result.output,
    )
    return psStates(ps, app.stack)
  }

  async logs(app: AppRef, service: string, lines = 50): Promise<string> {
    // `app logs` follows the logs: what it printed until the deadline is the answer.
    const result = await this.#cli.call(
      app,
      ['app', 'logs', app.domain, service, '--tail', String(lines), '--no-input'],
      { timeoutMs: this.#cli.timeouts.logs },
    )
    if (!result.timedOut && result.exitCode !== 0) {
      throw abraError(result)
    }
    return result.output
  }

  async run(
    app: AppRef,
    service: string,
    command: string[],
    timeoutMs = 60_000,
  ): Promise<ExecResult> {
    const result = await this.#cli.call(
      app,
      ['app', 'run', app.domain, service, '--no-tty', '--', ...command],
      { timeoutMs },
    )
    if (result.timedOut) {
      throw abraError(result, {
        hint: `the command did not finish in ${service}; run it by hand to see why`,
      })
    }
    // Under the pseudo-terminal stdout and stderr arrive as one stream.
    return { exitCode: result.exitCode, stdout: result.output, stderr: '' }
  }

  async state(app: AppRef): Promise<DeployedState> {
    const listed = await appListed(this.#cli, app)
    const images = listed.deployed ? psImages(await this.ps(app)) : {}
    return { ...listed, images }
  }

  async lint(app: AppRef): Promise<LintResult> {
    const result = await this.#cli.run(
      app,
      ['recipe', 'lint', app.recipe, '--chaos', '--offline', '--no-input'],
      {
        code: 'CCCI_ABRA_LINT_FAILED',
        what: `abra could not lint ${app.recipe}`,
        hint: 'abra lints every compose*.yml of the recipe; its message above names what it cannot read',
      },
    )
    return parseLintTable(result.output, result.command)
  }
}
