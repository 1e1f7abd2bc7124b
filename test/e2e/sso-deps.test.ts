import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { loadSettings } from '../../harness/config/settings.ts'
import { depsFile, RunDepsSchema } from '../../harness/deps/run-deps.ts'
import { inspectService, removeService } from '../../harness/docker/index.ts'
import { readLeases } from '../../harness/janitor/lease.ts'
import { killTrees } from '../../harness/process/index.ts'
import type { RunResult } from '../../harness/results/report-files.ts'
import { localSso, SSO_SERVICE, ssoHealthy } from '../../harness/sso-double/sso-service.ts'
import { fixtureRepos } from '../support/fixtures.ts'
import {
  expectNothingLeft,
  finishRun,
  runJanitor,
  runRecipe,
  startRun,
} from '../support/run-recipe.ts'
import { configDir } from '../support/config-dir.ts'
import { ensureOidcAppImage, realms } from '../support/sso-fixture.ts'

// The sso-app fixture declares deps: ['keycloak']: every run gets a realm of its own in the SSO
// provider (here the local stand-in, harness/sso-double), its app signs in through it.
const repos = fixtureRepos()
let src: string
beforeAll(async () => {
  await ensureOidcAppImage()
  src = (await repos.make('sso-app')).path
})
afterAll(repos.cleanup)

function statuses(result: RunResult | undefined): Record<string, string> {
  return Object.fromEntries((result?.tiers ?? []).map((t) => [t.tier, t.status]))
}

const realmOf = async (runId: string) => (await realms()).find((r) => r.realm === runId)

/** The run id of a started run, once its lease is there. */
async function leaseOf(output: () => string): Promise<string> {
  for (let i = 0; i < 240; i++) {
    const runId = /▶ run (\S+): sso-app/.exec(output())?.[1]
    if (runId !== undefined) {
      return runId
    }
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  throw new Error(`the run did not start:\n${output()}`)
}

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 240; i++) {
    if (await check()) {
      return
    }
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  throw new Error(`timed out waiting for ${what}`)
}

describe('a recipe with deps: keycloak', () => {
  test('every tier is green with a real browser login through the run’s realm; afterwards the realm is gone and nothing is left', async () => {
    const run = await runRecipe({ projects: ['sso-app'], src })
    expect(statuses(run.result), run.output).toEqual({
      install: 'pass',
      upgrade: 'pass',
      backup: 'pass',
      restore: 'pass',
      custom: 'pass',
    })
    const custom = run.result?.tiers.find((t) => t.tier === 'custom')
    expect(custom?.tests.map((t) => `${t.state} ${t.name}`)).toContain(
      "passed a visitor signs in through the run's realm and lands back in the app",
    )
    const result = run.result as RunResult
    expect(result.cleanup?.steps).toContainEqual({
      step: 'dependencies',
      ok: true,
      detail: `realm ${result.runId}`,
    })
    expect(await realmOf(result.runId), 'the run’s realm').toBeUndefined()
    await expectNothingLeft(result)
  })

  test('SIGKILL mid-run, then ./ccci janitor: the orphan realm goes, a concurrent live run’s realm stays', async () => {
    const settings = loadSettings()
    const victim = startRun({ projects: ['sso-app'], src })
    const victimId = await leaseOf(() => victim.output())
    await until('the victim’s realm', async () => (await realmOf(victimId)) !== undefined)
    // The live run is held in its custom tier until the janitor has run: alive, realm and all.
    const work = mkdtempSync(join(tmpdir(), 'ccci-sso-live-'))
    const release = join(work, 'release')
    const liveConfig = configDir(work, 'sso-app', {
      'recipe.ts': `export default ${JSON.stringify({
        deps: ['keycloak'],
        keycloak: { internalUrlEnv: 'OIDC_INTERNAL_URL', redirectPaths: ['/callback'] },
      })}\n`,
      'custom/hold.test.ts': [
        "import { existsSync } from 'node:fs'",
        "import { expect, test } from 'vitest'",
        "test('holds the run until the janitor has run', async () => {",
        `  while (!existsSync(${JSON.stringify(release)})) await new Promise((r) => setTimeout(r, 250))`,
        '  expect(true).toBe(true)',
        '}, 600_000)',
        '',
      ].join('\n'),
    })
    const live = startRun({ projects: ['sso-app'], src, recipeDirs: [liveConfig] })
    let liveExited = false
    void live.result.finally(() => (liveExited = true))
    const liveId = await leaseOf(() => live.output())
    await until('the live run’s realm', async () => (await realmOf(liveId)) !== undefined)
    // The realm exists before its client and user: deps.json is written once all of them do.
    const liveDepsFile = depsFile(join(settings.home, 'runs', liveId))
    await until('the live run’s deps.json', () => Promise.resolve(existsSync(liveDepsFile)))
    // The live run's secrets, to prove below that none reaches its output or results.
    const liveDeps = RunDepsSchema.parse(JSON.parse(readFileSync(liveDepsFile, 'utf8')))
    killTrees([victim.pid ?? 0])
    await finishRun(victim)
    expect(await realmOf(victimId), 'the killed run’s realm before the janitor').toBeDefined()

    const janitor = await runJanitor()
    expect(janitor.output).toContain(`removed keycloak realm ${victimId}`)
    expect(await realmOf(victimId), 'the orphan realm').toBeUndefined()
    expect(liveExited, 'the live run was still running when the janitor ran').toBe(false)
    expect(await realmOf(liveId), 'the live run’s realm').toMatchObject({
      attributes: { 'cc-ci.run': liveId },
    })
    expect(janitor.output).not.toContain(liveId)

    writeFileSync(release, '')
    const finished = await finishRun(live)
    rmSync(work, { recursive: true, force: true })
    expect(finished.result?.ok, finished.output).toBe(true)
    expect(await realmOf(liveId)).toBeUndefined()
    const keycloak = liveDeps.keycloak
    expect(keycloak).toBeDefined()
    // Every file the run kept (result.json, summary.md, junit.xml, state.json, ...).
    const kept = readdirSync(finished.resultsDir ?? '', { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => readFileSync(join(entry.parentPath, entry.name), 'utf8'))
    expect(kept.length).toBeGreaterThan(2)
    for (const secret of [keycloak?.clientSecret, keycloak?.user.password]) {
      expect(secret?.length).toBeGreaterThan(16)
      expect(finished.output).not.toContain(secret)
      for (const text of kept) {
        expect(text).not.toContain(secret)
      }
    }
    expect(readLeases(settings.home).map((l) => l.runId)).not.toContain(victimId)
  })

  test('with the SSO stand-in stopped, a run starts it cold and says so', async () => {
    const { adminUrl } = localSso(loadSettings())
    await removeService(SSO_SERVICE)
    await until('the stand-in to go', async () => (await inspectService(SSO_SERVICE)) === undefined)
    // Its container stops a moment after the service is gone: until then it still answers.
    await until('the stand-in to stop answering', async () => !(await ssoHealthy(adminUrl)))
    const run = await runRecipe({ projects: ['sso-app (install)'], src })
    expect(run.result?.ok, run.output).toBe(true)
    expect(run.result?.warnings).toContainEqual(expect.stringContaining('started cold'))
    expect(await inspectService(SSO_SERVICE)).toBeDefined()
    await expectNothingLeft(run.result as RunResult)
  })

  test('with no Keycloak answering, the run fails as an infra failure, not the recipe’s', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ccci-keycloak-'))
    const credentials = join(dir, 'admin.json')
    writeFileSync(credentials, JSON.stringify({ username: 'admin', password: 'x' }), {
      mode: 0o600,
    })
    try {
      const run = await runRecipe({
        projects: ['sso-app'],
        src,
        env: {
          // Nothing listens there: a production Keycloak that is down.
          CCCI_KEYCLOAK_URL: 'http://127.0.0.1:9',
          CCCI_KEYCLOAK_ADMIN_FILE: credentials,
        },
      })
      expect(run.code).not.toBe(0)
      expect(run.output).toContain('CCCI_DEPS_UNAVAILABLE')
      expect(run.output).toContain('infrastructure failure, not the recipe')
      expect(run.result?.ok).toBe(false)
      expect(run.result?.reason).toMatch(/^infra failure \(not the recipe\): keycloak: /)
      expect(run.result?.infra).toContain('does not answer at http://127.0.0.1:9')
      expect(run.result?.deployCount, 'nothing was deployed').toBe(0)
      expect(
        run.result?.tiers.filter((t) => t.status === 'fail').map((t) => t.tier),
        'no tier of the recipe failed',
      ).toEqual([])
      await expectNothingLeft(run.result as RunResult)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
