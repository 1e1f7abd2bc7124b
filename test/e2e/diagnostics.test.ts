import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { findFiles } from '../../harness/files/find-files.ts'
import { failingUpgrade } from '../support/failing-upgrade.ts'
import { fixtureRepos } from '../support/fixtures.ts'
import { expectNothingLeft, runRecipe, type RunOutcome } from '../support/run-recipe.ts'

/**
 * The diagnostics bundle of real runs: a failing upgrade leaves one naming the failing service
 * with its task error and its logs, linked from summary.md, with neither the app's generated
 * secret nor a secret-named env value (a canary) in any of its files; a green run leaves none,
 * unless CCCI_DIAGNOSTICS=always asks for one.
 */

const work = mkdtempSync(join(tmpdir(), 'ccci-diagnostics-'))
const repos = fixtureRepos()
afterAll(() => {
  repos.cleanup()
  rmSync(work, { recursive: true, force: true })
})

/** A plain env value whose key names it a secret: cc-ci did not generate it, the bundle hides it. */
const CANARY = `canary-${randomBytes(8).toString('hex')}`
/** Where the recipe's preUpgrade hook writes the app's generated secret, for the grep below. */
const tokenOut = join(work, 'token')

/** Every file of a bundle, relative to it, with its text. */
function bundleFiles(dir: string): Record<string, string> {
  return Object.fromEntries(
    findFiles(dir, /./).map((file) => [file, readFileSync(join(dir, file), 'utf8')]),
  )
}

describe('the diagnostics bundle', () => {
  let failing: RunOutcome
  let green: RunOutcome
  let asked: RunOutcome

  beforeAll(async () => {
    // A head whose app prints its secret and the canary, then cannot start: the upgrade fails.
    const { src: brokenSrc, recipeDirs } = await failingUpgrade(repos, work, {
      message: 'a release that prints its secrets and cannot start',
      script:
        'echo starting with token; cat /run/secrets/token; echo; echo and key $$API_TOKEN; exit 3',
      canary: CANARY,
      tokenOut,
    })
    const plain = (await repos.make('tiny-html')).path
    // One after the other: runs of one checkout share its generated Vitest configs.
    failing = await runRecipe({
      projects: ['tiny-html (install)', 'tiny-html (upgrade)'],
      src: brokenSrc,
      recipeDirs,
      env: { CCCI_DIAGNOSTICS: undefined },
    })
    green = await runRecipe({
      projects: ['tiny-html (install)'],
      src: plain,
      env: { CCCI_DIAGNOSTICS: undefined },
    })
    asked = await runRecipe({
      projects: ['tiny-html (install)'],
      src: plain,
      env: { CCCI_DIAGNOSTICS: 'always' },
    })
  })

  test('a failing run names the failing service with its task error and logs, from summary.md', async () => {
    expect(failing.result?.tiers.find((t) => t.tier === 'upgrade')?.status, failing.output).toBe(
      'fail',
    )
    const results = failing.resultsDir ?? ''
    expect(failing.result?.diagnostics).toBe('diagnostics')
    const summary = readFileSync(join(results, 'summary.md'), 'utf8')
    expect(summary).toMatch(
      /\nDiagnostics: diagnostics\/index\.md — failing service app: task error: .*non-zero exit \(3\)/,
    )
    const files = bundleFiles(join(results, 'diagnostics'))
    expect(Object.keys(files).sort()).toEqual([
      'app.env',
      'compose.yml',
      'events.txt',
      'index.md',
      'logs/app.log',
      'services.json',
    ])
    const index = files['index.md'] ?? ''
    expect(index).toMatch(
      /^\*\*failing service app: task error: .*non-zero exit \(3\).*exit code 3/m,
    )
    expect(index).toContain('logs: [logs/app.log](logs/app.log)')
    expect(index).toMatch(/- \*\*upgrade\*\*: /)
    expect(index).not.toContain('## Not collected')
    expect(files['logs/app.log']).toContain('starting with token\n[REDACTED]\nand key [REDACTED]')
    const services = JSON.parse(files['services.json'] ?? '{}') as {
      services: { service: string; failing: boolean; tasks: { exitCode?: number }[] }[]
    }
    expect(services.services[0]?.service).toBe('app')
    expect(services.services[0]?.failing).toBe(true)
    expect(services.services[0]?.tasks.map((t) => t.exitCode)).toContain(3)
    expect(files['app.env']).toContain('API_TOKEN=[REDACTED]\n')
    expect(files['compose.yml']).toContain('API_TOKEN: "[REDACTED]"')
    expect(files['events.txt']).toMatch(/^\S+ container \S+ /m)
    await expectNothingLeft(failing.result!)
  })

  test('no file of the bundle holds the generated secret or the secret-named env value', () => {
    expect(existsSync(tokenOut), `the preUpgrade hook read the secret\n${failing.output}`).toBe(
      true,
    )
    const token = readFileSync(tokenOut, 'utf8')
    expect(token).toMatch(/^[A-Za-z0-9]{32}$/)
    const files = bundleFiles(join(failing.resultsDir ?? '', 'diagnostics'))
    const leaks = Object.entries(files)
      .filter(([, text]) => text.includes(token) || text.includes(CANARY))
      .map(([file]) => file)
    expect(leaks).toEqual([])
  })

  test('a green run leaves no bundle; CCCI_DIAGNOSTICS=always leaves one', async () => {
    expect(green.result?.ok, green.output).toBe(true)
    expect(existsSync(join(green.resultsDir ?? '', 'diagnostics'))).toBe(false)
    expect(green.result?.diagnostics).toBeUndefined()
    expect(readFileSync(join(green.resultsDir ?? '', 'summary.md'), 'utf8')).not.toContain(
      'Diagnostics:',
    )
    expect(asked.result?.ok, asked.output).toBe(true)
    expect(asked.result?.diagnostics).toBe('diagnostics')
    const index = readFileSync(join(asked.resultsDir ?? '', 'diagnostics', 'index.md'), 'utf8')
    expect(index).toContain('**no failing service (1 service running as desired)**')
    expect(index).toContain('because CCCI_DIAGNOSTICS=always')
    await expectNothingLeft(green.result!)
    await expectNothingLeft(asked.result!)
  })
})
