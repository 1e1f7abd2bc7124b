import { statfsSync } from 'node:fs'
import type { Settings } from '../config/settings.ts'
import {
  dockerRootDir,
  imagesInUse,
  listDanglingImages,
  listServices,
  listTasks,
  pruneBuildCache,
  removeImageById,
} from '../docker/index.ts'
import { describeError } from '../errors.ts'
import { leaseAlive, readLeases } from './lease.ts'
import { prunePlan, type PrunePlan } from './prune-plan.ts'

export interface PruneReport {
  plan: PrunePlan
  removed: { id: string; sizeBytes: number }[]
  /** Images Docker refused to remove (a container started using one meanwhile). */
  kept: string[]
  cacheBytes: number
  dryRun: boolean
}

/** Used share (0-100) of the filesystem holding `path`. */
function usedPercent(path: string): number {
  const fs = statfsSync(path)
  return fs.blocks === 0 ? 0 : (100 * (fs.blocks - fs.bfree)) / fs.blocks
}

/** Services with an update in progress, or fewer running tasks than they want. */
async function convergingServices(): Promise<string[]> {
  const converging: string[] = []
  for (const service of await listServices()) {
    if (service.updateState === 'updating' || service.updateState === 'rollback_started') {
      converging.push(service.name)
      continue
    }
    if (service.replicas !== undefined) {
      const running = (await listTasks(service.id)).filter(
        (t) => t.desiredState === 'running' && t.state === 'running',
      ).length
      if (running < service.replicas) {
        converging.push(service.name)
      }
    }
  }
  return converging
}

/** `ccci prune`: the prune policy (harness/janitor/prune-plan.ts) decided on this host, then done. */
export async function pruneImages(
  settings: Settings,
  options: { thresholdPercent: number; dryRun: boolean },
): Promise<PruneReport> {
  const plan = prunePlan({
    usedPercent: usedPercent(await dockerRootDir()),
    thresholdPercent: options.thresholdPercent,
    liveRuns: readLeases(settings.home)
      .filter(leaseAlive)
      .map((l) => l.runId),
    converging: await convergingServices(),
    dangling: await listDanglingImages(),
    inUse: await imagesInUse(),
    nowMs: Date.now(),
  })
  const report: PruneReport = { plan, removed: [], kept: [], cacheBytes: 0, dryRun: options.dryRun }
  if (!plan.prune || options.dryRun) {
    return report
  }
  for (const image of plan.images) {
    try {
      await removeImageById(image.id)
      report.removed.push(image)
    } catch (error) {
      report.kept.push(`${image.id}: ${describeError(error).split('\n')[0] ?? ''}`)
    }
  }
  report.cacheBytes = await pruneBuildCache(plan.cacheHours)
  return report
}
