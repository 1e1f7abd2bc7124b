import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { runCommand, tryCommand } from '../../harness/process/index.ts'
import { judgeBadInput, type Expectation } from '../support/bad-input.ts'
import { caseFile } from '../support/case-file.ts'
import { configDir } from '../support/config-dir.ts'
import { REPO_ROOT } from '../support/fixtures.ts'

/**
 * Bad command lines and environments for `./ccci run`: refs, sources and recipe names that are
 * wrong or hostile. Each ends in a clear error before anything is deployed, and leaves nothing.
 */

const { repos, work, baseline } = caseFile('bad-commands')
let repo = ''
let config = ''
/** The fixture repository again, at a path with spaces. */
const spaced = join(work, 'my recipes', 'tiny html')

beforeAll(async () => {
  repo = (await repos.make('tiny-html')).path
  mkdirSync(join(work, 'my recipes'))
  await runCommand('git', ['clone', '--quiet', repo, spaced], { timeoutMs: 60_000 })
  config = configDir(work, 'tiny-html')
})

interface BadCommand {
  what: string
  /** Arguments of `./ccci run`, given the fixture repository's path. */
  args: (repo: string) => string[]
  expect: Expectation
}

const CASES: BadCommand[] = [
  {
    what: 'a --ref that does not exist',
    args: (repo) => ['tiny-html', '--src', repo, '--ref', 'no-such-branch'],
    expect: { error: /no-such-branch/ },
  },
  {
    what: 'a --ref holding shell metacharacters',
    args: (repo) => ['tiny-html', '--src', repo, '--ref', 'main;touch /tmp/ccci-ref-pwned'],
    expect: { error: /not a git ref|--ref/ },
  },
  {
    what: 'a --src that is not a repository',
    args: () => ['tiny-html', '--src', work],
    expect: { error: /not a git repository|--src/ },
  },
  {
    what: 'an empty --src',
    args: () => ['tiny-html', '--src', ''],
    expect: { error: /not a recipe source: "": it is empty/ },
  },
  {
    what: 'a --src with spaces that does not exist',
    args: () => ['tiny-html', '--src', join(work, 'no such recipes', 'tiny html')],
    expect: { error: /no such recipes\/tiny html/ },
  },
  {
    what: 'a --src with spaces in its path is used as it is',
    args: () => ['tiny-html', '--src', spaced, '--tier', 'install'],
    expect: {
      handled: ({ output, code }) => {
        expect(output).toMatch(/LIFECYCLE install: pass/)
        expect(output).toContain(spaced)
        expect(code).toBe(0)
      },
    },
  },
  {
    what: 'a --src with an unsupported scheme',
    args: () => ['tiny-html', '--src', 'ftp://example.org/tiny-html.git'],
    expect: { error: /ftp:/ },
  },
  {
    what: 'a --src that starts with --',
    args: () => ['tiny-html', '--src=--upload-pack=touch /tmp/ccci-src-pwned'],
    expect: { error: /--upload-pack/ },
  },
  {
    what: 'a recipe name with ../',
    args: (repo) => ['../etc', '--src', repo],
    expect: { error: /not a recipe name: "\.\.\/etc"/ },
  },
  {
    what: 'a recipe name in upper case',
    args: (repo) => ['Tiny-HTML', '--src', repo],
    expect: { error: /not a recipe name: "Tiny-HTML"/ },
  },
  {
    what: 'a recipe name of 200 characters',
    args: (repo) => ['a'.repeat(200), '--src', repo],
    expect: { error: /not a recipe name/ },
  },
  {
    what: 'a recipe name that is not ASCII',
    args: (repo) => ['tiny-htmé', '--src', repo],
    expect: { error: /not a recipe name: "tiny-htmé"/ },
  },
]

describe('bad command lines', () => {
  // One test per case, named in full (test.for would shorten the names in the table).
  for (const input of CASES) {
    test(`${input.what}`, async ({ task }) => {
      const { args, expect: expectation } = input
      mkdirSync(join(work, 'cwd'), { recursive: true })
      const run = await tryCommand('bash', [join(REPO_ROOT, 'ccci'), 'run', ...args(repo)], {
        cwd: join(work, 'cwd'),
        timeoutMs: 300_000,
        env: { ...process.env, CCCI_RECIPE_DIRS: config, VITEST: undefined, NODE_ENV: undefined },
      })
      await judgeBadInput(
        task,
        baseline(),
        { code: run.exitCode, output: run.stdout + run.stderr },
        expectation,
      )
    })
  }
})
