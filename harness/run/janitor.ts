import { existsSync, rmSync } from 'node:fs'
import type { Settings } from '../config/settings.ts'
import {
  listConfigs,
  listContainers,
  listNetworks,
  listSecrets,
  listServices,
  listVolumes,
  removeObject,
  type DockerObject,
} from '../docker/index.ts'
import { describeError } from '../errors.ts'
import type { Logger } from '../log.ts'
import { RECIPE_LABEL, RUN_LABEL, WARM_LABEL } from './labels.ts'
import { leaseAlive, readLeases, releaseLease, type Lease } from './lease.ts'

/** Everything one dead run left behind. */
export interface Orphan {
  runId: string
  recipe: string | undefined
  objects: DockerObject[]
  files: string[]
  lease: Lease | undefined
}

const ORDER: DockerObject['kind'][] = [
  'service',
  'container',
  'network',
  'config',
  'secret',
  'volume',
]

async function ownedObjects(): Promise<DockerObject[]> {
  const filter = { labels: { [RUN_LABEL]: true as const } }
  const services = (await listServices(filter)).map((s): DockerObject => ({
    kind: 'service',
    id: s.id,
    name: s.name,
    labels: s.labels,
  }))
  const lists = await Promise.all([
    listContainers(filter),
    listNetworks(filter),
    listConfigs(filter),
    listSecrets(filter),
    listVolumes(filter),
  ])
  return [...services, ...lists.flat()]
}

/**
 * The janitor's decision, pure: which runs are dead (no lease, or a lease whose process is gone)
 * and what they own. Objects of live runs and warm canonicals (`cc-ci.warm=true`) are never
 * included. `fileExists` filters the env files and run folders of dead leases.
 */
export function decideOrphans(
  objects: readonly DockerObject[],
  leases: readonly Lease[],
  alive: ReadonlySet<string>,
  fileExists: (path: string) => boolean,
): Orphan[] {
  const orphans = new Map<string, Orphan>()
  const orphan = (runId: string, recipe: string | undefined): Orphan => {
    let entry = orphans.get(runId)
    if (entry === undefined) {
      entry = { runId, recipe, objects: [], files: [], lease: undefined }
      orphans.set(runId, entry)
    }
    return entry
  }
  for (const object of objects) {
    const runId = object.labels[RUN_LABEL] ?? ''
    if (!alive.has(runId) && object.labels[WARM_LABEL] !== 'true') {
      orphan(runId, object.labels[RECIPE_LABEL]).objects.push(object)
    }
  }
  for (const lease of leases.filter((l) => !alive.has(l.runId))) {
    const entry = orphan(lease.runId, lease.recipe)
    entry.lease = lease
    entry.files = [lease.envFile, lease.runDir].filter(fileExists)
  }
  for (const entry of orphans.values()) {
    entry.objects.sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind))
  }
  return [...orphans.values()]
}

/** Runs that are no longer alive and what they own, read from Docker and the leases. */
export async function findOrphans(settings: Settings): Promise<Orphan[]> {
  const leases = readLeases(settings.home)
  const alive = new Set(leases.filter(leaseAlive).map((l) => l.runId))
  return decideOrphans(await ownedObjects(), leases, alive, existsSync)
}

export interface ReapReport {
  removed: string[]
  failed: string[]
}

/** Removes orphans: services first, then (once their containers are gone) the rest. */
export async function reapOrphans(
  settings: Settings,
  orphans: Orphan[],
  log: Logger,
): Promise<ReapReport> {
  const report: ReapReport = { removed: [], failed: [] }
  for (const orphan of orphans) {
    log.step(
      `reaping run ${orphan.runId} (${orphan.recipe ?? 'unknown recipe'}): ${orphan.objects.length} object(s), ${orphan.files.length} file(s)`,
    )
    for (const object of orphan.objects) {
      if (object.kind === 'network' || object.kind === 'volume') {
        await waitForContainersGone(object, 60_000)
      }
      await retry(
        () => removeObject(object),
        object.kind === 'volume' || object.kind === 'network' ? 20 : 1,
      ).then(
        () => report.removed.push(`${object.kind} ${object.name}`),
        (error: unknown) => {
          report.failed.push(`${object.kind} ${object.name}: ${describeError(error)}`)
        },
      )
    }
    for (const file of orphan.files) {
      rmSync(file, { recursive: true, force: true })
      report.removed.push(`file ${file}`)
    }
    if (orphan.lease !== undefined && report.failed.length === 0) {
      releaseLease(settings.home, orphan.runId)
    }
  }
  return report
}

async function waitForContainersGone(object: DockerObject, timeoutMs: number): Promise<void> {
  const stack = object.labels['com.docker.stack.namespace']
  if (stack === undefined) {
    return
  }
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const left = await listContainers({ labels: { 'com.docker.stack.namespace': stack } })
    if (left.length === 0) {
      return
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000))
  }
}

async function retry(fn: () => Promise<void>, attempts: number): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await fn()
      return
    } catch (error) {
      if (attempt >= attempts) {
        throw error
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000))
    }
  }
}
