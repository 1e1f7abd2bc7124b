import { readdirSync, readFileSync } from 'node:fs'

/** A process as /proc shows it: its pid, its parent and its command line. */
export interface ProcessEntry {
  pid: number
  ppid: number
  command: string
}

/** Every process of this machine (Linux /proc); processes that end meanwhile are left out. */
export function listProcesses(): ProcessEntry[] {
  const entries: ProcessEntry[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) {
      continue
    }
    try {
      // The command name (field 2) is in parentheses and may hold spaces: split after it.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      const command = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ').trim()
      entries.push({ pid: Number(name), ppid, command })
    } catch {
      // The process ended while we looked.
    }
  }
  return entries
}

/** The descendants of `pid` in `processes`, children before grandchildren. Pure. */
export function descendantsOf(pid: number, processes: readonly ProcessEntry[]): ProcessEntry[] {
  const found: ProcessEntry[] = []
  const queue = [pid]
  while (queue.length > 0) {
    const parent = queue.shift()
    for (const child of processes.filter((p) => p.ppid === parent)) {
      found.push(child)
      queue.push(child.pid)
    }
  }
  return found
}

/**
 * Kills processes with SIGKILL and everything they started, at once: no handler runs. Each root
 * is stopped first so it starts nothing new while its tree is collected.
 */
export function killTrees(pids: readonly number[]): void {
  for (const pid of pids) {
    signal(pid, 'SIGSTOP')
  }
  const processes = listProcesses()
  for (const pid of pids) {
    for (const target of [pid, ...descendantsOf(pid, processes).map((p) => p.pid)]) {
      signal(target, 'SIGKILL')
    }
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name)
  } catch {
    // Already gone.
  }
}
