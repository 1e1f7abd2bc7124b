import { accessSync, constants } from 'node:fs'
import { dirname, join } from 'node:path'
import { AbraDriver, type AbraTimeouts } from '../abra/index.ts'
import type { HostAccessGrant } from '../coop/host-access.ts'
import type { Settings } from '../config/settings.ts'
import type { AppDriver, AppRef } from './app-driver.ts'
import type { Logger } from '../log.ts'
import { SwarmDriver } from '../swarm/swarm-driver.ts'
import { stackName } from '../run/domain.ts'

export interface DriverOptions {
  ownerLabels: Record<string, string>
  log: Logger
  onSecretValue?: (value: string) => void
  /** Where the drivers keep backups (the run folder's `backups/`). */
  backupDir: string
  /**
   * abra driver: where each app gets its own ABRA_DIR (`<workDir>/<stack>`). Default: `abra/`
   * next to `backupDir`, i.e. in the run folder, so it goes with the run.
   */
  workDir?: string
  /** abra driver: the abra executable (default `abra` on PATH). */
  abraBin?: string
  /** abra driver: command deadlines. */
  abraTimeouts?: Partial<AbraTimeouts>
  /** Host access the recipe's cc-ci config grants (recipe.ts `hostAccess`). */
  hostAccess?: readonly HostAccessGrant[]
}

/** The driver a run uses: `CCCI_DRIVER`, or abra when it is on PATH, else swarm. */
export function resolveDriverName(settings: Settings): 'swarm' | 'abra' {
  if (settings.driver !== 'auto') {
    return settings.driver
  }
  const path = (process.env.PATH ?? '').split(':')
  return path.some((dir) => dir !== '' && existsExecutable(join(dir, 'abra'))) ? 'abra' : 'swarm'
}

function existsExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/**
 * The driver called `name`. The abra driver finds the shared ABRA_DIR and server through each
 * app's env file (`appRef()` puts it at `<settings.abraDir>/servers/<settings.server>/`).
 */
export function createDriver(name: 'swarm' | 'abra', options: DriverOptions): AppDriver {
  if (name === 'abra') {
    return new AbraDriver({
      ownerLabels: options.ownerLabels,
      log: options.log,
      onSecretValue: options.onSecretValue,
      backupDir: options.backupDir,
      workDir: options.workDir ?? join(dirname(options.backupDir), 'abra'),
      abraBin: options.abraBin,
      timeouts: options.abraTimeouts,
      hostAccess: options.hostAccess,
    })
  }
  return new SwarmDriver(options)
}

/** The app a run deploys. */
export function appRef(
  settings: Settings,
  recipe: string,
  domain: string,
  recipeDir: string,
): AppRef {
  return {
    recipe,
    domain,
    stack: stackName(domain),
    server: settings.server,
    recipeDir,
    envFile: join(settings.abraDir, 'servers', settings.server, `${domain}.env`),
  }
}
