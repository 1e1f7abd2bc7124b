import { defineTier, seedMarker, TierSkip } from '../harness/index.ts'

/**
 * Backup: seed the generic data marker, then take one backup of the deployed app following its
 * backupbot labels. Not backup-capable (no `backupbot.backup=true`, or `backupCapable: false`):
 * skipped as N/A, and restore with it.
 */
export const backup = defineTier({
  name: 'backup',
  summary:
    'a backup following the backupbot labels holds every selected volume and the data marker',
  requires: ['install'],
  timeoutSeconds: 600,
  hook: 'preBackup',
  when: 'tier',
  records: {
    artifact: 'the backup taken (id, volumes, files)',
    marker: 'the data marker written before it, or why there is none',
  },
  async operation(handle) {
    const { app, driver, log, run } = handle
    // Judged on what is deployed now: an upgrade may have added (or dropped) the backupbot labels.
    const capable = run.backupCapableOverride ?? (await driver.backupPlan(app)).capable
    if (!capable) {
      throw new TierSkip(
        run.expectedNA.backup ??
          'N/A: no service carries backupbot.backup=true (backupCapable is false)',
      )
    }
    const marker = await seedMarker(handle)
    const artifact = await driver.backup(app)
    log.info(`backup ${artifact.id} holds volumes ${artifact.volumes.join(', ') || 'none'}`)
    return { artifact, marker }
  },
})
