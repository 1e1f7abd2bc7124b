import { z } from 'zod'
import type { TierStatus } from '../results/tier-results.ts'
import { TIERS } from '../run/tier-names.ts'

/** A tier's status, as in result.json (harness/results/tier-results.ts). */
export const TIER_STATUSES = [
  'pass',
  'fail',
  'skip',
  'error',
  'not-run',
] as const satisfies readonly TierStatus[]

/** The timed parts of a run, in the order they happen; `total` is the whole run. */
export const PHASES = ['setup', ...TIERS, 'teardown', 'total'] as const
export type Phase = (typeof PHASES)[number]

/** Who or what started a run (harness/history/run-trigger.ts decides it from the environment). */
export const TRIGGERS = ['local', 'pr', 'sweep', 'drone'] as const
export type RunTrigger = (typeof TRIGGERS)[number]

export const SlowPhaseSchema = z.object({
  phase: z.enum(PHASES),
  ms: z.number().nonnegative(),
  /** The median of this phase over the recipe's last green runs of the same mode. */
  typicalMs: z.number().nonnegative(),
  /** Above this the phase is flagged (harness/history/phase-budgets.ts). */
  budgetMs: z.number().nonnegative(),
})
export type SlowPhase = z.infer<typeof SlowPhaseSchema>

/**
 * One finished run: a line of `$CCCI_HOME/history/<recipe>.jsonl` (docs/history.md). Derived from
 * result.json and state.json; what `ccci history` prints and `ccci report` draws.
 */
export const HistoryRecord = z.object({
  version: z.literal(1),
  runId: z.string(),
  recipe: z.string(),
  /** The branch, tag or commit asked for (REF); null for the default branch. */
  ref: z.string().nullable(),
  /** The commit tested. */
  commit: z.string(),
  trigger: z.enum(TRIGGERS),
  /** Pull request number, or `local`. */
  pr: z.string(),
  /** Who commented `!testme` (CCCI_TRIGGERED_BY), when known. */
  triggeredBy: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string(),
  ok: z.boolean(),
  level: z.number().int().min(0).max(5),
  /** The LIFECYCLE line. */
  lifecycle: z.string(),
  mode: z.enum(['cold', 'quick']),
  driver: z.string(),
  tiers: z.array(z.object({ tier: z.enum(TIERS), status: z.enum(TIER_STATUSES) })),
  /** Milliseconds per phase; a phase that did not run is absent. */
  phases: z.partialRecord(z.enum(PHASES), z.number().nonnegative()),
  /** The run's results folder (absolute): result.json, summary.md, junit.xml. */
  resultsDir: z.string(),
  /** The diagnostics bundle, relative to resultsDir; null when none was collected. */
  diagnostics: z.string().nullable(),
  slowPhases: z.array(SlowPhaseSchema),
})
export type HistoryRecord = z.infer<typeof HistoryRecord>
