import { historyRuns } from './history-runs.ts'
import { writeSite } from './write-site.ts'

/** `ccci report` and the bridge: the site of every run in the history of `home`, into `outDir`. */
export function buildSite(
  home: string,
  outDir: string,
  warn: (message: string) => void,
): { runs: number; pages: number; dir: string } {
  const runs = historyRuns(home, warn)
  const written = writeSite(runs, outDir)
  return { runs: runs.length, ...written }
}
