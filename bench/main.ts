import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { loadSettings } from '../harness/config/settings.ts'
import { CcciError, describeError } from '../harness/errors.ts'
import { buildRecipeRepo } from '../harness/fixtures/recipe-repo.ts'
import { formatReport } from './bench-results.ts'
import { ccciRun, removeSourceCache } from './ccci-run.ts'
import { selectCases } from './bench-cases.ts'
import { collectResults, type CaseSamples } from './collect-results.ts'
import { decisionBench } from './decision-bench.ts'
import { startDockerProxy } from './docker-proxy.ts'
import { floorLifecycle } from './floor-lifecycle.ts'
import { machineInfo } from './machine-info.ts'
import { NAIVE_STEPS, naiveHarness } from './naive-harness.ts'
import { planBench, type PlanSample } from './plan-bench.ts'
import { warmBench, type WarmSamples } from './warm-bench.ts'

/**
 * `npm run bench`: how much of a run is cc-ci and how much is Docker (docs/performance.md).
 * BENCH_REPEATS (default 3) sets how often each case runs; BENCH_RESULTS where the JSON goes;
 * BENCH_CASES which lifecycle cases run (default all: bench-cases.ts); BENCH_WARM=0 leaves the
 * warm case out; BENCH_NAIVE=0 the naive harness.
 */
const PLAN_RECIPES = 100
const DECISION_BATCHES = 20

const root = loadSettings().root
const repeats = Number(process.env.BENCH_REPEATS ?? '3')
const resultsFile = process.env.BENCH_RESULTS ?? join(root, 'bench', 'results', 'latest.json')
const recipeDirs = join(root, 'test', 'fixtures', 'config')
const abort = new AbortController()
const began = performance.now()

function progress(message: string): void {
  const elapsed = ((performance.now() - began) / 1000).toFixed(0).padStart(4)
  process.stderr.write(`bench ${elapsed}s  ${message}\n`)
}

// Ctrl-C reaches the cc-ci child too (same process group), which tears its run down; the bench
// stops after it and cleans up its own objects. A second signal quits at once.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (abort.signal.aborted) {
      progress(
        `${signal} again: quitting; \`docker stack ls\` shows any ccbench_floor_* stack left`,
      )
      process.exit(130)
    }
    progress(`${signal}: stopping after the current step and cleaning up`)
    abort.abort(signal)
  })
}

async function main(): Promise<void> {
  if (!Number.isInteger(repeats) || repeats < 1 || repeats > 50) {
    throw new CcciError(
      'BENCH_REPEATS_INVALID',
      `BENCH_REPEATS=${process.env.BENCH_REPEATS} is not 1..50`,
    )
  }
  const selected = selectCases(process.env.BENCH_CASES)
  const startedAt = new Date().toISOString()
  const loadAtStart = loadavg()[0] ?? NaN
  const machine = await machineInfo()
  const work = mkdtempSync(join(tmpdir(), 'ccci-bench-'))
  // PR numbers of the bench's own: every run gets a domain and lease no other run uses.
  let pr = 800_000 + Math.floor(Math.random() * 100_000) * 10
  const nextPr = () => String(pr++)
  const cases: CaseSamples[] = selected.map((c) => ({
    case: c,
    floors: [],
    floorRequests: [],
    colds: [],
    naives: [],
  }))
  const plans: PlanSample[] = []
  let warm: WarmSamples = { cold: [], quick: [] }
  try {
    const repos = []
    for (const c of selected) {
      const src = join(work, c.recipe)
      repos.push({
        src,
        repo: await buildRecipeRepo(join(root, 'test', 'fixtures', 'recipes', c.recipe), src),
      })
    }
    for (let r = 1; r <= repeats; r++) {
      for (const [i, samples] of cases.entries()) {
        const { src, repo } = repos[i] ?? { src: '', repo: undefined }
        const name = samples.case.recipe
        progress(`repeat ${r}/${repeats}: ${name}: floor (Docker CLI only)`)
        const proxy = await startDockerProxy()
        try {
          samples.floors.push(
            await floorLifecycle({
              repo: repo?.path ?? src,
              // Both cases' head is their newest release: the previous one is deployed first.
              base: repo?.tags.at(-2) ?? '',
              head: repo?.head ?? '',
              dockerHost: proxy.dockerHost,
              signal: abort.signal,
            }),
          )
          samples.floorRequests.push(proxy.traffic.requests)
        } finally {
          await proxy.close()
        }
        const input = { src, recipeDirs, signal: abort.signal }
        progress(
          `repeat ${r}/${repeats}: ${name}: cc-ci cold run, all tiers (vitest run --project ${name})`,
        )
        samples.colds.push(await ccciRun({ ...input, projects: [name], pr: nextPr() }))
        if (samples.case.naive && process.env.BENCH_NAIVE !== '0') {
          progress(
            `repeat ${r}/${repeats}: ${name}: naive harness (${Object.keys(NAIVE_STEPS).length} runs)`,
          )
          samples.naives.push(await naiveHarness(name, input, nextPr))
        }
      }
      progress(`repeat ${r}/${repeats}: ccci plan over ${PLAN_RECIPES} generated recipes`)
      plans.push(await planBench(PLAN_RECIPES))
    }
    if (process.env.BENCH_WARM !== '0') {
      warm = await warmBench(root, work, repeats, nextPr, abort.signal, progress)
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
    for (const c of selected) {
      removeSourceCache(c.recipe, join(work, c.recipe))
    }
  }
  progress('janitor and sweep decisions')
  const decisions = decisionBench(DECISION_BATCHES)

  const results = collectResults(
    {
      machine,
      repeats,
      startedAt,
      durationS: (performance.now() - began) / 1000,
      loadAverage: { start: loadAtStart, end: loadavg()[0] ?? NaN },
    },
    { cases, plans, decisions, warm },
  )
  mkdirSync(dirname(resultsFile), { recursive: true })
  writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`)
  process.stdout.write(formatReport(results))
  process.stdout.write(`results: ${resultsFile}\n`)
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${describeError(error)}\n`)
    process.exit(1)
  },
)
