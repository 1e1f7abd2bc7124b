import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { runCommand } from '../../harness/process/index.ts'
import { judgeBadInput, type Expectation } from '../support/bad-input.ts'
import type { commitChange } from '../support/commit-change.ts'
import { caseFile } from '../support/case-file.ts'
import { configDir } from '../support/config-dir.ts'
import { runRecipe } from '../support/run-recipe.ts'

/**
 * Malformed and hostile recipe repositories (a pull request's head on tiny-html): each ends in a
 * clear error, or is harmless and handled, and leaves nothing on the host.
 */

const { repos, work, baseline } = caseFile('bad-recipes')

type Change = Parameters<typeof commitChange>[1]

interface BadRecipe {
  what: string
  change?: Change
  /** Git commands run in the repository after the change (tags). */
  git?: string[][]
  expect: Expectation
}

const envLine = (from: string, to: string): Change => ({
  message: `env: ${to}`,
  replace: { '.env.sample': [[from, to]] },
})

const pwned = join(work, 'abra-sh-was-run')

const CASES: BadRecipe[] = [
  {
    what: 'no compose.yml',
    change: { message: 'lose compose.yml', remove: ['compose.yml'] },
    expect: { error: /recipe tiny-html at [0-9a-f]{8} has no compose.yml/ },
  },
  {
    what: 'compose.yml is not valid YAML',
    change: { message: 'broken yaml', write: { 'compose.yml': 'services:\n  app: [image\n' } },
    expect: { error: /compose\.yml/ },
  },
  {
    what: 'compose.yml has a key Compose does not know',
    change: {
      message: 'unknown key',
      replace: { 'compose.yml': [['    init: true', '    init: true\n    colour: blue']] },
    },
    expect: { error: /colour/ },
  },
  {
    what: 'an image that is not available',
    change: {
      message: 'missing image',
      replace: { 'compose.yml': [['image: ccci-local/busybox:1', 'image: ccci-local/nope:1']] },
    },
    expect: { error: /app: .*(No such image|nope)/ },
  },
  {
    what: 'no .env.sample',
    change: { message: 'lose .env.sample', remove: ['.env.sample'] },
    expect: { error: /has no \.env\.sample/ },
  },
  {
    what: 'a length= modifier that is not a number',
    change: envLine('SECRET_TOKEN_VERSION=v1 # length=32', 'SECRET_TOKEN_VERSION=v1 # length=lots'),
    expect: { error: /length=lots/ },
  },
  {
    what: 'a huge length= modifier',
    change: envLine(
      'SECRET_TOKEN_VERSION=v1 # length=32',
      'SECRET_TOKEN_VERSION=v1 # length=999999999',
    ),
    expect: { error: /length=999999999/ },
  },
  {
    what: 'a secret whose name passes 64 characters',
    change: {
      message: 'a long secret name',
      replace: {
        'compose.yml': [
          [
            'name: ${STACK_NAME}_token_${SECRET_TOKEN_VERSION}',
            'name: ${STACK_NAME}_a_token_with_a_name_far_too_long_for_swarm_${SECRET_TOKEN_VERSION}',
          ],
        ],
      },
    },
    expect: { error: /secret name \S+ is \d+ characters; swarm allows 64/ },
  },
  {
    what: 'abra.sh with a syntax error on an export line',
    change: { message: 'abra.sh syntax', write: { 'abra.sh': 'export ENTRYPOINT_VERSION="v1\n' } },
    expect: { error: /abra\.sh.*(quote|syntax)/i },
  },
  {
    what: 'abra.sh that exits non-zero and writes outside its folder is never run',
    change: {
      message: 'abra.sh that acts',
      write: {
        'abra.sh': `export ENTRYPOINT_VERSION=v1\necho pwned > ${pwned}\nexit 3\n`,
      },
    },
    expect: {
      handled: (ending) => {
        expect(ending.output).toMatch(/LIFECYCLE install: pass/)
        expect(existsSync(pwned), 'abra.sh ran on the host').toBe(false)
      },
    },
  },
  {
    what: 'no release tags',
    git: [['tag', '-d', '1.0.0+1.35.0', '1.1.0+1.35.0']],
    expect: {
      handled: (ending) => {
        expect(ending.output).toMatch(/LIFECYCLE install: pass \| upgrade: skip/)
        expect(ending.output).toContain('no previous published version')
      },
    },
  },
  {
    what: 'a tag that is not a version is no release',
    git: [['tag', '-a', '-m', 'latest', 'latest']],
    expect: {
      handled: (ending) => {
        expect(ending.output).toMatch(/LIFECYCLE install: pass \| upgrade: pass/)
        expect(ending.result?.baseVersion).toBe('1.0.0+1.35.0')
      },
    },
  },
  {
    what: 'a version tag with an empty build part (1.2.0+) is no release, and is named',
    git: [['tag', '-a', '-m', 'broken', '1.2.0+']],
    expect: {
      handled: (ending) => {
        expect(ending.output).toContain('not recipe versions, so not releases: tags 1.2.0+')
        expect(ending.result?.warnings.join('\n')).toContain('tags 1.2.0+')
        expect(ending.output).toMatch(/LIFECYCLE install: pass \| upgrade: pass/)
      },
    },
  },
]

describe('bad recipe repositories', () => {
  // One test per case, named in full (test.for would shorten the names in the table).
  for (const input of CASES) {
    test(`${input.what}`, async ({ task }) => {
      const { change, git, expect: expectation } = input
      const repo = await repos.make('tiny-html', change)
      for (const args of git ?? []) {
        await runCommand('git', args, { cwd: repo.path, timeoutMs: 30_000 })
      }
      const projects =
        git === undefined ? ['tiny-html (install)'] : ['tiny-html (install)', 'tiny-html (upgrade)']
      const run = await runRecipe({
        projects,
        src: repo.path,
        recipeDirs: [configDir(work, 'tiny-html')],
      })
      await judgeBadInput(task, baseline(), run, expectation)
    })
  }
})
