import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { commitChange } from '../support/commit-change.ts'
import { listServices } from '../../harness/docker/index.ts'
import { RUN_LABEL } from '../../harness/janitor/owner-labels.ts'
import { readLeases } from '../../harness/janitor/lease.ts'
import { loadSettings } from '../../harness/config/settings.ts'
import { tryCommand } from '../../harness/process/index.ts'
import type { RunResult } from '../../harness/results/report-files.ts'
import { FIXTURE_CONFIG, fixtureRepo, REPO_ROOT } from '../support/fixtures.ts'
import { expectNothingLeft, finishRun, runRecipe, startRun } from '../support/run-recipe.ts'

let repo: Awaited<ReturnType<typeof fixtureRepo>>

beforeAll(async () => {
  repo = await fixtureRepo('tiny-html')
})

afterAll(() => {
  repo.cleanup()
})

/** A run of tiny-html started and held in its custom tier (the app deployed) until it is stopped. */
async function heldRun(): Promise<{ hold: string; started: ReturnType<typeof startRun> }> {
  const hold = mkdtempSync(join(tmpdir(), 'ccci-hold-'))
  const started = startRun({
    projects: ['tiny-html'],
    src: repo.path,
    env: { CCCI_TEST_HOLD: hold },
  })
  const deadline = Date.now() + 180_000
  while (!existsSync(join(hold, 'ready')) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  expect(existsSync(join(hold, 'ready')), 'the run reached the holding test').toBe(true)
  return { hold, started }
}

async function runServices(): Promise<string[]> {
  return (await listServices({ labels: { [RUN_LABEL]: true } })).map((s) => s.name)
}

describe('vitest run --project <recipe>', () => {
  test('deploys once, goes green on install and leaves nothing behind', async () => {
    const run = await runRecipe({ projects: ['tiny-html'], src: repo.path })
    expect(run.output).toMatch(/LIFECYCLE install: pass \|/)
    expect(run.code, run.output).toBe(0)
    expect(run.result?.deployCount).toBe(1)
    expect(run.result?.tiers.find((t) => t.tier === 'custom')?.status).toBe('pass')
    expect(run.result?.cleanup?.ok).toBe(true)
    await expectNothingLeft(run.result!)
  })

  test("--reporter=junit replaces Vitest's reporters, never the results: result files, LIFECYCLE and the closing line", async () => {
    const run = await runRecipe({
      projects: ['tiny-html (install)'],
      src: repo.path,
      vitestArgs: ['--reporter=junit'],
    })
    expect(run.output).toMatch(/^LIFECYCLE install: pass \|/m)
    expect(run.output).toMatch(/^\d+ passed, 0 failed$/m)
    expect(run.result?.tiers[0]).toMatchObject({ tier: 'install', status: 'pass' })
    for (const file of ['summary.md', 'junit.xml']) {
      expect(existsSync(join(run.resultsDir ?? '', file)), file).toBe(true)
    }
    expect(run.code, run.output).toBe(0)
    await expectNothingLeft(run.result!)
  })

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    test(`${signal} mid-tier cancels the run and still tears everything down`, async () => {
      const { hold, started } = await heldRun()
      expect(
        (await runServices()).length,
        'the app is deployed while the tier runs',
      ).toBeGreaterThan(0)
      started.kill(signal)
      const run = await finishRun(started)
      rmSync(hold, { recursive: true, force: true })
      expect(run.code, run.output).toBe(signal === 'SIGINT' ? 130 : 143)
      expect(run.output).toContain(`${signal}: cancelling the run`)
      expect(run.result?.reason).toContain('interrupted')
      await expectNothingLeft(run.result!)
    })
  }

  test('SIGKILL mid-tier leaves the run behind; `./ccci janitor` unwinds its cleanup stack and nothing is left', async () => {
    const { hold, started } = await heldRun()
    const lease = readLeases(loadSettings().home).find((l) => l.pid === started.pid)
    expect(lease, 'the run holds a lease').toBeDefined()
    // No teardown: the main process and the tier worker die at once, as in a crash.
    process.kill(Number(readFileSync(join(hold, 'ready'), 'utf8')), 'SIGKILL')
    started.kill('SIGKILL')
    await started.result
    rmSync(hold, { recursive: true, force: true })
    expect((await runServices()).length, 'the dead run left its app').toBeGreaterThan(0)
    const janitor = await tryCommand('bash', [join(REPO_ROOT, 'ccci'), 'janitor'], {
      cwd: REPO_ROOT,
      timeoutMs: 300_000,
    })
    expect(janitor.exitCode, janitor.stdout + janitor.stderr).toBe(0)
    expect(janitor.stdout).toContain(`run ${lease?.runId} (tiny-html)`)
    // The dead run's own cleanup stack was unwound first, with the teardown's undo steps.
    expect(janitor.stdout).toContain(`removed undeploy ${lease?.stack}`)
    expect(janitor.stdout).toMatch(/removed env file \S+\.env/)
    expect(janitor.stdout).toMatch(/removed [1-9]\d*, failed 0/)
    await expectNothingLeft({ runId: lease?.runId ?? '', domain: lease?.domain ?? '' } as RunResult)
  })

  test('a deploy that fails names the failing service and its task error, and cleans up', async () => {
    const broken = await fixtureRepo('tiny-html')
    await commitChange(broken.path, {
      message: 'use an image that does not exist',
      replace: {
        'compose.yml': [['image: ccci-local/busybox:1', 'image: ccci-local/does-not-exist:1']],
      },
    })
    const run = await runRecipe({ projects: ['tiny-html (install)'], src: broken.path })
    broken.cleanup()
    expect(run.code).not.toBe(0)
    expect(run.output).toMatch(/LIFECYCLE install: fail/)
    const install = run.result?.tiers.find((t) => t.tier === 'install')
    expect(install?.status).toBe('fail')
    expect(install?.reason).toMatch(/app: .*(No such image|does-not-exist)/)
    await expectNothingLeft(run.result!)
  })
})

describe('hooks', () => {
  test('a failing install-steps.sh fails install with its output, and cleans up', async () => {
    const config = mkdtempSync(join(tmpdir(), 'ccci-config-'))
    mkdirSync(join(config, 'tiny-html'))
    writeFileSync(
      join(config, 'tiny-html', 'install-steps.sh'),
      'echo "preparing $CCCI_APP_DOMAIN"\necho "the upstream server is unreachable" >&2\nexit 7\n',
    )
    const run = await runRecipe({
      projects: ['tiny-html (install)'],
      src: repo.path,
      recipeDirs: [config],
    })
    rmSync(config, { recursive: true, force: true })
    const install = run.result?.tiers.find((t) => t.tier === 'install')
    expect(install?.status, run.output).toBe('fail')
    expect(install?.reason).toMatch(
      /install-steps\.sh failed: `sh -eu \S+install-steps\.sh` exited 7/,
    )
    expect(install?.reason).toContain('the upstream server is unreachable')
    expect(run.result?.deployCount, 'nothing was deployed').toBe(0)
    await expectNothingLeft(run.result!)
  })
})

describe('tier gates', () => {
  test('a test file whose own beforeAll fails fails its tier, and tiers that need it are skipped', async () => {
    const config = mkdtempSync(join(tmpdir(), 'ccci-config-'))
    mkdirSync(join(config, 'tiny-html', 'backup'), { recursive: true })
    writeFileSync(
      join(config, 'tiny-html', 'backup', 'broken.test.ts'),
      "import { beforeAll, test } from 'vitest'\n" +
        "beforeAll(() => { throw new Error('the backup check cannot start') })\n" +
        "test('never runs', () => {})\n",
    )
    const run = await runRecipe({
      projects: ['tiny-html (install)', 'tiny-html (backup)', 'tiny-html (restore)'],
      src: repo.path,
      recipeDirs: [config],
    })
    rmSync(config, { recursive: true, force: true })
    const status = (tier: string) => run.result?.tiers.find((t) => t.tier === tier)
    expect(status('backup')?.status, run.output).toBe('fail')
    expect(status('restore')?.status).toBe('skip')
    expect(status('restore')?.reason).toBe('prerequisite tier backup failed')
    await expectNothingLeft(run.result!)
  })
})

describe('refusals deploy nothing', () => {
  test('two recipes selected: a clear message, nothing deployed', async () => {
    const config = mkdtempSync(join(tmpdir(), 'ccci-config-'))
    for (const name of ['tiny-html', 'other-one']) {
      mkdirSync(join(config, name))
    }
    const before = await runServices()
    const run = await runRecipe({ projects: [], src: repo.path, recipeDirs: [config] })
    rmSync(config, { recursive: true, force: true })
    expect(run.code).not.toBe(0)
    expect(run.output).toContain(
      '2 recipes selected (other-one, tiny-html): a run tests exactly one recipe',
    )
    expect(await runServices()).toEqual(before)
  })

  test('no recipe selected: a clear message, nothing deployed', async () => {
    const config = mkdtempSync(join(tmpdir(), 'ccci-config-'))
    const run = await runRecipe({ projects: [], src: repo.path, recipeDirs: [config] })
    rmSync(config, { recursive: true, force: true })
    expect(run.code).not.toBe(0)
    expect(run.output).toContain('no recipe selected: no recipes in')
    expect(await runServices()).toEqual([])
  })

  test('a recipe without compose.yml: the error names the file, nothing deployed', async () => {
    const broken = await fixtureRepo('tiny-html')
    await commitChange(broken.path, { message: 'lose compose.yml', remove: ['compose.yml'] })
    const run = await runRecipe({ projects: ['tiny-html'], src: broken.path })
    broken.cleanup()
    expect(run.code).not.toBe(0)
    expect(run.output).toMatch(/recipe tiny-html at [0-9a-f]{8} has no compose.yml/)
    expect(await runServices()).toEqual([])
  })

  test('what is not built yet is refused before deploying: a --quick run, recipe deps', async () => {
    const quick = await runRecipe({ projects: ['tiny-html'], src: repo.path, env: { QUICK: '1' } })
    expect(quick.code).not.toBe(0)
    expect(quick.output).toContain('a --quick run needs the warm canonical deployments')
    const config = mkdtempSync(join(tmpdir(), 'ccci-config-'))
    mkdirSync(join(config, 'tiny-html'))
    writeFileSync(join(config, 'tiny-html', 'recipe.ts'), `export default { deps: ['keycloak'] }\n`)
    const deps = await runRecipe({ projects: ['tiny-html'], src: repo.path, recipeDirs: [config] })
    rmSync(config, { recursive: true, force: true })
    expect(deps.code).not.toBe(0)
    expect(deps.output).toContain('tiny-html needs keycloak, which this cc-ci cannot provide yet')
    expect(await runServices()).toEqual([])
  })

  test('an invalid recipe.ts: the error names the file, the key and what was expected', async () => {
    const config = mkdtempSync(join(tmpdir(), 'ccci-config-'))
    mkdirSync(join(config, 'tiny-html'))
    writeFileSync(
      join(config, 'tiny-html', 'recipe.ts'),
      `export default { timeouts: { install: 'soon' }, colour: 'blue' }\n`,
    )
    const run = await runRecipe({
      projects: ['tiny-html'],
      src: repo.path,
      recipeDirs: [config, FIXTURE_CONFIG],
    })
    rmSync(config, { recursive: true, force: true })
    expect(run.code).not.toBe(0)
    expect(run.output).toContain(
      `${join(config, 'tiny-html', 'recipe.ts')} is not a valid recipe config`,
    )
    expect(run.output).toMatch(/timeouts\.install: .*number/)
    expect(run.output).toMatch(/colour/)
    expect(await runServices()).toEqual([])
  })
})
