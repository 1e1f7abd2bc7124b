import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { configDir } from '../support/config-dir.ts'
import { fixtureRepo, REPO_ROOT, type FixtureRepo } from '../support/fixtures.ts'
import { expectNothingLeft, runRecipe, type RunOutcome } from '../support/run-recipe.ts'

// One project per recipe runs every tier in one Vitest worker. What one tier's file changes of
// Vitest's state (stubbed env and globals, mocks, fake timers, the timeouts) must not reach the
// next tier's operation, its recipe hook or its tests: the install file leaves all of it behind on
// purpose, in a test and after its last one.
const work = mkdtempSync(join(tmpdir(), 'ccci-shared-worker-'))
const pids = (tier: string) => join(work, `${tier}.pid`)
const harness = JSON.stringify(join(REPO_ROOT, 'harness', 'index.ts'))

const install = `import { writeFileSync } from 'node:fs'
import { afterAll, expect, test, vi } from 'vitest'
import { tierContext } from ${harness}

// Left after the file's last test: nothing of Vitest's undoes these before the next file.
afterAll(() => {
  vi.stubEnv('CCCI_LEAKED_LATE', 'install')
  vi.stubGlobal('ccciLeakedLate', 'install')
  vi.useFakeTimers()
})

test('install leaves stubs, a mock and fake timers behind', ({ task }) => {
  expect(tierContext().tier).toBe('install')
  expect(task.timeout).toBe(7000)
  vi.stubEnv('CCCI_LEAKED_ENV', 'install')
  vi.stubGlobal('ccciLeaked', 'install')
  vi.spyOn(Math, 'random').mockReturnValue(0.25)
  vi.useFakeTimers()
  writeFileSync(${JSON.stringify(pids('install'))}, String(process.pid))
})
`

const upgrade = `import { writeFileSync } from 'node:fs'
import { expect, test, vi } from 'vitest'
import { tierContext, useApp } from ${harness}

test('upgrade sees none of what install left, and its own timeout', async ({ task }) => {
  expect(tierContext().tier).toBe('upgrade')
  expect(task.timeout).toBe(11000)
  expect(process.env.CCCI_LEAKED_ENV).toBeUndefined()
  expect((globalThis as { ccciLeaked?: string }).ccciLeaked).toBeUndefined()
  expect(vi.isMockFunction(Math.random)).toBe(false)
  expect(vi.isFakeTimers()).toBe(false)
  // The upgrade operation ran in this worker before this test, with real timers, and neither it
  // nor its recipe hook saw what install left after its tests.
  expect(useApp().get('upgrade.after')).toBeDefined()
  expect(useApp().get('seenByUpgrade')).toEqual({ env: null, global: null, fakeTimers: false })
  writeFileSync(${JSON.stringify(pids('upgrade'))}, String(process.pid))
})
`

let repo: FixtureRepo
let run: RunOutcome

beforeAll(async () => {
  repo = await fixtureRepo('tiny-html')
  const config = configDir(work, 'tiny-html', {
    'recipe.ts': 'export default { timeouts: { deploy: 120, install: 7, upgrade: 11 } }\n',
    'ops.ts': [
      'export async function preUpgrade() {',
      '  return {',
      '    seenByUpgrade: {',
      '      env: process.env.CCCI_LEAKED_LATE ?? null,',
      '      global: (globalThis as { ccciLeakedLate?: string }).ccciLeakedLate ?? null,',
      "      fakeTimers: 'clock' in setTimeout,",
      '    },',
      '  }',
      '}',
      '',
    ].join('\n'),
    'install/leaks.test.ts': install,
    'upgrade/sees-nothing.test.ts': upgrade,
  })
  run = await runRecipe({ projects: ['tiny-html'], src: repo.path, recipeDirs: [config] })
})

afterAll(() => {
  repo.cleanup()
  rmSync(work, { recursive: true, force: true })
})

describe('every tier of a run in one worker', () => {
  test('the tiers ran in one process, one after the other, each green', async () => {
    expect(run.code, run.output).toBe(0)
    expect(run.output).toContain(
      'LIFECYCLE install: pass | upgrade: pass | backup: pass | restore: pass',
    )
    expect(readFileSync(pids('upgrade'), 'utf8')).toBe(readFileSync(pids('install'), 'utf8'))
    const names = run.result?.tiers.flatMap((t) => t.tests.map((c) => `${t.tier}: ${c.name}`))
    expect(names).toContain('install: install leaves stubs, a mock and fake timers behind')
    expect(names).toContain('upgrade: upgrade sees none of what install left, and its own timeout')
    await expectNothingLeft(run.result!)
  })
})
