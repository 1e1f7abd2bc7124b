import { performance } from 'node:perf_hooks'
import type { DockerObject, ResourceKind } from '../harness/docker/index.ts'
import { CcciError } from '../harness/errors.ts'
import { decideOrphans, type JanitorInput } from '../harness/janitor/janitor.ts'
import { RECIPE_LABEL, RUN_LABEL, WARM_LABEL } from '../harness/janitor/owner-labels.ts'
import type { Lease } from '../harness/janitor/lease.ts'
import { sweepPlan, type CanonicalRecord, type EnrolledRecipe } from '../harness/warm/sweep-plan.ts'

/** Milliseconds per call, one value per batch. */
export interface DecisionSamples {
  decideOrphans: number[]
  sweepPlan: number[]
}

export const STALE_STACKS = 200
export const ENROLLED_RECIPES = 100
const LIVE_RUNS = 5
const WARM_STACKS = 3
const CALLS_PER_BATCH = 50

/** What one run leaves on the engine: a service, its task and a backup helper, a network, a config, two secrets, a volume. */
function runObjects(
  runId: string,
  recipe: string,
  extra: Record<string, string> = {},
): DockerObject[] {
  const stack = `${recipe.slice(0, 4)}-${runId.slice(-6)}_ccci_localhost`
  const labels = {
    [RUN_LABEL]: runId,
    [RECIPE_LABEL]: recipe,
    'com.docker.stack.namespace': stack,
    ...extra,
  }
  const shapes: [ResourceKind, string][] = [
    ['service', `${stack}_app`],
    ['container', `${stack}_app.1.${runId}`],
    ['container', `ccci-backup-${runId}`],
    ['network', `${stack}_internal`],
    ['config', `${stack}_entrypoint_v1`],
    ['secret', `${stack}_db_password_v1`],
    ['secret', `${stack}_token_v1`],
    ['volume', `${stack}_content`],
  ]
  return shapes.map(([kind, name], i) => ({ kind, id: `${runId}-${i}`, name, labels }))
}

function lease(runId: string, recipe: string): Lease {
  return {
    runId,
    pid: 4242,
    recipe,
    domain: `${recipe}.ccci.localhost`,
    stack: `${recipe}_ccci_localhost`,
    runDir: `/srv/ccci/runs/${runId}`,
    envFile: `/srv/ccci/abra/servers/default/${runId}.env`,
    createdAt: '2026-11-23T12:00:00Z',
  }
}

/** 200 stale runs (half still with a lease), 5 live runs and 3 warm canonicals: 1,664 objects. */
export function janitorFixture() {
  const objects: DockerObject[] = []
  const leases: Lease[] = []
  const alive = new Set<string>()
  for (let i = 0; i < STALE_STACKS + LIVE_RUNS + WARM_STACKS; i++) {
    const recipe = `recipe-${i % 40}`
    const runId = `${recipe}-stale${String(i).padStart(6, '0')}`
    const warm = i >= STALE_STACKS + LIVE_RUNS
    objects.push(...runObjects(runId, recipe, warm ? { [WARM_LABEL]: 'true' } : {}))
    if (i >= STALE_STACKS && !warm) {
      alive.add(runId)
      leases.push(lease(runId, recipe))
    } else if (i % 2 === 0 && !warm) {
      leases.push(lease(runId, recipe))
    }
  }
  // The engine lists by kind, as the janitor reads it.
  const order: ResourceKind[] = ['service', 'container', 'network', 'config', 'secret', 'volume']
  objects.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind))
  return { objects, leases, alive, fileExists: (path: string) => path.endsWith('.env') }
}

/** 100 enrolled recipes with 20-40 release tags each (plus tags that are not releases) and a registry. */
export function sweepFixture() {
  const enrolled: EnrolledRecipe[] = []
  const registry: CanonicalRecord[] = []
  for (let i = 0; i < ENROLLED_RECIPES; i++) {
    const recipe = `recipe-${i}`
    const tags = ['v0.1', 'latest', '1.0.0']
    const releases = 20 + (i % 21)
    for (let r = 0; r < releases; r++) {
      tags.push(
        `${Math.floor(r / 10)}.${r % 10}.${i % 3}+${2 + Math.floor(r / 4)}.${r % 4}.0-alpine`,
      )
    }
    enrolled.push({ recipe, tags: tags.reverse() })
    const newest = tags[0] ?? ''
    const older = tags[3] ?? ''
    if (i % 5 !== 0) {
      registry.push({
        recipe,
        domain: `warm-${recipe}.ccci.localhost`,
        version: i % 3 === 0 ? older : newest,
        commit: '0123456789abcdef0123456789abcdef01234567',
        status: i % 10 === 1 ? 'failed' : 'ok',
        ts: '2026-11-22T03:00:00Z',
      })
    }
  }
  return { enrolled, registry }
}

/** Per-call cost over `batches` batches of CALLS_PER_BATCH calls, after a warm-up. */
function perCall(batches: number, fn: () => void): number[] {
  for (let i = 0; i < CALLS_PER_BATCH; i++) {
    fn()
  }
  const samples: number[] = []
  for (let b = 0; b < batches; b++) {
    const started = performance.now()
    for (let i = 0; i < CALLS_PER_BATCH; i++) {
      fn()
    }
    samples.push((performance.now() - started) / CALLS_PER_BATCH)
  }
  return samples
}

/** The janitor fixture as the janitor's input (no unlabelled stack leftovers, one state folder). */
function janitorInput(janitor: ReturnType<typeof janitorFixture>): JanitorInput {
  return {
    owned: janitor.objects,
    stackObjects: [],
    leases: janitor.leases,
    alive: janitor.alive,
    home: 'bench',
    fileExists: janitor.fileExists,
  }
}

/** Times the janitor's and the nightly sweep's decisions (pure functions) on the fixtures above. */
export function decisionBench(batches: number): DecisionSamples {
  const janitor = janitorFixture()
  const orphans = decideOrphans(janitorInput(janitor))
  const sweep = sweepFixture()
  const decisions = sweepPlan(sweep.enrolled, sweep.registry)
  if (orphans.length !== STALE_STACKS || decisions.length === 0) {
    throw new CcciError(
      'BENCH_FIXTURE',
      `the synthetic fixtures decide wrongly: ${orphans.length} orphans (want ${STALE_STACKS}), ${decisions.length} sweep runs`,
    )
  }
  return {
    decideOrphans: perCall(batches, () => {
      decideOrphans(janitorInput(janitor))
    }),
    sweepPlan: perCall(batches, () => {
      sweepPlan(sweep.enrolled, sweep.registry)
    }),
  }
}
