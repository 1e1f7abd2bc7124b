import type * as Vitest from 'vitest'
import { CcciError } from '../errors.ts'

/**
 * The parts of Vitest's test API the harness uses inside a tier worker. The harness never imports
 * the `vitest` runtime module itself: loaded outside a test worker (a recipe.ts read by the config,
 * the global setup) it throws. The tier setup file (`tiers/tier-setup.ts`), which only ever runs in
 * a worker, hands it over before any tier file is imported.
 */
export type VitestRuntime = Pick<
  typeof Vitest,
  'inject' | 'beforeAll' | 'beforeEach' | 'afterAll' | 'expect' | 'vi'
>

const KEY = Symbol.for('cc-ci.vitest-runtime')

/** Called by the tier setup file, once per tier file. */
export function bindVitestRuntime(runtime: VitestRuntime): void {
  ;(globalThis as Record<symbol, unknown>)[KEY] = runtime
}

export function vitestRuntime(): VitestRuntime {
  const runtime = (globalThis as Record<symbol, unknown>)[KEY] as VitestRuntime | undefined
  if (runtime === undefined) {
    throw new CcciError(
      'CCCI_NOT_IN_A_RUN',
      'the app, the run context and the expectations exist only in tier files of a recipe run',
      {
        hint: 'call useApp(), runContext() and the expect helpers from test files, not from recipe.ts or at config time',
      },
    )
  }
  return runtime
}
