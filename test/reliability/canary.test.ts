import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { findFiles } from '../../harness/files/find-files.ts'
import { configDir } from '../support/config-dir.ts'
import { fixtureRepos, REPO_ROOT } from '../support/fixtures.ts'
import { recordFigure } from '../support/reliability.ts'
import { expectNothingLeft, runRecipe } from '../support/run-recipe.ts'

/**
 * A secret value planted in every channel a recipe can print through (the app's logs, a backup
 * hook's error, an ops.ts hook's log and returned state, a test's console, its failure message
 * and its assertion diff) never appears in the output, a result file, junit.xml, the
 * diagnostics or the PR comment (summary.md).
 */

const work = mkdtempSync(join(tmpdir(), 'ccci-canary-'))
const repos = fixtureRepos()
afterAll(() => {
  repos.cleanup()
  rmSync(work, { recursive: true, force: true })
})

const HARNESS = JSON.stringify(join(REPO_ROOT, 'harness', 'index.ts'))
const READ_TOKEN = "(await app.exec('app', ['cat', '/run/secrets/token'])).stdout"

/** The channels the recipe below leaks the app's generated secret through. */
const CHANNELS = [
  'app logs',
  'backup pre-hook stderr (in the tier error)',
  'ops.ts console.log',
  'ops.ts returned state',
  'test console.log',
  'test console.error',
  'test failure message',
  'test assertion diff',
]

test('a secret leaked through every channel is redacted from every output', async ({ task }) => {
  const repo = await repos.make('tiny-html', {
    message: 'an app and a backup hook that print the secret',
    replace: {
      'entrypoint.sh': [
        ['exec httpd', 'echo "starting with token $(cat "$TOKEN_FILE")"\nexec httpd'],
      ],
      'compose.yml': [
        [
          '        - "backupbot.backup=true"',
          '        - "backupbot.backup=true"\n        - "backupbot.backup.pre-hook=echo dumping with $$$$(cat /run/secrets/token) >&2; exit 5"',
        ],
      ],
    },
  })
  const out = join(work, 'token')
  const recipeDirs = [
    configDir(work, 'tiny-html', {
      'ops.ts': [
        `import type { AppHandle } from ${HARNESS}`,
        'export async function preBackup(app: AppHandle) {',
        `  const token = ${READ_TOKEN}`,
        '  console.log(`seeding with ${token}`)',
        '  return { token }',
        '}',
        '',
      ].join('\n'),
      'custom/leak.test.ts': [
        "import { writeFileSync } from 'node:fs'",
        "import { expect, test } from 'vitest'",
        `import { useApp } from ${HARNESS}`,
        "test('leaks the token', async () => {",
        '  const app = useApp()',
        `  const token = ${READ_TOKEN}`,
        `  writeFileSync(${JSON.stringify(out)}, token)`,
        '  console.log(`the token is ${token}`)',
        '  console.error(`the token is ${token}`)',
        '  expect(token, `the token ${token} must not be printed`).toBe(`${token.slice(1)}x`)',
        '})',
        "test('throws the token', async () => {",
        `  throw new Error(\`token: \${${READ_TOKEN.replace('app.exec', 'useApp().exec')}}\`)`,
        '})',
        '',
      ].join('\n'),
    }),
  ]
  const run = await runRecipe({
    projects: ['tiny-html (install)', 'tiny-html (backup)', 'tiny-html (custom)'],
    src: repo.path,
    recipeDirs,
  })
  expect(existsSync(out), `the leaking test read the secret\n${run.output}`).toBe(true)
  const secret = readFileSync(out, 'utf8')
  expect(secret).toMatch(/^[A-Za-z0-9]{32}$/)
  const dir = run.resultsDir ?? ''
  const outputs: Record<string, string> = { 'run output': run.output }
  for (const file of findFiles(dir, /./)) {
    outputs[file] = readFileSync(join(dir, file), 'utf8')
  }
  const leaks = Object.entries(outputs)
    .filter(([, text]) => text.includes(secret))
    .map(([name]) => name)
  recordFigure(task, { kind: 'canary', channels: CHANNELS.length, leaks })
  expect(leaks).toEqual([])
  expect(Object.keys(outputs)).toEqual(
    expect.arrayContaining(['result.json', 'summary.md', 'junit.xml', 'diagnostics/index.md']),
  )
  // Each channel did carry the secret, redacted.
  expect(outputs['diagnostics/logs/app.log']).toContain('starting with token [REDACTED]')
  expect(run.output).toContain('dumping with [REDACTED]')
  expect(run.output).toContain('seeding with [REDACTED]')
  expect(run.output).toContain('the token is [REDACTED]')
  expect(run.output).toContain('token: [REDACTED]')
  expect(outputs['summary.md']).toContain('[REDACTED]')
  expect(run.code, 'the leaking tests fail on purpose').not.toBe(0)
  await expectNothingLeft(run.result!)
})
