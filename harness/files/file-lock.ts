import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { CcciError } from '../errors.ts'
import { processAlive, processStartTime } from '../janitor/process-alive.ts'
import { pollRounds } from '../poll.ts'

/**
 * Runs `fn` holding a lock directory (atomic mkdir); a lock left by a dead process is broken.
 * Used where two runs may touch the same cache (a recipe source clone).
 */
export async function withLock<T>(
  lockDir: string,
  fn: () => Promise<T>,
  timeoutMs = 600_000,
): Promise<T> {
  mkdirSync(dirname(lockDir), { recursive: true })
  for await (const round of pollRounds({ timeoutMs, intervalMs: 250 })) {
    const holder = tryLock(lockDir)
    if (holder === 'taken') {
      break
    }
    if (round.expired()) {
      throw new CcciError(
        'CCCI_LOCK_TIMEOUT',
        `waited ${Math.round(timeoutMs / 1000)}s for ${lockDir} (held by pid ${holder ?? '?'})`,
        {
          hint: `another cc-ci process (pid ${holder ?? 'unknown'}) holds it; wait for it, or stop it and remove ${lockDir}`,
        },
      )
    }
  }
  try {
    return await fn()
  } finally {
    rmSync(lockDir, { recursive: true, force: true })
  }
}

/** Takes the lock (breaking one a dead process left): `taken`, else the holder's pid if known. */
function tryLock(lockDir: string): 'taken' | number | undefined {
  for (;;) {
    try {
      mkdirSync(lockDir)
      writeFileSync(join(lockDir, 'owner'), `${process.pid} ${processStartTime(process.pid) ?? ''}`)
      return 'taken'
    } catch {
      const [pid, start] = readOwner(lockDir)
      // A lock without an owner file older than a minute was left by a process that died
      // between taking it and writing its name.
      const ownerless = pid === undefined && Date.now() - lockAge(lockDir) > 60_000
      if (ownerless || (pid !== undefined && !processAlive(pid, start))) {
        rmSync(lockDir, { recursive: true, force: true })
        continue
      }
      return pid
    }
  }
}

function lockAge(lockDir: string): number {
  try {
    return statSync(lockDir).mtimeMs
  } catch {
    return Date.now()
  }
}

function readOwner(lockDir: string): [number | undefined, string | undefined] {
  try {
    const [pid, start] = readFileSync(join(lockDir, 'owner'), 'utf8').trim().split(' ')
    return [Number(pid), start === '' ? undefined : start]
  } catch {
    return [undefined, undefined]
  }
}
