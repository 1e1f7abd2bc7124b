import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import { fixtureRepos } from './fixtures.ts'
import { hostSnapshot } from './host-snapshot.ts'

/**
 * What a reliability test file shares between its cases: fixture repositories and a work folder
 * (both removed after the file), and the host as it was before the first case, to compare with.
 */
export function caseFile(name: string): {
  repos: ReturnType<typeof fixtureRepos>
  work: string
  baseline: () => string[]
} {
  const repos = fixtureRepos()
  const work = mkdtempSync(join(tmpdir(), `ccci-${name}-`))
  let baseline: string[] = []
  beforeAll(async () => {
    baseline = await hostSnapshot()
  })
  afterAll(() => {
    repos.cleanup()
    rmSync(work, { recursive: true, force: true })
  })
  return { repos, work, baseline: () => baseline }
}
