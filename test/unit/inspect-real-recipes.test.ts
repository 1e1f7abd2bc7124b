import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { inspectRecipe } from '../../harness/inspect/inspect-recipe.ts'
import type { Inspection } from '../../harness/inspect/inspection-schema.ts'
import { runCommand } from '../../harness/process/index.ts'
import { REPO_ROOT } from '../support/fixtures.ts'

/**
 * `ccci inspect` on the five real recipes of test/fixtures/real-recipes/bundles (provenance in
 * its README): each succeeds, and shows what is particular about it. No Docker engine is needed:
 * rendering the compose files is client-side.
 */

const BUNDLES = join(REPO_ROOT, 'test', 'fixtures', 'real-recipes', 'bundles')
const work = mkdtempSync(join(tmpdir(), 'ccci-inspect-real-'))
const inspections = new Map<string, Inspection>()

const RECIPES: [name: string, bundle: string][] = [
  ['traefik', 'coop-cloud-traefik.bundle'],
  ['lemp', 'lemp.bundle'],
  ['gaseous', 'gaseous-recipe.bundle'],
  ['agora', 'agora-abra.bundle'],
  ['foodsharing-cms', 'foodsharing-cms.bundle'],
]

beforeAll(async () => {
  // Source caches go here, not into the machine's state.
  vi.stubEnv('CCCI_HOME', join(work, 'home'))
  for (const [name, bundle] of RECIPES) {
    const clone = join(work, name)
    await runCommand('git', ['clone', '--quiet', join(BUNDLES, bundle), clone], {
      timeoutMs: 60_000,
    })
    inspections.set(
      name,
      await inspectRecipe({ recipe: name, src: clone, ref: undefined, pr: 'local' }),
    )
  }
}, 120_000)

afterAll(() => {
  rmSync(work, { recursive: true, force: true })
  vi.unstubAllEnvs()
})

const get = (name: string): Inspection => {
  const inspection = inspections.get(name)
  if (inspection === undefined) {
    throw new Error(`${name} was not inspected`)
  }
  return inspection
}
const findings = (name: string) => get(name).hostAccess.findings.map((f) => `${f.kind} ${f.value}`)

describe('ccci inspect on five real recipes', () => {
  test('traefik: the Docker socket and its host ports are found; its v tag is no release', () => {
    expect(findings('traefik')).toEqual(
      expect.arrayContaining(['docker-socket /var/run/docker.sock', 'published-port 443']),
    )
    expect(get('traefik').versions.warnings.join('\n')).toContain('v2.4.8')
  })

  test('lemp: two secrets with their swarm names, and the route to its frontend', () => {
    const { stack } = get('lemp').app
    expect(get('lemp').secrets.map((s) => s.name)).toEqual([
      `${stack}_db_password_v1`,
      `${stack}_db_root_password_v1`,
    ])
    expect(JSON.stringify(get('lemp').routes)).toContain('frontend')
  })

  test('agora: a host port, and no backup labels', () => {
    expect(findings('agora')).toContain('published-port 5017')
    expect(get('agora').backup.services).toEqual([])
  })

  test('foodsharing-cms: the legacy backupbot.backup.path is read; its v tags are no releases', () => {
    expect(get('foodsharing-cms').backup.services.length).toBeGreaterThan(0)
    expect(get('foodsharing-cms').backup.volumes.map((v) => v.key)).toContain('cms_data')
    expect(get('foodsharing-cms').versions.warnings.join('\n')).toMatch(/v1\.0/)
  })

  test('gaseous: its services and images are listed', () => {
    expect(get('gaseous').services.length).toBeGreaterThan(0)
  })
})
