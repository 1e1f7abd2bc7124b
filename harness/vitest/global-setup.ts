import type { TestProject } from 'vitest/node'
import { checkTierDefinitions, type TierDefinition } from '../run/tier-definition.ts'
import type { RunScope } from './run-scope.ts'

/**
 * The root global setup of a recipe run, for the given tier definitions: Vitest loads
 * `tiers/run-setup.ts`, which exports what this returns (named exports, so the teardown runs even
 * when the setup throws). The setup and teardown themselves (run-scope.ts: deploy, teardown,
 * results, promotion, history) load when they run: every tier worker loads the harness's public
 * surface too, and needs none of them.
 */
export function createGlobalSetup(tierDefinitions: readonly TierDefinition[]): {
  setup: (project: TestProject) => Promise<void>
  teardown: () => Promise<void>
} {
  const scope: RunScope = {
    definitions: checkTierDefinitions(tierDefinitions),
    handle: {},
    abort: new AbortController(),
    interrupted: undefined,
    vitest: undefined,
    pending: undefined,
    setupError: undefined,
    startedAt: undefined,
  }
  return {
    async setup(project) {
      const { setupScope } = await import('./run-scope.ts')
      await setupScope(scope, project)
    },
    async teardown() {
      const { teardownScope } = await import('./run-scope.ts')
      await teardownScope(scope)
    },
  }
}
