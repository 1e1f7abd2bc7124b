import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { CcciError } from '../errors.ts'
import { processAlive, processStartTime } from './process-alive.ts'

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
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      mkdirSync(lockDir)
      writeFileSync(join(lockDir, 'owner'), `${process.pid} ${processStartTime(process.pid) ?? ''}`)
      break
    } catch {
      const [pid, start] = readOwner(lockDir)
      if (pid !== undefined && !processAlive(pid, start)) {
        rmSync(lockDir, { recursive: true, force: true })
        continue
      }
      if (Date.now() > deadline) {
        throw new CcciError(
          'CCCI_LOCK_TIMEOUT',
          `waited ${Math.round(timeoutMs / 1000)}s for ${lockDir} (held by pid ${pid ?? '?'})`,
          {
            hint: 'another cc-ci process holds it; wait for it or stop it',
          },
        )
      }
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  }
  try {
    return await fn()
  } finally {
    rmSync(lockDir, { recursive: true, force: true })
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
