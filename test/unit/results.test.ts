import { describe, expect, test } from 'vitest'
import {
  lifecycleLine,
  runLevel,
  tierResult,
  type TierResult,
} from '../../harness/results/tier-results.ts'
import { TIERS, type Tier } from '../../harness/run/tier-names.ts'

const outcome = (state: 'passed' | 'failed' | 'skipped', message?: string) => ({
  name: 't',
  file: 'f.test.ts',
  state,
  durationMs: 1,
  message,
})

function tiers(statuses: Partial<Record<Tier, 'pass' | 'fail' | 'skip' | 'na'>>): TierResult[] {
  return TIERS.map((tier) => {
    const status = statuses[tier]
    const tests =
      status === 'pass'
        ? [outcome('passed')]
        : status === 'fail'
          ? [outcome('failed', 'boom')]
          : status === undefined
            ? []
            : [outcome('skipped', 'why')]
    return tierResult(
      tier,
      { tests, errors: [] },
      {
        selected: status !== undefined,
        dropped: undefined,
        expectedNA: status === 'na' ? 'stateless' : undefined,
        interrupted: false,
      },
    )
  })
}

describe('tier results', () => {
  test('a failure fails the tier; only skips skip it with their reason; nothing run is not-run', () => {
    const results = tiers({ install: 'pass', upgrade: 'fail', backup: 'skip' })
    expect(results.map((r) => r.status)).toEqual(['pass', 'fail', 'skip', 'not-run', 'not-run'])
    expect(results[1]?.reason).toBe('boom')
    expect(results[2]?.reason).toBe('why')
  })

  test('a module error without a failed test still fails the tier', () => {
    const result = tierResult(
      'custom',
      { tests: [outcome('passed')], errors: ['custom.test.ts: SyntaxError'] },
      {
        selected: true,
        dropped: undefined,
        expectedNA: undefined,
        interrupted: false,
      },
    )
    expect(result.status).toBe('fail')
  })

  test('the LIFECYCLE line shows reasons for skips only', () => {
    expect(
      lifecycleLine(
        tiers({ install: 'pass', upgrade: 'skip', backup: 'na', restore: 'na', custom: 'pass' }),
      ),
    ).toBe(
      'LIFECYCLE install: pass | upgrade: skip (why) | backup: skip (N/A: stateless) | restore: skip (N/A: stateless) | custom: pass',
    )
  })
})

describe('the level understates, never overstates', () => {
  test.each([
    [
      { install: 'pass', upgrade: 'pass', backup: 'pass', restore: 'pass', custom: 'pass' },
      'pass',
      5,
    ],
    [
      { install: 'pass', upgrade: 'pass', backup: 'pass', restore: 'pass', custom: 'pass' },
      'fail',
      4,
    ],
    [{ install: 'pass', upgrade: 'pass', backup: 'na', restore: 'na', custom: 'pass' }, 'pass', 5],
    [
      { install: 'pass', upgrade: 'skip', backup: 'pass', restore: 'pass', custom: 'pass' },
      'pass',
      1,
    ],
    [
      { install: 'pass', upgrade: 'pass', backup: 'pass', restore: 'fail', custom: 'pass' },
      'pass',
      2,
    ],
    [{ install: 'fail' }, 'pass', 0],
    [{ install: 'pass', upgrade: 'pass', backup: 'pass', restore: 'pass' }, 'pass', 3],
  ] as const)('%j with lint %s is level %i', (statuses, lint, level) => {
    expect(runLevel(tiers(statuses), lint)).toBe(level)
  })
})
