import { afterAll, beforeAll, beforeEach, inject } from 'vitest'
import { markTierFailed, ensureTierOp, type Gate } from '../run/tier-ops.ts'
import { useApp } from '../testing/index.ts'

/**
 * Runs before every tier file (a project `setupFiles` entry): performs the tier's operation once,
 * then skips each test when a prerequisite tier failed, or fails it with the operation's error.
 */
const { tier, configDir } = inject('ccci.tier')
let gate: Gate = { skip: undefined, fail: undefined }

beforeAll(async () => {
  gate = await ensureTierOp(tier, useApp(), configDir)
})

beforeEach((context) => {
  if (gate.skip !== undefined) {
    context.skip(gate.skip)
  }
  if (gate.fail !== undefined) {
    throw new Error(`${tier} failed before its tests could run:\n${gate.fail}`)
  }
  context.onTestFailed(() => {
    markTierFailed(useApp().run.runDir, tier)
  })
})

// A test file whose own hooks failed (an import, a beforeAll) failed its tier too: tiers that
// need it must be skipped, as for a failed test.
// Vitest wants the first argument of a hook destructured; the suite is the second.
// eslint-disable-next-line no-empty-pattern
afterAll(({}, suite) => {
  if ((suite.result?.errors?.length ?? 0) > 0) {
    markTierFailed(useApp().run.runDir, tier)
  }
})
