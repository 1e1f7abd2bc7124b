import type { BenchResults, CaseResult, Ratio } from './bench-results.ts'
import type { CcciRunSample } from './ccci-run.ts'
import {
  ENROLLED_RECIPES,
  janitorFixture,
  STALE_STACKS,
  type DecisionSamples,
} from './decision-bench.ts'
import { FLOOR_PHASES, type FloorSample } from './floor-lifecycle.ts'
import type { MachineInfo } from './machine-info.ts'
import { NAIVE_STEPS, type NaiveSample } from './naive-harness.ts'
import type { PlanSample } from './plan-bench.ts'
import { summarize } from './summarize.ts'
import { WARM_INIT_SECONDS, type WarmSamples } from './warm-bench.ts'

/** Everything one bench measured, sample by sample. */
export interface Samples {
  floors: FloorSample[]
  floorRequests: number[]
  colds: CcciRunSample[]
  naives: NaiveSample[]
  plans: PlanSample[]
  decisions: DecisionSamples
  /** Cold and quick runs of the same change of the warm fixture (bench/warm-bench.ts). */
  warm: WarmSamples
}

export interface RunInfo {
  machine: MachineInfo
  repeats: number
  startedAt: string
  durationS: number
  /** 1-minute load average at the start and the end: other work on the host skews the numbers. */
  loadAverage: { start: number; end: number }
}

function row(
  label: string,
  unit: CaseResult['unit'],
  values: number[],
  depth: CaseResult['depth'] = 0,
): CaseResult {
  return { label, unit, depth, ...summarize(values) }
}

const seconds = (ms: number[]) => ms.map((v) => v / 1000)

/** From the one deploy converged to the results written: the tiers, as the run saw them. */
function tiersMs(run: CcciRunSample): number {
  return (run.tiersDoneMs ?? NaN) - (run.installDoneMs ?? NaN)
}

function cases(samples: Samples): Record<string, CaseResult> {
  const { floors, colds, naives, plans, decisions } = samples
  const cold = (label: string, depth: 1 | 2, ms: (run: CcciRunSample) => number) =>
    row(label, 's', seconds(colds.map(ms)), depth)
  return {
    floor: row(
      'floor: the lifecycle with the Docker CLI',
      's',
      seconds(floors.map((f) => f.totalMs)),
    ),
    ...Object.fromEntries(
      FLOOR_PHASES.map((p) => [
        `floor.${p}`,
        row(p, 's', seconds(floors.map((f) => f.phases[p])), 1),
      ]),
    ),
    cold: row('cc-ci cold run, 5 tiers, deploy once', 's', seconds(colds.map((c) => c.wallMs))),
    'cold.startup': cold('startup: spawn -> 1st Docker request', 1, (c) => c.startupMs),
    'cold.setup': cold(
      'setup: -> the one deploy converged',
      1,
      (c) => (c.installDoneMs ?? NaN) - c.startupMs,
    ),
    'cold.tiers': cold('tiers: -> results written', 1, tiersMs),
    'cold.tierOps': cold('tier operations', 2, (c) => c.tierOpsMs),
    'cold.tests': cold('test bodies', 2, (c) => c.testsMs),
    'cold.rest': cold(
      'the rest: workers, imports, hooks',
      2,
      (c) => tiersMs(c) - c.tierOpsMs - c.testsMs,
    ),
    'cold.teardown': cold('teardown + exit', 1, (c) => c.wallMs - (c.tiersDoneMs ?? NaN)),
    naive: row('naive harness: a deploy per tier', 's', seconds(naives.map((n) => n.totalMs))),
    ...Object.fromEntries(
      Object.keys(NAIVE_STEPS).map((step) => [
        `naive.${step}`,
        row(`run ${step}`, 's', seconds(naives.map((n) => n.steps[step] ?? NaN)), 1),
      ]),
    ),
    'plan.cli': row(
      './ccci plan <one>, 100 recipes configured',
      'ms',
      plans.map((p) => p.ccciPlanMs),
    ),
    'plan.all': row(
      'planRecipe over 100 recipes, in-process',
      'ms',
      plans.map((p) => p.planAllMs),
    ),
    'plan.each': row(
      'per recipe',
      'ms',
      plans.map((p) => p.planAllMs / p.recipes),
      1,
    ),
    janitor: row(
      `decideOrphans: ${STALE_STACKS} stale stacks (${janitorFixture().objects.length} objects)`,
      'ms',
      decisions.decideOrphans,
    ),
    'janitor.each': row(
      'per stale stack',
      'µs',
      decisions.decideOrphans.map((v) => (v * 1000) / STALE_STACKS),
      1,
    ),
    sweep: row(`sweepPlan: ${ENROLLED_RECIPES} enrolled recipes`, 'ms', decisions.sweepPlan),
    'sweep.each': row(
      'per recipe',
      'µs',
      decisions.sweepPlan.map((v) => (v * 1000) / ENROLLED_RECIPES),
      1,
    ),
    'warm.cold': row(
      `warm-notes (${WARM_INIT_SECONDS} s first-start init): cold run of a change`,
      's',
      seconds(samples.warm.cold.map((c) => c.wallMs)),
    ),
    'warm.quick': row(
      'quick run of the same change (--quick)',
      's',
      seconds(samples.warm.quick.map((c) => c.wallMs)),
      1,
    ),
    'requests.floor': row('Docker Engine requests: floor', 'req', samples.floorRequests),
    'requests.cold': row(
      'Docker Engine requests: cold run',
      'req',
      colds.map((c) => c.requests),
    ),
    'requests.naive': row(
      'Docker Engine requests: naive',
      'req',
      naives.map((n) => n.requests),
    ),
  }
}

function ratios(all: Record<string, CaseResult>): Record<string, Ratio> {
  const median = (key: string) => all[key]?.median ?? NaN
  const ratio = (label: string, a: string, b: string, scale = 1): Ratio => ({
    label,
    value: median(a) / (median(b) * scale),
    formula: scale === 1 ? `${a} / ${b}` : `${a} [ms] / ${b} [ms]`,
  })
  return {
    runOverFloor: ratio('cc-ci cold run / floor', 'cold', 'floor'),
    naiveOverDeployOnce: ratio('naive per-tier deploys / deploy-once', 'naive', 'cold'),
    startupShare: ratio('startup / cold run', 'cold.startup', 'cold'),
    setupOverFloorDeploy: ratio('setup / floor deploy', 'cold.setup', 'floor.deploy'),
    teardownOverFloorRemove: ratio(
      'teardown + exit / floor remove',
      'cold.teardown',
      'floor.remove',
    ),
    requestsOverFloor: ratio(
      'Docker requests: cold run / floor',
      'requests.cold',
      'requests.floor',
    ),
    janitorOverRun: ratio('decideOrphans (200 stacks) / cold run', 'janitor', 'cold', 1000),
    sweepOverRun: ratio('sweepPlan (100 recipes) / cold run', 'sweep', 'cold', 1000),
    quickOverCold: ratio('quick run / cold run of the same change', 'warm.quick', 'warm.cold'),
  }
}

/** The table rows (median, min, max of each case) and the ratios of their medians. */
export function collectResults(info: RunInfo, samples: Samples): BenchResults {
  const all = cases(samples)
  return {
    ...info,
    cases: all,
    ratios: ratios(all),
    coldRunEndpoints: Object.entries(samples.colds.at(-1)?.endpoints ?? {}).sort(
      (a, b) => b[1] - a[1],
    ),
  }
}
