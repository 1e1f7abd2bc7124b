import { createHash } from 'node:crypto'
import { rmSync } from 'node:fs'
import { join, relative } from 'node:path'
import { performance } from 'node:perf_hooks'
import { loadSettings } from '../harness/config/settings.ts'
import { CcciError, tail } from '../harness/errors.ts'
import { startCommand } from '../harness/process/index.ts'
import { readResult } from '../harness/results/report-files.ts'
import { tryReadState } from '../harness/run/state.ts'
import { startDockerProxy } from './docker-proxy.ts'

/** One `vitest run --project ...` of cc-ci, as the bench saw it. */
export interface CcciRunSample {
  wallMs: number
  /** From spawning the process to its first Docker Engine request. */
  startupMs: number
  /** From spawning to the end of the install (the one deploy converged), from state.json. */
  installDoneMs: number | undefined
  /**
   * From spawning to the teardown starting (all tiers done): when the run's `▶ tearing down` line
   * appeared (watched every {@link WATCH_MS} ms); the results' `finishedAt` if it never did.
   */
  tiersDoneMs: number | undefined
  /** Time the tier operations themselves took (upgrade, backup, restore), from state.json. */
  tierOpsMs: number
  /** Each tier operation's own time, from state.json (NaN when it did not run). */
  opsMs: Record<TierOp, number>
  /** Time the test bodies took (their own durations, from result.json). */
  testsMs: number
  requests: number
  endpoints: Record<string, number>
}

/** The tier operations after the install, each timed in state.json. */
export const TIER_OPS = ['upgrade', 'backup', 'restore'] as const
export type TierOp = (typeof TIER_OPS)[number]

export interface CcciRunInput {
  /** `--project` values, e.g. `tiny-html` or `tiny-html (install)`. */
  projects: string[]
  /** The fixture recipe repository (SRC). */
  src: string
  /** A PR number of its own: the run gets its own domain and lease. */
  pr: string
  recipeDirs: string
  signal: AbortSignal
  /** REF to test (default: the default branch). */
  ref?: string
  /** More environment, e.g. QUICK=1. */
  env?: Record<string, string>
}

const ROOT = loadSettings().root
/** The global teardown's first line (harness/run/teardown-run.ts). */
const TEARDOWN_LINE = /▶ tearing down /
const WATCH_MS = 50
const VITEST = join(ROOT, 'node_modules', 'vitest', 'vitest.mjs')

/**
 * Starts cc-ci exactly as a user does (`vitest run --project ...` in this checkout) with
 * DOCKER_HOST on the bench's counting proxy, waits for it and checks it passed. The run's
 * results folder is read, then removed: the bench leaves nothing behind.
 */
export async function ccciRun(input: CcciRunInput): Promise<CcciRunSample> {
  const proxy = await startDockerProxy()
  try {
    const spawnedAt = Date.now()
    const started = performance.now()
    const child = startCommand(
      process.execPath,
      [VITEST, 'run', ...input.projects.flatMap((p) => ['--project', p])],
      {
        cwd: ROOT,
        timeoutMs: 300_000,
        env: {
          ...process.env,
          VITEST: undefined,
          VITEST_MODE: undefined,
          NODE_ENV: undefined,
          CCCI_RECIPE_DIRS: input.recipeDirs,
          SRC: input.src,
          REF: input.ref,
          PR: input.pr,
          DOCKER_HOST: proxy.dockerHost,
          FORCE_COLOR: '0',
          NO_COLOR: '1',
          ...input.env,
        },
      },
    )
    // cc-ci tears its deployment down on one SIGINT or SIGTERM and quits at once on a second one.
    // Ctrl-C already reached the child (same process group): only a SIGTERM is passed on.
    const stop = () => {
      if (input.signal.reason !== 'SIGINT') {
        child.kill('SIGTERM')
      }
    }
    input.signal.addEventListener('abort', stop)
    let teardownAt: number | undefined
    let scanned = 0
    const watch = setInterval(() => {
      const output = child.output()
      if (teardownAt === undefined && TEARDOWN_LINE.test(output.slice(Math.max(0, scanned - 80)))) {
        teardownAt = performance.now()
      }
      scanned = output.length
    }, WATCH_MS)
    const result = await child.result.finally(() => {
      clearInterval(watch)
      input.signal.removeEventListener('abort', stop)
    })
    const wallMs = performance.now() - started
    const output = child.output()
    const resultsDir = /^results: (.+)$/m.exec(output)?.[1]?.trim()
    try {
      if (input.signal.aborted) {
        throw new CcciError(
          'BENCH_INTERRUPTED',
          'the bench was interrupted; cc-ci tore its run down',
        )
      }
      if (result.exitCode !== 0 || !output.includes('LIFECYCLE')) {
        throw new CcciError(
          'BENCH_RUN_FAILED',
          `\`vitest run ${input.projects.map((p) => `--project '${p}'`).join(' ')}\` exited ${result.exitCode}: a benchmark of a failing run means nothing`,
          {
            evidence: [{ label: 'output (last 40 lines)', text: tail(output, 40) }],
            hint: 'run the same command by hand (docs/performance.md shows it) and fix the run first',
          },
        )
      }
      const state = resultsDir === undefined ? undefined : tryReadState(resultsDir)
      const run = resultsDir === undefined ? undefined : readResult(resultsDir)
      const tests = run?.tiers.flatMap((t) => t.tests) ?? []
      const install = state?.ops.install
      const since = (iso: string | undefined, plus = 0) =>
        iso === undefined ? undefined : Date.parse(iso) + plus - spawnedAt
      const opsMs = Object.fromEntries(
        TIER_OPS.map((op) => [op, state?.ops[op]?.durationMs ?? Number.NaN]),
      ) as Record<TierOp, number>
      return {
        wallMs,
        startupMs: (proxy.traffic.firstRequestAt ?? Number.NaN) - started,
        installDoneMs: since(install?.startedAt, install?.durationMs),
        tiersDoneMs: teardownAt === undefined ? since(run?.finishedAt) : teardownAt - started,
        tierOpsMs: TIER_OPS.reduce((sum, op) => sum + (Number.isNaN(opsMs[op]) ? 0 : opsMs[op]), 0),
        opsMs,
        testsMs: tests.reduce((sum, test) => sum + test.durationMs, 0),
        requests: proxy.traffic.requests,
        endpoints: proxy.traffic.endpoints,
      }
    } finally {
      const home = loadSettings().home
      if (
        resultsDir !== undefined &&
        !relative(join(home, 'results'), resultsDir).startsWith('..')
      ) {
        rmSync(resultsDir, { recursive: true, force: true })
      }
    }
  } finally {
    await proxy.close()
  }
}

/** The source cache runs fill for `src`: `<home>/sources/<recipe>/<sha256(src)[:12]>` (harness/run/source.ts). */
export function removeSourceCache(recipe: string, src: string): void {
  const key = createHash('sha256').update(src).digest('hex').slice(0, 12)
  rmSync(join(loadSettings().home, 'sources', recipe, key), { recursive: true, force: true })
}
