import { describe, expect, test } from 'vitest'
import { decidePromotion, type PromoteInput } from '../../harness/warm/promote-decision.ts'
import { decideQuick, describeQuickPlan } from '../../harness/warm/quick-plan.ts'
import { canonicalDomain } from '../../harness/warm/warm-paths.ts'
import { checkStackNameLength } from '../../harness/coop/stack-name-limit.ts'
import { TIERS } from '../../harness/run/tier-names.ts'

const green = (overrides: Partial<PromoteInput> = {}): PromoteInput => ({
  enrolled: true,
  ok: true,
  tiers: TIERS.map((tier) => ({ tier, status: 'pass', reason: undefined, expectedNA: undefined })),
  quick: false,
  pr: 'local',
  ref: '1.2.0+1.0',
  headVersion: '1.2.0+1.0',
  ...overrides,
})

describe('promotion (decidePromotion)', () => {
  test('a green, cold, complete run of a published tag from no pull request promotes', () => {
    expect(decidePromotion(green())).toEqual({ promote: true, version: '1.2.0+1.0' })
  })

  test.each([
    [{ enrolled: false }, 'warmCanonical is not true'],
    [{ quick: true }, 'a --quick run never promotes'],
    [{ pr: '42' }, 'a pull request run never promotes'],
    [{ ref: 'refs/pull/42/head' }, 'a pull request run never promotes'],
    [{ headVersion: undefined }, 'not a published release tag'],
    [{ ok: false }, 'the run did not pass'],
  ] as const)('%o does not promote: %s', (overrides, reason) => {
    const decision = decidePromotion(green(overrides))
    expect(decision.promote).toBe(false)
    expect(decision.promote ? '' : decision.reason).toContain(reason)
  })

  test('a run of some tiers only does not promote, a tier skipped for a reason does', () => {
    const partial = green({
      tiers: TIERS.map((tier) => ({
        tier,
        status: tier === 'custom' ? 'not-run' : 'pass',
        reason: undefined,
        expectedNA: undefined,
      })),
    })
    expect(decidePromotion(partial)).toEqual({
      promote: false,
      reason: 'not every tier ran (custom)',
    })
    const skipped = green({
      tiers: TIERS.map((tier) => ({
        tier,
        status: tier === 'upgrade' ? 'skip' : 'pass',
        reason: tier === 'upgrade' ? 'no previous published version' : undefined,
        expectedNA: undefined,
      })),
    })
    expect(decidePromotion(skipped).promote).toBe(true)
  })
})

describe('quick or cold (decideQuick)', () => {
  const record = {
    recipe: 'notes',
    domain: 'warm-notes.ci.example',
    version: '1.1.0+1',
    commit: 'abc',
    status: 'ok' as const,
    ts: 'now',
  }

  test('a quick run deploys the version of the known-good data, not what the registry says', () => {
    expect(
      decideQuick({ asked: true, enrolled: true, record, snapshot: { version: '1.2.0+1' } }),
    ).toEqual({ quick: true, version: '1.2.0+1' })
    expect(describeQuickPlan({ quick: true, version: '1.2.0+1' })).toEqual([
      '--quick: against the canonical at 1.2.0+1; never promotes, never changes the canonical',
      "  install  reattaches a copy of the canonical's known-good data at 1.2.0+1",
      '  upgrade  deploys the code under test over that data, in place',
      '  backup   skipped: left to cold runs by a --quick run',
      '  restore  skipped: left to cold runs by a --quick run',
      "  custom   runs the recipe's own tests on the upgraded copy",
    ])
  })

  test('not asked: cold, nothing to say', () => {
    expect(
      decideQuick({ asked: false, enrolled: true, record, snapshot: { version: '1.2.0+1' } }),
    ).toEqual({ quick: false, why: undefined })
  })

  test.each([
    [{ enrolled: false }, 'keeps no warm canonical'],
    [{ record: undefined }, 'has no canonical yet'],
    [{ record: { ...record, status: 'failed' as const } }, 'has no canonical yet'],
    [{ snapshot: { problem: 'notes.tar.gz is missing' } }, 'unusable: notes.tar.gz is missing'],
  ])('%o: a cold run that says why', (overrides, why) => {
    const decision = decideQuick({
      asked: true,
      enrolled: true,
      record,
      snapshot: { version: '1.1.0+1' },
      ...overrides,
    })
    expect(decision.quick).toBe(false)
    expect(decision.quick ? '' : decision.why).toContain(why)
    expect(describeQuickPlan(decision)).toEqual([
      `--quick: the run would be cold: ${decision.quick ? '' : decision.why}`,
    ])
  })
})

describe('the canonical domain (canonicalDomain)', () => {
  test('is stable per recipe and within the stack name limit, long names included', () => {
    expect(canonicalDomain('notes', 'ci.example')).toBe('warm-notes.ci.example')
    const long = 'a-recipe-with-a-very-long-name-indeed'
    const domain = canonicalDomain(long, 'ccci.localhost')
    expect(domain).toBe(canonicalDomain(long, 'ccci.localhost'))
    expect(domain).not.toBe(canonicalDomain(`${long}-2`, 'ccci.localhost'))
    expect(() => checkStackNameLength(domain)).not.toThrow()
  })
})
