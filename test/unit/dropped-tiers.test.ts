import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import type { TierPlan } from '../../harness/overlays/tier-plan.ts'
import { TIERS, type Tier } from '../../harness/run/tier-names.ts'
import { droppedTiers } from '../../harness/vitest/recipe-projects.ts'
import { custom } from '../../tiers/custom.ts'

const file = (tier: Tier) => ({
  relative: 'a.test.ts',
  path: `/x/${tier}/a.test.ts`,
  layer: 'generic' as const,
})
const tiers = (empty: Tier[]): TierPlan[] =>
  TIERS.map((tier) => ({
    tier,
    files: empty.includes(tier) ? [] : [file(tier)],
    replaced: [],
    skippedGeneric: [],
    notRun: [],
  }))

test('droppedTiers: a tier with no file gets no project, with why', () => {
  expect(droppedTiers({ tiers: tiers(['upgrade']), quick: undefined, idleGeneric: {} })).toEqual({
    upgrade: 'no tests for this tier',
  })
  expect(
    droppedTiers({
      tiers: tiers(['custom']),
      quick: { quick: false, why: undefined },
      idleGeneric: { custom: 'the recipe ships no Playwright suite' },
    }),
  ).toEqual({ custom: 'the recipe ships no Playwright suite' })
})

test('droppedTiers: a quick run drops the tiers it leaves to cold runs, a cold one none', () => {
  expect(
    droppedTiers({ tiers: tiers([]), quick: { quick: true, version: '1.2.0' }, idleGeneric: {} }),
  ).toEqual({
    backup: 'left to cold runs by a --quick run',
    restore: 'left to cold runs by a --quick run',
  })
  expect(
    droppedTiers({
      tiers: tiers([]),
      quick: { quick: false, why: 'the recipe has no canonical yet' },
      idleGeneric: {},
    }),
  ).toEqual({})
})

const dir = mkdtempSync(join(tmpdir(), 'ccci-idle-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('custom: the generic suite idles when the recipe ships no Playwright suite', () => {
  expect(custom.genericIdle?.({ repoLocalDir: undefined })).toBe(
    'the recipe ships no Playwright suite',
  )
  mkdirSync(join(dir, 'custom'), { recursive: true })
  writeFileSync(join(dir, 'custom', 'notes.test.ts'), '')
  expect(custom.genericIdle?.({ repoLocalDir: dir })).toBe('the recipe ships no Playwright suite')
  writeFileSync(join(dir, 'custom', 'login.spec.ts'), '')
  expect(custom.genericIdle?.({ repoLocalDir: dir })).toBeUndefined()
})
