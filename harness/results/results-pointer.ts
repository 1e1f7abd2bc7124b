import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { callerCwd } from '../run/source-location.ts'

/**
 * Where a run tells a later step (the Drone step's `ccci verdict`) which results folder is its own:
 * when `CCCI_RESULTS_POINTER` names a file, the run writes its results folder's path into it once
 * the results are written (a relative path is the caller's, `CCCI_CALLER_CWD`). No pointer, no
 * file: the run produced no result.
 */
export function recordResultsDir(resultsDir: string, env: NodeJS.ProcessEnv = process.env): void {
  const pointer = env.CCCI_RESULTS_POINTER
  if (pointer !== undefined && pointer !== '') {
    writeFileSync(resolve(callerCwd(env), pointer), `${resultsDir}\n`)
  }
}

/** The results folder a pointer file names, or undefined when there is none. */
export function readResultsPointer(pointer: string): string | undefined {
  if (!existsSync(pointer)) {
    return undefined
  }
  const dir = readFileSync(pointer, 'utf8').trim()
  return dir === '' ? undefined : dir
}
