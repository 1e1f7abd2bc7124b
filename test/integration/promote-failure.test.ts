import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { loadSettings } from '../../harness/config/settings.ts'
import { createLogger } from '../../harness/log.ts'
import { RecipeConfigSchema } from '../../harness/recipe/recipe-config.ts'
import { summaryMarkdown, type RunResult } from '../../harness/results/report-files.ts'
import { TIERS } from '../../harness/run/tier-names.ts'
import { readCanonical } from '../../harness/warm/canonical-record.ts'
import { readKnownGood } from '../../harness/warm/known-good.ts'
import { promoteAfterRun } from '../../harness/warm/promote-run.ts'
import { forgetCanonical } from '../support/warm.ts'

/** A promotion that fails is cc-ci's infra issue: reported, never turning the green run red. */
const RECIPE = 'warm-broken-promote'

function greenResult(): RunResult {
  return {
    version: 1,
    runId: 'warm-broken-run',
    recipe: RECIPE,
    domain: 'x.ccci.localhost',
    driver: 'swarm',
    source: { src: '/nowhere', ref: '1.0.0+1.0', commit: 'c0ffee', pr: 'local' },
    headVersion: '1.0.0+1.0',
    baseVersion: undefined,
    startedAt: undefined,
    finishedAt: 'now',
    reason: 'passed',
    deployCount: 1,
    lifecycle: 'LIFECYCLE install: pass',
    level: 5,
    ok: true,
    tiers: TIERS.map((tier) => ({
      tier,
      status: 'pass',
      reason: undefined,
      expectedNA: undefined,
      passed: 1,
      failed: 0,
      skipped: 0,
      durationMs: 1,
      tests: [],
    })),
    plan: [],
    lint: undefined,
    cleanup: { ok: true, steps: [], leftovers: [] },
    hostAccess: [],
    warnings: [],
    mode: 'cold',
    promotion: undefined,
  }
}

beforeAll(() => forgetCanonical(RECIPE))
afterAll(() => forgetCanonical(RECIPE))

describe('a promotion that fails', () => {
  test('is reported as infra with its error, leaves no known-good, marks the record failed', async () => {
    const result = greenResult()
    result.promotion = await promoteAfterRun({
      settings: loadSettings(),
      result,
      config: RecipeConfigSchema.parse({ warmCanonical: true }),
      repo: '/nonexistent/recipe-repo',
      log: createLogger('test'),
    })
    expect(result.promotion).toMatchObject({ promoted: false, infra: true, version: '1.0.0+1.0' })
    expect(result.promotion.reason).toMatch(/nonexistent/)
    expect(result.ok).toBe(true)
    expect(summaryMarkdown(result)).toContain(
      "⚠️ canonical not promoted (infra issue, not the recipe's)",
    )
    expect(summaryMarkdown(result)).toContain('✅ passed')
    const home = loadSettings().home
    expect(await readKnownGood(home, RECIPE)).toBeUndefined()
    expect(readCanonical(home, RECIPE)).toMatchObject({ status: 'failed', version: '1.0.0+1.0' })
  })
})
