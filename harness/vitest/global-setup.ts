import type { TestProject, Vitest } from 'vitest/node'
import { loadSettings } from '../config/settings.ts'
import { describeError } from '../errors.ts'
import { createLogger } from '../log.ts'
import { skipGenericWarning } from '../overlays/skip-generic.ts'
import { loadRecipeConfig } from '../recipe/load-recipe.ts'
import { planWarnings } from '../results/run-warnings.ts'
import { redactProcessOutput } from '../redaction/redact-output.ts'
import { redact } from '../redaction/redact.ts'
import { setupRun, type RunHandle } from '../run/setup-run.ts'
import { checkTierDefinitions, type TierDefinition } from '../run/tier-definition.ts'
import { readTrigger } from '../run/trigger.ts'
import type { TierProvided } from './context.ts'
import { finishRun } from './finish-run.ts'
import { ownSignals } from './own-signals.ts'
import { requireHost, requireOneRecipe } from './preflight.ts'
import { selectedTiers } from './test-outcomes.ts'

/** What the setup and the teardown of one run share. */
interface RunScope {
  definitions: TierDefinition[]
  handle: RunHandle
  abort: AbortController
  interrupted: 'SIGINT' | 'SIGTERM' | undefined
  vitest: Vitest | undefined
  /** Settles when the setup is done, however it ended: the teardown waits for it. */
  pending: Promise<unknown> | undefined
  setupError: string | undefined
  startedAt: string | undefined
}

const log = createLogger()

/** Preflight, then the setup steps; provides the run context to the tiers. */
async function start(scope: RunScope, project: TestProject): Promise<void> {
  scope.vitest = project.vitest
  const tiers = selectedTiers(project.vitest)
  const first = requireOneRecipe(tiers)
  const warning = skipGenericWarning()
  if (warning !== undefined) {
    log.warn(warning)
  }
  for (const unapproved of planWarnings(
    tiers.map((t) => t.plan),
    first.recipe,
  )) {
    log.warn(unapproved)
  }
  const settings = loadSettings()
  const trigger = readTrigger()
  await requireHost(settings)
  const config = await loadRecipeConfig({ name: first.recipe, dir: first.configDir })
  ownSignals(project.vitest, log, (signal) => {
    scope.interrupted = signal
    scope.abort.abort()
  })
  redactProcessOutput()
  scope.startedAt = new Date().toISOString()
  const context = setupRun(
    {
      settings,
      recipe: first.recipe,
      config,
      configDir: first.configDir,
      source: first.source as NonNullable<TierProvided['source']>,
      trigger,
      tiers: tiers.map((t) => t.tier),
      definitions: scope.definitions,
      repoLocalApproved: first.repoLocalApproved,
      log,
      signal: scope.abort.signal,
    },
    scope.handle,
  )
  scope.pending = context.catch(() => undefined)
  project.provide('ccci.run', await context)
}

/**
 * The root global setup of a recipe run, for the given tier definitions: Vitest loads
 * `tiers/run-setup.ts`, which exports what this returns (named exports, so the teardown runs even
 * when the setup throws).
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
      try {
        await start(scope, project)
      } catch (error) {
        // Vitest reports a failing global setup as "No test files found"; say what really happened.
        scope.setupError = redact(describeError(error))
        process.stderr.write(
          `\ncc-ci: the run stopped before it could test anything:\n${scope.setupError.replace(/^/gm, '  ')}\n\n`,
        )
        throw error
      }
    },
    async teardown() {
      await scope.pending
      await finishRun({ ...scope, log })
    },
  }
}
