import { existsSync, rmSync } from 'node:fs'
import type { Settings } from '../config/settings.ts'
import {
  listConfigs,
  listContainers,
  listNetworks,
  listSecrets,
  listServices,
  listVolumes,
  removeObjectPatiently,
  STACK_NAMESPACE_LABEL,
  type DockerObject,
} from '../docker/index.ts'
import { describeError } from '../errors.ts'
import type { Logger } from '../log.ts'
import { pollUntil } from '../poll.ts'
import { HOME_LABEL, homeId, RECIPE_LABEL, RUN_LABEL, WARM_LABEL } from './owner-labels.ts'
import { leaseAlive, readLeases, releaseLease, type Lease } from './lease.ts'
import { unwindDeadRun } from './unwind-dead-run.ts'

/** Everything one dead run left behind. */
export interface Orphan {
  runId: string
  recipe: string | undefined
  objects: DockerObject[]
  files: string[]
  lease: Lease | undefined
}

/** The order Docker objects can be removed in: what uses a thing goes before the thing. */
export const REMOVAL_ORDER: DockerObject['kind'][] = [
  'service',
  'container',
  'network',
  'config',
  'secret',
  'volume',
]

/** Every Docker object matching `labels` (by default: any run's owner label). */
export async function ownedObjects(
  labels: Record<string, string | true> = { [RUN_LABEL]: true },
): Promise<DockerObject[]> {
  const filter = { labels }
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

export interface JanitorInput {
  /** Objects carrying a run's owner label. */
  owned: readonly DockerObject[]
  /** Objects of the stacks of dead leases found by their stack label (unlabelled leftovers). */
  stackObjects: readonly DockerObject[]
  leases: readonly Lease[]
  alive: ReadonlySet<string>
  /** This janitor's state folder id: objects of another folder's runs are not its to judge. */
  home: string
  fileExists: (path: string) => boolean
}

/**
 * The janitor's decision, pure: which runs are dead (no lease here, or a lease whose process is
 * gone) and what they own. Never included: objects of live runs, of warm canonicals
 * (`cc-ci.warm=true`), of runs of another state folder, and files a live lease also names.
 */
export function decideOrphans(input: JanitorInput): Orphan[] {
  const orphans = new Map<string, Orphan>()
  const orphan = (runId: string, recipe: string | undefined): Orphan => {
    let entry = orphans.get(runId)
    if (entry === undefined) {
      entry = { runId, recipe, objects: [], files: [], lease: undefined }
      orphans.set(runId, entry)
    }
    return entry
  }
  const mine = (object: DockerObject) => {
    const home = object.labels[HOME_LABEL]
    return home === undefined || home === input.home
  }
  for (const object of input.owned) {
    const runId = object.labels[RUN_LABEL] ?? ''
    if (!input.alive.has(runId) && object.labels[WARM_LABEL] !== 'true' && mine(object)) {
      orphan(runId, object.labels[RECIPE_LABEL]).objects.push(object)
    }
  }
  const liveFiles = new Set(
    input.leases.filter((l) => input.alive.has(l.runId)).flatMap((l) => [l.envFile, l.runDir]),
  )
  const deadLeases = input.leases.filter((l) => !input.alive.has(l.runId))
  for (const lease of deadLeases) {
    const entry = orphan(lease.runId, lease.recipe)
    entry.lease = lease
    entry.files = [lease.envFile, lease.runDir].filter(
      (f) => !liveFiles.has(f) && input.fileExists(f),
    )
    const known = new Set(entry.objects.map((o) => `${o.kind}:${o.id}`))
    for (const object of input.stackObjects) {
      const owner = object.labels[RUN_LABEL]
      const sameStack = object.labels[STACK_NAMESPACE_LABEL] === lease.stack
      if (sameStack && owner === undefined && !known.has(`${object.kind}:${object.id}`)) {
        entry.objects.push(object)
      }
    }
  }
  for (const entry of orphans.values()) {
    entry.objects.sort((a, b) => REMOVAL_ORDER.indexOf(a.kind) - REMOVAL_ORDER.indexOf(b.kind))
  }
  return [...orphans.values()]
}

/** Runs that are no longer alive and what they own, read from Docker and the leases. */
export async function findOrphans(settings: Settings): Promise<Orphan[]> {
  // Objects first, leases second: a run takes its lease before it creates anything, so an
  // object listed here whose lease appears later belongs to a live run.
  const owned = await ownedObjects()
  const leases = readLeases(settings.home)
  const alive = new Set(leases.filter(leaseAlive).map((l) => l.runId))
  const deadStacks = leases.filter((l) => !alive.has(l.runId)).map((l) => l.stack)
  const stackObjects = (
    await Promise.all(deadStacks.map((stack) => ownedObjects({ [STACK_NAMESPACE_LABEL]: stack })))
  ).flat()
  return decideOrphans({
    owned,
    stackObjects,
    leases,
    alive,
    home: homeId(settings.home),
    fileExists: existsSync,
  })
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
    let failed = 0
    if (orphan.lease !== undefined) {
      for (const undone of await unwindDeadRun(settings, orphan.lease, log).catch(
        (error: unknown) => [{ step: 'cleanup stack', ok: false, detail: describeError(error) }],
      )) {
        if (undone.ok) {
          report.removed.push(`${undone.step}${undone.detail === '' ? '' : ` ${undone.detail}`}`)
        } else {
          // The label sweep below still removes what it can; the lease stays if anything is left.
          log.warn(`janitor: ${undone.step} of run ${orphan.runId}: ${undone.detail}`)
        }
      }
    }
    for (const object of orphan.objects) {
      const stack = object.labels[STACK_NAMESPACE_LABEL]
      if ((object.kind === 'network' || object.kind === 'volume') && stack !== undefined) {
        await pollUntil(
          async () =>
            (await listContainers({ labels: { [STACK_NAMESPACE_LABEL]: stack } })).length === 0
              ? undefined
              : 'containers',
          { timeoutMs: 60_000 },
        )
      }
      const patience = object.kind === 'volume' || object.kind === 'network' ? 20_000 : 0
      await removeObjectPatiently(object, patience).then(
        () => report.removed.push(`${object.kind} ${object.name}`),
        (error: unknown) => {
          failed++
          report.failed.push(`${object.kind} ${object.name}: ${describeError(error)}`)
        },
      )
    }
    for (const file of orphan.files) {
      rmSync(file, { recursive: true, force: true })
      report.removed.push(`file ${file}`)
    }
    if (orphan.lease !== undefined && failed === 0) {
      releaseLease(settings.home, orphan.runId)
    }
  }
  return report
}
