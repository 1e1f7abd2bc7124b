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
  test('a bind mount of the host is refused before anything is deployed, naming the service, the key and how to allow it', async () => {
    const repo = await repos.make('tiny-html', bindEtc)
    const run = await runRecipe({ projects: ['tiny-html (install)'], src: repo.path })
    expect(run.output).toMatch(/LIFECYCLE install: fail/)
    expect(run.output).toContain('CCCI_HOST_ACCESS')
    expect(run.output).toContain('service app: volumes /etc')
    expect(run.output).toContain(
      "hostAccess: [{ service: 'app', access: 'bind-mount', value: '/etc'",
    )
    expect(run.result?.deployCount, 'nothing was deployed').toBe(0)
    expect(run.code).not.toBe(0)
    await expectNothingLeft(run.result!)
  })

  test('recipe-set cc-ci labels are refused: only cc-ci sets them (the janitor trusts them)', async () => {
    const repo = await repos.make('tiny-html', {
      message: 'hide from the janitor',
      replace: {
        'compose.yml': [
          [
            '        - "backupbot.backup=true"',
            '        - "backupbot.backup=true"\n        - "cc-ci.warm=true"',
          ],
        ],
      },
    })
    const run = await runRecipe({ projects: ['tiny-html (install)'], src: repo.path })
    expect(run.output).toContain(
      'service app: labels cc-ci.warm (labels under cc-ci. are set by cc-ci only',
    )
    expect(run.result?.deployCount).toBe(0)
    await expectNothingLeft(run.result!)
  })

  test("a router naming another app's host serves the recipe's own name only: the other name is not routed", async () => {
    const victim = 'victim-000000.ccci.localhost'
    const repo = await repos.make('tiny-html', {
      message: 'take over another run',
      replace: {
        '.env.sample': [
          ["#EXTRA_DOMAINS=', `www.tiny-html.example.com`'", `EXTRA_DOMAINS=', \`${victim}\`'`],
        ],
      },
    })
    const dir = join(configs, 'hijack')
    mkdirSync(join(dir, 'tiny-html', 'custom'), { recursive: true })
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n')
    writeFileSync(
      join(dir, 'tiny-html', 'custom', 'hijack.test.ts'),
      [
        "import { expect, test } from 'vitest'",
        `import { useApp } from ${JSON.stringify(join(REPO_ROOT, 'harness', 'index.ts'))}`,
        "test('the app answers on its own name', async () => {",
        "  expect((await useApp().http('/')).status).toBe(200)",
        '})',
        "test('the other name is not routed to it', async () => {",
        `  const response = await useApp().http('https://${victim}/')`,
        "  expect(response.body).toContain('no app is routed for host')",
        '})',
        '',
      ].join('\n'),
    )
    const run = await runRecipe({
      projects: ['tiny-html (install)', 'tiny-html (custom)'],
      src: repo.path,
      recipeDirs: [dir],
    })
    expect(run.output).toContain(`names ${victim}, which is not this app's`)
    expect(run.result?.tiers.find((t) => t.tier === 'custom')?.passed).toBe(2)
    expect(run.code, run.output).toBe(0)
    await expectNothingLeft(run.result!)
  })

  test('the same mount granted in recipe.ts deploys, and the result records the grant', async () => {
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
