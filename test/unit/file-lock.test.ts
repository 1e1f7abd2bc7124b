import { spawn, spawnSync } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { breakStaleLock, readOwner, tryTakeLock, withLock } from '../../harness/files/file-lock.ts'
import { processStartTime } from '../../harness/janitor/process-alive.ts'

const root = join(import.meta.dirname, '..', '..')
const work = mkdtempSync(join(tmpdir(), 'ccci-lock-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

/** The owner line of a process that has exited: a lock it left is stale. */
function deadOwner(): string {
  const child = spawnSync('sh', ['-c', 'echo $$; cat /proc/$$/stat'], { encoding: 'utf8' })
  const [pid, stat] = child.stdout.split('\n')
  const start = stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? ''
  return `${pid} ${start} dead-owner`
}

/** A lock folder as a process left it. */
function leaveLock(lockDir: string, owner: string | undefined): void {
  mkdirSync(lockDir, { recursive: true })
  if (owner !== undefined) {
    writeFileSync(join(lockDir, 'owner'), owner)
  }
}

describe('withLock', () => {
  test('several processes that all find the same dead owner hold the lock one at a time', async () => {
    const dir = join(work, 'race')
    const lockDir = join(dir, 'cache.lock')
    const log = join(dir, 'log')
    leaveLock(lockDir, deadOwner())
    const script = join(dir, 'waiter.mts')
    writeFileSync(
      script,
      `import { appendFileSync } from 'node:fs'
import { withLock } from ${JSON.stringify(join(root, 'harness/files/file-lock.ts'))}
const [lockDir, log, id, goAt] = process.argv.slice(2)
while (Date.now() < Number(goAt)) {}
await withLock(lockDir, async () => {
  appendFileSync(log, \`in \${id}\\n\`)
  await new Promise((resolve) => setTimeout(resolve, 150))
  appendFileSync(log, \`out \${id}\\n\`)
}, 60_000)
`,
    )
    const goAt = Date.now() + 4_000
    const waiters = Array.from({ length: 6 }, (_, id) =>
      spawn(
        process.execPath,
        [
          '--import',
          join(root, 'node_modules/tsx/dist/loader.mjs'),
          script,
          lockDir,
          log,
          String(id),
          String(goAt),
        ],
        { stdio: 'inherit' },
      ),
    )
    const codes = await Promise.all(
      waiters.map((child) => new Promise<number | null>((resolve) => child.on('exit', resolve))),
    )
    expect(codes).toEqual([0, 0, 0, 0, 0, 0])
    const lines = readFileSync(log, 'utf8').trim().split('\n')
    expect(lines).toHaveLength(12)
    for (let i = 0; i < lines.length; i += 2) {
      const id = lines[i]?.split(' ')[1]
      expect([lines[i], lines[i + 1]]).toEqual([`in ${id}`, `out ${id}`])
    }
    expect(existsSync(lockDir)).toBe(false)
  }, 60_000)

  test('a live holder keeps its lock; the waiter gets it after', async () => {
    const lockDir = join(work, 'live', 'x.lock')
    const order: string[] = []
    let release: () => void = () => undefined
    const first = withLock(lockDir, async () => {
      order.push('first in')
      await new Promise<void>((resolve) => (release = resolve))
      order.push('first out')
    })
    await new Promise((resolve) => setTimeout(resolve, 50))
    const second = withLock(lockDir, () => {
      order.push('second')
      return Promise.resolve()
    })
    await new Promise((resolve) => setTimeout(resolve, 600))
    expect(order).toEqual(['first in'])
    release()
    await Promise.all([first, second])
    expect(order).toEqual(['first in', 'first out', 'second'])
  })
})

describe('taking over a stale lock (interleaving by hand)', () => {
  test('the second waiter that saw the dead owner does not delete the fresh lock of the first', () => {
    const lockDir = join(work, 'interleave', 'a.lock')
    const dead = deadOwner()
    leaveLock(lockDir, dead)
    // Both waiters inspect the lock and see the same dead owner.
    const seenByFirst = readOwner(lockDir)
    const seenBySecond = readOwner(lockDir)
    expect(seenByFirst).toBe(dead)
    // The first breaks it and takes a fresh lock.
    expect(breakStaleLock(lockDir, seenByFirst)).toBe(true)
    const fresh = `${process.pid} ${processStartTime(process.pid) ?? ''} first-waiter`
    expect(tryTakeLock(lockDir, fresh)).toBe(true)
    // The second acts on what it saw: the fresh lock must survive.
    expect(breakStaleLock(lockDir, seenBySecond)).toBe(false)
    expect(readOwner(lockDir)).toBe(fresh)
    expect(tryTakeLock(lockDir, 'someone else')).toBe(false)
  })

  test('an ownerless lock is removed, a lock with an owner taken since is not', () => {
    const lockDir = join(work, 'interleave', 'c.lock')
    leaveLock(lockDir, undefined)
    const old = new Date(Date.now() - 120_000)
    utimesSync(lockDir, old, old)
    expect(breakStaleLock(lockDir, undefined)).toBe(true)
    expect(tryTakeLock(lockDir, 'fresh owner')).toBe(true)
    expect(breakStaleLock(lockDir, undefined)).toBe(false)
    expect(readOwner(lockDir)).toBe('fresh owner')
  })
})
