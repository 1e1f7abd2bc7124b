import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from 'vitest'
import { loadSettings } from '../../harness/config/settings.ts'
import { startCommand, tryCommand, type StartedCommand } from '../../harness/process/index.ts'
import { readLeases } from '../../harness/janitor/lease.ts'
import { readResult, type RunResult } from '../../harness/results/report-files.ts'
import { runLeftovers } from '../../harness/run/teardown-run.ts'
import { FIXTURE_CONFIG, REPO_ROOT } from './fixtures.ts'

export interface RunOptions {
  /** `--project` values, e.g. `tiny-html` or `tiny-html (install)`; none: no filter. */
  projects: string[]
  src?: string
  ref?: string
  recipeDirs?: string[]
  env?: Record<string, string | undefined>
  timeoutMs?: number
  /** More Vitest options, e.g. `--reporter=junit`. */
  vitestArgs?: string[]
}

export interface RunOutcome {
  code: number
  output: string
  resultsDir: string | undefined
  result: RunResult | undefined
}

/** Starts `vitest run --project ...` in this checkout, literally, as a user would. */
export function startRun(options: RunOptions): StartedCommand {
  return startCommand(
    process.execPath,
    [
      join(REPO_ROOT, 'node_modules', 'vitest', 'vitest.mjs'),
      'run',
      ...options.projects.flatMap((p) => ['--project', p]),
      ...(options.vitestArgs ?? []),
    ],
    {
      cwd: REPO_ROOT,
      timeoutMs: options.timeoutMs ?? 300_000,
      env: {
        ...process.env,
        VITEST: undefined,
        VITEST_MODE: undefined,
        VITEST_POOL_ID: undefined,
        VITEST_WORKER_ID: undefined,
        NODE_ENV: undefined,
        CCCI_RECIPE_DIRS: (options.recipeDirs ?? [FIXTURE_CONFIG]).join(':'),
        SRC: options.src,
        REF: options.ref,
        // A domain of its own, so concurrent runs on this machine never share one.
        PR: String(100_000 + Math.floor(Math.random() * 900_000)),
        FORCE_COLOR: '0',
        NO_COLOR: '1',
        ...options.env,
      },
    },
  )
}

export async function finishRun(started: StartedCommand): Promise<RunOutcome> {
  const result = await started.result
  const output = started.output()
  const resultsDir = /^results: (.+)$/m.exec(output)?.[1]?.trim()
  return {
    code: result.exitCode,
    output,
    resultsDir,
    result: resultsDir === undefined ? undefined : readResult(resultsDir),
  }
}

export async function runRecipe(options: RunOptions): Promise<RunOutcome> {
  return finishRun(startRun(options))
}

/** Nothing of the run exists: no Docker object with its owner label or its stack's label, no env file, lease or run folder. */
export async function expectNothingLeft(result: RunResult): Promise<void> {
  const settings = loadSettings()
  const stack = result.domain.replaceAll('.', '_')
  expect(await runLeftovers(result.runId, stack), 'Docker objects of the run or its stack').toEqual(
    [],
  )
  expect(
    existsSync(join(settings.abraDir, 'servers', settings.server, `${result.domain}.env`)),
    'env file',
  ).toBe(false)
  expect(
    readLeases(settings.home).map((l) => l.runId),
    'leases',
  ).not.toContain(result.runId)
  expect(existsSync(join(settings.home, 'runs', result.runId)), 'run folder').toBe(false)
}

/** `./ccci janitor`, as an operator runs it after a crash: its exit code and everything it printed. */
export async function runJanitor(): Promise<{ code: number; output: string }> {
  const run = await tryCommand('bash', [join(REPO_ROOT, 'ccci'), 'janitor'], {
    cwd: REPO_ROOT,
    timeoutMs: 300_000,
  })
  return { code: run.exitCode, output: run.stdout + run.stderr }
}
