import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import type { LintResult } from '../../harness/driver/app-driver.ts'
import { CcciError } from '../../harness/errors.ts'
import { commitChange } from '../support/commit-change.ts'
import { tagLightweight } from '../../harness/git/index.ts'
import { LINT_RULES, lintRecipe } from '../../harness/coop/lint.ts'
import { fixtureRepos, type FixtureRepo } from '../support/fixtures.ts'

const repos = fixtureRepos()
afterAll(repos.cleanup)
const tinyHtml = (change?: Parameters<typeof commitChange>[1]) => repos.make('tiny-html', change)

const lint = (repo: FixtureRepo) => lintRecipe({ recipeDir: repo.path, stack: 'tiny_example_com' })

/** The rules neither satisfied nor skipped. */
const failing = (result: LintResult) =>
  result.rules.filter((r) => !r.satisfied && !r.skipped).map((r) => r.ref)

const compose = (pairs: [string, string][]) => ({
  message: 'change',
  replace: { 'compose.yml': pairs },
})

describe('the swarm driver lint (abra recipe lint rules it can check itself)', () => {
  test('a healthy recipe satisfies every rule; catalogue and network rules are skipped', async () => {
    const result = await lint(await tinyHtml())
    expect(result.rules.map((r) => r.ref)).toEqual(LINT_RULES.map((r) => r.ref))
    expect(failing(result)).toEqual([])
    expect(result.rules.filter((r) => r.skipped).map((r) => r.ref)).toEqual(['R006', 'R013'])
    expect(result.ok).toBe(true)
  })

  test('no traefik.enable=true fails R010, an error: the lint fails', async () => {
    const result = await lint(await tinyHtml(compose([['        - "traefik.enable=true"\n', '']])))
    expect(failing(result)).toEqual(['R010'])
    expect(result.ok).toBe(false)
  })

  test('without DOMAIN in .env.sample R010 is skipped', async () => {
    const repo = await tinyHtml({
      message: 'no domain',
      replace: { '.env.sample': [['DOMAIN=tiny-html.example.com\n', '']] },
      write: {},
    })
    await commitChange(repo.path, compose([['        - "traefik.enable=true"\n', '']]))
    const result = await lint(repo)
    expect(result.rules.find((r) => r.ref === 'R010')?.skipped).toBe(true)
    expect(result.ok).toBe(true)
  })

  test('warn-level failures alone do not fail the lint', async () => {
    const result = await lint(
      await tinyHtml(
        compose([
          ['version: "3.8"', 'version: "3.7"'],
          ['image: ccci-local/busybox:1', 'image: ccci-local/busybox:latest'],
          [
            '    healthcheck:\n      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/"]\n      interval: 2s\n      timeout: 2s\n      retries: 15\n',
            '',
          ],
          ['  token:\n    external: true', '  a_very_long_token:\n    external: true'],
          ['      - token\n', '      - a_very_long_token\n'],
        ]),
      ),
    )
    expect(failing(result)).toEqual(['R001', 'R002', 'R004', 'R005', 'R015'])
    expect(result.ok).toBe(true)
  })

  test('an untagged image fails R003', async () => {
    const result = await lint(
      await tinyHtml(compose([['image: ccci-local/busybox:1', 'image: ccci-local/busybox']])),
    )
    expect(failing(result)).toEqual(['R003'])
  })

  test('no app service fails R009; a service without an image fails R011', async () => {
    const result = await lint(
      await tinyHtml(
        compose([
          ['services:\n  app:\n', 'services:\n  web:\n'],
          ['volumes:\n  content:\n', '  extra:\n    command: ["true"]\n\nvolumes:\n  content:\n'],
        ]),
      ),
    )
    expect(failing(result)).toEqual(expect.arrayContaining(['R009', 'R011']))
    expect(result.ok).toBe(false)
  })

  test('a config version not exported by abra.sh fails R012', async () => {
    const result = await lint(
      await tinyHtml({
        message: 'unvendored',
        replace: { 'abra.sh': [['export ENTRYPOINT_VERSION=v1', 'export OTHER=v1']] },
      }),
    )
    expect(failing(result)).toEqual(['R012'])
  })

  test('a lightweight release tag fails R014', async () => {
    const repo = await tinyHtml()
    await tagLightweight(repo.path, '1.2.0+1.35.0')
    expect(failing(await lint(repo))).toEqual(['R014'])
  })

  test('missing .env.sample fails R008; README without metadata fails R007', async () => {
    const repo = await tinyHtml({ message: 'bare', remove: ['.env.sample'] })
    writeFileSync(join(repo.path, 'README.md'), '# tiny-html\n')
    const result = await lint(repo)
    expect(failing(result)).toEqual(['R007', 'R008'])
    expect(result.ok).toBe(false)
  })

  test('a recipe it cannot read at all is an error, as abra exits non-zero', async () => {
    const repo = await tinyHtml()
    rmSync(join(repo.path, 'compose.yml'))
    await expect(lint(repo)).rejects.toBeInstanceOf(CcciError)
    writeFileSync(join(repo.path, 'compose.yml'), 'services: [1, 2\n')
    await expect(lint(repo)).rejects.toMatchObject({ code: 'CCCI_LINT_INVALID' })
  })
})
