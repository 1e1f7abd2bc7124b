import { spawn } from 'node:child_process'
import { openSync } from 'node:fs'

/**
 * Starts a long-lived daemon (e.g. `dockerd`) detached from this process, its output appended to
 * `logFile`, and returns its pid. The daemon outlives the command that started it.
 */
export function spawnDaemon(file: string, args: readonly string[], logFile: string): number {
  const out = openSync(logFile, 'a')
  const child = spawn(file, args, { detached: true, stdio: ['ignore', out, out] })
  child.on('error', () => undefined)
  child.unref()
  if (child.pid === undefined) {
    throw new Error(`could not start ${file}; see ${logFile}`)
  }
  return child.pid
}
