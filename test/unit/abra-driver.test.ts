import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { failure } from '../support/failure.ts'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, test, vi } from 'vitest'
import { AbraDriver, runAbra } from '../../harness/abra/index.ts'
import type { AppRef } from '../../harness/driver/app-driver.ts'
import { createLogger } from '../../harness/log.ts'
import { REPO_ROOT } from '../support/fixtures.ts'

const FAKE = join(REPO_ROOT, 'test', 'fakes', 'abra', 'abra')
const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'abra')
const work = mkdtempSync(join(tmpdir(), 'ccci-abra-driver-'))
const recipeDir = join(work, 'checkout')
mkdirSync(recipeDir)
// A deploy renders the compose file (client side, no engine) for the host-access check first.
writeFileSync(join(recipeDir, 'compose.yml'), 'version: "3.8"\nservices:\n  app:\n    image: x:1\n')
const app: AppRef = {
  recipe: 'tiny-html',
  domain: 'tiny-0f1e2d.ccci.localhost',
  stack: 'tiny-0f1e2d_ccci_localhost',
  server: 'default',
  recipeDir,
  envFile: join(work, 'abra', 'servers', 'default', 'tiny-0f1e2d.ccci.localhost.env'),
}
mkdirSync(join(work, 'abra', 'servers', 'default'), { recursive: true })
writeFileSync(app.envFile, 'TYPE=tiny-html:1.0.0+1.35.0\nDOMAIN=tiny-0f1e2d.ccci.localhost\n')

/** The fake abra starts Node and a TypeScript loader: give it time on a busy machine, except where a deadline is the point. */
function driver(abraBin: string, commandMs = 60_000): AbraDriver {
  return new AbraDriver({
    ownerLabels: { 'cc-ci.run': 'unit-abra-driver' },
    log: createLogger('abra-driver-test'),
    backupDir: join(work, 'backups'),
    workDir: join(work, 'apps'),
    abraBin,
    timeouts: { command: commandMs },
  })
}

/** A stand-in abra printing `text` and exiting with `code`. */
function stub(name: string, text: string, code: number): string {
  const path = join(work, name)
  writeFileSync(join(work, `${name}.out`), text)
  writeFileSync(path, `#!/bin/sh\ncat '${join(work, `${name}.out`)}'\nexit ${code}\n`)
  chmodSync(path, 0o755)
  return path
}

afterEach(() => {
  vi.unstubAllEnvs()
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('the abra driver against a misbehaving abra', () => {
  test('a lint table with a failing error rule fails the lint, though abra exits 0', async () => {
    const table = join(FIXTURES, 'recipe-lint-failing.txt')
    vi.stubEnv('CCCI_FAKE_ABRA_LINT_OUTPUT', table)
    const raw = await runAbra({
      bin: FAKE,
      args: ['recipe', 'lint', 'tiny-html', '--chaos', '--offline', '--no-input'],
      env: {},
      timeoutMs: 30_000,
    })
    expect(raw.exitCode, raw.output).toBe(0)
    const result = await driver(FAKE).lint(app)
    expect(result.ok).toBe(false)
    expect(result.rules.find((r) => r.ref === 'R010')).toEqual({
      ref: 'R010',
      level: 'error',
      description: 'traefik routing enabled',
      satisfied: false,
      skipped: false,
    })
  }, 60_000)

  test('a hanging abra hits the deadline; the error names the command and nothing is left running', async () => {
    const calls = join(work, 'calls.jsonl')
    vi.stubEnv('CCCI_FAKE_ABRA_HANG', 'app ls')
    vi.stubEnv('CCCI_FAKE_ABRA_LOG', calls)
    const error = await failure(driver(FAKE, 4_000).state(app))
    expect(error.code).toBe('CCCI_ABRA_TIMEOUT')
    expect(error.message).toBe(
      `\`${FAKE} app ls --machine --status --no-input\` did not finish within 4s and was killed`,
    )
    expect(error.report()).toContain('app ls: hanging as CCCI_FAKE_ABRA_HANG asks')
    const pid = (JSON.parse(readFileSync(calls, 'utf8').trim()) as { pid: number }).pid
    await vi.waitFor(
      () => {
        expect(() => process.kill(pid, 0), `fake abra ${pid} still runs`).toThrow()
      },
      { timeout: 10_000, interval: 200 },
    )
  }, 60_000)

  test("a deploy that fails says so with abra's FATA line", async () => {
    const bin = stub('deploy-fails', readFileSync(join(FIXTURES, 'deploy-failed.txt'), 'utf8'), 1)
    const error = await failure(driver(bin).deploy(app, { chaos: true }))
    expect(error.code).toBe('CCCI_ABRA_DEPLOY_FAILED')
    expect(error.message).toBe(`deploy of ${app.domain} failed (abra): deploy failed 🛑`)
    expect(error.report()).toContain('rolling back to the previous version')
  }, 30_000)

  test('an app created with --chaos is deployed with --chaos, though abra pinned a version in its env', async () => {
    const chaosApp: AppRef = {
      ...app,
      domain: 'chao-0f1e2d.ccci.localhost',
      stack: 'chao-0f1e2d_ccci_localhost',
      envFile: join(work, 'abra', 'servers', 'default', 'chao-0f1e2d.ccci.localhost.env'),
    }
    const calls = join(work, 'chaos-calls.txt')
    const failed = join(FIXTURES, 'deploy-failed.txt')
    // abra may write a pinned version on `app new --chaos`: the env alone would say "not chaos".
    const bin = stub('chaos-abra', '', 0)
    writeFileSync(
      bin,
      [
        '#!/bin/sh',
        `echo "$*" >> '${calls}'`,
        `case "$2" in new) printf 'TYPE=tiny-html:1.0.0+1.35.0\\n' > '${chaosApp.envFile}' ;;`,
        `deploy) cat '${failed}'; exit 1 ;; esac`,
        '',
      ].join('\n'),
    )
    const d = driver(bin)
    await d.newApp(chaosApp, { chaos: true })
    // Without --chaos the driver would check the recipe out at 1.0.0+1.35.0 (not a git repo here).
    const error = await failure(d.deploy(chaosApp, {}))
    expect(error.code).toBe('CCCI_ABRA_DEPLOY_FAILED')
    const argv = readFileSync(calls, 'utf8').trim().split('\n')
    expect(argv[0]).toContain('app new tiny-html --domain chao-0f1e2d.ccci.localhost')
    expect(argv[0]).toContain('--chaos')
    expect(argv[1]).toMatch(/^app deploy chao-0f1e2d\.ccci\.localhost --chaos --force /)
    await d.removeEnv(chaosApp)
  }, 30_000)

  test('a domain whose stack name abra would truncate is refused before abra runs', async () => {
    const calls = join(work, 'long-calls.txt')
    const bin = stub('long-abra', '', 0)
    writeFileSync(bin, `#!/bin/sh\necho "$*" >> '${calls}'\n`)
    const domain = `tiny-0f1e2d.${'x'.repeat(40)}.localhost`
    const error = await failure(
      driver(bin).newApp(
        {
          ...app,
          domain,
          stack: domain.replaceAll('.', '_'),
          envFile: join(work, `${domain}.env`),
        },
        { chaos: true },
      ),
    )
    expect(error.code).toBe('CCCI_STACK_NAME_LENGTH')
    expect(existsSync(calls)).toBe(false)
  }, 30_000)

  test('each app gets its own ABRA_DIR: shared servers/, the run checkout as recipes/<recipe>', async () => {
    const bin = stub('echo-dir', '', 0)
    writeFileSync(bin, '#!/bin/sh\necho "$ABRA_DIR"\n')
    const d = driver(bin)
    const result = await d.run(app, 'app', ['true'])
    const dir = result.stdout.trim()
    expect(dir).toBe(join(work, 'apps', app.stack))
    expect(readlinkSync(join(dir, 'servers'))).toBe(join(work, 'abra', 'servers'))
    expect(readlinkSync(join(dir, 'recipes', 'tiny-html'))).toBe(recipeDir)
    expect(existsSync(join(dir, 'catalogue'))).toBe(false)
    await d.removeEnv({ ...app, envFile: join(work, 'abra', 'servers', 'default', 'none.env') })
    expect(existsSync(dir)).toBe(false)
    expect(lstatSync(join(work, 'abra', 'servers')).isDirectory()).toBe(true)
    expect(existsSync(app.envFile)).toBe(true)
  }, 30_000)
})
