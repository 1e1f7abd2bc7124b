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
import type { TierDefinition } from '../run/tier-definition.ts'
import { readTrigger } from '../run/trigger.ts'
import type { TierProvided } from './context.ts'
import { finishRun } from './finish-run.ts'
import { ownSignals } from './own-signals.ts'
import { requireHost, requireOneRecipe } from './preflight.ts'
import { selectedTiers } from './test-outcomes.ts'

/** What the setup and the teardown of one run share. */
export interface RunScope {
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
export async function start(scope: RunScope, project: TestProject): Promise<void> {
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
      quick: first.quick ?? { quick: false, why: undefined },
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

/** The setup, with what the teardown needs to know when it fails. */
export async function setupScope(scope: RunScope, project: TestProject): Promise<void> {
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
}

/** The teardown: after the setup settled, however it ended. */
export async function teardownScope(scope: RunScope): Promise<void> {
  await scope.pending
  await finishRun({ ...scope, log })
}
