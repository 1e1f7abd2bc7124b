import { resolve } from 'node:path'
import { CcciError } from '../errors.ts'
import { vitestRuntime } from './vitest-runtime.ts'
import type { HostAccessGrant } from '../coop/host-access.ts'
import type { ErrorData } from '../error-data.ts'
import type { Tier } from '../run/tier-names.ts'
import type { PreparedSource } from '../run/source.ts'
import type { TierPlan } from '../overlays/tier-plan.ts'
import type { QuickDecision } from '../warm/quick-plan.ts'

/** What the root global setup provides to every tier once the app is deployed. */
export interface RunContext {
  runId: string
  runDir: string
  resultsDir: string
  recipe: string
  domain: string
  stack: string
  /** `https://<domain>[:port]/`. */
  url: string
  driver: 'swarm' | 'abra'
  server: string
  recipeDir: string
  envFile: string
  /** The commit under test (the PR head). */
  headCommit: string
  /** The published version the head commit is tagged with, if any. */
  headVersion: string | undefined
  /** What was deployed first: a published version, or undefined for the head (chaos). */
  baseVersion: string | undefined
  /** What install deploys: a published version, or undefined for a chaos deploy of the head. */
  deployVersion: string | undefined
  /** Values written into the app env after `.env.sample` (recipe.ts `extraEnv`, resolved). */
  appEnv: Record<string, string>
  /** The `install-steps.sh` install runs between `app new` and the deploy, if any. */
  installSteps: string | undefined
  /** The recipe's config folder (recipes/<recipe>), undefined for a zero-config recipe. */
  configDir: string | undefined
  /** The version label the first deploy was asked to carry (undefined: a chaos deploy of the head). */
  expectedVersionLabel: string | undefined
  /** For a chaos deploy, the short commit its chaos-version label must carry. */
  expectedChaosVersion: string | undefined
  /** The install tier's request; `statuses` undefined: any status below 400. */
  health: { path: string; statuses: number[] | undefined }
  /** Hosts under this suffix resolve to 127.0.0.1 (the local proxy). */
  loopbackSuffix: string | undefined
  /** PEM of the CA that signs app certificates, when not the system's. */
  ca: string | undefined
  /** recipe.ts `hostAccess`: what the recipe may reach of the host (everything else is refused). */
  hostAccess: HostAccessGrant[]
  /** recipe.ts `backupCapable`; undefined: detect from the labels of what is deployed. */
  backupCapableOverride: boolean | undefined
  /** recipe.ts `timeouts.deploy`, for every deploy of the run (upgrade included). */
  deployTimeoutMs: number | undefined
  /** recipe.ts `timeouts['install-steps']` (default 600 s): a hanging install-steps.sh is stopped. */
  installStepsTimeoutMs: number
  expectedNA: Partial<Record<Tier, string>>
  /** A --quick run: install reattaches the recipe's warm canonical (harness/warm/reattach.ts). */
  quick: boolean
}

/** What the config gives each tier of the recipe a run tests (`inject('ccci.tiers')`). */
export interface TierProvided {
  recipe: string
  tier: Tier
  plan: TierPlan
  /**
   * The tier's test timeout; its operation's deadline (cc-ci abandons it then); the hooks'
   * timeout, after that deadline, so that Vitest never gives up on the operation first.
   */
  timeouts: { testMs: number; operationMs: number; hookMs: number }
  source: PreparedSource | undefined
  sourceError: string | undefined
  /** Why recipe.ts did not load, raised as is by the global setup. */
  configError: ErrorData | undefined
  configDir: string | undefined
  /** Tiers that got no project, and why (no file would run; a quick run's skips): reported as skipped. */
  droppedTiers: Partial<Record<Tier, string>>
  /** The run's quick decision (the tested recipe only), made once by the config. */
  quick: QuickDecision | undefined
  repoLocalApproved: boolean
}

declare module 'vitest' {
  export interface ProvidedContext {
    'ccci.run': RunContext
    /** The tiers a project runs: one (a tier project) or every tier of the recipe. */
    'ccci.tiers': TierProvided[]
  }
}

/** The run context inside a tier test. */
export function runContext(): RunContext {
  return vitestRuntime().inject('ccci.run')
}

/** The tier of the test file running now, inside a tier test. */
export function tierContext(): TierProvided {
  const runtime = vitestRuntime()
  // Undefined outside a recipe's project (a file run by another Vitest config).
  const tiers = (runtime.inject('ccci.tiers') as TierProvided[] | undefined) ?? []
  const file = runtime.expect.getState().testPath
  const found = tierOfFile(tiers, file)
  if (found === undefined) {
    throw new CcciError(
      'CCCI_NOT_IN_A_RUN',
      `${file ?? 'this file'} is not a file of any tier of this run (${tiers.map((t) => t.tier).join(', ') || 'none'})`,
      {
        hint: "tier files live in generic/<tier>/, recipes/<recipe>/<tier>/ or the recipe's tests/<tier>/; run them with `vitest run --project <recipe>`",
      },
    )
  }
  return found
}

/** The tiers a Vitest project runs (one, or all of its recipe's), from what the config provides. */
export function tiersOf(project: { getProvidedContext(): unknown }): TierProvided[] {
  return (project.getProvidedContext() as { 'ccci.tiers'?: TierProvided[] })['ccci.tiers'] ?? []
}

/**
 * The tier whose plan holds `file`, among the tiers a project provides (a tier project provides
 * one: that one).
 */
export function tierOfFile(
  tiers: readonly TierProvided[],
  file: string | undefined,
): TierProvided | undefined {
  if (tiers.length === 1) {
    return tiers[0]
  }
  const path = file === undefined ? undefined : resolve(file)
  return tiers.find((t) => t.plan.files.some((f) => resolve(f.path) === path))
}
