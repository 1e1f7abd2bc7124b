import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { collectDiagnostics } from '../../harness/diagnostics/collect-diagnostics.ts'
import { browserArtifacts } from '../../harness/diagnostics/browser-artifacts.ts'
import { findFiles } from '../../harness/files/find-files.ts'

/**
 * The collection against the real engine, for an app whose pieces are missing: each piece is
 * collected on its own, a failing one is named in index.md with its error, the others are kept.
 */

const work = mkdtempSync(join(tmpdir(), 'ccci-diagnostics-collect-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

test('a piece that cannot be collected is named with its error; the rest is kept', async () => {
  const resultsDir = join(work, 'results')
  mkdirSync(join(resultsDir, 'browser'), { recursive: true })
  writeFileSync(join(resultsDir, 'browser', 'flow.png'), 'png')
  mkdirSync(join(resultsDir, 'playwright', 'test-results', 'home'), { recursive: true })
  writeFileSync(join(resultsDir, 'playwright', 'test-results', 'home', 'trace.zip'), 'zip')
  const stack = `ccci-nostack-${process.pid}`
  const detail = await collectDiagnostics({
    app: {
      recipe: 'tiny-html',
      domain: 'nowhere.ccci.localhost',
      stack,
      server: 'default',
      recipeDir: join(work, 'no-checkout'),
      envFile: join(work, 'no-such.env'),
    },
    runId: 'run-1',
    runDir: join(work, 'no-run-dir'),
    resultsDir,
    why: 'always',
  })
  expect(detail).toBe('diagnostics/index.md: no service of the run was found')
  const dir = join(resultsDir, 'diagnostics')
  // No env file: no app.env and no compose; the services (none) and the events are kept.
  expect(findFiles(dir, /./)).toEqual(['events.txt', 'index.md', 'services.json'])
  const index = readFileSync(join(dir, 'index.md'), 'utf8')
  expect(index).toMatch(/\n## Not collected\n\n- app env: .*no-such\.env/)
  expect(index).toMatch(/\n- rendered compose: /)
  expect(index).not.toMatch(/- docker events: /)
  expect(index).toContain('- [../browser/flow.png](../browser/flow.png)')
  expect(index).toContain(
    '- [../playwright/test-results/home/trace.zip](../playwright/test-results/home/trace.zip)',
  )
  expect(browserArtifacts(resultsDir)).toHaveLength(2)
  expect(JSON.parse(readFileSync(join(dir, 'services.json'), 'utf8'))).toEqual({
    headline: 'no service of the run was found',
    stack,
    services: [],
  })
})
