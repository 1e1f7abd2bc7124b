import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { loadSettings } from '../../harness/config/settings.ts'
import { inspectImage, listDanglingImages } from '../../harness/docker/index.ts'
import { readLeases } from '../../harness/janitor/lease.ts'
import { pollFor } from '../../harness/poll.ts'
import { runCommand, tryCommand } from '../../harness/process/index.ts'
import { fixtureRepos, REPO_ROOT } from '../support/fixtures.ts'
import { loadDanglingImage } from '../support/old-image.ts'
import { finishRun, startRun } from '../support/run-recipe.ts'

/**
 * `ccci prune` as the timer runs it, under simulated pressure (`--threshold 0`: any use of the
 * disk counts as pressure): it removes only dangling images no container uses that are over a
 * day old, never while a run is live.
 */
const repos = fixtureRepos()
let old: string
let young: string
let used: string
let container: string

async function prune(): Promise<{ code: number; output: string }> {
  const run = await tryCommand('bash', [join(REPO_ROOT, 'ccci'), 'prune', '--threshold', '0'], {
    cwd: REPO_ROOT,
    timeoutMs: 300_000,
  })
  return { code: run.exitCode, output: run.stdout + run.stderr }
}

const exists = async (id: string) => (await inspectImage(id)) !== undefined

beforeAll(async () => {
  old = await loadDanglingImage(3)
  young = await loadDanglingImage(0)
  used = await loadDanglingImage(3)
  container = (
    await runCommand('docker', ['create', '--label', 'cc-ci.test=prune', used], {
      timeoutMs: 60_000,
    })
  ).stdout.trim()
})

afterAll(async () => {
  await tryCommand('docker', ['rm', '-f', container], { timeoutMs: 60_000 })
  for (const id of [old, young, used]) {
    await tryCommand('docker', ['rmi', id], { timeoutMs: 60_000 })
  }
  repos.cleanup()
})

describe('ccci prune under disk pressure', () => {
  test('the images the test made are dangling (untagged)', async () => {
    const dangling = new Set((await listDanglingImages()).map((i) => i.id))
    expect([old, young, used].filter((id) => !dangling.has(id))).toEqual([])
  })

  test('while a run is live it removes nothing, and says so', async () => {
    const started = startRun({ projects: ['tiny-html'], src: (await repos.make('tiny-html')).path })
    const lease = await pollFor(
      (round) => {
        const found = readLeases(loadSettings().home).find((l) => l.recipe === 'tiny-html')
        if (found === undefined && round.expired()) {
          throw new Error(`the run took no lease: ${started.output()}`)
        }
        return Promise.resolve(found)
      },
      { timeoutMs: 120_000, intervalMs: 250 },
    )
    const during = await prune()
    const run = await finishRun(started)
    expect(run.code, run.output).toBe(0)
    expect(during.output).toMatch(
      new RegExp(`nothing pruned: .*run\\(s\\) .*${lease.runId}.* are live`),
    )
    expect(await exists(old)).toBe(true)
  })

  test('with no run live it removes old dangling images no container uses, nothing else', async () => {
    const after = await prune()
    expect(after.code, after.output).toBe(0)
    expect(after.output).toContain(`removed image ${old}`)
    expect(await exists(old), 'an unused dangling image over a day old').toBe(false)
    expect(await exists(young), 'a dangling image built today').toBe(true)
    expect(await exists(used), 'a dangling image a container was created from').toBe(true)
    expect(await exists('ccci-local/busybox:1'), 'tagged images').toBe(true)
  })
})
