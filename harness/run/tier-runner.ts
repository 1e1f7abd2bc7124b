import { CcciError, describeError } from '../errors.ts'
import { withDeadline } from '../poll.ts'
import { redact } from '../redaction/redact.ts'
import type { AppHandle } from '../testing/app-handle.ts'
import { registerUndo } from './cleanup-journal.ts'
import { untilInterrupted, workerInterruption } from './interrupted.ts'
import { loadRecipeHook } from './recipe-hooks.ts'
import { recordEnvSecrets } from './run-secrets.ts'
import { readState, updateState, type OpOutcome } from './state.ts'
import { TierSkip, type TierDefinition, type TierOperationContext } from './tier-definition.ts'
import { blockedBy } from './tier-gate.ts'
import type { Tier } from './tier-names.ts'

/** What the tier's tests do: run, skip with a reason, or fail with the operation's error. */
export interface Gate {
  skip: string | undefined
  fail: string | undefined
}

export function gateOf(outcome: OpOutcome | undefined): Gate {
  if (outcome === undefined) {
    return { skip: undefined, fail: 'the tier operation did not run' }
  }
  if (outcome.status === 'skip') {
    return { skip: outcome.reason ?? 'skipped', fail: undefined }
  }
  if (outcome.status === 'fail') {
    return { skip: undefined, fail: outcome.error ?? 'the tier operation failed' }
  }
  return { skip: undefined, fail: undefined }
}

function newOutcome(): OpOutcome {
  return { status: 'pass', startedAt: new Date().toISOString(), durationMs: 0, details: {} }
}

/** The context a tier operation gets: the app handle plus the run's cleanup stack and signal. */
export function operationContext(
  app: AppHandle,
  tier: Tier,
  signal: AbortSignal,
): TierOperationContext {
  return {
    ...app,
    signal,
    registerUndo: (kind) => registerUndo(app.run.runDir, { kind, by: tier }),
    countDeploy: () =>
      updateState(app.run.runDir, (state) => {
        state.installs += 1
      }),
  }
}

/**
 * Runs `step` and returns its outcome: a thrown TierSkip skips, anything else fails with the
 * (redacted) error.
 */
export async function outcomeOf(step: () => Promise<Record<string, unknown>>): Promise<OpOutcome> {
  const started = Date.now()
  const outcome = newOutcome()
  try {
    outcome.details = await step()
  } catch (error) {
    if (error instanceof TierSkip) {
      outcome.status = 'skip'
      outcome.reason = error.message
    } else {
      outcome.status = 'fail'
      outcome.error = redact(describeError(error))
    }
  }
  outcome.durationMs = Date.now() - started
  return outcome
}

async function runHook(
  definition: TierDefinition,
  app: AppHandle,
  configDir: string | undefined,
): Promise<void> {
  const hook = await loadRecipeHook(configDir, definition.hook)
  if (hook !== undefined) {
    app.log.step(`running recipe hook ${definition.hook}`)
    for (const [key, value] of Object.entries((await hook(app)) ?? {})) {
      app.set(key, value)
    }
  }
}

/**
 * A tier operation, unless it outlives `ms`: then the tier fails with CCCI_TIER_TIMEOUT. The tiers
 * of a run share one worker, so an operation left running would run beside the next tier's.
 */
export function withinTierDeadline<T>(work: Promise<T>, tier: Tier, ms: number): Promise<T> {
  return withDeadline(
    work,
    ms,
    () =>
      new CcciError(
        'CCCI_TIER_TIMEOUT',
        `the ${tier} operation did not finish within ${Math.round(ms / 1000)} s; it was abandoned`,
        {
          hint: `raise timeouts.${tier} in recipe.ts if it needs longer; otherwise the diagnostics bundle shows what it was waiting for`,
        },
      ),
  )
}

/**
 * Performs the tier's part once per run (the first file of the tier does it; the others find the
 * outcome in the state). A `tier` operation: unless a prerequisite failed or was skipped, the
 * recipe's hook, then the operation. A `setup` operation already ran in the global setup: only
 * its hook runs here, once, when the operation passed.
 */
export async function ensureTierOp(
  definition: TierDefinition,
  app: AppHandle,
  configDir: string | undefined,
  deadlineMs: number,
): Promise<Gate> {
  const tier = definition.name
  const state = readState(app.run.runDir)
  const done = state.ops[tier]
  if (definition.when === 'setup') {
    if (done?.status !== 'pass' || state.data[`${tier}.hooked`] === true) {
      return gateOf(done)
    }
    const hooked = await outcomeOf(async () => {
      await untilInterrupted(runHook(definition, app, configDir), workerInterruption())
      return {}
    })
    app.set(`${tier}.hooked`, true)
    if (hooked.status !== 'pass') {
      record(app, tier, {
        ...done,
        status: hooked.status,
        error: hooked.error,
        reason: hooked.reason,
      })
    }
    return gateOf(hooked.status === 'pass' ? done : hooked)
  }
  if (done !== undefined) {
    return gateOf(done)
  }
  const blocked = blockedBy(definition, state)
  if (blocked !== undefined) {
    const skipped: OpOutcome = { ...newOutcome(), status: 'skip', reason: blocked }
    record(app, tier, skipped)
    return gateOf(skipped)
  }
  const interruption = workerInterruption()
  // Past its deadline the operation is abandoned: it stops between two of its actions.
  const signal = AbortSignal.any([interruption, AbortSignal.timeout(deadlineMs)])
  const context = operationContext(app, tier, signal)
  const outcome = await outcomeOf(() =>
    untilInterrupted(
      withinTierDeadline(
        (async () => {
          await runHook(definition, app, configDir)
          return definition.operation(context)
        })(),
        tier,
        deadlineMs,
      ),
      interruption,
    ),
  )
  record(app, tier, outcome)
  return gateOf(outcome)
}

/** Keeps a tier's outcome and what its operation returned (as `<tier>.<key>`). */
export function record(app: Pick<AppHandle, 'run'>, tier: Tier, outcome: OpOutcome): void {
  // The operation may have written the app env (install, upgrade): its secret-named values too.
  recordEnvSecrets(app.run.runDir, app.run.envFile)
  updateState(app.run.runDir, (state) => {
    state.ops[tier] = outcome
    for (const [key, value] of Object.entries(outcome.details)) {
      state.data[`${tier}.${key}`] = value
    }
    if (outcome.status === 'fail' && !state.failedTiers.includes(tier)) {
      state.failedTiers.push(tier)
    }
  })
}

/** Marks a tier failed (a test of it failed), so tiers that need it are skipped. */
export function markTierFailed(runDir: string, tier: Tier): void {
  updateState(runDir, (state) => {
    if (!state.failedTiers.includes(tier)) {
      state.failedTiers.push(tier)
    }
  })
}
