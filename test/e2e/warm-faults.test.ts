import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { loadSettings } from '../../harness/config/settings.ts'
import { resolveRef } from '../../harness/git/index.ts'
import { tryCommand } from '../../harness/process/index.ts'
import { readKnownGood } from '../../harness/warm/known-good.ts'
import { readCanonical } from '../../harness/warm/canonical-record.ts'
import { fixtureRepos, REPO_ROOT } from '../support/fixtures.ts'
import { forgetCanonical, knownGoodMarker } from '../support/warm.ts'

/**
 * SIGKILL at every step of a promotion never leaves a missing, partial or unreadable known-good:
 * before the link is swapped the previous known-good stays, from then on the new one is there;
 * either is whole (every archive matches the manifest), and the next promotion succeeds.
 */
const RECIPE = 'warm-faults'
const repos = fixtureRepos()
let repo: string

async function promote(version: string, fault?: string) {
  const commit = await resolveRef(repo, version)
  return tryCommand(
    process.execPath,
    [
      '--import',
      'tsx',
      join(REPO_ROOT, 'test/support/promote-child.ts'),
      RECIPE,
      repo,
      version,
      commit,
    ],
    {
      cwd: REPO_ROOT,
      timeoutMs: 300_000,
      env: { ...process.env, CCCI_FAULT: fault },
    },
  )
}

beforeAll(async () => {
  await forgetCanonical(RECIPE)
  repo = (await repos.make('warm-notes')).path
  const seeded = await promote('1.0.0+1.0')
  if (seeded.exitCode !== 0) {
    throw new Error(`seeding the canonical failed:\n${seeded.stdout}${seeded.stderr}`)
  }
})

afterAll(async () => {
  await forgetCanonical(RECIPE)
  repos.cleanup()
})

const BEFORE_SWAP = [
  'promote-deploy',
  'promote-health',
  'promote-undeploy',
  'snapshot-archive',
  'snapshot-manifest',
  'snapshot-seal',
  'snapshot-link',
]
const AFTER_SWAP = ['snapshot-cleanup', 'promote-registry']

describe('a promotion killed (SIGKILL) at each step', () => {
  // Each step promotes the other version, so "old" and "new" can be told apart.
  let current = '1.0.0+1.0'
  const other = () => (current === '1.0.0+1.0' ? '1.1.0+1.0' : '1.0.0+1.0')

  test.each(BEFORE_SWAP)('killed at %s: the previous known-good stays, whole', async (step) => {
    const before = await readKnownGood(loadSettings().home, RECIPE)
    const killed = await promote(other(), step)
    expect(killed.signal ?? killed.exitCode, killed.stderr).toBe('SIGKILL')
    const after = await readKnownGood(loadSettings().home, RECIPE)
    expect(after?.id).toBe(before?.id)
    expect(after?.manifest.recipeVersion).toBe(current)
    expect(await knownGoodMarker(RECIPE)).toContain(`${RECIPE} ${current} `)
  })

  test.each(AFTER_SWAP)('killed at %s: the new known-good is in place, whole', async (step) => {
    const killed = await promote(other(), step)
    expect(killed.signal ?? killed.exitCode, killed.stderr).toBe('SIGKILL')
    current = other()
    const after = await readKnownGood(loadSettings().home, RECIPE)
    expect(after?.manifest.recipeVersion).toBe(current)
    expect(await knownGoodMarker(RECIPE)).toContain(`${RECIPE} ${current} `)
  })

  test('after all that, a promotion succeeds and the registry agrees with the known-good', async () => {
    const done = await promote(other())
    expect(done.exitCode, done.stdout + done.stderr).toBe(0)
    current = other()
    const home = loadSettings().home
    expect((await readKnownGood(home, RECIPE))?.manifest.recipeVersion).toBe(current)
    expect(readCanonical(home, RECIPE)).toMatchObject({ version: current, status: 'ok' })
  })
})
