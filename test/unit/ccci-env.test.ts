import { join } from 'node:path'
import { expect, test } from 'vitest'
import { runCommand } from '../../harness/process/index.ts'
import { REPO_ROOT } from '../support/fixtures.ts'

test('`eval "$(./ccci env)"` gives a shell the Node the wrapper runs on, so `npx vitest` works literally', async () => {
  const printed = await runCommand('bash', [join(REPO_ROOT, 'ccci'), 'env'], {
    cwd: REPO_ROOT,
    timeoutMs: 120_000,
  })
  expect(printed.stdout).toMatch(/^export PATH="[^"]+:\$PATH"\n$/)
  const shell = await runCommand(
    'bash',
    ['-c', `eval "$(bash ${JSON.stringify(join(REPO_ROOT, 'ccci'))} env)" && node --version`],
    { cwd: REPO_ROOT, timeoutMs: 120_000, env: { ...process.env, PATH: '/usr/bin:/bin' } },
  )
  expect(shell.stdout.trim()).toBe(process.version)
}, 240_000)
