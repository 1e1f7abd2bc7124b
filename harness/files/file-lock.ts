import { createHash, randomUUID } from 'node:crypto'
import {
  mkdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { dirname, join } from 'node:path'
import { CcciError } from '../errors.ts'
import { processAlive, processStartTime } from '../janitor/process-alive.ts'
import { pollRounds } from '../poll.ts'

/** A lock without an owner file, or a stale-lock breaker, older than this was left by a crash. */
const ABANDONED_MS = 60_000

/**
 * Runs `fn` holding a lock directory; a lock left by a dead process is taken over. Used where two
 * runs may touch the same cache (a recipe source clone) or host file.
 *
 * - Taking the lock is one atomic step: a folder holding the owner file (`<pid> <start> <uuid>`)
 *   is renamed to `lockDir`, which fails while another lock is there. A lock always has an owner.
 * - Breaking a stale lock: waiters that saw the same dead owner race for a marker folder named
 *   after that owner (atomic mkdir); only the winner may remove the lock, and only after reading,
 *   while holding the marker, that the lock is still the one it inspected. As only the marker's
 *   holder may remove a lock of that owner, the lock cannot change between that check and the
 *   removal: a waiter that inspected the dead lock never deletes the fresh lock of another.
 */
export async function withLock<T>(
  lockDir: string,
  fn: () => Promise<T>,
  timeoutMs = 600_000,
): Promise<T> {
  mkdirSync(dirname(lockDir), { recursive: true })
  const token = `${process.pid} ${processStartTime(process.pid) ?? ''} ${randomUUID()}`
  for await (const round of pollRounds({ timeoutMs, intervalMs: 250 })) {
    if (tryTakeLock(lockDir, token)) {
      break
    }
    const owner = readOwner(lockDir)
    if (owner === undefined ? lockAgeMs(lockDir) > ABANDONED_MS : !ownerAlive(owner)) {
      // Taken over on the next round, unless another waiter was quicker.
      breakStaleLock(lockDir, owner)
    } else if (round.expired()) {
      const pid = owner?.split(' ')[0] ?? '?'
      throw new CcciError(
        'CCCI_LOCK_TIMEOUT',
        `waited ${Math.round(timeoutMs / 1000)}s for ${lockDir} (held by pid ${pid})`,
        {
          hint: `another cc-ci process (pid ${pid}) holds it; wait for it, or stop it and remove ${lockDir}`,
        },
      )
    }
  }
  try {
    return await fn()
  } finally {
    // Only our own lock: never remove one that somebody else holds now.
    if (readOwner(lockDir) === token) {
      removeLock(lockDir)
    }
  }
}

/** Takes the lock in one step (rename of a folder that already holds the owner file). */
export function tryTakeLock(lockDir: string, token: string): boolean {
  const staging = `${lockDir}.new-${randomUUID()}`
  mkdirSync(staging)
  try {
    writeFileSync(join(staging, 'owner'), token)
    renameSync(staging, lockDir)
    return true
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EEXIST' || code === 'ENOTEMPTY' || code === 'EISDIR' || code === 'ENOTDIR') {
      return false
    }
    throw error
  } finally {
    rmSync(staging, { recursive: true, force: true })
  }
}

/**
 * Removes `lockDir` if it still holds the owner that was inspected (`undefined`: no owner file).
 * Returns whether this call removed it. Safe when several waiters call it with the same owner.
 */
export function breakStaleLock(lockDir: string, inspected: string | undefined): boolean {
  const digest = createHash('sha256')
    .update(inspected ?? '(no owner)')
    .digest('hex')
    .slice(0, 16)
  const marker = `${lockDir}.break-${digest}`
  try {
    mkdirSync(marker)
  } catch {
    // Another waiter is breaking this very lock; a marker this old was left by a crash.
    if (lockAgeMs(marker) > ABANDONED_MS) {
      rmSync(marker, { recursive: true, force: true })
    }
    return false
  }
  try {
    if (inspected === undefined) {
      // An ownerless lock is an empty folder (a crash between mkdir and writing the owner, by an
      // older cc-ci). rmdir removes only that: a lock taken since always holds its owner file.
      try {
        rmdirSync(lockDir)
        return true
      } catch {
        return false
      }
    }
    if (readOwner(lockDir) !== inspected) {
      return false
    }
    removeLock(lockDir)
    return true
  } finally {
    rmSync(marker, { recursive: true, force: true })
  }
}

/**
 * Removes a lock in one step: renamed away first, then deleted. Deleting it in place would leave,
 * for a moment, an empty folder that a waiter's rename (which replaces an empty folder) takes,
 * and the rest of the deletion would then remove that waiter's fresh lock.
 */
function removeLock(lockDir: string): void {
  const gone = `${lockDir}.gone-${randomUUID()}`
  try {
    renameSync(lockDir, gone)
  } catch {
    return
  }
  rmSync(gone, { recursive: true, force: true })
}

function ownerAlive(owner: string): boolean {
  const [pid, start] = owner.split(' ')
  return processAlive(Number(pid), start === '' ? undefined : start)
}

function lockAgeMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs
  } catch {
    return 0
  }
}

/** The owner line of a lock, or undefined when there is no lock or no owner file. */
export function readOwner(lockDir: string): string | undefined {
  try {
    return readFileSync(join(lockDir, 'owner'), 'utf8').trim()
  } catch {
    return undefined
  }
}
