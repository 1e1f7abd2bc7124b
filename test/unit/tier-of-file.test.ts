import { expect, test } from 'vitest'
import type { Tier } from '../../harness/run/tier-names.ts'
import { tierOfFile, type TierProvided } from '../../harness/vitest/context.ts'

const tier = (name: Tier, paths: string[]): TierProvided => ({
  recipe: 'r',
  tier: name,
  plan: {
    tier: name,
    files: paths.map((path) => ({ relative: 'a.test.ts', path, layer: 'generic' })),
    replaced: [],
    skippedGeneric: [],
    notRun: [],
  },
  timeouts: { testMs: 1000, operationMs: 2000, hookMs: 3000 },
  source: undefined,
  sourceError: undefined,
  configError: undefined,
  configDir: undefined,
  droppedTiers: {},
  quick: undefined,
  repoLocalApproved: false,
})

const install = tier('install', ['/c/generic/install/a.test.ts', '/c/recipes/r/install/b.test.ts'])
const upgrade = tier('upgrade', ['/c/generic/upgrade/a.test.ts'])

test('tierOfFile: in a project of every tier, the tier whose plan holds the file', () => {
  expect(tierOfFile([install, upgrade], '/c/recipes/r/install/b.test.ts')?.tier).toBe('install')
  expect(tierOfFile([install, upgrade], '/c/generic/upgrade/../upgrade/a.test.ts')?.tier).toBe(
    'upgrade',
  )
  expect(tierOfFile([install, upgrade], '/c/generic/backup/a.test.ts')).toBeUndefined()
  expect(tierOfFile([install, upgrade], undefined)).toBeUndefined()
  expect(tierOfFile([], '/c/generic/install/a.test.ts')).toBeUndefined()
})

test('tierOfFile: a tier project provides one tier, which every file of it belongs to', () => {
  expect(tierOfFile([upgrade], '/elsewhere/x.test.ts')?.tier).toBe('upgrade')
})
