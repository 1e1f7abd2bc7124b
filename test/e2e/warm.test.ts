import { existsSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { loadSettings } from '../../harness/config/settings.ts'
import { listVolumes } from '../../harness/docker/index.ts'
import { checkout } from '../../harness/git/index.ts'
import { WARM_LABEL } from '../../harness/janitor/owner-labels.ts'
import { readCanonical } from '../../harness/warm/canonical-record.ts'
import { canonicalDir } from '../../harness/warm/warm-paths.ts'
import { commitChange } from '../support/commit-change.ts'
import { configDir } from '../support/config-dir.ts'
import { updateRef } from '../support/git-refs.ts'
import { fixtureRepos, REPO_ROOT } from '../support/fixtures.ts'
import { expectNothingLeft, runJanitor, runRecipe, type RunOutcome } from '../support/run-recipe.ts'
import { forgetCanonical, knownGoodDigest, knownGoodMarker, runSweep } from '../support/warm.ts'

/**
 * The warm layer end to end, as the nightly timer and a maintainer use it: the sweep seeds the
 * canonical of a recipe with three releases, quick runs test changes against a copy of it, and
 * de-enrolling the recipe removes it.
 */
const RECIPE = 'warm-notes'
const repos = fixtureRepos()
let config: string
let repo: string

function writeConfig(enrolled: boolean): void {
  writeFileSync(
    join(config, RECIPE, 'recipe.ts'),
    `import { defineRecipe } from '${REPO_ROOT}/harness/index.ts'
export default defineRecipe({
  source: '${repo}',
  warmCanonical: ${enrolled},
  timeouts: { deploy: 90 },
})
`,
  )
}

/** The sweep reported one row, for the recipe, with these fields. */
function expectOneRow(sweep: Awaited<ReturnType<typeof runSweep>>, row: Record<string, string>) {
  expect(sweep.rows, sweep.output).toEqual([expect.objectContaining({ recipe: RECIPE, ...row })])
}

/** The warm-labelled volumes of the recipe's canonical. */
async function canonicalVolumes(): Promise<string[]> {
  const volumes = await listVolumes({ labels: { [WARM_LABEL]: 'true', 'cc-ci.recipe': RECIPE } })
  return volumes.map((v) => v.name)
}

/** A quick run of the branch: `QUICK=1 vitest run --project warm-notes`, as Drone starts it. */
function quickRun(ref: string): Promise<RunOutcome> {
  return runRecipe({
    projects: [RECIPE],
    src: repo,
    ref,
    recipeDirs: [config],
    env: { QUICK: '1' },
  })
}

beforeAll(async () => {
  await forgetCanonical(RECIPE)
  repo = (await repos.make(RECIPE)).path
  // A good change and a broken one (it refuses the data earlier releases wrote), on the newest release.
  await checkout(repo, '1.2.0+1.0')
  const good = await commitChange(repo, {
    message: 'Say hello on the page',
    replace: { 'compose.yml': [['APP_RELEASE=1.2.0', 'APP_RELEASE=1.3.0-dev']] },
  })
  await updateRef(repo, 'refs/heads/good', good)
  await checkout(repo, '1.2.0+1.0')
  const broken = await commitChange(repo, {
    message: 'A migration that cannot read existing notes',
    replace: {
      'entrypoint.sh': [
        [
          'set -eu\n',
          'set -eu\nif [ -f /data/notes.txt ]; then echo "migration failed" >&2; exit 1; fi\n',
        ],
      ],
      'abra.sh': [['ENTRYPOINT_VERSION=v1', 'ENTRYPOINT_VERSION=v2']],
    },
  })
  await updateRef(repo, 'refs/heads/broken', broken)
  await checkout(repo, 'main')
  config = configDir(dirname(repo), RECIPE, {
    'custom/notes.test.ts': `import { expect, test } from 'vitest'
import { useApp } from '${REPO_ROOT}/harness/index.ts'

test('the notes are the data the app was first started with', async () => {
  const app = useApp()
  const notes = await app.http('notes.txt')
  expect(notes.status).toBe(200)
  // A quick run's data is the canonical's, created when 1.2.0 was promoted.
  expect(notes.body).toMatch(app.run.quick ? /^note 1: created by 1\\.2\\.0$/m : /^note 1: created by /m)
})
`,
  })
  writeConfig(true)
})

afterAll(async () => {
  await forgetCanonical(RECIPE)
  repos.cleanup()
})

describe('the warm canonical of a recipe with three releases', () => {
  let digest: Record<string, string>

  test('the sweep seeds the canonical at the newest release with a green cold run', async () => {
    const sweep = await runSweep([config], RECIPE)
    expectOneRow(sweep, {
      action: 'run',
      tag: '1.2.0+1.0',
      outcome: 'promoted',
      reason: 'no canonical yet',
    })
    expect(sweep.code).toBe(0)
    const record = readCanonical(loadSettings().home, RECIPE)
    expect(record).toMatchObject({
      version: '1.2.0+1.0',
      status: 'ok',
      domain: `warm-${RECIPE}.${loadSettings().domainSuffix}`,
    })
    expect(await knownGoodMarker(RECIPE)).toMatch(/^warm-notes 1\.2\.0\+1\.0 [0-9a-f]{40}\n$/)
    digest = await knownGoodDigest(RECIPE)
    expect(Object.keys(digest).length).toBeGreaterThan(0)
    expect(await canonicalVolumes()).toEqual([
      `warm-${RECIPE}_${loadSettings().domainSuffix.replaceAll('.', '_')}_notes`,
    ])
  })

  test('a quick run of a good change passes on the canonical data and leaves the snapshot byte-identical', async () => {
    const quick = await quickRun('good')
    expect(quick.code, quick.output).toBe(0)
    expect(quick.result).toMatchObject({ mode: 'quick', baseVersion: '1.2.0+1.0', deployCount: 1 })
    expect(quick.result?.promotion).toMatchObject({
      promoted: false,
      reason: 'a --quick run never promotes',
    })
    expect(Object.fromEntries(quick.result!.tiers.map((t) => [t.tier, t.status]))).toEqual({
      install: 'pass',
      upgrade: 'pass',
      backup: 'skip',
      restore: 'skip',
      custom: 'pass',
    })
    expect(quick.output).toContain('quick run: the canonical at 1.2.0+1.0 is reattached')
    // The tiers a quick run leaves to cold runs are skipped with why, and none of their files is
    // even loaded (Vitest prints a line per file it ran: the install tier's, not theirs).
    expect(quick.output).toContain(`|${RECIPE}| generic/install/converged.test.ts`)
    for (const tier of ['backup', 'restore']) {
      expect(quick.result!.tiers.find((t) => t.tier === tier)?.reason).toBe(
        'left to cold runs by a --quick run',
      )
      expect(quick.output).not.toContain(`|${RECIPE}| generic/${tier}/`)
    }
    expect(await knownGoodDigest(RECIPE)).toEqual(digest)
    await expectNothingLeft(quick.result!)
  })

  test('a quick run of a broken change fails, and the canonical data marker is back', async () => {
    const quick = await quickRun('broken')
    expect(quick.code, quick.output).not.toBe(0)
    expect(quick.result?.tiers.find((t) => t.tier === 'upgrade')?.status).toBe('fail')
    expect(quick.result?.promotion?.promoted).toBe(false)
    expect(await knownGoodDigest(RECIPE)).toEqual(digest)
    expect(await knownGoodMarker(RECIPE)).toMatch(/^warm-notes 1\.2\.0\+1\.0 /)
    await expectNothingLeft(quick.result!)
  })

  test('the janitor never touches the canonical', async () => {
    const janitor = await runJanitor()
    expect(janitor.code, janitor.output).toBe(0)
    expect(await canonicalVolumes()).toHaveLength(1)
    expect(await knownGoodDigest(RECIPE)).toEqual(digest)
  })

  test('the sweep run again skips the recipe: its canonical is at the newest release', async () => {
    const sweep = await runSweep([config], RECIPE)
    expectOneRow(sweep, {
      action: 'skip',
      outcome: 'skipped',
      reason: 'the canonical is at the newest release 1.2.0+1.0',
    })
    expect(await knownGoodDigest(RECIPE)).toEqual(digest)
  })

  test('de-enrolling the recipe and sweeping removes its canonical: volumes, snapshot, registry', async () => {
    writeConfig(false)
    const sweep = await runSweep([config], RECIPE)
    expectOneRow(sweep, { action: 'remove', outcome: 'removed', reason: 'no longer enrolled' })
    const home = loadSettings().home
    expect(readCanonical(home, RECIPE)).toBeUndefined()
    expect(existsSync(canonicalDir(home, RECIPE))).toBe(false)
    expect(await canonicalVolumes()).toEqual([])
  })
})
