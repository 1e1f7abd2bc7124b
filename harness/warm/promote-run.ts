import type { Settings } from '../config/settings.ts'
import { describeError } from '../errors.ts'
import type { Logger } from '../log.ts'
import type { RecipeConfig } from '../recipe/recipe-config.ts'
import { redact } from '../redaction/redact.ts'
import type { Promotion, RunResult } from '../results/report-files.ts'
import { decidePromotion } from './promote-decision.ts'
import { promoteCanonical } from './promote.ts'

export interface PromoteRunInput {
  settings: Settings
  result: RunResult
  config: RecipeConfig
  /** The run's source cache: a clone with every tag. */
  repo: string | undefined
  log: Logger
}

/**
 * The global teardown's promote step: decides, and promotes when the run is due. A failed
 * promotion is an infra issue: reported, never turning the run red.
 */
export async function promoteAfterRun(input: PromoteRunInput): Promise<Promotion> {
  const { result, config, log } = input
  const decision = decidePromotion({
    enrolled: config.warmCanonical,
    ok: result.ok,
    tiers: result.tiers,
    quick: result.mode === 'quick',
    pr: result.source.pr,
    ref: result.source.ref,
    headVersion: result.headVersion,
  })
  const none = { version: undefined, snapshot: undefined, infra: false }
  if (!decision.promote) {
    return { promoted: false, reason: decision.reason, ...none }
  }
  if (input.repo === undefined) {
    return {
      promoted: false,
      reason: 'the run has no source to deploy the canonical from',
      ...none,
    }
  }
  try {
    const outcome = await promoteCanonical({
      settings: input.settings,
      recipe: result.recipe,
      config,
      version: decision.version,
      commit: result.source.commit,
      repo: input.repo,
      log,
    })
    return {
      promoted: true,
      reason: undefined,
      version: outcome.version,
      snapshot: outcome.snapshot,
      infra: false,
    }
  } catch (error) {
    const reason = redact(describeError(error))
    log.warn(
      `promotion of ${result.recipe} ${decision.version} failed (infra, the run stays green): ${reason}`,
    )
    return { promoted: false, reason, version: decision.version, snapshot: undefined, infra: true }
  }
}
