import { TIERS } from '../run/tier-names.ts'
import { PHASES, type HistoryRecord, type Phase, type SlowPhase } from './history-record.ts'

/** A budget needs at least this many earlier green runs of the recipe in the same mode. */
export const BUDGET_MIN_RUNS = 5
/** The typical time is the median over at most this many of the newest green runs. */
export const BUDGET_WINDOW = 20
/** A phase is slow above max(typical × 2, typical + 30 s): noise on short phases is not flagged. */
export const BUDGET_FACTOR = 2
export const BUDGET_SLACK_MS = 30_000

export interface PhaseBudget {
  typicalMs: number
  budgetMs: number
  /** How many runs the typical time is the median of. */
  runs: number
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? 0)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
}

/**
 * The budget of one phase, from a recipe's history (oldest first): the median of the phase over
 * the newest BUDGET_WINDOW green runs of `mode` that timed it, and max(typical × 2, typical +
 * 30 s). Undefined with fewer than BUDGET_MIN_RUNS such runs: no budget yet.
 */
export function phaseBudgets(
  history: readonly HistoryRecord[],
  phase: Phase,
  mode: HistoryRecord['mode'],
): PhaseBudget | undefined {
  const times = history
    .filter((r) => r.ok && r.mode === mode)
    .flatMap((r) => {
      const ms = r.phases[phase]
      return ms === undefined ? [] : [ms]
    })
    .slice(-BUDGET_WINDOW)
  if (times.length < BUDGET_MIN_RUNS) {
    return undefined
  }
  const typicalMs = median(times)
  return {
    typicalMs,
    budgetMs: Math.max(typicalMs * BUDGET_FACTOR, typicalMs + BUDGET_SLACK_MS),
    runs: times.length,
  }
}

/** The tiers a run timed (those that ran), as a key: `install,upgrade,backup`. */
function timedTiers(phases: HistoryRecord['phases']): string {
  return TIERS.filter((tier) => phases[tier] !== undefined).join(',')
}

/**
 * The phases of a run above their budget, in the order they run. `history` is the recipe's
 * earlier runs (the run itself is left out by its id). The total is compared only with runs that
 * ran the same tiers (a one-tier run is not a fast full run). A failed run is checked too: a tier
 * that failed after a long wait is worth saying.
 */
export function slowPhases(
  record: Pick<HistoryRecord, 'runId' | 'mode' | 'phases'>,
  history: readonly HistoryRecord[],
): SlowPhase[] {
  const earlier = history.filter((r) => r.runId !== record.runId)
  const sameTiers = earlier.filter((r) => timedTiers(r.phases) === timedTiers(record.phases))
  return PHASES.flatMap((phase) => {
    const ms = record.phases[phase]
    const runs = phase === 'total' ? sameTiers : earlier
    const budget = ms === undefined ? undefined : phaseBudgets(runs, phase, record.mode)
    return ms === undefined || budget === undefined || ms <= budget.budgetMs
      ? []
      : [{ phase, ms, typicalMs: budget.typicalMs, budgetMs: budget.budgetMs }]
  })
}

/** `backup took 95 s, usually 12 s` */
export function slowPhaseLine(
  slow: Pick<SlowPhase, 'ms' | 'typicalMs'> & { phase: string },
): string {
  const s = (ms: number) => `${Math.round(ms / 1000)} s`
  return `${slow.phase} took ${s(slow.ms)}, usually ${s(slow.typicalMs)}`
}
