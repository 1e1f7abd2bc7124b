import { readFileSync } from 'node:fs'

/** The kernel's start time of a process (clock ticks since boot), or undefined if it is gone. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after the command name (which may contain spaces) start after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]
  } catch {
    return undefined
  }
}

/** True when `pid` runs and is the same process that was recorded (not a reused pid). */
export function processAlive(pid: number, startTime: string | undefined): boolean {
  const now = processStartTime(pid)
  return now !== undefined && (startTime === undefined || now === startTime)
}
