import { join } from 'node:path'
import type { Settings } from '../config/settings.ts'
import type { AppDriver, AppRef } from '../driver/app-driver.ts'
import { appRef, createDriver, resolveDriverName } from '../driver/driver-factory.ts'
import { HOME_LABEL, homeId, RECIPE_LABEL, WARM_LABEL } from '../janitor/owner-labels.ts'
import type { Logger } from '../log.ts'
import type { RecipeConfig } from '../recipe/recipe-config.ts'
import { registerSecret } from '../redaction/redact.ts'
import { canonicalDir, canonicalDomain } from './warm-paths.ts'

/**
 * The labels of everything a canonical is made of: the warm label (only cc-ci sets it; the
 * janitor never reaps what carries it), the recipe and the state folder; never a run's label.
 */
export function warmLabels(recipe: string, home: string): Record<string, string> {
  return { [WARM_LABEL]: 'true', [RECIPE_LABEL]: recipe, [HOME_LABEL]: homeId(home) }
}

/** The canonical app of a recipe: its stable domain, deployed from `<warm>/<recipe>/recipe`. */
export function canonicalApp(settings: Settings, recipe: string): AppRef {
  return appRef(
    settings,
    recipe,
    canonicalDomain(recipe, settings.domainSuffix),
    join(canonicalDir(settings.home, recipe), 'recipe'),
  )
}

/** The driver that deploys a canonical: warm labels, its own backups folder. */
export function canonicalDriver(
  settings: Settings,
  recipe: string,
  config: RecipeConfig,
  log: Logger,
): AppDriver {
  return createDriver(resolveDriverName(settings), {
    ownerLabels: warmLabels(recipe, settings.home),
    log,
    backupDir: join(canonicalDir(settings.home, recipe), 'backups'),
    onSecretValue: registerSecret,
    hostAccess: config.hostAccess,
  })
}
