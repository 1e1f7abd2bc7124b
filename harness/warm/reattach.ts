import { loadSettings } from '../config/settings.ts'
import { CcciError } from '../errors.ts'
import { withLock } from '../files/file-lock.ts'
import { ownerLabels } from '../janitor/owner-labels.ts'
import type { TierOperationContext } from '../run/tier-definition.ts'
import { insertCanonicalSecrets } from './canonical-secrets.ts'
import { readKnownGood, readSnapshotSecrets } from './known-good.ts'
import { fillVolumes } from './volume-snapshot.ts'
import { canonicalLock } from './warm-paths.ts'

/**
 * The install of a quick run, between `app new` and the deploy: the canonical reattached as the
 * run's own app. Its volumes are created fresh and filled from the known-good (checked against
 * the snapshot's checksums) and its secrets get the values the data was made with. The canonical
 * itself is never touched: whatever the run does to this copy, the known-good stays as it was.
 */
export async function reattachCanonical(
  context: TierOperationContext,
): Promise<{ secrets: string[]; reattached: Record<string, unknown> }> {
  const { app, driver, run, log } = context
  const settings = loadSettings()
  const labels = ownerLabels(run.runId, run.recipe, settings.home)
  context.registerUndo('volumes')
  // Held while the snapshot is read, so a promotion cannot replace it half-way.
  return withLock(canonicalLock(settings.home, run.recipe), async () => {
    const knownGood = await readKnownGood(settings.home, run.recipe)
    if (knownGood === undefined) {
      throw new CcciError(
        'CCCI_WARM_NO_CANONICAL',
        `the canonical of ${run.recipe} has no known-good snapshot any more`,
        { hint: 'it was removed while this run started; run without --quick' },
      )
    }
    const { manifest } = knownGood
    if (manifest.recipeVersion !== run.deployVersion) {
      throw new CcciError(
        'CCCI_WARM_CANONICAL_CHANGED',
        `the canonical of ${run.recipe} was promoted to ${manifest.recipeVersion} while this run started at ${run.deployVersion ?? 'the head'}`,
        { hint: 'run it again: the next quick run starts from the new known-good' },
      )
    }
    log.step(
      `reattaching the canonical: ${manifest.volumes.length} volume(s) of ${run.recipe} ${manifest.recipeVersion} (snapshot ${knownGood.id})`,
    )
    const secrets = await insertCanonicalSecrets(driver, app, readSnapshotSecrets(knownGood))
    await fillVolumes(app, knownGood.dir, manifest.volumes, labels, { ownerLabels: labels, log })
    return {
      secrets: Object.keys(secrets).sort(),
      reattached: {
        snapshot: knownGood.id,
        version: manifest.recipeVersion,
        volumes: manifest.volumes.map((v) => v.key),
      },
    }
  })
}
