import { join } from 'node:path'
import { expect, test } from 'vitest'
import { runCommand } from '../../harness/process/index.ts'
import { REPO_ROOT } from '../support/fixtures.ts'

test('`eval "$(./ccci env)"` gives a shell the Node the wrapper runs on, so `npx vitest` works literally, and Node\'s compile cache', async () => {
  const env = { ...process.env, PATH: '/usr/bin:/bin', NODE_COMPILE_CACHE: undefined }
  const printed = await runCommand('bash', [join(REPO_ROOT, 'ccci'), 'env'], {
    cwd: REPO_ROOT,
    timeoutMs: 120_000,
    env,
  })
  expect(printed.stdout).toMatch(
    /^export PATH="[^"]+:\$PATH"\nexport NODE_COMPILE_CACHE="[^"]+"\n$/,
  )
  const shell = await runCommand(
    'bash',
    [
      '-c',
      `eval "$(bash ${JSON.stringify(join(REPO_ROOT, 'ccci'))} env)" && node --version && echo "$NODE_COMPILE_CACHE"`,
    ],
    { cwd: REPO_ROOT, timeoutMs: 120_000, env },
  )
  expect(shell.stdout.trim().split('\n')).toEqual([
    process.version,
    join(REPO_ROOT, '.ccci', 'node-compile-cache'),
  ])
}, 240_000)
