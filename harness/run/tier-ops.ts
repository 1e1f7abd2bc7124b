import { TIER_OPS, TierSkip } from '../../tiers/index.ts'
import type { Tier } from './tier-names.ts'
import { describeError } from '../errors.ts'
import { redact } from '../redaction/redact.ts'
import type { AppHandle } from '../testing/app-handle.ts'
import { loadRecipeHook } from './recipe-hooks.ts'
import { readState, updateState, type OpOutcome } from './state.ts'
import { blockedBy } from './tier-gate.ts'

/** What the tier's tests do: run, skip with a reason, or fail with the operation's error. */
export interface Gate {
  skip: string | undefined
  fail: string | undefined
}

function gateOf(outcome: OpOutcome): Gate {
  if (outcome.status === 'skip') {
    return { skip: outcome.reason ?? 'skipped', fail: undefined }
  }
  if (outcome.status === 'fail') {
    return { skip: undefined, fail: outcome.error ?? 'the tier operation failed' }
  }
  return { skip: undefined, fail: undefined }
}

/**
 * Performs the tier's operation once per run (the first file of the tier does it; the others
 * find the outcome in the state): unless a prerequisite failed or was skipped, run the recipe's
 * `pre<Tier>` hook, then the operation, and record the outcome.
 */
export async function ensureTierOp(
  tier: Tier,
  app: AppHandle,
  configDir: string | undefined,
): Promise<Gate> {
  const state = readState(app.run.runDir)
  const done = state.ops[tier]
  if (done !== undefined && (tier !== 'install' || state.data['install.hooked'] === true)) {
    return gateOf(done)
  }
  if (tier !== 'install') {
    const blocked = blockedBy(tier, state)
    if (blocked !== undefined) {
      record(app, tier, {
        status: 'skip',
        reason: blocked,
        startedAt: new Date().toISOString(),
        durationMs: 0,
        details: {},
      })
      return { skip: blocked, fail: undefined }
    }
  } else if (done?.status !== 'pass') {
    return gateOf(
      done ?? {
        status: 'fail',
        error: 'install did not run',
        startedAt: '',
        durationMs: 0,
        details: {},
      },
    )
  }
  const started = Date.now()
  const outcome: OpOutcome = {
    status: 'pass',
    startedAt: new Date().toISOString(),
    durationMs: 0,
    details: {},
  }
  try {
    const hook = await loadRecipeHook(configDir, tier)
    if (hook !== undefined) {
      app.log.step(`running recipe hook pre${tier[0]?.toUpperCase()}${tier.slice(1)}`)
      for (const [key, value] of Object.entries((await hook(app)) ?? {})) {
        app.set(key, value)
      }
    }
    outcome.details = await TIER_OPS[tier](app)
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
  if (tier === 'install') {
    app.set('install.hooked', true)
    if (outcome.status === 'fail') {
      record(app, tier, outcome)
    }
  } else {
    record(app, tier, outcome)
  }
  return gateOf(outcome)
}

function record(app: AppHandle, tier: Tier, outcome: OpOutcome): void {
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
