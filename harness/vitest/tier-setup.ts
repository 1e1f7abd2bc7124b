import {
  checkTierDefinitions,
  tierDefinition,
  type TierDefinition,
} from '../run/tier-definition.ts'
import { workerInterruption } from '../run/interrupted.ts'
import { ensureTierOp, markTierFailed, type Gate } from '../run/tier-runner.ts'
import { useApp } from '../testing/index.ts'
import { bindVitestRuntime, type VitestRuntime } from './vitest-runtime.ts'

/**
 * The tier gate, for the given tier definitions: `tiers/tier-setup.ts` (every tier file's setup
 * file) calls it with Vitest's test API. Performs the tier's operation once, then skips each test when a prerequisite
 * tier failed, or fails it with the operation's error.
 */
export function installTierGate(
  definitions: readonly TierDefinition[],
  runtime: VitestRuntime,
): void {
  bindVitestRuntime(runtime)
  const { inject, beforeAll, beforeEach, afterAll } = runtime
  const { tier, configDir } = inject('ccci.tier')
  const definition = tierDefinition(checkTierDefinitions(definitions), tier)
  let gate: Gate = { skip: undefined, fail: undefined }
  // From now on an interrupted run reaches this worker's tier operation (see own-signals.ts).
  workerInterruption()

  beforeAll(async () => {
    gate = await ensureTierOp(definition, useApp(), configDir)
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
}
