import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, test } from 'vitest'
import { BridgeStore } from '../../harness/bridge/bridge-store.ts'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) {
    rmSync(dir, { recursive: true, force: true })
  }
})

function dbFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ccci-bridge-store-'))
  dirs.push(dir)
  return join(dir, 'bridge', 'bridge.sqlite')
}

test('a comment is claimed once, whichever path comes first', () => {
  const store = new BridgeStore(dbFile())
  expect(store.claim('org/r', 7, 1, 'webhook')).toBe(true)
  expect(store.claim('org/r', 7, 1, 'poll')).toBe(false)
  expect(store.claim('org/r', 7, 1, 'webhook')).toBe(false)
  // The same id in another repo is another comment.
  expect(store.claim('org/other', 7, 1, 'poll')).toBe(true)
  store.close()
})

test('two connections to one file (two processes) share the claims and survive a restart', () => {
  const file = dbFile()
  const a = new BridgeStore(file)
  const b = new BridgeStore(file)
  const wins = [] as boolean[]
  for (let id = 1; id <= 200; id++) {
    // Interleaved: either may go first; exactly one wins each comment.
    const first = id % 2 === 0 ? a : b
    const second = first === a ? b : a
    wins.push(first.claim('o/r', id, 1, 'poll'), second.claim('o/r', id, 1, 'webhook'))
  }
  expect(wins.filter(Boolean)).toHaveLength(200)
  a.close()
  b.close()
  const restarted = new BridgeStore(file)
  expect(restarted.claim('o/r', 42, 1, 'poll')).toBe(false)
  expect(restarted.claim('o/r', 201, 1, 'poll')).toBe(true)
  restarted.close()
})

test('the baseline and the last poll are remembered; triggers are recorded without secrets', () => {
  const file = dbFile()
  const store = new BridgeStore(file)
  expect(store.hasBaseline('o/r')).toBe(false)
  store.markBaseline('o/r')
  store.markPolled('o/r', '2026-01-01T00:00:00.000Z')
  store.claim('o/r', 5, 3, 'poll')
  store.recordTrigger('o/r', 5, 3, true, 'triggered', { number: 9, link: 'https://drone/x/9' })
  store.close()
  const again = new BridgeStore(file)
  expect(again.hasBaseline('o/r')).toBe(true)
  expect(again.lastPolled('o/r')).toBe('2026-01-01T00:00:00.000Z')
  expect(again.triggers()).toEqual([
    expect.objectContaining({
      repo: 'o/r',
      commentId: 5,
      pr: 3,
      quick: true,
      buildNumber: 9,
      outcome: 'triggered',
    }),
  ])
  again.close()
  expect(readFileSync(file).includes('token')).toBe(false)
})
