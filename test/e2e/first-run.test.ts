import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { listServices } from '../../harness/docker/index.ts'
import { RUN_LABEL } from '../../harness/janitor/owner-labels.ts'
import { fixtureRepo } from '../support/fixtures.ts'
import { expectNothingLeft, runRecipe } from '../support/run-recipe.ts'

let repo: Awaited<ReturnType<typeof fixtureRepo>>

beforeAll(async () => {
  repo = await fixtureRepo('tiny-html')
})

afterAll(() => {
  repo.cleanup()
})

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

  test('with no Docker answering, the run stops before anything with what to do (the config-started host check)', async () => {
    const nowhere = mkdtempSync(join(tmpdir(), 'ccci-no-docker-'))
    const run = await runRecipe({
      projects: ['tiny-html'],
      src: repo.path,
      env: { DOCKER_HOST: `unix://${join(nowhere, 'docker.sock')}` },
      timeoutMs: 120_000,
    })
    rmSync(nowhere, { recursive: true, force: true })
    expect(run.code).not.toBe(0)
    expect(run.output).toContain('the run stopped before it could test anything')
    expect(run.output).toMatch(/no swarm to deploy to: .+\[CCCI_HOST_NOT_READY\]/)
    expect(run.output).toContain('What to do: run `./ccci host up`')
    expect(run.output).toMatch(/^LIFECYCLE not run: the run stopped before deploying$/m)
    expect(run.resultsDir).toBeUndefined()
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

  test('a --quick run of a recipe without a warm canonical runs cold, and says why', async () => {
    const quick = await runRecipe({ projects: ['tiny-html'], src: repo.path, env: { QUICK: '1' } })
    expect(quick.code, quick.output).toBe(0)
    expect(quick.result?.mode).toBe('cold')
    expect(quick.result?.warnings).toContain(
      '--quick asked, ran cold: the recipe keeps no warm canonical (recipe.ts warmCanonical is not true)',
    )
    expect(quick.result?.promotion?.promoted).toBe(false)
    await expectNothingLeft(quick.result!)
  })
})
