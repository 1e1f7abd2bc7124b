import type { BenchCase } from './bench-cases.ts'
import type { BenchResults, CaseResult, PhaseComparison, Ratio, Target } from './bench-results.ts'
import { TIER_OPS, type CcciRunSample } from './ccci-run.ts'
import {
  ENROLLED_RECIPES,
  janitorFixture,
  STALE_STACKS,
  type DecisionSamples,
} from './decision-bench.ts'
import { FLOOR_PHASES, type FloorPhase, type FloorSample } from './floor-lifecycle.ts'
import type { MachineInfo } from './machine-info.ts'
import { NAIVE_STEPS, type NaiveSample } from './naive-harness.ts'
import type { PlanSample } from './plan-bench.ts'
import { summarize } from './summarize.ts'
import { WARM_INIT_SECONDS, type WarmSamples } from './warm-bench.ts'

/** Issue 18's targets that are not per case. */
export const STARTUP_TARGET_S = 1.0
export const PLAN_TARGET_MS = 500

/** What one lifecycle case measured, sample by sample. */
export interface CaseSamples {
  case: BenchCase
  floors: FloorSample[]
  floorRequests: number[]
  colds: CcciRunSample[]
  /** Empty unless the case runs the naive harness. */
  naives: NaiveSample[]
}

/** Everything one bench measured, sample by sample. */
export interface Samples {
  cases: CaseSamples[]
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

/** From the one deploy converged to the teardown starting: the tiers, as the run saw them. */
function tiersMs(run: CcciRunSample): number {
  return (run.tiersDoneMs ?? NaN) - (run.installDoneMs ?? NaN)
}

/** The rows of one lifecycle case, keyed `<recipe>.<row>`. */
function caseRows(samples: CaseSamples): Record<string, CaseResult> {
  const { floors, colds, naives } = samples
  const name = samples.case.recipe
  const cold = (label: string, depth: 1 | 2, ms: (run: CcciRunSample) => number) =>
    row(label, 's', seconds(colds.map(ms)), depth)
  const rows: Record<string, CaseResult> = {
    floor: row(
      `${name}: floor, the lifecycle with the Docker CLI`,
      's',
      seconds(floors.map((f) => f.totalMs)),
    ),
    ...Object.fromEntries(
      FLOOR_PHASES.map((p) => [
        `floor.${p}`,
        row(p, 's', seconds(floors.map((f) => f.phases[p])), 1),
      ]),
    ),
    cold: row(
      `${name}: cc-ci cold run, 5 tiers, deploy once`,
      's',
      seconds(colds.map((c) => c.wallMs)),
    ),
    'cold.startup': cold('startup: spawn -> 1st Docker request', 1, (c) => c.startupMs),
    'cold.setup': cold(
      'setup: -> the one deploy converged',
      1,
      (c) => (c.installDoneMs ?? NaN) - c.startupMs,
    ),
    'cold.tiers': cold('tiers: -> teardown begins', 1, tiersMs),
    ...Object.fromEntries(
      TIER_OPS.map((op) => [`cold.${op}`, cold(`${op} (tier operation)`, 2, (c) => c.opsMs[op])]),
    ),
    'cold.tests': cold('test bodies', 2, (c) => c.testsMs),
    'cold.rest': cold(
      'the rest: workers, imports, hooks',
      2,
      (c) => tiersMs(c) - c.tierOpsMs - c.testsMs,
    ),
    'cold.teardown': cold('teardown + exit', 1, (c) => c.wallMs - (c.tiersDoneMs ?? NaN)),
  }
  if (naives.length > 0) {
    rows.naive = row(
      `${name}: naive harness, a deploy per tier`,
      's',
      seconds(naives.map((n) => n.totalMs)),
    )
    for (const step of Object.keys(NAIVE_STEPS)) {
      rows[`naive.${step}`] = row(
        `run ${step}`,
        's',
        seconds(naives.map((n) => n.steps[step] ?? NaN)),
        1,
      )
    }
  }
  rows['requests.floor'] = row(
    `${name}: Docker Engine requests, floor`,
    'req',
    samples.floorRequests,
  )
  rows['requests.cold'] = row(
    'cold run',
    'req',
    colds.map((c) => c.requests),
    1,
  )
  if (naives.length > 0) {
    rows['requests.naive'] = row(
      'naive',
      'req',
      naives.map((n) => n.requests),
      1,
    )
  }
  return Object.fromEntries(Object.entries(rows).map(([key, value]) => [`${name}.${key}`, value]))
}

function cases(samples: Samples): Record<string, CaseResult> {
  const { plans, decisions } = samples
  return {
    ...Object.fromEntries(samples.cases.flatMap((c) => Object.entries(caseRows(c)))),
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
    ...(samples.warm.cold.length === 0 ? {} : warmRows(samples.warm)),
  }
}

/** The warm case's rows (left out with BENCH_WARM=0). */
function warmRows(warm: WarmSamples): Record<string, CaseResult> {
  return {
    'warm.cold': row(
      `warm-notes (${WARM_INIT_SECONDS} s first-start init): cold run of a change`,
      's',
      seconds(warm.cold.map((c) => c.wallMs)),
    ),
    'warm.quick': row(
      'quick run of the same change (--quick)',
      's',
      seconds(warm.quick.map((c) => c.wallMs)),
      1,
    ),
  }
}

function ratios(all: Record<string, CaseResult>, names: string[]): Record<string, Ratio> {
  const median = (key: string) => all[key]?.median ?? NaN
  const ratio = (label: string, a: string, b: string, scale = 1): Ratio => ({
    label,
    value: median(a) / (median(b) * scale),
    formula: scale === 1 ? `${a} / ${b}` : `${a} [ms] / ${b} [ms]`,
  })
  const perCase = names.flatMap((n) => [
    [`${n}.runOverFloor`, ratio(`${n}: cc-ci cold run / floor`, `${n}.cold`, `${n}.floor`)],
    ...(all[`${n}.naive`] === undefined
      ? []
      : [
          [
            `${n}.naiveOverDeployOnce`,
            ratio(`${n}: naive per-tier deploys / deploy-once`, `${n}.naive`, `${n}.cold`),
          ],
        ]),
    [`${n}.startupShare`, ratio(`${n}: startup / cold run`, `${n}.cold.startup`, `${n}.cold`)],
    [
      `${n}.setupOverFloorDeploy`,
      ratio(`${n}: setup / floor deploy`, `${n}.cold.setup`, `${n}.floor.deploy`),
    ],
    [
      `${n}.upgradeOverFloorRedeploy`,
      ratio(`${n}: upgrade / floor redeploy`, `${n}.cold.upgrade`, `${n}.floor.redeploy`),
    ],
    [
      `${n}.teardownOverFloorRemove`,
      ratio(`${n}: teardown + exit / floor remove`, `${n}.cold.teardown`, `${n}.floor.remove`),
    ],
    [
      `${n}.requestsOverFloor`,
      ratio(`${n}: Docker requests, cold run / floor`, `${n}.requests.cold`, `${n}.requests.floor`),
    ],
  ])
  const first = names[0] ?? ''
  return {
    ...(Object.fromEntries(perCase) as Record<string, Ratio>),
    janitorOverRun: ratio(
      `decideOrphans (200 stacks) / ${first} cold run`,
      'janitor',
      `${first}.cold`,
      1000,
    ),
    sweepOverRun: ratio(
      `sweepPlan (100 recipes) / ${first} cold run`,
      'sweep',
      `${first}.cold`,
      1000,
    ),
    ...(all['warm.cold'] === undefined
      ? {}
      : {
          quickOverCold: ratio(
            'quick run / cold run of the same change',
            'warm.quick',
            'warm.cold',
          ),
        }),
  }
}

/** cc-ci's phases of a cold run next to the floor's phase doing the same Docker work. */
const PHASE_PAIRS: { ccci: string; label: string; floor?: FloorPhase }[] = [
  { ccci: 'cold.startup', label: 'startup' },
  { ccci: 'cold.setup', label: 'setup: deploy previous release', floor: 'deploy' },
  { ccci: 'cold.upgrade', label: 'upgrade: redeploy the head', floor: 'redeploy' },
  { ccci: 'cold.backup', label: 'backup', floor: 'backup' },
  { ccci: 'cold.restore', label: 'restore', floor: 'restore' },
  { ccci: 'cold.tests', label: 'test bodies' },
  { ccci: 'cold.rest', label: 'the rest: workers, imports, hooks' },
  { ccci: 'cold.teardown', label: 'teardown + exit', floor: 'remove' },
]

function comparisons(
  all: Record<string, CaseResult>,
  names: string[],
): Record<string, PhaseComparison[]> {
  const median = (key: string) => all[key]?.median ?? NaN
  return Object.fromEntries(
    names.map((n) => {
      const rows = PHASE_PAIRS.map((p): PhaseComparison => {
        const ccci = median(`${n}.${p.ccci}`)
        const floor = p.floor === undefined ? 0 : median(`${n}.floor.${p.floor}`)
        return { phase: p.label, ccci, floorPhase: p.floor, floor, difference: ccci - floor }
      })
      const ccci = median(`${n}.cold`)
      const floor = median(`${n}.floor`)
      rows.push({ phase: 'total', ccci, floorPhase: 'total', floor, difference: ccci - floor })
      return [n, rows]
    }),
  )
}

function targets(
  all: Record<string, CaseResult>,
  ratioValues: Record<string, Ratio>,
  selected: readonly BenchCase[],
): Target[] {
  const target = (label: string, value: number, limit: number, unit: string): Target => ({
    label,
    value,
    limit,
    unit,
    pass: Number.isFinite(value) && value <= limit,
  })
  return [
    ...selected.map((c) =>
      target(
        `${c.recipe}: cold run / floor`,
        ratioValues[`${c.recipe}.runOverFloor`]?.value ?? NaN,
        c.target,
        '',
      ),
    ),
    ...selected.map((c) =>
      target(
        `${c.recipe}: startup (spawn -> 1st Docker request)`,
        all[`${c.recipe}.cold.startup`]?.median ?? NaN,
        STARTUP_TARGET_S,
        's',
      ),
    ),
    target(
      'planRecipe over 100 recipes, in-process',
      all['plan.all']?.median ?? NaN,
      PLAN_TARGET_MS,
      'ms',
    ),
  ]
}

/** The table rows (median, min, max of each case), the ratios of their medians, phases, targets. */
export function collectResults(info: RunInfo, samples: Samples): BenchResults {
  const all = cases(samples)
  const names = samples.cases.map((c) => c.case.recipe)
  const ratioValues = ratios(all, names)
  return {
    ...info,
    cases: all,
    ratios: ratioValues,
    phases: comparisons(all, names),
    targets: targets(
      all,
      ratioValues,
      samples.cases.map((c) => c.case),
    ),
    coldRunEndpoints: Object.fromEntries(
      samples.cases.map((c) => [
        c.case.recipe,
        Object.entries(c.colds.at(-1)?.endpoints ?? {}).sort((a, b) => b[1] - a[1]),
      ]),
    ),
  }
}
