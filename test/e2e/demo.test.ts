import { join } from 'node:path'
import { expect, test } from 'vitest'
import { tryCommand } from '../../harness/process/index.ts'
import { REPO_ROOT } from '../support/fixtures.ts'

test('./ccci demo brings the host up and prints a green LIFECYCLE line for the example recipe', async () => {
  const result = await tryCommand(join(REPO_ROOT, 'ccci'), ['demo'], {
    timeoutMs: 600_000,
    env: { CCCI_QUIET: '1', NO_COLOR: '1', FORCE_COLOR: '0', CCCI_RECIPE_DIRS: undefined },
  })
  const output = result.stdout + result.stderr
  expect(output).toContain(
    'LIFECYCLE install: pass | upgrade: pass | backup: pass | restore: pass | custom: pass',
  )
  expect(output).toContain('teardown complete: nothing of run hello-static-')
  expect(result.exitCode, output).toBe(0)
})
