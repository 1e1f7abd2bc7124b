import { historyRecipes, readHistory } from '../history/history-store.ts'
import type { ReportRun } from './report-run.ts'

/** Every recorded run of every recipe, from the run history in `home`. */
export function historyRuns(home: string, warn: (message: string) => void): ReportRun[] {
  return historyRecipes(home).flatMap((recipe) => readHistory(home, recipe, warn))
}
