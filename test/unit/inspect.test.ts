import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test, vi } from 'vitest'
import { isCcciError } from '../../harness/errors.ts'
import { describeGeneration, formatInspection } from '../../harness/inspect/format-inspection.ts'
import { inspectRecipe } from '../../harness/inspect/inspect-recipe.ts'
import { InspectionSchema } from '../../harness/inspect/inspection-schema.ts'
import type { commitChange } from '../support/commit-change.ts'
import { fixtureRepos } from '../support/fixtures.ts'

const work = mkdtempSync(join(tmpdir(), 'ccci-inspect-test-'))
// Source caches go here, not into the machine's state.
vi.stubEnv('CCCI_HOME', join(work, 'home'))
const repos = fixtureRepos()
afterAll(() => {
  repos.cleanup()
  rmSync(work, { recursive: true, force: true })
  vi.unstubAllEnvs()
})

const scratchFolders = () =>
  new Set(readdirSync(tmpdir()).filter((name) => name.startsWith('ccci-inspect-')))

async function inspectTiny(change?: Parameters<typeof commitChange>[1]) {
  const repo = await repos.make('tiny-html', change)
  return inspectRecipe({ recipe: 'tiny-html', src: repo.path, ref: undefined, pr: 'local' })
}

describe('ccci inspect gathers what a run would do, without deploying', () => {
  test('tiny-html: compose files, services, secrets, routes, backup, lint, versions, tiers', async () => {
    const before = scratchFolders()
    const inspection = await inspectTiny()
    const { domain, stack } = inspection.app
    expect(domain).toMatch(/^tiny-[0-9a-f]{6}\.ccci\.localhost$/)
    expect(stack).toBe(domain.replaceAll('.', '_'))
    expect(inspection.compose).toEqual({ composeFile: null, files: ['compose.yml'] })
    expect(inspection.services).toEqual([
      {
        name: 'app',
        image: 'ccci-local/busybox:1',
        volumes: [{ key: 'content', target: '/var/www' }],
        secrets: ['token'],
      },
    ])
    expect(inspection.volumes).toEqual([
      { key: 'content', name: `${stack}_content`, external: false },
    ])
    expect(inspection.secrets).toEqual([
      {
        key: 'token',
        name: `${stack}_token_v1`,
        version: 'v1',
        versionVar: 'SECRET_TOKEN_VERSION',
        generate: true,
        length: 32,
        charset: [],
      },
    ])
    expect(inspection.routes).toEqual({
      routes: [
        {
          service: 'app',
          router: stack,
          hosts: [domain],
          pathPrefixes: [],
          port: 8080,
          priority: null,
        },
      ],
      problems: [],
    })
    expect(inspection.backup).toMatchObject({
      error: null,
      services: ['app'],
      volumes: [{ key: 'content', volume: `${stack}_content`, paths: 'all' }],
    })
    expect(inspection.lint.ok).toBe(true)
    expect(inspection.hostAccess).toEqual({ checked: 'recipe', note: null, findings: [] })
    expect(inspection.versions).toMatchObject({
      head: '1.1.0+1.35.0',
      base: '1.0.0+1.35.0',
      install: '1.0.0+1.35.0',
      upgradeSkip: null,
    })
    expect(inspection.tiers.map((t) => t.tier)).toEqual([
      'install',
      'upgrade',
      'backup',
      'restore',
      'custom',
    ])
    expect(inspection.tiers[0]?.run.map((f) => f.file)).toContain(
      'generic/install/converged.test.ts',
    )
    // The --json output reads back through its own schema; the scratch folder is gone.
    expect(InspectionSchema.parse(JSON.parse(JSON.stringify(inspection)))).toEqual(inspection)
    expect([...scratchFolders()].filter((name) => !before.has(name))).toEqual([])
  })

  test('a backupbot label that makes no sense is reported, not thrown', async () => {
    const inspection = await inspectTiny({
      message: 'bad backup path',
      replace: {
        'compose.yml': [
          [
            '        - "backupbot.backup=true"\n',
            '        - "backupbot.backup=true"\n        - "backupbot.backup.volumes.content.path=../etc"\n',
          ],
        ],
      },
    })
    expect(inspection.backup.error).toContain('CCCI_BACKUPBOT_LABEL')
    expect(inspection.warnings).toContain(
      'the backup tier would fail: the backupbot labels make no plan',
    )
  })

  test('a recipe without .env.sample stops with a CcciError naming the file; nothing is left', async () => {
    const before = scratchFolders()
    const error: unknown = await inspectTiny({
      message: 'no sample',
      remove: ['.env.sample'],
    }).catch((e: unknown) => e)
    expect(isCcciError(error, 'CCCI_RECIPE_INVALID')).toBe(true)
    expect((error as Error).message).toContain('.env.sample')
    expect([...scratchFolders()].filter((name) => !before.has(name))).toEqual([])
  })
})

describe('the human output', () => {
  test('one line per secret with its swarm name, version and how it would be generated', async () => {
    const inspection = await inspectTiny()
    const text = formatInspection(inspection)
    const { stack } = inspection.app
    expect(text).toContain(
      `  token  ${stack}_token_v1  version v1 (SECRET_TOKEN_VERSION)  generated, length 32, charset default\n`,
    )
    expect(text).toContain(`  ${inspection.app.domain} -> app:8080  (router ${stack})\n`)
    expect(text).toContain('\nlint\n  pass\n')
    expect(text).toMatch(/\nwarnings\n {2}tiny-html has no cc-ci config folder/)
  })

  test('describeGeneration: passphrase, length and charset, inserted', () => {
    const secret = {
      key: 'k',
      name: 's_k_v1',
      version: 'v1',
      versionVar: null,
      generate: true,
      length: null,
      charset: [],
    }
    expect(describeGeneration(secret)).toBe('generated, passphrase (no length=)')
    expect(describeGeneration({ ...secret, length: 64, charset: ['default', 'special'] })).toBe(
      'generated, length 64, charset default,special',
    )
    expect(describeGeneration({ ...secret, generate: false })).toBe(
      'inserted, never generated (generate=false)',
    )
  })
})
