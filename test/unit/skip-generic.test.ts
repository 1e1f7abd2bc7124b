import { describe, expect, test } from 'vitest'
import { RecipeConfigSchema } from '../../harness/recipe/recipe-config.ts'
import {
  envSkippedTiers,
  skipGenericReason,
  skipGenericWarning,
} from '../../harness/overlays/skip-generic.ts'

const config = (input: unknown) => RecipeConfigSchema.parse(input)

describe('opting out of generic suites', () => {
  test('skipGeneric in recipe.ts: a list of tiers, or all', () => {
    expect(skipGenericReason(config({ skipGeneric: ['upgrade'] }), 'upgrade', {})).toBe(
      'skipGeneric in recipe.ts',
    )
    expect(skipGenericReason(config({ skipGeneric: ['upgrade'] }), 'install', {})).toBeUndefined()
    expect(skipGenericReason(config({ skipGeneric: 'all' }), 'restore', {})).toBe(
      'skipGeneric in recipe.ts',
    )
  })

  test('CCCI_SKIP_GENERIC and CCCI_SKIP_GENERIC_<TIER> for local debugging', () => {
    expect(envSkippedTiers({ CCCI_SKIP_GENERIC: '1' })).toEqual([
      'install',
      'upgrade',
      'backup',
      'restore',
      'custom',
    ])
    expect(envSkippedTiers({ CCCI_SKIP_GENERIC: 'backup, restore, nonsense' })).toEqual([
      'backup',
      'restore',
    ])
    expect(
      envSkippedTiers({ CCCI_SKIP_GENERIC_UPGRADE: '1', CCCI_SKIP_GENERIC_INSTALL: '0' }),
    ).toEqual(['upgrade'])
    expect(envSkippedTiers({})).toEqual([])
    expect(skipGenericReason(config({}), 'upgrade', { CCCI_SKIP_GENERIC_UPGRADE: 'true' })).toBe(
      'CCCI_SKIP_GENERIC set in the environment',
    )
  })

  test('the warning is loud in CI and absent without opt-outs', () => {
    expect(skipGenericWarning({})).toBeUndefined()
    expect(skipGenericWarning({ CCCI_SKIP_GENERIC: 'all', CI: 'true' })).toMatch(
      /^!!! WARNING \(CI\): .*install, upgrade/,
    )
    expect(skipGenericWarning({ CCCI_SKIP_GENERIC_BACKUP: '1' })).toMatch(/^warning: .*backup/)
  })
})
