import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { fixtureRepos, REPO_ROOT } from '../support/fixtures.ts'
import { expectNothingLeft, runRecipe } from '../support/run-recipe.ts'

const repos = fixtureRepos()
const configs = mkdtempSync(join(tmpdir(), 'ccci-access-config-'))
afterAll(() => {
  repos.cleanup()
  rmSync(configs, { recursive: true, force: true })
})

/** A pull request that bind-mounts the host's /etc into the app. */
const bindEtc = {
  message: 'mount the host',
  replace: {
    'compose.yml': [
      ['      - content:/var/www', '      - content:/var/www\n      - /etc:/host-etc:ro'],
    ] as [string, string][],
  },
}

describe('a recipe under test gets no more of the host than its config grants', () => {
  test('a bind mount of the host granted in recipe.ts deploys, and the result records the grant (refused without: test/reliability/)', async () => {
    const repo = await repos.make('tiny-html', bindEtc)
    mkdirSync(join(configs, 'tiny-html'), { recursive: true })
    // A recipes folder outside this checkout is an ES module scope of its own.
    writeFileSync(join(configs, 'package.json'), '{ "type": "module" }\n')
    writeFileSync(
      join(configs, 'tiny-html', 'recipe.ts'),
      [
        `import { defineRecipe } from ${JSON.stringify(join(REPO_ROOT, 'harness', 'index.ts'))}`,
        'export default defineRecipe({',
        "  hostAccess: [{ service: 'app', access: 'bind-mount', value: '/etc', reason: 'reads the host name' }],",
        '})',
        '',
      ].join('\n'),
    )
    const run = await runRecipe({
      projects: ['tiny-html (install)'],
      src: repo.path,
      recipeDirs: [configs],
    })
    expect(run.output).toMatch(/LIFECYCLE install: pass/)
    expect(run.result?.hostAccess).toEqual([
      { service: 'app', access: 'bind-mount', value: '/etc', reason: 'reads the host name' },
    ])
    expect(run.code, run.output).toBe(0)
    await expectNothingLeft(run.result!)
  })
})
