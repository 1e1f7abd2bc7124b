import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { commitChange } from '../support/commit-change.ts'
import { fixtureRepo } from '../support/fixtures.ts'
import { expectNothingLeft, runRecipe } from '../support/run-recipe.ts'

const work = mkdtempSync(join(tmpdir(), 'ccci-canary-'))

afterAll(() => {
  rmSync(work, { recursive: true, force: true })
})

test('a secret value never reaches the output, the results, the PR comment or the diagnostics', async () => {
  const repo = await fixtureRepo('tiny-html')
  await commitChange(repo.path, {
    message: 'an app that prints its secret to its logs',
    replace: {
      'entrypoint.sh': [
        ['exec httpd', 'echo "starting with token $(cat "$TOKEN_FILE")"\nexec httpd'],
      ],
    },
  })
  const canary = join(work, 'token')
  const run = await runRecipe({
    projects: ['tiny-html (install)', 'tiny-html (custom)'],
    src: repo.path,
    env: { CCCI_CANARY_OUT: canary },
  })
  repo.cleanup()
  expect(existsSync(canary), 'the canary test read the secret').toBe(true)
  const secret = readFileSync(canary, 'utf8')
  expect(secret).toMatch(/^[A-Za-z0-9]{32}$/)
  expect(run.code, 'the canary test fails on purpose').not.toBe(0)
  expect(run.output).not.toContain(secret)
  expect(run.output).toContain('[REDACTED]')
  const dir = run.resultsDir ?? ''
  const files = readdirSync(dir)
  expect(files).toEqual(
    expect.arrayContaining([
      'result.json',
      'summary.md',
      'junit.xml',
      'diagnostics.txt',
      'state.json',
    ]),
  )
  for (const file of files) {
    expect(readFileSync(join(dir, file), 'utf8'), file).not.toContain(secret)
  }
  expect(readFileSync(join(dir, 'diagnostics.txt'), 'utf8')).toContain(
    'starting with token [REDACTED]',
  )
  expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toContain('[REDACTED]')
  await expectNothingLeft(run.result!)
})
