import { expect, test } from 'vitest'
import { planWarnings, runWarnings } from '../../harness/results/run-warnings.ts'
import { versionWarnings } from '../../harness/run/choose-versions.ts'

test("a run's warnings come from its setup, its routes and its backup, each once, in that order", () => {
  expect(
    runWarnings({
      'setup.warnings': ['tag 1.2.0+ is no release'],
      'install.routeWarnings': ['proxy: app: names victim'],
      'upgrade.routeWarnings': ['proxy: app: names victim', 42],
      'backup.artifact': { id: 'b1', warnings: ['backupbot.backup.command is not understood'] },
      lint: { ok: true },
    }),
  ).toEqual([
    'tag 1.2.0+ is no release',
    'proxy: app: names victim',
    'backupbot.backup.command is not understood',
  ])
})

test('a run without any has none, whatever the shape of the state', () => {
  expect(runWarnings({})).toEqual([])
  expect(runWarnings({ 'setup.warnings': 'not a list', 'backup.artifact': null })).toEqual([])
})

test('tags that look like releases and are not are named in one warning', () => {
  const choice = { headVersion: undefined, baseVersion: undefined, upgradeSkip: undefined }
  expect(versionWarnings({ ...choice, notVersions: [] })).toEqual([])
  expect(versionWarnings({ ...choice, notVersions: ['1.2.0+', 'v1.0'] })).toEqual([
    'not recipe versions, so not releases: tags 1.2.0+, v1.0 (a release tag is <semver>+<app version>, e.g. 1.2.0+3.4.5)',
  ])
})

test("a recipe's own tests that do not run (not approved) are a warning naming them", () => {
  const file = { relative: 'own.test.ts', path: '/x/own.test.ts', layer: 'repo-local' as const }
  const plan = (tier: 'install' | 'custom', notRun: (typeof file)[]) => ({
    tier,
    files: [],
    replaced: [],
    skippedGeneric: [],
    notRun: notRun.map((f) => ({ ...f, reason: 'not approved in repo-local-approved.txt' })),
  })
  expect(planWarnings([plan('install', []), plan('custom', [])], 'demo')).toEqual([])
  expect(planWarnings([plan('install', [file]), plan('custom', [file])], 'demo')).toEqual([
    "the recipe's own tests did not run (install/own.test.ts, custom/own.test.ts): demo is not listed in repo-local-approved.txt; a cc-ci maintainer approves a recipe's tests by adding it there",
  ])
})
