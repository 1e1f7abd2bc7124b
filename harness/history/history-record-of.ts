import { isAbsolute, relative } from 'node:path'
import type { RunResult } from '../results/report-files.ts'
import type { HistoryRecord } from './history-record.ts'
import type { RunOrigin } from './run-trigger.ts'

/**
 * The diagnostics folder of a run relative to its results folder (result.json's `diagnostics`,
 * harness/diagnostics/), or null when none was collected.
 */
export function diagnosticsPath(
  result: Pick<RunResult, 'diagnostics'>,
  resultsDir: string,
): string | null {
  const path = result.diagnostics
  if (path === undefined || path === '') {
    return null
  }
  return isAbsolute(path) ? relative(resultsDir, path) : path
}

/** A finished run's history line, from its result (result.json), phases and origin. Pure. */
export function historyRecordOf(
  result: RunResult,
  run: {
    resultsDir: string
    origin: Pick<RunOrigin, 'trigger' | 'triggeredBy'>
    phases: HistoryRecord['phases']
    slowPhases: HistoryRecord['slowPhases']
  },
): HistoryRecord {
  return {
    version: 1,
    runId: result.runId,
    recipe: result.recipe,
    ref: result.source.ref ?? null,
    commit: result.source.commit,
    trigger: run.origin.trigger,
    pr: result.source.pr,
    triggeredBy: run.origin.triggeredBy,
    startedAt: result.startedAt ?? result.finishedAt,
    finishedAt: result.finishedAt,
    ok: result.ok,
    level: result.level,
    lifecycle: result.lifecycle,
    mode: result.mode,
    driver: result.driver,
    tiers: result.tiers.map((t) => ({ tier: t.tier, status: t.status })),
    phases: run.phases,
    resultsDir: run.resultsDir,
    diagnostics: diagnosticsPath(result, run.resultsDir),
    slowPhases: run.slowPhases,
  }
}
