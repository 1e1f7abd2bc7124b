import { join } from 'node:path'
import type { Settings } from '../config/settings.ts'
import { appRef, createDriver } from '../driver/driver-factory.ts'
import type { Logger } from '../log.ts'
import { unwindCleanup, type UnwindStep } from '../run/cleanup-journal.ts'
import { tryReadState } from '../run/state.ts'
import type { Lease } from './lease.ts'
import { ownerLabels } from './owner-labels.ts'

/**
 * The teardown a dead run did not get: its own cleanup stack (from its state file), unwound with
 * the same undo steps the teardown uses. The janitor's label sweep then removes whatever the run
 * had not registered yet (it died between registering and recording, or before its state file).
 */
export async function unwindDeadRun(
  settings: Settings,
  lease: Lease,
  log: Logger,
): Promise<UnwindStep[]> {
  const state = tryReadState(lease.runDir)
  if (state === undefined || state.cleanup.length === 0) {
    return []
  }
  const app = appRef(settings, state.recipe, state.domain, state.recipeDir)
  const driver = createDriver(state.driver, {
    ownerLabels: ownerLabels(state.runId, state.recipe, settings.home),
    log,
    backupDir: join(lease.runDir, 'backups'),
  })
  return unwindCleanup(lease.runDir, { app, driver, log })
}
