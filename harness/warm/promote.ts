import { mkdirSync, rmSync } from 'node:fs'
import { dirname } from 'node:path'
import type { Settings } from '../config/settings.ts'
import { stackServices } from '../docker/index.ts'
import type { AppDriver, AppRef } from '../driver/app-driver.ts'
import { describeError } from '../errors.ts'
import { withLock } from '../files/file-lock.ts'
import { cloneRepo } from '../git/index.ts'
import type { Logger } from '../log.ts'
import { syncLocalProxy } from '../proxy/proxy-sync.ts'
import type { RecipeConfig } from '../recipe/recipe-config.ts'
import { runAppEnv } from '../run/run-app-env.ts'
import { canonicalApp, canonicalDriver, warmLabels } from './canonical-app.ts'
import { insertCanonicalSecrets } from './canonical-secrets.ts'
import { checkCanonicalHealth } from './canonical-health.ts'
import { readCanonical, writeCanonical } from './canonical-record.ts'
import { faultPoint } from './fault-point.ts'
import {
  readKnownGood,
  readSnapshotSecrets,
  replaceKnownGood,
  type Snapshot,
} from './known-good.ts'
import { archiveVolumes, fillVolumes, stackVolumeKeys } from './volume-snapshot.ts'
import { canonicalLock } from './warm-paths.ts'

/** A marker file the promotion writes into the canonical's first volume: whose data this is. */
export const CANONICAL_MARKER = '.ccci-canonical'

export interface PromoteRequest {
  settings: Settings
  recipe: string
  config: RecipeConfig
  /** The published version to promote (the run's head tag). */
  version: string
  commit: string
  /** A git repository holding that version (the run's source cache). */
  repo: string
  log: Logger
}

export interface PromoteOutcome {
  version: string
  snapshot: string
  volumes: string[]
  durationMs: number
}

/**
 * Promotes a version to the recipe's canonical, holding the canonical's lock: deploy the
 * canonical at that version on its stable domain (over its own volumes, or the known-good's data
 * when they are gone), check that it answers, undeploy, snapshot every volume, swap the
 * known-good, write the registry. On failure the canonical's volumes are put back to the
 * known-good and the known-good is untouched; the error is thrown for the caller to report.
 */
export async function promoteCanonical(request: PromoteRequest): Promise<PromoteOutcome> {
  const { settings, recipe } = request
  return withLock(canonicalLock(settings.home, recipe), () => promoteLocked(request), 1_800_000)
}

async function promoteLocked(request: PromoteRequest): Promise<PromoteOutcome> {
  const { settings, recipe, config, version, log } = request
  const started = Date.now()
  const app = canonicalApp(settings, recipe)
  const driver = canonicalDriver(settings, recipe, config, log)
  const helper = { ownerLabels: warmLabels(recipe, settings.home), log }
  const knownGood = await readKnownGood(settings.home, recipe)
  log.step(`promoting ${recipe} ${version} to its canonical ${app.domain}`)
  // What a crashed promotion may have left deployed or inserted.
  await putAway(driver, app)
  try {
    rmSync(app.recipeDir, { recursive: true, force: true })
    mkdirSync(dirname(app.recipeDir), { recursive: true })
    await cloneRepo(request.repo, app.recipeDir)
    await driver.removeEnv(app)
    await driver.newApp(app, {
      version,
      env: runAppEnv(config, recipe, app.domain, settings.domainSuffix),
    })
    const secrets = await insertCanonicalSecrets(
      driver,
      app,
      knownGood === undefined ? {} : readSnapshotSecrets(knownGood),
    )
    if ((await stackVolumeKeys(app.stack)).length === 0 && knownGood !== undefined) {
      log.info(`the canonical's volumes are gone: refilling them from ${knownGood.id}`)
      await fillVolumes(app, knownGood.dir, knownGood.manifest.volumes, helper.ownerLabels, helper)
    }
    faultPoint('promote-deploy')
    await driver.deploy(app, {
      version,
      timeoutMs: config.timeouts.deploy === undefined ? undefined : config.timeouts.deploy * 1000,
    })
    await syncLocalProxy(log, app.stack)
    faultPoint('promote-health')
    await checkCanonicalHealth(settings, app.domain, config)
    const volumes = await stackVolumeKeys(app.stack)
    const first = volumes[0]
    if (first !== undefined) {
      await driver.writeVolumeFiles(app, first.key, {
        [CANONICAL_MARKER]: `${recipe} ${version} ${request.commit}\n`,
      })
    }
    faultPoint('promote-undeploy')
    await putAway(driver, app)
    const snapshot = await replaceKnownGood(settings.home, recipe, secrets, async (dir) => ({
      recipe,
      recipeVersion: version,
      commit: request.commit,
      createdAt: new Date().toISOString(),
      volumes: await archiveVolumes(app, volumes, dir, helper),
      secrets: Object.keys(secrets).sort(),
    }))
    faultPoint('promote-registry')
    writeCanonical(settings.home, {
      recipe,
      domain: app.domain,
      version,
      commit: request.commit,
      status: 'ok',
      ts: new Date().toISOString(),
    })
    log.info(`canonical of ${recipe} is now ${version} (snapshot ${snapshot.id})`)
    return {
      version,
      snapshot: snapshot.id,
      volumes: volumes.map((v) => v.key),
      durationMs: Date.now() - started,
    }
  } catch (error) {
    await recover(request, app, driver, knownGood).catch((recovery: unknown) =>
      log.warn(`could not put the canonical back: ${describeError(recovery)}`),
    )
    throw error
  }
}

/** Undeploys the canonical (if deployed), takes its route off the proxy, removes its secrets. */
async function putAway(driver: AppDriver, app: AppRef): Promise<void> {
  if ((await stackServices(app.stack)).length > 0) {
    await driver.undeploy(app)
  }
  await syncLocalProxy(undefined, app.stack)
  await driver.removeSecrets(app)
}

/**
 * After a failed promotion: nothing deployed, and the canonical's volumes hold the known-good
 * again (the failed version may have migrated them). Without a known-good, the registry says the
 * seeding failed, so the next sweep tries again.
 */
async function recover(
  request: PromoteRequest,
  app: AppRef,
  driver: AppDriver,
  knownGood: Snapshot | undefined,
): Promise<void> {
  const { settings, recipe, log } = request
  await putAway(driver, app)
  if (knownGood !== undefined) {
    const helper = { ownerLabels: warmLabels(recipe, settings.home), log }
    await fillVolumes(app, knownGood.dir, knownGood.manifest.volumes, helper.ownerLabels, helper)
    return
  }
  // Half-migrated data of a first seed is no one's known-good: the next seed starts empty.
  await driver.removeVolumes(app)
  if (readCanonical(settings.home, recipe)?.status !== 'ok') {
    writeCanonical(settings.home, {
      recipe,
      domain: app.domain,
      version: request.version,
      commit: request.commit,
      status: 'failed',
      ts: new Date().toISOString(),
    })
  }
}
