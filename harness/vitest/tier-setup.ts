import {
  checkTierDefinitions,
  tierDefinition,
  type TierDefinition,
} from '../run/tier-definition.ts'
import { workerInterruption } from '../run/interrupted.ts'
import { ensureTierOp, markTierFailed, type Gate } from '../run/tier-runner.ts'
import { useApp } from '../testing/index.ts'
import { tierContext } from './context.ts'
import { bindVitestRuntime, type VitestRuntime } from './vitest-runtime.ts'

/**
 * The tier gate, for the given tier definitions: `tiers/tier-setup.ts` (every tier file's setup
 * file) calls it with Vitest's test API, before each tier file. Performs the tier's operation
 * once, then skips each test when a prerequisite tier failed, or fails it with the operation's
 * error. The tiers of a run share one worker: the file's tier (found by its path) sets its
 * timeouts, and no stub or fake timer a previous file left behind reaches the operation.
 */
export function installTierGate(
  definitions: readonly TierDefinition[],
  runtime: VitestRuntime,
): void {
  bindVitestRuntime(runtime)
  const { beforeAll, beforeEach, afterAll, vi } = runtime
  const { tier, configDir, timeouts } = tierContext()
  const definition = tierDefinition(checkTierDefinitions(definitions), tier)
  let gate: Gate = { skip: undefined, fail: undefined }
  // From now on an interrupted run reaches this worker's tier operation (see own-signals.ts).
  workerInterruption()
  // What an earlier file (another tier's, in the same worker) left: stubbed env and globals, fake
  // timers. Undone before this tier's operation runs. Vitest restores mocks between files itself.
  vi.unstubAllEnvs()
  vi.unstubAllGlobals()
  vi.useRealTimers()
  // For this file only: Vitest restores the project's config after each file.
  vi.setConfig({ testTimeout: timeouts.testMs, hookTimeout: timeouts.hookMs })

  beforeAll(async () => {
    gate = await ensureTierOp(definition, useApp(), configDir, timeouts.operationMs)
  }, timeouts.hookMs)

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
