import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { runCommand, tryCommand } from '../../harness/process/index.ts'
import { configDir } from '../support/config-dir.ts'
import { REPO_ROOT } from '../support/fixtures.ts'
import { hostSnapshot } from '../support/host-snapshot.ts'
import { residueSince } from '../support/reliability.ts'

/**
 * Real public recipes (git bundles in test/fixtures/real-recipes/bundles, provenance in its README), run as a
 * maintainer would, zero config: `./ccci run <recipe> --src <clone> --tier install`. Their images
 * cannot be pulled here (no registry), so each run must stop with a clear error naming the
 * service and the image (or, where the recipe asks for the host, the host-access refusal), within
 * seconds, and leave nothing on the host.
 */

const BUNDLES = join(REPO_ROOT, 'test', 'fixtures', 'real-recipes', 'bundles')
const work = mkdtempSync(join(tmpdir(), 'ccci-real-'))
let before: string[] = []

beforeAll(async () => {
  before = await hostSnapshot()
})

afterAll(() => {
  rmSync(work, { recursive: true, force: true })
})

interface RealRecipe {
  name: string
  bundle: string
  /** Files of a cc-ci config folder for it (none: zero config). */
  config?: Record<string, string>
  /** The clear error a run stops with. */
  stops: RegExp
}

/** The error names a service whose image is missing, and the image (whichever is rejected first). */
const noImage = (...services: [service: string, image: string][]) =>
  new RegExp(
    services
      .map(([service, image]) => `${service}: No such image: ${image.replaceAll('.', '\\.')}`)
      .join('|'),
  )

const RECIPES: RealRecipe[] = [
  // Its only release tag (v2.4.8) is a lightweight tag: abra would refuse to deploy it too.
  { name: 'traefik', bundle: 'coop-cloud-traefik.bundle', stops: /R014 only annotated tags/ },
  {
    name: 'lemp',
    bundle: 'lemp.bundle',
    stops: noImage(
      ['app', 'php:8.0-fpm-alpine3.13'],
      ['frontend', 'nginx:1.19.2'],
      ['db', 'mariadb:10.6'],
    ),
  },
  {
    name: 'gaseous',
    bundle: 'gaseous-recipe.bundle',
    stops: noImage(['db', 'mariadb:latest'], ['app', 'gaseousgames/gaseousserver:latest']),
  },
  // It publishes a host port: refused without a grant, and with one it stops at the image.
  {
    name: 'agora',
    bundle: 'agora-abra.bundle',
    stops: /CCCI_HOST_ACCESS[\s\S]*service app: ports 5017/,
  },
  {
    name: 'agora',
    bundle: 'agora-abra.bundle',
    config: {
      'recipe.ts':
        "export default { hostAccess: [{ service: 'app', access: 'published-port', value: '5017', reason: 'its web port' }] }\n",
    },
    stops: noImage(
      ['app', 'moonlion/agora-server:testing'],
      ['bridge', 'moonlion/agora-bridge:testing'],
    ),
  },
  {
    name: 'foodsharing-cms',
    bundle: 'foodsharing-cms.bundle',
    stops: noImage(['app', 'ghcr.io/wilhelmberggren/foodsharing-cms:1.0.3']),
  },
]

describe('real recipes, as a maintainer runs them', () => {
  for (const recipe of RECIPES) {
    const how = recipe.config === undefined ? 'zero config' : 'with a recipe.ts'
    test(`${recipe.name} (${how}) stops with a clear error and leaves nothing`, async () => {
      const clone = mkdtempSync(join(work, `${recipe.name}-`))
      const configs = configDir(work, recipe.name, recipe.config)
      await runCommand(
        'git',
        ['clone', '--quiet', join(BUNDLES, recipe.bundle), join(clone, recipe.name)],
        {
          timeoutMs: 60_000,
        },
      )
      const started = Date.now()
      const run = await tryCommand(
        'bash',
        [
          join(REPO_ROOT, 'ccci'),
          'run',
          recipe.name,
          '--src',
          join(clone, recipe.name),
          '--tier',
          'install',
        ],
        {
          cwd: work,
          timeoutMs: 300_000,
          env: {
            ...process.env,
            // Zero config: a folder with nothing in it for the recipe.
            CCCI_RECIPE_DIRS:
              recipe.config === undefined ? mkdtempSync(join(work, 'none-')) : configs,
            VITEST: undefined,
            NODE_ENV: undefined,
          },
        },
      )
      const output = run.stdout + run.stderr
      expect(run.exitCode, output).not.toBe(0)
      expect(output).toMatch(recipe.stops)
      expect(
        Date.now() - started,
        'it stops within seconds, not at the deploy timeout',
      ).toBeLessThan(120_000)
      expect(await residueSince(before), 'left on the host').toEqual([])
    })
  }
})
