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

export async function runInstallSteps(
  file: string,
  app: AppRef,
  log: Logger,
  timeoutMs = 600_000,
): Promise<void> {
  log.step(`running ${file}`)
  const result = await tryCommand('sh', ['-eu', file], {
    cwd: app.recipeDir,
    timeoutMs,
    env: { CCCI_APP_DOMAIN: app.domain, CCCI_RECIPE: app.recipe, CCCI_APP_ENV: app.envFile },
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
