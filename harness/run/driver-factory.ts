import { accessSync, constants } from 'node:fs'
import { join } from 'node:path'
import type { Settings } from '../config/settings.ts'
import type { AppDriver, AppRef } from '../driver/app-driver.ts'
import type { Logger } from '../log.ts'
import { SwarmDriver } from '../swarm/swarm-driver.ts'
import { stackName } from './domain.ts'

export interface DriverOptions {
  ownerLabels: Record<string, string>
  log: Logger
  onSecretValue?: (value: string) => void
  /** Where the swarm driver keeps backups (the run folder's `backups/`). */
  backupDir: string
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

export function createDriver(name: 'swarm' | 'abra', options: DriverOptions): AppDriver {
  if (name === 'abra') {
    throw new Error('the abra driver is not available yet; set CCCI_DRIVER=swarm')
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
