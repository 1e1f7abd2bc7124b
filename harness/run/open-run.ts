import { existsSync, mkdirSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import type { Settings } from '../config/settings.ts'
import { stackServices } from '../docker/index.ts'
import type { AppRef } from '../driver/app-driver.ts'
import { appRef, resolveDriverName } from '../driver/driver-factory.ts'
import { CcciError } from '../errors.ts'
import { acquireLease, releaseLease } from '../janitor/lease.ts'
import { checkStackNameLength } from '../coop/stack-name-limit.ts'
import { runDomain } from './domain.ts'
import { initRunSecrets } from './run-secrets.ts'
import { writeState } from './state.ts'
import type { Trigger } from './trigger.ts'

/** The identity and the folders of one run. */
export interface OpenedRun {
  runId: string
  /** `<home>/runs/<runId>`: state, secrets, the recipe checkout, backups; removed by teardown. */
  runDir: string
  /** `<home>/results/<runId>`: what the run leaves for people and Drone. */
  resultsDir: string
  domain: string
  app: AppRef
  driverName: 'swarm' | 'abra'
}

function newRunId(recipe: string): string {
  return `${recipe.slice(0, 12)}-${Date.now().toString(36)}-${randomBytes(2).toString('hex')}`
}

/**
 * Setup step "open the run": its id and domain, the lease (taken before anything is created, so
 * the janitor never reaps a live run), a refusal of a domain someone else deployed, the run and
 * results folders and a fresh state file.
 */
export async function openRun(
  settings: Settings,
  recipe: string,
  trigger: Trigger,
): Promise<OpenedRun> {
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
  // Before anything exists: abra would truncate a longer stack name and its names would diverge.
  checkStackNameLength(domain)
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
    cleanup: [],
  })
  initRunSecrets(runDir)
  return { runId, runDir, resultsDir, domain, app, driverName }
}
