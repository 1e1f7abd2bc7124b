import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { runCommand } from '../../harness/process/index.ts'
import { FIXTURE_CONFIG, fixtureRepo, REPO_ROOT } from '../support/fixtures.ts'
import { expectNothingLeft, runRecipe } from '../support/run-recipe.ts'

let repo: Awaited<ReturnType<typeof fixtureRepo>>
const approvedRoot = mkdtempSync(join(tmpdir(), 'ccci-approved-'))

beforeAll(async () => {
  repo = await fixtureRepo('tiny-html')
  mkdirSync(join(approvedRoot, 'tiny-html'))
  writeFileSync(join(approvedRoot, 'repo-local-approved.txt'), '# test fixture\ntiny-html\n')
})

afterAll(() => {
  repo.cleanup()
  rmSync(approvedRoot, { recursive: true, force: true })
})

async function plan(recipeDirs: string): Promise<string> {
  const result = await runCommand(
    process.execPath,
    [
      '--import',
      join(REPO_ROOT, 'node_modules/tsx/dist/loader.mjs'),
      join(REPO_ROOT, 'harness/cli/main.ts'),
      'plan',
      'tiny-html',
      '--src',
      repo.path,
    ],
    { timeoutMs: 120_000, env: { CCCI_RECIPE_DIRS: recipeDirs } },
  )
  return result.stdout
}

describe('overlays: generic suites, recipe files and repo-local tests', () => {
  test('ccci plan shows each file with its layer, what it replaces, and the unapproved repo-local test', async () => {
    const output = await plan(FIXTURE_CONFIG)
    expect(output).toMatch(/^plan for tiny-html \(.+ @ [0-9a-f]{8}\)$/m)
    expect(output).toMatch(/^ {2}run +generic +generic\/install\/converged\.test\.ts$/m)
    expect(output).toMatch(
      /^ {2}run +recipe +test\/fixtures\/config\/tiny-html\/install\/https\.test\.ts +\(replaces generic\)$/m,
    )
    expect(output).toMatch(
      /^ {2}run +recipe +test\/fixtures\/config\/tiny-html\/custom\/site\.test\.ts$/m,
    )
    expect(output).toMatch(
      /^ {2}not run +repo-local +tests\/custom\/repo-local\.test\.ts +\(not approved/m,
    )
  })

  test('a run uses the override and the extra custom tests, and records the plan in result.json', async () => {
    const run = await runRecipe({
      projects: ['tiny-html (install)', 'tiny-html (custom)'],
      src: repo.path,
    })
    expect(run.code, run.output).toBe(0)
    const names = run.result?.tiers.flatMap((t) => t.tests.map((c) => `${t.tier}: ${c.name}`)) ?? []
    expect(names).toContain('install: the site answers over HTTPS with its own page')
    expect(names).not.toContain('install: the app answers over HTTPS with the expected status')
    expect(names).toContain('custom: the site serves the title from its env')
    const browser = run.result?.tiers
      .flatMap((t) => t.tests)
      .find((t) => t.name.startsWith('a browser sees'))
    expect(browser?.state, 'the Playwright flow in real Chromium').toBe('passed')
    expect(names.some((n) => n.includes('repo-local'))).toBe(false)
    const custom = run.result?.plan.find((p) => p.tier === 'custom')
    expect(custom?.notRun.map((f) => f.relative)).toEqual(['repo-local.test.ts'])
    await expectNothingLeft(run.result!)
  })

  test('an approved recipe runs its repo-local tests, which import the harness through @cc-ci/harness', async () => {
    const output = await plan(approvedRoot)
    expect(output).toMatch(/^ {2}run +repo-local +tests\/custom\/repo-local\.test\.ts$/m)
    const run = await runRecipe({
      projects: ['tiny-html (install)', 'tiny-html (custom)'],
      src: repo.path,
      recipeDirs: [approvedRoot],
    })
    expect(run.code, run.output).toBe(0)
    const custom = run.result?.tiers.find((t) => t.tier === 'custom')
    expect(custom?.tests.map((t) => `${t.state} ${t.name}`)).toContain(
      'passed repo-local: the served page names the recipe',
    )
    await expectNothingLeft(run.result!)
  })

  test('a recipe without a folder runs the generic suites (zero config) through ./ccci run', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'ccci-empty-'))
    const result = await runCommand(
      join(REPO_ROOT, 'ccci'),
      ['run', 'tiny-html', '--src', repo.path, '--tier', 'install'],
      {
        timeoutMs: 300_000,
        env: { CCCI_RECIPE_DIRS: empty, CCCI_QUIET: '1', FORCE_COLOR: '0', NO_COLOR: '1' },
      },
    ).catch((error: unknown) => error as Error)
    rmSync(empty, { recursive: true, force: true })
    const output = 'stdout' in result ? result.stdout + result.stderr : String(result)
    expect(output).toContain('no folder under')
    expect(output).toMatch(/LIFECYCLE install: pass/)
    expect(output).toContain('✓ |tiny-html (install)| generic/install/https.test.ts')
  })
})
