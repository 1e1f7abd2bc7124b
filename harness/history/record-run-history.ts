import { describeError } from '../errors.ts'
import type { Logger } from '../log.ts'
import { redactDeep } from '../redaction/redact.ts'
import type { RunResult } from '../results/report-files.ts'
import type { OpOutcome } from '../run/state.ts'
import type { Tier } from '../run/tier-names.ts'
import type { SlowPhase } from './history-record.ts'
import { historyRecordOf } from './history-record-of.ts'
import { appendHistory, readHistory } from './history-store.ts'
import { slowPhases } from './phase-budgets.ts'
import { runPhases } from './run-phases.ts'
import { runOrigin } from './run-trigger.ts'

export interface RunTimes {
  resultsDir: string
  /** state.json's tier operations. */
  ops: Partial<Record<Tier, OpOutcome>>
  teardownMs: number | undefined
}

/**
 * The global teardown's history step, once the result is decided: the run's phases checked
 * against the recipe's budgets, and its line appended to the history (redacted). Returns the slow
 * phases for result.json and summary.md. Never throws: a history that cannot be read or written
 * is a warning, never the run's failure.
 */
export function recordRunHistory(
  home: string,
  result: RunResult,
  times: RunTimes,
  log: Logger,
): SlowPhase[] {
  try {
    const origin = runOrigin()
    for (const problem of origin.problems) {
      log.warn(`run history: ${problem}`)
    }
    const phases = runPhases({ result, ops: times.ops, teardownMs: times.teardownMs })
    const history = readHistory(home, result.recipe, (m) => log.warn(`run history: ${m}`))
    const slow = slowPhases({ runId: result.runId, mode: result.mode, phases }, history)
    const record = historyRecordOf(result, {
      resultsDir: times.resultsDir,
      origin,
      phases,
      slowPhases: slow,
    })
    appendHistory(home, redactDeep(record))
    return slow
  } catch (error) {
    log.warn(`run history: this run was not recorded: ${describeError(error)}`)
    return []
  }
}
