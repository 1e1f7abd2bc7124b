import { existsSync, lstatSync, mkdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import type { AppRef } from '../driver/app-driver.ts'
import { CcciError } from '../errors.ts'

/**
 * The abra state folder an app's env file lives in: `AppRef.envFile` is
 * `<ABRA_DIR>/servers/<server>/<domain>.env`, where abra looks for it.
 */
export function sharedAbraDir(app: AppRef): string {
  const serverDir = dirname(app.envFile)
  const serversDir = dirname(serverDir)
  if (
    basename(app.envFile) !== `${app.domain}.env` ||
    basename(serverDir) !== app.server ||
    basename(serversDir) !== 'servers'
  ) {
    throw new CcciError(
      'CCCI_ABRA_ENV_PATH',
      `the env file of ${app.domain} is ${app.envFile}, not <ABRA_DIR>/servers/${app.server}/${app.domain}.env`,
      { hint: 'abra finds apps only there; build the AppRef with appRef() from settings' },
    )
  }
  return dirname(serversDir)
}

/** Where the app's own ABRA_DIR is: `<workDir>/<stack>`. */
export function appAbraDirPath(app: AppRef, workDir: string): string {
  return join(workDir, app.stack)
}

/** Makes `path` a symlink to `target` (replacing a stale link); refuses to replace anything else. */
function ensureLink(path: string, target: string): void {
  let stat
  try {
    stat = lstatSync(path)
  } catch {
    stat = undefined
  }
  if (stat?.isSymbolicLink() === true) {
    if (resolve(dirname(path), readlinkSync(path)) === target) {
      return
    }
    rmSync(path)
  } else if (stat !== undefined) {
    throw new CcciError('CCCI_ABRA_DIR', `${path} exists and is not a symlink to ${target}`, {
      hint: `remove ${path}; cc-ci links it to the run's own recipe checkout`,
    })
  }
  mkdirSync(dirname(path), { recursive: true })
  symlinkSync(target, path)
}

/**
 * The app's own ABRA_DIR (see docs/drivers.md): `servers/` (and `catalogue/`, when
 * there is one) link to the shared abra folder, so the app's env file is where everybody expects
 * it; `recipes/<recipe>` links to the run's own checkout, so abra deploys exactly the tree under
 * test and parallel runs of one recipe never move each other's checkout. Idempotent: every
 * command re-checks it, so a driver re-created in another process finds it ready.
 */
export function prepareAbraDir(app: AppRef, workDir: string): string {
  const shared = sharedAbraDir(app)
  const dir = appAbraDirPath(app, workDir)
  mkdirSync(join(shared, 'servers', app.server), { recursive: true })
  ensureLink(join(dir, 'servers'), join(shared, 'servers'))
  if (existsSync(join(shared, 'catalogue'))) {
    ensureLink(join(dir, 'catalogue'), join(shared, 'catalogue'))
  }
  ensureLink(join(dir, 'recipes', app.recipe), resolve(app.recipeDir))
  return dir
}

/**
 * A file in the app's own ABRA_DIR saying it was created with `app new --chaos`: later deploys
 * without a version pass `--chaos` explicitly rather than infer it from what abra wrote into the
 * env. Removed with that folder by `removeEnv`.
 */
export function createdChaosMarker(app: AppRef, workDir: string): string {
  return join(appAbraDirPath(app, workDir), 'ccci-created-chaos')
}
