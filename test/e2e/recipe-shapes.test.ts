import { afterAll, beforeAll, expect, test } from 'vitest'
import { fixtureRepo } from '../support/fixtures.ts'
import { expectNothingLeft, runRecipe, type RunOutcome } from '../support/run-recipe.ts'

// twin-web: two compose files, a second service, a templated config, abra.sh exports, a secret
// without modifiers and no backup labels.
let repo: Awaited<ReturnType<typeof fixtureRepo>>
let run: RunOutcome

beforeAll(async () => {
  repo = await fixtureRepo('twin-web')
  run = await runRecipe({ projects: ['twin-web'], src: repo.path })
})

afterAll(() => {
  repo.cleanup()
})

test('a recipe of another shape goes green, with backup and restore reported as declared N/A', async () => {
  expect(run.output).toContain(
    'LIFECYCLE install: pass | upgrade: pass | backup: skip (N/A: stateless: the page is rendered from a config, there is no volume) | restore: skip (N/A: stateless: nothing to restore) | custom: pass',
  )
  expect(run.code, run.output).toBe(0)
  await expectNothingLeft(run.result!)
})

test('declared N/A tiers count towards the level', () => {
  expect(run.result?.level, 'install, upgrade, N/A backup and restore, custom, lint').toBe(5)
  expect(run.result?.tiers.find((t) => t.tier === 'backup')?.expectedNA).toMatch(/^stateless/)
})

test('the upgrade deployed the unreleased head over the last release', () => {
  expect(run.result?.baseVersion).toBe('0.2.0+2.0')
  expect(run.result?.headVersion).toBeUndefined()
})
