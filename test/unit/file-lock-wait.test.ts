import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { withLock } from '../../harness/files/file-lock.ts'
import { processStartTime } from '../../harness/janitor/process-alive.ts'

const dirs: string[] = []
function lockDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ccci-lock-test-'))
  dirs.push(dir)
  return join(dir, 'sub', 'lock')
}

afterEach(() => {
  dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }))
})

/** A lock directory as another process would leave it. */
function holdLock(lock: string, pid: number, start: string | undefined): void {
  mkdirSync(lock, { recursive: true })
  writeFileSync(join(lock, 'owner'), `${pid} ${start ?? ''}`)
}

describe('withLock', () => {
  test('runs the work holding the lock and releases it', async () => {
    const lock = lockDir()
    const seen = await withLock(lock, () => Promise.resolve(existsSync(lock)))
    expect(seen).toBe(true)
    expect(existsSync(lock)).toBe(false)
  })

  test('breaks a lock a dead process left', async () => {
    const lock = lockDir()
    holdLock(lock, 2 ** 22 + 12_345, 'gone')
    await expect(withLock(lock, () => Promise.resolve('ran'), 5_000)).resolves.toBe('ran')
  })

  test('waits for a live holder until the deadline, then names it', async () => {
    const lock = lockDir()
    holdLock(lock, process.pid, processStartTime(process.pid))
    const error = await withLock(lock, () => Promise.resolve('ran'), 600).catch((e: unknown) => e)
    expect(error).toMatchObject({
      code: 'CCCI_LOCK_TIMEOUT',
      message: `waited 1s for ${lock} (held by pid ${process.pid})`,
    })
    expect(existsSync(lock)).toBe(true)
  })

  test('takes the lock once the holder lets go', async () => {
    const lock = lockDir()
    holdLock(lock, process.pid, processStartTime(process.pid))
    setTimeout(() => rmSync(lock, { recursive: true, force: true }), 300)
    await expect(withLock(lock, () => Promise.resolve('ran'), 10_000)).resolves.toBe('ran')
  })
})
