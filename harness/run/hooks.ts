import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { AppRef } from '../driver/app-driver.ts'
import { CcciError } from '../errors.ts'
import type { Logger } from '../log.ts'
import { commandError, tryCommand } from '../process/index.ts'
import { redact } from '../redaction/redact.ts'

/**
 * `install-steps.sh`: runs after `app new` and before the deploy, from the recipe's cc-ci folder
 * (or, for an approved recipe, the repo's own `tests/install-steps.sh`), with the app's domain,
 * recipe and env file. Its failure fails install with its output.
 */
export function findInstallSteps(
  configDir: string | undefined,
  repoLocalDir: string | undefined,
): string | undefined {
  const candidates = [
    repoLocalDir && join(repoLocalDir, 'install-steps.sh'),
    configDir && join(configDir, 'install-steps.sh'),
  ]
  return candidates.find((file): file is string => typeof file === 'string' && existsSync(file))
}

/**
 * The whole environment of `install-steps.sh` (docs/writing-a-recipe.md): PATH, HOME and LANG
 * of cc-ci, and the app's domain, recipe and env file. Nothing else of the CI host reaches it.
 */
export function installStepsEnv(
  app: Pick<AppRef, 'domain' | 'recipe' | 'envFile'>,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string | undefined> {
  return {
    PATH: env.PATH,
    HOME: env.HOME,
    LANG: env.LANG,
    CCCI_APP_DOMAIN: app.domain,
    CCCI_RECIPE: app.recipe,
    CCCI_APP_ENV: app.envFile,
  }
}

/** Variables `tryCommand`'s clean environment would keep that install-steps.sh must not see. */
const NOT_FOR_INSTALL_STEPS = {
  USER: undefined,
  TMPDIR: undefined,
  DOCKER_HOST: undefined,
  DOCKER_CONFIG: undefined,
}

/**
 * Runs `install-steps.sh` with `sh -eu` in the recipe checkout, with {@link installStepsEnv} only.
 * `signal` (the run's, aborted on SIGINT/SIGTERM) stops it at once, with whatever it started.
 */
export async function runInstallSteps(
  file: string,
  app: AppRef,
  log: Logger,
  timeoutMs = 600_000,
  signal?: AbortSignal,
): Promise<void> {
  log.step(`running ${file}`)
  const result = await tryCommand('sh', ['-eu', file], {
    cwd: app.recipeDir,
    timeoutMs,
    cleanEnv: true,
    env: { ...NOT_FOR_INSTALL_STEPS, ...installStepsEnv(app) },
    signal,
    processGroup: true,
    onLine: (line) => log.info(`  install-steps: ${line}`),
  })
  if (result.exitCode !== 0 || result.timedOut) {
    const error = commandError(result, {
      timeoutMs,
      redact,
      hint: `fix ${file}; it runs between app new and deploy`,
    })
    throw new CcciError('CCCI_INSTALL_STEPS', `install-steps.sh failed: ${error.message}`, {
      evidence: error.evidence,
      hint: error.hint,
    })
  }
}
