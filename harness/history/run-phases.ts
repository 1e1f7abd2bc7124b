import type { RunResult } from '../results/report-files.ts'
import type { OpOutcome } from '../run/state.ts'
import type { Tier } from '../run/tier-names.ts'
import type { HistoryRecord } from './history-record.ts'

export interface PhaseInput {
  result: Pick<RunResult, 'startedAt' | 'finishedAt' | 'tiers'>
  /** state.json's tier operations (their start and duration). */
  ops: Partial<Record<Tier, OpOutcome>>
  /** The global teardown's own time (measured by harness/vitest/finish-run.ts). */
  teardownMs: number | undefined
}

const elapsed = (from: string | undefined, to: string | undefined): number | undefined => {
  if (from === undefined || to === undefined) {
    return undefined
  }
  const ms = Date.parse(to) - Date.parse(from)
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined
}

/**
 * How long each phase of a run took, from what the run already records:
 * - setup: the run's start to the start of the one deploy (janitor, checkout, lint, render,
 *   secrets, dependencies);
 * - each tier that ran (passed or failed): its operation (install's deploy, the upgrade, the
 *   backup, the restore; state.json) plus its tests' own durations (result.json);
 * - teardown: the global teardown, measured around it;
 * - total: the run's start to its result (after the teardown).
 * Whole milliseconds. A phase that did not run, or whose times are missing, is left out.
 */
export function runPhases({ result, ops, teardownMs }: PhaseInput): HistoryRecord['phases'] {
  const phases: HistoryRecord['phases'] = {}
  const setup = elapsed(result.startedAt, ops.install?.startedAt)
  if (setup !== undefined) {
    phases.setup = setup
  }
  for (const tier of result.tiers) {
    if (tier.status === 'pass' || tier.status === 'fail' || tier.status === 'error') {
      phases[tier.tier] = Math.round((ops[tier.tier]?.durationMs ?? 0) + tier.durationMs)
    }
  }
  if (teardownMs !== undefined) {
    phases.teardown = teardownMs
  }
  const total = elapsed(result.startedAt, result.finishedAt)
  if (total !== undefined) {
    phases.total = total
  }
  return phases
}
