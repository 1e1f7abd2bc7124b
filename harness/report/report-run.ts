import type { HistoryRecord } from '../history/history-record.ts'

/** What the results site reads of one run: a line of the run history (harness/history/). */
export type ReportRun = HistoryRecord

/** Newest first, by finish time (ISO strings compare in time order), then run id. */
export function newestFirst<T extends Pick<ReportRun, 'finishedAt' | 'runId'>>(
  runs: readonly T[],
): T[] {
  return [...runs].sort(
    (a, b) => b.finishedAt.localeCompare(a.finishedAt) || b.runId.localeCompare(a.runId),
  )
}
