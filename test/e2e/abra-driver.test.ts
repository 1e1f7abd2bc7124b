import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { RunResult } from '../../harness/results/report-files.ts'
import { parseAbraArgv } from '../fakes/abra/abra-argv.ts'
import { fixtureRepo, REPO_ROOT } from '../support/fixtures.ts'
import { expectNothingLeft, runRecipe, type RunOutcome } from '../support/run-recipe.ts'

/**
 * The same recipe run twice through `vitest run --project tiny-html`: once with the abra driver
 * (the fake abra first on PATH, so the whole abra path runs: pseudo-terminal, argv, ABRA_DIR,
 * output parsing) and once with the swarm driver. The tiers must come out the same.
 */

const work = mkdtempSync(join(tmpdir(), 'ccci-e2e-abra-'))
const calls = join(work, 'abra-calls.jsonl')
type Repo = Awaited<ReturnType<typeof fixtureRepo>>
let repo: Repo | undefined
const runs: Partial<Record<'abra' | 'swarm', RunOutcome>> = {}

function statuses(result: RunResult | undefined): Record<string, string> {
  return Object.fromEntries((result?.tiers ?? []).map((t) => [t.tier, t.status]))
}

beforeAll(async () => {
  repo = await fixtureRepo('tiny-html')
  runs.abra = await runRecipe({
    projects: ['tiny-html'],
    src: repo.path,
    env: {
      CCCI_DRIVER: 'abra',
      PATH: [
        join(REPO_ROOT, 'test', 'fakes', 'abra'),
        dirname(process.execPath),
        process.env.PATH,
      ].join(':'),
      CCCI_FAKE_ABRA_REQUIRE_TTY: '1',
      CCCI_FAKE_ABRA_LOG: calls,
    },
  })
  runs.swarm = await runRecipe({
    projects: ['tiny-html'],
    src: repo.path,
    env: { CCCI_DRIVER: 'swarm' },
  })
})

afterAll(() => {
  repo?.cleanup()
  rmSync(work, { recursive: true, force: true })
})

describe('the abra driver (through the fake abra) and the swarm driver', () => {
  test('the abra run is green, recorded as abra, and leaves nothing', async () => {
    const run = runs.abra
    expect(statuses(run?.result), run?.output).toEqual({
      install: 'pass',
      upgrade: 'pass',
      backup: 'pass',
      restore: 'pass',
      custom: 'pass',
    })
    expect(run?.result?.driver).toBe('abra')
    expect(run?.result?.deployCount).toBe(1)
    expect(run?.code).toBe(0)
    expect(
      run?.output,
      'abra itself removed everything; the sweep had nothing to do',
    ).not.toContain('abra left')
    await expectNothingLeft(run!.result!)
  })

  test('it really went through abra: every tier operation was an abra command under a terminal', () => {
    expect(existsSync(calls), 'the fake abra was never called').toBe(true)
    const entries = readFileSync(calls, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { argv: string[]; tty: boolean })
    const commands = entries.map((e) => parseAbraArgv(e.argv).command)
    expect(commands.filter((c) => c === 'app new')).toHaveLength(1)
    expect(commands.filter((c) => c === 'app deploy')).toHaveLength(2)
    expect(commands).toEqual(
      expect.arrayContaining([
        'app secret generate',
        'app backup create',
        'app restore',
        'app undeploy',
        'app volume remove',
        'app secret remove',
      ]),
    )
    expect(entries.filter((e) => !e.tty)).toEqual([])
  })

  test('the swarm run is green, recorded as swarm', async () => {
    const run = runs.swarm
    expect(run?.result?.driver).toBe('swarm')
    expect(run?.code, run?.output).toBe(0)
    await expectNothingLeft(run!.result!)
  })

  test('both drivers give identical tier results', () => {
    const tiers = (run: RunOutcome | undefined) =>
      (run?.result?.tiers ?? []).map((t) => ({
        tier: t.tier,
        status: t.status,
        tests: t.tests.map(
          (x) => `${x.state} ${x.name.replace(/ccci-[0-9a-f]{12}/, 'ccci-<marker>')}`,
        ),
      }))
    expect(tiers(runs.abra)).toEqual(tiers(runs.swarm))
    expect(tiers(runs.swarm)).toHaveLength(5)
  })
})
