import { describe, expect, test } from 'vitest'
import { lintRefusal } from '../../harness/coop/lint-gate.ts'
import {
  anyTierFailed,
  decideResult,
  type ResultInput,
} from '../../harness/results/decide-result.ts'
import { junitXml, summaryMarkdown } from '../../harness/results/report-files.ts'
import type { TierTally } from '../../harness/results/tier-results.ts'
import type { Tier } from '../../harness/run/tier-names.ts'
import { passedTest, resultInput } from '../support/run-results.ts'

describe('the verdict (decideResult)', () => {
  test('every tier passed, deployed once, lint passed, nothing left: ok at level 5', () => {
    const result = decideResult(resultInput())
    expect(result).toMatchObject({ ok: true, level: 5, reason: 'passed', deployCount: 1 })
    expect(result.lifecycle).toBe(
      'LIFECYCLE install: pass | upgrade: pass | backup: pass | restore: pass | custom: pass',
    )
  })
  test.each([
    ['a second deploy', { deployCount: 2 }],
    ['no deploy', { deployCount: 0 }],
    ['an unhandled error', { unhandledErrors: 1 }],
    ['an interruption', { interrupted: 'SIGINT' }],
    ['a leftover', { cleanup: { ok: false, steps: [], leftovers: ['volume x'] } }],
  ] satisfies [string, Partial<ResultInput>][])('%s is never ok', (_why, overrides) => {
    expect(decideResult(resultInput(overrides)).ok).toBe(false)
  })
  test('a failed test fails its tier and the run; the level stops below it', () => {
    const tallies = new Map(resultInput().tallies)
    tallies.set('backup', {
      tests: [{ ...passedTest('backup'), state: 'failed', message: 'no marker' }],
      errors: [],
    })
    const result = decideResult(resultInput({ tallies }))
    expect(result.ok).toBe(false)
    expect(result.level).toBe(2)
    expect(result.tiers.find((t) => t.tier === 'backup')?.status).toBe('fail')
  })
  test('an error outside a test (an import, a hook) fails the tier as well', () => {
    const tallies = new Map(resultInput().tallies)
    tallies.set('custom', { tests: [], errors: ['custom/x.test.ts: cannot import'] })
    expect(anyTierFailed(tallies, [])).toBe(true)
    expect(decideResult(resultInput({ tallies })).tiers.at(-1)?.status).toBe('fail')
  })
  test('install not run means not ok even when nothing failed', () => {
    const tallies = new Map(resultInput().tallies)
    tallies.delete('install')
    expect(decideResult(resultInput({ tallies, selected: new Set(['custom']) })).ok).toBe(false)
  })
  test('an interruption is the reason', () => {
    expect(decideResult(resultInput({ interrupted: 'SIGTERM' })).reason).toBe(
      'interrupted (SIGTERM)',
    )
  })
})

describe('what the run writes', () => {
  test('the PR summary states the verdict, the LIFECYCLE line and each failure', () => {
    const tallies = new Map(resultInput().tallies)
    tallies.set('restore', {
      tests: [{ ...passedTest('restore'), state: 'failed', message: 'the marker is not back' }],
      errors: [],
    })
    const markdown = summaryMarkdown(decideResult(resultInput({ tallies })))
    expect(markdown).toContain('❌ failed (level 2/5)')
    expect(markdown).toContain(
      '`LIFECYCLE install: pass | upgrade: pass | backup: pass | restore: fail | custom: pass`',
    )
    expect(markdown).toContain('the marker is not back')
    expect(markdown).toContain('deploy count 1')
  })
  test('the summary says when cleanup left something', () => {
    const markdown = summaryMarkdown(
      decideResult(resultInput({ cleanup: { ok: false, steps: [], leftovers: ['volume v'] } })),
    )
    expect(markdown).toContain('cleanup incomplete: volume v')
  })
  test('JUnit XML has one suite per tier and escapes markup', () => {
    const tallies = new Map(resultInput().tallies)
    tallies.set('custom', {
      tests: [{ ...passedTest('a <b> & "c"'), state: 'failed', message: 'x < y' }],
      errors: [],
    })
    const xml = junitXml(decideResult(resultInput({ tallies })))
    expect(xml.match(/<testsuite /g)).toHaveLength(5)
    expect(xml).toContain('name="a &lt;b&gt; &amp; &quot;c&quot;"')
    expect(xml).toContain('<failure message="x &lt; y">')
  })
})

describe('the lint gate of install', () => {
  const rule = (ref: string, level: 'warn' | 'error', satisfied: boolean) => ({
    ref,
    level,
    description: `rule ${ref}`,
    satisfied,
    skipped: false,
  })
  test('an error-level failure refuses the deploy, naming the rule and how to resolve it', () => {
    const refusal = lintRefusal({
      ok: false,
      rules: [rule('R009', 'error', false), rule('R001', 'warn', false)],
    })
    expect(refusal?.code).toBe('CCCI_LINT_ERROR')
    expect(refusal?.message).toContain('R009 rule R009 (to resolve:')
    expect(refusal?.message).not.toContain('R001')
  })
  test('warnings, skipped rules and a lint that could not run never stop a deploy', () => {
    expect(lintRefusal({ ok: true, rules: [rule('R001', 'warn', false)] })).toBeUndefined()
    expect(
      lintRefusal({ ok: false, rules: [{ ...rule('R006', 'error', false), skipped: true }] }),
    ).toBeUndefined()
    expect(lintRefusal(undefined)).toBeUndefined()
  })
})

describe('an infrastructure failure (a dependency not ready)', () => {
  const empty = new Map<Tier, TierTally>()
  const infra =
    'keycloak: keycloak does not answer at http://127.0.0.1:9/realms/master [CCCI_DEPS_UNAVAILABLE]'

  test('is the reason, apart from the recipe: no tier failed, not ok', () => {
    const result = decideResult(resultInput({ tallies: empty, deployCount: 0, infra }))
    expect(result).toMatchObject({
      ok: false,
      infra,
      reason: `infra failure (not the recipe): ${infra}`,
    })
    expect(result.tiers.filter((t) => t.status === 'fail')).toEqual([])
  })

  test('summary.md says it is cc-ci’s, not the recipe’s', () => {
    const summary = summaryMarkdown(
      decideResult(resultInput({ tallies: empty, deployCount: 0, infra })),
    )
    expect(summary).toContain("⚠️ infra failure (cc-ci's, not the recipe's)")
    expect(summary).toContain('keycloak does not answer')
    expect(summary).not.toContain('❌ failed')
  })
})
