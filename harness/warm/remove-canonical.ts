import { existsSync, rmSync } from 'node:fs'
import type { Settings } from '../config/settings.ts'
import { removeObjectPatiently, removeStack, stackServices } from '../docker/index.ts'
import { waitForStackGone } from '../docker/stack-gone.ts'
import { withLock } from '../files/file-lock.ts'
import { ownedObjects, REMOVAL_ORDER } from '../janitor/janitor.ts'
import { HOME_LABEL, homeId, RECIPE_LABEL, WARM_LABEL } from '../janitor/owner-labels.ts'
import type { Logger } from '../log.ts'
import { syncLocalProxy } from '../proxy/proxy-sync.ts'
import { canonicalApp } from './canonical-app.ts'
import { canonicalDir, canonicalLock } from './warm-paths.ts'

/**
 * Removes a recipe's canonical whole: its stack if deployed, every Docker object with its warm
 * labels (volumes, secrets), its env file, then its folder (snapshot and registry record). Holds
 * the canonical's lock, so a promotion or a quick run's reattach is never cut in half. Returns
 * what it removed.
 */
export async function removeCanonical(
  settings: Settings,
  recipe: string,
  log: Logger,
): Promise<string[]> {
  const app = canonicalApp(settings, recipe)
  const removed = await withLock(canonicalLock(settings.home, recipe), async () => {
    const gone: string[] = []
    if ((await stackServices(app.stack)).length > 0) {
      await removeStack(app.stack)
      await waitForStackGone(app.stack, 120_000, 'docker stack rm')
      gone.push(`stack ${app.stack}`)
    }
    await syncLocalProxy(log, app.stack)
    const objects = await ownedObjects({
      [WARM_LABEL]: 'true',
      [RECIPE_LABEL]: recipe,
      [HOME_LABEL]: homeId(settings.home),
    })
    objects.sort((a, b) => REMOVAL_ORDER.indexOf(a.kind) - REMOVAL_ORDER.indexOf(b.kind))
    for (const object of objects) {
      await removeObjectPatiently(object, 30_000)
      gone.push(`${object.kind} ${object.name}`)
    }
    if (existsSync(app.envFile)) {
      rmSync(app.envFile, { force: true })
      gone.push(`file ${app.envFile}`)
    }
    return gone
  })
  // The lock lives in the folder: the folder goes once the lock is released.
  rmSync(canonicalDir(settings.home, recipe), { recursive: true, force: true })
  return [...removed, `folder ${canonicalDir(settings.home, recipe)}`]
}
