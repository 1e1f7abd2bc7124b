import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { HistoryRecord } from '../../harness/history/history-record.ts'
import { tryCommand } from '../../harness/process/index.ts'
import { TIERS } from '../../harness/run/tier-names.ts'
import { fixtureRepos, REPO_ROOT } from '../support/fixtures.ts'
import { runRecipe } from '../support/run-recipe.ts'

const repos = fixtureRepos()
afterAll(repos.cleanup)

/** `./ccci history tiny-html ...`, literally, in the home the runs use. */
const ccciHistory = (...args: string[]) =>
  tryCommand('bash', [join(REPO_ROOT, 'ccci'), 'history', 'tiny-html', ...args], {
    cwd: REPO_ROOT,
    timeoutMs: 120_000,
    env: { CCCI_QUIET: '1' },
  })

describe('a finished run is recorded in the run history', () => {
  let run: Awaited<ReturnType<typeof runRecipe>>

  beforeAll(async () => {
    run = await runRecipe({
      projects: ['tiny-html'],
      src: (await repos.make('tiny-html')).path,
      env: { CCCI_TRIGGERED_BY: 'alice' },
    })
  })

  test('`ccci history tiny-html --json` prints the run with its tiers, level and phases', async () => {
    expect(run.code, run.output).toBe(0)
    const result = run.result!
    // Other runs of tiny-html may finish at the same time: the run is found by its id.
    const printed = await ccciHistory('--json', '--limit', '100000')
    expect(printed.exitCode, printed.stderr).toBe(0)
    const records = HistoryRecord.array().parse(JSON.parse(printed.stdout))
    const record = records.find((r) => r.runId === result.runId)
    expect(record, `run ${result.runId} in the history`).toMatchObject({
      recipe: 'tiny-html',
      commit: result.source.commit,
      trigger: 'pr',
      pr: result.source.pr,
      triggeredBy: 'alice',
      ok: true,
      level: 5,
      lifecycle: result.lifecycle,
      mode: 'cold',
      driver: result.driver,
      resultsDir: run.resultsDir,
      diagnostics: null,
      slowPhases: result.slowPhases,
      tiers: TIERS.map((tier) => ({ tier, status: 'pass' })),
    })
    expect(Object.keys(record?.phases ?? {}).sort()).toEqual(
      ['setup', ...TIERS, 'teardown', 'total'].sort(),
    )
    expect(
      result.slowPhases,
      'result.json says which phases were slow (maybe none)',
    ).toBeInstanceOf(Array)
  })

  test('`ccci history tiny-html` prints it as a table row', async () => {
    const printed = await ccciHistory('--limit', '100000')
    expect(printed.exitCode, printed.stderr).toBe(0)
    const row = printed.stdout
      .split('\n')
      .find((l) => l.includes(`pr #${run.result?.source.pr ?? '?'} `))
    expect(row).toMatch(/alice\s+cold\s+passed\s+5\/5\s+✓✓✓✓✓\s+\d/)
    expect(row).toContain(run.result?.source.commit.slice(0, 8))
  })
})
